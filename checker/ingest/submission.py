"""EDGAR complete submission text files (full-submission.txt, ACCESSION.txt): the header's facts and the
filing's own document, read in one pass and without holding its exhibits in memory.

EDGAR wraps every document of a filing in one SGML file:

    <SEC-HEADER> <ACCEPTANCE-DATETIME>, CONFORMED SUBMISSION TYPE:, FILED AS OF DATE:, the filer </SEC-HEADER>
    <DOCUMENT> <TYPE>8-K <FILENAME>form8-k.htm <TEXT> (HTML, inline XBRL or text) </TEXT> </DOCUMENT>
    <DOCUMENT> <TYPE>EX-99.1 ... </DOCUMENT> ...

The document checked is the first whose type is the submission's (the 10-K of a 10-K; the first of all where
the header names no type). It is read by the HTML or the text reader, padded so that every line number is the
submission file's own. The header gives what the document cannot: EDGAR's filing date and moment of acceptance
(the 8-K deadline), the period of report (whether the item was yet required) and the filer's industry (peer
examples).
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
from .decode import UNICODE_BOMS, clean, decode
from .limits import MAX_BYTES_ENV, limit_text

HEAD = 4096  # the bytes that tell a submission from other text
_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:-----BEGIN PRIVACY-ENHANCED MESSAGE-----.{0,2000}?)?"
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
_LEAD = b" \t\xef\xbb\xbf"  # what may stand before a tag on its line: spaces, a UTF-8 byte order mark
_LEAD_FIRST = (b" ", b"\t", b"\xef")
_TAG_AT = re.compile(rb"\A([ \t\xef\xbb\xbf]*)<(/?[A-Z][A-Z0-9-]*)>")
_END = re.compile(rb"</TEXT>[ \t\r]*\n?\Z")  # the text's end, glued to its last line
# The header's blocks, one a company: the first is the filer whose CIK and industry the filing is
_BLOCK = re.compile(rb"[ \t]*(?:FILER|FILED BY|SUBJECT COMPANY|REPORTING-OWNER|ISSUER):[ \t]*\r?\n?\Z")
_BLANKS = re.compile(rb"\s*")
HTML_NAMES = (".htm", ".html", ".xhtml")
_HTML_START = re.compile(rb"<(?:html|\?xml|!doctype html|body|div|p|table|font|center)\b")


def is_submission(head: bytes) -> bool:
    """Whether the bytes open an EDGAR complete submission (after an optional PEM wrapper)."""
    return _START.match(head[:HEAD]) is not None


def as_utf8(raw: bytes) -> bytes | None:
    """A submission saved as UTF-16 or UTF-32 with a byte order mark (an editor's "Unicode"), in the UTF-8
    EDGAR wrote; None for anything else."""
    if not raw.startswith(UNICODE_BOMS):
        return None
    try:
        data = decode(raw, "").encode("utf-8")
    except CheckerError:
        return None
    return data if is_submission(data[:HEAD]) else None


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


class _Hashed(io.RawIOBase):
    """The file's bytes, hashed as they are read; a file whose lines end in a carriage return alone (an old
    Mac editor's save: no newline in its first HEAD bytes) is read with newlines in their place, as every
    reader reads a text's line ends."""

    def __init__(self, fh: BinaryIO, digest: hashlib._Hash):
        self.fh, self.digest = fh, digest
        self.pending = fh.read(HEAD)
        self.lone_cr = b"\r" in self.pending and b"\n" not in self.pending

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self.pending:
            data, self.pending = self.pending[:len(buffer)], self.pending[len(buffer):]
        else:
            data = self.fh.read(len(buffer))
        self.digest.update(data)
        if self.lone_cr:
            data = data.replace(b"\r", b"\n")
        buffer[:len(data)] = data
        return len(data)


def _lines(fh: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    """Lines of the file (pieces of at most _LINE bytes), each with whether it starts a line."""
    starts = True
    while piece := fh.readline(_LINE):
        yield piece, starts
        starts = piece.endswith(b"\n")


def _text(value: bytes) -> str:
    """A header value as text: EDGAR's headers are ASCII; anything else is read as latin-1 and cleaned of
    control characters and escape sequences, as every reader's text is."""
    return clean(value.decode("latin-1")).strip()


class _Parser:
    """The one pass over a submission's lines: the header's fields, each document's SGML header, and the
    primary document's text, kept with one newline for each line above it (so line numbers are the file's)."""

    def __init__(self, source: str, max_bytes: int):
        self.source, self.max_bytes = source, max_bytes
        self.sub = Submission()
        self.line_no = 0  # lines read so far: the current piece is on line line_no + 1
        self.in_header = False
        self.header_bytes = 0
        self.filers = 0  # the header's filer blocks begun: the company fields are the first one's
        self.doc: Part | None = None
        self.body: list[bytes] | None = None  # the primary document's text, once it begins
        self.size = 0

    def feed(self, piece: bytes, starts: bool) -> bool:
        """Take one piece of a line; False once the primary document's text has ended."""
        lead = b""  # the line from its first character that is not a space or a byte order mark
        if starts:
            lead = piece.lstrip(_LEAD) if piece[:1] in _LEAD_FIRST else piece
        tag = _TAG.match(lead) if lead.startswith(b"<") else None
        name = tag.group(1).decode() if tag else ""
        if self.body is not None:
            return self._body(piece, name)
        if name in ("SEC-HEADER", "/SEC-HEADER"):
            self.in_header = name == "SEC-HEADER"
        elif name == "ACCEPTANCE-DATETIME":
            self.sub.acceptance = _text(tag.group(2))
        elif self.in_header and starts:
            self._field(piece)
        elif name == "DOCUMENT":
            self.doc = Part(type="")
        elif self.doc is not None and name in ("TYPE", "FILENAME", "DESCRIPTION"):
            setattr(self.doc, name.lower(), _text(tag.group(2)))
        elif self.doc is not None and name == "TEXT":
            return self._text_begins(piece)
        if piece.endswith(b"\n"):
            self.line_no += 1
        return True

    def _field(self, piece: bytes) -> None:
        self.header_bytes += len(piece)
        if _BLOCK.match(piece):
            self.filers += 1
        found = _FIELD.match(piece) if self.header_bytes < _HEADER_MAX else None
        if not found or not found.group(2).strip():
            return
        key, value = _text(found.group(1)), _text(found.group(2))
        if key == "ITEM INFORMATION":
            self.sub.items.append(value)
        if self.filers <= 1:  # a co-registrant's CIK or industry is not the filer's
            self.sub.header.setdefault(key, value)

    def _text_begins(self, piece: bytes) -> bool:
        assert self.doc is not None
        if not _is_primary(self.doc, self.sub):
            self.sub.others.append(self.doc)
            self.doc = None
            self.line_no += piece.endswith(b"\n")
            return True
        self.sub.primary = self.doc
        if self.line_no + 1 > self.max_bytes:  # the padding counts against the limit, as the text does
            self._too_large()
        self.body = [b"\n" * self.line_no]
        self.size = self.line_no
        # EDGAR starts the text on the next line; a tool may not: what follows <TEXT> is text, in its columns
        return self._body(_blank_tag(piece), "")

    def _body(self, piece: bytes, name: str) -> bool:
        if name == "/TEXT":
            return False
        if name in ("XBRL", "/XBRL", "PAGE"):  # EDGAR's wrappers and page marks: blanks, the columns kept
            piece = _blank_tag(piece)
        end = _END.search(piece)  # "</TEXT>" ending a line of text, where a tool did not break the line
        if end:
            piece = piece[:end.start()] + b"\n"
        self.size += len(piece)
        if self.size > self.max_bytes:
            self._too_large()
        assert self.body is not None
        self.body.append(piece)
        if piece.endswith(b"\n"):
            self.line_no += 1
        return end is None

    def _too_large(self) -> None:
        assert self.doc is not None
        name = self.doc.filename or self.doc.type
        limit = limit_text(self.max_bytes)
        raise CheckerError(f"the filing's document {name} is larger than the {limit} limit "
                           f"with the lines above it (set {MAX_BYTES_ENV} to raise it)", file=self.source,
                           line=self.line_no + 1)


def _blank_tag(piece: bytes) -> bytes:
    """The line with its leading tag made spaces: its other characters keep their columns."""
    return _TAG_AT.sub(lambda m: m.group(1) + b" " * (m.end() - m.end(1)), piece, count=1)


def parse(fh: BinaryIO, source: str, max_bytes: int) -> Submission:
    """Read a submission: the header, the primary document's text (at most `max_bytes`, counting a newline
    for each line above it) and the names of the other documents; every byte is read once and only the
    primary document is kept."""
    digest = hashlib.sha256()
    fh = io.BufferedReader(_Hashed(fh, digest), _CHUNK)
    parser = _Parser(source, max_bytes)
    sub = parser.sub
    for piece, starts in _lines(fh):
        if not parser.feed(piece, starts):
            break
    else:
        if parser.body is not None:
            raise CheckerError("the submission is cut short: its document has no end (</TEXT>)", file=source)
        if sub.primary is None:
            kind = sub.header.get("CONFORMED SUBMISSION TYPE")
            raise CheckerError(f"an EDGAR submission with no {kind + ' ' if kind else ''}document in it",
                               file=source)
    sub.body = b"".join(parser.body or ())
    sub.others.extend(_later_parts(fh))
    sub.sha256 = digest.hexdigest()
    return sub


def _is_primary(doc: Part, sub: Submission) -> bool:
    """The first document of the submission's own type (EDGAR requires one); the first document of all when
    the header names no type."""
    if sub.primary is not None:
        return False
    kind = sub.header.get("CONFORMED SUBMISSION TYPE", "").upper()
    return not kind or doc.type.upper() == kind


def _later_parts(fh: BinaryIO) -> Iterator[Part]:
    """The type, file name and description of each document after the primary one, read in chunks; a
    document whose header may run past a chunk's end is taken from the next window, which overlaps it."""
    # `base`: the stream offset of window[0]; `done`: the first offset not yet reported
    window, base, done = b"", 0, 0
    while True:
        chunk = fh.read(_CHUNK)
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
    name = sub.primary.filename or sub.primary.type
    start = _BLANKS.match(sub.body).end()  # past the padding: the document's first bytes
    head = sub.body[start:start + 2048].lower()
    if not head:
        raise CheckerError(f"the filing's document {name} is empty", file=source)
    if head.startswith(b"<pdf>") or head.startswith(b"begin "):
        raise CheckerError(f"the filing's document {name} is an encoded file (PDF or image), not text",
                           file=source)
    # HTML by the document's own name, else by its first tags (a plain-text document may open with <PAGE>)
    if sub.primary.filename.lower().endswith(HTML_NAMES) or _HTML_START.search(head):
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
    """The header's facts where the document states none; EDGAR's filing date and moment of acceptance
    always (only EDGAR knows them; a date given on the command line still wins, set after reading)."""
    h, meta = sub.header, doc.metadata
    kind = h.get("CONFORMED SUBMISSION TYPE", "").upper()
    # EDGAR's type wins where the document states none, or states the form an amendment amends ("8-K" in
    # the dei facts of an 8-K/A, its AmendmentFlag aside): an amendment's deadline is not the original's.
    if kind and (not doc.form or kind == f"{doc.form.upper()}/A"):
        doc.form = kind
    stamp = sub.acceptance
    accepted = (f"{_iso_day(stamp[:8])}T{stamp[8:10]}:{stamp[10:12]}:{stamp[12:14]}"
                if re.fullmatch(r"\d{14}", stamp) else None)  # EDGAR's clock: Eastern time
    filed = _iso_day(h.get("FILED AS OF DATE", ""))
    if accepted:
        meta["accepted"] = accepted
    # The filing date is EDGAR's own (it moves a submission accepted after 5:30 p.m. to the next business
    # day, and carries any date the SEC adjusted); the moment of acceptance stands in only where it is absent.
    if filed or accepted:
        meta["filed_on"] = filed or accepted
    if filed:
        meta.setdefault("filed", filed)
    period = _iso_day(h.get("CONFORMED PERIOD OF REPORT", ""))
    if period:
        meta.setdefault("period", period)
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
