"""Form, issuer and fiscal year end on a whole filing's cover page, for inputs without inline XBRL facts."""

from __future__ import annotations

import re
from datetime import datetime

from ..model import Document

COVER_CHARS = 5000  # the cover page: the form and the period are stated before any of the report's text
# The form as the cover prints it, a paragraph of its own ("FORM 10-K"; 21 of the 22 filings printed to PDF):
# a draft of the section that mentions "our Annual Report on Form 10-K" has no cover, and its pack is chosen
# by its heading.
# An amendment's may have its number on the next line ("FORM 10-K/A" / "(Amendment No. 1)").
_FORM = re.compile(r"(?:\A|\n\n)[ \t]*FORM\s+(10-KT?|20-F|8-K)(/A)?[ \t]*"
                   r"(?=\n\n|\Z|\n[ \t]*\(Amendment\s+No\.?\s*\d+\)[ \t]*(?:\n\n|\Z))", re.IGNORECASE)
_DATE = r"[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\s+\d{4}"
_PERIOD = re.compile(rf"\bfor the (?:fiscal )?year ended:?\s+({_DATE})", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
# The registrant's name stands in the paragraph above the cover's "(Exact name of registrant as specified in
# its charter)" (all 22 filings of ../shared/fullfilings printed to PDF, 10-Ks and 8-Ks).
_NAME_CAPTION = re.compile(r"\(\s*exact name of (?:the )?registrant", re.IGNORECASE)
NAME_MAX_CHARS = 120


def read(text: str) -> tuple[str | None, dict[str, str]]:
    """The form ("10-K", "8-K/A" ...) and {"period": ISO date, "issuer": name} its cover states, where it
    states them (paragraphs of `text` are separated by blank lines)."""
    head = text[:COVER_CHARS]
    form = _FORM.search(head)
    caption = _NAME_CAPTION.search(head)
    metadata = {}
    # only on a cover: in a section, "for the fiscal year ended December 31, 2022" may tell of an incident
    period = _PERIOD.search(head) if form or caption else None
    if period:
        metadata["period"] = iso_date(_SPACE.sub(" ", period.group(1)))
    if caption:
        name = head[:caption.start()].rstrip().rsplit("\n\n", 1)[-1].strip()
        if 0 < len(name) <= NAME_MAX_CHARS:
            metadata["issuer"] = _SPACE.sub(" ", name)
    return ((form.group(1) + (form.group(2) or "")).upper() if form else None), metadata


def attach(document: Document) -> Document:
    """Fill the form, period and issuer of a document whose reader found no form, from its cover page
    (a whole filing saved as text, Word, HTML without inline XBRL or PDF); what the reader found wins."""
    if document.form is not None:
        return document
    form, metadata = read(document.text)
    document.form = form
    if form:
        document.metadata.setdefault("cover", True)  # a printed cover: the input is a whole filing
    for key, value in metadata.items():
        document.metadata.setdefault(key, value)
    return document


def iso_date(value: str) -> str:
    """A cover's date as an ISO date ("December 31, 2024" -> "2024-12-31"); the value itself where not one."""
    for fmt in ("%B %d, %Y", "%B %d %Y", "%Y-%m-%d", "%m/%d/%Y", "%d %B %Y", "%b. %d, %Y", "%b %d, %Y"):
        try:
            return datetime.strptime(value.replace("\u00a0", " "), fmt).date().isoformat()
        except ValueError:
            continue
    return value
