"""EDGAR complete submission text files (full-submission.txt, ACCESSION.txt): the header's facts and the
filing's own document, read in one pass and without holding its exhibits in memory.

EDGAR wraps every document of a filing in one SGML file:

    <SEC-HEADER> <ACCEPTANCE-DATETIME>, CONFORMED SUBMISSION TYPE:, FILED AS OF DATE:, the filer </SEC-HEADER>
    <DOCUMENT> <TYPE>8-K <FILENAME>form8-k.htm <TEXT> (HTML, inline XBRL or text) </TEXT> </DOCUMENT>
    <DOCUMENT> <TYPE>EX-99.1 ... </DOCUMENT> ...

The document checked is the first whose type is the submission's (the 10-K of a 10-K), else the first. It is
read by the HTML or the text reader, padded so that every line number is the submission file's own. The header
gives what the document cannot: the moment EDGAR accepted it (the 8-K deadline), the period of report (whether
the item was yet required) and the filer's industry (peer examples).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from ..model import CheckerError, Document
from . import text
from .decode import clean
from .limits import MAX_BYTES_ENV, limit_text

HEAD = 4096  # the bytes that tell a submission from other text
_START = re.compile(rb"\A\s*(?:-----BEGIN PRIVACY-ENHANCED MESSAGE-----.{0,2000}?)?"
                    rb"<(?:SEC-DOCUMENT|SEC-HEADER)>", re.S)
_LINE = 1 << 20  # the longest piece of a line taken at once: a one-line HTML file stays bounded
_HEADER_MAX = 1 << 20  # header fields past this are not kept (filings with thousands of co-registrants)
# Greedy, with the value stripped after: a lazy value before "\s*$" is quadratic in a line of spaces.
_FIELD = re.compile(rb"[ \t]*([A-Z][A-Z0-9 ()/-]*):(.*)")
_TAG = re.compile(rb"<(/?[A-Z][A-Z0-9-]*)>(.*)")
# A later document's type, file name and description (at most a few lines after <DOCUMENT>).
_LATER = re.compile(rb"<DOCUMENT>\s*<TYPE>([^\r\n<]*)(?:\s*<SEQUENCE>[^\r\n<]*)?(?:\s*<FILENAME>([^\r\n<]*))?"
                    rb"(?:\s*<DESCRIPTION>([^\r\n<]*))?")
_CHUNK = 1 << 20
_OVERLAP = 4096
_SIC = re.compile(r"\[(\d{3,4})\]")
_BLANKS = re.compile(rb"\s*")


def is_submission(head: bytes) -> bool:
    """Whether the bytes open an EDGAR complete submission (after an optional PEM wrapper)."""
    return _START.match(head[:HEAD]) is not None


@dataclass
class Part:
    """One document of the submission, as its SGML header names it."""

    type: str
    filename: str = ""
    description: str = ""


@dataclass
class Submission:
    header: dict[str, str] = field(default_factory=dict)  # first value of each field (the first filer's)
    items: list[str] = field(default_factory=list)  # 8-K "ITEM INFORMATION" lines
    acceptance: str = ""  # <ACCEPTANCE-DATETIME>, YYYYMMDDhhmmss (Eastern time)
    primary: Part | None = None
    body: bytes = b""  # the primary document's text, padded with one newline for each line above it
    others: list[Part] = field(default_factory=list)
    sha256: str = ""


def _lines(fh: BinaryIO, digest: hashlib._Hash) -> Iterator[tuple[bytes, bool]]:
    """Lines of the file (pieces of at most _LINE bytes), each with whether it starts a line."""
    starts = True
    while piece := fh.readline(_LINE):
        digest.update(piece)
        yield piece, starts
        starts = piece.endswith(b"\n")


def _text(value: bytes) -> str:
    """A header value as text: EDGAR's headers are ASCII; anything else is read as latin-1 and cleaned of
    control characters and escape sequences, as every reader's text is."""
    return clean(value.decode("latin-1")).strip()


def parse(fh: BinaryIO, source: str, max_bytes: int) -> Submission:
    """Read a submission: the header, the primary document's text (at most `max_bytes`) and the names of the
    other documents; every byte is read once and only the primary document is kept."""
    digest = hashlib.sha256()
    sub = Submission()
    line_no = 0  # lines read so far (the line the current piece is on, 1-based, is line_no + 1)
    in_header = header_bytes = 0
    doc: Part | None = None
    body: list[bytes] | None = None
    size = 0
    lines = _lines(fh, digest)
    for piece, starts in lines:
        tag = _TAG.match(piece) if starts and piece.startswith(b"<") else None
        name = tag.group(1).decode() if tag else ""
        if body is not None:  # inside the primary document's <TEXT>
            if name == "/TEXT":
                break
            if name in ("XBRL", "/XBRL"):  # the inline XBRL wrapper: a blank line, so the lines still count
                piece = b"\n"
            size += len(piece)
            if size > max_bytes:
                raise CheckerError(f"the filing's document {doc.filename or doc.type} is larger than the "
                                   f"{limit_text(max_bytes)} limit (set {MAX_BYTES_ENV} to raise it)",
                                   file=source, line=line_no + 1)
            body.append(piece)
        elif name == "SEC-HEADER":
            in_header = 1
        elif name == "/SEC-HEADER":
            in_header = 0
        elif name == "ACCEPTANCE-DATETIME":
            sub.acceptance = _text(tag.group(2))
        elif in_header and starts:
            header_bytes += len(piece)
            found = _FIELD.match(piece) if header_bytes < _HEADER_MAX else None
            if found and found.group(2):
                key, value = _text(found.group(1)), _text(found.group(2))
                if key == "ITEM INFORMATION":
                    sub.items.append(value)
                sub.header.setdefault(key, value)
        elif name == "DOCUMENT":
            doc = Part(type="")
        elif doc is not None and name in ("TYPE", "FILENAME", "DESCRIPTION"):
            setattr(doc, name.lower() if name != "TYPE" else "type", _text(tag.group(2)))
        elif doc is not None and name == "TEXT":
            if _is_primary(doc, sub):
                sub.primary = doc
                body = [b"\n" * (line_no + 1)]  # the document's first line is the next one
            else:
                sub.others.append(doc)
                doc = None
        if piece.endswith(b"\n"):
            line_no += 1
    else:
        if body is not None:
            raise CheckerError("the submission is cut short: its document has no end (</TEXT>)", file=source)
        if sub.primary is None:
            kind = sub.header.get("CONFORMED SUBMISSION TYPE")
            raise CheckerError(f"an EDGAR submission with no {kind + ' ' if kind else ''}document in it",
                               file=source)
    sub.body = b"".join(body or ())
    sub.others.extend(_later_parts(fh, digest))
    sub.sha256 = digest.hexdigest()
    return sub


def _is_primary(doc: Part, sub: Submission) -> bool:
    """The first document of the submission's own type (EDGAR requires one); the first document of all when
    the header names no type."""
    if sub.primary is not None:
        return False
    kind = sub.header.get("CONFORMED SUBMISSION TYPE", "").upper()
    return not kind or doc.type.upper() == kind


def _later_parts(fh: BinaryIO, digest: hashlib._Hash) -> Iterator[Part]:
    """The type, file name and description of each document after the primary one, read in chunks; a
    document whose header may run past a chunk's end is taken from the next window, which overlaps it."""
    # `base`: the stream offset of window[0]; `done`: the first offset not yet reported
    window, base, done = b"", 0, 0
    while True:
        chunk = fh.read(_CHUNK)
        digest.update(chunk)
        window += chunk
        limit = len(window) - _OVERLAP if chunk else len(window)
        for m in _LATER.finditer(window):
            if m.start() >= limit:
                break
            if base + m.start() >= done:
                done = base + m.start() + 1
                yield Part(_text(m.group(1)), _text(m.group(2) or b""), _text(m.group(3) or b""))
        if not chunk:
            return
        cut = max(0, len(window) - _OVERLAP)
        base, window = base + cut, window[cut:]


def read(raw: bytes, source: str, max_bytes: int | None = None) -> list[Document]:
    """A submission given as bytes (standard input, or a file already read)."""
    return documents(parse(io.BytesIO(raw), source, max_bytes or len(raw) + 1), source)


def read_path(path: str, max_bytes: int) -> list[Document]:
    """A submission file, streamed: the size limit applies to the document checked, not to the exhibits."""
    with open(path, "rb") as fh:
        return documents(parse(fh, path, max_bytes), path)


def documents(sub: Submission, source: str) -> list[Document]:
    """The primary document, read by its own reader, with the header's facts beside what it states."""
    assert sub.primary is not None
    start = _BLANKS.match(sub.body).end()  # past the padding: the document's first bytes
    head = sub.body[start:start + 2048].lower()
    if head.startswith(b"<pdf>") or head.startswith(b"begin "):
        raise CheckerError(f"the filing's document {sub.primary.filename or sub.primary.type} is an encoded "
                           "file (PDF or image), not text", file=source)
    if b"<html" in head or b"<?xml" in head or b"<!doctype html" in head:
        from . import html  # lxml is loaded only for HTML
        docs = html.read(sub.body, source)
    else:
        docs = text.read(sub.body, source)
    for doc in docs:
        _attach(doc, sub)
    return docs


def _iso_day(value: str) -> str | None:
    return f"{value[:4]}-{value[4:6]}-{value[6:8]}" if re.fullmatch(r"\d{8}", value) else None


def _attach(doc: Document, sub: Submission) -> None:
    """The header's facts where the document states none; the moment of acceptance always (only EDGAR
    knows it)."""
    h, meta = sub.header, doc.metadata
    kind = h.get("CONFORMED SUBMISSION TYPE", "").upper()
    # EDGAR's type wins where the document states none, or states the form an amendment amends ("8-K" in
    # the dei facts of an 8-K/A, its AmendmentFlag aside): an amendment's deadline is not the original's.
    if kind and (not doc.form or kind == f"{doc.form.upper()}/A"):
        doc.form = kind
    stamp = sub.acceptance
    if re.fullmatch(r"\d{14}", stamp):  # EDGAR's clock is Eastern time: a naive date-time is read as ET
        meta["filed_on"] = f"{_iso_day(stamp[:8])}T{stamp[8:10]}:{stamp[10:12]}:{stamp[12:14]}"
    for key, field_name in (("filed", "FILED AS OF DATE"), ("period", "CONFORMED PERIOD OF REPORT")):
        day = _iso_day(h.get(field_name, ""))
        if day:
            meta.setdefault(key, day)
    for key, field_name in (("issuer", "COMPANY CONFORMED NAME"), ("accession", "ACCESSION NUMBER"),
                            ("cik", "CENTRAL INDEX KEY")):
        if h.get(field_name):
            meta.setdefault(key, h[field_name])
    sic = _SIC.search(h.get("STANDARD INDUSTRIAL CLASSIFICATION", ""))
    if sic:
        meta.setdefault("sic", sic.group(1))
    if sub.items:
        meta["items"] = list(sub.items)  # EDGAR's names ("Material Cybersecurity Incidents"); some hold a ";"
    doc.sha256 = sub.sha256
    if sub.others:
        doc.not_read = (*doc.not_read, _others(sub.others))


def _others(parts: list[Part]) -> str:
    """The other documents, as the scope names them: "the submission's 3 other documents (EX-99.1, ...)"."""
    kinds = list(dict.fromkeys(p.type for p in parts if p.type))
    shown = ", ".join(kinds[:6]) + (", ..." if len(kinds) > 6 else "")
    noun = "document" if len(parts) == 1 else "documents"
    return f"the submission's {len(parts)} other {noun}" + (f" ({shown})" if shown else "")
