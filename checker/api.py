"""The library API the CLI wraps: load packs once, check documents or plain text."""

from __future__ import annotations

import fnmatch
import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from . import (
    applicability,
    deadline,
    detect,
    determination,
    engine,
    ingest,
    locations,
    peer_examples,
    placeholders,
    reconcile,
    sections,
    tag_names,
)
from .ingest import cover, records
from .ingest.limits import too_large
from .learned import COMBINE_MODES
from .model import CheckerError, Document, Evidence, Report, Result, Section, counted
from .packs import Pack, builtin_rules_dir, list_pack_ids, load_pack, load_pack_source
from .suggest import did_you_mean
from .vocab import DEFAULT_TIMEOUT

TAG_PACK = "cyd-tags"  # the pack that checks a filer's own cyd inline XBRL tags
# A pack as a check names it: its id, its file's path, "auto", or the compiled pack itself (add_pack's)
PackRef = str | Path | Pack


def _is_auto(ref: PackRef) -> bool:
    """Whether a pack reference asks for the pack chosen from the document ("auto")."""
    return not isinstance(ref, Pack) and str(ref) == "auto"


def pack_forms(pack: Pack) -> list[str]:
    """The forms a pack's `applies_to` names."""
    return [a.get("form", "") for a in pack.applies_to]


def adds_deadline(pack: Pack) -> bool:
    """Whether a check with the pack adds the 8-K filing deadline finding: a content pack for 8-Ks (not the
    tag pack: a joint run's tag report would give the same finding twice)."""
    return pack.id != TAG_PACK and deadline.applies(pack_forms(pack))


@dataclass
class Checker:
    """Holds the loaded packs for a run. Threads may share one; processes each build their own."""

    extra_dirs: list[Path] = field(default_factory=list)  # house pack folders, searched before the built-in
    timeout: float = DEFAULT_TIMEOUT
    calendar: deadline.BusinessCalendar = field(default_factory=deadline.BusinessCalendar)
    combine: str | None = None  # overrides the packs' learned combination (eval compares them)
    # the compiled-pack cache: True, the folder CYDCHECK_CACHE_DIR or ~/.cache/cydcheck names; False, no file
    # read or written; else the folder to keep it in (see checker.pack_cache)
    cache: bool | str | os.PathLike = True
    _packs: dict[str, Pack] = field(default_factory=dict, repr=False, compare=False)  # compiled, by ref

    def __post_init__(self) -> None:
        """Folders given as text taken as paths; a time budget that is no positive number, or a combination
        the packs do not know, refused."""
        self.extra_dirs = [Path(d) for d in self.extra_dirs]
        number = isinstance(self.timeout, (int, float)) and not isinstance(self.timeout, bool)
        if not number or not self.timeout > 0:
            raise CheckerError(f"timeout must be a positive number of seconds, not {self.timeout!r}")
        if self.combine is not None and self.combine not in COMBINE_MODES:  # else every rule errs: none met
            hint = did_you_mean(str(self.combine), COMBINE_MODES)
            known = ", ".join(COMBINE_MODES)
            raise CheckerError(f"unknown combine mode {self.combine!r}{hint} (known: {known})")

    def search_dirs(self) -> list[Path]:
        """The folders packs are looked for in: the house folders, then the built-in rules."""
        return list(self.extra_dirs) + [builtin_rules_dir()]

    def available(self) -> set[str]:
        """The ids of the packs in the search folders."""
        return set(list_pack_ids(self.search_dirs()))

    def pack(self, ref: PackRef) -> Pack:
        """The compiled pack an id or path names, compiled on first use (once for all threads sharing it); a
        compiled pack (add_pack's) is itself."""
        if isinstance(ref, Pack):
            return ref
        key = str(ref)
        kept = self._packs.get(key)
        if kept is None:
            with _COMPILING:  # the other threads asking wait for it, not compile it again each
                kept = self._packs.get(key)
                if kept is None:
                    named = ref if isinstance(ref, Path) else key
                    kept = self._packs[key] = load_pack(named, self.extra_dirs, self.timeout, self.cache)
        return kept

    def add_pack(self, source: str | Mapping[str, Any], name: str = "<pack>") -> Pack:
        """Compile a pack given as YAML text or a dict (a house pack kept in a database) and keep it under its
        id, which `check(..., pack=id, checker=self)` and `check_document` then name (the pack returned may be
        given instead: two tenants' packs of one id are then told apart); `name` is the file its errors cite.
        Its `extends` names a pack of this checker's folders, whose ids it may not take: it would replace that
        pack in every check of this checker, "auto" included. A pack added again under its id replaces the
        one added before."""
        compiled = load_pack_source(source, name, self.extra_dirs, self.timeout)
        if compiled.id in self.available():
            raise CheckerError(f"pack '{compiled.id}' is the id of a pack in this checker's folders (built-in"
                               f" or rules folder): give the pack its own id (`pack: ...`), which it would"
                               f" otherwise replace for every check, 'auto' included", file=name)
        self._packs[compiled.id] = compiled
        return compiled

    def check_document(self, document: Document, pack: PackRef = "auto",
                       located: dict[tuple, Section] | None = None) -> Report:
        """`located`: the sections already found in this document, shared by the packs it is checked with."""
        if _is_auto(pack) and not _covered(document):
            return _not_covered(document, self)
        compiled, document, reason = self.resolve(document, pack, located)
        if not _covered(document):  # a 6-K compared with the 8-K pack given: none of it is a 6-K's duty
            reason += f"; form {document.form} has no pack: a good-practice comparison, not a requirement"
        held = _one_result(document, compiled, reason)
        if held is not None:
            return held
        report = engine.evaluate(compiled, document, reason)
        for result in report.results:  # a 20-F's findings cite Form 20-F Item 16K, not Item 106
            result.citation = applicability.cite_for_form(result.citation, report.document.form)
        if compiled.id != TAG_PACK:  # an 8-K/A adds to its 8-K (Instruction 2): a gap is to check in the 8-K
            report.results[:] = [applicability.as_supplement(r, report.document.form) for r in report.results]
        if compiled.id != TAG_PACK:  # the content pack's report names the blanks and notes, once
            placeholders.attach(report)
            report.applies = applicability.statement(report.document.form, report.document.metadata)
        report = locations.attach(report)
        if compiled.id == TAG_PACK:  # the tag report names the tags that name no cyd element
            tag_names.attach(report)
        # A missing, "not applicable" or by-reference section is one plain finding, ahead of the rules.
        section_finding = sections.finding(document, _entry_of(compiled, document.form))
        if section_finding is not None:
            report.results.insert(0, section_finding)
        # The filing deadline is a check on dates, not text: added after the generic engine
        if not adds_deadline(compiled):
            return report
        return deadline.append_finding(report, pack_forms(compiled), self.calendar)

    def resolve(self, document: Document, pack: PackRef = "auto",
                located: dict[tuple, Section] | None = None) -> tuple[Pack, Document, str]:
        """The pack a document is checked with (and why), and the document with its section, item and
        form filled in: what the engine is given. A section found is kept in `located`, when given, for
        the document's other packs (a whole 10-K's headings are read once, not once a pack)."""
        reason = "given"
        if _is_auto(pack):
            choice = detect.choose_pack(document, self.available())
            pack, reason = choice.pack, choice.reason
            if document.item is None and choice.item:
                document = replace(document, item=choice.item)
        compiled = self.pack(pack)
        if not compiled.rules:  # a report of no finding would read as a clean draft
            raise CheckerError(f"pack '{compiled.id}' has no rules: nothing would be checked (a pack of "
                               "vocabularies alone is one for other packs to extend)", file=compiled.path)
        if self.combine and compiled.learned:
            spec = replace(compiled.learned, combine=self.combine, by_element={})
            compiled = replace(compiled, learned=spec)
        if document.section is None:
            wanted = _item_of(compiled, document.form)
            key = (wanted, document.form, document.item)
            section = located.get(key) if located is not None else None
            if section is None:
                section = sections.locate(document, wanted)
                if located is not None:
                    located[key] = section
            document = replace(document, section=section)
        if document.item is None and document.section is not None and document.section.item:
            document = replace(document, item=document.section.item)
        elif document.item is None and document.form and document.section is not None \
                and document.section.method == "whole-input":
            # a draft of the section, its form told (--form 20-F): checked whole as the form's item, Item 16K
            entry = _entry_of(compiled, document.form)
            if entry.get("form", "").upper() == document.form.upper().split("/")[0]:
                document = replace(document, item=entry.get("item"))
        if document.form is None:
            document = replace(document, form=_form_of(compiled, document.item, document.text))
        return compiled, document, reason

    def provenance(self, packs: Sequence[str | Path] = detect.CONTENT_PACKS) -> dict[str, Any]:
        """What measured, for a methods section: cydcheck's version and source hash, the Python, regex and
        Hyperscan versions, and each pack's version and hash (a report's `pack_sha256`)."""
        import platform

        import regex

        from . import __version__, pack_cache, prefilter

        compiled = [self.pack(ref) for ref in packs]
        hyperscan = getattr(prefilter.hyperscan, "__version__", "installed") if prefilter.hyperscan else None
        return {"cydcheck_version": __version__, "source_sha256": pack_cache.source_digest(),
                "python": platform.python_version(), "regex": regex.__version__, "hyperscan": hyperscan,
                "timeout": self.timeout,
                "packs": {p.id: {"version": p.version, "sha256": p.digest} for p in compiled}}

    def check_packs(self, document: Document, packs: Sequence[PackRef] = ("auto",)) -> list[Report]:
        """Check one document with several packs, one report each (grouped by pack, in the order given).

        "auto" is the content pack chosen for the document, and also the cyd tag pack when the input
        carries cyd facts or is a filing whose dates require them; then a flag whose tagged text the
        content pack does not accept is reported as such by the tag pack (reconcile.flags)."""
        refs: list[PackRef] = []
        added = False
        for ref in packs:
            if _is_auto(ref):
                refs.append("auto")
                # (a form no pack checks, a 6-K, is one not-checked report: its tags answer no item here)
                if TAG_PACK in self.available() and _wants_tags(document) and _covered(document):
                    refs.append(TAG_PACK)
                    added = True
            else:
                refs.append(ref)
        reports: list[Report] = []
        located: dict[tuple, Section] = {}
        unique: dict[object, PackRef] = {}
        for ref in refs:  # each once, in order (a compiled pack, which is unhashable, by its identity)
            unique.setdefault(id(ref) if isinstance(ref, Pack) else ref, ref)
        for ref in unique.values():
            report = self.check_document(document, ref, located)
            if any(r.pack_id == report.pack_id for r in reports):
                continue  # "auto" chose a pack also named on its own
            if added and ref == TAG_PACK:
                report.pack_reason = ("with auto: the input carries cyd tags" if document.facts
                                      else "with auto: its form and dates require cyd tags")
            if report.pack_id == TAG_PACK and not document.facts and not _wants_tags(report.document):
                report.pack_reason = "; ".join(filter(None, (
                    report.pack_reason, "the input carries no cyd tags, and no tagging duty applies to it")))
            reports.append(report)
        tags = next((r for r in reports if r.pack_id == TAG_PACK), None)
        for content in reports:
            if tags is not None and content is not tags:
                reconcile.flags(content, tags, self.pack(TAG_PACK))
        return reports

    def check_path(self, path: str | os.PathLike, pack: PackRef = "auto") -> list[Report]:
        """One report for each document a file holds (a JSONL file of sections gives several)."""
        return [self.check_document(d, pack) for d in ingest.load(os.fspath(path))]


def _wants_tags(document: Document) -> bool:
    """The input carries cyd facts, or is an inline XBRL filing whose form and dates require them."""
    if document.facts:
        return True
    # (a plain HTML filing, a draft saved as HTML or one printed from a word processor, is no inline XBRL
    # document: its tags cannot be checked, and a report of 44 rules not applied said nothing)
    return (document.source_map.kind == "html" and bool(document.metadata.get("inline_xbrl"))
            and applicability.tagging_required(document.form, document.metadata))


def _covered(document: Document) -> bool:
    """Whether a pack checks the document's form: a form it does not state may be any."""
    return not document.form or detect.pack_of_form(document.form) is not None


def _not_covered(document: Document, checker: Checker) -> Report:
    """The report of a filing whose stated form no pack checks (a 6-K, a 40-F, a 10-Q): one result saying so,
    under the pack it names for a comparison, instead of a check under the rules of the form its words
    resemble."""
    result, compare = applicability.not_covered(str(document.form), detect.FORMS_CHECKED)
    pack = checker.pack(compare)
    why = f"form {document.form} has no pack: not checked"
    return Report(document, pack.id, pack.version, pack.title, [result], why, pack_sha256=pack.digest)


def _one_result(document: Document, pack: Pack, reason: str) -> Report | None:
    """The report of a filing its item's rules do not apply to, one result of its own instead of every rule
    as a gap: an 8-K that reports other items, an amendment that restates other parts, a filing made before
    its item applied."""
    entry = _entry_of(pack, document.form)  # a pack of several forms (cyd-tags) cites the document's own
    item = entry.get("item", document.item)
    citation = f"Form {entry.get('form', document.form or 'filing')} Item {item}"
    result = (_not_reported(document, str(item), citation) or _not_amended(document, str(item), citation)
              or _exempt(document, str(item), citation) or _not_yet_required(document, citation))
    if result is None:
        return None
    return locations.attach(Report(document, pack.id, pack.version, pack.title, [result], reason,
                                   pack_sha256=pack.digest))


def _not_reported(document: Document, item: str, citation: str) -> Result | None:
    """An 8-K whose EDGAR header, or (a whole filing without a section of the item) whose own item headings,
    leave out the item; an error where its text says the incident was determined material, a warning where it
    calls it not material beside a ransom paid or insured."""
    listed = applicability.items_without(document.metadata, item)
    section = document.section
    # A whole 8-K without the item's section: its headings say what it reports. (One that names Item 1.05
    # anywhere, under a heading the finder did not take, is never "missing": sections.locate checks it whole.)
    if listed is None and item in applicability.FORM_8K_ITEMS and section is not None \
            and section.method == "missing":
        listed = applicability.headed_without(sections.items_headed(document.text), item)
    if listed is None:
        return None
    stated = determination.incident_determined_material(document.text)
    paid = determination.immaterial_as_paid_or_insured(document.text) if stated is None else None
    if stated is None and paid is None:
        return applicability.not_reported(listed, item, citation)
    a, b = stated or paid
    evidence = Evidence(document.text[a:b], a, b, document.line_of(a))
    if stated is None:
        return applicability.immaterial_as_paid(listed, item, evidence)
    return applicability.determined_not_reported(listed, item, evidence)


def _not_amended(document: Document, item: str, citation: str) -> Result | None:
    """A 10-K/A or 20-F/A without the item's section that restates none of the item's part."""
    part = applicability.amended_part(document.form, item)
    if part is None or document.section is None or document.section.method != "missing" \
            or sections.mentions_item(document.text, item, left_alone=True) \
            or sections.restates_part(document.text, item):
        return None  # an amendment that names the item (not as one it leaves alone), or shows it restates its
        # part, may amend it
    headed = sections.items_headed(document.text)
    if set(headed) & set(part.items):
        return None  # it heads an item of the part: it restates the part, and should hold the item
    return applicability.not_amended(str(document.form), item, headed, citation)


def _exempt(document: Document, item: str, citation: str) -> Result | None:
    """A 10-K of a registrant Item 106 does not apply to (an asset-backed issuer)."""
    section = document.section
    body = "" if section is None or section.method == "missing" else \
        sections.after_heading(document.text[section.start:section.end], section.heading)
    because = applicability.exempt_because(document.form, document.metadata, body, document.text)
    return None if because is None else applicability.exempt(str(document.form), item, because, citation)


def _not_yet_required(document: Document, citation: str) -> Result | None:
    """A filing made before its item applied: dates decide; where they cannot, the filer's own "Not
    applicable." does."""
    applies = applicability.item_applies(document.form, document.metadata)
    if applies.status == "unsure":
        section = document.section
        said = (section is not None and section.method != "missing"
                and sections.classify(document.text[section.start:section.end], section.heading)
                == "not-applicable")
        if not said:
            return None
        applies = replace(applies, status=applicability.STATUS,
                          reason=applies.reason + ", and the section says it is not applicable")
    if applies.status != applicability.STATUS:
        return None
    return applicability.not_yet_required(applies, document.form, document.item, citation)


def _entry_of(pack: Pack, form: str | None = None) -> dict:
    """The pack's `applies_to` entry with an item for the document's form; else its first with an item."""
    # A pack covering several forms (cyd-tags) looks for the item of the document's own form first.
    base = (form or "").upper().split("/")[0]
    with_item = [a for a in pack.applies_to if a.get("item")]
    first = with_item[0] if with_item else {}
    return next((a for a in with_item if a.get("form", "").upper() == base), first)


def _item_of(pack: Pack, form: str | None = None) -> str | None:
    return _entry_of(pack, form).get("item")


def _form_of(pack: Pack, item: str | None, text: str = "") -> str | None:
    """The form of a draft without metadata: its pack's entry for its item ("Item 1C" -> 10-K), an amendment
    ("8-K/A") where the draft's explanatory note says it is one."""
    form = next((a.get("form") for a in pack.applies_to
                 if item and a.get("item", "").upper() == item.upper()), None)
    if form and not form.upper().endswith("/A") and cover.declares_amendment(text):
        return f"{form}/A"
    return form


# What check() reads: the disclosure's text, an input's bytes (a Word draft, a PDF, a filing's HTML, a JSON
# record: told from its first bytes), the path of a file, or a file opened in text or binary mode
Input = str | bytes | bytearray | memoryview | os.PathLike | IO[str] | IO[bytes]


def check(text: Input, pack: PackRef = "auto", *, form: str | None = None, item: str | None = None,
          source: str = "<text>", checker: Checker | None = None, examples: bool = True,
          metadata: Mapping[str, Any] | None = None) -> Report:
    """Check one disclosure: text (a str), an input's bytes, a path or a file object. `pack` is a pack id, a
    path, a compiled pack (Checker.add_pack's), or "auto" (the default, as the CLI's: chosen from the form,
    the heading or the words; Item 106's pack where nothing tells).

    A str is the disclosure's text as it is; bytes, a path or a file object are read as `cydcheck check`
    reads a file (its format told from its name, else from its first bytes), and must hold one document
    (`Checker.check_path` checks a file of several records). Without `checker`, a checker kept for the
    process is reused, so packs are compiled once: a pack file changed since it was compiled (size or
    modification time) is compiled again. `examples`: put three peer examples on each gap
    (`Result.peer_examples`, see checker.peer_examples.attach). `form`, `item`: what the input is, over what
    it says. `metadata`: the filing's facts as a JSON record's fields name them (`period`, `fiscal_year`,
    `filed`, `smaller_reporting_company`, `cik`, `accession`, `issuer`): the dates decide whether the item
    applied.
    """
    doc = _document_of(text, source)
    given = records.given_metadata(metadata or {}, source)  # a DataFrame row's Timestamp a day, its NaN none
    doc = replace(doc, form=records.edgar_form(form) if form else doc.form, item=item or doc.item,
                  metadata={**doc.metadata, **given})
    if checker is None:
        path = None if isinstance(pack, Pack) else Path(pack)
        folder = path.parent if path is not None and path.suffix in (".yaml", ".yml") else None
        checker = shared_checker(folder)
    report = checker.check_document(doc, pack)
    if examples:
        peer_examples.attach([report])  # the data file is read on first use, then kept
    return report


def _document_of(given: Input, source: str) -> Document:
    """The one document check() is given, as text, bytes, a path or a file object."""
    if isinstance(given, str):
        if _names_a_file(given):  # checked as text, a file's name meets nothing: twelve gaps, no error
            raise CheckerError(f"check() was given the name of a file as the disclosure's text: pass "
                               f"pathlib.Path({given.strip()!r}) to check the file")
        limit = ingest.max_input_bytes()
        if len(given) > limit // 4 and len(given.encode("utf-8", "surrogatepass")) > limit:
            raise too_large(limit, source)  # as a file's is: a text's size is the caller's too
        return Document(text=given, source=source)
    if isinstance(given, os.PathLike):
        source = os.fspath(given)
        documents = ingest.load(source)
    else:
        if callable(getattr(given, "read", None)):
            name = getattr(given, "name", None)
            source = name if source == "<text>" and isinstance(name, str) else source
            given = given.read()  # type: ignore[union-attr]
        if isinstance(given, str):
            given = given.encode("utf-8")  # a file opened in text mode: read as the file it names is
        if not isinstance(given, (bytes, bytearray, memoryview)):
            raise CheckerError("check() takes the disclosure as text (str), bytes, a path or a file object, "
                               f"not {type(given).__name__}")
        source = "<bytes>" if source == "<text>" else source
        suffix = Path(source).suffix.lower()  # the format its name gives, else told from its first bytes
        documents = ingest.load_bytes(bytes(given), source, suffix[1:] if suffix in ingest.READERS else None)
    if len(documents) != 1:
        raise CheckerError(f"holds {counted(len(documents), 'document')}: check() checks one; "
                           "Checker.check_path gives a report for each", file=source)
    return documents[0]


def _names_a_file(text: str) -> bool:
    """Whether a text given to check() is a file's name, not a disclosure: one line naming a file here, or
    a name without spaces ending in a suffix cydcheck reads ("draft.docx")."""
    name = text.strip()
    if not name or "\n" in name or len(name) > 1024:
        return False
    return os.path.isfile(name) or (" " not in name and Path(name).suffix.lower() in ingest.READERS)


def shared_checker(pack_folder: Path | None = None, extra_dirs: tuple[str, ...] = ()) -> Checker:
    """One checker per set of pack folders for the whole process, rebuilt when a pack file changes.

    `pack_folder` is the folder of a pack given by path: its files are watched too.
    """
    dirs = tuple(Path(d) for d in extra_dirs)
    builtin = builtin_rules_dir()
    stamp = _stamp(list(dirs) + [builtin] + ([pack_folder] if pack_folder else []))
    key = (dirs, builtin)
    with _SHARING:  # threads starting together share one checker (and so compile its packs once)
        kept = _SHARED.get(key)
        if kept is None or kept[0] != stamp:
            kept = _SHARED[key] = (stamp, Checker(extra_dirs=list(dirs)))
    return kept[1]


_SHARED: dict[tuple[tuple[Path, ...], Path], tuple[tuple, Checker]] = {}
_SHARING = threading.Lock()  # guards _SHARED
_COMPILING = threading.Lock()  # held while a checker compiles a pack


def _new_locks() -> None:
    """Fresh locks in a forked child: a lock some thread of the parent held at the fork would be held in the
    child for ever, by a thread the child does not have (a pre-forking server's workers)."""
    global _SHARING, _COMPILING
    _SHARING, _COMPILING = threading.Lock(), threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_locks)


def _stamp(folders: list[Path]) -> tuple:
    """Name, size and modification time of every pack file in the folders and their subfolders (a cheap
    change detector, run on every check() call: os.walk, where Path.rglob took five times as long)."""
    out = []
    for folder in folders:
        for root, subfolders, files in os.walk(folder):
            subfolders.sort()
            for name in sorted(files):
                if fnmatch.fnmatchcase(name, "*.y*ml"):
                    path = os.path.join(root, name)
                    st = os.stat(path)
                    out.append((path, st.st_size, st.st_mtime_ns))
    return tuple(out)
