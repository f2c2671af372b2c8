"""Batch mode: check many filings in worker processes, write per-filing reports, a summary and a dashboard."""

from __future__ import annotations

import codecs
import errno
import hashlib
import io
import json
import os
import stat
import sys
import time
import unicodedata
from collections.abc import Callable, Collection, Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from . import __version__, deadline, ingest
from .api import TAG_PACK, Checker, adds_deadline
from .detect import CONTENT_PACKS
from .gate import SEVERITY_RANK
from .ingest import own_reports, records
from .ingest.decode import decode, marked_codec, not_as_marked
from .listing import expand_pattern, folder_files, has_magic, unread_note, unread_text
from .model import CheckerError, Document, Report, counted
from .output import Output, commit, create_temp, os_error, refuse_unexpanded_home, safe_name, temp_target
from .packs import builtin_rules_dir, load_outline
from .parallel import WORKER_DIED, become_worker
from .report import RENDERERS, render
from .report.dashboard import dashboard_html
from .summary import FIXED_COLUMNS, error_row, summary_csv, summary_jsonl, summary_row, with_tags
from .walk import (
    beside_submissions,
    checked_copies,
    copies_text,
    file_identity,
    is_document_bundle,
    redirected_streams,
    twins_text,
)

REPORTS_DIR = "reports"
STATE_DIR = "state"
STATE_FILE = "state.jsonl"  # in STATE_DIR: one line a finished input, what lets a re-run skip it
# In STATE_DIR: the SHA-256 of each summary as the run wrote it, so that the next run tells a summary edited
# since (a partner's comments typed into summary-excel.csv and saved in Excel) and does not overwrite it.
SUMMARY_HASHES = "summaries.json"
# This run's reports, and its state lines in journals (one a chunk of tasks, JOURNAL_SUFFIX), until the
# summaries are written: then the reports, the state file and the summaries are committed together, so
# the summaries always describe the reports beside them.
PENDING_DIR = ".cydcheck-pending"
JOURNAL_SUFFIX = ".jsonl"
SUMMARY_CSV = "summary.csv"
SUMMARY_JSONL = "summary.jsonl"
SUMMARY_EXCEL = "summary-excel.csv"  # summary.csv with a byte order mark and CRLF: Excel opens it as UTF-8
DASHBOARD = "dashboard.html"
SUMMARIES = (SUMMARY_CSV, SUMMARY_EXCEL, SUMMARY_JSONL, DASHBOARD)  # the files each run writes in --out
UP = (f"../{DASHBOARD}", "The batch dashboard")  # linked above each filing's HTML report, in REPORTS_DIR
LOCK = ".cydcheck-batch.lock"  # held (fcntl) for the whole run: one batch per --out folder at a time
WINDOW_PER_JOB = 4  # chunks in flight per worker: keeps workers busy without reading the whole input ahead
MAX_CHUNK = 16  # tasks sent to a worker at once (see chunk_size)


@dataclass(frozen=True)
class BatchOptions:
    """What every worker needs to check a task; picklable, and part of the resume fingerprint."""

    out: Path
    pack: str = "auto"
    form: str | None = None
    rules_dirs: tuple[str, ...] = ()
    html: bool = False
    force: bool = False
    jobs: int = 1
    packs_digest: str = ""  # hash of every pack file the run can use (see packs_digest())

    def fingerprint(self) -> dict[str, Any]:
        """The options that change a report or its summary row: a finished input is redone when they differ
        (a row kept from a run with other summary columns would leave the new ones blank)."""
        return {"version": __version__, "pack": self.pack, "form": self.form, "tags": True,
                "rules_dirs": list(self.rules_dirs), "html": self.html and "html" in RENDERERS,
                "packs": self.packs_digest,
                "columns": hashlib.sha256(",".join(FIXED_COLUMNS).encode()).hexdigest()[:12]}

    def pack_ref(self) -> str | Path:
        return Path(self.pack) if self.pack.endswith((".yaml", ".yml")) else self.pack

    def make_checker(self) -> Checker:
        return Checker(extra_dirs=[Path(d) for d in self.rules_dirs])


@dataclass(frozen=True)
class Task:
    """One unit of work: a file, or one record line of a JSONL file (read by offset in the worker)."""

    key: str
    path: str
    line: int | None = None
    offset: int = 0
    length: int = 0
    fingerprint: str = ""  # size and mtime of a file, hash of a record line
    problem: str | None = None  # an input that cannot be listed at all (a pattern matching nothing)
    bom: bytes = b""  # a UTF-16/32 JSONL file's byte order mark, which its lines' bytes are read with

    @cached_property  # asked for by the resume check, the worker and the commit list: worked out once
    def slug(self) -> str:
        stem = unicodedata.normalize("NFC", Path(self.path).name)
        for suffix in (".jsonl", ".ndjson", ".json", ".txt", ".md", ".html", ".htm"):
            stem = stem.removesuffix(suffix)
        if self.line is not None:
            stem = f"{stem}-{self.line}"
        digest = hashlib.sha1(self.key.encode("utf-8", "surrogateescape")).hexdigest()[:8]
        return f"{safe_name(stem)[:60] or 'input'}-{digest}"


@dataclass
class TaskOutcome:
    key: str
    rows: list[dict[str, Any]]
    failed: bool
    files: list[str] = field(default_factory=list)  # written under PENDING_DIR, to commit at the end
    state: dict[str, Any] | None = None  # the state line that lets a later run skip the task (not if failed)


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C during a batch; its text says what this run finished, kept for the next."""


@dataclass
class BatchResult:
    rows: list[dict[str, Any]]
    total: int = 0
    checked: int = 0
    skipped: int = 0
    failed: int = 0
    elapsed: float = 0.0
    note: str = ""  # inputs left out, said aloud: a gate never checks less than it was given silently
    unread: dict[str, list[str]] = field(default_factory=dict)  # by folder: documents cydcheck does not read

    def failing(self, fail_on: str) -> int:
        """How many filings have a gap (of their report or their cyd tags') at or above --fail-on."""
        if fail_on == "never":
            return 0
        return sum(1 for r in self.rows if any(worst and SEVERITY_RANK[worst] >= SEVERITY_RANK[fail_on]
                                               for worst in (r["worst"], r.get("tags_worst"))))

    def exit_code(self, fail_on: str) -> int:
        """2 when any input failed, 1 when a gap (of the filing's report or its cyd tags') reaches --fail-on,
        else 0."""
        if self.failed:
            return 2
        return 1 if self.failing(fail_on) else 0

    def gate_text(self, fail_on: str) -> str:
        """Why the run exits as it does, in a few words: "1 filing with a gap at or above --fail-on error:
        exit 1"."""
        code = self.exit_code(fail_on)
        failed = f"{counted(self.failed, 'input')} not checked ({SUMMARY_CSV}'s error column says why); "
        if fail_on == "never":
            return f"{failed if self.failed else ''}--fail-on never: exit {code}"
        n = self.failing(fail_on)
        return (f"{failed if self.failed else ''}{counted(n, 'filing')} with a gap at or above --fail-on "
                f"{fail_on}: exit {code}")


# ---------------------------------------------------------------- the pure per-record check


def check_record(record: Any, checker: Checker, pack: str | Path = "auto", source: str = "<record>",
                 line: int | None = None) -> Report:
    """Check one JSON record (the corpus/JSONL shape); no I/O, so it runs unchanged in any worker."""
    return checker.check_document(records.from_record(record, source, line), pack)


def check_line(text: str, checker: Checker, pack: str | Path = "auto", source: str = "<record>",
               line: int | None = None) -> dict[str, Any]:
    """One JSONL line -> its summary row; never raises for bad input (for map-style engines: Dask, Spark).
    Without a line number the row's key is its source, the record's id appended (`source#id`)."""
    key = None if line is None else f"{source}:{line}"
    try:
        record = records.parse_json(text, source, line)
        return summary_row(check_record(record, checker, pack, source, line), key)
    except CheckerError as exc:  # without a line, the record's id where it was read (exc.file: source#id)
        return error_row(key or exc.file or source, str(exc))


def packs_digest(options: BatchOptions) -> str:
    """SHA-256 over every pack file the run may read: the built-in rules, each --rules-dir, and the
    folder of a --pack file (its `extends` bases live there or in the rule folders). A resumed run
    redoes every filing when any of them changed, not only when the pack's name did."""
    folders = [builtin_rules_dir(), *(Path(d) for d in options.rules_dirs)]
    ref = options.pack_ref()
    files = [ref] if isinstance(ref, Path) else []
    if isinstance(ref, Path):
        folders.append(ref.parent)
    for folder in folders:
        if folder.is_dir():
            files.extend(sorted(folder.rglob("*.y*ml")))
    digest = hashlib.sha256()
    for f in files:
        try:
            data = f.read_bytes()
        except OSError:
            data = b"(unreadable)"
        digest.update(str(f.resolve()).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


# ---------------------------------------------------------------- listing the inputs


def expand_inputs(inputs: Sequence[str], unread: dict[str, list[str]] | None = None) -> list[Task]:
    """Folders (walked for known file types), glob patterns, files; JSONL files give one task a line.
    `unread`, when given, gets each folder's documents cydcheck does not read (listing.folder_files)."""
    tasks: dict[str, Task] = {}
    for spec in inputs:
        for task in _tasks_of(spec, {} if unread is None else unread):
            tasks.setdefault(task.key, task)  # the same file named twice is checked once
    return list(tasks.values())


def _tasks_of(spec: str, unread: dict[str, list[str]]) -> Iterator[Task]:
    """The tasks of one input (a folder's unread documents go to `unread`, by the folder as given)."""
    p = Path(spec)
    if p.is_dir() and not is_document_bundle(p):  # a Pages document kept as a folder: its reader says what
        found, left = folder_files(p)
        if left:
            unread.setdefault(spec, []).extend(str(f) for f in left)
        if not found:  # a folder that gives nothing is said aloud, like a pattern that matches nothing
            yield Task(spec, spec, problem="no input files in this folder")
        for f in found:
            yield from _file_tasks(str(f))
    elif not p.exists() and has_magic(spec):
        matches = expand_pattern(spec)
        if not matches:
            hint = ingest.slash_hint(spec, lambda p: bool(expand_pattern(p)))
            yield Task(spec, spec, problem="no files match this pattern" + hint)
        for m in matches:
            yield from _file_tasks(m)
    else:
        yield from _file_tasks(spec)  # a missing file fails in its worker with the reader's message


def is_own_output(path: str | Path, out_dir: Path, written: Collection[str] = ()) -> bool:
    """A file a batch run wrote into --out: the summaries, the dashboard, the lock, the state file, the
    pending folder, our temporaries, and under reports/ the reports a state line names (`written`, see
    report_files) or that are cydcheck reports (an earlier run's whose line is gone). A user's own filing
    saved under reports/ or state/ is an input like any other."""
    p, out = Path(path).resolve(), out_dir.resolve()
    if p.parent == out:
        return p.name in (*SUMMARIES, LOCK) or temp_target(p.name) in SUMMARIES
    if p.is_relative_to(out / PENDING_DIR):
        return True
    if p.parent == out / STATE_DIR:
        return p.name in (STATE_FILE, SUMMARY_HASHES) or temp_target(p.name) is not None
    if p.parent == out / REPORTS_DIR:
        return (f"{REPORTS_DIR}/{p.name}" in written or temp_target(p.name) is not None
                or ingest.is_own_report(p))
    return False


def report_files(states: dict[Path, dict[str, dict[str, Any]]]) -> set[str]:
    """The report files (`reports/<name>`) the state lines of earlier runs name, committed or pending."""
    return {f for lines in states.values() for state in lines.values()
            if isinstance(state.get("rows"), list)
            for f in _task_files([r for r in state["rows"] if isinstance(r, dict)]) if isinstance(f, str)}


def split_own_outputs(tasks: list[Task], out_dir: Path,
                      written: Collection[str] = ()) -> tuple[list[Task], list[Task]]:
    """(tasks to check, tasks dropped because their file is one of the run's own outputs: also the file its
    standard output or error is redirected to, `> log.txt`, made empty by the shell before the walk)."""
    kept, dropped = [], []
    own: dict[str, bool] = {}  # by path: the records of one JSONL file share it
    streams = redirected_streams()
    for t in tasks:
        if not t.problem and t.path not in own:
            own[t.path] = (is_own_output(t.path, out_dir, written)
                           or bool(streams) and file_identity(t.path) in streams)
        (dropped if not t.problem and own[t.path] else kept).append(t)
    return kept, dropped


def _is_jsonl(path: str) -> bool:
    return ingest.READERS.get(Path(path).suffix.lower()) is records.read_jsonl


def _file_tasks(path: str) -> list[Task]:
    if not _is_jsonl(path):
        try:
            st = os.stat(path)
            fingerprint = f"{st.st_size}:{st.st_mtime_ns}"
        except OSError:
            fingerprint = ""
        return [Task(path, path, fingerprint=fingerprint)]
    tasks = []
    try:
        with open(path, "rb") as fh:
            marked = marked_codec(fh.read(4))
            fh.seek(0)
            bom = marked[0] if marked else b""
            for n, (offset, raw, blank) in enumerate(_marked_lines(fh, *marked) if marked else _lines(fh), 1):
                if not blank:
                    digest = hashlib.sha1(raw).hexdigest()
                    tasks.append(Task(f"{path}:{n}", path, n, offset, len(raw), digest, bom=bom))
    except OSError as exc:
        return [Task(path, path, problem=f"cannot read: {exc.strerror}")]
    except CheckerError as exc:
        return [Task(path, path, problem=exc.message)]
    return tasks or [Task(path, path, problem="the file holds no JSON records")]


def _lines(fh: BinaryIO) -> Iterator[tuple[int, bytes, bool]]:
    """Each line of a JSONL file in an ASCII-compatible encoding: its offset, its bytes, whether blank."""
    offset = 0
    for raw in fh:
        yield offset, raw, not raw.strip()
        offset += len(raw)


def _marked_lines(fh: BinaryIO, bom: bytes, codec: str) -> Iterator[tuple[int, bytes, bool]]:
    """Each line of a UTF-16/32 JSONL file (whose b"\\n" bytes are no line ends), as _lines gives them, read
    as a stream: the file is never held whole."""
    fh.seek(len(bom))
    text = io.TextIOWrapper(fh, encoding=codec, newline="\n")  # at "\n" alone, as _lines (not at U+2028)
    offset = len(bom)
    try:
        for line in text:
            raw = line.encode(codec)
            yield offset, raw, not line.strip()
            offset += len(raw)
    except UnicodeDecodeError:
        raise not_as_marked(codec, fh.name) from None
    finally:
        text.detach()  # the caller closes the file


# ---------------------------------------------------------------- one task, in a worker


def _load_reports(task: Task, checker: Checker, options: BatchOptions) -> list[Report]:
    if task.line is None:
        docs = ingest.load(task.path)
    else:
        with open(task.path, "rb") as fh:
            fh.seek(task.offset)
            raw = fh.read(task.length)
        record = records.parse_json(decode(task.bom + raw, f"{task.path}:{task.line}"), task.path, task.line)
        docs = [records.from_record(record, task.path, task.line)]
    for doc in docs:
        doc.set_given(options.form)
    return [_check(doc, checker, options) for doc in docs]


def _check(doc: Document, checker: Checker, options: BatchOptions) -> tuple[Report, Report | None]:
    """A filing's report for its row, and under --pack auto its cyd-tags report where `check` would add one
    (checked together, so a flag the content pack does not accept is a tag finding, as in `check`)."""
    if str(options.pack_ref()) != "auto":
        return checker.check_document(doc, options.pack_ref()), None
    first, *rest = checker.check_packs(doc, ("auto",))
    return first, next((r for r in rest if r.pack_id == TAG_PACK), None)


def check_task(task: Task, checker: Checker, options: BatchOptions) -> TaskOutcome:
    """Check one task and write its reports under PENDING_DIR (committed with the summaries at the end
    of the run); the outcome carries its state line. Any failure becomes an error row."""
    if task.problem:
        return TaskOutcome(task.key, [error_row(task.key, f"{task.key}: {task.problem}")], True)
    reports_dir = options.out / PENDING_DIR / REPORTS_DIR
    want_html = options.html and "html" in RENDERERS
    try:
        reports = _load_reports(task, checker, options)
        rows = []
        sizes: list[int] = []  # each report's bytes, in _task_files order: a resumed run checks them
        for i, (report, tags) in enumerate(reports):
            name = task.slug if len(reports) == 1 else f"{task.slug}-{i + 1}"
            row = summary_row(report, task.key if len(reports) == 1 else f"{task.key}#{i + 1}")
            sizes.append(_write_pending(reports_dir / f"{name}.json",
                                        render([report], "json", version=__version__)))
            row["report"] = f"{REPORTS_DIR}/{name}.json"
            if want_html:
                sizes.append(_write_pending(reports_dir / f"{name}.html",
                                            render([report], "html", version=__version__, up=UP)))
                row["html"] = f"{REPORTS_DIR}/{name}.html"
            if tags is not None:
                sizes.append(_write_pending(reports_dir / f"{name}.{TAG_PACK}.json",
                                            render([tags], "json", version=__version__)))
                row = with_tags(row, tags)
                row["tags_report"] = f"{REPORTS_DIR}/{name}.{TAG_PACK}.json"
                if want_html:
                    sizes.append(_write_pending(reports_dir / f"{name}.{TAG_PACK}.html",
                                                render([tags], "html", version=__version__, up=UP)))
                    row["tags_html"] = f"{REPORTS_DIR}/{name}.{TAG_PACK}.html"
            rows.append(row)
    except CheckerError as exc:
        return TaskOutcome(task.key, [error_row(task.key, str(exc))], True)
    except Exception as exc:  # noqa: BLE001 - one broken filing must not stop a batch of thousands
        message = f"internal error: {type(exc).__name__}: {exc}"
        return TaskOutcome(task.key, [error_row(task.key, message)], True)
    state = {"key": task.key, "fingerprint": task.fingerprint, "options": options.fingerprint(), "rows": rows,
             "sizes": sizes, "at": time.time_ns()}
    return TaskOutcome(task.key, rows, False, _task_files(rows), state)


def check_chunk(tasks: Sequence[Task], checker: Checker, options: BatchOptions) -> Iterator[TaskOutcome]:
    """Check tasks in order. Each finished task's state line goes to one journal for the chunk, after
    its reports (a line names only files already written), flushed but not synced: a file a filing,
    not two (creating a file is most of what the kernel costs a filing)."""
    journal: TextIO | None = None
    try:
        for task in tasks:
            outcome = check_task(task, checker, options)
            if outcome.state is not None:
                if journal is None:
                    journal = _open_journal(options.out / PENDING_DIR / STATE_DIR)
                try:
                    journal.write(json.dumps(outcome.state) + "\n")  # ASCII: a name not UTF-8 is escaped
                    journal.flush()
                except OSError as exc:
                    raise os_error(exc, Path(journal.name)) from None
            yield outcome
    finally:
        if journal is not None:
            journal.close()


def _open_journal(folder: Path) -> TextIO:
    """A new journal in the pending state folder, under a name no other chunk or run has used."""
    stamp = f"{time.time_ns():x}-{os.getpid()}"
    n = 0
    while True:
        path = folder / f"{stamp}-{n}{JOURNAL_SUFFIX}"
        try:
            return open(path, "x", encoding="utf-8")  # noqa: SIM115 - closed by check_chunk
        except FileExistsError:
            n += 1
        except OSError as exc:
            raise os_error(exc, path) from None


def _write_pending(path: Path, text: str) -> int:
    """Write one file under PENDING_DIR atomically (a temporary renamed over it) without syncing it: the
    run syncs the disk once before it commits (`write_summaries`), and a resumed run trusts a pending
    file only at the size its state line recorded. Returns the file's size in bytes."""
    data = text.encode("utf-8", "surrogateescape")  # a file name that is not UTF-8: its own bytes
    try:
        fd, tmp = create_temp(path)  # created with a normal file's permissions
    except OSError as exc:
        raise os_error(exc, path) from None
    try:
        with open(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise os_error(exc, path) from None
        raise
    return len(data)


def _task_files(rows: list[dict[str, Any]]) -> list[str]:
    """The files a finished task wrote, relative to --out: its reports."""
    return [r[k] for r in rows for k in ("report", "html", "tags_report", "tags_html") if r.get(k)]


# A pool initializer can only hand its result to later tasks through a per-process global:
# each worker process builds its own Checker (compiled packs are not shared between processes).
_worker: tuple[Checker, BatchOptions] | None = None


def init_worker(options: BatchOptions, parent: int | None = None) -> None:
    global _worker
    become_worker(parent)  # Ctrl-C goes to the parent, which lets tasks finish; ends with the parent
    _worker = (options.make_checker(), options)


def run_tasks(tasks: Sequence[Task]) -> list[TaskOutcome]:
    """A chunk of tasks in one round trip to the worker (one pickled call and answer, not one per task)."""
    assert _worker is not None, "init_worker was not called"
    return list(check_chunk(tasks, *_worker))


def chunk_size(tasks: int, jobs: int) -> int:
    """Tasks sent to a worker at a time: up to MAX_CHUNK, but small enough that every worker gets
    several chunks (the last ones finish together)."""
    return max(1, min(MAX_CHUNK, tasks // (jobs * 8)))


# ---------------------------------------------------------------- the run


def read_state(out: Path) -> dict[Path, dict[str, dict[str, Any]]]:
    """The state lines earlier runs left, by key, in each folder: the pending journals an interrupted
    run left, then the committed state file. Read once; of a key's lines, the latest counts, and a
    line a kill cut short is passed over."""
    pending = out / PENDING_DIR / STATE_DIR
    try:
        journals = [pending / name for name in sorted(os.listdir(pending)) if name.endswith(JOURNAL_SUFFIX)]
    except OSError:
        journals = []
    return {out / PENDING_DIR: _state_lines(journals), out: _state_lines([out / STATE_DIR / STATE_FILE])}


def _state_lines(paths: Iterable[Path]) -> dict[str, dict[str, Any]]:
    """Each key's latest state line in these files (missing files and unreadable lines passed over)."""
    latest: dict[str, dict[str, Any]] = {}
    for path in paths:
        try:
            # surrogateescape, as the lines were written: a key of a non-UTF-8 name is its own bytes
            with open(path, encoding="utf-8", errors="surrogateescape") as fh:
                for line in fh:
                    try:
                        state = json.loads(line)
                    except ValueError:
                        continue
                    if not isinstance(state, dict) or not isinstance(state.get("key"), str):
                        continue
                    old = latest.get(state["key"])
                    if old is None or _stamp(state) >= _stamp(old):
                        latest[state["key"]] = state
        except OSError:
            continue
    return latest


def _stamp(state: dict[str, Any]) -> int:
    """When the line was written (ns since the epoch; 0 when it does not say)."""
    at = state.get("at")
    return at if isinstance(at, int) else 0


def _previous_outcome(task: Task, options: BatchOptions,
                      states: dict[Path, dict[str, dict[str, Any]]]) -> TaskOutcome | None:
    """The outcome of this task with the same input and options in an earlier run, if any: first one
    an interrupted run left pending (its files still to commit), then one already committed.
    `states`: the read_state() of the run."""
    if options.force or task.problem or not task.fingerprint:
        return None
    for folder in (options.out / PENDING_DIR, options.out):
        state = states.get(folder, {}).get(task.key)
        if state is None:
            continue
        if (state.get("key"), state.get("fingerprint"), state.get("options")) != (
            task.key, task.fingerprint, options.fingerprint()
        ):
            continue
        rows = state.get("rows")
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            continue
        files = _task_files(rows)
        ours = all(isinstance(f, str) and Path(f).parent.name == REPORTS_DIR
                   and len(Path(f).parts) == 2 for f in files)  # a state line names only our reports
        sizes = state.get("sizes")
        if not (isinstance(sizes, list) and len(sizes) == len(files)):
            continue  # a line without its reports' sizes (pending ones were never synced): check again
        if ours and all(_size(folder / f) == n for f, n in zip(files, sizes, strict=True)):
            return TaskOutcome(task.key, rows, False, files if folder != options.out else [], state)
    return None


def _size(path: Path) -> int:
    """The size of a regular file; -1 for anything else (missing, a folder)."""
    try:
        st = path.stat()
    except OSError:
        return -1
    return st.st_size if stat.S_ISREG(st.st_mode) else -1


def _execute(tasks: list[Task], options: BatchOptions) -> Iterator[TaskOutcome]:
    if not tasks:
        return
    if options.jobs <= 1:
        checker = options.make_checker()
        for i in range(0, len(tasks), MAX_CHUNK):
            yield from check_chunk(tasks[i:i + MAX_CHUNK], checker, options)
        return
    rest = tasks
    while rest:
        lost, rest = yield from _pooled(rest, options)
        yield from _one_by_one(lost, options)


Lost = tuple[list[Task], list[Task]]  # the tasks of chunks a dead worker held, and those not yet sent


def _pooled(tasks: list[Task], options: BatchOptions) -> Generator[TaskOutcome, None, Lost]:
    """Check tasks on options.jobs workers; when one dies (killed, out of memory), return what is left."""
    size = chunk_size(len(tasks), options.jobs)
    chunks = [tasks[i:i + size] for i in range(0, len(tasks), size)]
    sent = 0
    running: dict[Future[list[TaskOutcome]], list[Task]] = {}  # in the order sent
    with ProcessPoolExecutor(max_workers=options.jobs, initializer=init_worker,
                             initargs=(options, os.getpid())) as pool:
        try:
            try:
                while sent < len(chunks) and len(running) < options.jobs * WINDOW_PER_JOB:
                    running[pool.submit(run_tasks, chunks[sent])] = chunks[sent]
                    sent += 1
                while running:
                    finished, _ = wait(running, return_when=FIRST_COMPLETED)
                    for fut in finished:
                        outcomes = fut.result()
                        del running[fut]
                        yield from outcomes
                        if sent < len(chunks):
                            running[pool.submit(run_tasks, chunks[sent])] = chunks[sent]
                            sent += 1
            except BrokenProcessPool:  # from a result, or from a submit after the death
                pool.shutdown(wait=True, cancel_futures=True)
                return [t for chunk in running.values() for t in chunk], [t for c in chunks[sent:] for t in c]
        except BaseException:
            # Interrupted: drop queued tasks; running ones finish, so no file is left half-written.
            for fut in running:
                fut.cancel()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return [], []


def _one_by_one(tasks: list[Task], options: BatchOptions) -> Iterator[TaskOutcome]:
    """Check tasks one at a time in a worker process: a task whose worker dies gets an error row."""
    pool: ProcessPoolExecutor | None = None
    try:
        for task in tasks:
            if pool is None:
                pool = ProcessPoolExecutor(1, initializer=init_worker, initargs=(options, os.getpid()))
            try:
                outcomes = pool.submit(run_tasks, [task]).result()
            except BrokenProcessPool:
                pool.shutdown(wait=True)
                pool = None
                outcomes = [TaskOutcome(task.key, [error_row(task.key, f"{task.key}: {WORKER_DIED}")], True)]
            yield from outcomes
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _sweep_temp_files(out: Path) -> None:
    """Remove the temporaries a killed earlier run left behind: only ours (named as output.TEMP_NAME
    says), only those of files a batch writes, and only under the lock, so no running batch owns them. A
    user's own `*.tmp` files in `--out .` are left alone."""
    own = {out: SUMMARIES, out / REPORTS_DIR: None, out / STATE_DIR: None,
           out / PENDING_DIR / REPORTS_DIR: None, out / PENDING_DIR / STATE_DIR: None}
    for folder, names in own.items():
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for name in entries:
            target = temp_target(name)
            if target is not None and (names is None or target in names):
                (folder / name).unlink(missing_ok=True)


def lock_out(out: Path) -> Any:
    """Take the --out folder's lock for this run (released when the returned file is closed)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX: no lock, as before
        return None
    try:
        fh = open(out / LOCK, "a+b")  # noqa: SIM115 - held for the whole run
    except OSError as exc:
        raise CheckerError(f"cannot create the lock file: {exc.strerror}", file=str(out / LOCK)) from None
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        fh.close()
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise CheckerError("another cydcheck batch is writing to this folder; wait for it to finish",
                               file=str(out)) from None
        raise CheckerError(f"cannot lock the output folder: {exc.strerror}", file=str(out)) from None
    return fh


def _written_by_batch(path: Path) -> bool:
    """True when the file is missing or looks like a summary a batch wrote (a user's own
    `summary.jsonl` of records in --out must not be replaced by ours)."""
    def ours(head: bytes) -> bool:
        if path.name in (SUMMARY_CSV, SUMMARY_EXCEL):
            header = ",".join(FIXED_COLUMNS[:2]).encode("ascii") + b","
            return head.removeprefix(codecs.BOM_UTF8).startswith(header)
        if path.name == SUMMARY_JSONL:
            return head.startswith(b'{"key": ')  # summary_jsonl: json.dumps of a row, "key" first
        return own_reports.is_html_report(head)

    return own_reports.replaceable(path, ours)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def edited_summaries(out: Path) -> list[str]:
    """The summaries in `out` whose bytes are no longer those the last run recorded writing."""
    try:
        recorded = json.loads((out / STATE_DIR / SUMMARY_HASHES).read_bytes())
    except (OSError, ValueError):
        return []  # none recorded (a run before they were), or unreadable: as before, overwritten
    if not isinstance(recorded, dict):
        return []
    edited = []
    for name in SUMMARIES:
        try:
            data = (out / name).read_bytes()
        except OSError:
            continue
        if isinstance(recorded.get(name), str) and recorded[name] != _sha256(data):
            edited.append(name)
    return edited


def prepare_out(out: Path) -> Any:
    """Create --out, take its lock and sweep our stale temporaries; returns the lock to hold."""
    if out.exists() and not out.is_dir():
        raise CheckerError("--out must be a folder", file=str(out))
    refuse_unexpanded_home(out)
    for name in SUMMARIES:
        if not _written_by_batch(out / name):
            raise CheckerError("exists and was not written by cydcheck batch; it would be overwritten "
                               "(choose another --out)", file=str(out / name))
    edited = edited_summaries(out)
    if edited:
        raise CheckerError("was changed since cydcheck batch wrote it (edited and saved in Excel?); this run "
                           "would overwrite it: save it under another name, or delete it, and run again",
                           file=str(out / edited[0]))
    try:
        for folder in (out, out / REPORTS_DIR, out / STATE_DIR, out / PENDING_DIR / REPORTS_DIR,
                       out / PENDING_DIR / STATE_DIR):
            folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CheckerError(f"cannot create the output folder: {exc.strerror}", file=str(out)) from None
    lock = lock_out(out)
    _sweep_temp_files(out)
    return lock


def pack_elements(pack: str | Path = "auto", rules_dirs: Sequence[str | Path] = ()) -> list[str]:
    """The element columns of the packs a run can choose (under "auto", the built-in content packs), in their
    rules' order: a quarter without an 8-K keeps the 8-K columns where the last quarter had them. Read from
    the packs' outlines (`rules_dirs`: the run's own packs' folders): nothing is compiled for it (without a
    pack cache, seconds a pack)."""
    extra_dirs = [Path(d) for d in rules_dirs]
    ids: list[str] = []
    for ref in CONTENT_PACKS if pack == "auto" else (pack,):
        loaded = load_outline(ref, extra_dirs)
        # as a row lists them (element_statuses): the elements, then the rules of no element, then the
        # 8-K deadline that the check adds to a pack for 8-Ks
        ids += [r.element or r.id for r in sorted(loaded.rules, key=lambda r: r.element is None)]
        if adds_deadline(loaded):
            ids.append(deadline.RULE_ID)
    return list(dict.fromkeys(ids))


def run_batch(inputs: Sequence[str], options: BatchOptions,
              on_progress: Callable[[int, int, int], None] | None = None) -> BatchResult:
    """Check every input, skipping those finished by an earlier run; write the summary and dashboard.

    on_progress(done, total, skipped) is called after each task.
    """
    started = time.monotonic()
    lock = prepare_out(options.out)
    try:
        return _run_locked(inputs, options, on_progress, started)
    finally:
        if lock is not None:
            lock.close()


def _run_locked(inputs: Sequence[str], options: BatchOptions,
                on_progress: Callable[[int, int, int], None] | None, started: float) -> BatchResult:
    if options.pack != "auto":
        options.make_checker().pack(options.pack_ref())  # a bad --pack is a usage error, not 7,000 failures
    options = replace(options, packs_digest=packs_digest(options))
    states = read_state(options.out)
    unread: dict[str, list[str]] = {}
    tasks, own = split_own_outputs(expand_inputs(inputs, unread), options.out, report_files(states))
    readable = [t.path for t in tasks if not t.problem]
    twins, copies = beside_submissions(readable), checked_copies(readable)
    tasks = [t for t in tasks if t.problem or (t.path not in twins and t.path not in copies)]
    dropped = "; ".join(filter(None, (
        (f"{counted(len(own), 'input')} left out as this run's own outputs "
         f"in {options.out} (e.g. {own[0].path})") if own else "",
        twins_text(twins) if twins else "", copies_text(copies) if copies else "")))
    if not tasks:
        raise CheckerError("no input files found" + (f" ({dropped})" if dropped else "")
                           + "".join(f"; not checked in {f}: {unread_text(u)}" for f, u in unread.items()))
    rows_by_key: dict[str, list[dict[str, Any]]] = {}
    pending: list[str] = []  # files under PENDING_DIR to commit with the summaries
    failed_keys: set[str] = set()
    todo = []
    state = dict(states[options.out])  # committed lines of inputs not in this run are kept
    for task in tasks:
        previous = _previous_outcome(task, options, states)
        if previous is None:
            todo.append(task)
        else:
            rows_by_key[task.key] = previous.rows
            pending += previous.files
            state[task.key] = previous.state
    given = {t.key for t in tasks}
    earlier = sum(key not in given for key in states[options.out])  # kept in state/ and reports/
    if earlier:
        dropped = "; ".join(filter(None, (dropped, (
            f"{counted(earlier, 'input')} checked by earlier runs into {options.out} are not among this "
            "run's, so not in its summary (give them with these to list them: they are not checked again)"))))
    result = BatchResult(rows=[], total=len(tasks), skipped=len(rows_by_key), note=dropped, unread=unread)
    if on_progress:
        on_progress(result.skipped, result.total, result.skipped)
    kept = 0  # finished and journalled: a run after Ctrl-C skips them
    try:
        for outcome in _execute(todo, options):
            rows_by_key[outcome.key] = outcome.rows
            pending += outcome.files
            if outcome.state is not None:
                state[outcome.key] = outcome.state
                kept += 1
            result.checked += 1
            if outcome.failed:
                failed_keys.add(outcome.key)
            if on_progress:
                on_progress(result.skipped + result.checked, result.total, result.skipped)
    except KeyboardInterrupt:
        raise BatchInterrupted(f"{counted(kept, 'filing')} checked in this run are kept; run the same "
                               f"command again to go on from them ({SUMMARY_CSV} is written when a run ends)"
                               ) from None
    result.failed = len(failed_keys)
    result.rows = [row for task in tasks for row in rows_by_key.get(task.key, [])]
    write_summaries(result.rows, options.out, pending, state.values(),
                    [unread_note(f, u) for f, u in unread.items()],
                    pack_elements(options.pack_ref(), options.rules_dirs))
    result.elapsed = time.monotonic() - started
    return result


# ---------------------------------------------------------------- writing the summaries


def _sync_pending(out: Path, pending: Sequence[str]) -> None:
    """Put the pending files, written unsynced (`_write_pending`), on disk before they are committed:
    one sync of the disks, or where there is none (not POSIX) an fsync of each."""
    if hasattr(os, "sync"):
        os.sync()
        return
    for f in pending:  # not on POSIX
        with open(out / PENDING_DIR / f, "r+b") as fh:
            os.fsync(fh.fileno())


def write_summaries(rows: Sequence[dict[str, Any]], out: Path, pending: Sequence[str] = (),
                    state: Iterable[dict[str, Any]] | None = None, notes: Sequence[str] = (),
                    elements: Sequence[str] = ()) -> None:
    """Commit this run's pending reports and the state file (`state`: its lines; None leaves it as it
    is) together with the three summaries (all written, or none; `notes` go on the dashboard; `elements`,
    the CSV's first element columns), then clear the pending folder (also of what an interrupted run left
    there)."""
    staged = [Output(out / f, staged=out / PENDING_DIR / f) for f in pending]
    if staged:
        _sync_pending(out, pending)
    state_file = [] if state is None else [Output(out / STATE_DIR / STATE_FILE, summary_jsonl(state))]
    summaries = [Output(out / SUMMARY_CSV, summary_csv(rows, first=elements)),
                 Output(out / SUMMARY_EXCEL, summary_csv(rows, excel=True, first=elements)),
                 Output(out / SUMMARY_JSONL, summary_jsonl(rows)),
                 Output(out / DASHBOARD, dashboard_html(rows, notes))]
    hashes = {Path(o.path or "").name: _sha256(o.data) for o in summaries}
    commit([*staged, *state_file, *summaries,
            Output(out / STATE_DIR / SUMMARY_HASHES, json.dumps(hashes, indent=2) + "\n")])
    for folder in (out / PENDING_DIR / REPORTS_DIR, out / PENDING_DIR / STATE_DIR):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            try:
                os.unlink(os.path.join(folder, name))
            except FileNotFoundError:
                pass


# ---------------------------------------------------------------- progress on a terminal


@dataclass
class Progress:
    """A one-line progress bar (count, rate, ETA) redrawn in place on a terminal."""

    stream: TextIO = field(default_factory=lambda: sys.stderr)
    width: int = 28
    min_interval: float = 0.1
    _started: float = field(default_factory=time.monotonic)
    _last: float = 0.0

    def __call__(self, done: int, total: int, skipped: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < self.min_interval:
            return
        self._last = now
        self.stream.write("\r" + progress_line(done, total, skipped, now - self._started, self.width,
                                               stream_columns(self.stream)))
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def stream_columns(stream: TextIO, env: Mapping[str, str] = os.environ) -> int | None:
    """How many columns the terminal behind `stream` has (COLUMNS where it is set), None where none tells."""
    if env.get("COLUMNS", "").strip().isdigit():
        return int(env["COLUMNS"])
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError, io.UnsupportedOperation):
        return None


def progress_line(done: int, total: int, skipped: int, elapsed: float, width: int = 28,
                  columns: int | None = None) -> str:
    """'[#####.....]  120/7000  35.2/s  ETA 3m15s' — the rate counts only filings checked in this run; on a
    terminal of `columns`, the bar is narrowed (or left out) so that the line fits it: a line past its edge
    wraps, and each redraw leaves a line behind."""
    checked = done - skipped
    rate = checked / elapsed if elapsed > 0 else 0.0
    eta = (total - done) / rate if rate > 0 else None
    eta_text = "--" if eta is None else _duration(eta)
    figures = f"{done}/{total}  {rate:.1f}/s  ETA {eta_text} "
    if columns is not None:
        width = min(width, columns - 1 - len(figures) - 3)  # the last column left free: no wrap there
    if width < 5:
        return figures
    filled = int(width * done / total) if total else width
    return f"[{'#' * filled}{'.' * (width - filled)}] {figures}"


def _duration(seconds: float) -> str:
    s = int(round(seconds))
    if s >= 3600:
        return f"{s // 3600}h{s % 3600 // 60:02d}m"
    if s >= 60:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s}s"
