"""Turn bytes into text: UTF-16/32 by their BOM, UTF-8 (BOM or none), cp1252, then latin-1; reject binary.

Also the one definition of the characters no reader keeps (`clean`), so a zero-width space inside
"Board" reads the same in a .txt, a .md, a JSON record, a .docx and an HTML filing.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence

from ..model import CheckerError, counted
from .limits import MAX_ZIP_DIRECTORY, zip_directory_size

# Characters that show nothing but split words or carry terminal commands: soft hyphen, zero-width
# space/joiners, word joiner and invisible operators, BOM (anywhere), bidirectional controls, and
# every control character but tab, newline and form feed (ESC starts OSC 8 links, OSC 52 clipboard
# writes). Removed, not replaced: "Bo\u200bard" is "Board".
# Terminal escape sequences, whole: CSI (ESC [ ... final byte); OSC, DCS, SOS, PM, APC strings
# (ESC ] ... ended by BEL or ESC \\: OSC 8 links, OSC 52 clipboard writes); any other ESC pair.
ESCAPE_SEQUENCE = r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[^\[\]PX^_]?"
# The bidirectional controls (marks, embeddings, overrides, isolates): "report\u202egnp.exe" shows as
# "reportexe.png". A character class's inside, for the reports' own guards (terminal, templates).
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
                       "\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_ESCAPES = re.compile(ESCAPE_SEQUENCE)


def clean(text: str) -> str:
    """The text without escape sequences (whole) and the characters in INVISIBLE; every reader applies it."""
    if "\x1b" in text:  # rare: the single character class below is the fast path
        text = _ESCAPES.sub("", text)
    return INVISIBLE.sub("", text)


# Signatures of the files handed in by mistake, and what the user can do: the error names the format.
_IMAGE = ("an image", " (binary), not text", "cydcheck reads text, not scans")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: Word 97-2003, or a .docx with a password
# (magic, what the file is, why it is not read as text, what to do)
_KNOWN_FORMATS = (
    (b"%PDF", "a PDF file", " (binary), not text", "a PDF is read as one when its name ends in .pdf"),
    (OLE_MAGIC, "a Word 97-2003 .doc or other old Office file", " (binary), not text",
     "save it as .docx to check it"),
    (b"PK\x03\x04", "a zip archive", " (binary: a .docx, .xlsx or .zip), not text",
     "a Word draft is read as one when its name ends in .docx"),
    (b"{\\rtf", "an RTF file", ", not plain text (its formatting codes would be read as words)",
     "save it as a .docx or plain text to check it"),
    (b"\x89PNG", *_IMAGE),
    (b"\xff\xd8\xff", *_IMAGE),
    (b"GIF8", *_IMAGE),
    (b"\x1f\x8b", "a gzip archive", " (binary), not text", "decompress it first"),
    (b"\x00\x05\x16\x07", "a macOS AppleDouble file ('._' and a document's name)",
     ": Finder's note of a file's attributes, kept beside it on a drive or share not formatted for the Mac",
     "check the document of the same name without '._'"),
)


# Text saved as "Unicode" (Word's "Unicode Text", Notepad's "UTF-16 LE"): told by its byte order mark. The
# UTF-32 marks first, as UTF-32 LE's begins with UTF-16 LE's.
_UNICODE_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                 (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
UNICODE_BOMS = tuple(bom for bom, _ in _UNICODE_BOMS)  # the byte order marks of UTF-16 and UTF-32 text


_SAVE_SECTION = "save the section as .docx, PDF, HTML or plain text to check it"
_NUMBERS = ("a Numbers spreadsheet", _SAVE_SECTION)
_PAGES = ("a Pages document", "in Pages choose File > Export To > Word (.docx) and check that")
# The documents a Mac keeps as a folder (a package, which Finder shows as one file), by suffix: what each is
# and what to do. A walk never enters one (an old Pages document's QuickLook/Preview.pdf is no draft).
DOCUMENT_BUNDLES = {
    ".pages": _PAGES,
    ".numbers": _NUMBERS,
    ".key": ("a Keynote presentation", _SAVE_SECTION),
    ".rtfd": ("a TextEdit document with attachments (.rtfd)",
              "in TextEdit save it with File Format 'Word 2007 Format' (.docx) and check that"),
}

# A zip archive by what it holds: (a part it has, what it is, and what to do)
_ZIPPED = (
    ("word/document.xml", "a Word .docx document",
     "a Word draft is read as one when its name ends in .docx"),
    ("content.xml", "an OpenDocument text (.odt)",
     "open it in LibreOffice or Word, save it as .docx and check that"),
    ("Index/CalculationEngine.iwa", *_NUMBERS),
    ("Index/Document.iwa", *_PAGES),
    ("xl/workbook.xml", "an Excel workbook",
     "save the section as .docx, PDF, HTML or plain text to check it"),
    ("ppt/presentation.xml", "a PowerPoint presentation",
     "save the section as .docx, PDF, HTML or plain text to check it"),
)
_SHOWN_NAMES = 3  # of a zip's files, named in the error


def archive_kind(names: Sequence[str]) -> tuple[str, str]:
    """What a zip archive holding these files is (a Word document, an OpenDocument text, a zip of N files ...)
    and what to do with it."""
    for part, what, advice in _ZIPPED:
        if part in names:
            return what, advice
    shown = ", ".join(names[:_SHOWN_NAMES]) + (", ..." if len(names) > _SHOWN_NAMES else "")
    count = counted(len(names), "file")
    return (f"a zip archive of {count} ({shown})" if names else "an empty zip archive",
            "take the draft or filing out of the archive and check that")


def zip_names(raw: bytes) -> list[str] | None:
    """The files a zip archive's directory lists (folders aside); None when it is no zip or cannot be read."""
    if not raw.startswith(b"PK\x03\x04") or zip_directory_size(raw) > MAX_ZIP_DIRECTORY:
        return None  # a directory that large is never listed: only said to be a zip archive
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            return [i.filename for i in zf.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def is_word_archive(names: Sequence[str]) -> bool:
    """The archive holds a Word document's parts (a .docx, or one damaged: the .docx reader says how)."""
    return any(n.startswith("word/") for n in names)


# A MIME message's header block (RFC 5322 fields up to the first blank line): Word's and a browser's "Single
# File Web Page" (.mht, .mhtml: multipart/related) and an e-mail saved from Outlook (.eml)
_MIME_HEADER = re.compile(rb"\A(?:[!-9;-~]+:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*\r?\n){1,40}?\r?\n")
_MIME_VERSION = re.compile(rb"(?im)^MIME-Version:")
_MULTIPART = re.compile(rb"(?im)^Content-Type:\s*multipart/(\w+)")


def _mime_message(raw: bytes) -> tuple[str, str, str] | None:
    """What a MIME message is (a web archive or an e-mail), why it is not read as text and what to do."""
    header = _MIME_HEADER.match(head_as_utf8(raw, 4096).removeprefix(b"\xef\xbb\xbf"))
    if header is None or not _MIME_VERSION.search(header.group()):
        return None
    multipart = _MULTIPART.search(header.group())
    why = ", not text (its headers, encoded lines and markup would be read as words)"
    if multipart is not None and multipart.group(1).lower() == b"related":
        return ("a web archive (a single-file web page, .mht)", why,
                "open it in Word, save it as .docx (or as a Web Page, .htm) and check that")
    return "an e-mail message (MIME)", why, "save the draft it carries as .docx or plain text and check that"


def _not_text(raw: bytes) -> tuple[str, str, str] | None:
    """What a file of a format that is not text is (a PDF, a zip by what it holds, an old Office file, RTF, an
    image, gzip, a web archive or e-mail), why it is not read as text and what to do with it; else None."""
    if (names := zip_names(raw)) is not None:
        what, advice = archive_kind(names)
        return what, ", not text", advice
    if (message := _mime_message(raw)) is not None:
        return message
    return next(((what, why, advice) for magic, what, why, advice in _KNOWN_FORMATS if raw.startswith(magic)),
                None)


def known_format(raw: bytes) -> tuple[str, str] | None:
    """What a file of a format that is not text is and what to do with it (see _not_text); None for anything
    else."""
    found = _not_text(raw)
    return (found[0], found[2]) if found else None


def decode(raw: bytes, source: str, breaks: bool = False) -> str:
    """The text of `raw` in its encoding, with one newline convention (with `breaks`, plain text's: Unicode's
    line and paragraph separators and a vertical tab break lines too); a format not text is refused."""
    text = file_text(raw, source)
    return settled(text)[0] if breaks else clean(text)


def file_text(raw: bytes, source: str) -> str:
    """The file's text as an editor shows it: decoded, with one newline convention, nothing removed (decode
    cleans it); a format not text is refused."""
    if (found := _not_text(raw)) is not None:
        what, why, advice = found
        raise CheckerError(f"looks like {what}{why}: {advice}", file=source)
    text = decode_marked(raw, source)
    if text is None:
        text = _unmarked_utf16(raw)
    if text is None:
        raw = _without_stray_nuls(raw)
        if b"\x00" in raw[:8192]:
            raise CheckerError("looks like a binary file, not text", file=source)
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_legacy(raw, source)
    # One newline convention, so offsets and line numbers agree with what editors show; in plain text (not in
    # markup, whose lines are the file's), the other breaks too
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Breaks other than a newline that text pasted from Mail, Pages or Word for Mac carries: Unicode's line and
# paragraph separators, and Word's manual line break (a vertical tab), which clean would remove, gluing words
_OTHER_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n\n", "\x0b": "\n"})


def other_breaks(text: str) -> str:
    """The text with "\\n" for U+2028 and a vertical tab, and a blank line for U+2029."""
    return text.translate(_OTHER_BREAKS)


# what clean(other_breaks(text)) changes: a break written as newlines, an escape sequence or an invisible
# character removed (the break first: a vertical tab is one, not an invisible character)
_SETTLE = re.compile(f"[\u2028\u2029\x0b]|{ESCAPE_SEQUENCE}|{INVISIBLE.pattern}")


def settled(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """clean(other_breaks(text)), and where it moved the text: (offset in it, offset in `text`) just after
    each change, so an offset into the settled text is mapped back to the file's (SourceMap.file_offset)."""
    pieces: list[str] = []
    moves: list[tuple[int, int]] = []
    done = size = 0  # how far into `text` is copied; the length of the settled text so far
    for m in _SETTLE.finditer(text):
        pieces.append(text[done:m.start()])
        size += m.start() - done
        written = clean(other_breaks(m.group()))  # what the two make of it: one definition of each
        pieces.append(written)
        size += len(written)
        done = m.end()
        moves.append((size, done))
    if not moves:
        return text, ()
    pieces.append(text[done:])
    return "".join(pieces), tuple(moves)


_STRAY_NULS = 8  # at most this many NUL bytes (or one in a thousand), in text otherwise UTF-8, are stray
_CONTROL_BYTES = re.compile(rb"[\x01-\x08\x0e-\x1f\x7f]")


def _without_stray_nuls(raw: bytes) -> bytes:
    """UTF-8 text with a few stray NUL bytes (an editor's or a copy's padding) without them; anything else
    as it is (binary data has many NULs, other control bytes or bytes that are no UTF-8: refused)."""
    nuls = raw.count(b"\x00")
    if not nuls or nuls > max(_STRAY_NULS, len(raw) // 1000):
        return raw
    kept = raw.replace(b"\x00", b"")
    if _CONTROL_BYTES.search(kept):
        return raw
    try:
        kept.decode("utf-8")
    except UnicodeDecodeError:
        return raw
    return kept


def marked_codec(raw: bytes) -> tuple[bytes, str] | None:
    """The UTF-16 or UTF-32 byte order mark `raw` starts with, and its codec; None when it has none."""
    return next(((bom, codec) for bom, codec in _UNICODE_BOMS if raw.startswith(bom)), None)


def head_as_utf8(raw: bytes, size: int) -> bytes:
    """The first `size` bytes of the text in UTF-8: of UTF-16 or UTF-32 text marked as such, its first
    characters re-encoded (so a sniffer of markup or tags reads them), else the bytes as they are."""
    marked = marked_codec(raw)
    if marked is None:
        return raw[:size]
    bom, codec = marked
    unit = 4 if codec.startswith("utf-32") else 2
    return raw[len(bom):len(bom) + size * unit].decode(codec, errors="replace").encode("utf-8")[:size]


def decode_marked(raw: bytes, source: str) -> str | None:
    """UTF-16 or UTF-32 text by its byte order mark; None when it has none."""
    marked = marked_codec(raw)
    if marked is None:
        return None
    bom, codec = marked
    try:
        return raw[len(bom):].decode(codec)
    except UnicodeDecodeError:
        raise not_as_marked(codec, source) from None


def settings_text(raw: bytes, source: str) -> str:
    """A settings file's text (a configuration, a baseline, a rule pack): UTF-8 (a byte order mark, as Notepad
    writes, read past), or UTF-16/32 with a byte order mark (Notepad's "Unicode"); other bytes (Windows'
    "ANSI") are an error saying where."""
    marked = decode_marked(raw, source)
    if marked is not None:
        return marked
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CheckerError(f"byte 0x{raw[exc.start]:02X} is not UTF-8 (saved as Windows 'ANSI'?): save the "
                           "file as UTF-8", file=source, line=raw.count(b"\n", 0, exc.start) + 1) from None


def not_as_marked(codec: str, source: str) -> CheckerError:
    """The error of bytes that do not decode as the byte order mark they start with says."""
    return CheckerError(f"cannot decode the file as {codec.upper()} (its byte order mark says it is)",
                        file=source)


_UNMARKED_SAMPLE = 8192  # bytes looked at to tell UTF-16 without a byte order mark
_UNMARKED_SHARE = 0.9
_PRINTABLE = frozenset(range(0x20, 0x7F)) | {0x09, 0x0A, 0x0D}


def _unmarked_utf16(raw: bytes) -> str | None:
    """UTF-16 text without a byte order mark (iconv's UTF-16LE, .NET's Encoding.Unicode): told by the bytes
    of one parity being NULs and those of the other printable ASCII (English prose; a filing's few curly
    quotes and dashes aside); None for anything else."""
    sample = raw[:_UNMARKED_SAMPLE]
    if len(raw) % 2 or len(sample) < 2:
        return None
    evens, odds = sample[0::2], sample[1::2]
    for codec, text_bytes, nuls in (("utf-16-le", evens, odds), ("utf-16-be", odds, evens)):
        if (nuls.count(0) >= _UNMARKED_SHARE * len(nuls)
                and sum(b in _PRINTABLE for b in text_bytes) >= _UNMARKED_SHARE * len(text_bytes)):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def _decode_legacy(raw: bytes, source: str) -> str:
    """Older EDGAR files: cp1252, else latin-1 (which decodes any byte, so check it looks like text)."""
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    if _control_share(text) > 0.01:
        raise CheckerError("cannot decode the file as text (not UTF-8, cp1252 or latin-1)", file=source)
    return text


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f" or 0x80 <= ord(c) < 0xA0)
    return bad / len(text)
