"""Split a span of text into paragraphs and sentences, keeping character offsets."""

from __future__ import annotations

from collections.abc import Iterator

import regex

from .model import Paragraph, Segments, Sentence

# Words that end with a period but do not end a sentence in legal and financial text.
ABBREVIATIONS = frozenset(
    """inc corp co ltd llc plc l.p lp n.a s.a n.v ag mr mrs ms dr prof sr jr st no nos vs v
    e.g i.e etc al approx dept est fig sec secs art arts para paras ch cf u.s u.k u.s.a u.n
    jan feb mar apr jun jul aug sep sept oct nov dec mt ft hon gen col capt gov rep sen
    viz ph.d m.s b.s b.a m.a m.b.a j.d cpa""".split()
)

# A company's name ends in one of these ("Muzinich & Co."); the next word may start a new sentence.
COMPANY_SUFFIXES = frozenset("inc corp co ltd llc plc l.p lp n.a s.a n.v ag".split())
# Words that open a sentence and never follow a company's name inside one ("... Muzinich & Co. Our
# management is informed ..."): after a suffix they mark a boundary.
_OPENER = regex.compile(r"(?:The|Our|We|This|These|Those|It|Its|They|Their|In|As|Each|Such|All|Any)\b")

_BLANK_LINE = regex.compile(r"\n[ \t\u00a0]*\n\s*")
# A sentence boundary candidate: terminal punctuation, optional closing quote/bracket, whitespace; or a
# full-width stop (U+3002, U+FF01, U+FF1F of a draft translated from Japanese), needing no space after it.
_BOUNDARY = regex.compile(r"""[.!?]["'”’)\]]*\s+(?=[\p{Lu}\d"“‘(\[•*\-–—])"""
                          r"""|[\u3002\uff01\uff1f][\u300d\u300f\uff09"'”’)\]]*\s*(?=\S)""")
# A boundary glued shut where extraction lost the space ("...approves our TRIS program.Our CISO leads ..."): a
# period between a lower-case word and a capitalised one (the word before is checked in code).
_GLUED = regex.compile(r"\.(?=\p{Lu}\p{Ll}{2})")
# A line that starts a list item or is a bullet: it starts its own sentence.
_LIST_ITEM = regex.compile(r"\n[ \t]*(?=(?:[•●▪◦·*\-–—]|\(?[a-z0-9ivx]{1,4}[.)])\s)", regex.IGNORECASE)
# A bullet glyph inside a line (lists flattened by XBRL extraction): each item is its own sentence,
# starting at the glyph.
_BULLET_GLYPHS = "•●▪◦\uf0b7\uf0a7\uf076\uf0d8"
_INLINE_BULLET = regex.compile(rf"(?<=\s)[{_BULLET_GLYPHS}](?=\s)")
# A run of spaces after ":" or ";" is where extraction dropped a bullet glyph.
# A semicolon followed by a capitalised word ("...simulations; Reviewing vendors...") or by an item's number
# ("...our critical systems; (ii) an information security team ...; and (iii) ...") separates list items
# (the first item stays with the words that lead into the list).
# The next item starts where the match ends. (Both patterns start with the character they need: a
# look-behind first is tried at every character of the paragraph, three times slower.)
_LIST_BREAK = regex.compile(r":[ \t]{2,}(?=\S)|;(?:[ \t]{2,}(?=\S)|\s+(?=\p{Lu}\p{Ll})"
                            r"|\s+(?:and\s+|or\s+)?(?=\((?:[ivx]{1,5}|[a-z]|\d{1,2})\)\s))")
# The word before a period. Matched leftwards from the period ((?r)): one attempt, not one per start.
_WORD_BEFORE = regex.compile(r"(?r)([\p{L}.]+)\.$")
_INITIALS = regex.compile(r"\p{L}|(\p{L}\.)+\p{L}")  # "A" of "John A. Smith", "U.S" of "U.S."
_HEADING_MAX_WORDS = 14
# A title: a few words, each capitalised but the small ones ("Third-Party Risk Management.", "The Audit
# Committee", "Chief Information Security Officer (CISO)"). A heading names a topic and states nothing, on a
# line of its own or run in before its paragraph's first sentence.
_TITLE_MAX_WORDS = 8
HEADING_LINE_SHARE = 2  # a heading line glued to its paragraph is at most half as long as its longest line
_SMALL_WORDS = frozenset("a an and as at by for from in of on or the to with & vs".split())


def _is_heading(text: str) -> bool:
    """A short block with no closing punctuation ("Governance", "ITEM 1C. CYBERSECURITY")."""
    stripped = text.strip().strip("*#_ ").strip()
    words = stripped.split(maxsplit=_HEADING_MAX_WORDS)  # enough to tell: a long paragraph is not split whole
    if not words or len(words) > _HEADING_MAX_WORDS:
        return False
    return stripped[-1] not in ".;:,!?" or stripped.lower().startswith("item ")


def is_title(text: str) -> bool:
    """Whether a sentence is a title: at most eight words, every one capitalised but the small ones."""
    stripped = text.strip().strip("*#_ ").rstrip(".:;").strip()
    words = stripped.split(maxsplit=_TITLE_MAX_WORDS)
    if not words or len(words) > _TITLE_MAX_WORDS or not any(c.isalpha() for c in stripped):
        return False
    return all(w.lower() in _SMALL_WORDS or not w[0].isalpha() or w[0].isupper() for w in words)


def paragraphs(text: str, start: int, end: int) -> list[Paragraph]:
    """Blocks of text separated by blank lines, with leading/trailing space trimmed."""
    out: list[Paragraph] = []
    pos = start
    for m in _BLANK_LINE.finditer(text, start, end):
        _add_paragraph(out, text, pos, m.start())
        pos = m.end()
    _add_paragraph(out, text, pos, end)
    return out


def _add_paragraph(out: list[Paragraph], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Paragraph(start, end, len(out), _is_heading(text[start:end])))


def _ends_with_abbreviation(text: str, dot_index: int, next_word: int) -> bool:
    """Whether the period at dot_index ends an abbreviation that the sentence goes on after ("U.S.",
    "John A. Smith"); a company's suffix before a sentence opener (next_word: where the next word starts)
    ends the sentence."""
    m = _WORD_BEFORE.search(text, max(0, dot_index - 12), dot_index + 1)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word in ABBREVIATIONS:
        return not (word in COMPANY_SUFFIXES and _OPENER.match(text, next_word))
    if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "-/"):
        return False  # "Form 10-K." ends a sentence; it is not an initial
    # Single capital initials ("John A. Smith") and dotted acronyms ("U.S.", "N.A.").
    return bool(_INITIALS.fullmatch(m.group(1).rstrip(".")))


def _heading_line_cuts(text: str, start: int, end: int) -> Iterator[int]:
    """The starts and ends of a paragraph's heading lines that stand between sentences: a short line of a few
    words with no closing punctuation ("Governance", "Risk management and strategy"), at the paragraph's
    start or after a line that ends a sentence, followed by a line that starts one. Short means well short
    of the paragraph's longest line, which a hard-wrapped line of prose is not."""
    lines = []  # (start, end) of each line, its trailing spaces left out
    pos = start
    while pos < end:
        stop = text.find("\n", pos, end)
        stop = end if stop < 0 else stop
        lines.append((pos, len(text[pos:stop].rstrip()) + pos))
        pos = stop + 1
    longest = max(b - a for a, b in lines)
    heading = True  # the line before ends a sentence or is a heading (the paragraph's start counts as one)
    for i, (a, b) in enumerate(lines[:-1]):
        line, after = text[a:b].strip(), text[lines[i + 1][0]:lines[i + 1][1]].lstrip()
        starts_one = after[:1].isupper() or after[:1].isdigit()
        was = heading
        heading = text[a:b].endswith((".", "!", "?", ":", ";"))
        if was and starts_one and _is_heading(line) and line[:1].isupper() \
                and len(line.split()) <= _TITLE_MAX_WORDS and (b - a) * HEADING_LINE_SHARE <= longest:
            heading = True
            yield a
            yield lines[i + 1][0]


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans within one paragraph."""
    cuts = {start}
    for m in _BOUNDARY.finditer(text, start, end):
        dot = m.start()
        if text[dot] == "." and _ends_with_abbreviation(text, dot, m.end()):
            # "U.S. Government" stays together; but an abbreviation followed by a new line
            # that starts a capitalised word at a line start is still ambiguous: keep together.
            continue
        cuts.add(m.end())
    for m in _GLUED.finditer(text, start, end):
        dot = m.start()
        word = text[max(start, dot - 3):dot]  # (not a web address: "www.Example")
        if word.isalpha() and word.islower() and len(word) == 3 and word != "www" \
                and not _ends_with_abbreviation(text, dot, dot + 1):
            cuts.add(dot + 1)
    for m in _LIST_ITEM.finditer(text, start, end):
        cuts.add(m.end())
    # Most paragraphs hold no glyph: str.find rules that out ten times faster than the pattern's scan.
    if any(text.find(glyph, start, end) >= 0 for glyph in _BULLET_GLYPHS):
        for m in _INLINE_BULLET.finditer(text, start, end):
            cuts.add(m.start())
    for m in _LIST_BREAK.finditer(text, start, end):
        cuts.add(m.end())
    # A heading line glued to its paragraph ("Governance\nOur Board ...", Word's plain-text export: a
    # paragraph a line, no blank lines) is a sentence of its own; other single newlines are hard wrapping.
    if text.find("\n", start, end) >= 0:
        cuts.update(_heading_line_cuts(text, start, end))
    spans = []
    ordered = sorted(cuts) + [end]
    for a, b in zip(ordered, ordered[1:], strict=False):
        while a < b and text[a].isspace():
            a += 1
        e = b
        while e > a and text[e - 1].isspace():
            e -= 1
        if e > a:
            spans.append((a, e))
    return spans


def segment(text: str, start: int = 0, end: int | None = None) -> Segments:
    """Paragraphs and sentences of text[start:end], offsets absolute in `text`."""
    end = len(text) if end is None else end
    paras = paragraphs(text, start, end)
    sentences: list[Sentence] = []
    for p in paras:
        for a, b in sentence_spans(text, p.start, p.end):
            sentences.append(Sentence(a, b, p.index, len(sentences)))
    return Segments(tuple(paras), tuple(sentences))
