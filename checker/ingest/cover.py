"""Form, issuer and fiscal year end on a whole filing's cover page, for inputs without inline XBRL facts."""

from __future__ import annotations

import re
from datetime import date, datetime

from ..model import Document

COVER_CHARS = 5000  # the cover page: the form and the period are stated before any of the report's text
# The form as the cover prints it, a line of its own ("FORM 10-K"; 21 of the 22 filings printed to PDF), an
# amendment's with its number ("FORM 10-K/A", "(Amendment No. 1)" on it or on the next line, "AMENDMENT NO. 1
# TO FORM 10-K"); hyphens as HTML and PDFs print them (non-breaking, en dash). The covers of forms no pack
# checks (a foreign private issuer's 6-K and 40-F, a 10-Q) are read too, so that none is taken for another.
_DASH = "-\u2010\u2011\u2012\u2013"
_AMENDMENT_NO = r"\(?\s*amendment\s+no\.?\s*\d+\s*\)?"
# A Markdown draft of a whole filing marks its cover lines as headings or bold ("# FORM 8-K", "**FORM 8-K**").
_MARKS = r"(?:\#{1,6}[ \t]+)?(?:[*_]{1,2})?"
_FORM = re.compile(rf"^[ \t]*{_MARKS}(?P<pre>amendment\s+no\.?\s*\d+\s+to\s+)?form\s+"
                   rf"(?P<form>10[{_DASH}]KT?|20[{_DASH}]F|8[{_DASH}]K|6[{_DASH}]K|40[{_DASH}]F|10[{_DASH}]Q)"
                   rf"(?P<a>\s*/\s*A)?(?:[*_]{{1,2}})?[ \t]*"
                   rf"(?P<post>{_AMENDMENT_NO})?(?:[*_]{{1,2}})?[ \t]*$",
                   re.IGNORECASE | re.MULTILINE)
_AMENDMENT_LINE = re.compile(rf"\s*{_AMENDMENT_NO}[ \t]*(?:\n|\Z)", re.IGNORECASE)
# A draft's explanatory note saying it is an amendment, where no cover says so: "This Amendment No. 1 on
# Form 8-K/A", "this Current Report on Form 8-K/A", "This Form 8-K/A amends and supplements the Current
# Report"; not an original's undertaking to file one ("an amendment to this Current Report on Form 8-K").
_DECLARED_AMENDMENT = re.compile(
    rf"\bthis\s+(?:amendment\s+no\.?\s*\d+|amendment\s+on\s+form|(?:current\s+report\s+on\s+|annual\s+report\s+"
    rf"on\s+)?form\s+(?:8|10|20)[{_DASH}]?[KF]\s*/\s*A\b)"
    r"|\bamends\s+(?:and\s+(?:supplements|restates)\s+)?(?:the|its|our)\s+(?:original\s+)?"
    r"(?:current|annual)\s+report\b", re.IGNORECASE)
# A cover is the Commission's: a draft with a title line "Form 8-K" is none.
_COMMISSION = re.compile(r"securities\s+and\s+exchange\s+commission", re.IGNORECASE)
_ANNUAL = ("10-K", "10-KT", "20-F", "40-F")  # the covers that state a fiscal year (an 8-K's states none)
# "March 31, 2025", "31 March 2025", "31st March 2025"; a Japanese issuer's "2025年3月31日" (or full-width)
_DATE = (r"[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
         r"|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8}\s+\d{4}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b")
_JAPANESE_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# "financial year" as a British or translated cover words it
_PERIOD = re.compile(rf"\bfor the (?:fiscal |financial )?year ended:?\s+({_DATE})", re.IGNORECASE)
# A transition report's period (Form 10-KT, or a 10-K cover with its transition box checked), where the cover
# gives no fiscal year's end: "For the transition period from April 1, 2023 to September 30, 2023".
_TRANSITION = re.compile(rf"\bfor the transition period from:?\s+(?:{_DATE})\s+to\s+({_DATE})", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
# An 8-K's "Date of Report (Date of earliest event reported): November 10, 2026", its date after the caption
# or, on some covers (Coupang's), on the line above it; the caption is the 8-K cover's own.
_EVENT_CAPTION = r"date\s+of\s+report\s*\(\s*date\s+of\s+earliest\s+event\s+reported\s*\)"
_DATE_OF_REPORT = re.compile(rf"\b{_EVENT_CAPTION}\s*:?\s*({_DATE})|({_DATE})\s*\n\s*{_EVENT_CAPTION}",
                             re.IGNORECASE)
# The registrant's name stands in the paragraph above the cover's "(Exact name of registrant as specified in
# its charter)" (all 22 filings of ../shared/fullfilings printed to PDF, 10-Ks and 8-Ks); a 6-K's cover gives
# it above "(Translation of registrant's name into English)" alone.
_NAME_CAPTION = re.compile(r"\(\s*(?:exact name of (?:the )?registrant|translation of (?:the )?registrant)",
                           re.IGNORECASE)
NAME_MAX_CHARS = 120


def read(text: str) -> tuple[str | None, dict[str, str]]:
    """The form ("10-K", "8-K/A" ...) and {"period": ISO date, "issuer": name} its cover states, where it
    states them (paragraphs of `text` are separated by blank lines); an 8-K's period is its date of report."""
    head = text[:COVER_CHARS]
    form = _form(head)
    caption = _NAME_CAPTION.search(head)
    metadata = {}
    # only on an annual report's cover (where the form is not read, above the name's caption, as an annual
    # cover gives it): in a section, or in an 8-K, "for the fiscal year ended December 31, 2022" may tell of
    # something else
    if form and form.removesuffix("/A") in _ANNUAL:
        period = _PERIOD.search(head) or _TRANSITION.search(head)
    else:
        period = _PERIOD.search(head, 0, caption.start()) if caption and not form else None
    if period:
        metadata["period"] = iso_date(_SPACE.sub(" ", period.group(1)))
    elif reported := _DATE_OF_REPORT.search(head):
        metadata["period"] = iso_date(_SPACE.sub(" ", reported.group(1) or reported.group(2)))
    if caption:
        name = head[:caption.start()].rstrip().rsplit("\n\n", 1)[-1].strip()
        if 0 < len(name) <= NAME_MAX_CHARS:
            metadata["issuer"] = _SPACE.sub(" ", name)
    return form, metadata


def _form(head: str) -> str | None:
    """The form the cover prints, "/A" added for an amendment; None without the Commission's name."""
    m = _FORM.search(head)
    if m is None or not _COMMISSION.search(head):
        return None
    form = re.sub(f"[{_DASH}]", "-", m.group("form")).upper()
    amended = m.group("pre") or m.group("a") or m.group("post") or _AMENDMENT_LINE.match(head, m.end() + 1)
    return f"{form}/A" if amended else form


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


def declares_amendment(text: str) -> bool:
    """Whether the opening of a text without a cover says it is an amendment ("This Amendment No. 1 on Form
    8-K/A ... amends the Current Report on Form 8-K filed on ..."): a draft of an 8-K/A or 10-K/A."""
    return _DECLARED_AMENDMENT.search(text, 0, COVER_CHARS) is not None


def iso_date(value: str) -> str:
    """A cover's date as an ISO date ("December 31, 2024" -> "2024-12-31"); the value itself where not one."""
    japanese = _JAPANESE_DATE.fullmatch(value.strip())
    if japanese:  # int() reads full-width digits as the digits they are
        try:
            return date(*(int(part) for part in japanese.groups())).isoformat()
        except ValueError:
            return value
    value = _ORDINAL.sub("", value)
    for fmt in ("%B %d, %Y", "%B %d %Y", "%Y-%m-%d", "%m/%d/%Y", "%d %B %Y", "%b. %d, %Y", "%b %d, %Y"):
        try:
            return datetime.strptime(value.replace("\u00a0", " "), fmt).date().isoformat()
        except ValueError:
            continue
    return value
