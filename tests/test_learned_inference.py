"""Learned inference at speed (issue 19): each element's best sentence from a SectionScores, found by an
approximation of every sentence and exact arithmetic only where a sentence may be best, must be what the
exact arithmetic over every sentence gives; the model is scored once per document; tokens as the regex."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import shared_path
from hypothesis import given
from hypothesis import strategies as st

from checker import engine
from checker.conditions.learned import best_scores
from checker.learned import (
    NO_EVIDENCE,
    LearnedModel,
    Scoring,
    SectionScores,
    load_model,
    model_to_json,
    tokens,
)
from checker.model import CheckerError, Document, Section
from checker.packs import load_pack

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "rules" / "sk-106.learned.json"


def _sections(n: int) -> list[list[str]]:
    """The sentences (as the engine splits them) of the first n filer-tagged sections."""
    pack = load_pack("sk-106")
    out = []
    with shared_path("corpus", "filer-tagged-fy2024.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["text"]
            ctx = engine.prepare(pack, Document(text=text, form="10-K", item="1C", section=Section(0, len(text))))
            out.append([ctx.text[s.start:s.end] for s in ctx.segments.sentences])
            if len(out) == n:
                break
    return out


def _reference(exact: list, i: int, excluded: frozenset[int]) -> tuple[int, float] | None:
    allowed = [k for k in range(len(exact)) if k not in excluded]
    if not allowed:
        return None
    k = max(allowed, key=lambda n: (exact[n].margins[i], -n))
    return k, exact[k].margins[i]


def _same_as_exact(model: LearnedModel, texts: list[str]) -> int:
    """Assert best() (with the best 0, 1 and 2 sentences excluded) and its explanation equal the exact
    arithmetic's; returns how many exact logits best() computed with nothing excluded."""
    exact = model.section_scores(texts)
    fast = model.score_section(texts)
    for i in range(len(model.elements)):
        excluded: frozenset[int] = frozenset()
        for _ in range(3):
            want = _reference(exact, i, excluded)
            got = fast.best(i, excluded)
            assert got == want  # the same sentence and the same bits
            if want is None:
                break
            assert fast.explain(want[0], i) == exact[want[0]].explain(i)
            excluded = excluded | {want[0]}
    fast = model.score_section(texts)
    for i in range(len(model.elements)):
        fast.best(i)
    return len(fast._logits)


@pytest.mark.parametrize("scoring", [None, Scoring(0.5, 6.0, 5, 0.5), Scoring(0.0, 0.0, 0, 0.0),
                                     Scoring(0.7, 0.0, 0, 0.0)], ids=["shipped", "context", "no-gates",
                                                                      "context-no-gates"])
def test_best_sentence_is_the_exact_arithmetics(scoring: Scoring | None) -> None:
    model = load_model(SHIPPED)
    if scoring is not None:
        model = replace(model, scoring=scoring)
    sentences = exact_logits = 0
    for texts in _sections(25):
        exact_logits += _same_as_exact(model, texts)
        sentences += len(texts)
    # the point of the approximation: far fewer exact logits than sentences x elements
    assert exact_logits < 0.1 * sentences * len(model.elements)


def test_the_tolerance_bounds_the_approximation() -> None:
    # without the gate, each sentence's exact logit over its bias is within the tolerance of its approximation
    model = replace(load_model(SHIPPED), scoring=Scoring(0.5, 6.0, 0, -1e9))
    checked = 0
    for texts in _sections(10):
        fast = model.score_section(texts)
        for k, d, tol in fast.approximate:
            assert tol < 1e-6  # tight enough to rule sentences out
            for i, b in enumerate(model.bias):
                assert abs(d[i] - (fast.logit(k, i) - b)) <= tol
                checked += 1
    assert checked > 1000


def test_ties_go_to_the_first_sentence_and_gated_sentences_count_as_no_evidence(tmp_path: Path) -> None:
    idf = {"monitor": 2.0, "ciso": 1.5, "the": 1.0, "the ciso": 2.5}
    weights = {"monitor": {0: 6.0}, "ciso": {0: 2.0}, "the ciso": {0: 1.0}, "the": {0: 0.1}}
    meta = {"corpus_sha256": "0" * 64, "trained_on": [], "scoring": {"min_terms": 3, "min_evidence": 0.5}}
    (tmp_path / "m.json").write_text(model_to_json(["watch"], [-2.0], [0.6], idf, weights, meta), encoding="utf-8")
    model = load_model(tmp_path / "m.json")
    same = "The CISO will monitor threats."
    texts = ["We sell shoes.", same, "Nothing here at all.", same, "the the the ciso ciso monitor"]
    fast = model.score_section(texts)
    assert fast.best(0) == _reference(model.section_scores(texts), 0, frozenset())
    assert fast.best(0)[0] in (1, 4)
    assert fast.best(0, frozenset({1, 4}))[0] == 3  # the tie's second sentence
    # nothing can carry the element: the first allowed sentence, with no evidence, as max() gives
    assert fast.best(0, frozenset({1, 3, 4})) == (0, NO_EVIDENCE)
    assert fast.best(0, frozenset(range(5))) is None
    assert fast.gated == [0, 2]


def test_a_model_whose_weights_do_not_fit_the_lanes_is_scored_exactly(tmp_path: Path) -> None:
    idf = {"monitor": 2.0, "ciso": 1.5, "board": 1.0}
    weights = {"monitor": {0: 6.0}, "ciso": {0: 1e12}, "board": {0: -3.0}}
    meta = {"corpus_sha256": "0" * 64, "trained_on": []}
    (tmp_path / "m.json").write_text(model_to_json(["watch"], [-2.0], [0.6], idf, weights, meta), encoding="utf-8")
    model = load_model(tmp_path / "m.json")
    assert not model.packed
    texts = ["The board meets.", "The CISO will monitor threats.", "We monitor."]
    fast = model.score_section(texts)
    assert all(math.isinf(tol) for _, _, tol in fast.approximate)
    assert fast.best(0) == _reference(model.section_scores(texts), 0, frozenset()) and fast.best(0)[0] == 1


def test_a_term_listing_an_element_twice_is_refused(tmp_path: Path) -> None:
    data = json.loads(model_to_json(["watch"], [-2.0], [0.6], {"monitor": 2.0}, {"monitor": {0: 6.0}},
                                    {"corpus_sha256": "0" * 64, "trained_on": []}))
    data["terms"]["monitor"] = [2.0, [0, 6.0, 0, 1.0]]
    (tmp_path / "m.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CheckerError, match="listed twice") as exc:
        load_model(tmp_path / "m.json")
    assert exc.value.file == str(tmp_path / "m.json")


def test_the_model_is_scored_once_per_document_whatever_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"score_section": 0, "featurise": 0}
    for name in calls:
        original = getattr(LearnedModel, name)

        def counted(self, *args, _name=name, _original=original, **kwargs):
            calls[_name] += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(LearnedModel, name, counted)
    pack = load_pack("sk-106")
    text = (ROOT / "samples" / "draft-10k-1c-deficient.md").read_text(encoding="utf-8")
    doc = Document(text=text, form="10-K", item="1C", section=Section(0, len(text)))
    ctx = engine.prepare(pack, doc)
    asked = [r for r in pack.rules if r.element and pack.learned.mode(r.element) != "rules"]
    assert len(asked) >= 10  # every rule of the shipped line asks the model
    for rule in pack.rules:
        engine.evaluate_rule(rule, ctx, pack.learned.mode(rule.element))
    best_scores(ctx)  # and eval's scores, on the same document
    assert calls == {"score_section": 1, "featurise": 1}
    assert isinstance(ctx.learned_margins, SectionScores) and len(ctx.learned_margins) == len(ctx.segments.sentences)


_TOKEN = re.compile(r"[a-z0-9]+")


@given(st.text())
def test_tokens_are_the_regexs_words(text: str) -> None:
    assert tokens(text) == _TOKEN.findall(text.lower())


def test_tokens_of_awkward_characters() -> None:
    text = "İstanbul \u212a Kelvin straße ΣΑΣ naïve ﬁle Ⅻ ２３ x\u0130y CISO’s 10-K"
    assert tokens(text) == _TOKEN.findall(text.lower())
    assert tokens("The CISO’s team, in 2024.") == ["the", "ciso", "s", "team", "in", "2024"]
