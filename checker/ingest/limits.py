"""The input size limit every reader enforces: 50 MB, or $CYDCHECK_MAX_BYTES."""

from __future__ import annotations

import os
from collections.abc import Mapping

from ..model import CheckerError

MAX_INPUT_BYTES = 50 * 1024 * 1024
# A bomb guard: a Word archive whose parts, or a PDF whose streams, expand past this all told is refused.
MAX_UNPACKED = 200 * 1024 * 1024
# A zip's directory (one entry of 46 bytes or more per part) past this is refused before it is loaded: a
# Word document lists tens to thousands of parts in a few kB, but 50 MB of empty parts list 600,000, and
# Python's zipfile holds each as an object of hundreds of bytes.
MAX_ZIP_DIRECTORY = 1024 * 1024
# A PDF's pages: a 10-K printed with its exhibits runs to hundreds; a page tree listing one small page
# 300,000 times is 1.8 MB, and reading it took 141 s and 1.7 GB.
MAX_PDF_PAGES = 5000
# HTML and a Word part's XML: tags allowed per byte of the size limit. Filings hold about one tag per 55
# bytes, Word's XML one per 25 to 30; 45 MB of "<p>x</p>" hold one per 4 and took 183 s and 4.3 GB to read
# (lxml's tree and the text walk: about 385 bytes a tag).
HTML_BYTES_PER_TAG = 25
MAX_BYTES_ENV = "CYDCHECK_MAX_BYTES"  # overrides the input size limit (bytes) for every command


def max_input_bytes(env: Mapping[str, str] = os.environ) -> int:
    """The input size limit: $CYDCHECK_MAX_BYTES when set, else 50 MB."""
    raw = env.get(MAX_BYTES_ENV, "").strip()
    if not raw:
        return MAX_INPUT_BYTES
    if not raw.isdigit() or int(raw) == 0:
        raise CheckerError(f"{MAX_BYTES_ENV} must be a positive whole number of bytes, not '{raw}'")
    return int(raw)


def limit_text(max_bytes: int) -> str:
    """The limit as the errors say it: "50 MB", or "100,000-byte" when it is no whole number of megabytes."""
    mib = 1024 * 1024
    return f"{max_bytes // mib} MB" if max_bytes % mib == 0 else f"{max_bytes:,}-byte"


_END = b"PK\x05\x06"  # a zip's end of central directory record (22 bytes and a comment of up to 64 kB)
_END64_LOCATOR, _END64 = b"PK\x06\x07", b"PK\x06\x06"


def zip_directory_size(raw: bytes) -> int:
    """The size of a zip archive's central directory as its end records declare it (the zip64 record's when
    it has one, as Python's zipfile reads it), before anything is loaded; 0 when no end record is found."""
    start = max(0, len(raw) - 22 - 0xFFFF)
    at = raw.rfind(_END, start)
    if at < 0 or len(raw) - at < 22:
        return 0
    sizes = [int.from_bytes(raw[at + 12:at + 16], "little")]
    locator = raw[at - 20:at] if at >= 20 else b""
    if locator.startswith(_END64_LOCATOR):  # the zip64 record: just before its locator, or where it says
        offset = int.from_bytes(locator[8:16], "little")
        for record in (raw[max(0, at - 76):at - 20], raw[offset:offset + 56]):
            if record.startswith(_END64) and len(record) == 56:
                sizes.append(int.from_bytes(record[40:48], "little"))
    return max(sizes)


def refuse_dense_markup(text: str | bytes, what: str, source: str) -> None:
    """Refuse markup (HTML, a Word part's XML) holding more tags than one per HTML_BYTES_PER_TAG bytes of the
    size limit, counted before it is parsed: each costs hundreds of bytes once parsed."""
    tags = text.count("<" if isinstance(text, str) else b"<")
    limit = max_input_bytes()
    if tags > limit // HTML_BYTES_PER_TAG:
        raise CheckerError(f"refusing to read {what}: it holds {tags:,} tags (the limit is "
                           f"{limit // HTML_BYTES_PER_TAG:,}, one per {HTML_BYTES_PER_TAG} bytes of the "
                           f"{limit_text(limit)} size limit)", file=source)


def too_large(max_bytes: int, source: str, what: str = "input") -> CheckerError:
    """The error for an input past the size limit, naming it and how to raise the limit."""
    limit = limit_text(max_bytes)
    return CheckerError(f"{what} is larger than the {limit} limit (set {MAX_BYTES_ENV} to raise it)",
                        file=source)
