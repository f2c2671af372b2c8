"""A batch run's summary: one row per filing (its statuses, coverage, worst gap and marks for review), and the
rows as CSV and as JSON lines."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from . import __version__, builtin_checks
from .gate import has_failures
from .model import ADDRESSED, Report, Result, distinct_evidence
from .spreadsheet import cell, csv_text, excel_text

# The filing's identity, where the input gives it (an EDGAR submission's header, a JSON record): to join the
# rows to other data. Last of the fixed columns, so the earlier ones keep their places.
IDENTITY = ("cik", "accession", "period", "filed")
# The filing's cyd tags in brief, where --pack auto checked them too (an inline XBRL filing with cyd facts or
# a tagging duty): the worst gap of its cyd-tags report, the rules with gaps, and that report. Last again.
TAGS = ("tags_worst", "tags_gaps", "tags_report")
# The fiscal year the input states (a record's `fiscal_year`, an inline XBRL filing's
# dei:DocumentFiscalYearFocus), for a company-by-year panel. Added last: earlier columns keep their places.
LATER = ("fiscal_year",)
# The parts a partly met element lacks ("material_effect: prospective"), to sort filings by the prong they
# omit. Last again.
PARTS = ("missing_parts",)
# With --html, the cyd-tags report as HTML, which the dashboard links a reader to (not its JSON). Last again.
TAGS_HTML = ("tags_html",)
# An element column's value when a rule of the element did not finish: its verdict is unknown.
UNFINISHED = "error"
# A hash of the pack files the check ran (the report's `pack.sha256`): the rules as they were. Last again.
PACK_DIGEST = ("pack_sha256",)
# The cydcheck version that made the row (the reports' tool.version), for a replication package. Last again.
TOOL = ("cydcheck_version",)
# The columns of identifiers, versions and days that Excel would turn into numbers or dates (a CIK's leading
# zeros lost, an item "1.05" read as a day, a house pack's version "2.10" as 2.1): written so that Excel keeps
# them as text in summary-excel.csv.
EXCEL_TEXT = (*IDENTITY, "item", "pack_version", *TOOL)
FIXED_COLUMNS = ("key", "source", "issuer", "form", "item", "pack", "pack_version", "coverage", "met",
                 "partial", "missing", "not_applicable", "worst", "review", "error", "report", "html",
                 *IDENTITY, "not_checked", *TAGS, *LATER, *PARTS, *TAGS_HTML, *PACK_DIGEST, *TOOL)


def element_statuses(report: Report) -> dict[str, str]:
    """Each element's status; an element checked by several rules is met only when all of them are, and is
    "error" when one of them did not finish (a pattern over its time budget): no verdict, not a gap."""
    grouped: dict[str, list[str]] = {}
    # the elements in their rules' order, then the findings of no element (SECTION-BY-REFERENCE), by rule
    for r in sorted(report.results, key=lambda r: r.element is None):
        if r.status != "not_yet_required":  # a filing made before the item applied has no element shares
            grouped.setdefault(r.element or r.rule, []).append(UNFINISHED if r.error else r.status)
    out = {}
    for element, statuses in grouped.items():
        applicable = [s for s in statuses if s != "not_applicable"]
        if UNFINISHED in statuses:
            out[element] = UNFINISHED
        elif not applicable:
            out[element] = "not_applicable"
        elif all(s == "met" for s in applicable):
            out[element] = "met"
        elif any(s in ADDRESSED for s in applicable):
            out[element] = "partial"
        else:
            out[element] = "missing"
    return out


def worst_gap(report: Report) -> str:
    """The highest severity of an unwaived gap or rule error ("" when there is none)."""
    return next((s for s in ("error", "warning", "info") if has_failures([report], s)), "")


def not_checked(report: Report) -> str:
    """The rule of the one result a report gives instead of the item's rules (ITEM-NOT-YET-REQUIRED,
    ITEM-NOT-REPORTED, ITEM-NOT-AMENDED, FORM-NOT-COVERED): why the filing has no coverage; else ""."""
    if len(report.results) == 1 and report.results[0].element is None and \
            report.results[0].status in ("not_yet_required", "not_applicable"):
        return report.results[0].rule
    return ""


def missing_parts(report: Report) -> str:
    """The parts each partly met element lacks, "element: part, part", "; " between elements."""
    return "; ".join(f"{r.element or r.rule}: {', '.join(r.missing_parts)}"
                     for r in report.results if r.status == "partial" and r.missing_parts)


def summary_row(report: Report, key: str | None = None) -> dict[str, Any]:
    """One summary row (plain JSON data) for a checked filing."""
    doc = report.document
    s = report.summary()
    return {
        "key": key or doc.source, "source": doc.source, "issuer": doc.metadata.get("issuer") or "",
        "form": doc.form or "", "item": doc.item or "", "pack": report.pack_id,
        "pack_version": report.pack_version, "coverage": s["coverage"], "met": s["met"],
        "partial": s["partial"], "missing": s["missing"], "not_applicable": s["not_applicable"],
        "worst": worst_gap(report),
        # the elements met but marked for review (space-separated)
        "review": " ".join(dict.fromkeys(r.element or r.rule for r in report.marked_for_review)),
        "error": "", "report": "", "html": "",
        **{name: str(doc.metadata.get(name) or "") for name in IDENTITY},
        "not_checked": not_checked(report),
        **{name: "" for name in TAGS},
        **{name: str(doc.metadata.get(name) or "") for name in LATER},
        "missing_parts": missing_parts(report),
        **{name: "" for name in TAGS_HTML},
        "pack_sha256": report.pack_sha256,
        "cydcheck_version": __version__,
        "elements": element_statuses(report),
    }


# One row a finding (`finding_rows`), in this order: the filing's identity, what checked it, then the finding.
FINDING_COLUMNS = ("key", "source", "issuer", *IDENTITY, *LATER, "form", "item", "pack", "pack_version",
                   *PACK_DIGEST, *TOOL, "order", "rule", "element", "title", "status", "severity", "open_gap",
                   "waived", "review", "missing_parts", "citation", "where", "line", "evidence",
                   "evidence_source", "score", "error")
QUOTE_BREAK = "\n"  # between the quoted sentences of one finding


def orders(results: Sequence[Result]) -> list[str]:
    """Each finding's place in the item's order, the same for a rule in every filing's report: the pack's
    rules 10, 20, 30 ... as the report lists them, a built-in finding (the section's, the 8-K deadline) 5 more
    than the rule before it (5 ahead of the rules), so a section found missing in one filing does not shift
    the numbers of its rules; whole numbers, which no Excel locale reads as a day."""
    out, n = [], 0
    for r in results:
        if builtin_checks.find(r.rule) is None:
            n += 10
            out.append(str(n))
        else:
            out.append(str(n + 5))
    return out


def waiver(r: Result) -> str:
    """A waived finding's waiver, "key: value" pairs; "" when it is not waived."""
    if r.waived is None:
        return ""
    return "; ".join(f"{k}: {v}" for k, v in sorted(r.waived.items())) or "waived"


def finding_rows(report: Report, key: str | None = None) -> list[dict[str, Any]]:
    """One row (plain data, FINDING_COLUMNS) a finding of the report, in the pack's order: the filing's
    identity, the pack and tool that checked it, and the finding's rule, element, status (as the summary's
    element columns spell it), its marks and its quotes with where they are (docs/codebook.md)."""
    doc = report.document
    filing = {"key": key or doc.source, "source": doc.source, "issuer": doc.metadata.get("issuer") or "",
              **{name: str(doc.metadata.get(name) or "") for name in (*IDENTITY, *LATER)},
              "form": doc.form or "", "item": doc.item or "", "pack": report.pack_id,
              "pack_version": report.pack_version, "pack_sha256": report.pack_sha256,
              "cydcheck_version": __version__}
    out = []
    for order, r in zip(orders(report.results), report.results, strict=True):
        quotes = distinct_evidence(r.evidence)
        scores = [e.score or 0.0 for e in r.evidence if e.source == "learned"]
        out.append({
            **filing, "order": order, "rule": r.rule, "element": r.element or "", "title": r.title,
            "status": UNFINISHED if r.error else r.status, "severity": r.severity,
            "open_gap": bool((r.is_gap or r.error) and r.waived is None), "waived": waiver(r),
            "review": r.review, "missing_parts": ", ".join(r.missing_parts), "citation": r.citation,
            "where": "; ".join(dict.fromkeys(e.where for e in quotes)),
            "line": quotes[0].line if quotes else None,
            "evidence": QUOTE_BREAK.join(" ".join(e.text.split()) for e in quotes),
            "evidence_source": " ".join(sorted({e.source for e in r.evidence})),
            "score": round(max(scores), 4) if scores else None, "error": r.error or "",
        })
    return out


def with_tags(row: dict[str, Any], tags: Report) -> dict[str, Any]:
    """The row with the filing's cyd-tags report in brief: its worst gap and the rules with gaps."""
    gaps = (r.rule for r in tags.results if r.is_gap and r.waived is None)
    return dict(row, tags_worst=worst_gap(tags), tags_gaps=" ".join(dict.fromkeys(gaps)))


def error_row(key: str, message: str) -> dict[str, Any]:
    """The summary row of an input that could not be checked."""
    row: dict[str, Any] = {c: "" for c in FIXED_COLUMNS}
    row.update(key=key, source=key, coverage=None, met=None, partial=None, missing=None,
               not_applicable=None, error=message, cydcheck_version=__version__, elements={})
    return row


def element_columns(rows: Iterable[dict[str, Any]], first: Sequence[str] = ()) -> list[str]:
    """Element ids: `first` (the elements of the packs a run can choose, so every run has their columns in
    one place, even a run without such a filing), then the others by pack, in the packs' name order, and
    within a pack in order of first appearance (each row lists its elements in rule order, findings of no
    element last): one order whatever the filings' order, so the summaries of several runs line up."""
    seen: dict[str, dict[str, None]] = {}
    for row in rows:
        for element in row.get("elements", {}):
            seen.setdefault(row.get("pack") or "", {}).setdefault(element, None)
    return list(dict.fromkeys([*first, *(e for pack in sorted(seen) for e in seen[pack])]))


def summary_csv(rows: Sequence[dict[str, Any]], excel: bool = False, first: Sequence[str] = ()) -> str:
    """The rows as CSV: the fixed columns, then one column per element (`first` first); no cell a
    spreadsheet would run. excel: with a byte order mark and Windows line ends, which Excel opens
    double-clicked as UTF-8, and the identifiers Excel would read as numbers or dates (a CIK, an accession
    number, a day) as written."""
    elements = element_columns(rows, first)
    text_cell = excel_text if excel else cell
    return csv_text([*FIXED_COLUMNS, *elements],
                    ([text_cell(row.get(c)) if c in EXCEL_TEXT else cell(row.get(c)) for c in FIXED_COLUMNS]
                     + [row["elements"].get(e, "") for e in elements] for row in rows), excel)


def summary_jsonl(rows: Iterable[dict[str, Any]]) -> str:
    """The rows as JSON lines, one a filing."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
