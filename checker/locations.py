"""Where each quoted sentence is, as a reviewer finds it: page, sub-heading, paragraph within the section,
inline XBRL fact, and the line and column where it starts in the file the user gave."""

from __future__ import annotations

import bisect
import heapq
import html
import re
from dataclasses import replace

from .model import Document, Evidence, Fact, Location, Paragraph, Report
from .segment import paragraphs

HEADING_CHARS = 60  # a sub-heading longer than this is shortened in the location
_WORDS_MATCHED = 8  # leading words of a sentence looked for in the raw HTML
_WORD = re.compile(r"[A-Za-z0-9]+")
# Between two words of the visible text the raw HTML may hold tags, entities, spaces and punctuation.
_GAP = r"(?:<[^>]*>|&#?\w+;|[^A-Za-z0-9<&])*?"
_GAP_RUN = re.compile(_GAP.removesuffix("?"))  # the longest gap from a position
_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_IN_WORD = r"(?:<[^>]*>)*"
_FEWEST_WORDS = 4
_STYLES = {"html": "page", "pdf": "page", "docx": "paragraph", "record": "paragraph"}


def attach(report: Report) -> Report:
    """Set the location of every evidence sentence of the report (in place; returns the report)."""
    finder = Finder(report.document)
    start, end = report.document.span
    if end > start:
        report.section_location = finder.locate(start)
        report.section_images = finder.section_images()
    for result in report.results:
        result.evidence = [finder.evidence(e) for e in result.evidence]
    for fact in report.document.facts:
        if fact.fact_id and fact.start is not None:
            report.fact_locations[fact.fact_id] = finder.locate(fact.start)
    return report


class Finder:
    """Locations in one document: its section's paragraphs and, for HTML, the raw file's lines."""

    def __init__(self, document: Document):
        self.doc = document
        start, end = _located_span(document)
        self.paragraphs = paragraphs(document.text, start, end)
        self._starts = [p.start for p in self.paragraphs]
        self._raw_lines: list[int] | None = None
        self._raw_paragraphs: dict[int, int] = {}
        self._located: dict[int, Location] = {}  # offset -> its location: rules often quote one sentence
        self._paragraph_places: list[tuple[str | None, int | None]] | None = None  # _outline's
        self._facts = _FactSpans(document.facts)

    def evidence(self, e: Evidence) -> Evidence:
        location = self.locate(e.start)
        return replace(e, line=location.line, location=location)

    def locate(self, offset: int) -> Location:
        found = self._located.get(offset)
        if found is None:
            found = self._located[offset] = self._locate(offset)
        return found

    def _locate(self, offset: int) -> Location:
        doc = self.doc
        kind = doc.source_map.kind
        line, prefix = doc.line_of(offset), None
        if kind == "text":  # the file's own line up to the sentence: what the reader dropped counted
            where = doc.source_map.file_offset
            prefix = (doc.source_text or doc.text)[where(doc.text.rfind("\n", 0, offset) + 1):where(offset)]
        elif kind == "html" and doc.source_text:
            found = self.raw_offset(offset)
            if found is not None:
                line, column = self.raw_line_column(found)
                prefix = doc.source_text[found - column + 1:found]
        fact = self._facts.at(offset)
        para = self._paragraph(offset)
        return Location(
            line=line, **columns(prefix), page=doc.source_map.page_of(offset),
            heading=self._heading(para), paragraph=self._number(para),
            fact=fact.concept if fact else None, fact_id=fact.fact_id if fact else None,
            style=_STYLES.get(kind, "line"), unit=doc.source_map.unit)

    # ------------------------------------------------------------ paragraphs of the section

    def _paragraph(self, offset: int) -> int | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        return i if i >= 0 and offset <= self.paragraphs[i].end else None

    def _number(self, index: int | None) -> int | None:
        """The paragraph's number under its sub-heading, as a reader counts them ("Governance, para. 2"), or
        within the section where no sub-heading is above it."""
        return None if index is None else self._outline()[index][1]

    def _outline(self) -> list[tuple[str | None, int | None]]:
        """(sub-heading above, number under it) of every paragraph of the section, found in one pass: a
        filing quoting thousands of tags is located in time linear in its paragraphs."""
        if self._paragraph_places is None:
            places: list[tuple[str | None, int | None]] = []
            heading: str | None = None
            n = 0
            for p in self.paragraphs:
                if self._is_subheading(p):
                    heading, n = self._heading_label(p), 0
                    places.append((heading, None))  # a quote from a heading is located by the heading itself
                elif self._is_heading_alone(p):
                    n = 0
                    places.append((heading, None))
                else:
                    n += 1
                    places.append((heading, n))
            self._paragraph_places = places
        return self._paragraph_places

    def _is_subheading(self, p: Paragraph) -> bool:
        """A short title line; an unpunctuated list item ("• We test our systems") is a paragraph. Where the
        source says (a Word heading style, a Word list item), what it says."""
        marked = self.doc.source_map.marked_heading(p.start)
        if marked is not None:
            return marked
        if not p.is_heading:
            return False
        first = self.doc.text[p.start:p.end].lstrip("*#_ \t")[:1]
        return first.isalpha() and first.isupper()

    def _heading(self, index: int | None) -> str | None:
        """The nearest heading above the paragraph, not counting the section's own heading."""
        return None if index is None else self._outline()[index][0]

    def _heading_label(self, p: Paragraph) -> str | None:
        """A sub-heading as a location names it; None for the section's own heading."""
        if p is self.paragraphs[0] and self._is_section_heading(p):
            return None
        label = _short(self.doc.text[p.start:p.end])
        # a heading by its style may close with a full stop ("Governance."): not before the comma
        styled = self.doc.source_map.marked_heading(p.start)
        return label[:-1] if styled and label[-1:] in ".:" else label

    def _is_heading_alone(self, p: Paragraph) -> bool:
        """The section's own heading standing as a paragraph by itself, whatever it looks like (a Word table
        row "ITEM 1C. | CYBERSECURITY"): no paragraph of the section (a run-in heading's paragraph is one)."""
        section = self.doc.section
        return (p is self.paragraphs[0] and self._is_section_heading(p) and section is not None
                and self.doc.text[p.start:p.end].strip(" \t*#_>|•\n") == section.heading)

    def _is_section_heading(self, p: Paragraph) -> bool:
        section = self.doc.section
        return section is not None and p.start == section.start and section.method not in ("whole-input",)

    # ------------------------------------------------------------ the raw HTML file

    def raw_offset(self, offset: int) -> int | None:
        """Where the sentence at `offset` of the text starts in the raw file: its words in order, found from
        where its paragraph starts (paragraphs are found in order from the section's first line)."""
        raw = self.doc.source_text or ""
        index = self._paragraph(offset)
        if index is not None:
            begin, stop = self._paragraph_raw(index), self.paragraphs[index].end
        else:
            begin, stop = self._line_start(self.doc.line_of(offset)), offset + 400
        # Only the words up to the paragraph's end: the next one may come after page furniture.
        return _search(raw, self.doc.text[offset:min(stop, offset + 400)], begin)

    def _paragraph_raw(self, index: int) -> int:
        """Where paragraph `index` starts in the raw file: each paragraph is looked for from where the one
        before it starts, so the paragraphs not yet found up to it are found in order (a loop, not a
        recursion as deep as the section's paragraphs)."""
        known = index
        while known >= 0 and known not in self._raw_paragraphs:
            known -= 1
        begin = (self._raw_paragraphs[known] if known >= 0
                 else self._line_start(self.doc.line_of(self.paragraphs[0].start)))
        raw = self.doc.source_text or ""
        for i in range(known + 1, index + 1):
            p = self.paragraphs[i]
            found = _search(raw, self.doc.text[p.start:p.end][:400], begin)
            begin = self._raw_paragraphs[i] = begin if found is None else found
        return begin

    def _line_start(self, line: int) -> int:
        starts = self._line_starts()
        return starts[min(max(line, 1), len(starts)) - 1]

    def _line_starts(self) -> list[int]:
        if self._raw_lines is None:
            raw = self.doc.source_text or ""
            self._raw_lines = [0] + [m.end() for m in re.finditer("\n", raw)]
        return self._raw_lines

    def section_images(self) -> tuple[str, ...]:
        """The alt text of each image between the section's start and its end in the raw HTML file."""
        doc = self.doc
        raw = doc.source_text
        if doc.source_map.kind != "html" or not raw or not self.paragraphs:
            return ()
        end = doc.span[1]
        # from the first paragraph under the heading: the heading's words stand in the table of contents too
        begin = self._paragraph_raw(min(1, len(self.paragraphs) - 1))
        rest = doc.text[end:end + 400]
        stop = (_search(raw, rest, self._paragraph_raw(len(self.paragraphs) - 1)) if rest.strip()
                else len(raw))
        if stop is None:
            return ()
        running = running_images(raw)
        return tuple(alt for src, alt in images(raw[begin:stop]) if src not in running)

    def raw_line_column(self, raw_offset: int) -> tuple[int, int]:
        starts = self._line_starts()
        i = bisect.bisect_right(starts, raw_offset) - 1
        return i + 1, raw_offset - starts[i] + 1


_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_SRC = re.compile(r"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
RUNNING_IMAGE = 3  # an image shown this often in the file is a running logo of its pages, not the section's


def columns(prefix: str | None) -> dict[str, int | None]:
    """The 1-based columns of what follows `prefix` (its line's text before it) in characters, UTF-16 code
    units and UTF-8 bytes (Location's column, column_utf16, column_bytes); None each where it is unknown."""
    if prefix is None:
        return {"column": None, "column_utf16": None, "column_bytes": None}
    if prefix.isascii():  # most lines: one count for all three, no encoding of a long line
        return dict.fromkeys(("column", "column_utf16", "column_bytes"), len(prefix) + 1)
    return {"column": len(prefix) + 1,
            "column_utf16": len(prefix.encode("utf-16-le", "surrogatepass")) // 2 + 1,
            "column_bytes": len(prefix.encode("utf-8", "surrogatepass")) + 1}


def _located_span(document: Document) -> tuple[int, int]:
    """The text whose paragraphs are counted: the section's, or the whole document's without a section
    (a sentence quoted from an 8-K that reports other items is placed under its own heading)."""
    start, end = document.span
    return (start, end) if end > start else (0, len(document.text))


def _attribute(pattern: re.Pattern[str], tag: str) -> str:
    """An attribute's value in an HTML tag, entities decoded and spaces collapsed ("" when it has none)."""
    m = pattern.search(tag)
    value = next((g for g in m.groups() if g is not None), "") if m else ""
    return " ".join(html.unescape(value).split())


def images(raw: str) -> list[tuple[str, str]]:
    """(src, alt text) of each <img> in a piece of raw HTML."""
    return [(_attribute(_SRC, tag), _attribute(_ALT, tag)) for tag in _IMG.findall(raw)]


def running_images(raw: str) -> set[str]:
    """The images a whole HTML file shows on page after page (a logo in each page's footer), by src."""
    counts: dict[str, int] = {}
    for src, _ in images(raw):
        counts[src] = counts.get(src, 0) + 1
    return {src for src, n in counts.items() if src and n >= RUNNING_IMAGE}


def _search(raw: str, text: str, begin: int) -> int | None:
    """The first place from `begin` where `text`'s leading words stand in the raw HTML as visible text."""
    words = _WORD.findall(text)[:_WORDS_MATCHED]
    if not words:
        return None
    # Fewer words when all of them fail: a sentence that runs on over a page break has the page's
    # footer between its words in the raw file.
    for n in sorted({len(words), min(len(words), _FEWEST_WORDS)}, reverse=True):
        found = _first_words(raw, words[:n], begin)
        if found is None:  # a tag inside a word ("no</ix:nonNumeric></span>t"): slower, letter by letter
            spelled = (_IN_WORD.join(re.escape(c) for c in w) for w in words[:n])
            found = _first(raw, re.compile(r"(?<![A-Za-z0-9])" + _GAP.join(spelled)), begin)
        if found is not None:
            return found
    return None


def _first_words(raw: str, words: list[str], begin: int) -> int | None:
    """What _first gives for the pattern of the words joined by _GAP, without compiling one per sentence
    (the compile was 0.5 ms a paragraph, half of checking a whole 10-K). Every word starts with a letter or
    digit, which no element of a gap consumes, and a gap's elements never overlap (a tag runs to its '>',
    a reference to its ';'): so the one gap that may come before a word is the longest, _GAP_RUN."""
    lead = words[0]
    pos = raw.find(lead, begin)
    while pos >= 0:
        starts_word = pos == 0 or raw[pos - 1] not in _ALNUM
        if starts_word and _words_at(raw, pos, words) and not _inside_tag(raw, pos):
            return pos
        pos = raw.find(lead, pos + 1)
    return None


def _words_at(raw: str, pos: int, words: list[str]) -> bool:
    """Whether the words stand at pos, one after another, with a gap (tags, references, punctuation, spaces)
    between each two."""
    pos += len(words[0])
    for word in words[1:]:
        pos = _GAP_RUN.match(raw, pos).end()  # type: ignore[union-attr]  # it matches, if only empty
        if not raw.startswith(word, pos):
            return False
        pos += len(word)
    return True


def _first(raw: str, pattern: re.Pattern[str], begin: int) -> int | None:
    pos = begin
    while True:
        m = pattern.search(raw, pos)
        if m is None:
            return None
        if not _inside_tag(raw, m.start()):
            return m.start()
        pos = m.start() + 1


def _inside_tag(raw: str, pos: int) -> bool:
    return raw.rfind("<", 0, pos) > raw.rfind(">", 0, pos)


class _FactSpans:
    """The tightest located fact around an offset (a flag inside a text block wins), looked up by bisection:
    the text is cut at every fact's start and end once, and each piece knows its tightest fact."""

    def __init__(self, facts: list[Fact]) -> None:
        located = [(f.start, f.end, i, f) for i, f in enumerate(facts)
                   if f.start is not None and f.end is not None and f.start < f.end]
        self.bounds = sorted({b for start, end, _i, _f in located for b in (start, end)})
        self.tightest: list[Fact | None] = []
        pending = sorted(located, key=lambda x: (x[0], x[2]))
        active: list[tuple[int, int, int, Fact]] = []  # (length, list index, end, fact), tightest first
        j = 0
        for b in self.bounds:
            while j < len(pending) and pending[j][0] <= b:
                start, end, i, f = pending[j]
                heapq.heappush(active, (end - start, i, end, f))
                j += 1
            while active and active[0][2] <= b:  # ended at or before this piece
                heapq.heappop(active)
            self.tightest.append(active[0][3] if active else None)

    def at(self, offset: int) -> Fact | None:
        i = bisect.bisect_right(self.bounds, offset) - 1
        return self.tightest[i] if i >= 0 else None


def _short(heading: str) -> str:
    text = " ".join(heading.split()).strip("*#_ ")
    return text if len(text) <= HEADING_CHARS else text[:HEADING_CHARS - 1].rstrip() + "…"
