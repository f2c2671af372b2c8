"""The evaluation context a condition reads and the outcome it returns."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..model import Document, Match, Segments
from ..vocab import PatternTimeout, Vocabulary


@dataclass(frozen=True)
class Hit:
    """A span of text that satisfied a condition, and the terms found in it."""

    start: int
    end: int
    matches: tuple[Match, ...] = ()
    score: float | None = None  # set by a learned condition: the sentence's score
    terms: tuple[str, ...] = ()  # and the n-grams that weighed most for it


@dataclass(frozen=True)
class Outcome:
    ok: bool
    hits: tuple[Hit, ...] = ()
    # When not ok: the spans that made it false, where a `not` found them (the sentence saying outside
    # assessors are engaged, against a flag tagged false): what a reviewer reads to see why.
    against: tuple[Hit, ...] = ()


FALSE = Outcome(False)


@dataclass
class Context:
    """One document prepared for evaluation: normalised text, segments, cached concept matches."""

    document: Document
    text: str  # document text normalised for matching (same length and offsets)
    segments: Segments
    vocabularies: Mapping[str, Vocabulary]
    # Contexts over tagged facts' own text, built by fact conditions; shared with per-member contexts.
    facts_view: dict[Any, Context] = field(default_factory=dict)
    learned: Any = None  # the pack's LearnedModel, when it has one (read by learned conditions)
    learned_margins: Any = None  # the learned SectionScores of the section (computed once, for every element)
    # the pack's LearnedSpec, whose per-element vetoes and required concepts gate the model's evidence
    # (read by learned conditions; see checker.learned.LearnedSpec)
    gates: Any = None
    _cache: dict[str, tuple[list[int], list[Match]]] = field(default_factory=dict)
    _timed_out: dict[str, str] = field(default_factory=dict)  # concept -> the time-limit message
    _units: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)  # scope -> its units
    _unit_starts: dict[str, list[int]] = field(default_factory=dict)  # scope -> where its units start
    _holding: dict[tuple[str, str], set[int]] = field(default_factory=dict)  # (concept, scope) -> units
    # concept -> where a match of it may start, by the prefilter's scan (None: not known without matching)
    _starts: dict[str, list[int] | None] = field(default_factory=dict)

    def units(self, scope: str) -> list[tuple[int, int, int]]:
        """(start, end, sentence index or -1) of each sentence, paragraph or the section, in text order."""
        units = self._units.get(scope)
        if units is None:
            if scope == "sentence":
                units = [(s.start, s.end, s.index) for s in self.segments.sentences]
            elif scope == "paragraph":
                units = [(p.start, p.end, -1) for p in self.segments.paragraphs]
            else:
                start, end = self.document.span
                units = [(start, end, -1)]
            self._units[scope] = units
        return units

    def unit_starts(self, scope: str) -> list[int]:
        """Where each unit of units(scope) starts, for finding by bisection the unit an offset lies in."""
        starts = self._unit_starts.get(scope)
        if starts is None:
            starts = self._unit_starts[scope] = [u[0] for u in self.units(scope)]
        return starts

    def units_holding(self, concept: str, scope: str) -> set[int]:
        """The positions in units(scope) of the units that hold a match of the concept (see matches_in).

        Sentences and paragraphs do not overlap, so a match lies in at most one unit: the last one
        starting at or before it, when the match ends inside it.
        """
        key = (concept, scope)
        held = self._holding.get(key)
        if held is None:
            units = self.units(scope)
            starts = self.unit_starts(scope)
            held = set()
            found = self.matches(concept)[1]
            if found:
                bisect_right = bisect.bisect_right
                for m in found:
                    i = bisect_right(starts, m.start) - 1
                    if i >= 0 and m.end <= units[i][1] and m.start < units[i][1]:
                        held.add(i)
            self._holding[key] = held
        return held

    def holds(self, concept: str, scope: str, unit: int) -> bool:
        """Whether the unit at that position of units(scope) holds a match of the concept: the same answer
        as units_holding, without matching the concept where the prefilter's scan shows no match may start
        in the unit (one sentence's question seldom needs the whole section matched)."""
        start, end, _ = self.units(scope)[unit]
        return self._may_start(concept, start, end) and unit in self.units_holding(concept, scope)

    def _may_start(self, concept: str, start: int, end: int) -> bool:
        """Whether a match of the concept may start in [start, end): False only where the prefilter's scan
        shows that none may, before the concept is matched (once it is, its matches answer)."""
        if concept in self._cache or concept in self._timed_out:
            return True
        if concept not in self._starts:
            s, e = self.document.span
            self._starts[concept] = self.vocabularies[concept].starts(self.text, s, e)
        found = self._starts[concept]
        if found is None:
            return True
        i = bisect.bisect_left(found, start)
        return i < len(found) and found[i] < end

    def matches(self, concept: str) -> tuple[list[int], list[Match]]:
        """All matches of a concept in the section, sorted, with their start offsets for bisection."""
        if concept in self._timed_out:
            # Later rules using a runaway vocabulary fail at once instead of waiting out the limit again.
            raise PatternTimeout(self._timed_out[concept])
        if concept not in self._cache:
            start, end = self.document.span
            try:
                found = self.vocabularies[concept].find(self.text, start, end)
            except PatternTimeout as exc:
                self._timed_out[concept] = str(exc)
                raise
            self._cache[concept] = ([m.start for m in found], found)
        return self._cache[concept]

    def matches_in(self, concept: str, start: int, end: int) -> list[Match]:
        """The matches of a concept that lie within [start, end)."""
        if concept not in self._cache and not self._may_start(concept, start, end):
            return []
        starts, found = self._cache.get(concept) or self.matches(concept)
        i = bisect.bisect_left(starts, start)
        j = bisect.bisect_left(starts, end, i)
        if i == j:
            return []
        return [m for m in found[i:j] if m.end <= end]


def flat_vetoes(entries: Any) -> list[Any]:
    """A veto list with its nested lists spread in place: a set of vetoes written once under a YAML anchor
    (`&provider_vetoes [xref_only, ...]`) and named again where it applies (`none: [*provider_vetoes]`)."""
    out: list[Any] = []
    for e in entries:
        out.extend(flat_vetoes(e) if isinstance(e, list) else [e])
    return out


def split_vetoes(entries: Any) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """A veto list (a clause's `none:`, a `veto_by_element:` list) as its plain names and its {concept,
    unless} entries, the latter as (concept, unless) pairs."""
    flat = flat_vetoes(entries)
    plain = tuple(e for e in flat if isinstance(e, str))
    return plain, tuple((e["concept"], tuple(e["unless"])) for e in flat if isinstance(e, dict))


def entry_names(entry: Any) -> list[str]:
    """The vocabulary names one entry of a veto or `require:` list refers to: a name, {concept, unless}, or a
    list of entries (a `require:` group, a veto list's nested set)."""
    if isinstance(entry, str):
        return [entry]
    if isinstance(entry, dict):
        return [entry["concept"], *entry.get("unless", ())]
    return [n for e in entry for n in entry_names(e)]


def holding_all(ctx: Context, concepts: tuple[str, ...], scope: str = "sentence") -> frozenset[int]:
    """Indexes of the sentences (or paragraphs) that hold a match of every one of the concepts (from the
    match cache)."""
    held = frozenset(ctx.units_holding(concepts[0], scope))
    for concept in concepts[1:]:
        if not held:
            break
        held &= ctx.units_holding(concept, scope)
    return held


def holding_a_group(ctx: Context, groups: tuple[tuple[str, ...], ...],
                    scope: str = "sentence") -> frozenset[int]:
    """Indexes of the sentences (or paragraphs) that hold one of the groups whole (a `require:` entry's
    shape)."""
    return frozenset().union(*(holding_all(ctx, group, scope) for group in groups))


def holds_a_group(ctx: Context, groups: tuple[tuple[str, ...], ...], scope: str, unit: int) -> bool:
    """Whether one unit holds one of the groups whole: holding_a_group's answer for that unit alone, asked
    with Context.holds (the concepts matched only where they may decide)."""
    return any(all(ctx.holds(c, scope, unit) for c in group) for group in groups)


def carries_a_group(ctx: Context, groups: tuple[tuple[str, ...], ...], scope: str, unit: int) -> bool:
    """Whether the unit or the one before it holds one of the groups whole (the subject or topic carried
    from the sentence or paragraph before): topic_paragraphs' answer for one unit."""
    return holds_a_group(ctx, groups, scope, unit) or unit > 0 and holds_a_group(ctx, groups, scope, unit - 1)


def topic_paragraphs(ctx: Context, groups: tuple[tuple[str, ...], ...]) -> frozenset[int]:
    """Indexes of the paragraphs on the topic the groups name: those holding one of the groups whole, and
    those right after one that does (a heading, or the paragraph before, names the topic for the next)."""
    held = holding_a_group(ctx, groups, "paragraph")
    return held | {p + 1 for p in held}
