"""The `learned` condition: an element's best-scoring sentence under the pack's learned weights."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..learned import sigmoid
from ..model import CheckerError
from .base import FALSE, Context, Hit, Outcome


def sentence_margins(ctx: Context) -> list[list[float]]:
    """Every sentence's logit for every element of the pack's model, computed once per document."""
    if ctx.learned_margins is None:
        model = ctx.learned
        ctx.learned_margins = [model.text_margins(ctx.text[s.start:s.end]) for s in ctx.segments.sentences]
    return ctx.learned_margins


def best_sentence(ctx: Context, element: str, min_score: float | None = None) -> Hit | None:
    """The sentence that scores highest for the element, as a hit with its score and top n-grams,
    when it reaches min_score (the model's cross-validated threshold for the element by default)."""
    model = ctx.learned
    if model is None:
        return None
    i = model.index(element)
    if i is None or not ctx.segments.sentences:
        return None
    margins = sentence_margins(ctx)
    k = max(range(len(margins)), key=lambda n: (margins[n][i], -n))
    score = sigmoid(margins[k][i])
    if score < (model.threshold(element) if min_score is None else min_score):
        return None
    s = ctx.segments.sentences[k]
    terms = model.explain(element, model.vector(ctx.text[s.start:s.end]))
    return Hit(s.start, s.end, (), score, terms)


def best_scores(ctx: Context) -> dict[str, float]:
    """Per element of the pack's model, the score of its best sentence (0 for an empty section)."""
    model = ctx.learned
    if model is None:
        return {}
    margins = sentence_margins(ctx)
    return {el: sigmoid(max((m[i] for m in margins), default=-50.0)) for i, el in enumerate(model.elements)}


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
