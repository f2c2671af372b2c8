"""Drafting placeholders and notes left in a draft ("[●]", "[CISO NAME]", "[Note to draft: confirm ...]"): a
note is no disclosure, so the rules never read it; every placeholder or note is a gap to clear before filing,
and a verdict whose every quoted sentence holds a blank is marked for review."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

import regex

from .model import ADDRESSED, Document, Evidence, Report, Result
from .segment import paragraphs, sentence_spans
from .vocab import fold_width

RULE_ID = "DRAFT-PLACEHOLDER"
TITLE = "No drafting placeholder or note left in the text"
CITATION = "Drafting check (no SEC rule): a filed disclosure holds no blank or note to the draft"
GUIDANCE = ("Fill each blank (\"[●]\", \"[CISO NAME]\") with the fact it stands for, and resolve and delete "
            "each note to the draft, before filing.")
SHOWN = 3  # placeholders named in the message; every sentence holding one is quoted (up to the evidence cap)
MAX_QUOTED = 5

# A bracketed span (at most 600 characters, within a paragraph): what a drafter brackets is an open point, a
# blank or a note.
_BRACKETED = regex.compile(r"\[[^\[\]]{1,600}\]")
_PARAGRAPH_BREAK = regex.compile(r"\n[ \t]*\n")
# what is still to be done to a text: "[to be confirmed]", "[Material effect statement to be agreed]"
_PENDING = (r"to\s+be\s+(?:confirmed|determined|updated|provided|discussed|inserted|completed|added|revised|"
            r"agreed|finali[sz]ed|aligned|reviewed|checked|verified|approved|clarified)\b")
# A note to the draft: a bracket opening with an instruction or an author's initials ("[Note to draft: ...]",
# "[NTD: ...]", "[Company to confirm whether ...]", "[Insert the CISO's experience]", "[JD: update]").
_NOTE = regex.compile(
    r"(?i)\[\s*(?:(?:drafting\s+)?notes?\b|n\.?t\.?d\b|comments?\b|insert\b|to\s+come\b|" + _PENDING + r"|"
    r"t\.?b\.?[cd]\.?\s+\w|confirm\w*\b|update\b|discuss\b|placeholder\b|"
    r"open\s+(?:point|item|issue)\b|query\b|question\b|(?:client|company|management|issuer|counsel)\s+to\b|"
    # a Japanese team's: "to confirm", "being confirmed", "undecided", "under review", "note:", "fill in"
    r"要確認|確認中|未定|未確定|検討中|注記?\s*:|記入|"
    r"(?-i:[A-Z][A-Za-z&]{1,5})(?:\s+(?:note|comment))?\s*:)")
# An open point anywhere in a bracket: "[Material effect statement to be agreed with the Vorstand.]"
_OPEN_POINT = regex.compile(r"(?i)\b" + _PENDING)
# A blank: marks standing for a fact not yet known ("[●]", "[__]", "[X]", "[TBD]", "[tbc]"), a name or date in
# capitals in two words or more ("[CISO NAME]", "[YEARS OF EXPERIENCE]"), or a word naming what goes there
# ("[Name]", "[number]").
_BLANK_INSIDE = regex.compile(
    r"(?:[\s●•·○◦▪_\-–—.*#?xX]|(?i:t\.?b\.?[cd]\.?)|TK)+"
    r"|(?-i:[A-Z][A-Z0-9&/'’.,-]*(?:\s+[A-Z0-9&/'’.,-]+)+)"
    r"|(?i:(?:the\s+|an?\s+)?(?:name|date|title|number|amount|year|month|day|position|officer|company|committee|"
    r"vendor|provider|firm|frequency|percentage|period|dollar\s+amount)(?:\s+of\s+\w+)?)")
_NOT_BLANK = frozenset({"RESERVED", "REMOVED AND RESERVED", "INTENTIONALLY OMITTED", "OMITTED", "NONE",
                        "N/A"})
# Outside brackets: a run of underscores within a line's words (not a rule drawn across the page), or TBD / XX
# standing alone ("___ years of experience", "20XX").
_UNDERSCORES = regex.compile(r"_{3,}")
_BARE = regex.compile(r"(?<![\w-])(?:TBD|TBC|XX+)(?![\w-])|(?<=\d)XX\b")
MAX_FOUND = 1000  # enough to name and quote; a text holding more is read no further for them


@dataclass(frozen=True)
class Placeholder:
    start: int
    end: int
    note: bool  # a note to the draft (never read by the rules), else a blank in a sentence


def find(text: str, start: int = 0, end: int | None = None) -> list[Placeholder]:
    """The placeholders and notes of text[start:end], in order: at most MAX_FOUND of each kind of mark."""
    end = len(text) if end is None else end
    found: list[Placeholder] = []
    for m in _BRACKETED.finditer(text, start, end):
        if len(found) >= MAX_FOUND:
            break
        if _PARAGRAPH_BREAK.search(text, m.start(), m.end()):
            continue
        if _is_note(text, m.start(), m.end()):
            found.append(Placeholder(m.start(), m.end(), True))
            continue
        inside = text[m.start() + 1:m.end() - 1].strip()
        if inside.upper() not in _NOT_BLANK and not inside.isdigit() and _BLANK_INSIDE.fullmatch(inside):
            found.append(Placeholder(m.start(), m.end(), False))
    runs = (m for m in _UNDERSCORES.finditer(text, start, end) if _within_words(text, m.start(), m.end()))
    bare = [Placeholder(m.start(), m.end(), False)
            for matches in (runs, _BARE.finditer(text, start, end)) for m in islice(matches, MAX_FOUND)]
    if bare:  # outside the brackets already found (a "[___]" is one blank)
        spans = sorted((p.start, p.end) for p in found)
        starts = [a for a, _ in spans]
        found += [p for p in bare if not _inside(spans, starts, p.start)]
    return sorted(found, key=lambda p: p.start)


def _is_note(text: str, a: int, b: int) -> bool:
    """Whether the bracket text[a:b] is a note to the draft: it opens with an instruction or initials, or
    holds an open point."""
    return bool(_NOTE.match(text, a, b) or _OPEN_POINT.search(text, a, b))


def _within_words(text: str, a: int, b: int) -> bool:
    """Whether a run of underscores stands among words on its line ("has ___ years"), a blank to fill."""
    before = text[max(0, a - 4):a].rstrip(" \t")
    after = text[b:b + 4].lstrip(" \t")
    return bool(before and before[-1].isalnum()) or bool(after and after[0].isalnum())


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    k = bisect.bisect_right(starts, pos) - 1
    return k >= 0 and spans[k][0] <= pos < spans[k][1]


def masked(text: str, start: int = 0, end: int | None = None) -> str:
    """The text with every note to the draft blanked out (spaces, offsets kept), for the rules to read."""
    end = len(text) if end is None else end
    if "[" not in text[start:end]:
        return text  # most filings: no bracket at all
    notes = [m.span() for m in _BRACKETED.finditer(text, start, end)
             if not _PARAGRAPH_BREAK.search(text, m.start(), m.end()) and _is_note(text, m.start(), m.end())]
    if not notes:
        return text
    parts, pos = [], 0
    for a, b in notes:
        parts += [text[pos:a], " " * (b - a)]
        pos = b
    parts.append(text[pos:])
    return "".join(parts)


def attach(report: Report) -> Report:
    """Mark the verdicts resting on blanks, and add one gap naming the section's placeholders (in place)."""
    doc = report.document
    start, end = doc.span
    found = find(fold_width(doc.text), start, end)  # "［●］", "【要確認】" as "[●]", "[要確認]"
    if not found:
        return report
    blanks = [p for p in found if not p.note]
    for result in report.results:
        if result.status not in ADDRESSED or not result.evidence or result.review:
            continue
        held = [_holding(blanks, e.start, e.end) for e in result.evidence]
        if all(held):
            blank = held[0]
            shown = _short(doc.text[blank.start:blank.end], 30)
            result.review = f"the sentence holds a blank to fill (\"{shown}\"): read it again once filled"
    report.results.append(_finding(doc, start, end, found))
    return report


def _holding(blanks: list[Placeholder], a: int, b: int) -> Placeholder | None:
    """The first blank within text[a:b]."""
    return next((p for p in blanks if a <= p.start < b), None)


def _finding(doc: Document, start: int, end: int, found: list[Placeholder]) -> Result:
    """The gap: how many placeholders and notes, the first few named, each sentence holding one quoted."""
    text = doc.text
    notes = sum(p.note for p in found)
    counts = ", ".join(filter(None, (_count(len(found) - notes, "blank"), _count(notes, "note to the draft",
                                                                                 "notes to the draft"))))
    names = "; ".join(f"\"{_short(text[p.start:p.end])}\"" for p in found[:SHOWN])
    more = f" and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    read = "; ".join(filter(None, (
        "a note to the draft is not read as disclosure" if notes else "",
        "a verdict resting on a sentence with a blank is marked for review" if notes < len(found) else "")))
    least = "at least " if len(found) >= MAX_FOUND else ""  # the marks past the bound were not read
    message = f"The text still holds {least}{counts}: {names}{more}. {read[0].upper()}{read[1:]}."
    spans = list(islice(_sentences(text, start, end, found), MAX_QUOTED))
    evidence = [Evidence(text[a:b], a, b, doc.line_of(a)) for a, b in spans]
    return Result(RULE_ID, None, TITLE, "missing", "error", CITATION, message, GUIDANCE, evidence)


def _sentences(text: str, start: int, end: int, found: list[Placeholder]) -> Iterator[tuple[int, int]]:
    """Each sentence (or the note itself, where it stands alone) holding a placeholder, once, in order: only
    the paragraphs holding one are split."""
    paras = paragraphs(text, start, end)
    starts = [p.start for p in paras]
    seen: set[tuple[int, int]] = set()
    last = -1
    for p in found:
        k = bisect.bisect_right(starts, p.start) - 1
        if k < 0 or k == last or p.start >= paras[k].end:
            continue
        last = k
        para = paras[k]
        inside = [q for q in found if para.start <= q.start < para.end]
        for a, b in sentence_spans(text, para.start, para.end):
            q = next((q for q in inside if a <= q.start < b or q.start <= a < q.end), None)
            span = (min(a, q.start), max(b, q.end)) if q is not None else None
            if span is not None and span not in seen:
                seen.add(span)
                yield span


def _count(n: int, one: str, many: str | None = None) -> str:
    if not n:
        return ""
    return f"1 {one}" if n == 1 else f"{n} {many or one + 's'}"


def _short(s: str, width: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= width else s[:width - 1] + "…"
