"""Locate the disclosure section (Item 1C, Item 16K, Item 1.05) in a document's text."""

from __future__ import annotations

import regex

from .model import Document, Section

# Heading forms: "ITEM 1C.", "Item 1C:", "Item 1C - Cybersecurity", "Item 16.K", "Item 1.05".
_ITEM_HEADINGS = {
    "1C": r"item\s*1\s*\.?\s*c\b",
    "16K": r"item\s*16\s*\.?\s*k\b",
    "1.05": r"item\s*1\s*\.\s*05\b",
}
# The next item after each section, used to cut it.
_NEXT_ITEM = regex.compile(r"(?im)^[ \t*#_>]*item\s*\d+\s*\.?\s*[a-z]?(?:\s*\.\s*\d+)?\b(?!\s*c\b)")
_LINE_HEADING = "(?im)^[ \\t*#_>]*{pat}[^\\n]{{0,80}}$"


def locate(document: Document, item: str | None = None) -> Section:
    """The span to check. Records and plain drafts without an item heading are checked whole."""
    if document.section is not None:
        return document.section
    text = document.text
    items = [item] if item else list(_ITEM_HEADINGS)
    for it in items:
        pat = _ITEM_HEADINGS.get(it.upper())
        if not pat:
            continue
        headings = list(regex.finditer(_LINE_HEADING.format(pat=pat), text))
        # A table of contents lists the heading first; the real one is the last with body text after it.
        for m in reversed(headings):
            nxt = _next_item(text, m.end(), it)
            body = text[m.end():nxt].strip()
            if len(body.split()) >= 3:
                return Section(m.start(), nxt, heading=m.group(0).strip(" *#_>\t"), item=it.upper(),
                               method="heading")
    return Section(0, len(text), method="whole-input")


def _next_item(text: str, pos: int, item: str) -> int:
    for m in _NEXT_ITEM.finditer(text, pos):
        label = regex.sub(r"[\s.]", "", m.group(0).strip(" *#_>\t")).upper()
        if label != "ITEM" + item.replace(".", ""):
            return m.start()
    return len(text)
