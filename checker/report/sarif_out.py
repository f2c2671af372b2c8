"""SARIF 2.1.0 for code-scanning tools: the pack's rules, one result per open or waived gap, and one per met
finding marked for review."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..fingerprint import result_fingerprint
from ..model import DISCLAIMER, Location, Report, Result
from .context import artifact_uri, column_in, gap_sentence, offending, repo_path, review_message
from .json_out import dumps_indented
from .markdown_out import md

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
# --column-unit as SARIF's columnKind: it has no byte columns, so those stay in characters
COLUMN_KIND = {"character": "unicodeCodePoints", "utf-16": "utf16CodeUnits"}


def _rule_descriptor(r: Result) -> dict[str, Any]:
    tags = ["compliance", "sec-cybersecurity-disclosure"] + ([r.element] if r.element else [])
    return {
        "id": r.rule,
        "shortDescription": {"text": r.title},
        "fullDescription": {"text": r.description or r.message},
        "help": {
            "text": f"{r.guidance}\n\nCitation: {r.citation}",
            "markdown": f"{md(r.guidance)}\n\n**Citation:** {md(r.citation)}",
        },
        "defaultConfiguration": {"level": LEVEL[r.severity]},
        "properties": {"tags": tags, "citation": r.citation, **({"element": r.element} if r.element else {})},
    }


def _message(r: Result) -> str:
    return f"{gap_sentence(r)} ({r.citation})"


def _location(uri: str, index: int, line: int, snippet: str, where: Location | None = None,
              unit: str = "character") -> dict[str, Any]:
    """A region in the file the user gave: its line, and the column where the text starts when known."""
    region: dict[str, Any] = {"startLine": max(1, where.line if where else line)}
    if (column := column_in(where, unit)) is not None:
        region["startColumn"] = column
    if snippet.strip():
        region["snippet"] = {"text": snippet}
    out: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": uri, "index": index},
                                                "region": region}}
    if where is not None and where.style != "line":  # how a reviewer finds it in the rendered filing
        out["message"] = {"text": where.describe()}
    return out


def _result(report: Report, r: Result, rule_index: int, uri: str, art_index: int,
            unit: str = "character") -> dict[str, Any]:
    doc = report.document
    start, _ = doc.span
    heading = doc.section.heading if doc.section else ""
    out: dict[str, Any] = {
        "ruleId": r.rule,
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": LEVEL[r.severity],
        "message": {"text": _message(r)},
        # A gap is about the section as a whole, so it points at the section's heading; one that rests on a
        # sentence (a fail_if rule's) points at the sentence.
        "locations": [_location(uri, art_index, e.line, e.text, e.location, unit)
                      if (e := offending(r)) is not None
                      else _location(uri, art_index, doc.line_of(start), heading, report.section_location,
                                     unit)],
        "partialFingerprints": {"primaryLocationLineHash": result_fingerprint(r, doc)},
        "properties": {"status": r.status, "document": doc.source, "citation": r.citation},
    }
    if r.evidence:
        out["relatedLocations"] = [
            {**_location(uri, art_index, e.line, e.text, e.location, unit), "id": k,
             "message": {"text": f"Evidence found ({e.where}){f' (part: {e.part})' if e.part else ''}"
                                 f"{f' ({e.learned_note})' if e.learned_note else ''}"}}
            for k, e in enumerate(r.evidence, 1)
        ]
    learned = [{"line": e.line, "score": round(e.score or 0.0, 4), "terms": list(e.terms)}
               for e in r.evidence if e.source == "learned"]
    if learned:  # a reviewer can tell the model's evidence from a rule's
        out["properties"]["learnedEvidence"] = learned
    if r.missing_parts:
        out["properties"]["missingParts"] = list(r.missing_parts)
    tags = report.tags_of(r)
    if tags:  # the filer's own cyd tags for the element, beside the finding
        out["properties"]["filerTags"] = tags
    if r.waived is not None:
        reason = "; ".join(f"{k}: {v}" for k, v in sorted(r.waived.items())) or "waived"
        out["suppressions"] = [{"kind": "external", "justification": reason}]
    return out


def _review(report: Report, r: Result, rule_index: int, uri: str, art_index: int,
            unit: str = "character") -> dict[str, Any]:
    """A met finding marked for review: SARIF's own kind "review" (a person decides), level "none", at the
    sentence the verdict rests on."""
    out = _result(report, r, rule_index, uri, art_index, unit)
    e = r.evidence[0]
    out.update({"kind": "review", "level": "none",
                "message": {"text": f"{review_message(r)} ({r.citation})"},
                "locations": [_location(uri, art_index, e.line, e.text, e.location, unit)]})
    return out


def _notification(notice: Mapping[str, Any], rule_index: Mapping[str, int]) -> dict[str, Any]:
    """An expired or stale waiver, as a warning about the run rather than a result."""
    rule: dict[str, Any] = {"id": notice["rule"]}
    if notice["rule"] in rule_index:
        rule["index"] = rule_index[notice["rule"]]
    props = {k: notice[k] for k in ("kind", "fingerprint", "file", "line") if notice.get(k) is not None}
    return {"level": "warning", "message": {"text": notice["message"]},
            "descriptor": {"id": f"waiver-{notice['kind']}"}, "associatedRule": rule, "properties": props}


def as_data(reports: Sequence[Report], version: str = "", waiver_notices: Sequence[Mapping[str, Any]] = (),
            column_unit: str | None = None) -> dict[str, Any]:
    # columns as --column-unit counts them where SARIF has that kind (UTF-16), else in characters
    unit = column_unit if column_unit in COLUMN_KIND else "character"
    rules: list[dict[str, Any]] = []
    rule_index: dict[str, int] = {}
    artifacts: list[dict[str, Any]] = []
    artifact_index: dict[str, int] = {}
    results = []
    for report in reports:
        doc = report.document
        uri = artifact_uri(repo_path(doc))
        if uri not in artifact_index:
            artifact_index[uri] = len(artifacts)
            artifact: dict[str, Any] = {"location": {"uri": uri}}
            if doc.sha256:
                artifact["hashes"] = {"sha-256": doc.sha256}
            artifacts.append(artifact)
        for r in report.results:
            if r.rule not in rule_index:
                rule_index[r.rule] = len(rules)
                rules.append(_rule_descriptor(r))
            if r.is_gap or r.error:
                results.append(_result(report, r, rule_index[r.rule], uri, artifact_index[uri], unit))
            elif r.review and r.evidence:
                results.append(_review(report, r, rule_index[r.rule], uri, artifact_index[uri], unit))
    driver: dict[str, Any] = {"name": "cydcheck", "rules": rules}
    if version:
        driver["version"] = version
        driver["semanticVersion"] = version
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "artifacts": artifacts,
        "columnKind": COLUMN_KIND[unit],
        "results": results,
        "properties": {"packs": sorted({f"{r.pack_id}@{r.pack_version}" for r in reports}),
                       "disclaimer": DISCLAIMER},
    }
    digests = {f"{r.pack_id}@{r.pack_version}": r.pack_sha256 for r in reports if r.pack_sha256}
    if digests:  # the rules as they ran (JSON `pack.sha256`)
        run["properties"]["packSha256"] = dict(sorted(digests.items()))
    if waiver_notices:  # left out otherwise, so a run without notices keeps its shape
        run["invocations"] = [{
            "executionSuccessful": True,
            "toolExecutionNotifications": [_notification(n, rule_index) for n in waiver_notices],
        }]
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render(reports: Sequence[Report], version: str = "", waiver_notices: Sequence[Mapping[str, Any]] = (),
           column_unit: str | None = None, **_options) -> str:
    return dumps_indented(as_data(reports, version, waiver_notices, column_unit)) + "\n"
