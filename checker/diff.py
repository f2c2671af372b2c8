"""Compare two drafts' reports element by element: which improved, which regressed, with evidence.

Statuses are ordered missing < partial < met. Within the same status a multi-part rule that lost
a part it had satisfied counts as regressed (and one that only gained parts as improved), so a
pull request cannot trade one prong of an element for another unnoticed. A rule that does not apply on
one side (not_applicable) counts as absent there. A rule present in only one report (a finding cydcheck
gives only when something is wrong: a note to the draft, a missing section) is a regression where it is a
new gap and an improvement where a gap is gone; otherwise it is listed as changed. An unchanged rule whose
quotes differ (met both years, on other sentences) is marked reworded: a year-over-year reader sees what the
disclosure now says, though the draft neither gained nor lost.
"""

from __future__ import annotations

import difflib
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .applicability import supplements
from .model import Evidence, Report, Result
from .report.terminal import safe, wrap

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
    reworded: bool = False  # unchanged, but resting on other sentences
    citation: str = ""
    old_review: str = ""  # why a met verdict of the old draft is marked for review, if it is
    new_review: str = ""
    in_original: str = ""  # the provision by which the new draft, adding to the old, need not repeat this
    old_title: str = ""  # the old draft's title for the finding where the new one's differs (a deadline)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"rule": self.rule, "element": self.element, "title": self.title,
                             "citation": self.citation, "severity": self.severity, "change": self.kind,
                             "old": self.old, "new": self.new}
        if self.lost_parts:
            d["lost_parts"] = list(self.lost_parts)
        if self.gained_parts:
            d["gained_parts"] = list(self.gained_parts)
        if self.reworded:
            d["reworded"] = True
        if self.old_review:
            d["old_review"] = self.old_review
        if self.new_review:
            d["new_review"] = self.new_review
        if self.in_original:
            d["in_original"] = True
        if self.old_title:
            d["old_title"] = self.old_title
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
    # A rule that does not apply on one side is as absent there: starting to apply unmet is a gap gained.
    old, new = _applying(old), _applying(new)
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


def _applying(result: Result | None) -> Result | None:
    """The result, or None where its rule does not apply to the draft."""
    return None if result is None or result.status == "not_applicable" else result


_WORD = re.compile(r"[^\W_]+")
_APOSTROPHES = str.maketrans("", "", "'’")


def _sentences(evidence: Sequence[Evidence]) -> list[str]:
    """The quoted sentences, spacing aside (a reflowed line is the same sentence)."""
    return [" ".join(e.text.split()) for e in evidence]


def wording(text: str) -> str:
    """A sentence's words alone, lower-cased: a bullet, a curly quote or an apostrophe a rebuilt text lost
    ("Company’s", "Companys") is no rewording."""
    return " ".join(_WORD.findall(text.translate(_APOSTROPHES).lower()))


def reworded(kind: str, old: Sequence[Evidence], new: Sequence[Evidence]) -> bool:
    """Whether an unchanged rule rests on other sentences than before; a side without quotes (a status-only
    snapshot, a rule met with nothing to quote) tells nothing."""
    return (kind == "unchanged" and bool(old) and bool(new)
            and {wording(e.text) for e in old} != {wording(e.text) for e in new})


def absent_label(kind: str) -> str:
    """What a draft whose report lacks the rule is said to have: no such gap found (beside a gap in the other
    draft: a note to the draft resolved or added), else a rule not checked there."""
    return "none found" if kind in ("improved", "regressed") else "not checked"


def shown_statuses(c: Change) -> tuple[str, str]:
    """The change's old and new status as a listing shows them (a side without the rule: absent_label)."""
    before, now = (status or absent_label(c.kind) for status in (c.old, c.new))
    return before, now


def diff_reports(old: Report, new: Report) -> DraftDiff:
    """One Change per rule, in the new report's rule order (rules only in the old one last)."""
    old_by_rule = {r.rule: r for r in old.results}
    new_by_rule = {r.rule: r for r in new.results}
    order = [r.rule for r in new.results] + [r.rule for r in old.results if r.rule not in new_by_rule]
    adds_to = supplements(old.document.form, new.document.form)
    changes = []
    for rule in order:
        o, n = old_by_rule.get(rule), new_by_rule.get(rule)
        ref = n or o
        assert ref is not None
        kind, lost, gained = classify(o, n)
        # an element the original states and an amendment that adds to it does not repeat: no regression
        kept = adds_to if kind == "regressed" and _applying(o) is not None and n is not None else ""
        kind = "changed" if kept else kind
        was, now = (tuple(o.evidence) if o else ()), (tuple(n.evidence) if n else ())
        changes.append(Change(rule, ref.element, ref.title, ref.severity, kind,
                              o.status if o else None, n.status if n else None,
                              was, now, lost, gained, reworded(kind, was, now), ref.citation,
                              o.review if o else "", n.review if n else "", kept,
                              o.title if o and n and o.title != n.title else ""))
    return DraftDiff(old, new, changes)


# ---------------------------------------------------------------- rendering

_LABEL = {"regressed": "REGRESSED", "improved": "IMPROVED", "changed": "CHANGED", "unchanged": "same"}


def _not_in(evidence: Sequence[Evidence], other: Sequence[Evidence]) -> list[Evidence]:
    """The quotes of `evidence` whose sentence (its words) `other` does not quote."""
    kept = {wording(e.text) for e in other}
    return [e for e in evidence if wording(e.text) not in kept]


LEAD = 4  # words kept before the first one a reworded sentence changes
QUOTE_WIDTH = 110  # characters of a quote on a line


def from_change(sentence: str, others: Sequence[str], width: int = QUOTE_WIDTH) -> str:
    """A sentence too long for a line, from a few words before where it departs from the most alike of
    `others`, so that a reworded sentence's quote shows the words that changed rather than the opening both
    share ("…" marks the words left out)."""
    words = sentence.split()
    if not others or len(" ".join(words)) <= width:
        return " ".join(words)
    near = max(others, key=lambda o: difflib.SequenceMatcher(None, words, o.split()).ratio()).split()
    if near == words:  # the same sentence on the other side: nothing departs, so quote it from its opening
        return " ".join(words)
    same = next((i for i, (a, b) in enumerate(zip(words, near, strict=False)) if a != b),
                min(len(words), len(near)))
    start = max(0, same - LEAD)
    return ("… " if start else "") + " ".join(words[start:])


def _cut(evidence: Sequence[Evidence], against: Sequence[Evidence] = (),
         limit: int = 2) -> list[tuple[Evidence, str]]:
    """Each quote (at most `limit`) cut to fit; against another side's quotes, from where it departs from
    them."""
    others = _sentences(against)
    return [(e, textwrap.shorten(from_change(e.text, others), QUOTE_WIDTH, placeholder=" …"))
            for e in evidence[:limit]]


def quotes(c: Change) -> list[tuple[str, Evidence, str]]:
    """What a change's listing quotes, as (was/now, evidence, the quote cut to fit): what a regression lost,
    what an improvement or change now says, a rewording's sentences gone and added."""
    out: list[tuple[str, Evidence, str]] = []
    if c.kind == "regressed" or c.in_original:
        # What the old draft said that the new one no longer says, from where it parts from what it now says.
        gone = _not_in(c.old_evidence, c.new_evidence) or list(c.old_evidence)
        out += [("was", e, q) for e, q in _cut(gone, c.new_evidence)]
    if c.kind == "improved" or (c.kind == "changed" and not c.in_original) or (
            c.kind in ("regressed", "changed") and c.new_evidence):
        out += [("now", e, q) for e, q in _cut(c.new_evidence, c.old_evidence)]
    if c.reworded:
        gone, added = _not_in(c.old_evidence, c.new_evidence), _not_in(c.new_evidence, c.old_evidence)
        out += [("was", e, q) for e, q in _cut(gone, added)] + [("now", e, q) for e, q in _cut(added, gone)]
    return out


def listed(d: DraftDiff, show_unchanged: bool) -> list[Change]:
    """The changes a listing shows: all but the unchanged, which only --all adds (a reworded one always, and
    one the new draft alone marks for review)."""
    return [c for c in d.changes
            if c.kind != "unchanged" or show_unchanged or c.reworded or (c.new_review and not c.old_review)]


def reviews(c: Change) -> list[tuple[str, str]]:
    """Why a side's met verdict is marked for review, as (the draft, why): the new draft's, and the old one's
    where the new one's is not the same."""
    out = [("new draft", c.new_review)] if c.new_review else []
    return out + ([("old draft", c.old_review)] if c.old_review and c.old_review != c.new_review else [])


def label(c: Change) -> str:
    return "REWORDED" if c.reworded else "UNREPEATED" if c.in_original else _LABEL[c.kind]


def original_note(d: DraftDiff, c: Change) -> str:
    """Why an element the amendment leaves out is no regression: where it stands, and the provision."""
    return (f"stated in the original {d.old.document.form}; an {d.new.document.form} need not repeat it "
            f"({c.in_original})") if c.in_original else ""


def totals(d: DraftDiff) -> str:
    """The counts line: "1 regressed, 0 improved, 0 changed, 11 unchanged (4 reworded)"."""
    rewords = sum(1 for c in d.changes if c.reworded)
    return (f"{d.count('regressed')} regressed, {d.count('improved')} improved, "
            f"{d.count('changed')} changed, {d.count('unchanged')} unchanged"
            + (f" ({rewords} reworded)" if rewords else ""))


_UNDER = " " * 13  # under the rule id, past the change's label


def render_text(diffs: Sequence[DraftDiff], show_unchanged: bool = False, width: int | None = None) -> str:
    """The listing for a terminal: a line a change (wrapped to `width` columns where given), each quote under
    it; no escape sequence from a file's name or text reaches the terminal."""
    blocks = []
    for d in diffs:
        lines = wrap(f"{d.old.document.source} -> {d.new.document.source} — "
                     f"pack {d.new.pack_id} {d.new.pack_version}", width, "", "  ")
        for c in listed(d, show_unchanged):
            before, now = shown_statuses(c)
            cited = f"; {c.citation}" if c.citation else ""
            lines += wrap(f"{label(c):<10} {c.rule:<28} {before} -> {now}  {c.title} [{c.severity}{cited}]",
                          width, "  ", _UNDER)
            if c.old_title:
                lines += wrap(f"was: {c.old_title}", width, _UNDER, _UNDER + "  ")
            if c.lost_parts:
                lines += wrap(f"lost: {', '.join(c.lost_parts)}", width, _UNDER, _UNDER)
            if c.gained_parts:
                lines += wrap(f"gained: {', '.join(c.gained_parts)}", width, _UNDER, _UNDER)
            for side, e, quote in quotes(c):
                part = f" [{e.part}]" if e.part else ""
                lines += wrap(f"{side}, {e.where}{part}: \"{quote}\"", width, _UNDER, _UNDER + "  ")
            for draft, why in reviews(c):
                lines += wrap(f"review ({draft}): {why}", width, _UNDER, _UNDER + "  ")
            if c.in_original:
                lines += wrap(original_note(d, c), width, _UNDER, _UNDER)
        lines += wrap(totals(d), width, "  ", "  ")
        blocks.append("\n".join(lines))
    return safe("\n\n".join(blocks) + "\n")


def render_markdown(diffs: Sequence[DraftDiff], show_unchanged: bool = False) -> str:
    """The same listing as a Markdown table per pair of drafts (for a comment letter or a pull request), each
    value from the drafts escaped as `check --format markdown` escapes it."""
    from .report.markdown_out import code, md  # Jinja and the templates only for this format
    blocks = []
    for d in diffs:
        lines = [f"## cydcheck diff: {md(d.old.document.source)} → {md(d.new.document.source)}", "",
                 f"**{totals(d)}** · pack {code(d.new.pack_id)} {md(d.new.pack_version)}", ""]
        shown = listed(d, show_unchanged)
        if shown:
            lines += ["| Change | Element | Citation | Status | Evidence |",
                      "| --- | --- | --- | --- | --- |"]
        for c in shown:
            notes = [f"Was: {md(c.old_title)}." if c.old_title else "",
                     f"Lost: {md(', '.join(c.lost_parts))}." if c.lost_parts else "",
                     f"Gained: {md(', '.join(c.gained_parts))}." if c.gained_parts else ""]
            notes += [f"{side.capitalize()}, {md(e.where)}{' ' + md(f'[{e.part}]') if e.part else ''}: "
                      f"“{md(q)}”" for side, e, q in quotes(c)]
            notes += [f"**Review ({draft}):** {md(why)}" for draft, why in reviews(c)]
            note = original_note(d, c)
            notes += [md(note[:1].upper() + note[1:] + ".")] if note else []
            evidence = " ".join(n for n in notes if n) or "–"
            lines.append(f"| {label(c)} | {md(c.title)} {code(c.rule)} | {md(c.citation)} | "
                         f"{' → '.join(md(status) for status in shown_statuses(c))} | "
                         f"{evidence} |")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
