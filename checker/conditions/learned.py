"""The `learned` condition: an element's best-scoring sentence under the pack's learned weights."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..learned import NO_EVIDENCE, SectionScores, sigmoid
from ..model import CheckerError
from .base import FALSE, Context, Hit, Outcome, holding_a_group, topic_paragraphs


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


def vetoed_sentences(ctx: Context, concepts: tuple[str, ...]) -> frozenset[int]:
    """Indexes of the sentences that hold a match of any of the concepts (from the document's match cache)."""
    return frozenset().union(*(ctx.units_holding(c, "sentence") for c in concepts))


def barred_sentences(ctx: Context, element: str) -> frozenset[int]:
    """Indexes of the sentences the model may not quote for the element: those holding one of its vetoes,
    and, where the pack requires concepts for it (the actor the element is about), those where neither the
    sentence nor the one before it holds one of them ("It receives quarterly reports from the CISO" after a
    sentence naming the Audit Committee: the subject carried from the sentence before). A required entry
    is a group of concepts, held by a sentence holding all of them ("the board" with an oversight word; a
    lone concept is a group of one); and, where it requires concepts in the sentence itself (what the
    element is about: an expertise detail), those holding none of them, whatever the sentence before holds.
    A veto with `unless` bars a sentence holding its concept only when the sentence holds none of the others
    ("the financial statements" where no cyber matter is named). Where it requires concepts of the paragraph
    (the topic: cybersecurity), those whose paragraph and the one before it hold none of them ("Our Chief
    Operating Officer oversees our fleet and driver safety programs" in a paragraph that never names it)."""
    gates = ctx.gates
    if gates is None:
        return frozenset()
    barred = vetoed_sentences(ctx, gates.vetoes.get(element, ()))
    for concept, unless in gates.vetoes_unless.get(element, ()):
        held = vetoed_sentences(ctx, (concept,))
        if held:  # the unless concepts are matched only where they could lift something
            barred |= held - vetoed_sentences(ctx, unless)
    every = frozenset(range(len(ctx.segments.sentences)))
    required = gates.requires.get(element)
    if required:
        held = holding_a_group(ctx, required)
        barred |= every - held - {k + 1 for k in held}
    here = gates.requires_here.get(element)
    if here:
        barred |= every - holding_a_group(ctx, here)
    topic = gates.requires_paragraph.get(element)
    if topic:
        near = topic_paragraphs(ctx, topic)
        barred |= {s.index for s in ctx.segments.sentences if s.paragraph not in near}
    return barred


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
    found = scores.best(i, barred_sentences(ctx, element))
    if found is None:
        return None
    k, margin = found
    score = sigmoid(margin)
    threshold = model.threshold(element) if min_score is None else min_score
    if margin <= NO_EVIDENCE or score < threshold:
        return None
    s = ctx.segments.sentences[k]
    return Hit(s.start, s.end, (), score, scores.explain(k, i))


def best_scores(ctx: Context) -> dict[str, float]:
    """Per element of the pack's model, the score of its best sentence (0 for an empty section)."""
    model = ctx.learned
    if model is None:
        return {}
    scores = sentence_scores(ctx)
    out = {}
    for i, el in enumerate(model.elements):  # the same sentences best_sentence may choose from
        found = scores.best(i, barred_sentences(ctx, el))
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
