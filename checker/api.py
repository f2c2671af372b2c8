"""The library API the CLI wraps: load packs once, check documents or plain text."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from . import deadline, detect, engine, ingest, sections
from .model import CheckerError, Document, Report
from .packs import Pack, builtin_rules_dir, list_pack_ids, load_pack
from .vocab import DEFAULT_TIMEOUT


@dataclass
class Checker:
    """Holds the loaded packs for a run. Not shared between processes: each builds its own."""

    extra_dirs: list[Path] = field(default_factory=list)
    timeout: float = DEFAULT_TIMEOUT
    calendar: deadline.BusinessCalendar = field(default_factory=deadline.BusinessCalendar)
    _packs: dict[str, Pack] = field(default_factory=dict)

    def search_dirs(self) -> list[Path]:
        return list(self.extra_dirs) + [builtin_rules_dir()]

    def available(self) -> set[str]:
        return set(list_pack_ids(self.search_dirs()))

    def pack(self, ref: str | Path) -> Pack:
        key = str(ref)
        if key not in self._packs:
            self._packs[key] = load_pack(ref if isinstance(ref, Path) else key, self.extra_dirs, self.timeout)
        return self._packs[key]

    def check_document(self, document: Document, pack: str | Path = "auto") -> Report:
        reason = "given"
        if str(pack) == "auto":
            choice = detect.choose_pack(document, self.available())
            pack, reason = choice.pack, choice.reason
            if document.item is None and choice.item:
                document = replace(document, item=choice.item)
        compiled = self.pack(pack)
        if document.section is None:
            wanted = _item_of(compiled, document.form)
            document = replace(document, section=sections.locate(document, wanted))
        if document.item is None and document.section is not None and document.section.item:
            document = replace(document, item=document.section.item)
        if document.form is None:
            document = replace(document, form=_form_of(compiled, document.item))
        report = engine.evaluate(compiled, document, reason)
        # A missing, "not applicable" or by-reference section is one plain finding, ahead of the rules.
        section_finding = sections.finding(document, compiled.applies_to)
        if section_finding is not None:
            report.results.insert(0, section_finding)
        # The filing deadline is a check on dates, not text: added after the generic engine.
        forms = [a.get("form", "") for a in compiled.applies_to]
        return deadline.append_finding(report, forms, self.calendar)

    def check_path(self, path: str, pack: str | Path = "auto") -> list[Report]:
        return [self.check_document(d, pack) for d in ingest.load(path)]


def _item_of(pack: Pack, form: str | None = None) -> str | None:
    # A pack covering several forms (cyd-tags) looks for the item of the document's own form first.
    base = (form or "").upper().split("/")[0]
    for a in pack.applies_to:
        if a.get("item") and a.get("form", "").upper() == base:
            return a["item"]
    for a in pack.applies_to:
        if a.get("item"):
            return a["item"]
    return None


def _form_of(pack: Pack, item: str | None) -> str | None:
    # A draft without metadata takes the form of the pack's entry for its item ("Item 1C" -> 10-K).
    for a in pack.applies_to:
        if item and a.get("item", "").upper() == item.upper():
            return a.get("form")
    return None


def check(text: str, pack: str | Path = "sk-106", *, form: str | None = None, item: str | None = None,
          source: str = "<text>", checker: Checker | None = None) -> Report:
    """Check one disclosure given as text. `pack` is a pack id, a path, or "auto".

    Without `checker`, a checker kept for the process is reused, so packs are compiled once: a pack
    file changed since it was compiled (size or modification time) is compiled again.
    """
    if not isinstance(text, str):
        raise CheckerError("check() takes the disclosure text as a str")
    doc = Document(text=text, source=source, form=form, item=item)
    if checker is None:
        path = Path(pack)
        checker = shared_checker(path.parent if path.suffix in (".yaml", ".yml") else None)
    return checker.check_document(doc, pack)


def shared_checker(pack_folder: Path | None = None, extra_dirs: tuple[str, ...] = ()) -> Checker:
    """One checker per set of pack folders for the whole process, rebuilt when a pack file changes.

    `pack_folder` is the folder of a pack given by path: its files are watched too.
    """
    dirs = tuple(Path(d) for d in extra_dirs)
    stamp = _stamp(list(dirs) + [builtin_rules_dir()] + ([pack_folder] if pack_folder else []))
    key = (dirs, builtin_rules_dir())
    kept = _SHARED.get(key)
    if kept is None or kept[0] != stamp:
        kept = _SHARED[key] = (stamp, Checker(extra_dirs=list(dirs)))
    return kept[1]


_SHARED: dict[tuple[tuple[Path, ...], Path], tuple[tuple, Checker]] = {}


def _stamp(folders: list[Path]) -> tuple:
    """Name, size and modification time of every pack file in the folders (a cheap change detector)."""
    out = []
    for folder in folders:
        if folder.is_dir():
            for p in sorted(folder.rglob("*.y*ml")):
                st = p.stat()
                out.append((str(p), st.st_size, st.st_mtime_ns))
    return tuple(out)
