"""Listing inputs beside the folder walk (walk.py): glob patterns expanded without entering a link loop."""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from .walk import git_ignored, walk_folder

_MAGIC = frozenset("*?[")
_SEPARATORS = tuple(s for s in (os.sep, os.altsep, "/") if s)


def has_magic(spec: str) -> bool:
    """The path is a glob pattern: it has a `*`, `?` or `[`."""
    return any(c in _MAGIC for c in spec)


def expand_pattern(spec: str) -> list[str]:
    """The files a glob pattern names, sorted, each real file once: `*`, `?` and `[...]` match within one
    name, `**` as a whole name any number of folders. As a folder walk does, a wildcard matches no hidden
    name, and git-ignored files are left out; a folder the pattern matches gives its walk_folder files. A
    link to a folder is followed, but no folder (by device and inode) is entered twice, so a link loop ends;
    the pattern's fixed leading folder is walked once, in one pass."""
    prefix, pats = _split(spec)
    top = prefix or "."
    try:
        st = os.stat(top)
    except OSError:
        return []
    if _matches([], pats):  # `folder/**`: the folder itself, as its walk
        return sorted({str(f) for f in walk_folder(Path(top))})
    seen_dirs = {(st.st_dev, st.st_ino)}
    seen_files: set[tuple[int, int]] = set()
    found: list[str] = []

    def add(path: str) -> None:
        try:
            fst = os.stat(path)
        except OSError:
            return  # a link to nothing: left out, as a folder walk leaves it
        if stat.S_ISREG(fst.st_mode) and (fst.st_dev, fst.st_ino) not in seen_files:
            seen_files.add((fst.st_dev, fst.st_ino))
            found.append(path)

    for dirpath, dirnames, filenames in os.walk(top, followlinks=True):
        rel = os.path.relpath(dirpath, top)
        parts = [] if rel == "." else rel.split(os.sep)
        keep = []
        for name in sorted(dirnames):
            sub = [*parts, name]
            path = prefix + "/".join(sub)
            if _matches(sub, pats):  # a folder the pattern names: its known input files, as a folder walk
                for f in walk_folder(Path(path)):
                    add(str(f))
                continue
            if not _could_lead(sub, pats):
                continue
            try:
                dst = os.stat(os.path.join(dirpath, name))
            except OSError:
                continue
            if (dst.st_dev, dst.st_ino) not in seen_dirs:  # a folder reached again (a link, a loop): once
                seen_dirs.add((dst.st_dev, dst.st_ino))
                keep.append(name)
        dirnames[:] = keep
        for name in sorted(filenames):
            if _matches([*parts, name], pats):
                add(prefix + "/".join([*parts, name]))
    ignored = {str(p) for p in git_ignored(Path(top), [Path(f) for f in found])}
    return sorted(f for f in found if f not in ignored)


def _split(spec: str) -> tuple[str, list[str]]:
    """(the pattern's fixed leading folder as spelled, ending with a separator, or ''; its other names)."""
    parts = spec.replace(os.sep, "/").split("/") if os.sep != "/" else spec.split("/")
    first = next(i for i, p in enumerate(parts) if has_magic(p))
    prefix = "/".join(parts[:first])
    if first:
        prefix += "/"
    return prefix, [p for p in parts[first:] if p]


def _name_matches(name: str, pat: str) -> bool:
    """One name against one pattern name; a wildcard matches no hidden name (as glob and a folder walk)."""
    if name.startswith(".") and not pat.startswith("."):
        return False
    return fnmatch.fnmatchcase(name, pat)


def _matches(parts: Sequence[str], pats: Sequence[str]) -> bool:
    """The relative path (its names) matches the pattern's names; `**` takes any number of names."""
    if not pats:
        return not parts
    if pats[0] == "**":
        return _matches(parts, pats[1:]) or (bool(parts) and not parts[0].startswith(".")
                                              and _matches(parts[1:], pats))
    return bool(parts) and _name_matches(parts[0], pats[0]) and _matches(parts[1:], pats[1:])


def _could_lead(parts: Sequence[str], pats: Sequence[str]) -> bool:
    """A folder at this relative path may hold a path the pattern matches (worth walking into)."""
    if not parts:
        return bool(pats)
    if not pats:
        return False
    if pats[0] == "**":
        return _could_lead(parts, pats[1:]) or (not parts[0].startswith(".") and _could_lead(parts[1:], pats))
    return _name_matches(parts[0], pats[0]) and _could_lead(parts[1:], pats[1:])
