"""Turn bytes into text: UTF-8 (with or without BOM), then cp1252, then latin-1; reject binary."""

from __future__ import annotations

from ..model import CheckerError


def decode(raw: bytes, source: str) -> str:
    if b"\x00" in raw[:8192]:
        raise CheckerError("looks like a binary file, not text", file=source)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        if _control_share(text) > 0.01:
            raise CheckerError("cannot decode the file as text (not UTF-8, cp1252 or latin-1)", file=source)
    # One newline convention, so offsets and line numbers agree with what editors show.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f" or 0x80 <= ord(c) < 0xA0)
    return bad / len(text)
