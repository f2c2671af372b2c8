"""Choose a rule pack for a document: from its form/item, its section heading, or its text."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .model import Document
from .vocab import fold_width

# The built-in content pack for each form and item (auto detection never picks a house or tag pack).
_BY_FORM = {"8-K": "form-8k-105", "20-F": "form-20f-16k", "10-K": "sk-106"}
_BY_ITEM = {"1.05": "form-8k-105", "16K": "form-20f-16k", "1C": "sk-106"}
# Those packs in the order a summary lists their elements: the annual reports' items, then the 8-K's.
CONTENT_PACKS = ("sk-106", "form-20f-16k", "form-8k-105")
_ITEM_OF = {pack: item for item, pack in _BY_ITEM.items()}
# The forms of _BY_FORM, as users read them.
FORMS_CHECKED = "10-K, 20-F or 8-K (or an amendment, such as 10-K/A)"
# Form variants that carry the same section: amendments, transition reports, old 10-K405.
_FORM_ALIASES = regex.compile(r"^(8-K|20-F|10-K)(?:/A|T|T/A|405|405/A|SB|SB/A)?$")
# Headings at the start of a line ("ITEM 1C. CYBERSECURITY", "Item 16K -", "Item 1.05 Material ...").
_HEADINGS = (
    (regex.compile(r"(?im)^[ \t*#_>]*item\s*1\s*\.\s*05\b[^\n]{0,60}"), "form-8k-105"),
    (regex.compile(r"(?im)^[ \t*#_>]*item\s*16\s*\.?\s*k\b[^\n]{0,60}"), "form-20f-16k"),
    (regex.compile(r"(?im)^[ \t*#_>]*item\s*1\s*\.?\s*c\b[^\n]{0,60}"), "sk-106"),
    (regex.compile(r"(?im)^[ \t*#_>]*material\s+cybersecurity\s+incidents?\b[^\n]{0,60}"), "form-8k-105"),
    # another 8-K item ("Item 8.01 Other Events", "Item 7.01"): only an 8-K numbers its items so, and its pack
    # says which items the text reports (ITEM-NOT-REPORTED)
    (regex.compile(r"(?im)^[ \t*#_>]*item\s*[1-9]\s*\.\s*0[1-9]\b[^\n]{0,60}"), "form-8k-105"),
)
# A table of contents' page number after the heading's words ("Item 16K. Cybersecurity 118", "... xii"): not
# the heading's.
_PAGE_AFTER = regex.compile(r"\s+(?:\d{1,4}|[ivxlc]{1,6})$")
# Words that give the form away when there is no form, item or heading (a pasted draft).
_CUES = {
    "form-8k-105": regex.compile(
        r"(?i)\b(?:current report on form 8-K|this current report|form 8-K(?!/A)|item 1\.05"
        r"|(?:determined|concluded) (?:that )?(?:the|this) (?:cybersecurity )?incident"
        r" (?:is|was|to be) material"
        r"|(?:became aware|detected|identified|discovered) (?:of )?(?:a|an|the) (?:cybersecurity )?"
        r"incident)"),
    "form-20f-16k": regex.compile(
        r"(?i)\b(?:form 20-F|annual report on form 20-F|foreign private issuer|American depositary shares?"
        r"|ADSs|item 16K|home country)\b"),
    "sk-106": regex.compile(r"(?i)\b(?:form 10-K|annual report on form 10-K|item 1C|item 1A)\b"),
}
# The text naming the annual report it is, or that the registrant files: "this Annual Report on Form 10-K",
# "we voluntarily file annual reports on Form 10-K" (a foreign private issuer that files on Form 10-K, whose
# words "foreign private issuer" and "home country" are cues of a 20-F). Decides over the cues.
_OWN_FORM = regex.compile(
    r"(?i)\b(?:this|our)\s+(?:annual\s+report\s+on\s+)?form\s+(10-K|20-F)\b"
    r"|\bwe\s+(?:\w+\s+){0,2}?file\s+(?:our\s+)?annual\s+reports?\s+(?:with\s+the\s+SEC\s+)?on\s+form\s+(10-K|20-F)\b")
DEFAULT_PACK = "sk-106"
HEAD_CHARS = 200_000  # headings of a whole filing come early; this bounds the search on huge inputs


@dataclass(frozen=True)
class Choice:
    pack: str
    reason: str
    item: str | None = None


def normalise_form(form: str | None) -> str | None:
    """'10-K/A', '10-KT', '10-K405' -> '10-K'; unknown forms are returned upper-cased."""
    if not form:
        return None
    f = form.strip().upper().replace(" ", "")
    m = _FORM_ALIASES.match(f)
    return m.group(1) if m else f


_FORM_SPELLING = regex.compile(r"^(10|20|8)-?([KF])(.*)$")


def pack_of_form(form: str | None) -> str | None:
    """The built-in content pack for a form (its amendments and transition reports included); None for a
    form no pack checks (6-K, 40-F, 10-Q)."""
    return _BY_FORM.get(normalise_form(form) or "")


def form_named(text: str) -> str | None:
    """The form a user's spelling names, as EDGAR writes it ("10k" -> "10-K", "Form 8-k/a" -> "8-K/A"), when
    it is one the packs check (an amendment or transition report included); else None."""
    f = text.strip().upper().replace(" ", "").removeprefix("FORM")
    m = _FORM_SPELLING.match(f)
    canonical = f"{m.group(1)}-{m.group(2)}{m.group(3)}" if m else f
    return canonical if normalise_form(canonical) in _BY_FORM else None


def choose_pack(document: Document, available: set[str]) -> Choice:
    """The pack for a document, and why: record form/item, then a heading, then cues in the text."""
    form = normalise_form(document.form)
    item = (document.item or "").strip().upper()
    by_form = _BY_FORM.get(form or "")
    by_item = _BY_ITEM.get(item)
    if by_form in available and (by_item is None or by_item == by_form):
        why = f"form {document.form}" + (f", item {item}" if by_item else "")
        return Choice(by_form, why)
    if by_item in available:
        # The item names the section exactly; a form that disagrees (an 8-K "item 1C") is the odd one out.
        why = f"item {item}" + (f" (form {document.form} names another pack)" if by_form else "")
        return Choice(by_item, why, item)
    heading = document.section.heading if document.section is not None else ""
    head = document.text[:HEAD_CHARS]
    folded = fold_width(head)  # "ＩＴＥＭ　１６Ｋ．" typed full-width
    for source, text in (("section heading", fold_width(heading)), ("heading", folded)):
        found = _first_heading(text)
        if found is not None and found[0] in available:
            pack, words = found
            if text is folded:  # the words as the draft writes them, at the same place
                at = folded.find(words)
                words = head[at:at + len(words)] if at >= 0 else words
            return Choice(pack, f"{source} '{words}'", _ITEM_OF[pack])
    named = {(m.group(1) or m.group(2)).upper() for m in _OWN_FORM.finditer(folded)}
    if len(named) == 1 and _BY_FORM[next(iter(named))] in available:
        own = named.pop()
        what = f"form {document.form} has no pack" if form and by_form is None else "no form or heading"
        return Choice(_BY_FORM[own], f"{what}; the text names its annual report's form, Form {own}")
    counts = {pack: len(rx.findall(folded)) for pack, rx in _CUES.items() if pack in available}
    best = max(counts.values(), default=0)
    leaders = sorted(p for p, n in counts.items() if n == best)
    if best and len(leaders) == 1:
        pack = leaders[0]
        if form and by_form is None:
            return Choice(pack, f"form {document.form} has no pack; the text reads like {_label(pack)} "
                                f"({best} cue{'s' if best > 1 else ''})")
        return Choice(pack, f"no form or heading; the text reads like {_label(pack)} "
                            f"({best} cue{'s' if best > 1 else ''})")
    what = f"form {document.form} has no pack" if form else "no form, heading or telling words found"
    return Choice(DEFAULT_PACK, f"{what}: default pack")


def _first_heading(text: str) -> tuple[str, str] | None:
    """The earliest section heading in the text, with the words that matched."""
    best: tuple[int, str, str] | None = None
    for rx, pack in _HEADINGS:
        m = rx.search(text)
        if m and (best is None or m.start() < best[0]):
            words = _PAGE_AFTER.sub("", " ".join(m.group(0).strip(" \t*#_>").split()))
            best = (m.start(), pack, words[:60])
    return (best[1], best[2]) if best else None


def _label(pack: str) -> str:
    return {"form-8k-105": "an 8-K Item 1.05 report", "form-20f-16k": "a 20-F Item 16K section",
            "sk-106": "a 10-K Item 1C section"}[pack]
