"""Recognise cydcheck's own reports, so a report fed back in is refused instead of checked as a disclosure."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import regex

from .decode import marked_codec

# A report quotes every rule's message and guidance: checked as a draft it meets every element.
# Each format's signature, looked for at the start (and, for JSON, also the end) of the file.
_SIGNATURES = {
    "json or sarif": regex.compile(rb'\A\s*\{[\s\S]*"name"\s*:\s*"cydcheck"'),
    "html": regex.compile(rb'(?i)<meta\s+name="generator"\s+content="cydcheck'),
    "junit": regex.compile(rb'\A(?:<\?xml[^>]*>\s*)?<testsuites\s+name="cydcheck"'),
    "markdown": regex.compile(rb"\A\s*#{1,6} cydcheck: "),
    # The text report's first line: '<source>: 10-K Item 1C — pack <id> <version> (<how it was chosen>)',
    # wrapped onto lines indented by two spaces when the source name is long.
    "text": regex.compile(rb"\A[^\n]*:\s(?:[^\n]|\n  ){0,400}?\xe2\x80\x94\s+pack\s+\S+\s+\S+"),
    "github": regex.compile(rb"\A::(?:error|warning|notice) (?:file|title)="),
    # a batch run's own JSON lines: summary.jsonl's rows, and its state file's (a check of the run's folder
    # would read them as section records without text)
    "batch summary": regex.compile(rb'\A\{"key":\s*"(?:[^"\\]|\\.)*",\s*"source":'
                                   rb'[^\n]{0,4000}?"pack_version":'),
    "batch state": regex.compile(rb'\A\{"key":\s*"(?:[^"\\]|\\.)*",\s*"fingerprint":\s*"[^"]*",'
                                 rb'\s*"options":'),
}
# The HTML report printed to PDF (a workpaper) is compressed past recognising by its bytes: the text of
# its first page names the tool.
_PRINTED = regex.compile(r"cydcheck gap report|Checked by cydcheck \d")
HEAD = 4096  # bytes of the start (and end) of a file in which a signature is looked for


def _as_written(raw: bytes) -> bytes:
    """The bytes as cydcheck wrote them: UTF-8 with LF line ends, of a report that PowerShell's `>` saved as
    UTF-16 with a byte order mark (Out-File's UTF-8 with one), or an editor saved with CRLF."""
    marked = marked_codec(raw)
    if marked is not None:
        bom, codec = marked
        unit = 4 if codec.startswith("utf-32") else 2
        whole = raw[len(bom):len(raw) - (len(raw) - len(bom)) % unit]
        raw = whole.decode(codec, errors="replace").encode("utf-8")
    return raw.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")


def own_report_format(raw: bytes) -> str | None:
    """The format of the cydcheck report these bytes are, or None for anything else."""
    raw = _as_written(raw[:HEAD * 4] + raw[-HEAD * 4:] if len(raw) > HEAD * 8 else raw)
    head = raw[:HEAD]
    for name, pattern in _SIGNATURES.items():
        if pattern.search(head):
            return name
    if raw.lstrip()[:1] == b"{" and regex.search(rb'"name"\s*:\s*"cydcheck"', raw[-HEAD:]):
        return "json or sarif"  # a JSON report names the tool at its end
    return None


def is_html_report(head: bytes) -> bool:
    """True when these first bytes are those of a cydcheck HTML report (a page, an index, a dashboard)."""
    return own_report_format(head) == "html"


def replaceable(path: Path, ours: Callable[[bytes], bool] = is_html_report) -> bool:
    """True when an output may be written over the file at `path`: none is there, it is empty, or its first
    bytes are `ours` (a cydcheck report); never a file of the user's that only shares the name."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return not head.strip() or ours(head)


def printed_report(first_page: str) -> bool:
    """True when the first page's text is that of a cydcheck report printed to PDF."""
    return _PRINTED.search(first_page[:HEAD]) is not None


def refusal(fmt: str) -> str:
    return f"this is a cydcheck report ({fmt}), not a disclosure: check the draft it was made from"
