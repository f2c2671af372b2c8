"""Output to a terminal whose locale is ASCII only (LC_ALL=C): dashes, quotes and accents spelt in ASCII."""

from __future__ import annotations

import codecs
import io
import locale
import os
import unicodedata
from collections.abc import Mapping
from typing import BinaryIO, TextIO

# The punctuation of reports and drafts, as an ASCII terminal can show it; other letters lose their accents
# (é -> e), and what is left is '?'.
_SPELT = str.maketrans({
    "\u2014": "--", "\u2013": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u2018": "'", "\u2019": "'", "\u201a": ",", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u00ab": '"', "\u00bb": '"', "\u2026": "...", "\u2022": "*", "\u00b7": "*", "\u00b6": "P.",
    "\u00a7": "S.", "\u2192": "->", "\u2190": "<-", "\u2265": ">=", "\u2264": "<=", "\u00d7": "x",
    "\u2713": "v", "\u2714": "v", "\u2705": "v", "\u2717": "x", "\u2718": "x", "\u274c": "x",
    "\U0001f7e1": "~", "\u2796": "-", "\u26a0": "!", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
    "\u00a9": "(c)", "\u00ae": "(R)", "\u2122": "(TM)", "\u20ac": "EUR", "\u00a3": "GBP",
})
_ASCII_CODESETS = {"ansi_x3.4-1968", "ascii", "us-ascii", "646", "iso646-us"}


def ascii_text(text: str) -> str:
    """`text` in ASCII: known punctuation spelt out, accents dropped, anything else '?'; a lone surrogate (a
    byte of a file name that is not UTF-8) is kept, to be written as its own byte."""
    spelt = text.translate(_SPELT)
    if spelt.isascii():
        return spelt
    return "".join(c if c.isascii() or "\udc80" <= c <= "\udcff" else _plain_letter(c) for c in spelt)


def _plain_letter(char: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base and base.isascii() else "?"


def locale_is_ascii(env: Mapping[str, str] = os.environ) -> bool:
    """True when the locale says the terminal shows ASCII only (LC_ALL=C, LC_ALL=POSIX) and PYTHONIOENCODING
    does not choose an encoding: Python then writes UTF-8 (its UTF-8 mode), which such a terminal garbles."""
    if env.get("PYTHONIOENCODING") or not hasattr(locale, "nl_langinfo"):
        return False
    return locale.nl_langinfo(locale.CODESET).lower() in _ASCII_CODESETS


class _AsciiWriter(io.RawIOBase):
    """A binary stream that writes UTF-8 it is given as ASCII (ascii_text) to another."""

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__()
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")  # a character split in two

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        text = self._decoder.decode(bytes(data))
        self._raw.write(ascii_text(text).encode("ascii", "surrogateescape"))
        self._raw.flush()
        return len(data)

    def isatty(self) -> bool:
        return self._raw.isatty()

    def fileno(self) -> int:
        return self._raw.fileno()


def ascii_stream(stream: TextIO) -> TextIO:
    """A text stream writing to `stream`'s bytes in ASCII: text and bytes (click writes a report as bytes)."""
    raw = _AsciiWriter(stream.buffer)  # type: ignore[attr-defined]
    return io.TextIOWrapper(io.BufferedWriter(raw), encoding="utf-8", errors="surrogateescape",
                            line_buffering=True, write_through=True)


def plain_terminal_streams(stdout: TextIO, stderr: TextIO, env: Mapping[str, str] = os.environ
                           ) -> tuple[TextIO, TextIO]:
    """Standard output and error as a terminal of an ASCII locale can show them (each one that is such a
    terminal; a file or a pipe keeps its UTF-8, so a saved report is the same on every machine)."""
    if not locale_is_ascii(env):
        return stdout, stderr
    return tuple(ascii_stream(s) if _is_tty(s) else s for s in (stdout, stderr))  # type: ignore[return-value]


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty() and hasattr(stream, "buffer")
    except (ValueError, OSError):
        return False
