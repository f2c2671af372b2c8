"""What a copy of the input says where: the findings as a Word copy's comments and a PDF copy's notes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import DISCLAIMER, Evidence, Report, Result, left_out_text
from .context import STATUS_LABEL, STATUS_ORDER, offending, peer_quotes, status_label

AUTHOR = "cydcheck"


@dataclass(frozen=True)
class Comment:
    """One comment: the paragraph (1-based, as the reader counts Word's paragraphs; of a PDF, its page), its
    lines, and the sentence there it is about (the whole paragraph where none is given or found)."""

    paragraph: int
    lines: tuple[str, ...]
    quote: str = ""


def comments_of(reports: Sequence[Report], version: str = "") -> list[Comment]:
    """What to say where: a summary, each gap and each finding that is no gap (the 8-K's due date) at the
    section's heading (a gap that rests on a sentence, on it), each met finding (and each partial one) on the
    sentence it quotes (its first in each paragraph it quotes from)."""
    comments: list[Comment] = []
    for report in reports:
        head = _heading_paragraph(report)
        results = sorted(report.results, key=lambda r: STATUS_ORDER.get(r.status, 9))
        counts = {s: sum(1 for r in report.results if r.status == s) for s in STATUS_LABEL}
        summary = ", ".join(f"{n} {STATUS_LABEL[s].lower()}" for s, n in counts.items() if n)
        section = report.document.section
        left = left_out_text(report.left_out)
        said = [f"Why this pack: {report.pack_reason}." if report.pack_reason else "",
                f"Note: {section.note}" if section is not None and section.note else "",
                f"Applies: {report.applies}." if report.applies else "",
                f"{left[0].upper()}{left[1:]}." if left else ""]
        comments.append(Comment(head, (
            f"{AUTHOR} {version}".strip() + f": {report.pack_title} (pack {report.pack_id} "
            f"{report.pack_version}): {summary}.", *[line for line in said if line],
            "Each gap is a comment here (or on the sentence that makes it one); each element met is a "
            "comment on the sentence that addresses it.", DISCLAIMER)))
        for result in results:
            if result.status == "missing":
                e = offending(result)  # a gap that rests on a sentence is commented there
                at = e is not None and e.location is not None
                comments.append(Comment(e.location.line, _gap_lines(result), e.text) if at
                                else Comment(head, _gap_lines(result)))
            elif result.status in ("met", "partial"):
                quoted = _by_paragraph(result.evidence)
                if result.status == "partial":
                    mine = [Comment(p, _gap_lines(result), es[0].text) for p, es in quoted.items()]
                else:  # each comment quotes the sentences of the paragraph it is on
                    mine = [Comment(p, _met_lines(result, es), es[0].text) for p, es in quoted.items()]
                comments += mine or [Comment(head, _met_lines(result, result.evidence)
                                             if result.status == "met" else _gap_lines(result))]
            else:  # not applicable: the 8-K's due date, why the item's rules do not apply
                comments.append(Comment(head, _note_lines(result)))
    return comments


def _heading_paragraph(report: Report) -> int:
    located = report.section_location
    if located is not None and located.line:
        return located.line
    anchors = report.document.source_map.anchors
    return anchors[0][1] if anchors else 1


def _title(result: Result) -> str:
    status = status_label(result).upper() + (" (waived)" if result.waived is not None else "") + (
        " (marked for review)" if result.review else "")
    return f"{status}: {result.title} [{result.citation}] ({result.rule})"


def _gap_lines(result: Result) -> tuple[str, ...]:
    lines = [_title(result), " ".join(result.message.split())]
    if result.missing_parts:
        lines.append("Missing: " + ", ".join(result.missing_parts) + ".")
    if result.guidance:
        lines.append("Fix: " + " ".join(result.guidance.split()))
    for quote in peer_quotes(result)[:1]:  # one peer's wording, when the run attached them
        lines.append(f"How a peer says it: \u201c{quote.text}\u201d ({quote.source})")
    return tuple(lines)


def _by_paragraph(evidence: Sequence[Evidence]) -> dict[int, list[Evidence]]:
    """The located sentences of a finding by paragraph (of a PDF, page), in the paragraphs' order."""
    found: dict[int, list[Evidence]] = {}
    for e in evidence:
        if e.location is not None:
            found.setdefault(e.location.line, []).append(e)
    return dict(sorted(found.items()))


def _note_lines(result: Result) -> tuple[str, ...]:
    """A finding that is no gap (not applicable, not yet required): its title and what it says."""
    return (_title(result), " ".join(result.message.split())) if result.message.strip() else (_title(result),)


def _met_lines(result: Result, quoted: Sequence[Evidence]) -> tuple[str, ...]:
    """A met finding's comment: its title and the first two of the sentences quoted where it stands."""
    lines = [_title(result)]
    lines += [f"\u201c{' '.join(e.text.split())}\u201d" for e in quoted[:2]]
    if result.review:
        lines.append("Review: " + result.review)
    if result.basis:
        lines.append(result.basis)
    return tuple(lines)
