"""Listing the input files under a folder: known input types, hidden and git-ignored paths left out."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from . import ingest

# Documents a user may take for drafts that cydcheck does not read: a folder's walk names them, so that none
# is thought checked (what to do with each is in ingest.decode's error for it)
UNREAD_DOCUMENTS = (".doc", ".rtf", ".odt", ".pages", ".wpd")


def walk_folder(folder: Path, also: Sequence[str] = ()) -> list[Path]:
    """The known input files under a folder, sorted: hidden paths and paths git ignores (.gitignore,
    .git/info/exclude) are left out; with `also`, the files of those suffixes too, in the same pass. (A batch
    run leaves out its own outputs later, and says so.)"""
    found = []
    for f in folder.rglob("*"):
        rel = f.relative_to(folder).parts
        if any(part.startswith(".") for part in rel) or not f.is_file():
            continue
        if f.suffix.lower() not in ingest.READERS and f.suffix.lower() not in also:
            continue
        found.append(f)
    ignored = git_ignored(folder, found)
    return sorted(f for f in found if f not in ignored)


def git_ignored(folder: Path, paths: Sequence[Path]) -> set[Path]:
    """Those of `paths` that git ignores, asking `git check-ignore` in `folder` (nothing outside a
    repository, or where git is not installed)."""
    if not paths:
        return set()
    try:
        done = subprocess.run(["git", "-C", str(folder), "check-ignore", "-z", "--stdin"],
                              input=b"".join(os.fsencode(p.resolve()) + b"\0" for p in paths),
                              capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return set()
    if done.returncode != 0:  # 1: nothing ignored; 128: not a repository
        return set()
    names = {os.fsdecode(n) for n in done.stdout.split(b"\0") if n}
    return {p for p in paths if str(p.resolve()) in names}
