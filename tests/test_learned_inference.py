"""Learned inference at speed (issue 19): a sentence's logits in fixed point (one integer sum a sentence) agree
with the floating-point definition (`gated(vector(...))`) to far below any threshold's precision, the packed
integer sum gives exactly the lane-by-lane integers, each element's best sentence is the max over every
sentence's logits; the model is scored once per document; tokens as the regex."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import SHARED, shared_path
from hypothesis import given
from hypothesis import strategies as st

import checker
from checker import engine, learned, prefilter
from checker.conditions import Context
from checker.conditions import learned as learned_condition
from checker.conditions.learned import best_scores, best_sentence, sentence_scores
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
from checker.segment import is_title

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


def _best(fast: SectionScores, i: int, excluded: frozenset[int] = frozenset()) -> tuple[int, float] | None:
    """The first sentence of fast.ranked(i) not excluded, and its logit: the sentence the engine's walk
    best first (conditions.learned._best_allowed) reaches when the excluded ones are barred."""
    k = next((k for k in fast.ranked(i) if k not in excluded), None)
    return (k, fast.margins[k][i]) if k is not None else None


def _same_as_reference(model: LearnedModel, texts: list[str]) -> None:
    """Assert the ranking's best (with the best 0, 1 and 2 sentences excluded) and its explanation are the max over every
    sentence's logits and that sentence's explanation."""
    every = model.section_scores(texts)
    fast = model.score_section(texts)
    for i in range(len(model.elements)):
        excluded: frozenset[int] = frozenset()
        for _ in range(3):
            want = _reference(every, i, excluded)
            got = _best(fast, i, excluded)
            assert got == want  # the same sentence and the same bits
            if want is None:
                break
            assert fast.explain(want[0], i) == every[want[0]].explain(i)
            excluded = excluded | {want[0]}


@pytest.mark.parametrize("scoring", [None, Scoring(0.5, 6.0, 5, 0.5), Scoring(0.0, 0.0, 0, 0.0),
                                     Scoring(0.7, 0.0, 0, 0.0)], ids=["shipped", "context", "no-gates",
                                                                      "context-no-gates"])
def test_best_sentence_is_the_max_over_every_sentence(scoring: Scoring | None) -> None:
    model = load_model(SHIPPED)
    if scoring is not None:
        model = replace(model, scoring=scoring)
    for texts in _sections(25):
        _same_as_reference(model, texts)


@pytest.mark.parametrize("scoring", [Scoring(0.0, 6.0, 0, -1e9), Scoring(0.5, 6.0, 0, -1e9)],
                         ids=["alone", "context"])
def test_fixed_point_agrees_with_the_floating_point_definition(scoring: Scoring) -> None:
    # without the gate every logit is a number: each within 1e-7 of gated(vector(text, previous)), and the
    # packed sum (rows in C) gives exactly the integers of the lane-by-lane sum
    model = replace(load_model(SHIPPED), scoring=scoring)
    lane_by_lane = replace(model, packed=False)
    checked = 0
    for texts in _sections(10):
        features = model.featurise(texts)
        for k, (text, f) in enumerate(zip(texts, features, strict=True)):
            assert model.lane_sums(f) == lane_by_lane.lane_sums(f)
            want = model.gated(model.vector(text, texts[k - 1] if k else ""))
            got = model.sentence_margins(f)
            assert max(abs(a - b) for a, b in zip(got, want, strict=True)) < 1e-7
            checked += len(got)
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
    assert _best(fast, 0) == _reference(model.section_scores(texts), 0, frozenset())
    assert _best(fast, 0)[0] in (1, 4)
    assert _best(fast, 0, frozenset({1, 4}))[0] == 3  # the tie's second sentence
    # nothing can carry the element: the first allowed sentence, with no evidence, as max() gives
    assert _best(fast, 0, frozenset({1, 3, 4})) == (0, NO_EVIDENCE)
    assert _best(fast, 0, frozenset(range(5))) is None
    assert fast.margins[0] == fast.margins[2] == [NO_EVIDENCE]  # too few known n-grams, or none


def test_a_model_whose_weights_do_not_fit_the_lanes_is_summed_lane_by_lane(tmp_path: Path) -> None:
    idf = {"monitor": 2.0, "ciso": 1.5, "board": 1.0}
    weights = {"monitor": {0: 6.0}, "ciso": {0: 1e12}, "board": {0: -3.0}}
    meta = {"corpus_sha256": "0" * 64, "trained_on": []}
    (tmp_path / "m.json").write_text(model_to_json(["watch"], [-2.0], [0.6], idf, weights, meta), encoding="utf-8")
    model = load_model(tmp_path / "m.json")
    assert not model.packed
    texts = ["The board meets.", "The CISO will monitor threats.", "We monitor."]
    fast = model.score_section(texts)
    assert _best(fast, 0) == _reference(model.section_scores(texts), 0, frozenset()) and _best(fast, 0)[0] == 1
    for k, text in enumerate(texts):  # the same logits as the floating-point definition
        want = model.gated(model.vector(text))
        assert fast.margins[k] == pytest.approx(want, rel=1e-12)


def test_a_sentence_with_too_many_terms_to_pack_is_summed_lane_by_lane(monkeypatch: pytest.MonkeyPatch) -> None:
    # from MAX_TERMS known terms on, a packed sum could carry from one lane into the next: such a sentence is
    # summed lane by lane, to the integers the packed sum gives below the limit
    model = load_model(SHIPPED)
    (f,) = model.featurise([" ".join(sorted(k for k in model.table if isinstance(k, str)))])
    assert len(f.counts) > 1000
    packed = model.lane_sums(f)
    calls, fixed = [], learned.fixed
    monkeypatch.setattr(learned, "fixed", lambda x: calls.append(x) or fixed(x))
    assert model.lane_sums(f) == packed and not calls  # packed: no term summed one by one
    monkeypatch.setattr(learned, "MAX_TERMS", 1000)
    assert model.lane_sums(f) == packed and len(calls) > 1000


def test_a_term_listing_an_element_twice_is_refused(tmp_path: Path) -> None:
    data = json.loads(model_to_json(["watch"], [-2.0], [0.6], {"monitor": 2.0}, {"monitor": {0: 6.0}},
                                    {"corpus_sha256": "0" * 64, "trained_on": []}))
    data["terms"]["monitor"] = [2.0, [0, 6.0, 0, 1.0]]
    (tmp_path / "m.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CheckerError, match="listed twice") as exc:
        load_model(tmp_path / "m.json")
    assert exc.value.file == str(tmp_path / "m.json")


@pytest.mark.parametrize("where", ["idf", "weight", "bias"])
def test_a_number_that_is_not_finite_is_refused(tmp_path: Path, where: str) -> None:
    # Python's json reads NaN and Infinity; the fixed-point arithmetic has no integer for them
    data = json.loads(model_to_json(["watch"], [-2.0], [0.6], {"monitor": 2.0}, {"monitor": {0: 6.0}},
                                    {"corpus_sha256": "0" * 64, "trained_on": []}))
    if where == "idf":
        data["terms"]["monitor"][0] = float("inf")
    elif where == "weight":
        data["terms"]["monitor"][1][1] = float("nan")
    else:
        data["bias"] = [float("-inf")]
    (tmp_path / "m.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CheckerError, match="finite") as exc:
        load_model(tmp_path / "m.json")
    assert exc.value.file == str(tmp_path / "m.json") and "\n" not in str(exc.value)


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


def _barred_at_once(ctx: Context, element: str) -> frozenset[int]:
    """The sentences the model may not quote for the element, every sentence at once from the whole section's
    matches: the gates' definition (the pack's learned block, docs/learned.md), as the engine computed it
    before it asked one sentence at a time."""
    gates, n = ctx.gates, len(ctx.segments.sentences)
    titles = {s.index for s in ctx.segments.sentences if is_title(ctx.text[s.start:s.end])}

    def held(concept: str, scope: str = "sentence") -> set[int]:
        return ctx.units_holding(concept, scope)

    def group_held(groups: tuple[tuple[str, ...], ...], scope: str = "sentence") -> set[int]:
        return set().union(*(set.intersection(*(held(c, scope) for c in g)) for g in groups))

    out = titles.union(*(held(c) for c in gates.vetoes.get(element, ())))
    for concept, unless in gates.vetoes_unless.get(element, ()):
        out |= held(concept) - set().union(*(held(c) for c in unless))
    if required := gates.requires.get(element):
        carried = group_held(required)
        out |= set(range(n)) - carried - {k + 1 for k in carried}
    if here := gates.requires_here.get(element):
        out |= set(range(n)) - group_held(here)
    if topic := gates.requires_paragraph.get(element):
        near = group_held(topic, "paragraph")
        near |= {p + 1 for p in near}
        out |= {s.index for s in ctx.segments.sentences if s.paragraph not in near}
    return frozenset(out)


def _gated_texts() -> list[str]:
    texts = [(ROOT / "samples" / name).read_text(encoding="utf-8")
             for name in ("draft-10k-1c-deficient.md", "draft-10k-1c-complete.md")]
    filer = SHARED / "corpus" / "filer-tagged-fy2024.jsonl"
    if filer.exists():
        with filer.open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in itertools.islice(fh, 120)]
    return texts


def test_the_gates_asked_best_first_choose_what_every_sentence_gated_at_once_chooses() -> None:
    # the engine asks of the sentences, best first, whether the gates bar each one, and matches a concept only
    # where the prefilter says a match may start in the sentence asked about: the same sentence (and score)
    # for every element as the best of those the whole section's matches leave, at any threshold
    pack = load_pack("sk-106")
    model = pack.learned.model
    lazy_concepts = eager_concepts = 0
    for text in _gated_texts():
        doc = Document(text=text, form="10-K", item="1C", section=Section(0, len(text)))
        ctx, whole = engine.prepare(pack, doc), engine.prepare(pack, doc)
        scores = sentence_scores(whole)
        for i, element in enumerate(model.elements):
            want = _best(scores, i, _barred_at_once(whole, element))
            for threshold in (0.0, model.threshold(element), 0.9):
                hit = best_sentence(ctx, element, threshold)
                ok = want is not None and want[1] > NO_EVIDENCE and learned.sigmoid(want[1]) >= threshold
                assert (hit.start, hit.score) == (ctx.segments.sentences[want[0]].start, learned.sigmoid(
                    want[1])) if ok else hit is None, (text[:60], element, threshold)
        assert best_scores(ctx) == best_scores(whole)
        lazy_concepts += len(ctx._cache)
        eager_concepts += len(whole._cache)
    if prefilter.available():  # with the scan, most gate concepts are never matched
        assert lazy_concepts < eager_concepts / 2, (lazy_concepts, eager_concepts)


def test_one_units_matches_are_the_whole_sections_in_that_unit() -> None:
    # holds() and matches_in() skip matching a concept where no match may start in the span asked about:
    # every concept, every sentence and paragraph, the answers of the section matched whole
    pack = load_pack("sk-106")
    text = (ROOT / "samples" / "draft-10k-1c-deficient.md").read_text(encoding="utf-8")
    doc = Document(text=text, form="10-K", item="1C", section=Section(0, len(text)))
    for scope in ("sentence", "paragraph"):
        ctx, spans, whole = engine.prepare(pack, doc), engine.prepare(pack, doc), engine.prepare(pack, doc)
        units = whole.units(scope)
        for concept in pack.vocabularies:
            held = whole.units_holding(concept, scope)
            assert {k for k in range(len(units)) if ctx.holds(concept, scope, k)} == held, (concept, scope)
            for start, end, _ in units:
                assert spans.matches_in(concept, start, end) == whole.matches_in(concept, start, end), concept
        if prefilter.available():
            assert len(ctx._cache) < len(whole._cache) and len(spans._cache) < len(whole._cache)


RUN_IN_TITLES = ("Risk Management and Strategy. We maintain a cybersecurity program. Third-Party Risk Management. We "
                 "assess the security practices of our vendors before we engage them and monitor them during the "
                 "engagement. Incident Response Plan. We maintain an incident response plan that sets out how we "
                 "respond to incidents.")


def _quotes(text: str) -> dict[str, list[str]]:
    report = checker.check(text, pack="sk-106")
    return {r.element: [text[e.start:e.end] for e in r.evidence] for r in report.results if r.evidence}


def test_a_title_is_never_quoted_the_sentence_under_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    # titles run in before their paragraphs, as the filers' tagged text blocks flatten them: the model scores
    # "Third-Party Risk Management." highly for both third-party elements, though it states nothing
    quotes = _quotes(RUN_IN_TITLES)
    assert quotes["third_party_providers"] == ["We assess the security practices of our vendors before we engage "
                                                "them and monitor them during the engagement."]
    assert quotes["risk_process"] == ["We maintain an incident response plan that sets out how we respond to "
                                       "incidents."]
    assert "third_party_assessors" not in quotes  # no assessor is named anywhere
    monkeypatch.setattr(learned_condition, "is_title", lambda text: False)  # what the model did before
    before = _quotes(RUN_IN_TITLES)
    assert before["third_party_assessors"] == before["third_party_providers"] == ["Third-Party Risk Management."]
