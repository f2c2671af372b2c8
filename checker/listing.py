"""Listing inputs beside the folder walk (walk.py): glob patterns expanded without entering a link loop,
and the documents a folder holds that cydcheck does not read."""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from . import ingest
from .ingest import icloud, records, submission
from .ingest.decode import OLE_MAGIC
from .ingest.icloud import placeholder_of
from .ingest.own_reports import own_report_format
from .model import counted
from .walk import UNREAD_DOCUMENTS, git_ignored, walk_folder

_MAGIC = frozenset("*?[")

# Documents a folder may hold that cydcheck does not read, named (check and batch) so that none is thought
# checked: word processors' formats (walk.UNREAD_DOCUMENTS), XML (EDGAR's XBRL and XML exhibits),
# spreadsheets and archives. Images, style sheets, scripts and the like are clutter, passed over in silence.
UNREAD_SUFFIXES = (*UNREAD_DOCUMENTS, ".xml", ".xls", ".xlsx", ".gz", ".tgz", ".zip", ".tar", ".7z")
# A file without a suffix is such a document when it opens as one (else it is clutter: README, LICENSE):
# markup (HTML as the reader tells it, records.opens_as_html; XML, SGML), a PDF, an old Office file, a zip
# (.docx, .xlsx), RTF, gzip
_MARKUP_STARTS = (b"<?xml", b"<sec-document>", b"<document>", b"<xbrl")
_DOCUMENT_MAGIC = (b"%PDF", OLE_MAGIC, b"PK\x03\x04", b"{\\rtf", b"\x1f\x8b")
_HEAD = 1024


def folder_files(folder: Path, locks: list[Path] | None = None) -> tuple[list[Path], list[Path]]:
    """(the input files under a folder, the documents there cydcheck does not read), in one walk; Word's lock
    files are added to `locks` when it is given."""
    found: list[Path] = []
    unread: list[Path] = []  # first the entries of input names that are no file (unread_text says which)
    cloud: list[Path] = []
    # "": no suffix
    for f in walk_folder(folder, also=(*UNREAD_SUFFIXES, ""), locks=locks, dead=unread, cloud=cloud):
        suffix = f.suffix.lower()
        if suffix == ".json" and not _may_hold_records(f):
            unread.append(f)
        elif suffix in ingest.READERS:
            found.append(f)
        elif suffix or _opens_as_document(f):
            unread.append(f)
    return found, unread + cloud


def _may_hold_records(path: Path) -> bool:
    """A .json file of a folder is read unless it is JSON that holds no section record (records.holds_records)
    and no cydcheck report (left out with a note of its own)."""
    try:
        if path.stat().st_size > ingest.max_input_bytes():
            return True  # the reader refuses it, saying why
        raw = path.read_bytes()
    except OSError:
        return True
    return own_report_format(raw) is not None or records.holds_records(raw)


def _opens_as_document(path: Path) -> bool:
    """The file's first bytes are a document's (markup, PDF, Office, zip, RTF, gzip), not plain text."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(max(_HEAD, submission.HEAD))
    except OSError:
        return False
    if head.startswith(_DOCUMENT_MAGIC) or submission.is_submission(head) or records.opens_as_html(head):
        return True
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:_HEAD].lower().startswith(_MARKUP_STARTS)


def unread_text(unread: Sequence[Path | str]) -> str:
    """What a folder held that cydcheck does not read, in a few words and the first names: the entries named
    as inputs that are no file (a link to nothing or a loop, a pipe), JSON files that hold no section record
    (another tool's, such as a package.json), and the documents of other types."""
    cloud = [f for f in unread if placeholder_of(f) is not None]
    unread = [f for f in unread if f not in cloud]
    json_files = [f for f in unread if Path(f).suffix.lower() == ".json" and Path(f).is_file()]
    dead = [f for f in unread if f not in json_files and Path(f).suffix.lower() in ingest.READERS]
    documents = [f for f in unread if Path(f).suffix.lower() not in ingest.READERS]
    said = []
    if cloud:
        names = _names([Path(f).with_name(placeholder_of(f) or "") for f in cloud])
        said.append(f"{counted(len(cloud), 'file')} in iCloud Drive not downloaded to this Mac "
                    f"({icloud.ADVICE}): {names}")
    if dead:
        lead = "leads" if len(dead) == 1 else "lead"
        said.append(f"{counted(len(dead), 'entry', 'entries')} that {lead} to no file (a link to nothing or "
                    f"a loop, a pipe): {_names(dead)}")
    if json_files:
        hold = "holds" if len(json_files) == 1 else "hold"
        said.append(f"{counted(len(json_files), 'JSON file')} that {hold} no section record (no "
                    f"{', '.join(records.TEXT_FIELDS)} field; give such a file by name to check it as one): "
                    f"{_names(json_files)}")
    if documents:
        bare = any(not Path(f).suffix for f in documents)
        bare_advice = "; give a file without a suffix its format's" if bare else ""
        said.append(f"{counted(len(documents), 'document')} of a type cydcheck does not read (save "
                    f"the section as .docx, PDF, HTML or plain text{bare_advice}): {_names(documents)}")
    return "; ".join(said)


def _names(paths: Sequence[Path | str]) -> str:
    return ", ".join(str(f) for f in paths[:3]) + (" ..." if len(paths) > 3 else "")


def unread_warning(folder: str, unread: Sequence[Path | str]) -> str:
    """The warning that names the documents of a folder cydcheck did not read (said even in quiet mode)."""
    return f"cydcheck: warning: not checked in {folder}: {unread_text(unread)}"


def unread_note(folder: str, unread: Sequence[Path | str]) -> str:
    """The line a report (the dashboard, a folder's HTML index) gives the documents of a folder not read."""
    return f"Not checked in {folder}: {unread_text(unread)}"


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
