"""CSV for a spreadsheet: one row per finding of each report (met, gaps, not applicable), in the pack's own
order, with the same columns whatever a run finds; written for Excel (a byte order mark, text identifiers)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..model import Report, Result
from ..spreadsheet import EXCEL_CELL_LIMIT, cell, clip, csv_text, excel_text
from ..summary import EXCEL_TEXT, IDENTITY, LATER, finding_rows
from .context import gap_sentence, review_message, status_label

# The columns, always all of them and in this order (a new one only ever goes last): a tracking sheet pasted
# over with next quarter's rows keeps its formulas. `order` is the finding's place in the item's own order
# (`orders`): sorting on it puts the rows back in the regulation's order.
COLUMNS = ("source", "issuer", *IDENTITY, *LATER, "form", "item", "pack", "order", "rule", "element", "title",
           "status", "severity", "open_gap", "waived", "review", "missing_parts", "message", "citation",
           "where", "evidence")


def message(r: Result) -> str:
    """What the finding says: an open gap's sentence, a met finding's reading to check, else what was met."""
    if r.error or (r.is_gap and r.waived is None):
        return gap_sentence(r)
    if r.review:
        return review_message(r)
    return r.message if r.status == "not_yet_required" else r.basis


def rows(report: Report) -> list[dict[str, Any]]:
    """The report's findings as rows of COLUMNS, in the pack's order: finding_rows as a reader reads them."""
    return [{**row, "status": status_label(r), "open_gap": "yes" if row["open_gap"] else "no",
             "message": message(r)}
            for row, r in zip(finding_rows(report), report.results, strict=True)]


def _cell(column: str, value: str) -> str:
    """A row's value as its cell: an identifier as Excel keeps it; other text defused and within the limit."""
    return excel_text(value) if column in EXCEL_TEXT else cell(clip(value, EXCEL_CELL_LIMIT - 1))


def render(reports: Sequence[Report], **options) -> str:
    cells = ([_cell(c, row[c]) for c in COLUMNS] for report in reports for row in rows(report))
    return csv_text(COLUMNS, cells, excel=True)
