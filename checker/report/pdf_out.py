"""PDF output: a copy of the PDF with each finding as a note (a text annotation) beside what it is about."""

from __future__ import annotations

import bisect
import io
import re
from collections.abc import Sequence

from ..ingest.pdf import Line, page_lines
from ..model import CheckerError, Report
from .comments import AUTHOR, Comment, comments_of

NOTE = 18.0  # a note's icon, in points
_SPACES = re.compile(r"\s+")
PREFIX_CHARS = 40  # the start of a quote looked for in its page's lines


def render(reports: Sequence[Report], **options) -> bytes:
    """The PDF (options["original"]: the bytes the reports were read from) with the notes: a summary and each
    gap at the section's heading, each element met beside the sentence that meets it (the Word copy's
    comments, placed by page)."""
    original = options.get("original")
    if not isinstance(original, bytes | bytearray):
        raise CheckerError("a PDF copy with notes needs the PDF the reports were checked from")
    source = reports[0].document.source if reports else "<pdf>"
    headings = {r.section_location.line: r.document.section.heading for r in reports
                if r.section_location is not None and r.document.section is not None}
    return annotate(bytes(original), comments_of(reports, options.get("version", "")), headings, source)


def annotate(raw: bytes, comments: Sequence[Comment], headings: dict[int, str], source: str) -> bytes:
    """A copy of the PDF `raw` with each comment as a closed note by the author "cydcheck"; the pages are
    copied as they were."""
    from pypdf import PdfReader, PdfWriter  # imported on first use: only a PDF copy writes a PDF
    from pypdf.annotations import Text
    from pypdf.generic import NameObject, TextStringObject

    # the pages as the reader saw them, up to the last one a note goes on
    pages = page_lines(raw, source, pages=max((c.paragraph for c in comments), default=1))
    joined: dict[int, tuple[str, list[int]]] = {}  # page -> its lines joined and where each starts (once)
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(raw)))
        taken: dict[tuple[int, float], list[float]] = {}  # (page, x) -> the bottoms of the notes placed there
        for comment in comments:
            page = min(max(comment.paragraph, 1), len(pages)) - 1
            if page not in joined:
                joined[page] = _joined(pages[page])
            anchor = _line_of(pages[page], joined[page], comment.quote or headings.get(page + 1, ""))
            # the summary and the gaps in the left margin by the heading, each element met in the right margin
            # beside its sentence: the two never crowd each other
            x, top = _spot(anchor, writer.pages[page].mediabox, pages[page], right=bool(comment.quote))
            below = taken.setdefault((page, x), [])
            y = top - NOTE
            while any(abs(y - other) < NOTE for other in below):  # down the margin, clear of the others
                y -= NOTE
            below.append(y)
            note = Text(rect=(x, y, x + NOTE, y + NOTE), text="\n".join(comment.lines), open=False)
            note[NameObject("/T")] = TextStringObject(AUTHOR)
            writer.add_annotation(page_number=page, annotation=note)
        out = io.BytesIO()
        writer.write(out)
    except CheckerError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf fails in many ways on a damaged file; each is one line
        raise CheckerError(f"cannot write the notes into a copy of this PDF: {exc or type(exc).__name__}",
                           file=source) from None
    return out.getvalue()


def _joined(lines: Sequence[Line]) -> tuple[str, list[int]]:
    """The page's lines joined by spaces, as the reader joins a paragraph's, and where each line starts."""
    starts, pos = [], 0
    for ln in lines:
        starts.append(pos)
        pos += len(ln.text) + 1
    return " ".join(ln.text for ln in lines) + " ", starts


def _line_of(lines: Sequence[Line], page: tuple[str, list[int]], quote: str) -> Line | None:
    """The line of the page where the quoted sentence (or heading) starts (`page`: the lines joined)."""
    wanted = _SPACES.sub(" ", quote).strip()[:PREFIX_CHARS]
    if not wanted or not lines:
        return None
    text, starts = page
    at = text.find(wanted)
    if at < 0:  # the quote's start runs over a line-end hyphen the reader joined: its first words alone
        at = text.find(wanted[:PREFIX_CHARS // 2])
        if at < 0:
            return None
    return lines[bisect.bisect_right(starts, at) - 1]


def _spot(line: Line | None, mediabox, lines: Sequence[Line], right: bool) -> tuple[float, float]:
    """Where a note goes: in the left or the right margin beside the line's top (the page's top where the
    line was not found)."""
    top = line.bottom + line.height if line is not None else float(mediabox.top) - 4
    if right:
        edge = max((ln.right for ln in lines), default=float(mediabox.right) - NOTE - 8)
        return min(float(mediabox.right) - NOTE - 2, edge + 4), top
    left = (line.left if line is not None
            else min((ln.left for ln in lines), default=float(mediabox.left) + NOTE + 8))
    return max(float(mediabox.left) + 2, left - NOTE - 10), top  # viewers draw the icon wider than its box
