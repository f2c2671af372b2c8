"""Compare two drafts' reports element by element: which improved, which regressed, with evidence.

Statuses are ordered missing < partial < met. Within the same status a multi-part rule that lost
a part it had satisfied counts as regressed (and one that only gained parts as improved), so a
pull request cannot trade one prong of an element for another unnoticed. Moves to or from
not_applicable are listed as changed but are neither. A rule present in only one report (a finding cydcheck
gives only when something is wrong: a note to the draft, a missing section) is a regression where it is a
new gap and an improvement where a gap is gone; otherwise it is listed as changed.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .model import Evidence, Report, Result

STATUS_RANK = {"missing": 0, "partial": 1, "met": 2}
KINDS = ("regressed", "improved", "changed", "unchanged")
GAPS = ("missing", "partial")  # a finding of these in one report only is a gap gained or gone


@dataclass(frozen=True)
class Change:
    rule: str
    element: str | None
    title: str
    severity: str
    kind: str  # one of KINDS
    old: str | None  # status in the old draft (None: the rule was not checked there)
    new: str | None
    old_evidence: tuple[Evidence, ...] = ()
    new_evidence: tuple[Evidence, ...] = ()
    lost_parts: tuple[str, ...] = ()
    gained_parts: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"rule": self.rule, "element": self.element, "title": self.title,
                             "severity": self.severity, "change": self.kind, "old": self.old, "new": self.new}
        if self.lost_parts:
            d["lost_parts"] = list(self.lost_parts)
        if self.gained_parts:
            d["gained_parts"] = list(self.gained_parts)
        d["old_evidence"] = [e.to_dict() for e in self.old_evidence]
        d["new_evidence"] = [e.to_dict() for e in self.new_evidence]
        return d


@dataclass
class DraftDiff:
    old: Report
    new: Report
    changes: list[Change] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    @property
    def has_regressions(self) -> bool:
        return any(c.kind == "regressed" for c in self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old.document.source,
            "new": self.new.document.source,
            "pack": {"id": self.new.pack_id, "version": self.new.pack_version},
            "changes": [c.to_dict() for c in self.changes],
            "summary": {k: self.count(k) for k in KINDS},
        }


def classify(old: Result | None, new: Result | None) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The kind of change, and the parts lost and gained."""
    if old is None or new is None:
        present = new if old is None else old
        if present is None or present.status not in GAPS:
            return "changed", (), ()
        return ("regressed" if old is None else "improved"), (), ()
    if old.status not in STATUS_RANK or new.status not in STATUS_RANK:
        return ("unchanged" if old.status == new.status else "changed"), (), ()
    # missing_parts, not evidence parts: evidence is trimmed and may not show every satisfied part.
    lost = tuple(sorted(set(new.missing_parts) - set(old.missing_parts)))
    gained = tuple(sorted(set(old.missing_parts) - set(new.missing_parts)))
    rank_old, rank_new = STATUS_RANK[old.status], STATUS_RANK[new.status]
    if rank_new < rank_old or (rank_new == rank_old and lost):
        return "regressed", lost, gained
    if rank_new > rank_old or (rank_new == rank_old and gained):
        return "improved", lost, gained
    return "unchanged", lost, gained


def absent_label(kind: str) -> str:
    """What a draft whose report lacks the rule is said to have: no such gap found (beside a gap in the other
    draft: a note to the draft resolved or added), else a rule not checked there."""
    return "none found" if kind in ("improved", "regressed") else "not checked"


def diff_reports(old: Report, new: Report) -> DraftDiff:
    """One Change per rule, in the new report's rule order (rules only in the old one last)."""
    old_by_rule = {r.rule: r for r in old.results}
    new_by_rule = {r.rule: r for r in new.results}
    order = [r.rule for r in new.results] + [r.rule for r in old.results if r.rule not in new_by_rule]
    changes = []
    for rule in order:
        o, n = old_by_rule.get(rule), new_by_rule.get(rule)
        ref = n or o
        assert ref is not None
        kind, lost, gained = classify(o, n)
        changes.append(Change(rule, ref.element, ref.title, ref.severity, kind,
                              o.status if o else None, n.status if n else None,
                              tuple(o.evidence) if o else (), tuple(n.evidence) if n else (), lost, gained))
    return DraftDiff(old, new, changes)


# ---------------------------------------------------------------- rendering

_LABEL = {"regressed": "REGRESSED", "improved": "IMPROVED", "changed": "CHANGED", "unchanged": "same"}


def _quote(label: str, evidence: Sequence[Evidence], limit: int = 2) -> list[str]:
    out = []
    for e in evidence[:limit]:
        part = f" [{e.part}]" if e.part else ""
        quote = textwrap.shorten(" ".join(e.text.split()), 110, placeholder=" …")
        out.append(f"             {label}, {e.where}{part}: \"{quote}\"")
    return out


def render_text(diffs: Sequence[DraftDiff], show_unchanged: bool = False) -> str:
    blocks = []
    for d in diffs:
        lines = [f"{d.old.document.source} -> {d.new.document.source} — "
                 f"pack {d.new.pack_id} {d.new.pack_version}"]
        for c in d.changes:
            if c.kind == "unchanged" and not show_unchanged:
                continue
            before, now = (status or absent_label(c.kind) for status in (c.old, c.new))
            lines.append(f"  {_LABEL[c.kind]:<10} {c.rule:<28} {before} -> {now}  "
                         f"{c.title} [{c.severity}]")
            if c.lost_parts:
                lines.append(f"             lost: {', '.join(c.lost_parts)}")
            if c.gained_parts:
                lines.append(f"             gained: {', '.join(c.gained_parts)}")
            if c.kind == "regressed":
                # What the old draft said that the new one no longer says.
                kept = {" ".join(e.text.split()) for e in c.new_evidence}
                gone = [e for e in c.old_evidence if " ".join(e.text.split()) not in kept]
                lines += _quote("was", gone or list(c.old_evidence))
            if c.kind in ("improved", "changed") or (c.kind == "regressed" and c.new_evidence):
                lines += _quote("now", c.new_evidence)
        unchanged = d.count("unchanged")
        lines.append(f"  {d.count('regressed')} regressed, {d.count('improved')} improved, "
                     f"{d.count('changed')} changed, {unchanged} unchanged")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
