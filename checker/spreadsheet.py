"""Cells for a spreadsheet: CSV text that Excel opens as written (no formula run from a filing's words, no
identifier stripped of its leading zeros, no cell over Excel's limit), shared by every CSV cydcheck writes."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

# The most characters an Excel cell holds: a longer value is cut there on opening, without a word.
EXCEL_CELL_LIMIT = 32_767
# A cell that starts with one of these runs as a formula in a spreadsheet (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# An identifier Excel would read as a number or a date and so change: digits with a leading zero (a CIK),
# a decimal-looking one ("1.05", an item that a day-month locale reads as 1 May; a version "2.10", read as
# 2.1), digits cut by hyphens or slashes (a day, an accession number). A three-part version ("1.0.0") Excel
# leaves as text.
_MANGLED = re.compile(r"0\d+|\d+\.\d+|\d+[-/]\d+(?:[-/]\d+)?")


def cell(value: Any) -> str:
    """The value as a CSV cell a spreadsheet shows rather than runs: a formula's start gets a leading `'`."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def excel_text(value: Any) -> str:
    """An identifier as Excel keeps it, as written: `="0000320193"` where Excel would read a number or a date
    (its own formula of a quoted constant, made only of digits and separators); else as `cell` gives it."""
    text = "" if value is None else str(value)
    return f'="{text}"' if _MANGLED.fullmatch(text) else cell(text)


def clip(text: str, limit: int = EXCEL_CELL_LIMIT) -> str:
    """The text within Excel's cell limit; a longer one cut, ending with how much was cut and where it is."""
    if len(text) <= limit:
        return text
    note = ""
    for _ in range(3):  # the note's length depends on the count it gives: settle it
        note = (f" [... {len(text) - (limit - len(note)):,} more characters cut: an Excel cell holds "
                f"{EXCEL_CELL_LIMIT:,}; the JSON or HTML report has them all]")
    return text[:limit - len(note)] + note


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]], excel: bool = False) -> str:
    """Rows of cells as CSV (RFC 4180 quoting). excel: with a UTF-8 byte order mark and Windows line ends,
    which Excel (Windows and Mac) opens double-clicked as UTF-8: accents, curly quotes, dashes as written."""
    buf = io.StringIO()
    if excel:
        buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\r\n" if excel else "\n")
    writer.writerow([cell(c) for c in header])  # column names may come from house packs
    writer.writerows(rows)
    return buf.getvalue()
