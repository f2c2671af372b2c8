"""The compiled-pack cache: packs compiled once, reused across processes, trusted only on a full key match.

An entry lives under the user's cache folder (`$CYDCHECK_CACHE_DIR`, else `$XDG_CACHE_HOME/cydcheck`, else
`~/.cache/cydcheck`; `CYDCHECK_CACHE_DIR=off` disables it). It is found by a hash of the pack's path, the
search folders, the time budget, the Python and `regex` versions and the source of the checker itself,
and holds a JSON header (that key, the SHA-256 of every pack file the pack was built from, and where
each `extends` led) followed by the pickled pack. The pickle is read only when the key and every file's
current hash match the header; anything else (a changed file, a truncated entry) is a miss, and a miss
compiles the pack as usual. Writing is atomic and best effort: an unwritable cache folder costs speed only.
Unpickling runs whatever the entry's writer put in it, so an entry is read only when it and its folder
are the user's own and no one else may write to them (the folder is made 0700); a folder shared with other
users on the machine is a miss every time, never a way to run their code.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

FORMAT = 1


@dataclass
class Provenance:
    """What a compiled pack was built from: every file read, and where each `extends` was found."""

    files: list[Path] = field(default_factory=list)
    lookups: list[tuple[str, str, str]] = field(default_factory=list)  # (ref, base folder, path found)


# What a caller says of the cache: True, the folder the environment names (cache_dir); False, none; a folder
Setting = bool | str | os.PathLike


def folder_of(setting: Setting = True) -> Path | None:
    """The cache folder a caller's setting names: the environment's for True, none for False, else its."""
    if setting is True:
        return cache_dir()
    return Path(setting) if setting is not False else None


def cache_dir() -> Path | None:
    """The cache folder the environment names (CYDCHECK_CACHE_DIR, `off`: none), else the user's own."""
    env = os.environ.get("CYDCHECK_CACHE_DIR")
    if env:
        return None if env.lower() in ("off", "0", "none") else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cydcheck"


@cache
def source_digest() -> str:
    """SHA-256 of the checker's own source and schemas (the package's .py, .json and .yaml files, by path):
    the code that measured, which a version number does not pin between releases."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for p in sorted(root.rglob("*")):
        if p.suffix in (".py", ".json", ".yaml") and p.is_file():
            h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


@cache
def code_fingerprint() -> str:
    """A hash of the checker's own source and schemas: a new version never reads an old entry."""
    import regex

    key = f"{FORMAT}|{sys.version}|{regex.__version__}|{source_digest()}"
    return hashlib.sha256(key.encode()).hexdigest()


def entry_key(path: Path, search_dirs: list[Path], timeout: float, variant: str = "") -> str:
    """The entry's name; `variant` tells builds apart (with or without the Hyperscan prefilter)."""
    parts = [code_fingerprint(), str(path.resolve()), repr(timeout), variant]
    parts += [str(d.resolve()) for d in search_dirs]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _file_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def contents_digest(files: list[Path]) -> str:
    """One SHA-256 of the files' contents in order, not their paths: a pack hashes the same anywhere."""
    h = hashlib.sha256()
    for p in files:
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def _private(st: os.stat_result) -> bool:
    """The file or folder is the user's own and no one else may write to it (always so without POSIX
    owners)."""
    getuid = getattr(os, "getuid", None)
    return getuid is None or (st.st_uid == getuid() and not st.st_mode & 0o022)


def _tighten(folder: Path) -> None:
    """The user's own cache folder made 0700 when others may write to it (one made by an earlier version under
    a umask of 002 is 0775, and would be a miss for ever). Entries others put in it stay unread: each is read
    only when it is the user's own."""
    getuid = getattr(os, "getuid", None)
    st = os.stat(folder)
    if getuid is not None and st.st_uid == getuid() and st.st_mode & 0o022:
        os.chmod(folder, 0o700)


def load(key: str, find: Callable[[str, Path], Path], setting: Setting = True) -> Any | None:
    """The cached pack for `key`, or None. `find(ref, base_dir)` re-resolves each recorded `extends`."""
    folder = folder_of(setting)
    if folder is None:
        return None
    try:
        with open(folder / f"{key}.pack", "rb") as fh:
            if not (_private(os.stat(folder)) and _private(os.fstat(fh.fileno()))):
                return None
            header = json.loads(fh.readline())
            if header.get("key") != key or header.get("format") != FORMAT:
                return None
            for name, digest in header["files"]:
                if _file_hash(Path(name)) != digest:
                    return None
            for ref, base, found in header["lookups"]:
                if str(find(ref, Path(base))) != found:
                    return None
            return pickle.loads(fh.read())  # noqa: S301 - our own entry, verified against its key above
    except Exception:  # noqa: BLE001 - any unreadable, stale or foreign entry is a miss, never an error
        return None


def store(key: str, provenance: Provenance, pack: Any, setting: Setting = True) -> None:
    """Keep the compiled pack under `key` in the folder `setting` names (none: nothing is written)."""
    folder = folder_of(setting)
    if folder is None:
        return
    header = {"format": FORMAT, "key": key,
              "files": [(str(p.resolve()), _file_hash(p)) for p in provenance.files],
              "lookups": provenance.lookups}
    if any(digest is None for _, digest in header["files"]):
        return
    try:
        data = json.dumps(header).encode() + b"\n" + pickle.dumps(pack, protocol=pickle.HIGHEST_PROTOCOL)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _tighten(folder)
        if not _private(os.stat(folder)):  # another user's folder, or one shared: never read, so not written
            return
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{key}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, folder / f"{key}.pack")
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except Exception:  # noqa: BLE001 - a cache that cannot be written costs speed, never the run
        return
