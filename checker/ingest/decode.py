"""Turn bytes into text: UTF-8 (with or without BOM), then cp1252, then latin-1; reject binary.

Also the one definition of the characters no reader keeps (`clean`), so a zero-width space inside
"Board" reads the same in a .txt, a .md, a JSON record, a .docx and an HTML filing.
"""

from __future__ import annotations

import re

from ..model import CheckerError

# Characters that show nothing but split words or carry terminal commands: soft hyphen, zero-width
# space/joiners, word joiner and invisible operators, BOM (anywhere), bidirectional controls, and
# every control character but tab, newline and form feed (ESC starts OSC 8 links, OSC 52 clipboard
# writes). Removed, not replaced: "Bo\u200bard" is "Board".
# Terminal escape sequences, whole: CSI (ESC [ ... final byte); OSC, DCS, SOS, PM, APC strings
# (ESC ] ... ended by BEL or ESC \\: OSC 8 links, OSC 52 clipboard writes); any other ESC pair.
ESCAPE_SEQUENCE = r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[^\[\]PX^_]?"
INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
                       "\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_ESCAPES = re.compile(ESCAPE_SEQUENCE)


def clean(text: str) -> str:
    """The text without escape sequences (whole) and the characters in INVISIBLE; every reader applies it."""
    if "\x1b" in text:  # rare: the single character class below is the fast path
        text = _ESCAPES.sub("", text)
    return INVISIBLE.sub("", text)


# Signatures of common binary formats handed in by mistake: zip (docx/xlsx), PDF, PNG, JPEG, GIF, gzip.
_BINARY_MAGIC = (b"PK\x03\x04", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b")


def decode(raw: bytes, source: str) -> str:
    if b"\x00" in raw[:8192] or raw.startswith(_BINARY_MAGIC):
        raise CheckerError("looks like a binary file, not text", file=source)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_legacy(raw, source)
    # One newline convention, so offsets and line numbers agree with what editors show.
    return clean(text.replace("\r\n", "\n").replace("\r", "\n"))


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
