"""CSV for a spreadsheet: one row per finding of each report (met, gaps, not applicable), in the pack's own
order, with the same columns whatever a run finds; written for Excel (a byte order mark, text identifiers)."""

from __future__ import annotations

from collections.abc import Sequence

from .. import builtin_checks
from ..model import Report, Result
from ..spreadsheet import EXCEL_CELL_LIMIT, cell, clip, csv_text, excel_text
from ..summary import EXCEL_TEXT, IDENTITY, LATER
from .context import distinct_evidence, gap_sentence, review_message, status_label

# The columns, always all of them and in this order (a new one only ever goes last): a tracking sheet pasted
# over with next quarter's rows keeps its formulas. `order` is the finding's place in the item's own order
# (`orders`): sorting on it puts the rows back in the regulation's order.
COLUMNS = ("source", "issuer", *IDENTITY, *LATER, "form", "item", "pack", "order", "rule", "element", "title",
           "status", "severity", "open_gap", "waived", "review", "missing_parts", "message", "citation",
           "where", "evidence")
QUOTE_BREAK = "\n"  # between the quoted sentences of one finding: a line each in a wrapped cell


def message(r: Result) -> str:
    """What the finding says: an open gap's sentence, a met finding's reading to check, else what was met."""
    if r.error or (r.is_gap and r.waived is None):
        return gap_sentence(r)
    if r.review:
        return review_message(r)
    return r.message if r.status == "not_yet_required" else r.basis


def waiver(r: Result) -> str:
    """A waived finding's waiver, "key: value" pairs; "" when it is not waived."""
    if r.waived is None:
        return ""
    return "; ".join(f"{k}: {v}" for k, v in sorted(r.waived.items())) or "waived"


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


def rows(report: Report) -> list[dict[str, str]]:
    """The report's findings as rows of COLUMNS, in the pack's order."""
    doc = report.document
    out = []
    for order, r in zip(orders(report.results), report.results, strict=True):
        quotes = distinct_evidence(r.evidence)
        out.append({
            "source": doc.source, "issuer": doc.metadata.get("issuer") or "",
            **{name: str(doc.metadata.get(name) or "") for name in (*IDENTITY, *LATER)},
            "form": doc.form or "", "item": doc.item or "",
            "pack": report.pack_id, "order": order, "rule": r.rule, "element": r.element or "",
            "title": r.title, "status": status_label(r), "severity": r.severity,
            "open_gap": "yes" if (r.is_gap or r.error) and r.waived is None else "no",
            "waived": waiver(r), "review": r.review, "missing_parts": ", ".join(r.missing_parts),
            "message": message(r), "citation": r.citation,
            "where": "; ".join(dict.fromkeys(e.where for e in quotes)),
            "evidence": QUOTE_BREAK.join(" ".join(e.text.split()) for e in quotes),
        })
    return out


def _cell(column: str, value: str) -> str:
    """A row's value as its cell: an identifier as Excel keeps it; other text defused and within the limit."""
    return excel_text(value) if column in EXCEL_TEXT else cell(clip(value, EXCEL_CELL_LIMIT - 1))


def render(reports: Sequence[Report], **options) -> str:
    cells = ([_cell(c, row[c]) for c in COLUMNS] for report in reports for row in rows(report))
    return csv_text(COLUMNS, cells, excel=True)
