"""Read user inputs (files, records, standard input) into Documents: one reader module per format."""

from __future__ import annotations

import hashlib
import importlib
import os
import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

from ..model import CheckerError, Document
from . import decode, icloud, own_reports, records, submission, text
from .limits import MAX_BYTES_ENV as MAX_BYTES_ENV
from .limits import MAX_INPUT_BYTES as MAX_INPUT_BYTES
from .limits import max_input_bytes as max_input_bytes
from .limits import too_large
from .own_reports import own_report_format, refusal

_URL = re.compile(r"(https?|ftp|file)://", re.IGNORECASE)  # an address, not a path

Reader = Callable[[bytes, str], list[Document]]
# Names a filing's HTML or an EDGAR complete submission may be saved under by a tool that did not convert it:
# their first bytes say what they hold. (A submission named .htm opens with <SEC-DOCUMENT>, not HTML.)
STDIN = "<stdin>"  # standard input's name in reports, where no --stdin-filename names it
_TEXT_NAMES = (".txt", ".md", ".markdown", "")
_MAY_BE_SUBMISSION = (*_TEXT_NAMES, ".htm", ".html", ".xhtml")
_DOCX_MAGIC = (b"PK\x03\x04", decode.OLE_MAGIC)  # a zip, or a compound file (a password, an old .doc)


def _on_first_use(module: str) -> Reader:
    """The `read` of a reader module imported when a file of its format is first read: a text or JSON check
    never loads lxml (HTML, Word) or the inline XBRL reader."""
    def read(raw: bytes, source: str) -> list[Document]:
        return importlib.import_module(f"{__name__}.{module}").read(raw, source)
    read.__qualname__ = f"{module}.read"
    return read


# suffix -> reader(raw bytes, source name) -> list of Documents
READERS: dict[str, Reader] = {
    ".txt": text.read,
    ".md": text.read,
    ".markdown": text.read,
    ".json": records.read_json,
    ".jsonl": records.read_jsonl,
    ".ndjson": records.read_jsonl,
    ".htm": _on_first_use("html"),
    ".html": _on_first_use("html"),
    ".xhtml": _on_first_use("html"),
    ".docx": _on_first_use("docx"),
    ".pdf": _on_first_use("pdf"),
    ".webarchive": _on_first_use("webarchive"),  # Safari's "Web Archive"
}


def slashed(path: str) -> str | None:
    """A path or pattern written with Windows backslashes (`rules\\house`, from a file saved there) with '/',
    on a system whose separator is '/'; None when it has no backslash or '\\' is this system's separator."""
    return path.replace("\\", "/") if os.sep == "/" and "\\" in path else None


def on_disk(path: str, home: Path | None = None) -> str:
    """The path, or its other Unicode form (a Mac's decomposed 'Re\u0301sume\u0301') if only that exists."""
    where = (lambda p: home / p) if home is not None else Path
    if where(path).exists():
        return path
    return next((other for form in ("NFC", "NFD") if (other := unicodedata.normalize(form, path)) != path
                 and where(other).exists()), path)


_SHELL_ESCAPE = re.compile(r"\\(.)")  # Terminal's escape of a path dropped from Finder: 'Mobile\\ Documents'


def _respellings(path: str) -> list[tuple[str, str]]:
    """What a path naming nothing may have meant, and why: Windows backslashes (`drafts\\Q3.docx`), a path
    quoted in a shell ('~/...', or dropped from Finder into quotes: 'Mobile\\ Documents')."""
    found = []
    if (other := slashed(path)) is not None:
        found.append((other, "on this system folders are separated by '/'"))
    unescaped = _SHELL_ESCAPE.sub(r"\1", path) if os.sep == "/" else path
    if unescaped != path:
        why = "a path dropped from Finder into quotes keeps Terminal's backslashes: drop the quotes or them"
        found.append((os.path.expanduser(unescaped), why))
    if unescaped.startswith("~") and (home := os.path.expanduser(unescaped)) != unescaped:
        found.append((home, "'~' is not expanded inside quotes: put it outside them"))
    return found


def slash_hint(path: str, names_something: Callable[[str], bool] = os.path.exists) -> str:
    """For a path naming nothing, meant as one that names something here (_respellings): how to write it."""
    return next((f" ({why}: {other})" for other, why in _respellings(path) if names_something(other)), "")


def read_bytes(path: str, max_bytes: int | None = None) -> bytes:
    max_bytes = max_input_bytes() if max_bytes is None else max_bytes
    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        p = Path(path)
        if p.is_dir():
            bundle = decode.DOCUMENT_BUNDLES.get(p.suffix.lower())
            if bundle is not None:  # a Mac document kept as a folder, shown by Finder as one file
                raise CheckerError(f"{bundle[0]}, which cydcheck does not read: {bundle[1]}", file=path)
            raise CheckerError("is a directory, not a file", file=path)
        try:
            if p.stat().st_size > max_bytes:  # a regular file says its size: refuse before reading
                raise too_large(max_bytes, path, "file")
            with p.open("rb") as fh:  # pipes and devices report no size: never read past the limit
                data = fh.read(max_bytes + 1)
        except FileNotFoundError:
            # an address pasted from EDGAR or a browser: cydcheck works offline and never fetches one
            fetch = ("; cydcheck reads saved files and never fetches an address: save the document (e.g. the "
                     "filing's .htm from EDGAR) and check that file") if _URL.match(path) else ""
            if icloud.placeholder_beside(path) is not None:  # Finder shows it with a cloud: not downloaded
                raise CheckerError(icloud.not_downloaded(Path(path).name), file=path) from None
            raise CheckerError("no such file" + (fetch or slash_hint(path)), file=path) from None
        except PermissionError:
            raise CheckerError("permission denied", file=path) from None
        except OSError as exc:
            raise CheckerError(f"cannot read: {exc.strerror}", file=path) from None
    if len(data) > max_bytes:
        raise too_large(max_bytes, path)
    if path != "-" and icloud.is_placeholder(path, data):
        stands_for = icloud.placeholder_of(path) or ""
        raise CheckerError(f"an iCloud Drive placeholder: {icloud.not_downloaded(stands_for)}", file=path)
    return data


def load(path: str, max_bytes: int | None = None, fmt: str | None = None,
         stdin_name: str | None = None) -> list[Document]:
    """Read one input path (or '-') into one or more Documents. Standard input is named `stdin_name` where
    given (an editor's buffer, as ruff's --stdin-filename names it), and read as that name's suffix says."""
    max_bytes = max_input_bytes() if max_bytes is None else max_bytes
    path = path if path == "-" else on_disk(path)
    suffix = ("." + fmt) if fmt else Path(path).suffix.lower()
    if path == "-" and stdin_name and not fmt:
        named = Path(stdin_name).suffix.lower()
        fmt = named[1:] if named in READERS else None  # an unknown suffix: told from the bytes
        suffix = named
    if path != "-" and suffix in _MAY_BE_SUBMISSION and opens_submission(path):
        # streamed: the size limit is the checked document's, not the exhibits' and graphics'
        return submission.read_path(path, max_bytes)
    raw = read_bytes(path, max_bytes)
    source = (stdin_name or STDIN) if path == "-" else path
    return _documents(raw, source, None if path == "-" and not fmt else suffix, stdin=path == "-")


def load_bytes(raw: bytes, source: str = "<bytes>", fmt: str | None = None,
               max_bytes: int | None = None) -> list[Document]:
    """Read an input given as bytes (a library caller's upload) into Documents: its format is `fmt` (a
    suffix's name, "docx"), else told from its first bytes, as standard input's is."""
    max_bytes = max_input_bytes() if max_bytes is None else max_bytes
    if len(raw) > max_bytes:
        raise too_large(max_bytes, source)
    return _documents(raw, source, ("." + fmt.lstrip(".").lower()) if fmt else None)


def _documents(raw: bytes, source: str, suffix: str | None, stdin: bool = False) -> list[Document]:
    """The Documents an input's bytes hold, read as `suffix` says (None: told from the bytes)."""
    if not raw:  # a failed save or sync: said as such by every reader, not "not a zip archive"
        sync = ("" if stdin or source == STDIN else ": a failed save, or a file not yet downloaded from "
                "OneDrive or SharePoint (still syncing?): open it or wait, then check again")
        raise CheckerError(f"the file is empty (0 bytes){sync}", file=source)
    own = own_report_format(raw)
    if own:  # checked as a draft, a report quoting every rule's guidance meets every element
        raise CheckerError(refusal(own), file=source)
    if suffix is None:
        suffix = ".txt" if submission.is_submission(raw) else records.sniff_suffix(raw)
    elif (other := misnamed(raw, suffix)) is not None:
        what, advice = other
        raise CheckerError(f"named {suffix}, but it is {what}: {advice}", file=source)
    reader = READERS.get(suffix, text.read)
    if reader is text.read and suffix in _TEXT_NAMES and records.opens_as_html(raw):
        reader = READERS[".html"]  # a filing's HTML saved as .txt, .md or unsuffixed: its markup is no text
    utf8 = submission.as_utf8(raw) if reader is text.read else None  # a submission saved as UTF-16
    if reader is text.read and (utf8 is not None or submission.is_submission(raw)):
        reader = submission.read
    docs = reader(raw if utf8 is None else utf8, source)
    digest = hashlib.sha256(raw).hexdigest()
    for d in docs:
        if d.sha256 is None or utf8 is not None:  # the file's own bytes, as given
            d.sha256 = digest
    return docs


def misnamed(raw: bytes, suffix: str) -> tuple[str, str] | None:
    """What a file named .pdf or .docx is when its bytes are another format's (a PDF, a zip, an old Office
    file, RTF, an EDGAR submission, HTML), and what to do; None when they may be its own (its reader says what
    is wrong) or are of no format told here."""
    if suffix == ".pdf" and b"%PDF" in raw[:1024] or suffix == ".docx" and raw.startswith(_DOCX_MAGIC):
        return None
    if suffix not in (".pdf", ".docx"):
        return None
    if submission.is_submission(raw):
        return "an EDGAR complete submission", "rename it to .txt to check it"
    if records.opens_as_html(raw):
        return "an HTML file", "rename it to .htm to check it"
    return decode.known_format(raw)


def opens_submission(path: str) -> bool:
    """Whether the file opens as an EDGAR complete submission (its first bytes only). Only a regular file is
    opened to look: a pipe's bytes would be gone for its reader (load then sniffs what it read)."""
    try:
        if not Path(path).is_file():
            return False
        with open(path, "rb") as fh:
            return submission.is_submission(fh.read(submission.HEAD))
    except OSError:
        return False  # read_bytes says what is wrong with it


def is_own_report(path: str | Path) -> bool:
    """True when the file is one of cydcheck's own reports (only its first and last bytes are read; of a PDF,
    the text of its first page)."""
    if Path(path).suffix.lower() == ".pdf":
        from . import pdf  # a folder without PDFs never loads PDFium
        return pdf.is_printed_report(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(own_reports.HEAD)
            size = fh.seek(0, 2)
            tail = b""
            if size > own_reports.HEAD:
                fh.seek(max(size - own_reports.HEAD, own_reports.HEAD))
                tail = fh.read()
    except OSError:
        return False  # the reader says what is wrong with it
    return own_report_format(head + tail) is not None
