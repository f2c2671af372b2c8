"""JUnit XML: a test suite per document, a test case per element, a failure per open gap."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ..model import DISCLAIMER, Report, Result, tag_text

# Characters XML 1.0 cannot hold at all; text from a PDF or a broken filing can contain them.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: object) -> str:
    return _NOT_XML.sub("\ufffd", str(text))


def _details(r: Result, unit: str, tags: list[str] = ()) -> str:
    lines = [r.message, f"Citation: {r.citation}"]
    lines += [f"Filer tag: {t}" for t in tags]
    if r.missing_parts:
        lines.append(f"Missing: {', '.join(r.missing_parts)}")
    for e in r.evidence:
        lines.append(f"Evidence ({e.where}): {e.text}")
    if r.guidance:
        lines.append(f"Guidance: {r.guidance}")
    return "\n".join(lines)


def _case(suite: ET.Element, report: Report, r: Result) -> None:
    doc = report.document
    case = ET.SubElement(suite, "testcase", {
        "classname": _clean(doc.source),
        "name": _clean(f"{r.rule} {r.title}"),
        "file": _clean(doc.source),
        "line": str(r.evidence[0].line if r.evidence else doc.line_of(doc.span[0])),
        "time": "0",
    })
    unit = doc.source_map.unit
    if r.error:
        error = ET.SubElement(case, "error", {"message": _clean(r.error), "type": "engine-error"})
        error.text = _clean(r.error)
    elif r.waived is not None:
        reason = "; ".join(f"{k}: {v}" for k, v in sorted(r.waived.items())) or "waived"
        ET.SubElement(case, "skipped", {"message": _clean(f"waived: {reason}")})
    elif r.is_gap:
        failure = ET.SubElement(case, "failure", {
            "message": _clean(f"{r.status}: {r.message}"), "type": f"{r.status}-{r.severity}"})
        failure.text = _clean(_details(r, unit, [tag_text(t) for t in report.tags_of(r)]))
    elif r.status == "not_applicable":
        ET.SubElement(case, "skipped", {"message": "not applicable to this document"})
    elif r.status == "not_yet_required":
        ET.SubElement(case, "skipped", {"message": _clean(r.message)})
    elif r.evidence:  # met: what satisfied it, and first, when marked, that a person should read it
        lines = [f"Review: {r.review}"] if r.review else []
        lines += [f"Evidence ({e.where}): {e.text}" for e in r.evidence]
        ET.SubElement(case, "system-out").text = _clean("\n".join(lines))


def _coverage(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _suite(report: Report, timestamp: str | None) -> ET.Element:
    doc = report.document
    results = report.results
    attrs = {
        "name": _clean(doc.source),
        "tests": str(len(results) + len(report.left_out)),
        "failures": str(sum(1 for r in results if r.is_gap and r.waived is None and not r.error)),
        "errors": str(sum(1 for r in results if r.error)),
        "skipped": str(len(report.left_out) + sum(1 for r in results if not r.error and (
            r.waived is not None or r.status in ("not_applicable", "not_yet_required")))),
        "time": "0",
    }
    if timestamp:
        attrs["timestamp"] = timestamp
    suite = ET.Element("testsuite", attrs)
    props = ET.SubElement(suite, "properties")
    values = {"pack": report.pack_id, "pack_version": report.pack_version, "form": doc.form or "",
              "item": doc.item or "", "issuer": doc.metadata.get("issuer") or "", "sha256": doc.sha256 or "",
              "coverage": _coverage(report.summary()['coverage']), "disclaimer": DISCLAIMER}
    for name, value in values.items():
        if value:
            ET.SubElement(props, "property", {"name": name, "value": _clean(value)})
    for r in results:
        _case(suite, report, r)
    for x in report.left_out:  # a rule the selection kept out is a test not run: skipped, and why
        case = ET.SubElement(suite, "testcase", {"classname": _clean(doc.source), "file": _clean(doc.source),
                                                 "name": _clean(f"{x.rule} {x.title}"), "time": "0"})
        ET.SubElement(case, "skipped", {"message": _clean(f"left out by the selection: {x.setting}")})
    return suite


def render(reports: Sequence[Report], generated: str | None = None, **_options) -> str:
    suites = [_suite(r, generated) for r in reports]
    root = ET.Element("testsuites", {
        "name": "cydcheck",
        "tests": str(sum(int(s.get("tests", 0)) for s in suites)),
        "failures": str(sum(int(s.get("failures", 0)) for s in suites)),
        "errors": str(sum(int(s.get("errors", 0)) for s in suites)),
        "skipped": str(sum(int(s.get("skipped", 0)) for s in suites)),
        "time": "0",
    })
    root.extend(suites)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
