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
    learned_margins: list[Any] | None = None  # per sentence, its learned SentenceScore (computed once)
    # element -> concepts that keep a sentence from being the model's evidence (the pack's rule vetoes)
    learned_veto: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    _cache: dict[str, tuple[list[int], list[Match]]] = field(default_factory=dict)
    _timed_out: dict[str, str] = field(default_factory=dict)  # concept -> the time-limit message

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
        starts, found = self.matches(concept)
        i = bisect.bisect_left(starts, start)
        j = bisect.bisect_left(starts, end)
        return [m for m in found[i:j] if m.end <= end]
