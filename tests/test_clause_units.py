"""A clause is tried only on the units that hold its concepts: the same hits as trying every unit."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.conditions.base import Context
from checker.conditions.clause import Clause
from checker.model import Document
from checker.segment import segment
from checker.vocab import DocumentMatches, DocumentVocabularies, Vocabulary

VOCAB = {
    "board": Vocabulary("board", ("board", "audit committee")),
    "cyber": Vocabulary("cyber", ("cyber\\w*", "information security")),
    "report": Vocabulary("report", ("reports?", "briefs?")),
    "risk": Vocabulary("risk", ("risk management",)),
}
SENTENCES = st.sampled_from([
    "The board oversees cybersecurity.", "Our CISO reports to the Audit Committee.", "We sell shoes.",
    "Risk management covers information security.", "The board receives briefs on cyber risk.",
    "Nothing here.", "Reports go to the board.\n\nA new paragraph on cyber threats.",
])
CLAUSES = [
    Clause("sentence", all=("board", "cyber")),
    Clause("sentence", all=("board",), any=("report", "risk")),
    Clause("sentence", any=("cyber", "risk"), none=("board",)),
    Clause("paragraph", all=("cyber", "report")),
    Clause("sentence", all=("report",), ordered=True, any=("board",)),
    Clause("section", all=("risk", "board")),
]


def context(text: str) -> Context:
    doc = Document(text=text)
    return Context(doc, text, segment(text), DocumentVocabularies(VOCAB, DocumentMatches()))


def every_unit(clause: Clause, ctx: Context) -> list:
    hits = [clause._try_unit(ctx, s, e, i) for s, e, i in clause.units(ctx)]
    return [h for h in hits if h is not None]


@settings(max_examples=80, deadline=None)
@given(st.lists(SENTENCES, max_size=12))
def test_the_units_holding_the_concepts_give_the_hits_of_every_unit(sentences):
    text = " ".join(sentences)
    for clause in CLAUSES:
        ctx = context(text)
        out = clause.evaluate(ctx)
        assert list(out.hits) == every_unit(clause, context(text))
        assert out.ok == bool(out.hits)


def test_only_the_units_holding_every_concept_are_tried(monkeypatch):
    text = " ".join(["We sell shoes."] * 50 + ["The board oversees cybersecurity."] + ["The board met."] * 5)
    tried = []
    real = Clause._try_unit

    def spy(self, ctx, start, end, index):
        tried.append(index)
        return real(self, ctx, start, end, index)

    monkeypatch.setattr(Clause, "_try_unit", spy)
    out = Clause("sentence", all=("board", "cyber")).evaluate(context(text))
    assert out.ok and tried == [50]  # one sentence of 56 holds both
