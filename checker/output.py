"""Write a run's outputs: one guard against replacing an input, one all-or-nothing atomic commit."""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import regex

from .model import CheckerError

_UNSAFE = regex.compile(r"[^\p{L}\p{N}._-]+")  # what a report's file name leaves out of its input's name


def safe_name(stem: str) -> str:
    """An input's name as part of a report's file name: its letters and digits of any script (NFC: é, not e
    and an accent) and `._-` kept, every other run of characters one '-'; '' when none is left."""
    return _UNSAFE.sub("-", unicodedata.normalize("NFC", stem)).strip("-.")

STDOUT = "-"
TEMP_MARK = ".cydcheck-"  # in every temporary file name this module makes: `.<name>.cydcheck-*.tmp`
# The whole name of one: its target's name (cut to 100 characters), then mkstemp's 8 characters (temp_path)
# or 12 hex digits (temp_name)
TEMP_NAME = re.compile(r"\.(?P<target>.+)" + re.escape(TEMP_MARK) + r"(?:[a-z0-9_]{8}|[0-9a-f]{12})\.tmp",
                       re.DOTALL)


@dataclass(frozen=True)
class Output:
    """One rendered output: a file path, or standard output when the path is None or '-'.

    append: add the content at the end of the file instead of replacing it ($GITHUB_STEP_SUMMARY).
    staged: a file already written on the same file system (a batch report): linked into place
    by the commit instead of writing the content.
    """

    path: str | Path | None
    content: str | bytes = b""
    append: bool = False
    staged: Path | None = None

    @property
    def to_stdout(self) -> bool:
        return self.path is None or str(self.path) == STDOUT

    @property
    def data(self) -> bytes:
        # a file name that is not UTF-8 ("r\xe9sum\xe9.md", held as surrogate escapes) is written as its own
        # bytes, as the terminal shows it
        content = self.content
        return content.encode("utf-8", "surrogateescape") if isinstance(content, str) else content


def is_stdout(path: str | Path | None) -> bool:
    return path is None or str(path) == STDOUT


def names_folder(path: str | Path | None) -> bool:
    """True when the output path means a folder: it ends with a path separator (`out/`, which
    need not exist yet) or names an existing folder."""
    if is_stdout(path):
        return False
    try:
        return _ends_with_separator(path) or Path(path).is_dir()  # type: ignore[arg-type]
    except OSError:  # a name too long to look up is no folder: writing to it is the one-line error
        return False


def _ends_with_separator(path: str | Path | None) -> bool:
    return os.fspath(path or "").endswith(tuple(s for s in (os.sep, os.altsep) if s))


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of what the path names, following links; None when it names nothing."""
    try:
        st = path.stat()
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino)


def input_identities(inputs: Iterable[str | Path]) -> dict[tuple[int, int], str]:
    """The files behind the inputs (links followed, so hard and symbolic links count as the same file)."""
    found: dict[tuple[int, int], str] = {}
    for i in inputs:
        if is_stdout(i):
            continue
        p = Path(i)
        files = [p]
        if p.is_dir():  # a folder of inputs (a corpus, a batch folder): every file in it
            files = [Path(root) / f for root, _dirs, names in os.walk(p) for f in names]
        for f in files:
            ident = _identity(f)
            if ident is not None:
                found.setdefault(ident, str(f))
    return found


def guard(outputs: Iterable[str | Path | None], inputs: Iterable[str | Path]) -> None:
    """Refuse a run whose output would replace one of its inputs.

    An output path may not be an input, a link to one, or a path an input links to; for an output
    folder, no file inside it may be an input either (a report page could take its name). A path
    the system refuses to look at (too long, a loop of links) is a one-line error naming it.
    """
    outputs, inputs = list(outputs), list(inputs)
    try:
        _guard(outputs, inputs)
    except OSError as exc:
        name = exc.filename or next((str(o) for o in outputs if o), ".")
        if any(str(i) == str(name) for i in inputs):  # an input's name the system refuses, not an output's
            raise CheckerError(f"cannot read the input: {os_reason(exc)}", file=str(name)) from None
        raise os_error(exc, Path(name)) from None


def _guard(outputs: list[str | Path | None], inputs: Iterable[str | Path]) -> None:
    identities = input_identities(inputs)
    if not identities:  # no input file to protect (a batch's commit): nothing to compare the outputs with
        return
    resolved = {_real(name): name for name in identities.values()}
    for out in outputs:
        if is_stdout(out):
            continue
        target = Path(out)  # type: ignore[arg-type]
        clash = identities.get(_identity(target)) if _identity(target) else None
        clash = clash or resolved.get(_real(target))
        if clash is None and target.is_dir():
            folder = _real(target)
            clash = next((name for path, name in resolved.items() if path.parent == folder), None)
        if clash is not None:
            raise CheckerError(f"output path is one of the input files ({clash}); it would be overwritten",
                               file=str(out))


def _real(path: str | Path) -> Path:
    """The path with links followed as far as they go (a loop of links is left as it is, not an error)."""
    return Path(os.path.realpath(path))


# Windows' errors for a file another program holds open (ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION): a
# summary or report open in Excel cannot be replaced until Excel closes it.
_IN_USE = (32, 33)
IN_USE = "the file is open in another program (Excel?): close it there and run again"


def os_reason(exc: OSError) -> str:
    """Why a write failed, in the words the errors use ("the disk is full", "read-only file system")."""
    if getattr(exc, "winerror", None) in _IN_USE:
        return IN_USE
    return {errno.ENOSPC: "the disk is full", errno.EROFS: "read-only file system",
            errno.EACCES: "permission denied", errno.EPERM: "permission denied",
            errno.EDQUOT: "disk quota exceeded"}.get(exc.errno or 0, exc.strerror or str(exc))


def os_error(exc: OSError, path: Path) -> CheckerError:
    return CheckerError(f"cannot write the output: {os_reason(exc)}", file=str(path))


def refuse_unexpanded_home(target: Path) -> None:
    """Refuse an output path whose first folder is a '~' the shell left as it is ('~/Desktop/gaps.html' in
    quotes): a folder named '~' would be created in the current one, not the file put in the home folder."""
    first = target.parts[0] if target.parts else ""
    if not first.startswith("~") or Path(first).exists() or (home := os.path.expanduser(target)) == target:
        return
    raise CheckerError(f"output path starts with '{first}', which the shell expands only outside quotes: "
                       f"a folder named '{first}' would be created here; put it outside the quotes, or give "
                       f"{home}", file=str(target))


def _missing_folders(folder: Path) -> list[Path]:
    """The folders to create (outermost first) so that `folder` exists."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    if folder.exists() and not folder.is_dir():
        raise CheckerError("output folder is a file", file=str(folder))
    return missing[::-1]


def temp_path(target: Path) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:100]}{TEMP_MARK}", suffix=".tmp", dir=target.parent)
    os.close(fd)
    return Path(tmp)


TEMP_TRIES = 100  # as many names as mkstemp tries before it gives up
T = TypeVar("T")


def temp_target(name: str) -> str | None:
    """The target's name (as cut) in a name of a temporary this module makes; None for any other name."""
    m = TEMP_NAME.fullmatch(name)
    return m["target"] if m else None


def temp_name(target: Path) -> Path:
    """A fresh name beside the target for a temporary, named like temp_path's (`.<name>.cydcheck-*.tmp`)
    but not created: the caller creates it exclusively (O_EXCL, a link) and asks again if it is taken."""
    return target.with_name(f".{target.name[:100]}{TEMP_MARK}{os.urandom(6).hex()}.tmp")


def _claim_temp(target: Path, create: Callable[[Path], T]) -> tuple[T, Path]:
    """create(name) on fresh temp_names beside the target until one is free (create fails with
    FileExistsError on a taken one): what it returned and the name it took."""
    for _ in range(TEMP_TRIES):
        tmp = temp_name(target)
        try:
            return create(tmp), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file", str(target))


def create_temp(target: Path) -> tuple[int, Path]:
    """A new temporary beside the target, open for writing (its descriptor and path), with the
    permissions a normal file gets (0666 less the umask; mkstemp's are 0600, then need a chmod)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    return _claim_temp(target, lambda tmp: os.open(tmp, flags, 0o666))


def _write_temp(target: Path, data: bytes) -> Path:
    tmp = temp_path(target)
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates 0600; give the report the permissions a normal file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _targets(files: Sequence[Output]) -> list[tuple[Output, Path]]:
    """The file outputs with their paths; appends to one file are joined (in order); two outputs
    replacing one file, or a file output named like a folder (`out/`), are refused."""
    seen: dict[Path, int] = {}
    found: list[tuple[Output, Path]] = []
    for o in files:
        if o.to_stdout:
            continue
        if _ends_with_separator(o.path):
            raise CheckerError("output path names a folder (it ends with a separator); this output is "
                               "one file: give a file name", file=str(o.path))
        t = Path(o.path)  # type: ignore[arg-type]
        key = Path(os.path.abspath(t))
        if key in seen:
            first, _ = found[seen[key]]
            if not (o.append and first.append):
                raise CheckerError("two outputs of this run name the same file", file=str(o.path))
            found[seen[key]] = (Output(first.path, first.data + o.data, append=True), t)
            continue
        seen[key] = len(found)
        found.append((o, t))
    return found


def commit(files: Sequence[Output], inputs: Iterable[str | Path] = ()) -> None:
    """Write every file output, or none: guard, create missing folders, write temporaries, rename,
    then append and write to devices and pipes (last, so nothing else can fail after them; a failed
    append is cut back; what a device or pipe took cannot be).

    A failure at any step removes the temporaries and the folders this call created, and puts back
    any file already replaced or appended to, so the run leaves the disk as it found it.
    """
    pairs = _targets(files)
    if not pairs:
        return
    targets = [t for _, t in pairs]
    guard(targets, inputs)
    for t in targets:
        try:
            folder = t.is_dir()
        except OSError as exc:
            raise os_error(exc, t) from None
        if folder:
            raise CheckerError("output path is a directory", file=str(t))
        refuse_unexpanded_home(t)
    created: list[Path] = []
    temps: list[tuple[Path, Path]] = []
    backups: list[Path] = []  # second names of the files being replaced, until the commit is done
    replaced: list[tuple[Path, Path | None]] = []  # target, backup of what it held (None: it was new)
    appended: list[tuple[Path, int | None]] = []  # target, its size before (None: it was new)
    streams: set[Path] = set()
    current = targets[0]
    try:
        folders: dict[Path, Path] = {}  # each output folder once (a batch commits thousands into two)
        for t in targets:
            folders.setdefault(t.parent if str(t.parent) else Path("."), t)
        for parent, t in folders.items():
            current = t
            for folder in _missing_folders(parent):
                folder.mkdir()
                created.append(folder)
        for o, t in pairs:
            current = t
            if not o.append and _is_stream(t):
                streams.add(t)
            elif o.staged and _same_file(o.staged, t):
                continue  # already in place (an interrupted commit renamed it): a rename onto a second
                # name of the same file does nothing, and would leave the temporary behind
            elif not o.append:
                temps.append((_link_temp(t, o.staged) if o.staged else _write_temp(t, o.data), t))
        for tmp, t in temps:
            current = t
            backup = None
            if _is_regular_file(t):  # not through a link: a link is replaced, what it names stays
                _keep_access(t, tmp)
                backup = temp_path(t)
                backup.unlink()
                os.link(t, backup)  # a second name for the old file: the target never goes missing
                backups.append(backup)
            os.replace(tmp, t)
            replaced.append((t, backup))
        for o, t in pairs:
            current = t
            if o.append:
                _append(t, o.data, appended)
            elif t in streams:
                _write_stream(t, o)
    except BaseException as exc:
        _cut_back(appended)
        _roll_back(replaced, [tmp for tmp, _ in temps], backups, created)
        if isinstance(exc, OSError):
            raise os_error(exc, current) from None
        raise
    for backup in backups:
        backup.unlink(missing_ok=True)


def _keep_access(old: Path, new: Path) -> None:
    """Give the file replacing `old` its permissions and, where allowed, its group: a report kept private
    (0600) stays private when it is written again, rather than taking the umask's."""
    st = os.stat(old)
    os.chmod(new, st.st_mode & 0o777)
    try:
        os.chown(new, -1, st.st_gid)
    except (OSError, AttributeError):  # not a member of that group, or no chown (Windows)
        pass


def _is_stream(target: Path) -> bool:
    """An existing output that is not a regular file: a device (`--output /dev/null`, /dev/stdout) or
    a pipe (`--output >(jq .)`). It is written to, never renamed over: a rename would put a file in
    place of the device (as root, /dev/null itself)."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _write_stream(target: Path, o: Output) -> None:
    data = o.data if o.staged is None else o.staged.read_bytes()
    with open(target, "wb") as fh:
        fh.write(data)


def _same_file(a: Path, b: Path) -> bool:
    """Both paths name one file (hard links of each other); False when either names nothing."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def _is_regular_file(path: Path) -> bool:
    """The path itself (a link not followed) is a regular file."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except (OSError, ValueError):
        return False


def _link_temp(target: Path, staged: Path) -> Path:
    """A temporary beside the target that is a second name of the staged file (which stays)."""
    return _claim_temp(target, lambda tmp: os.link(staged, tmp))[1]


def _append(target: Path, data: bytes, appended: list[tuple[Path, int | None]]) -> None:
    """Append to the file (GitHub's contract for its summary file), recording how to undo it."""
    try:
        st = target.stat()
    except FileNotFoundError:
        st = None
    if st is not None and not (stat.S_ISREG(st.st_mode) or stat.S_ISCHR(st.st_mode)):
        # A FIFO with no reader would block the run forever; /dev/null (a device) is fine.
        raise CheckerError("cannot append to it: not a regular file", file=str(target))
    regular = st is None or stat.S_ISREG(st.st_mode)
    if regular:  # a device's writes cannot be taken back (nor synced): nothing to undo
        appended.append((target, st.st_size if st is not None else None))
    with open(target, "ab") as fh:
        fh.write(data)
        fh.flush()
        if regular:
            os.fsync(fh.fileno())


def _cut_back(appended: list[tuple[Path, int | None]]) -> None:
    """Undo appends: cut each file back to its old size (remove one the append created)."""
    for target, size in reversed(appended):
        try:
            if size is None:
                target.unlink(missing_ok=True)
            else:
                os.truncate(target, size)
        except OSError:
            pass


def _roll_back(replaced: list[tuple[Path, Path | None]], temps: list[Path], backups: list[Path],
               created: list[Path]) -> None:
    """Undo a failed commit as far as the file system lets us; a backup that cannot go back stays."""
    kept: set[Path] = set()
    for t, backup in reversed(replaced):
        try:
            if backup is not None:
                os.replace(backup, t)
            else:
                t.unlink(missing_ok=True)
        except OSError:
            if backup is not None:
                kept.add(backup)
    for path in [*temps, *(b for b in backups if b not in kept)]:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass
    for folder in reversed(created):
        try:
            folder.rmdir()
        except OSError:
            pass


def write_atomic(path: str | Path, content: str | bytes, inputs: Iterable[str | Path] = ()) -> None:
    """Write one file atomically (a temporary file beside the target, then a rename)."""
    commit([Output(path, content)], inputs)


def refuse_overwriting_inputs(outputs: Iterable[str | Path | None], inputs: Iterable[str | Path]) -> None:
    """Stop before a run whose output path names one of its inputs: a typo must not replace the draft."""
    guard(outputs, inputs)
