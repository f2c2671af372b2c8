"""Learned evidence with the pack's concept hits as features: the weights file's version 2, inference from
the engine's match cache, training with `learn --concepts`."""

from __future__ import annotations

import json
import math
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import whole_section

from checker import engine
from checker.cli import cli
from checker.conditions.learned import best_scores
from checker.learned import CONCEPT, load_model, model_to_json, sigmoid
from checker.model import CheckerError, Document
from checker.packs import load_pack

# One element, "watch": the concept "incident" (any of its words) weighs for it, the word "board" against.
IDF = {"board": 1.0, CONCEPT + "incident": 2.0}
WEIGHTS = {"board": {0: -1.0}, CONCEPT + "incident": {0: 5.0}}
META = {"corpus_sha256": "0" * 64, "trained_on": []}

PACK = textwrap.dedent("""\
    pack: test-concepts
    title: Test pack whose model reads its concepts
    version: "1"
    applies_to: [{form: 10-K, item: 1C}]
    learned: {model: m.learned.json, combine: learned}
    vocabularies:
      incident: ['incidents?', 'breach(es)?', 'intrusions?']
    rules:
      - id: T-WATCH
        element: watch
        title: Management watches incidents
        citation: "106(c)(2)(ii)"
        severity: error
        message: Say who monitors incidents.
        guidance: Name who monitors.
        match: {sentence: {all: [incident]}}
    """)


def _pack(tmp_path: Path, model: str) -> object:
    (tmp_path / "m.learned.json").write_text(model, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(PACK, encoding="utf-8")
    return load_pack(tmp_path / "p.yaml")


def _scores(pack, text: str) -> dict[str, float]:
    return best_scores(engine.prepare(pack, whole_section(text)))


def test_a_concept_model_is_version_2_and_lists_its_concepts(tmp_path: Path) -> None:
    text = model_to_json(["watch"], [-2.0], [0.5], IDF, WEIGHTS, {**META, "concepts": ["incident"]})
    plain = model_to_json(["watch"], [-2.0], [0.5], {"board": 1.0}, {"board": {0: -1.0}}, META)
    assert json.loads(text)["version"] == 2 and json.loads(plain)["version"] == 1
    (tmp_path / "c.json").write_text(text, encoding="utf-8")
    (tmp_path / "p.json").write_text(plain, encoding="utf-8")
    assert load_model(tmp_path / "c.json").concepts == ("incident",)
    assert load_model(tmp_path / "p.json").concepts == ()  # an old file still loads, with no concepts
    bad = tmp_path / "bad.json"
    bad.write_text(text.replace('"concepts":["incident"]', '"concepts":[3]'), encoding="utf-8")
    with pytest.raises(CheckerError, match="'concepts' must be a list") as exc:
        load_model(bad)
    assert exc.value.file == str(bad)


def test_the_concepts_hits_are_features_at_inference(tmp_path: Path) -> None:
    pack = _pack(tmp_path, model_to_json(["watch"], [-2.0], [0.5], IDF, WEIGHTS,
                                         {**META, "concepts": ["incident"]}))
    model = pack.learned.model
    # 'breach' and 'intrusions' are words the model never saw; the concept they belong to carries them
    for sentence in ("A breach is escalated to the CISO.", "Intrusions are escalated to the CISO."):
        scores = _scores(pack, sentence)
        assert scores["watch"] == pytest.approx(sigmoid(-2.0 + 5.0))  # one known feature: the concept
        assert model.section_scores([sentence])[0].margins[0] < -10  # the words alone: nothing known
    # the concept and 'board' together: sublinear tf x idf, l2-normalised, dotted with the weights
    both = _scores(pack, "The board hears of every incident.")["watch"]
    norm = math.sqrt(2.0 ** 2 + 1.0 ** 2)
    assert both == pytest.approx(sigmoid(-2.0 + (5.0 * 2.0 - 1.0 * 1.0) / norm))
    assert _scores(pack, "The board meets.")["watch"] < 1e-9  # no concept: only board, which weighs against
    hit = engine.evaluate(pack, Document(text="A breach is escalated.", form="10-K", item="1C")).results[0]
    assert hit.status == "met" and "<c>incident" in hit.evidence[0].terms  # explained as the concept


def test_training_with_concepts_is_deterministic_and_keeps_them(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from checker.training import pack_concepts, sentence_texts, train

    pack = _pack(tmp_path, model_to_json(["watch"], [-2.0], [0.5], IDF, WEIGHTS, META))
    names, concepts_of = pack_concepts(pack)
    assert names == ("incident",)
    text = "We plan. A breach went to the CISO. Nothing else."
    assert len(concepts_of(text)) == len(sentence_texts(text)) == 3
    assert concepts_of(text) == [frozenset(), frozenset({"incident"}), frozenset()]
    with pytest.raises(CheckerError, match="no concept 'nope'"):
        pack_concepts(pack, ["nope"])

    def record(n: int) -> dict:
        watch = ["Our CISO reviews every breach.", "The team escalates each intrusion.",
                 "Management hears of incidents."][n % 3]
        yes = n % 2 == 0
        text = "Our program follows frameworks. The board oversees risk." + (" " + watch if yes else "")
        return {"id": f"r{n:02d}", "form": "10-K", "text": text, "labels": {"watch": yes},
                "evidence": {"watch": watch.rstrip(".") if yes else "not said"}}

    records = [record(n) for n in range(24)]
    first, ts, _ = train(records, folds=3, concepts_of=concepts_of)
    again, _, _ = train(list(reversed(records)), folds=3, concepts_of=concepts_of)
    assert first == again
    data = json.loads(first)
    assert data["version"] == 2 and data["concepts"] == ["incident"]
    assert data["terms"][CONCEPT + "incident"][1][1] > 0  # the concept weighs for the element
    assert json.loads(train(records, folds=3)[0])["version"] == 1  # without concepts: the old format


def test_learn_concepts_needs_a_pack(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["learn", str(tmp_path), "--output", str(tmp_path / "w.json"),
                                      "--concepts"])
    assert result.exit_code == 2 and "--concepts needs --pack" in result.output
