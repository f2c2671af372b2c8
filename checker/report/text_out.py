"""The terminal summary: one line per rule, gaps with citation and guidance, coloured on a TTY."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from ..model import DISCLAIMER, Report, Result, coverage_text, left_out_text, pdf_pages_text, tag_text
from .context import distinct_evidence, peer_quotes, unchecked_text
from .terminal import safe, wrap

_MARK = {"met": "MET", "partial": "PARTIAL", "missing": "MISSING", "not_applicable": "N/A",
         "not_yet_required": "NOT DUE"}
_COLOUR = {"met": "32", "partial": "33", "missing": "31", "not_applicable": "90", "not_yet_required": "90"}
DEFAULT_WIDTH = 80  # when the report does not go to a terminal
_INDENT = " " * 11  # under the rule id, past the status mark
_QUOTES = 2  # evidence quotes shown per rule
_TITLE_COLUMN = 40  # where a rule's title starts, beside its status and id
_TITLE_ROOM = 24  # the narrowest title column kept there: a narrower terminal gets the title under the id


def _paint(text: str, status: str, colour: bool) -> str:
    return f"\x1b[{_COLOUR[status]}m{text}\x1b[0m" if colour else text


def _wrap(text: str, width: int, first: str = _INDENT, rest: str = _INDENT) -> list[str]:
    return wrap(text, width, first, rest)


def _peer_lines(r: Result, width: int) -> list[str]:
    """How peers say it: each example quoted whole, its source on the line under it."""
    lines = _wrap("How peers say it:", width)
    for peer in peer_quotes(r):
        lines += _wrap(f"“{peer.text}”", width, _INDENT + "  ", _INDENT + "   ")
        lines += _wrap(f"— {peer.source}", width, _INDENT + "    ", _INDENT + "      ")
    return lines


def _mark(r: Result) -> str:
    """The status word. A rule that did not finish has no verdict: "ERROR", not the "MISSING" its gate
    counts it as (nor the missing message's "The section does not say ...": a gap nobody read for); a failed
    check that is no element of the disclosure (a late filing) is "NOT MET" (context.status_label)."""
    if r.error:
        return "ERROR"
    return "NOT MET" if r.status == "missing" and not r.element else _MARK[r.status]


def _head(r: Result, width: int) -> list[str]:
    """The status, rule id and title: the title in a column of its own where the width leaves it room, else
    on the lines under the id (at 40 columns a column past 40 held one word a line, each past the edge)."""
    title = r.title + (" [waived]" if r.waived is not None else "")
    if width - _TITLE_COLUMN >= _TITLE_ROOM:
        return _wrap(f"{_mark(r):<8} {r.rule:<28} {title}", width, "  ", " " * _TITLE_COLUMN)
    return [f"  {_mark(r):<8} {r.rule}", *_wrap(title, width)]


def _rule_lines(r: Result, tags: Sequence[dict[str, Any]], colour: bool, verbose: bool,
                width: int, quiet: bool = False) -> list[str]:
    mark = _mark(r)
    head = _head(r, width)
    # Colour only the status mark; padding and wrapping were done on the plain text.
    head[0] = "  " + _paint(f"{mark:<8}", "missing" if r.error else r.status, colour) + head[0][10:]
    lines = head
    if r.error:
        return lines + _wrap(f"{unchecked_text(r)} [{r.citation}]", width)
    if r.status in ("missing", "partial") and r.waived is None:
        detail = r.message
        if r.missing_parts:
            detail += f" (missing: {', '.join(r.missing_parts)})"
        lines += _wrap(f"{r.severity}: {detail} [{r.citation}]", width)
        if verbose:
            lines += _wrap("fix: " + r.guidance, width)
        if verbose and not quiet and r.peer_examples:
            lines += _peer_lines(r, width)
    if r.status == "not_yet_required":
        lines += _wrap(r.message, width)
    if verbose and r.basis:  # what was checked: a met rule's with nothing to quote, the deadline's count
        lines += _wrap(r.basis, width)
    if r.review:  # met, but on a reading a person should check
        lines += _wrap(f"review: {r.review}", width)
    if verbose:
        for t in tags:
            lines += _wrap(f"filer tag: {tag_text(t)}", width)
    if verbose and r.evidence:
        for e in distinct_evidence(r.evidence)[:_QUOTES]:
            # up to two lines of quote after the place ("p. 32, Governance, para. 1: ...")
            room = max(40, 2 * (width - len(_INDENT) - 2) - len(e.where))
            quote = textwrap.shorten(e.text, room, placeholder=" …")
            lines += _wrap(f'{e.where}: "{quote}"', width, _INDENT, _INDENT + "  ")
            if e.learned_note:  # a reviewer tells the model's evidence from a rule's
                lines += _wrap(f"({e.learned_note})", width, _INDENT + "  ", _INDENT + "  ")
    return lines


def _one(report: Report, colour: bool, verbose: bool, quiet: bool, width: int) -> list[str]:
    doc = report.document
    # quiet: what needs a person, the open gaps (and rule errors) and the met verdicts marked for review
    results = [r for r in report.results
               if not quiet or (r.is_gap and r.waived is None) or r.error or r.review]
    if quiet and not results:
        return []
    # (a form and item the document does not state are said so, not printed as "? Item ?")
    what = f"{doc.form} Item {doc.item}" if doc.form and doc.item else \
        f"{doc.form}, item not stated" if doc.form else "form not stated"
    lines = _wrap(f"{doc.source}: {what} — pack {report.pack_id} "
                  f"{report.pack_version}" + (f" ({report.pack_reason})" if report.pack_reason else ""),
                  width, "", "  ")
    if doc.section is not None and doc.section.note and not quiet:
        lines += _wrap(f"note: {doc.section.note}", width, "  ", "        ")
    if report.applies and not quiet:
        lines += _wrap(f"applies: {report.applies}", width, "  ", "        ")
    if report.not_read and not quiet:
        lines += _wrap(f"not read: {'; '.join(report.not_read)}", width, "  ", "        ")
    if (pages := pdf_pages_text(doc)) and not quiet:
        lines += _wrap(f"pages: {pages}", width, "  ", "        ")
    for r in results:
        lines += _rule_lines(r, report.tags_of(r), colour, verbose, width, quiet)
    if not quiet:
        s = report.summary()
        marked = len(report.marked_for_review)
        unchecked = sum(1 for r in report.results if r.error)  # counted as missing by the gate and summary()
        lines += _wrap(f"{s['met']} met, {s['partial']} partial, {s['missing'] - unchecked} missing, "
                       + (f"{unchecked} not checked, " if unchecked else "")
                       + f"{s['not_applicable']} n/a — {coverage_text(s)}"
                       + (f"; {marked} met to review" if marked else ""), width, "  ", "  ")
        if report.left_out:
            lines += _wrap(left_out_text(report.left_out), width, "  ", "    ")
    return lines


def render(reports: Sequence[Report], colour: bool = False, verbose: bool = True, quiet: bool = False,
           width: int = DEFAULT_WIDTH, **_options) -> str:
    """`quiet`: open gaps, rule errors and the met verdicts marked for review only, no summary lines nor
    disclaimer; `width`: wrap to this many columns."""
    blocks = ["\n".join(lines) for r in reports if (lines := _one(r, colour, verbose, quiet, width))]
    if blocks and not quiet:  # once, under the last report: what the verdicts above are and are not
        blocks.append("\n".join(_wrap(DISCLAIMER, width, "", "")))
    # a file name or quote may hold an escape sequence (an OSC 8 link): only our own colours survive
    return safe("\n\n".join(blocks) + "\n", keep_colour=colour) if blocks else ""
