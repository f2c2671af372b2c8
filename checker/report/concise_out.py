"""One line a finding, `file:line:col: severity: RULE message`, as compilers and linters print them: what an
editor's problem matcher, Vim's :make (errorformat) and Emacs's compilation-mode read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..model import Report
from .context import Place, column_in, gap_sentence, placed_findings, relative_path, review_message
from .terminal import one_line

# cydcheck's severities as compilers spell them; a met finding marked for review is information to read,
# unless the run fails on it (--fail-on-review): then its rule's severity
SEVERITY = {"error": "error", "warning": "warning", "info": "info"}
REVIEW = "info"
# what Python's str.splitlines (and some editors) also break a line at, which one_line leaves: a finding is
# one line to every reader
_BREAKS = str.maketrans({"\u2028": " ", "\u2029": " "})


def _column(place: Place, unit: str = "character") -> int:
    """The 1-based column where the finding's sentence or heading starts, in `unit`; 1 where none is known."""
    return column_in(place.location, unit) or 1


def _message(place: Place) -> str:
    """The finding in one message: the rule, what is wrong (or to read again), the citation, and the place
    as a reader finds it where the file has no lines of its own to point at (a Word draft, a PDF)."""
    r = place.result
    said = review_message(r) if place.review else gap_sentence(r)
    where = place.location
    told = where.describe() if where is not None and where.style != "line" else ""
    at = f" [{told}]" if told and told != f"{where.unit} {where.line}" else ""  # not the line again
    return f"{r.rule} {said} ({r.citation}){at}"


def lines(report: Report, root: str | None = None, column_unit: str = "character",
          review_fails: bool = False) -> list[str]:
    """The report's findings, one line each, in the order of their place in the file; `review_fails`: the run
    fails on a met finding marked for review, which is then printed at its rule's severity."""
    path = relative_path(report.document, root)
    places = sorted(placed_findings(report), key=lambda p: (p.line, _column(p)))  # stable: severity next
    return [one_line(f"{path}:{p.line}:{_column(p, column_unit)}: "
                     f"{REVIEW if p.review and not review_fails else SEVERITY[p.result.severity]}: "
                     f"{_message(p)}").translate(_BREAKS) for p in places]


def render(reports: Sequence[Report], root: str | None = None, column_unit: str | None = None,
           gate: Mapping[str, Any] | None = None, **_options) -> str:
    """Every report's findings, one line each; nothing for a clean run."""
    unit = column_unit or "character"
    fails = bool((gate or {}).get("fail_on_review"))
    return "".join(line + "\n" for report in reports for line in lines(report, root, unit, fails))
