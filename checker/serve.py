"""`cydcheck serve`: a local web page that checks an uploaded draft and shows the HTML gap report."""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import json
import os
import re
import shutil
import socket
import stat
import sys
import tempfile
import threading
import webbrowser
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PureWindowsPath
from typing import Any

import uvicorn
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from . import __version__, deadline, ingest, peer_examples
from .api import Checker
from .diff import DraftDiff, absent_label, diff_reports
from .ingest.decode import DOCUMENT_BUNDLES
from .ingest.limits import MAX_BYTES_ENV, limit_text
from .ingest.word_lock import is_word_lock, lock_text
from .model import CheckerError, Document, Report, Result, counted
from .output import os_reason
from .report import copy_name, copy_with_findings, render
from .report.context import STATUS_LABEL
from .report.templating import environment, template_path
from .walk import UNREAD_DOCUMENTS

FORMS = ("auto", "10-K", "20-F", "8-K")
# every suffix the CLI reads is read here too, and offered by the file chooser (a Word user's first)
ACCEPT = tuple(sorted(ingest.READERS, key=lambda suffix: suffix not in (".docx", ".pdf")))
SUFFIXES = frozenset(ACCEPT)
ARCHIVES = (".zip", ".7z", ".gz", ".tgz", ".tar", ".rar")
# (format, file suffix, media type) of each download under the report
DOWNLOADS = (("html", "html", "text/html"), ("markdown", "md", "text/markdown"),
             ("json", "json", "application/json"), ("sarif", "sarif", "application/sarif+json"))
DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# the uploads that come back as a copy with their findings in it (`check -o x.docx`, `check -o x.pdf`)
COPY_MEDIA = {"docx": DOCX_MEDIA, "pdf": "application/pdf"}
FIELD_LIMIT = 64 * 1024  # form, dates: small fields
PREVIOUS_LIMIT = 1024 * 1024  # the previous report's statuses, carried by the page for the diff
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # its own Origin on its own form posts (no-referrer makes it "null")
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
FOLDER_PREFIX = "cydcheck-serve-"  # each request's private folder: cydcheck-serve-PID-xxxxxxxx
_LEFT = re.compile(re.escape(FOLDER_PREFIX) + r"(?P<pid>\d{1,10})-[a-z0-9_]+")
LOOPBACK_NAMES = ("127.0.0.1", "localhost")
LABEL_LIMIT = 120  # characters of the client's file name shown
DEFAULT_PORT = 8650


class UploadError(Exception):
    """A request the page cannot check: shown on the page with its HTTP status, never a traceback."""

    def __init__(self, status: int, message: str, log: str = ""):
        super().__init__(message)
        self.status = status
        self.message = message
        self.log = log  # a line for the server's log (the operator's concern), never the document's text


class ClientGone(Exception):
    """The browser went away before the upload finished."""


@dataclass(frozen=True)
class Settings:
    """What the server was started with; shared read-only by every request."""

    max_bytes: int = ingest.MAX_INPUT_BYTES
    tmp_root: Path | None = None  # where each request's private folder is made (default: the system's)
    check_slots: int = 2  # checks run at once; the rest wait (bounds memory and CPU)
    # seconds a request body may go without a byte before the upload is refused (nginx's client_body_timeout):
    # a client that opens an upload and trickles it, or stops, would otherwise hold its connection for ever
    body_idle_seconds: float = 60.0

    @property
    def body_limit(self) -> int:
        """The largest request body read: one input at the limit, the diff state and small fields."""
        return self.max_bytes + PREVIOUS_LIMIT + FIELD_LIMIT * 8


@dataclass
class Upload:
    """One posted form: small fields in memory; the file and pasted text as files in the private folder."""

    fields: dict[str, str] = field(default_factory=dict)
    file: Path | None = None
    filename: str = ""  # the client's base name: a label only, never a path
    text: Path | None = None


# ---------------------------------------------------------------- reading the request


def client_label(filename: str) -> str:
    """The base name the browser sent, for display only (any folders, Windows or POSIX, dropped)."""
    name = PureWindowsPath(PurePath(filename.replace("\x00", "")).name).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if len(name) > LABEL_LIMIT:  # shortened before its suffix, which says how the file is read
        suffix = PurePath(name).suffix[:12]
        name = name[:LABEL_LIMIT - len(suffix) - 1] + "…" + suffix
    return name or "upload"


def too_large(limit: int, size: int | None = None) -> str:
    """Why an upload past the size limit is refused (with its size when the browser said it), and what to
    do."""
    shown = f" ({round(size / (1024 * 1024))} MB)" if size else ""
    return (f"The upload{shown} is larger than the {limit_text(limit)} limit: check the filing's HTML or the "
            "Word draft instead (a PDF with its exhibits or images is far larger), or ask IT to raise the "
            f"limit ({MAX_BYTES_ENV}).")


def no_room(exc: OSError, settings: Settings) -> UploadError:
    """The server's own temporary folder cannot take an upload (full, read-only, gone): the user is told to
    try later, the log names the folder and the cause."""
    reason = os_reason(exc)
    where = settings.tmp_root or tempfile.gettempdir()
    return UploadError(507, f"The server has no room to keep the upload while it is checked ({reason}): try "
                            "again later, or ask IT to free space in its temporary folder.",
                       log=f"cannot store an upload in {where}: {reason}")


def make_folder(settings: Settings) -> Path:
    """A private folder for one request's upload, in the server's temporary folder, named with the server's
    process id (so that a server started later can tell it was left behind)."""
    try:
        return Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-", dir=settings.tmp_root))
    except OSError as exc:
        raise no_room(exc, settings) from None


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process (or no way to ask): taken as running
        return True
    return True


def left_behind(root: Path) -> list[Path]:
    """The upload folders in `root` of servers no longer running (killed mid-check, so never deleted): this
    user's own, named by make_folder."""
    getuid = getattr(os, "getuid", None)
    found = []
    for path in sorted(root.glob(f"{FOLDER_PREFIX}*-*")):
        m = _LEFT.fullmatch(path.name)
        try:
            st = path.lstat()
        except OSError:
            continue
        if m and stat.S_ISDIR(st.st_mode) and (getuid is None or st.st_uid == getuid()) \
                and not _running(int(m["pid"])):
            found.append(path)
    return found


def sweep(settings: Settings) -> None:
    """Delete the uploads a killed server left in the temporary folder, saying so in the log (names only)."""
    left = left_behind(Path(settings.tmp_root or tempfile.gettempdir()))
    for path in left:
        shutil.rmtree(path, ignore_errors=True)
    if left:
        names = ", ".join(p.name for p in left[:5]) + (", ..." if len(left) > 5 else "")
        print(f"cydcheck serve: removed {counted(len(left), 'upload folder')} left by a "
              f"server that was stopped before it could delete it ({names})", file=sys.stderr)


def refused_suffix(suffix: str) -> str:
    """Why a file of this suffix is not read, and what to do when it is a draft in another form."""
    refusal = f"cydcheck reads {', '.join(ACCEPT)} files, not {suffix or 'files without a suffix'}"
    if suffix in DOCUMENT_BUNDLES:  # Pages, Numbers, TextEdit: the program's own export
        return f"{refusal}: {DOCUMENT_BUNDLES[suffix][1].replace('check that', 'drop that')}."
    if suffix in UNREAD_DOCUMENTS:
        program = "Word" if suffix.startswith((".doc", ".dot")) else "its program"
        return f"{refusal}: open it in {program}, save it as .docx and drop that."
    if suffix in ARCHIVES:
        return f"{refusal}: take the draft out of the archive and drop it."
    return f"{refusal}."


class _Part:
    """Where one multipart part goes: a capped file in the private folder, or a capped buffer."""

    def __init__(self, name: str, filename: str | None, folder: Path, max_bytes: int, extra: bool = False):
        self.name, self.filename, self.size = name, filename, 0
        self.path: Path | None = None
        self.buffer = bytearray()
        self.handle = None
        self.extra = extra  # a second file dropped with the first: only its name is kept, to be told
        if extra:
            self.limit = max_bytes
        elif name == "file" and filename:
            suffix = PurePath(client_label(filename)).suffix.lower()
            if suffix not in SUFFIXES:
                raise UploadError(415, refused_suffix(suffix))
            self.path, self.limit = folder / f"upload{suffix}", max_bytes
        elif name == "text":
            self.path, self.limit = folder / "pasted.txt", max_bytes
        elif name == "previous":
            self.limit = PREVIOUS_LIMIT
        else:
            self.limit = FIELD_LIMIT
        if self.path is not None:
            self.handle = open(self.path, "wb")  # noqa: SIM115 - closed in end()

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit and self.name in ("file", "text"):
            raise UploadError(413, too_large(self.limit))
        if self.size > self.limit:
            shown = f"The field '{self.name[:40]}'"
            raise UploadError(413, f"{shown} is larger than the {limit_text(self.limit)} limit.")
        if self.handle is not None:
            self.handle.write(data)
        elif not self.extra:
            self.buffer += data

    def end(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[dict[str, Any], Receive, Send], Awaitable[None]]


async def _body(receive: Receive, state: dict[str, bool], idle: float) -> AsyncIterator[bytes]:
    # The ASGI body, chunk by chunk as it arrives; state["done"] tells whether it was read to the end.
    while True:
        try:
            message = await asyncio.wait_for(receive(), idle)
        except asyncio.TimeoutError:
            raise UploadError(408, f"The upload stopped: nothing arrived for {idle:g} seconds. "
                                   "Send the file again.") from None
        if message["type"] == "http.disconnect":
            raise ClientGone
        last = not message.get("more_body", False)
        state["done"] = last  # before the chunk is handed on: its reader may raise
        yield message.get("body", b"")
        if last:
            return


async def read_upload(request: Request, folder: Path, settings: Settings, state: dict[str, bool]) -> Upload:
    """Stream the multipart body into `folder`, enforcing every size limit before anything is held whole."""
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if ctype != b"multipart/form-data" or not boundary:
        raise UploadError(415, "The page posts its form as multipart/form-data; this request was not.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.body_limit:
        raise UploadError(413, too_large(settings.max_bytes, int(declared)))
    upload = Upload()
    parts: list[_Part] = []
    header: dict[str, bytearray] = {"field": bytearray(), "value": bytearray()}
    headers: dict[bytes, bytes] = {}

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header["field"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header["value"] += data[start:end]

    def on_header_end() -> None:
        headers[bytes(header["field"]).lower()] = bytes(header["value"])
        header["field"], header["value"] = bytearray(), bytearray()

    def on_headers_finished() -> None:
        disposition, options = parse_options_header(headers.get(b"content-disposition", b""))
        headers.clear()
        if disposition != b"form-data" or b"name" not in options:
            raise UploadError(400, "The form sent a part without a field name.")
        name = options[b"name"].decode("utf-8", "replace")
        filename = options.get(b"filename")
        again = any(p.name == name for p in parts)
        if again and name != "file":
            raise UploadError(400, f"The form sent the field '{name[:40]}' twice.")
        if len(parts) >= 16:
            raise UploadError(400, "The form sent too many fields.")
        parts.append(_Part(name, filename.decode("utf-8", "replace") if filename is not None else None,
                           folder, settings.max_bytes, extra=again))

    def on_part_data(data: bytes, start: int, end: int) -> None:
        parts[-1].write(data[start:end])

    def on_part_end() -> None:
        parts[-1].end()

    parser = MultipartParser(boundary, {
        "on_header_field": on_header_field, "on_header_value": on_header_value,
        "on_header_end": on_header_end, "on_headers_finished": on_headers_finished,
        "on_part_data": on_part_data, "on_part_end": on_part_end,
    })
    refused = UploadError(413, too_large(settings.max_bytes))
    received = 0
    try:
        async for chunk in _body(request.receive, state, settings.body_idle_seconds):
            received += len(chunk)
            if received > settings.body_limit:
                raise refused
            parser.write(chunk)
        parser.finalize()
    except UploadError:
        raise
    except ClientGone:
        raise
    except OSError as exc:  # the private folder could not take a part
        raise no_room(exc, settings) from None
    except Exception as exc:  # noqa: BLE001 - python-multipart's own errors: a malformed body
        raise UploadError(400, f"The upload is not a well-formed form ({type(exc).__name__}).") from None
    finally:
        for p in parts:
            p.end()
    dropped = [client_label(p.filename or "") for p in parts if p.name == "file"]
    if len(dropped) > 1:
        names = ", ".join(dropped)
        raise UploadError(400, f"{len(dropped)} files were dropped ({names}): drop one file at a time.")
    for p in parts:
        if p.path is not None:
            if p.name == "file":
                upload.file, upload.filename = p.path, client_label(p.filename or "")
            elif p.size:
                upload.text = p.path
        else:
            upload.fields[p.name] = p.buffer.decode("utf-8", "replace")
    return upload


async def drain(receive: Receive, state: dict[str, bool], limit: int, idle: float) -> None:
    """Read and drop the rest of a refused body (up to `limit`, while it keeps coming), so the browser gets to
    read the answer."""
    seen = 0
    try:
        async for chunk in _body(receive, state, idle):
            seen += len(chunk)
            if seen > limit:
                return
    except (ClientGone, UploadError):
        return


def own_page(request: Request) -> str:
    """The page's own address, as the browser reached it."""
    return f"{request.url.scheme}://{request.headers.get('host', '')}/"


def foreign_origin(request: Request) -> str:
    """The other site a browser says sent this request ('' when it is the page itself or no browser):
    any page on the web may post a form to the loopback address, and its Host header is then right.
    A browser's Sec-Fetch-Site cannot be set by a page and is believed; without it, the Origin is."""
    site = request.headers.get("sec-fetch-site", "")
    origin = request.headers.get("origin", "")
    if site in ("same-origin", "none"):
        return ""
    if site:
        return origin if origin not in ("", "null") else f"a {site} page"
    return origin if origin and origin != own_page(request).rstrip("/") else ""


# ---------------------------------------------------------------- checking


CheckDocument = Callable[[Document], list[Report]]


def check_upload(check: CheckDocument, upload: Upload, settings: Settings) -> list[Report]:
    """Read the file (or the pasted text) with the CLI's readers and check it (`check`: one document's
    reports, as `cydcheck check` gives them); errors name the upload."""
    form = upload.fields.get("form", "auto").strip() or "auto"
    if form not in FORMS:
        raise UploadError(400, f"Unknown form '{form[:20]}': choose one of {', '.join(FORMS)}.")
    dates: dict[str, str] = {}
    for key, label in (("determined_on", "Materiality determined on"), ("filed_on", "Filed on")):
        value = upload.fields.get(key, "").strip()
        if value:
            deadline.parse_date(value, label)  # a CheckerError naming the field
            dates[key] = value
    if upload.file is not None and is_word_lock(upload.filename):  # named so by the client, not the folder
        raise UploadError(400, f"{upload.filename}: {lock_text(upload.filename, look=False)}, not a draft: "
                               "drop the document itself (its name has no '~$')")
    if upload.file is not None:
        path, label = upload.file, upload.filename
    elif upload.text is not None:
        path, label = upload.text, "pasted text"
    else:
        raise UploadError(400, "Choose a file, drop one on the page, or paste the section's text.")
    try:
        documents = ingest.load(str(path), settings.max_bytes)
    except CheckerError as exc:
        raise UploadError(400, str(exc).replace(str(path), label)) from None
    reports = []
    for doc in documents:
        _relabel(doc, str(path), label)
        if form != "auto":
            doc.form = form
        doc.metadata.update(dates)
        reports.extend(check(doc))
    return peer_examples.attach(reports)  # "How peers say it" under each gap, as in the CLI's reports


def input_copy(upload: Upload, reports: Sequence[Report]) -> tuple[str, str, bytes] | None:
    """A Word draft's copy with its findings as comments (`check -o x.docx`), or a PDF's with them as notes,
    with its format and download name; None for any other upload."""
    fmt = Path(upload.filename).suffix.lower().lstrip(".")
    if upload.file is None or fmt not in COPY_MEDIA or len(reports) != 1:
        return None
    copy = copy_with_findings(reports, fmt, upload.file.read_bytes(), version=__version__)
    again = Path(upload.filename).stem.endswith("-checked")  # a copy checked again after edits keeps its name
    return fmt, upload.filename if again else copy_name(upload.filename, fmt), copy


def pasted_text(upload: Upload) -> str:
    """The text pasted in the box when it is what was checked (no file chosen), to be put back in the box."""
    if upload.file is not None or upload.text is None or not upload.text.exists():
        return ""
    return upload.text.read_text(encoding="utf-8", errors="replace")


def _relabel(doc: Document, path: str, label: str) -> None:
    # The private folder is never shown: the document is named after the client's file.
    if doc.source.startswith(path):
        doc.source = label + doc.source[len(path):]


# ---------------------------------------------------------------- the diff against the previous draft


def snapshot(reports: Sequence[Report]) -> str:
    """What the page carries to the next upload for the diff: each report's pack and statuses, as JSON."""
    return json.dumps({"v": 1, "reports": [
        {"source": r.document.source, "pack": r.pack_id, "version": r.pack_version, "title": r.pack_title,
         "results": [[x.rule, x.element, x.title, x.severity, x.status, list(x.missing_parts)]
                     for x in r.results]}
        for r in reports]}, ensure_ascii=False, separators=(",", ":"))


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


def from_snapshot(token: str) -> list[Report]:
    """The previous draft's reports, rebuilt from `snapshot`'s JSON; anything else is a 400."""
    try:
        data = json.loads(token)
        if not isinstance(data, dict) or data.get("v") != 1 or not isinstance(data.get("reports"), list):
            raise ValueError("not a snapshot")
        reports = []
        for r in data["reports"]:
            results = []
            for rule, element, title, severity, status, missing in r["results"]:
                if status not in STATUS_LABEL or not isinstance(missing, list):
                    raise ValueError("bad status")
                results.append(Result(_str(rule), element if element is None else _str(element), _str(title),
                                      status, _str(severity), "", "", "",
                                      missing_parts=[_str(m) for m in missing]))
            reports.append(Report(Document(text="", source=_str(r["source"])), _str(r["pack"]),
                                  _str(r["version"]), _str(r["title"]), results))
        return reports
    except (ValueError, TypeError, KeyError, RecursionError):
        raise UploadError(400, "The previous report sent with the form is damaged; upload the draft again "
                               "from a fresh page.") from None


def compare(previous: Sequence[Report], reports: Sequence[Report]) -> tuple[list[DraftDiff], str]:
    """Diff document by document when both drafts have as many documents checked with the same packs."""
    if len(previous) != len(reports):
        return [], (f"The previous upload had {len(previous)} documents and this one has {len(reports)}: "
                    "no comparison.")
    if any(o.pack_id != n.pack_id for o, n in zip(previous, reports, strict=True)):
        return [], "The previous upload was checked with a different pack: no comparison."
    return [diff_reports(o, n) for o, n in zip(previous, reports, strict=True)], ""


# ---------------------------------------------------------------- the page


def data_uri(content: str | bytes, media_type: str) -> str:
    if isinstance(content, bytes):
        return f"data:{media_type};base64,{base64.b64encode(content).decode('ascii')}"
    encoded = base64.b64encode(content.encode("utf-8")).decode("ascii")
    return f"data:{media_type};charset=utf-8;base64,{encoded}"


def in_frame(report_html: str) -> str:
    """The report as its frame's srcdoc: a link within it ('#row-3') is written 'about:srcdoc#row-3', else
    the browser resolves it against the page's address and loads that into the frame, which breaks it.
    (A document's text never holds 'href="#': its quotes are escaped.)"""
    return report_html.replace('href="#', 'href="about:srcdoc#')


FORM_TITLE = "cydcheck: check a cybersecurity disclosure"


def page_title(sources: Sequence[str], error: str = "") -> str:
    """The page's title, the first thing a screen reader says of it: what the answer is (an error, or the
    report of which file), where every answer was titled as the empty form."""
    if error:
        return f"Error: {error} — {FORM_TITLE}"
    if sources:
        return f"Gap report: {', '.join(dict.fromkeys(sources))} — {FORM_TITLE}"
    return FORM_TITLE


def render_page(settings: Settings, *, reports: Sequence[Report] = (), diffs: Sequence[DraftDiff] = (),
                notice: str = "", error: str = "", fields: dict[str, str] | None = None,
                copy: tuple[str, str, bytes] | None = None, name: str = "", pasted: str = "") -> str:
    """The upload form, then the error, or the report (the `check --format html` renderer) and downloads
    named after the uploaded file's `name` (and, for a Word draft or a PDF, `copy`: its format, name and
    bytes with the findings in it); the text `pasted` stays in its box, to edit and check again."""
    report_html = ""
    downloads = []
    if reports:
        outputs = {fmt: render(reports, fmt, version=__version__) for fmt, _, _ in DOWNLOADS}
        report_html = outputs["html"]
        stem = PurePath(name).stem or "cydcheck"
        downloads = [(fmt, f"{stem}-report.{ext}", data_uri(outputs[fmt], media))
                     for fmt, ext, media in DOWNLOADS]
        if copy is not None:
            fmt, copy_file, data = copy
            downloads.append((fmt, copy_file, data_uri(data, COPY_MEDIA[fmt])))
    env = environment(html=True)
    return env.get_template("serve.html.j2").render(
        page_title=page_title([r.document.source for r in reports], error),
        version=__version__, forms=FORMS, accept=",".join(ACCEPT), limit=limit_text(settings.max_bytes),
        fields=fields or {}, pasted=pasted, error=error, report_html=in_frame(report_html),
        downloads=downloads, diffs=list(diffs), notice=notice,
        previous=snapshot(reports) if reports else (fields or {}).get("previous", ""),
        sources=[r.document.source for r in reports], STATUS_LABEL=STATUS_LABEL,
        absent_label=absent_label)


def _respond(content: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(content, status_code=status)  # the security headers: SecurityHeaders, on every answer


def create_app(checker: Checker, settings: Settings, allowed_hosts: Sequence[str] = ("*",),
               check_one: CheckDocument | None = None) -> ASGIApp:
    """The ASGI app: GET / is the form, POST /check answers with the report page, /serve.js enhances it;
    every answer, an error's too, carries the security headers. `check_one` checks one document (default:
    the packs 'auto' chooses, every rule)."""
    check_one = check_one or checker.check_packs
    slots = asyncio.Semaphore(settings.check_slots)
    script = template_path("serve.js").read_text(encoding="utf-8")

    async def index(request: Request) -> Response:
        return _respond(render_page(settings))

    async def again(request: Request) -> Response:
        # the result's address opened again (Enter in the address bar, a restored tab, a bookmark): the form
        return RedirectResponse("/", status_code=303)

    async def enhance(request: Request) -> Response:
        return Response(script, media_type="text/javascript")

    async def check(request: Request) -> Response:
        state = {"done": False}
        folder: Path | None = None
        upload = Upload()
        try:
            folder = make_folder(settings)
            other = foreign_origin(request)
            if other:
                raise UploadError(403, "This page checks only files sent from itself; a request from "
                                       f"another page ({other[:80]}) was refused. Open "
                                       f"{own_page(request)} and drop the file there.")
            upload = await read_upload(request, folder, settings, state)
            try:
                previous = from_snapshot(upload.fields["previous"]) if upload.fields.get("previous") else []
            except UploadError:
                upload.fields.pop("previous")  # the page answering the error starts afresh
                raise
            async with slots:  # the page too: a big section's report and downloads are many times its size
                reports = await run_in_threadpool(check_upload, check_one, upload, settings)
                try:
                    copied, unmade = await run_in_threadpool(input_copy, upload, reports), ""
                except CheckerError as exc:  # the report stands; only the copy could not be made
                    kind = "Word copy with the findings as comments" if upload.filename.lower().endswith(
                        ".docx") else "copy with the findings in it"
                    copied, unmade = None, f"No {kind}: {exc}"
                diffs, notice = compare(previous, reports) if previous else ([], "")
                notice = " ".join(n for n in (notice, unmade) if n)
                page = await run_in_threadpool(
                    render_page, settings, reports=reports, diffs=diffs, notice=notice, fields=upload.fields,
                    copy=copied, name=upload.filename if upload.file is not None else "",
                    pasted=pasted_text(upload))
            return _respond(page)
        except UploadError as exc:
            if exc.log:
                print(f"cydcheck serve: {exc.log}", file=sys.stderr)
            if not state["done"]:
                await drain(request.receive, state, 4 * settings.body_limit, settings.body_idle_seconds)
            return _respond(render_page(settings, error=exc.message, fields=upload.fields,
                                        pasted=pasted_text(upload)), exc.status)
        except CheckerError as exc:
            return _respond(render_page(settings, error=str(exc), fields=upload.fields,
                                        pasted=pasted_text(upload)), 400)
        except ClientGone:
            return Response(status_code=400)
        except Exception as exc:  # noqa: BLE001 - the page never shows a traceback
            print(f"cydcheck serve: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
            message = f"Internal error ({type(exc).__name__}); please report this."
            return _respond(render_page(settings, error=message, fields=upload.fields), 500)
        finally:
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)

    routes = [Route("/", index, methods=["GET"]), Route("/check", check, methods=["POST"]),
              Route("/check", again, methods=["GET"]),
              Route("/serve.js", enhance, methods=["GET"])]
    guard = Middleware(HostGuard, allowed=tuple(allowed_hosts))  # DNS rebinding
    return SecurityHeaders(Starlette(routes=routes, middleware=[guard]))


# ---------------------------------------------------------------- running


def host_name(header: str) -> str:
    """The host a Host header names, without its port: 'localhost:8650' and '[::1]:8650' give 'localhost'
    and '[::1]'."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[:header.find("]") + 1] if "]" in header else ""
    return header.split(":", 1)[0]


class HostGuard:
    """Refuses a request whose Host header names a host the server was not started on: a page on another site
    whose name a rebinding DNS points at this address ('*' allows any, as with --allow-network)."""

    def __init__(self, app: ASGIApp, allowed: Sequence[str]):
        self.app, self.allowed = app, frozenset(h.lower() for h in allowed)

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and "*" not in self.allowed:
            host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
            if host_name(host) not in self.allowed:
                await PlainTextResponse("Invalid host header", status_code=400)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every answer (that does not set one of them itself): the app's pages, and
    the framework's own 404, 405 and 500 and HostGuard's 400, plain text a browser could otherwise sniff or
    frame."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1"))
                        for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                   *(h for h in self.headers if h[0] not in present)]}
            await send(message)

        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)


def allowed_hosts(host: str) -> list[str]:
    """The Host names a server started on `host` answers: a loopback address, its own and localhost's; any
    other address (--allow-network) is reached by names the server cannot know."""
    if not is_loopback(host):
        return ["*"]
    return [*LOOPBACK_NAMES, "[::1]", f"[{host}]" if ":" in host else host]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before the server starts so a taken port is a plain error."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise CheckerError(f"cannot resolve --host '{host}': {exc.strerror}") from None
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise CheckerError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def _open_when_started(server: uvicorn.Server, url: str) -> None:
    for _ in range(200):
        if server.started:
            webbrowser.open(url)
            return
        threading.Event().wait(0.05)


def run(host: str = "127.0.0.1", port: int = DEFAULT_PORT, *, open_browser: bool = False,
        checker: Checker | None = None, check_one: CheckDocument | None = None,
        echo: Callable[[str], None] = print) -> None:
    """Serve until interrupted. The caller has already refused a non-loopback host without consent."""
    # the environment is read first: a bad limit is said at once, not after compiling every pack
    settings = Settings(max_bytes=ingest.max_input_bytes(), check_slots=max(1, min(4, os.cpu_count() or 1)))
    sweep(settings)
    checker = checker or Checker()
    for pack_id in sorted(checker.available()):
        checker.pack(pack_id)  # compiled once, before any request: requests only read them
    app = create_app(checker, settings, allowed_hosts(host), check_one)
    sock = bind(host, port)
    url = url_of(sock)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    echo(f"cydcheck serve: {url} (Ctrl+C to stop)")
    if open_browser:
        threading.Thread(target=_open_when_started, args=(server, url), daemon=True).start()
    server.run(sockets=[sock])
