"""The library API the CLI wraps: load packs once, check documents or plain text."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from . import applicability, deadline, detect, engine, ingest, locations, sections
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
        held = _not_yet_required(document, compiled, reason)
        if held is not None:
            return held
        report = locations.attach(engine.evaluate(compiled, document, reason))
        # A missing, "not applicable" or by-reference section is one plain finding, ahead of the rules.
        section_finding = sections.finding(document, compiled.applies_to)
        if section_finding is not None:
            report.results.insert(0, section_finding)
        # The filing deadline is a check on dates, not text: added after the generic engine.
        forms = [a.get("form", "") for a in compiled.applies_to]
        return deadline.append_finding(report, forms, self.calendar)

    def check_path(self, path: str, pack: str | Path = "auto") -> list[Report]:
        return [self.check_document(d, pack) for d in ingest.load(path)]


def _not_yet_required(document: Document, pack: Pack, reason: str) -> Report | None:
    """The report of a filing made before its item applied (dates decide; where they cannot, the filer's
    own "Not applicable." does): one result of its own status instead of every rule as a gap."""
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
    cited = next((a for a in pack.applies_to if a.get("item")), {})
    citation = f"Form {cited.get('form', document.form or 'filing')} Item {cited.get('item', document.item)}"
    result = applicability.not_yet_required(applies, document.form, document.item, citation)
    return Report(document, pack.id, pack.version, pack.title, [result], reason)


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
    """Check one disclosure given as text. `pack` is a pack id, a path, or "auto"."""
    if not isinstance(text, str):
        raise CheckerError("check() takes the disclosure text as a str")
    doc = Document(text=text, source=source, form=form, item=item)
    return (checker or Checker()).check_document(doc, pack)
