"""Listing the input files under a folder: known input types, hidden and git-ignored paths left out."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import unicodedata
from collections.abc import Sequence
from fnmatch import fnmatchcase
from pathlib import Path, PurePath

from . import ingest
from .ingest.decode import DOCUMENT_BUNDLES
from .ingest.icloud import placeholder_of
from .ingest.word_lock import is_word_lock, lock_text
from .model import counted
from .report import COPIES, copy_name

# Documents a user may take for drafts that cydcheck does not read: a folder's walk names them, so that none
# is thought checked (what to do with each is in ingest.decode's error for it)
# Word's macro-enabled documents and templates (.docm, .dotx, .dotm, .dot) among them: saved as .docx, read;
# so are a web archive (.mht, .mhtml) and an e-mail (.eml, .msg) that carries a draft
UNREAD_DOCUMENTS = (".doc", ".docm", ".dotx", ".dotm", ".dot", ".rtf", ".odt", ".pages", ".wpd", ".mht",
                    ".mhtml", ".eml", ".msg", ".rtfd", ".numbers")


def walk_folder(folder: Path, also: Sequence[str] = (), locks: list[Path] | None = None,
                dead: list[Path] | None = None, cloud: list[Path] | None = None) -> list[Path]:
    """The known input files under a folder, sorted: hidden paths and paths git ignores (.gitignore,
    .git/info/exclude) are left out; with `also`, the files of those suffixes too, in the same pass. A link
    to a folder is followed, as a glob pattern follows it, but no folder (by device and inode) is entered
    twice, so a link loop ends. Word's lock files ('~$' names, beside a document open in Word) are left out
    too, and added to `locks` when it is given, to be named; so are, to `dead`, the entries of those names
    that are no file (a link to nothing or a loop, a pipe); and, to `cloud`, iCloud Drive's placeholders of
    files of those names not downloaded. (A batch run leaves out its own outputs later, and says so.)"""
    found: list[tuple[Path, Path]] = []  # (a file, what git is asked about: it, or the link it is reached by)
    try:
        top = os.stat(folder)
    except OSError:
        return []
    seen = {(top.st_dev, top.st_ino)}
    through: dict[str, Path] = {}  # a folder reached through a link to a folder: that link
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
        base, link = Path(dirpath), through.get(dirpath)
        keep = []
        for sub in sorted((base / name for name in dirnames), key=lambda d: (d.is_symlink(), d.name)):
            name = sub.name  # a folder before a link to one: a folder and its link are walked as the folder
            try:
                st = os.stat(sub)
            except OSError:
                continue
            if name.startswith(".") or (st.st_dev, st.st_ino) in seen:  # a folder reached again: once
                continue
            if is_document_bundle(sub):  # a Mac document kept as a folder: one document, never entered
                if sub.suffix.lower() in also:
                    found.append((sub, link or sub))
                continue
            seen.add((st.st_dev, st.st_ino))
            keep.append(name)
            if link is not None or sub.is_symlink():
                through[str(sub)] = link or sub
        dirnames[:] = keep
        for name in filenames:
            f = base / name
            stands_for = placeholder_of(name)
            suffix = Path(stands_for or name).suffix.lower()
            if cloud is not None and stands_for is not None and (suffix in ingest.READERS or suffix in also):
                cloud.append(f)
            if name.startswith(".") or (suffix not in ingest.READERS and suffix not in also):
                continue
            found.append((f, link or f))
    ignored = git_ignored(folder, [asked for _, asked in found])
    kept = sorted(f for f, asked in found if asked not in ignored)
    if dead is not None:
        dead.extend(f for f in kept if not f.is_file() and f.suffix.lower() in ingest.READERS)
    kept = [f for f in kept if f.is_file() or is_document_bundle(f)]
    if locks is not None:
        locks.extend(f for f in kept if is_word_lock(f))
    return [f for f in kept if not is_word_lock(f)]


def is_document_bundle(path: str | Path) -> bool:
    """The folder is a Mac document kept as one (a package: .pages, .numbers, .key, .rtfd), not a folder."""
    return Path(path).suffix.lower() in DOCUMENT_BUNDLES and Path(path).is_dir()


def locks_text(locks: Sequence[Path]) -> str:
    """The Word lock files a walk left out, in a few words: the first named with its document."""
    n = len(locks)
    return (f"{counted(n, 'Word lock file')} skipped: {locks[0]}, {lock_text(locks[0])}"
            + (" ..." if n > 1 else "") + " (what is not yet saved there is not checked)")


# The saved documents of a filing that a complete submission beside them holds too
FILING_DOCUMENTS = (".htm", ".html", ".xhtml", ".pdf")
# The names a complete submission has in a folder of one filing: EDGAR's accession folder (0000320193-24-
# 000123.txt beside the filing's documents) and sec-edgar-downloader's (full-submission.txt beside
# primary-document.html)
SUBMISSION_NAME = re.compile(r"(?:full-submission|\d{10}-\d{2}-\d{6})\.txt", re.IGNORECASE)


def beside_submissions(paths: Sequence[Path | str]) -> set[str]:
    """Those of `paths` that are a filing's documents (HTML, PDF) in a folder of one filing, that is, beside
    its EDGAR complete submission under one of the names EDGAR and sec-edgar-downloader give it: the filing
    would be checked twice. Only the first bytes of such a .txt file are read."""
    folders: dict[Path, bool] = {}

    def holds_submission(folder: Path) -> bool:
        if folder not in folders:
            folders[folder] = any(SUBMISSION_NAME.fullmatch(f.name) and f.is_file()
                                  and ingest.opens_submission(str(f)) for f in folder.glob("*.txt"))
        return folders[folder]

    return {str(p) for p in paths
            if Path(p).suffix.lower() in FILING_DOCUMENTS and holds_submission(Path(p).parent)}


def checked_copies(paths: Sequence[Path | str]) -> set[str]:
    """Those of `paths` that are a copy with the findings of a draft beside them, as `check -o` names one
    (`draft-checked.docx` beside `draft.docx`): the draft would be checked twice."""
    names = {str(p) for p in paths}
    return {str(Path(p).with_name(copy_name(Path(p).name, fmt))) for p in paths for fmt in COPIES
            if Path(p).suffix.lower() == f".{fmt}"} & names


def copies_text(copies: set[str]) -> str:
    """The copies with findings a walk left out, in a few words."""
    first = Path(min(copies))
    draft = first.with_name(first.name.replace("-checked.", ".", 1))
    return (f"{counted(len(copies), 'copy', 'copies')} with cydcheck's findings left out beside the draft "
            f"each was made from (e.g. {first}, of {draft}): the draft is checked; name a copy to check it")


def twins_text(twins: set[str]) -> str:
    """The filing documents left out beside an EDGAR complete submission, in a few words."""
    n = len(twins)
    return (f"{counted(n, 'document')} left out as the filing an EDGAR complete submission beside "
            f"{'them' if n != 1 else 'it'} holds (e.g. {min(twins)}): checked once, from the submission")


def git_ignored(folder: Path, paths: Sequence[Path]) -> set[Path]:
    """Those of `paths` that git ignores, asking `git check-ignore` in `folder` (nothing outside a
    repository, or where git is not installed)."""
    if not paths:
        return set()
    try:
        done = subprocess.run(["git", "-C", str(folder), "check-ignore", "-z", "--stdin"],
                              input=b"".join(os.fsencode(_in_tree(p)) + b"\0" for p in paths),
                              capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return set()
    if done.returncode != 0:  # 1: nothing ignored; 128: not a repository
        return set()
    names = {os.fsdecode(n) for n in done.stdout.split(b"\0") if n}
    return {p for p in paths if str(_in_tree(p)) in names}


def _in_tree(path: Path) -> Path:
    """The path with its folder's links resolved, not its own: a link is asked about as the link (git
    refuses a path beyond a link, and a link's target may lie outside the repository)."""
    return path.parent.resolve() / path.name


def _with_slashes(patterns: Sequence[str]) -> list[str]:
    """The patterns, and each written with Windows backslashes ('drafts\\archive', from a configuration file
    saved there) also with '/', as the paths it is matched against are written."""
    return [*patterns, *(other for p in patterns if (other := ingest.slashed(p)) is not None)]


def is_excluded(path: str | Path, patterns: Sequence[str]) -> bool:
    """Whether an `exclude` glob pattern names the file: its path or the end of it ('drafts/archive/*', the
    same from any folder the run starts in), a folder it lies in ('drafts/archive'), or one of its names
    ('archive', 'old-*.md')."""
    posix = unicodedata.normalize("NFC", PurePath(path).as_posix())  # a Mac's decomposed names: one spelling
    names = PurePath(posix).parts
    for pat in (unicodedata.normalize("NFC", p).rstrip("/") for p in _with_slashes(patterns)):
        shapes = (pat, f"{pat}/*", f"*/{pat}", f"*/{pat}/*")
        if any(fnmatchcase(posix, shape) for shape in shapes) or any(fnmatchcase(n, pat) for n in names):
            return True
    return False


def redirected_streams() -> set[tuple[int, int]]:
    """The files (device, inode) this process's standard output and error are redirected to, `> report.json`
    (a terminal or a pipe is none): the run's own output, which a walk of the folder holding it leaves out."""
    streams = set()
    for fd in (1, 2):
        try:
            st = os.fstat(fd)
        except OSError:  # closed
            continue
        if stat.S_ISREG(st.st_mode):
            streams.add((st.st_dev, st.st_ino))
    return streams


def file_identity(path: str | Path) -> tuple[int, int] | None:
    """A file's (device, inode), or None where it cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino
