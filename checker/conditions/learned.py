"""The `learned` condition: an element's best-scoring sentence under the pack's learned weights."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..learned import NO_EVIDENCE, SectionScores, sigmoid
from ..model import CheckerError
from ..segment import is_title
from .base import FALSE, Context, Hit, Outcome, carries_a_group, holds_a_group


def sentence_scores(ctx: Context) -> SectionScores:
    """The section's sentences under the pack's model (each after the one before it), featurised and
    scored once per document, whichever elements ask."""
    if ctx.learned_margins is None:
        texts = [ctx.text[s.start:s.end] for s in ctx.segments.sentences]
        names = ctx.learned.concepts
        hits = sentence_concepts(ctx, names) if names else None
        ctx.learned_margins = ctx.learned.score_section(texts, hits)
    return ctx.learned_margins


def sentence_concepts(ctx: Context, concepts: tuple[str, ...]) -> list[set[str]]:
    """Per sentence, the concepts (of those given that the pack defines) with a match in it, from the
    document's match cache."""
    out: list[set[str]] = [set() for _ in ctx.segments.sentences]
    for concept in concepts:
        if concept in ctx.vocabularies:
            for k in ctx.units_holding(concept, "sentence"):
                out[k].add(concept)
    return out


def barred(ctx: Context, element: str, k: int) -> bool:
    """Whether the model may not quote sentence k for the element: it holds one of the element's vetoes; or,
    where the pack requires concepts for it (the actor the element is about), neither the sentence nor the
    one before it holds one of them ("It receives quarterly reports from the CISO" after a sentence naming
    the Audit Committee: the subject carried from the sentence before). A required entry is a group of
    concepts, held by a sentence holding all of them ("the board" with an oversight word; a lone concept is
    a group of one); and, where it requires concepts in the sentence itself (what the element is about: an
    expertise detail), the sentence holds none of them, whatever the sentence before holds. A veto with
    `unless` bars a sentence holding its concept only when the sentence holds none of the others ("the
    financial statements" where no cyber matter is named). Where it requires concepts of the paragraph (the
    topic: cybersecurity), neither the sentence's paragraph nor the one before it holds one of them ("Our
    Chief Operating Officer oversees our fleet and driver safety programs" in a paragraph that never names
    it). Asked of one sentence at a time, best first: a concept is matched only where it may decide. A title
    ("Third-Party Risk Management.") is never quoted: it names a topic and states nothing (the sentence after
    it reads it as the sentence before)."""
    s = ctx.segments.sentences[k]
    if is_title(ctx.text[s.start:s.end]):
        return True
    gates = ctx.gates
    if gates is None:
        return False
    if any(ctx.holds(c, "sentence", k) for c in gates.vetoes.get(element, ())):
        return True
    for concept, unless in gates.vetoes_unless.get(element, ()):
        if ctx.holds(concept, "sentence", k) and not any(ctx.holds(c, "sentence", k) for c in unless):
            return True
    required = gates.requires.get(element)
    if required and not carries_a_group(ctx, required, "sentence", k):
        return True
    here = gates.requires_here.get(element)
    if here and not holds_a_group(ctx, here, "sentence", k):
        return True
    topic = gates.requires_paragraph.get(element)
    return bool(topic) and not carries_a_group(ctx, topic, "paragraph", ctx.segments.sentences[k].paragraph)


def _best_allowed(ctx: Context, scores: SectionScores, i: int, element: str,
                  enough: Callable[[float], bool] = lambda margin: True) -> tuple[int, float] | None:
    """The best sentence for element i that is not barred, and its logit; None when none is left, or when
    the best one left is not enough (so no sentence after the first that is not enough is asked about)."""
    for k in scores.ranked(i):
        margin = scores.margins[k][i]
        if not enough(margin):
            return None
        if not barred(ctx, element, k):
            return k, margin
    return None


def best_sentence(ctx: Context, element: str, min_score: float | None = None) -> Hit | None:
    """The sentence that scores highest for the element, as a hit with its score and top n-grams,
    when it reaches min_score (the model's cross-validated threshold for the element by default)."""
    model = ctx.learned
    if model is None:
        return None
    i = model.index(element)
    if i is None or not ctx.segments.sentences:
        return None
    scores = sentence_scores(ctx)
    threshold = model.threshold(element) if min_score is None else min_score
    found = _best_allowed(ctx, scores, i, element,
                          lambda margin: margin > NO_EVIDENCE and sigmoid(margin) >= threshold)
    if found is None:
        return None
    k, margin = found
    score = sigmoid(margin)
    s = ctx.segments.sentences[k]
    return Hit(s.start, s.end, (), score, model.as_spelt_in(scores.explain(k, i), ctx.text[s.start:s.end]))


def best_scores(ctx: Context) -> dict[str, float]:
    """Per element of the pack's model, the score of its best sentence (0 for an empty section)."""
    model = ctx.learned
    if model is None:
        return {}
    scores = sentence_scores(ctx)
    out = {}
    for i, el in enumerate(model.elements):  # the same sentences best_sentence may choose from
        found = _best_allowed(ctx, scores, i, el)
        out[el] = sigmoid(found[1] if found is not None else NO_EVIDENCE)
    return out


@dataclass(frozen=True)
class LearnedCondition:
    """True when the element's best sentence scores at least min_score; that sentence is the hit."""

    element: str
    min_score: float | None = None

    @classmethod
    def build(cls, kind: str, body: dict[str, Any], known_concepts: set[str], where: str) -> LearnedCondition:
        if not isinstance(body, dict) or not isinstance(body.get("element"), str):
            raise CheckerError(f"{where}: 'learned' needs an 'element'")
        return cls(body["element"], body.get("min_score"))

    def evaluate(self, ctx: Context) -> Outcome:
        hit = best_sentence(ctx, self.element, self.min_score)
        return Outcome(True, (hit,)) if hit is not None else FALSE
