"""Paginated text (a filing printed to HTML pages, a PDF): page furniture dropped, each page's printed number
kept as its label, a paragraph cut by a page break joined again."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# Page furniture: lone page numbers ("12", "F-3", "- 12 -", "Page 12", "ii") and ToC back-links.
_PAGE_NUMBER = re.compile(r"(?i)^(?:page\s+)?[-–—]?\s*(?:[a-z]-?)?\d{1,3}\s*[-–—]?$|^[ivxlc]{1,6}$")
_TOC_LINK = re.compile(r"(?i)^(?:back\s+to\s+)?(?:table\s+of\s+contents|index|toc)$")
_DIGITS = re.compile(r"\d+")
_PAGE_LABEL = re.compile(r"(?i)^\s*(?:page\s+)?[-–—]?\s*|\s*[-–—]?\s*$")  # "- 12 -" / "Page 12" -> "12"
# A page footer/header: a short line that starts or ends with a page number ("2024 Form 10-K | 26").
_FOLIO = re.compile(r"^\d{1,3}\b|\b\d{1,3}$")
# ... or says which page of how many ("Page 3 of 12"): the page is the first number, not the last.
_PAGE_OF = re.compile(r"(?i)\bpage\s+(\d{1,4})\s+of\s+\d{1,4}\b")
# ... or, in a running header/footer seen on several pages, holds it between words as the one number of one to
# three digits standing alone ("Fiscal 2024 Form 10-K 22 thd": a PDF's footer of three cells on one line).
_INNER_FOLIO = re.compile(r"(?<!\S)\d{1,3}(?!\S)")
_NOT_FOLIO = re.compile(r"(?i)^(?:item|part|note|section|article|exhibit|schedule)\b")
FOLIO_MAX_WORDS = 8
FURNITURE_REPEATS = 2  # a short block seen this often beside page breaks is a running header/footer
PAGE_HEADER_BLOCKS = 2  # blocks after a page break that may be its running header ("PART I", "ITEM 1C")
FURNITURE_MAX_WORDS = 14


@dataclass
class Rendered:
    """The visible text of a parsed filing and where each part of it came from."""

    text: str
    anchors: tuple[tuple[int, int], ...]
    pages: tuple[tuple[int, str], ...] = ()  # (text offset where a page starts, its printed number or count)


@dataclass
class Block:
    # each non-empty line: its clean text and (offset in the line, source line) anchors
    lines: list[tuple[str, tuple[tuple[int, int], ...]]]
    page_edge: bool = False  # next to a page break: candidate furniture
    page: int = 0  # how many page breaks come before it
    full_last_line: bool = False  # its last line runs to the right margin (known where the reader sees lines)
    aside: bool = False  # a footnote at its page's foot: a paragraph the page break cuts goes on past it
    word_goes_on: bool = False  # its last word goes on at the next page's top, without a space

    @property
    def plain(self) -> str:
        return " ".join(t for t, _ in self.lines)


def _furniture_key(plain: str) -> str:
    return _DIGITS.sub("#", plain.lower())


def _words(plain: str) -> int:
    """The words of a line: a dash or an ampersand standing alone ("Draft v4 – Privileged & Confidential") is
    none."""
    return sum(1 for token in plain.split() if any(c.isalnum() for c in token))


def _may_be_furniture(b: Block) -> bool:
    """A short line by a page break that is not a sentence (running headers do not end in a period)."""
    plain = b.plain
    return (b.page_edge and _words(plain) <= FURNITURE_MAX_WORDS
            and not plain.endswith((".", ":", ";", "?", "!")))


def _drop_furniture(blocks: list[Block]) -> tuple[list[Block], dict[int, str]]:
    """Remove page numbers, 'Table of Contents' back-links and running headers/footers; keep each page's
    printed number (from its folio) as the page's label."""
    repeats = Counter(_furniture_key(b.plain) for b in blocks if _may_be_furniture(b))
    # a line seen unchanged on several pages holds no page number ("Acme Corp - 10-K - Proof 3" heads each)
    unchanged = Counter(b.plain for b in blocks if _may_be_furniture(b))
    kept = []
    folios: dict[int, str] = {}
    within: dict[int, str] = {}  # the numbers of a header or footer of words: a lone page number comes first
    for b in blocks:
        plain = b.plain
        number = _PAGE_NUMBER.match(plain)
        folio = (_PAGE_OF.search(plain) or _FOLIO.search(plain)
                 if _may_be_furniture(b) and _words(plain) <= FOLIO_MAX_WORDS
                 and not _NOT_FOLIO.match(plain) else None)
        running = _may_be_furniture(b) and repeats[_furniture_key(plain)] >= FURNITURE_REPEATS
        if number:
            folios.setdefault(b.page, _PAGE_LABEL.sub("", plain))
        elif unchanged[plain] >= FURNITURE_REPEATS:
            pass
        elif folio:
            within.setdefault(b.page, _PAGE_LABEL.sub("", folio.group(folio.lastindex or 0)))
        elif running and (inner := _running_folio(plain)) is not None:
            within.setdefault(b.page, inner)
        if number or _TOC_LINK.match(plain) or folio or running:
            continue
        kept.append(b)
    return kept, within | folios


def _running_folio(plain: str) -> str | None:
    """The page number a running header/footer holds between its words: its one lone number of 1-3 digits.
    Being seen on several pages, it may be as long as any furniture ("Nordhafen AG Annual Report and Form 20-F
    2024 87", an A4 annual report's footer)."""
    if _words(plain) > FURNITURE_MAX_WORDS or _NOT_FOLIO.match(plain):
        return None
    found = _INNER_FOLIO.findall(plain)
    return found[0] if len(found) == 1 else None


def assemble(blocks: list[Block]) -> Rendered:
    """The text of a paginated document's blocks: furniture dropped, paragraphs separated by blank lines, a
    paragraph cut by a page break joined again, each page labelled by its printed number."""
    out: list[str] = []
    anchors: list[tuple[int, int]] = []
    pages: list[tuple[int, str]] = []
    pos = 0
    kept, folios = _drop_furniture(blocks)
    kept = _past_asides(kept)
    for k, b in enumerate(kept):
        if out:
            sep = _separator(kept[k - 1], b)
            out.append(sep)
            pos += len(sep)
        if not pages or pages[-1][1] != _page_label(b.page, folios):
            pages.append((pos, _page_label(b.page, folios)))
        for i, (text, line_anchors) in enumerate(b.lines):
            if i:
                out.append("\n")
                pos += 1
            for offset, source_line in line_anchors:
                if not anchors or anchors[-1][1] != source_line:
                    anchors.append((pos + offset, source_line))
            out.append(text)
            pos += len(text)
    if not anchors or anchors[0][0] != 0:
        anchors.insert(0, (0, anchors[0][1] if anchors else 1))
    # A filing without page breaks has no pages to name.
    return Rendered("".join(out), tuple(anchors), tuple(pages) if len(folios) or max(
        (b.page for b in kept), default=0) else ())


def _past_asides(blocks: list[Block]) -> list[Block]:
    """The blocks with a page's footnotes moved after the next page's first block where a paragraph cut by
    the page break goes on there, so that its two halves meet."""
    out = list(blocks)
    k = 0
    while k < len(out):
        end = k
        while end < len(out) and out[end].aside and out[end].page == out[k].page:
            end += 1
        if end > k > 0 and end < len(out) and _runs_on(out[k - 1], out[end]):
            out[k:end + 1] = [out[end], *out[k:end]]
            k = end + 1
        else:
            k = max(end, k + 1)
    return out


def _separator(before: Block, after: Block) -> str:
    """What goes between two blocks: a blank line, a space where a paragraph runs on over a page break,
    nothing where a word hyphenated at the page's foot goes on at the next page's top ("cross-" |
    "functional")."""
    if not _runs_on(before, after):
        return "\n\n"
    glued = before.word_goes_on or before.lines[-1][0].endswith("-")
    return "" if glued and after.lines[0][0][:1].islower() else " "


def _runs_on(before: Block, after: Block) -> bool:
    """A paragraph cut by a page break: it stops mid-sentence and the next page goes on in lower case, or with
    any word after a last line that runs to the margin and ends in a word ("... see" | "Item 1A, 'Risk
    Factors.'"; not a cover's check box, "... Exchange Act. ☐" | "Item 1.05 ...")."""
    last, first = before.lines[-1][0], after.lines[0][0]
    return (before.page != after.page and not last.endswith((".", "!", "?", ":", ";", ".\u201d", ".\""))
            and (first[:1].islower() or (before.full_last_line and last[-1:].isalpha())))


def _page_label(page: int, folios: dict[int, str]) -> str:
    """The page's printed number where its folio was read, else "[n]": the n-th page of the file."""
    return folios.get(page) or f"[{page + 1}]"
