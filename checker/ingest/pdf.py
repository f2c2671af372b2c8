"""PDF filings and drafts: each page's lines and where they sit (PDFium), rebuilt into paragraphs, by page."""

from __future__ import annotations

import ctypes
import re
import threading
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..model import CheckerError, Document, SourceMap
from . import cover, own_reports
from .decode import clean
from .limits import MAX_PDF_PAGES, MAX_UNPACKED, max_input_bytes
from .pages import PAGE_HEADER_BLOCKS, Block, assemble

# A wrapped line of a paragraph reaches (nearly) the right margin; one that stops short ends its paragraph, or
# is a title, where the next line starts as a paragraph does (a capital, a digit, a bullet, a quotation mark).
FULL_LINE = 0.72  # of the page's usual line width
GAP = 1.3  # a step down the page this many times the page's usual line pitch: the space between paragraphs
PITCH_QUANTILE = 4  # else the line pitch is the step a quarter of the way up the sorted steps
INDENT = 1.5  # a line this many line heights right of the paragraph's left edge: a first-line indent
SIZE_CHANGE = 0.15  # a line whose type is this much larger or smaller: a heading, a running header
SIZE_TO_HEIGHT = (0.5, 3.0)  # a font size between these times the loose box's height is the type's size
# Columns: a left edge that many lines share (COLUMN_LINES of the page's, at least 3), this share of the
# page's text width right of the last column's; a centred title or an indent is no column.
COLUMN_LINES = 0.15
COLUMN_GAP = 0.25
DESCENT = 0.2  # of the font size below the baseline, for a font that states no ascent and descent
# A proof's line numbers: a number of up to 4 digits at a line's start, this many of its heights left of the
# line's first word, on at least this share of the page's lines.
_MARGIN_NUMBER = re.compile(r"(\d{1,4})(?:\s+|$)")
MARGIN_GAP = 1.0
# A blackline's deletions: a rule at most RULE_HEIGHT points high through a character's middle, between these
# shares of its loose box's height (its type's ascent and descent) above its baseline (an underline, an
# insertion, runs below the baseline; the line above's underline, above the band)
RULE_HEIGHT = 2.0
STRIKE = (0.15, 0.6)
MARGIN_ALIGN = 1.5  # points between the edges of a column of line numbers
MARGIN_NUMBER_SHARE = 0.4
BODY_WORDS = 5  # a paragraph of fewer words (a folio, a running footer) is not the page's text
_FOOTNOTE_MARK = re.compile(r"(?:\(\d{1,2}\)|\d{1,2}\b|[*†‡§]+)\s*\S")
_STARTS_PARAGRAPH = re.compile(r"[\"'“‘(\[]?[A-Z0-9•●◦▪■‣–—*]")
_BULLET = re.compile(r"(?:[•●◦▪■‣*]|\(?[a-z0-9]{1,3}\)|[0-9]{1,2}\.)\s")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# PDFium writes U+FFFE for the hyphen that ends a line ("notification-" + "related"), then goes on with the
# next line's words in the same line of its text.
# Word's list bullets drawn from a symbol font come out as the font's private-use codes: the Symbol font's
# bullet (U+F0B7), Wingdings' square (U+F0A7), arrowhead (U+F0D8), diamond (U+F076) and check mark (U+F0FC).
_LINE_BREAK = "\ufffe"
_LIGATURES = str.maketrans({_LINE_BREAK: "-", "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                            "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st", "\uf0b7": "\u2022",
                            "\uf0a7": "\u25aa", "\uf0d8": "\u2022", "\uf076": "\u2022", "\uf0fc": "\u2022"})
_AFTER_BREAK = re.compile(f"(?<={_LINE_BREAK})")
_LIGATURES_BUT_BREAKS = {k: v for k, v in _LIGATURES.items() if k != ord(_LINE_BREAK)}
# The words (hyphenated or not) a document spells without PDFium's mark of a line-end hyphen
_WORD_AT_END = re.compile(r"[^\W\d_]+$")
_SPELLED = re.compile(rf"(?<![\w{_LINE_BREAK}-])[^\W\d_]+(?:-[^\W\d_]+)*(?![\w{_LINE_BREAK}-])")
# A text layer that does not read as words: fonts without a map to Unicode give private-use or replacement
# characters, or letters of a shifted code ("Tkh Eroug ryhuvhhv ..."). English prose is about a quarter
# function words (0.21 to 0.31 of the words on the 25 PDFs of bench/README.md); under COMMON_SHARE, refused.
_UNMAPPED = re.compile(r"[\ue000-\uf8ff\ufffd]")
_FUNCTION_WORDS = frozenset("the and of to in our a is for that we with as by on or are be".split())
UNMAPPED_SHARE = 0.05
COMMON_SHARE = 0.05
MIN_WORDS = 100  # fewer words (of letters only: a table's figures are not words) are not judged
_WORD = re.compile(r"[^\W\d_]+")
_DAMAGED = " (a damaged file, or one cut short in a download or an email?): download or save it again"
_LOCKED = ("the PDF is password-protected, so its text cannot be read: save a copy without the password "
           "and check that")
# A zip bomb's PDF form: a stream that inflates a thousandfold. PDFium inflates whatever a page holds, so the
# streams are inflated here first, in chunks and thrown away, and a PDF whose streams (images aside, which the
# text never needs) expand past MAX_UNPACKED is refused before PDFium reads it.
_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_IMAGE = re.compile(rb"/Subtype\s*/Image")
_DICT_BEFORE_STREAM = 4096  # bytes before a stream searched for its dictionary
_CHUNK = 1 << 20
_SHOWN_SCANS = 5  # of the pages that are images only, named in the report's scope
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # two UTF-16 units each: two characters to PDFium
# PDFium is not thread-safe, and `cydcheck serve` checks uploads in threads: one PDF is read at a time in a
# process (the only lock in the checker: batch and `check --jobs` use processes, each with its own PDFium).
_PDFIUM = threading.Lock()


@dataclass(frozen=True)
class Line:
    text: str  # the line's words, spaces collapsed
    left: float  # where it starts and ends across the page, in points
    right: float
    bottom: float  # its loose box (the font's ascent and descent): the same for every line of a size
    height: float
    end_bottom: float  # its last character's bottom
    size: float = 0.0  # its first character's type size in points (0: not known, the height stands for it)
    cut_word: bool = False  # it ends in a word the printer hyphenated: the next line goes on without a space

    @property
    def type_size(self) -> float:
        """The size of its type: the font size, where known. The loose box's height is the font's ascent and
        descent in most PDFs, but where a font does not say them (LibreOffice's PDF of a Word draft) it is
        the glyph's own ("M" 10.0, "a" 7.8), which varies from line to line within one paragraph. A font size
        far from the box's height (type set at size 1 and scaled by the text matrix) is not the size seen."""
        plausible = SIZE_TO_HEIGHT[0] * self.height <= self.size <= SIZE_TO_HEIGHT[1] * self.height
        return self.size if plausible else self.height


def read(raw: bytes, source: str) -> list[Document]:
    scans: list[int] = []
    deleted: dict[int, int] = {}
    pages = page_lines(raw, source, scans=scans, deleted=deleted)
    if _printed_report(pages):
        raise CheckerError(own_reports.refusal("html, printed to PDF"), file=source)
    blocks: list[Block] = []
    for number, lines in enumerate(pages):
        paragraphs = _split(lines)
        edges = _page_edges([paragraph for paragraph, _ in paragraphs])
        notes = _footnotes([paragraph for paragraph, _ in paragraphs])
        blocks.extend(Block([(_join(paragraph), ((0, number + 1),))], page=number, full_last_line=full,
                            page_edge=i in edges, aside=i in notes, word_goes_on=paragraph[-1].cut_word)
                      for i, (paragraph, full) in enumerate(paragraphs))
    if not blocks:
        raise CheckerError("the PDF has no text to read (a scanned image?): check the filing's HTML or the "
                           "Word draft, or run OCR on the PDF first", file=source)
    rendered = assemble(blocks)
    if unreadable(rendered.text):
        raise CheckerError("the PDF's text does not read as words (its fonts carry no text encoding?): check "
                           "the filing's HTML or the Word draft, or run OCR on the PDF first", file=source)
    not_read = ("the filing's inline XBRL tags, which a PDF does not carry",
                *((_scans_text(scans, len(pages)),) if scans else ()),
                *((_struck_text(deleted),) if deleted else ()))
    # a whole filing printed to PDF has no inline XBRL cover facts: its cover page says what they would
    where = SourceMap(rendered.anchors, count_newlines=False, unit="PDF page", pages=rendered.pages,
                      kind="pdf")
    return [cover.attach(Document(text=rendered.text, source=source, source_map=where, not_read=not_read,
                                  pages_without_text=tuple(n + 1 for n in scans)))]


def _scans_text(scans: list[int], count: int) -> str:
    """The pages that are pictures only, as the report's scope names them ("pages 2, 3 of 3, which have")."""
    shown = ", ".join(str(n + 1) for n in scans[:_SHOWN_SCANS])
    shown += ", ..." if len(scans) > _SHOWN_SCANS else ""
    one = len(scans) == 1
    return (f"page{'' if one else 's'} {shown} of {count}, which {'has' if one else 'have'} no text, only an "
            f"image (scanned?): run OCR on the PDF to read {'it' if one else 'them'}")


def _struck_text(deleted: dict[int, int]) -> str:
    """The words struck through, as the scope names them ("12 words struck through on pages 3, 4 ...")."""
    shown = ", ".join(str(n + 1) for n in sorted(deleted)[:_SHOWN_SCANS])
    shown += ", ..." if len(deleted) > _SHOWN_SCANS else ""
    count, pages = sum(deleted.values()), "page" if len(deleted) == 1 else "pages"
    return (f"{count} word{'' if count == 1 else 's'} struck through on {pages} {shown} (a blackline's "
            "deletions), read as deleted")


def _page_edges(paragraphs: list[list[Line]]) -> set[int]:
    """Which of a page's paragraphs may be its running header or footer: its first PAGE_HEADER_BLOCKS and
    its last, both in the order of the page's text and by where they sit on the page (a floating text box
    may come after the footer in the text: LibreOffice writes it there)."""
    if not paragraphs:
        return set()
    last = len(paragraphs) - 1
    from_top = sorted(range(len(paragraphs)), key=lambda i: -max(ln.bottom for ln in paragraphs[i]))
    lowest = min(range(len(paragraphs)), key=lambda i: min(ln.bottom for ln in paragraphs[i]))
    return {*range(min(PAGE_HEADER_BLOCKS, len(paragraphs))), last, *from_top[:PAGE_HEADER_BLOCKS], lowest}


def _footnotes(paragraphs: list[list[Line]]) -> set[int]:
    """Which of a page's paragraphs are its footnotes: below every text of the page's usual type, in
    smaller type, each opening with its mark ("(1)", "*", "†")."""
    sizes = Counter(round(ln.type_size, 1) for paragraph in paragraphs for ln in paragraph for _ in ln.text)
    if not sizes:
        return set()
    usual = sizes.most_common(1)[0][0]
    body = [min(ln.bottom for ln in paragraph) for paragraph in paragraphs  # a folio in it is no body text
            if abs(paragraph[0].type_size - usual) <= SIZE_CHANGE * usual
            and sum(len(ln.text.split()) for ln in paragraph) >= BODY_WORDS]
    return {i for i, paragraph in enumerate(paragraphs)
            if paragraph[0].type_size < (1 - SIZE_CHANGE) * usual and _FOOTNOTE_MARK.match(paragraph[0].text)
            and all(ln.bottom < min(body, default=0.0) for ln in paragraph)}


def unreadable(text: str) -> bool:
    """True when the text layer is not words: many unmapped characters, or almost no function words."""
    unmapped = len(_UNMAPPED.findall(text))
    if unmapped > MIN_WORDS and unmapped > UNMAPPED_SHARE * (len(text) - sum(map(text.count, " \n"))):
        return True
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return False
    return sum(w in _FUNCTION_WORDS for w in words) < COMMON_SHARE * len(words)


def is_printed_report(path: str | Path) -> bool:
    """True when the PDF is a cydcheck report printed from its HTML (the text of its first page is read)."""
    try:
        with open(path, "rb") as fh:
            first = page_lines(fh.read(max_input_bytes() + 1), str(path), pages=1)
    except (OSError, CheckerError):
        return False  # the reader says what is wrong with it
    return _printed_report(first)


def _printed_report(pages: list[list[Line]]) -> bool:
    """Whether the first page's text is a cydcheck report's, printed to PDF."""
    return bool(pages) and own_reports.printed_report(" ".join(ln.text for ln in pages[0]))


def page_lines(raw: bytes, source: str, pages: int | None = None, scans: list[int] | None = None,
               deleted: dict[int, int] | None = None) -> list[list[Line]]:
    """Each page's lines of text in reading order, with where each sits on the page, struck-through words
    left out; the pages (0-based) that hold no text but an image are added to `scans`, and how many words
    were struck through on each page to `deleted`, when given."""
    import pypdfium2  # imported on first use: a text or HTML check never loads PDFium

    _check_expansion(raw, source)
    with _PDFIUM:
        try:
            document = pypdfium2.PdfDocument(raw)
        except pypdfium2.PdfiumError as exc:
            if "password" in str(exc).lower():
                raise CheckerError(_LOCKED, file=source) from None
            raise CheckerError(f"cannot read the PDF: {_reason(exc)}{_DAMAGED}", file=source) from None
        try:
            if pages is None and len(document) > MAX_PDF_PAGES:
                raise CheckerError(f"refusing to read the PDF: it has {len(document):,} pages (the limit is "
                                   f"{MAX_PDF_PAGES:,}): check the filing's HTML or the Word draft, or a PDF "
                                   "of the section's pages", file=source)
            count = len(document) if pages is None else min(pages, len(document))
            struck: list[list[str]] = [[] for _ in range(count)]
            found = [_lines(document[i], struck[i]) for i in range(count)]
            if scans is not None:
                scans.extend(i for i, lines in enumerate(found) if not lines and _has_image(document[i]))
            if deleted is not None:
                deleted.update({i: len(words) for i, words in enumerate(struck) if words})
            return _rejoined(found)
        except pypdfium2.PdfiumError as exc:
            raise CheckerError(f"cannot read the PDF: {_reason(exc)}{_DAMAGED}", file=source) from None
        finally:
            document.close()


def _has_image(page) -> bool:  # type: ignore[no-untyped-def]
    """The page holds an image (a scan's picture of its text)."""
    import pypdfium2.raw as pdfium_c

    try:
        return next(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2), None) is not None
    finally:
        page.close()


def _reason(exc: Exception) -> str:
    """PDFium's words for what failed ("Data format error"), without the wrapper's."""
    found = re.search(r"PDFium: ([^)]*)", str(exc))
    return found.group(1).rstrip(".").lower() if found else str(exc) or type(exc).__name__


def _lines(page, struck: list[str]) -> list[Line]:
    """The page's lines; the words struck through on it (a blackline's deletions) are added to `struck`."""
    import pypdfium2.raw as pdfium_c  # loaded with pypdfium2 by page_lines

    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        at = _char_indices(textpage, text)
        # each printed line's words and PDFium's index of its first: PDFium gives a line that ends in a word
        # hyphenated and the next as one, with its mark of the hyphen between them
        rows: list[tuple[str, int]] = []
        index = 0  # PDFium's character index: it counts the line breaks it writes, and UTF-16 units
        for raw_line in text.split("\r\n"):
            at_part = index
            for part in _AFTER_BREAK.split(raw_line):
                if stripped := part.strip():
                    rows.append((stripped, at_part + _units(part[:len(part) - len(part.lstrip())])))
                at_part += _units(part)
            index += _units(raw_line) + 2
        margin = _margin_numbers(textpage, at, rows)
        rules = _rules(page)
        out: list[Line] = []
        for row, (stripped, start) in enumerate(rows):
            cut = margin.get(row, 0)
            if cut is None:
                continue
            kept = stripped[cut:]
            if rules:
                kept = _unstruck(textpage, at, kept, start + cut, rules, struck)
            if not (words := _text_of(kept)):
                continue
            first, last = at(start + cut), at(start + _units(stripped) - 1)
            _, end_bottom, right, _ = _box(textpage, last)
            left, bottom, _, top = _box(textpage, first)
            size = pdfium_c.FPDFText_GetFontSize(textpage.raw, first)
            out.append(Line(words, left, right, bottom, max(top - bottom, 1.0), end_bottom, size))
        return out
    finally:
        textpage.close()
        page.close()


def _rules(page) -> list[tuple[float, float, float]]:  # type: ignore[no-untyped-def]
    """The page's horizontal rules, stroked or filled (left, right, height up the page): a blackline's
    strike-through lines and underlines among them."""
    import pypdfium2.raw as pdfium_c

    out = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        if top - bottom <= RULE_HEIGHT < right - left:
            out.append((left, right, (bottom + top) / 2))
    return out


def _unstruck(textpage, at: Callable[[int], int], text: str, start: int,  # type: ignore[no-untyped-def]
              rules: list[tuple[float, float, float]], struck: list[str]) -> str:
    """The line's text with each character a rule strikes through (across its middle, not under it as an
    underline) made a space; the words struck are added to `struck`. A rule that runs on past the line's
    ends (a border, a rule under a page's head) strikes nothing."""
    import pypdfium2.raw as pdfium_c

    line_left, bottom, _, top = _box(textpage, at(start))
    line_right = _box(textpage, at(start + _units(text) - 1))[2]
    reach = top - bottom
    near = [rule for rule in rules
            if bottom <= rule[2] <= top and rule[0] >= line_left - reach and rule[1] <= line_right + reach]
    if not near:
        return text
    x, y = ctypes.c_double(), ctypes.c_double()
    out, unit = [], start
    for ch in text:
        index, unit = at(unit), unit + _units(ch)
        if ch.isspace() or not pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, ctypes.byref(x),
                                                               ctypes.byref(y)):
            out.append(ch)
            continue
        left, low, right, high = _box(textpage, index)  # as tall as the type as it is set (scaled)
        middle, size = (left + right) / 2, high - low
        hit = any(a <= middle <= b and y.value + STRIKE[0] * size <= height <= y.value + STRIKE[1] * size
                  for a, b, height in near)
        out.append(" " if hit else ch)
    kept = "".join(out)
    struck.extend("".join(" " if a == b else a for a, b in zip(text, kept, strict=True)).split())
    return kept


def _margin_numbers(textpage, at: Callable[[int], int],  # type: ignore[no-untyped-def]
                    rows: list[tuple[str, int]]) -> dict[int, int | None]:
    """A proof's line numbers in the margin: of each line that starts with one (by its row), how many of its
    characters to pass over (None: the line is its number alone). A page's line numbers stand apart from the
    text, at one edge, and count up; fewer than MARGIN_NUMBER_SHARE of the page's lines are none."""
    found: dict[int, tuple[int, float, float, int | None]] = {}  # row: its number, left and right, cut
    for row, (stripped, start) in enumerate(rows):
        if not (m := _MARGIN_NUMBER.match(stripped)):
            continue
        left, bottom, right, top = _box(textpage, at(start))
        right = _box(textpage, at(start + len(m.group(1)) - 1))[2]
        if m.end() < len(stripped):
            if _box(textpage, at(start + m.end()))[0] - right < MARGIN_GAP * (top - bottom):
                continue
            found[row] = (int(m.group(1)), left, right, m.end())
        else:
            found[row] = (int(m.group(1)), left, right, None)
    if len(found) < max(3, MARGIN_NUMBER_SHARE * len(rows)):
        return {}
    def sharing(edge: tuple[int, float]) -> int:
        """How many of the numbers have that edge (1 left, 2 right) there."""
        return sum(abs(v[edge[0]] - edge[1]) <= MARGIN_ALIGN for v in found.values())

    # aligned at their left or right edge (a number of two digits reaches further left than one of one)
    side, at_edge = max(((side, v[side]) for side in (1, 2) for v in found.values()), key=sharing)
    kept = {row: v for row, v in found.items() if abs(v[side] - at_edge) <= MARGIN_ALIGN}
    numbers = [v[0] for _, v in sorted(kept.items())]
    if len(kept) < max(3, MARGIN_NUMBER_SHARE * len(rows)) or numbers != sorted(numbers):
        return {}
    return {row: v[3] for row, v in kept.items()}


def _char_indices(textpage, text: str) -> Callable[[int], int]:  # type: ignore[no-untyped-def]
    """PDFium's character index of each UTF-16 unit of the page's text, past glyphs it leaves out of it."""
    # A glyph the PDF maps to no character (the full-width "(" Chromium prints of a translated draft) is one
    # of PDFium's characters but none of the text's: past it, a unit's place is not its character's index.
    import pypdfium2.raw as pdfium_c

    count = textpage.count_chars()
    if count == _units(text):
        return lambda unit: unit
    kept = [i for i in range(count) if pdfium_c.FPDFText_GetUnicode(textpage.raw, i)]
    return lambda unit: kept[unit] if 0 <= unit < len(kept) else unit


def _box(textpage, index: int) -> tuple[float, float, float, float]:
    """The character's loose box (left, bottom, right, top): as tall as its font's ascent and descent, the
    same for every character of a size. A font that gives neither (LibreOffice writes Liberation Mono's as 0)
    gets from PDFium the glyph's own box, "r" shorter than "k": then it is the font size's at the baseline."""
    import pypdfium2.raw as pdfium_c

    left, bottom, right, top = textpage.get_charbox(index, loose=True)
    if (bottom, top) != textpage.get_charbox(index)[1::2]:
        return left, bottom, right, top
    size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index)
    x, y = ctypes.c_double(), ctypes.c_double()
    if size <= 0 or not pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, ctypes.byref(x),
                                                          ctypes.byref(y)):
        return left, bottom, right, top
    return left, y.value - DESCENT * size, right, y.value + (1 - DESCENT) * size


def _text_of(line: str) -> str:
    """A line's words as PDFium gives them, read: ligatures and symbol-font bullets as letters, spaces
    collapsed; PDFium's mark of a hyphen that ends a line is kept for _rejoined."""
    return _SPACES.sub(" ", clean(line.translate(_LIGATURES_BUT_BREAKS))).strip()


def _rejoined(pages: list[list[Line]]) -> list[list[Line]]:
    """The pages with each line that ends in a word hyphenated at its end (PDFium marks the hyphen, or a
    page's last line ends in one) marked as going on in the next line: the word whole where the document
    spells it whole elsewhere and never with that hyphen ("man-" | "agement": "management"), else with its
    hyphen ("third-" | "party", "notification-" | "related"). A page's last line of text (above its
    footnotes, folio and running foot) goes on in the first of the next page's top lines (under its running
    head) that opens in lower case; where none does, with its hyphen."""
    spelled = {word.lower() for lines in pages for ln in lines for word in _SPELLED.findall(ln.text)}

    def read(line: Line, after: Line | None) -> Line:
        text = line.text.replace(_LINE_BREAK, "-") if _LINE_BREAK in line.text[:-1] else line.text
        if not text.endswith((_LINE_BREAK, "-")):
            return replace(line, text=text)
        head, tail = _WORD_AT_END.search(text[:-1]), _WORD.match(after.text) if after is not None else None
        if head is None or tail is None or not after.text[:1].islower():
            return replace(line, text=text[:-1] + "-")
        whole, hyphened = (head[0] + tail[0]).lower(), f"{head[0]}-{tail[0]}".lower()
        joined = whole in spelled and hyphened not in spelled
        return replace(line, text=text[:-1] + ("" if joined else "-"), cut_word=True)

    def next_top(number: int) -> Line | None:
        """The line of the next page's top that goes on a word cut at this page's foot."""
        top = pages[number + 1][:PAGE_HEADER_BLOCKS + 1] if number + 1 < len(pages) else []
        return next((ln for ln in top if ln.text[:1].islower()), None)

    def after(lines: list[Line], k: int, number: int) -> Line | None:
        """The line that goes on the k-th: the next, or where no line of text of its size comes after it on
        the page (a footnote, a folio, running heads and feet may), the next page's."""
        if k + 1 < len(lines) and lines[k + 1].text[:1].islower():
            return lines[k + 1]
        size = lines[k].type_size
        last = not any(abs(ln.type_size - size) <= SIZE_CHANGE * size and len(ln.text.split()) >= BODY_WORDS
                       for ln in lines[k + 1:])
        return next_top(number) if last else None

    return [[read(ln, after(lines, k, number)) for k, ln in enumerate(lines)]
            for number, lines in enumerate(pages)]


def _units(text: str) -> int:
    """The text's length in UTF-16 code units, as PDFium counts characters."""
    return len(text) + len(_ASTRAL.findall(text))


def _paragraphs(lines: list[Line]) -> list[str]:
    """The page's paragraphs, each as one line (its lines joined by spaces)."""
    return [_join(paragraph) for paragraph, _ in _split(lines)]


def _split(lines: list[Line]) -> list[tuple[list[Line], bool]]:
    """The page's paragraphs, split where the space between lines opens up, after a line that stops short of
    the right margin before a new start, at a first-line indent and at a bullet; with each, whether its last
    line runs to the margin."""
    if not lines:
        return []
    column = _columns(lines)
    pitches = _pitches(lines)
    out: list[tuple[list[Line], bool]] = []
    current: list[Line] = [lines[0]]
    left = lines[0].left  # the paragraph's left edge so far (kept, not recomputed: linear in the lines)

    def full(line: Line) -> bool:
        margin, usual = column[id(line)]
        return line.right - margin >= FULL_LINE * usual

    for ln in lines[1:]:
        before = current[-1]
        starts = _STARTS_PARAGRAPH.match(ln.text)
        step = before.end_bottom - ln.bottom
        # a gap, or back up the page, unless a sentence goes on at the top of the next column
        pitch = pitches.get(round(before.type_size, 1), before.height)
        apart = step > GAP * max(pitch, before.height) or (step < -before.height and not (
            column[id(ln)] != column[id(before)] and ln.text[:1].islower()
            and not before.text.endswith((".", "!", "?", ":", ";"))))
        short = not full(before)
        indented = ln.left > left + INDENT * ln.height
        resized = abs(ln.type_size - before.type_size) > SIZE_CHANGE * before.type_size
        if apart or resized or _BULLET.match(ln.text) or (starts and (short or indented)):
            out.append((current, full(before)))
            current, left = [], ln.left
        current.append(ln)
        left = min(left, ln.left)
    out.append((current, full(current[-1])))
    return out


def _pitches(lines: list[Line]) -> dict[float, float]:
    """The page's line pitch for each size of type (to 0.1 point): the smallest step down
    from one line to the next of its size that two pairs of lines share (to half a point), else the lower
    quartile of its steps. Not their median: on a page of short paragraphs (a proof's last page of a section,
    more gaps between paragraphs than lines within them) that is a gap's, and would part none."""
    steps: dict[float, list[float]] = {}
    for a, b in zip(lines, lines[1:], strict=False):
        step = a.end_bottom - b.bottom
        if 0 < step < 3 * a.height and abs(a.type_size - b.type_size) <= SIZE_CHANGE * a.type_size:
            steps.setdefault(round(a.type_size, 1), []).append(step)
    out = {}
    for size, found in steps.items():
        found.sort()
        shared = Counter(round(step * 2) / 2 for step in found)
        out[size] = next((step for step in sorted(shared) if shared[step] > 1),
                         found[len(found) // PITCH_QUANTILE])
    return out


def _columns(lines: list[Line]) -> dict[int, tuple[float, float]]:
    """Each line's column (by the line's id): the column's left edge and the width of its full lines (a few
    wide table rows aside)."""
    counts: dict[int, int] = {}
    for ln in lines:
        counts[round(ln.left / 4)] = counts.get(round(ln.left / 4), 0) + 1
    span = max(ln.right for ln in lines) - min(ln.left for ln in lines)
    starts = [min(ln.left for ln in lines)]
    for bucket in sorted(counts):
        many = counts[bucket] >= max(3, COLUMN_LINES * len(lines))
        if many and bucket * 4 - starts[-1] > COLUMN_GAP * span:
            starts.append(bucket * 4 - 2)
    members: dict[float, list[Line]] = {s: [] for s in starts}
    for ln in lines:
        members[max(s for s in starts if s <= ln.left or s == starts[0])].append(ln)
    out: dict[int, tuple[float, float]] = {}
    for start, mine in members.items():
        widths = sorted(ln.right - start for ln in mine)
        usual = widths[int(len(widths) * 0.9)] if widths else 0.0
        for ln in mine:
            out[id(ln)] = (start, usual)
    return out


def _join(lines: list[Line]) -> str:
    """A paragraph's lines as one line: a word hyphenated at a line's end joined without the space."""
    out = lines[0].text
    for before, ln in zip(lines, lines[1:], strict=False):
        if before.cut_word or (out.endswith("-") and ln.text[:1].islower()):
            out += ln.text
        else:
            out += " " + ln.text
    return out


def _check_expansion(raw: bytes, source: str) -> None:
    """Refuse a PDF whose compressed streams (images aside) expand past MAX_UNPACKED: inflated here in chunks
    that are thrown away, so memory stays small and the time is linear in what they expand to."""
    total, pos = 0, 0
    view = memoryview(raw)
    while (m := _STREAM.search(raw, pos)) is not None:
        start = m.end()
        end = raw.find(b"endstream", start)
        if end < 0:
            break
        # the dictionary is looked for back to the last stream's end at most, and the next stream after this
        # one's end ("stream" inside its data is not searched from): each byte is read a few times at most
        before = max(pos, m.start() - _DICT_BEFORE_STREAM)
        pos = end + len(b"endstream")
        if end - start < 2 or not _zlib_header(raw[start], raw[start + 1]):
            continue
        if _IMAGE.search(raw, before, m.start()):
            continue
        inflate = zlib.decompressobj()
        pending: memoryview | bytes = view[start:end]
        try:
            while pending and total <= MAX_UNPACKED:
                total += len(inflate.decompress(pending, _CHUNK))
                pending = inflate.unconsumed_tail
        except zlib.error:
            pass  # a damaged stream: PDFium decides what it can read
        if total > MAX_UNPACKED:
            raise CheckerError(f"refusing to read the PDF: its streams expand to more than {MAX_UNPACKED} "
                               "bytes", file=source)


def _zlib_header(cmf: int, flg: int) -> bool:
    return cmf & 0x0F == 8 and (cmf * 256 + flg) % 31 == 0
