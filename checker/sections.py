"""Locate the disclosure section (Item 1C, Item 16K, Item 1.05) in a document's text."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, replace

import regex

from .model import Document, Result, Section
from .segment import sentence_spans
from .vocab import fold_width

# The item a form requires, and the items whose heading we look for.
FORM_ITEMS = {"10-K": "1C", "10-K/A": "1C", "10-KT": "1C", "20-F": "16K", "20-F/A": "16K",
              "8-K": "1.05", "8-K/A": "1.05"}
ITEMS = ("1C", "16K", "1.05")
_FORM_OF = {it: form for form, it in reversed(FORM_ITEMS.items())}  # the form each item is of: "1C": "10-K"
# Leading decoration a heading line may carry: markdown, bullets, table bars, "PART I –" on the item's own
# line (a "PART I" line above the item heading is not part of it).
_LEAD = r"[ \t*#_>|•]*(?:part[ \t]+[ivx]+[ \t]*[-–—.,:]?[ \t]*)?"
_LABELS = {
    # a roman I typed for the 1 ("Item IC. Cybersecurity") only before the item's title
    "1C": r"item\s*(?:1\s*\.?\s*c\b|ic\b(?=[ \t.:;,–—-]*cybersecurity))",
    "16K": r"item\s*16\s*\.?\s*k\b",
    "1.05": r"item\s*1\s*\.\s*05\b",
}
_TITLES = {
    "1C": r"cybersecurity",
    "16K": r"cybersecurity",
    "1.05": r"material\s+cybersecurity\s+incidents?",
}
_TITLE_NAMES = {"1C": "Cybersecurity", "16K": "Cybersecurity", "1.05": "Material Cybersecurity Incidents"}
# The item's number without "Item", as a 20-F's own numbering heads it in some filings and Word drafts
# ("16K. Cybersecurity"): taken only before the item's title, on a line of its own (_by_title).
_NUMBERED = {"1C": r"1\s*\.?\s*c", "16K": r"16\s*\.?\s*k"}
_HEADING = {it: regex.compile(rf"(?im)^{_LEAD}({lab})[ \t.:;,–—-]*(?:{_TITLES[it]})?[ \t.:]*", regex.V0)
            for it, lab in _LABELS.items()}
# Any item heading, for cutting the section at the next one: "Item 2.", "ITEM 1A", "Item 9.01", "Item 16.K".
_ANY_ITEM = regex.compile(r"(?im)^" + _LEAD + r"item\s*(\d{1,2})(?:\s*\.\s*(\d{2})\b|\s*\.?\s*([a-z])\b)?")
# Both patterns reach "item" from a line start through _LEAD only, and every character _LEAD matches is
# white space or one of these (with the two dotted/dotless i's that match "i" when case is ignored).
_ITEM_WORD = regex.compile(r"(?i)item")
_LEAD_CHARS = frozenset(" \t*#_>|•-–—.,:partivxPARTIVX\u0130\u0131")
_LEAD_ALONE = regex.compile(rf"(?i){_LEAD}", regex.V0)
# Other lines that end a section: the next part, the signatures, the exhibit index.
_STOPPERS = regex.compile(
    r"(?im)^[ \t*#_>|]*(?:part\s+(?:i|ii|iii|iv)\b[^\n]{0,80}|signatures?|exhibit\s+index"
    r"|index\s+to\s+exhibits)[ \t.:]*$"
)
# What ends an Item 1.05 section besides the next item: the forward-looking-statements boilerplate that 8-Ks
# put after it, by its heading ("Cautionary Statement Regarding Forward-Looking Statements", "Safe Harbor
# Statement") or by its opening words at the start of a paragraph ("This Current Report on Form 8-K contains
# forward-looking statements ...").
FORWARD_LOOKING = regex.compile(
    r"(?im)^[ \t*#_>|]*(?:(?:cautionary\s+(?:note|statement|language)s?(?:\s+(?:regarding|concerning|about"
    r"|on|relating\s+to|with\s+respect\s+to)\s+(?:forward[-\s]looking\s+(?:statements?|information)))?"
    r"|(?:note\s+(?:regarding|concerning|about|on)\s+)?forward[-\s]looking\s+(?:statements?|information)"
    r"|(?:private\s+securities\s+litigation\s+reform\s+act\s+)?safe\s+harbor(?:\s+statements?)?)"
    r"[ \t.:]*$"
    r"|(?<=\n\n|^)[ \t]*(?:this|the|certain|some)\b[^\n.]{0,160}?\b(?:contains?|includes?|may\s+contain"
    r"|are|is|constitutes?)\s+[^\n.]{0,40}?forward[-\s]looking\s+statements)"
)
# A table-of-contents entry ends with its page reference: "25", "Page 34", "34-35".
_PAGE_REF = regex.compile(r"(?i)(?:page\s*)?\d{1,3}(?:\s*[-–]\s*\d{1,3})?\s*$")
# Titles of the 10-K items that follow Item 1C, and of the chapters that answer a 20-F's items after Item 16K
# (16G corporate governance, 17/18 financial statements, 19 exhibits) or guide to them (the cross-reference
# guide), for filings without item headings.
_NEXT_TITLES = regex.compile(
    r"(?i)^\W*(?:properties|legal\s+proceedings|mine\s+safety\s+disclosures?|unresolved\s+staff\s+comments"
    r"|risk\s+factors|information\s+about\s+our\s+executive\s+officers|executive\s+officers"
    r"|market\s+for\s+(?:the\s+)?registrant.{0,120}|selected\s+financial\s+data"
    r"|management.s\s+discussion\s+and\s+analysis.{0,120}"
    r"|corporate\s+governance(?:\s+report)?|(?:consolidated\s+)?financial\s+statements|exhibits"
    r"|(?:form\s+)?20-f\s+cross[-\s]reference\s+(?:guide|index|table))\W*$"
)
_NOT_APPLICABLE = regex.compile(r"(?i)^\W*(?:not\s+applicable|none|n/?a|omitted|\[?reserved\]?)\W*$")
_BY_REFERENCE = regex.compile(
    r"(?i)incorporat\w*\s+(?:\w+\s+){0,5}?by\s+reference|by\s+reference\s+(?:to|from)\b"
)
# The heading line a record or draft starts with (only at its very start: "^" without MULTILINE).
_OWN_HEADING = regex.compile(r"^\s*(?:#+\s*)?\**item\s*[\w.]+[^\n]*\n", regex.IGNORECASE)
# A cross-reference guide's page pointer, ending the row: "page 5", "pages 112 to 114", "112–114", "45, 48".
_POINTER = regex.compile(r"(?i)(?:\bpages?\s*)?\b\d{1,4}(?:\s*(?:[-–—,&]|to|and|through)\s*\d{1,4})*\W*\Z")
POINTER_MAX_WORDS = 25  # a section this short that ends in a page number is a pointer, not the disclosure
# A sentence that sends the reader to another part of the report: "See 'Item 4.B—Cybersecurity'", "The
# information required by this item is set forth under ... on page 52".
_SENDS_TO = regex.compile(r"(?i)(?:^\W*see\b|\b(?:set\s+(?:forth|out)|included|contained|presented|provided"
                          r"|found|described|discussed)\s+(?:under|in)\b|\brefer\s+to\b)"
                          r"[^.]{0,40}?(?:[\"“‘']|\bitem\s*\d|\bpages?\s*\d|\bsection\b)")
REFERENCE_MAX_WORDS = 45  # a section this short that only sends the reader elsewhere is a pointer
HEADING_MAX_WORDS = 20  # a longer line starting "Item 2" is prose, not the next heading
BY_REFERENCE_MAX_WORDS = 150  # a longer section that cites another document still has its own content
MIN_FILING_ITEMS = 3  # distinct item headings that show the input is a whole filing
TITLE_WORDS = 12  # what may stand above a draft's first 8-K item heading: a title, not a body
MISSING_RULE = "SECTION-MISSING"
NOT_APPLICABLE_RULE = "SECTION-NOT-APPLICABLE"
BY_REFERENCE_RULE = "SECTION-BY-REFERENCE"


@dataclass(frozen=True)
class _Candidate:
    start: int  # start of the heading line
    body: int  # start of the text after the heading
    end: int
    heading: str
    words: int


_SHOWN_PAGES = 5  # of the pages without text, named


def locate(document: Document, item: str | None = None) -> Section:
    """The span to check: the item's section in a whole filing, or the whole input for a draft."""
    if document.section is not None:
        return document.section
    text = fold_width(document.text)  # "Ｉｔｅｍ　１６Ｋ．" typed full-width is Item 16K
    section = _locate(document, text, item)
    at = text.find(section.heading, section.start) if section.heading and text is not document.text else -1
    # the heading as the draft writes it
    return replace(section, heading=document.text[at:at + len(section.heading)]) if at >= 0 else section


def _locate(document: Document, text: str, item: str | None) -> Section:
    """locate() in the text as the patterns read it (`text`, the document's own, its widths folded)."""
    items = [item.upper()] if item and item.upper() in _LABELS else _items_for(document)
    for it in items:
        found = _by_heading(text, it)
        if found and _points_elsewhere(text, found):
            titled = _by_title(text, it)
            if titled is not None:
                note = (f"the Item {it} heading found ('{found.heading}') only points to another part of the "
                        f"filing; the section was found by its title '{titled.heading}'")
                found = replace(titled, note=note)
            else:
                found = replace(found, note=f"the Item {it} section only points to another part of the "
                                            f"filing ('{_body(text, found)}'), where no section titled "
                                            f"'{_TITLE_NAMES[it]}' was found: check that part on its own")
        if found:
            return _with_note(text, found)
    for it in items:
        found = _by_title(text, it)
        if found:
            return _with_note(text, found)
    if _is_whole_filing(document):
        it = items[0] if items else "1C"
        form = document.form or "filing"
        if it == "1.05" and mentions_item(text, it) \
                and (heads_item(text, it) or not set(items_headed(text)) - {it}):
            # An 8-K is short, and one that names Item 1.05 under a heading the finder does not take ("Items
            # 1.05 and 7.01", "Item No. 1.05") is checked whole rather than reported without the item; one
            # whose headings are other items' and that names Item 1.05 only in a sentence ("if the incident
            # is determined material, the Company will file under Item 1.05") reports those items.
            return Section(0, len(text), item=it, method="whole-input",
                           note=f"no Item {it} heading found; the whole {form}, which names the item, is "
                                "checked")
        return Section(0, 0, item=it, method="missing",
                       note=f"no Item {it} section found in this {form}{_unread_pages(document)}")
    return Section(0, len(text), method="whole-input", note=_headed_otherwise(text, item))


def _unread_pages(document: Document) -> str:
    """Where a section not found may be: the input's pages without text ("; pages 3, 4 of the file have no
    text ..."); else ""."""
    pages = document.pages_without_text
    if not pages:
        return ""
    one = len(pages) == 1
    shown = ", ".join(map(str, pages[:_SHOWN_PAGES])) + (", ..." if len(pages) > _SHOWN_PAGES else "")
    return (f"; page{'' if one else 's'} {shown} of the file {'has' if one else 'have'} no text, only an "
            f"image (scanned?): the section may be there: run OCR to read {'it' if one else 'them'}")


def _headed_otherwise(text: str, item: str | None) -> str:
    """A draft of the item checked whole that is headed as another form's cybersecurity item (a 20-F draft
    made from a 10-K's, still "Item 1C"): a note naming both; else none."""
    wanted = (item or "").upper()
    other = next((it for it in items_headed(text) if it in _FORM_OF and it != wanted), None)
    if wanted not in _FORM_OF or other is None:
        return ""
    return (f"the text is headed Item {other} (the Form {_FORM_OF[other]} item), not Item {wanted}, the Form "
            f"{_FORM_OF[wanted]} item: it is checked whole as Item {wanted}")


def _items_for(document: Document) -> list[str]:
    wanted = FORM_ITEMS.get((document.form or "").upper()) or (document.item or "").upper()
    return [wanted] + [i for i in ITEMS if i != wanted] if wanted in _LABELS else list(ITEMS)


@dataclass(frozen=True)
class _Ends:
    """Where a section of one item can end in one text, each kind found in one pass: the end after
    a position is then a binary search, so a text with many headings of the item is read once, not
    once per heading (a 1 MB draft repeating its section took 222 s)."""

    items: list[int]  # starts of the heading lines of other items
    stoppers: list[int]  # starts of the other lines that end a section (parts, signatures, exhibits)
    forward: list[int]  # starts of forward-looking boilerplate (ends an Item 1.05 section)

    @staticmethod
    def of(text: str, item: str) -> _Ends:
        items = [m.start() for m in _item_headings(_ANY_ITEM, text)
                 if _label(m) != item and _is_heading_line(text, m)]
        forward = [m.start() for m in FORWARD_LOOKING.finditer(text)] if item == "1.05" else []
        return _Ends(items, [m.start() for m in _STOPPERS.finditer(text)], forward)

    def after(self, pos: int, length: int) -> int:
        """Where the next item (or part, or the signatures) begins at or after pos."""
        return min(_first_at(starts, pos, length) for starts in (self.items, self.stoppers, self.forward))


def _first_at(starts: list[int], pos: int, default: int) -> int:
    i = bisect.bisect_left(starts, pos)
    return starts[i] if i < len(starts) else default


@dataclass
class _WordCounter:
    """Words (as str.split counts them) from a position to an end, for many positions sharing an
    end: each count is worked out from the previous one with that end, so the text is split once
    per end instead of once per heading."""

    text: str
    last: dict[int, tuple[int, int]]  # end -> (position, words from it to the end)

    def words(self, pos: int, end: int) -> int:
        before = self.last.get(end)
        if before is None or before[0] > pos:
            count = len(self.text[pos:end].split())
        else:
            start, words = before
            # A word that runs across pos is counted on both sides of it.
            crossing = start < pos < end and not self.text[pos - 1].isspace() and not self.text[pos].isspace()
            count = words - len(self.text[start:pos].split()) + crossing
        self.last[end] = (pos, count)
        return count


def _by_heading(text: str, item: str) -> Section | None:
    """The item heading with the most text under it: TOC entries and cross-reference rows have none."""
    best: _Candidate | None = None
    ends = None  # found when the first heading is: most texts have none
    counter = _WordCounter(text, {})
    for m in _item_headings(_HEADING[item], text):
        line_end = _line_end(text, m.start())
        rest = text[m.end():line_end]
        if len(rest.split()) > HEADING_MAX_WORDS and not _is_heading_prefix(m.group(0)):
            continue
        if rest.strip() and _PAGE_REF.fullmatch(rest.strip()):
            continue  # "Item 1C. Cybersecurity 25": a table-of-contents entry
        # A short line is all heading; a long one is a run-in heading followed by the first sentence.
        body = line_end if len(rest.split()) <= 8 and not rest.rstrip().endswith(".") else m.end()
        ends = ends or _Ends.of(text, item)
        end = ends.after(body, len(text))
        words = counter.words(body, end)
        if words == 0:
            continue
        heading = text[m.start():body].strip(" \t*#_>|•\n")
        if best is None or words > best.words:
            best = _Candidate(m.start(), body, end, heading, words)
    if best is None:
        return None
    return Section(best.start, _trim_end(text, best.start, best.end), heading=best.heading, item=item,
                   method="heading")


def _points_elsewhere(text: str, section: Section) -> bool:
    """A heading whose few words only point to pages: a row of an annual report's Form 20-F (or 10-K)
    cross-reference guide ("Item 16K | Cybersecurity | Cybersecurity, pages 112 to 114"), or a short section
    that sends the reader to another part of the report ("See 'Item 4.B—Cybersecurity'"), not the section."""
    body = text[section.start:section.end]
    words = len(body.split())
    if words <= POINTER_MAX_WORDS and _POINTER.search(body) is not None:
        return True
    rest = _body(text, section)
    return words <= REFERENCE_MAX_WORDS and _SENDS_TO.search(rest) is not None


def _is_heading_prefix(heading: str) -> bool:
    """A run-in heading names its title: 'Item 1C. Cybersecurity. We maintain ...'."""
    return "cyber" in heading.lower()


def _by_title(text: str, item: str) -> Section | None:
    """No item heading (cross-reference index filings): the section titled 'Cybersecurity'."""
    number = _NUMBERED.get(item)
    numbered = rf"(?:{number}[ \t.:;,–—-]+)?" if number else ""
    title = regex.compile(rf"(?im)^[ \t*#_>|•]*({numbered}({_TITLES[item]}))[ \t.:]*$")
    candidates = []
    for m in _title_lines(title, text, item):
        upper = m.group(2).isupper()
        body = _line_end(text, m.start())
        end = _next_title(text, body, item, upper)
        words = len(text[body:end].split())
        if words >= 3:
            numbered_title = m.group(1) != m.group(2)
            candidates.append((upper or numbered_title, m.start(), body, end, m.group(1), numbered_title))
    if not candidates:
        return None
    # An all-capitals or numbered title is a section title; a title-case one may be a risk-factor subheading.
    _, start, _, end, heading, numbered_title = max(candidates, key=lambda c: (c[0], c[1]))
    note = (f"the section was found by its numbered title '{heading}' (no 'Item {item}' heading)"
            if numbered_title else
            f"no Item {item} heading in the filing; the section was found by its title '{heading}'")
    return Section(start, _trim_end(text, start, end), heading=heading, item=item, method="title", note=note)


def _item_headings(pattern: regex.Pattern, text: str, pos: int = 0) -> Iterator[regex.Match]:
    """What pattern.finditer(text, pos) finds, for _ANY_ITEM or a _HEADING pattern, tried only at the line
    starts that can begin one: the `regex` module tries a "^" pattern at every character.

    The word "item" of a match is the first one after its line start (_LEAD holds no "e" or "m"), and
    everything before it from the line start is _LEAD: so from each "item" found, the line starts back
    over _LEAD_CHARS and white space are the only candidates, and only those from which the text up to
    the word is _LEAD are tried. (That test reads no further than the word: the whole pattern, tried at
    each of a run of blank lines, would look ahead for its "item" from each one.)
    """
    after = pos  # where the next match may start: finditer's matches do not overlap
    for word in _ITEM_WORD.finditer(text, pos):
        first = word.start()
        while first > after and (text[first - 1] in _LEAD_CHARS or text[first - 1].isspace()):
            first -= 1
        for line in _line_starts(text, first, word.start()):
            if line < after or not _LEAD_ALONE.fullmatch(text, line, word.start()):
                continue
            m = pattern.match(text, line)
            if m is not None:
                yield m
                after = m.end()
                break


# An item named anywhere: "Item 1C", "Items 1.05 and 7.01", "item 16.K" (where a heading the finder did not
# take may name it): the number, with "item" or "items" at most MENTION_REACH characters before it on its line
# (found number first: "item" is the commoner word).
_NUMBER = {it: regex.compile(r"(?i)\b" + lab.removeprefix(r"item\s*")) for it, lab in _LABELS.items()}
_ITEM_WORDS = regex.compile(r"(?i)\bitems?\b")
_ROMAN_1C = regex.compile(r"(?i)\bitem\s+IC\b")  # "Item IC": a roman I typed for the 1
MENTION_REACH = 70


@dataclass(frozen=True)
class Part:
    """The part of the annual report an item is in: its number and its items."""

    number: str
    items: tuple[str, ...]


# An amendment that restates the part should hold the item too.
PARTS = {"1C": Part("I", ("1", "1A", "1B", "1C", "2", "3", "4")),
         "16K": Part("II", ("13", "14", "15", "16", "16A", "16B", "16C", "16D", "16E", "16F", "16G", "16H",
                             "16I", "16J", "16K"))}

# What shows a text restates an item's part of the annual report without heading the item: the part's own
# heading ("PART I"; a 20-F's Item 16K is in Part II), a title line of the section ("Cybersecurity Risk
# Management and Strategy"), or the rule the item carries out ("Item 106 of Regulation S-K").
_PART_HEADING = {it: regex.compile(rf"(?im)^[ \t*#_>|]*part\s+{part.number}(?![iv])\b[^\n]{{0,80}}$")
                 for it, part in PARTS.items()}
_SECTION_TITLE = regex.compile(r"(?im)^[ \t*#_>|]*cybersecurity\b[^\n.]{0,80}$")
_ITEM_106 = regex.compile(r"(?i)\bitem\s*106\b")


# An amendment's sentence saying what it leaves alone ("This Amendment does not amend Part I, including
# Item 1C", "No other changes have been made to the Original Report, including ...", "does not modify or
# update Item 1C"): an item named after it, in the same sentence, is not one the amendment restates.
_LEFT_ALONE = regex.compile(r"(?i)\b(?:not|neither|nor)\s+(?:\w+\s+){0,2}?"
                            r"(?:amend|modif|updat|restat|revis|chang)\w*"
                            r"|\bno\s+(?:other\s+)?(?:changes?|amendments?|modifications?)\b")
LEFT_ALONE_REACH = 300  # characters before a mention read for its sentence's words


def _left_alone(text: str, at: int) -> bool:
    """Whether the words before `at`, in its sentence (as the rules' segmentation cuts it, within its line),
    say the amendment leaves what follows alone."""
    lo = max(0, at - LEFT_ALONE_REACH)
    line = max(lo, text.rfind("\n", lo, at) + 1)
    start = max((a for a, _ in sentence_spans(text, line, at)), default=line)
    return _LEFT_ALONE.search(text, start, at) is not None


def restates_part(text: str, item: str) -> bool:
    """Whether the text (an amendment) shows it restates the item's part: its heading, the section's title
    or the rule the item carries out (not where a sentence says the amendment leaves it alone)."""
    heading = _PART_HEADING.get(item.upper())
    return bool(heading and heading.search(text) or _SECTION_TITLE.search(text)) or any(
        not _left_alone(text, m.start()) for m in _ITEM_106.finditer(text))


def mentions_item(text: str, item: str, left_alone: bool = False) -> bool:
    """Whether the text names the item anywhere, in a heading or in prose (with `left_alone`, other than as
    what a sentence says an amendment leaves alone)."""
    number = _NUMBER.get(item.upper())
    if number is None:
        return False
    for m in number.finditer(text):
        lo = max(0, m.start() - MENTION_REACH)
        lo = text.rfind("\n", lo, m.start()) + 1 or lo  # from the line's start, if it is within reach
        if _ITEM_WORDS.search(text, lo, m.start()) and not (left_alone and _left_alone(text, m.start())):
            return True
    return item.upper() == "1C" and any(not (left_alone and _left_alone(text, m.start()))
                                        for m in _ROMAN_1C.finditer(text))


_LINE_OPENS_ITEM = regex.compile(r"(?i)[ \t*#_>|]*items?\b")
HEADING_WORDS = 20  # at most, in a line that names an item as a heading would rather than as a sentence


def heads_item(text: str, item: str) -> bool:
    """Whether a line that opens with "Item" or "Items" and is short enough to be a heading names the item
    ("Items 1.05 and 7.01. Material Cybersecurity Incidents; ...", "Item No. 1.05"), as a paragraph that
    mentions it ("... will file a report under Item 1.05") does not."""
    number = _NUMBER.get(item.upper())
    if number is None:
        return False
    for m in number.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        line = text[start:len(text) if end < 0 else end]
        if m.start() - start <= MENTION_REACH and _LINE_OPENS_ITEM.match(line) \
                and len(line.split()) <= HEADING_WORDS:
            return True
    return False


def items_headed(text: str) -> list[str]:
    """The items the text's own heading lines name ("10", "1C", "8.01"), each once, in the order they come."""
    return list(dict.fromkeys(_label(m) for m in _heading_lines(text)))


def _heading_lines(text: str) -> Iterator[regex.Match]:
    """The text's item heading lines, in order."""
    return (m for m in _item_headings(_ANY_ITEM, text) if _is_heading_line(text, m))


def _line_starts(text: str, lo: int, hi: int) -> Iterator[int]:
    """The positions in [lo, hi] where a line starts, in order."""
    if lo == 0 or text[lo - 1] == "\n":
        yield lo
    nl = text.find("\n", lo, hi)
    while nl >= 0:
        yield nl + 1
        nl = text.find("\n", nl + 1, hi)


def _title_lines(title: regex.Pattern, text: str, item: str) -> Iterator[regex.Match]:
    """The lines that are the title, as title.finditer(text) finds them. A title that cannot run onto the
    next line is matched only on the lines that hold it (the `regex` module tries a "^" pattern at every
    character, and a line at a time would pay a call for each blank line)."""
    if r"\s" in _TITLES[item]:
        yield from title.finditer(text)
        return
    word = regex.compile(rf"(?i){_TITLES[item]}")
    found = word.search(text)
    while found is not None:
        start = text.rfind("\n", 0, found.start()) + 1
        end = _line_end(text, start)
        m = title.match(text, start, end)
        if m is not None:
            yield m
        found = word.search(text, end + 1)  # on the next line that holds the title


def _line_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl


def _label(m: regex.Match) -> str:
    number, sub, letter = m.group(1), m.group(2), m.group(3)
    if sub:
        return f"{int(number)}.{sub}"
    return f"{int(number)}{(letter or '').upper()}"


def _is_heading_line(text: str, m: regex.Match) -> bool:
    rest = text[m.end():_line_end(text, m.start())]
    if len(rest.split()) <= HEADING_MAX_WORDS:
        return True
    # A run-in heading: "Item 2. Properties. We own ..." (not "Item 1A, 'Risk Factors' describes ...")
    return bool(regex.match(r"\s*[.:–—-]\s*\p{Lu}", rest))


def _next_heading(text: str, pos: int, item: str) -> int:
    """Where the next item (or part, or the signatures) begins after pos."""
    end = len(text)
    for m in _item_headings(_ANY_ITEM, text, pos):
        if _label(m) != item and _is_heading_line(text, m):
            end = m.start()
            break
    stop = _STOPPERS.search(text, pos, end)
    if item == "1.05":
        fls = FORWARD_LOOKING.search(text, pos, stop.start() if stop else end)
        stop = fls or stop
    return stop.start() if stop else end


def _next_title(text: str, pos: int, item: str, upper: bool) -> int:
    end = _next_heading(text, pos, item)
    for m in regex.finditer(r"(?m)^[^\n]+$", text, pos=pos, endpos=end):
        line = m.group(0).strip()
        if _NEXT_TITLES.match(line) or (upper and _is_caps_title(line)):
            return m.start()
    return end


def _is_caps_title(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters) and len(line.split()) <= 12


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _with_note(text: str, section: Section) -> Section:
    kind = classify(text[section.start:section.end], section.heading)
    if kind == "not-applicable":
        note = f"the section says only that it is not applicable: '{_body(text, section)}'"
    elif kind == "by-reference" and _points_elsewhere(text, section):
        return section  # its note says where it points, in this filing
    elif kind == "by-reference":
        note = ("the section incorporates its content by reference to another document; "
                "only the text in this file is checked")
    else:
        return section
    note = f"{section.note}; {note}" if section.note else note
    return Section(section.start, section.end, section.heading, section.item, section.method, note)


def after_heading(section_text: str, heading: str) -> str:
    """The section's text after its heading, where its first line holds it, marked up or not ("# Item 1C.
    Cybersecurity", "**Item 1C. Cybersecurity**"); else all of it."""
    line = section_text.find("\n")
    at = section_text.find(heading, 0, len(section_text) if line < 0 else line) if heading else -1
    return section_text[at + len(heading):] if at >= 0 else section_text


def _body(text: str, section: Section) -> str:
    return " ".join(after_heading(text[section.start:section.end], section.heading).split())


def classify(section_text: str, heading: str = "") -> str:
    """'not-applicable', 'by-reference' or 'content': what kind of answer the section gives."""
    body = after_heading(section_text, heading)
    if not heading:
        # A record or draft keeps its own heading line ("Item 1C. Cybersecurity"): judge what follows it.
        own = _OWN_HEADING.match(body)
        body = body[own.end():] if own else body
    words = body.split()
    plain = " ".join(words)
    if _NOT_APPLICABLE.match(plain):
        return "not-applicable"
    if len(words) <= BY_REFERENCE_MAX_WORDS and _BY_REFERENCE.search(plain):
        return "by-reference"
    return "content"


def _is_whole_filing(document: Document) -> bool:
    """A filing (not a draft of one section): its form came from the file (inline XBRL, a printed cover), it
    has several items, or it opens with an 8-K's item heading ("Item 8.01 Other Events")."""
    meta = document.metadata
    if meta.get("inline_xbrl") or meta.get("cover") or meta.get("issuer") and document.form:
        return True
    text = document.text
    headings = list(_heading_lines(text))  # read once for both tests
    return len({_label(m) for m in headings}) >= MIN_FILING_ITEMS or _opens_with_8k_item(text, headings[:1])


def _opens_with_8k_item(text: str, first: list[regex.Match]) -> bool:
    """The text's first item heading (`first`, none or one) is an 8-K's ("Item 8.01 Other Events"), with no
    more than a title above it: a draft of the 8-K's items. (An unheaded body above "Item 7.01" drafts the
    Item 1.05 report.)"""
    if not first or first[0].group(2) is None:  # none, or a 10-K's or 20-F's ("Item 1C", "Item 16K")
        return False
    return len(text[:first[0].start()].split()) <= TITLE_WORDS


def finding(document: Document, cited: dict[str, str]) -> Result | None:
    """A result for a section that is missing, not applicable, or given only by reference; else None.

    `cited` is the pack's `applies_to` entry for the document's form ({form, item}): the citation names it.
    """
    section = document.section
    if section is None:
        return None
    item = section.item or document.item or cited.get("item") or "?"  # an unheaded draft: the form's own
    form = document.form or "filing"
    citation = f"Form {cited.get('form', form)} Item {cited.get('item', item)}"
    if section.method == "missing":
        severity = "warning" if form.startswith("8-K") else "error"
        return Result(MISSING_RULE, None, f"Item {item} section present", "missing", severity, citation,
                      f"No Item {item} section was found in this {form}.",
                      f"Add an 'Item {item}' section with the required disclosure, or check that the "
                      f"file is the complete {form}.")
    text = document.text[section.start:section.end]
    kind = classify(text, section.heading)
    if kind == "not-applicable":
        return Result(NOT_APPLICABLE_RULE, None, f"Item {item} answered in this filing", "missing",
                      "info", citation, f"Item {item} says only that it is not applicable.",
                      "That is acceptable only where the item does not yet apply to the fiscal period, or "
                      "to the registrant (an asset-backed issuer: say so, citing General Instruction J); "
                      "smaller reporting, emerging growth and shell companies are not exempt: give the "
                      "required disclosure.")
    if kind == "by-reference":
        message, guidance = _by_reference(document, section, text, form, item)
        return Result(BY_REFERENCE_RULE, None, f"Item {item} answered in this filing", "missing",
                      "warning", citation, message, guidance)
    return None


def _by_reference(document: Document, section: Section, text: str, form: str, item: str) -> tuple[str, str]:
    """What a section given only by reference is told (its message and guidance): a pointer to another part of
    this filing, an incorporation from the proxy statement (General Instruction G(3)), or from another
    document."""
    if _points_elsewhere(document.text, section):
        return (f"Item {item} only points to another part of this {form} "
                f"('{_body(document.text, section)}'), which was not found, so was not checked.",
                f"Check that part on its own, or give the disclosure under Item {item} itself.")
    if _from_proxy(text, form, item):
        return (f"Item {item} incorporates its content by reference to the proxy statement, which was not "
                "checked. Form 10-K General Instruction G(3) lets the proxy statement supply the Part III "
                f"items only; Item {item} is in Part {PARTS[item].number}.",
                f"Give the disclosure in the 10-K itself under Item {item} (or in the annual report to "
                "security holders filed as an exhibit, General Instruction G(2)).")
    return (f"Item {item} incorporates its content by reference to another document, which was not checked.",
            "Check the referenced document (for example the annual report exhibit) as well.")


_PROXY = regex.compile(r"(?i)\bproxy\s+statement\b")


def _from_proxy(body: str, form: str, item: str) -> bool:
    """A 10-K item outside Part III that its section incorporates from the proxy statement, which General
    Instruction G(3) allows for Part III only."""
    part = PARTS.get(item)
    return (form.upper().split("/")[0] == "10-K" and part is not None and part.number != "III"
            and _PROXY.search(body) is not None)
