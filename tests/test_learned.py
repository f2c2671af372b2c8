"""Learned evidence: the model's arithmetic, the condition, the pack-level combinations, explainable
findings in every format, training determinism and the eval side-by-side."""

from __future__ import annotations

import json
import math
import textwrap
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from checker import engine
from checker.cli import cli
from checker.evaluate import Prediction, combinations
from checker.examples import run_examples
from checker.learned import combine, load_model, model_to_json, ngrams, sigmoid, tokens, vectorise
from checker.model import CheckerError, Document, Report, Section
from checker.packs import load_pack
from checker.report import json_out, markdown_out, sarif_out, text_out

ROOT = Path(__file__).resolve().parent.parent
REPORT_SCHEMA = json.loads((ROOT / "checker/schemas/report.schema.json").read_text(encoding="utf-8"))

# One element, "watch": "monitor" and "ciso" weigh for it, "board" against it.
IDF = {"monitor": 2.0, "ciso": 1.5, "the ciso": 2.5, "board": 1.0, "we": 1.0}
WEIGHTS = {"monitor": {0: 6.0}, "ciso": {0: 2.0}, "the ciso": {0: 1.0}, "board": {0: -3.0}}
MODEL = model_to_json(["watch"], [-2.0], [0.6], IDF, WEIGHTS, {"corpus_sha256": "0" * 64, "trained_on": []})

PACK = """\
pack: test-learned
title: Test pack with learned weights
version: "1"
applies_to: [{form: 10-K, item: 1C}]
learned: {model: m.learned.json, combine: %s}
vocabularies:
  incident: ['incidents?']
rules:
  - id: T-WATCH
    element: watch
    title: Management watches incidents
    citation: "106(c)(2)(ii)"
    severity: error
    message: Say who monitors incidents.
    guidance: Name who monitors.
    match: {sentence: {all: [incident]}}
    examples:
      pass: ["The CISO will monitor threats."]
      fail: ["The board meets."]
  - id: T-RULE-ONLY
    element: other
    title: An element the model does not know
    citation: "x"
    severity: info
    message: m
    guidance: g
    match: {sentence: {all: [incident]}}
"""


def make_pack(tmp_path: Path, mode: str = "rules", extra: str = "") -> object:
    (tmp_path / "m.learned.json").write_text(MODEL, encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(PACK % mode + extra, encoding="utf-8")
    return load_pack(path)


def run(pack, text: str) -> dict:
    doc = Document(text=text, form="10-K", item="1C")
    doc.section = Section(0, len(text))
    return {r.rule: r for r in engine.evaluate(pack, doc).results}


def test_features_and_score_by_hand(tmp_path: Path) -> None:
    assert tokens("The CISO's team monitors.") == ["the", "ciso", "s", "team", "monitors"]
    assert ngrams(["the", "ciso", "the", "ciso"]) == {"the": 2, "ciso": 2, "the ciso": 2, "ciso the": 1}
    (tmp_path / "m.json").write_text(MODEL, encoding="utf-8")
    model = load_model(tmp_path / "m.json")
    vec = vectorise(ngrams(tokens("The CISO will monitor, monitor")), model.idf)
    # known n-grams: ciso (tf 1), the ciso (tf 1), monitor (tf 2: sublinear 1 + ln 2)
    raw = {"ciso": 1.5, "the ciso": 2.5, "monitor": (1 + math.log(2)) * 2.0}
    norm = math.sqrt(sum(v * v for v in raw.values()))
    assert vec == pytest.approx({g: v / norm for g, v in raw.items()})
    expected = sigmoid(-2.0 + (6.0 * raw["monitor"] + 2.0 * raw["ciso"] + 1.0 * raw["the ciso"]) / norm)
    scored = model.score_text("watch", "The CISO will monitor, monitor")
    assert scored.score == pytest.approx(expected)
    assert scored.terms == ("monitor", "ciso", "the ciso")  # by contribution, strongest first
    assert model.score_text("watch", "unknown words only").score == pytest.approx(sigmoid(-2.0))


def test_bad_model_files_are_one_line_errors_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    for text, why in [("{", "invalid JSON"), ('{"format": "x"}', "not a cydcheck-learned"),
                      (MODEL.replace('"version":1', '"version":9'), "version 9"),
                      (MODEL.replace('"monitor":[2.0,[0,6.0]]', '"monitor":[2.0,[5,6.0]]'), "out of range")]:
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(CheckerError, match=why) as exc:
            load_model(bad)
        assert exc.value.file == str(bad)
    with pytest.raises(CheckerError, match="not found"):
        load_model(tmp_path / "missing.json")


@pytest.mark.parametrize("mode,learned_only,rules_only,both_say", [
    ("rules", "missing", "met", "met"),
    ("learned", "met", "missing", "met"),
    ("either", "met", "met", "met"),
    ("both", "missing", "missing", "met"),
    ("rules_then_learned", "met", "met", "met"),
])
def test_combinations_in_the_engine(tmp_path: Path, mode, learned_only, rules_only, both_say) -> None:
    pack = make_pack(tmp_path, mode)
    model_says = run(pack, "The CISO will monitor threats.\n\nThe board meets.")
    rules_say = run(pack, "We log incidents.")
    both = run(pack, "The CISO will monitor incidents.")
    assert model_says["T-WATCH"].status == learned_only
    assert rules_say["T-WATCH"].status == rules_only
    assert both["T-WATCH"].status == both_say
    # an element the model does not know is the rules' alone, whatever the mode
    assert rules_say["T-RULE-ONLY"].status == "met" and model_says["T-RULE-ONLY"].status == "missing"
    if learned_only == "met":
        (ev,) = model_says["T-WATCH"].evidence
        assert (ev.source, ev.text, ev.terms) == ("learned", "The CISO will monitor threats.",
                                                  ("monitor", "ciso", "the ciso"))
        assert ev.score is not None and ev.score >= 0.6
    if mode == "either":  # both verdicts: the rule's evidence, then the model's sentence, marked
        assert [e.source for e in run(pack, "We log incidents. The CISO will monitor threats.")["T-WATCH"].evidence] \
            == ["rules", "learned"]


def test_rules_then_learned_scores_nothing_when_the_rules_are_satisfied(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, "rules_then_learned")
    text = "We log incidents."
    doc = Document(text=text, form="10-K", item="1C")
    doc.section = Section(0, len(text))
    ctx = engine.prepare(pack, doc)
    assert all(engine.evaluate_rule(r, ctx, "rules_then_learned").status == "met" for r in pack.rules)
    assert ctx.learned_margins is None  # no sentence was featurised: the model costs nothing here
    ctx = engine.prepare(pack, Document(text="The board meets. The CISO will monitor.", section=Section(0, 39)))
    for r in pack.rules:
        engine.evaluate_rule(r, ctx, "either")
    assert ctx.learned_margins is not None and len(ctx.learned_margins) == 2  # once per sentence, shared


def test_learned_condition_in_a_rule(tmp_path: Path) -> None:
    extra = textwrap.dedent("""\
      - id: T-LEARNED
        element: watch2
        title: t
        citation: c
        severity: warning
        message: m
        guidance: g
        match: {learned: {element: watch, min_score: 0.9}}
    """)
    pack = make_pack(tmp_path, "rules", "  " + extra.replace("\n", "\n  ").rstrip() + "\n")
    assert run(pack, "The CISO will monitor, monitor and monitor.")["T-LEARNED"].status == "met"
    assert run(pack, "The CISO.")["T-LEARNED"].status == "missing"  # below min_score 0.9
    (tmp_path / "q.yaml").write_text((PACK % "rules").replace("learned: {model: m.learned.json, combine: rules}\n",
                                                             "") + "  " + extra.replace("\n", "\n  "))
    with pytest.raises(CheckerError, match="has no 'learned"):
        load_pack(tmp_path / "q.yaml")


def test_model_must_sit_in_the_packs_folder(tmp_path: Path) -> None:
    (tmp_path / "m.learned.json").write_text(MODEL, encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "p.yaml").write_text((PACK % "rules").replace("model: m.learned.json", "model: ../m.learned.json"))
    with pytest.raises(CheckerError, match="in the pack's folder"):
        load_pack(sub / "p.yaml")


def test_learned_evidence_is_marked_in_every_format(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, "learned")
    text = "The CISO will monitor threats."
    doc = Document(text=text, source="draft.md", form="10-K", item="1C")
    doc.section = Section(0, len(text))
    report = engine.evaluate(pack, doc)
    assert isinstance(report, Report)
    data = json.loads(json_out.render([report]))
    jsonschema.validate(data, REPORT_SCHEMA)
    ev = data["results"][0]["evidence"][0] if "results" in data else data["reports"][0]["results"][0]["evidence"][0]
    assert ev["source"] == "learned" and ev["terms"][:1] == ["monitor"] and 0.6 <= ev["score"] <= 1
    assert "(learned, score" in text_out.render([report], verbose=True)
    assert "learned, score" in markdown_out.render([report])
    sarif = json.loads(sarif_out.render([report]))
    props = [r["properties"] for r in sarif["runs"][0]["results"] if r["ruleId"] == "T-WATCH"]
    assert props == [] or props[0]["learnedEvidence"][0]["terms"][0] == "monitor"
    from checker.report import html_out

    assert "learned, score" in html_out.render([report])


def test_rules_test_runs_the_combination_on_the_examples(tmp_path: Path) -> None:
    # "The CISO will monitor threats." passes only through the model
    assert not any("T-WATCH: pass" in p for p in run_examples(make_pack(tmp_path, "learned")).problems)
    assert any("T-WATCH: pass example 1 gave 'missing'" in p
               for p in run_examples(make_pack(tmp_path, "rules")).problems)


def test_eval_combinations_from_one_run() -> None:
    records = [{"id": "a", "labels": {"x": True}}, {"id": "b", "labels": {"x": False}},
               {"id": "c", "labels": {"x": True}}]
    preds = [{"x": Prediction(True, score=0.9, threshold=0.5)}, {"x": Prediction(True, score=0.2, threshold=0.5)},
             {"x": Prediction(False, score=0.7, threshold=0.5)}]
    evs = combinations(records, preds)
    got = {m: (ev.elements["x"].tp, ev.elements["x"].fp, ev.elements["x"].fn, ev.elements["x"].tn)
           for m, ev in evs.items()}
    assert got == {"rules": (1, 1, 1, 0), "learned": (2, 0, 0, 1), "either": (2, 1, 0, 0),
                   "both": (1, 0, 1, 1), "rules_then_learned": (2, 1, 0, 0)}
    assert [combine("both", True, False), combine("either", False, True)] == [False, True]


# ------------------------------------------------------------------ training


def _record(n: int, monitored: bool) -> dict:
    filler = ["Our program follows recognised frameworks.", "The board oversees risk generally.",
              "We maintain insurance coverage."]
    watch = ["Our CISO monitors the prevention and detection of incidents daily.",
             "The security team watches alerts and responds to events.",
             "Management tracks threats through a security operations centre."][n % 3]
    text = " ".join(filler[: 1 + n % 3] + ([watch] if monitored else []))
    quote = watch.replace("prevention and", "prevention ... and").rstrip(".") if monitored else "not said"
    return {"id": f"r{n:02d}", "form": "10-K", "text": text, "labels": {"mgmt_monitoring": monitored},
            "evidence": {"mgmt_monitoring": quote}, "_source": f"r{n}.json"}


def test_quote_fragments_find_their_sentences() -> None:
    from checker.training import quote_sentences, sentence_texts

    sents = [tokens(s) for s in sentence_texts("We plan. Our CISO, Jane Doe, monitors incidents. Nothing else.")]
    assert quote_sentences("Our CISO Jane Doe ... monitors incidents", sents) == {1}
    assert quote_sentences("CISO Jane Doe monitors incidents closely", sents) == {1}  # 80% of the words
    assert quote_sentences("unrelated words entirely here", sents) == set()


def test_training_is_deterministic_and_learns_the_quotes(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from checker.training import train

    records = [_record(n, n % 2 == 0) for n in range(24)]
    first, ts, oof = train(records, folds=3)
    again, _, _ = train(list(reversed(records)), folds=3)
    assert first == again  # same corpus, same bytes, whatever order it was read in
    data = json.loads(first)
    assert data["trained_on"] == sorted(r["id"] for r in records) and len(data["corpus_sha256"]) == 64
    assert sum(1 for p in ts.positive if p) == 12  # every quote found its sentence
    (tmp_path / "m.json").write_text(first, encoding="utf-8")
    model = load_model(tmp_path / "m.json")
    hit = model.score_text("mgmt_monitoring", "Our CISO monitors incidents daily.")
    miss = model.score_text("mgmt_monitoring", "We maintain insurance coverage.")
    assert hit.score > model.threshold("mgmt_monitoring") > miss.score
    changed = [dict(r, text=r["text"] + " Extra.") if r["id"] == "r00" else r for r in records]
    assert json.loads(train(changed, folds=3)[0])["corpus_sha256"] != data["corpus_sha256"]


def test_learn_command_writes_the_weights_file(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(24):
        rec = _record(n, n % 2 == 0)
        rec.pop("_source")
        (corpus / f"{rec['id']}.json").write_text(json.dumps(rec), encoding="utf-8")
    (tmp_path / "blind.txt").write_text("r00\nr01\n", encoding="utf-8")
    out = tmp_path / "w.json"
    result = CliRunner().invoke(cli, ["learn", str(corpus), "--exclude-ids", str(tmp_path / "blind.txt"),
                                      "--output", str(out), "--folds", "3"])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["trained_on"][0] == "r02"  # the blind ids were left out


def test_pack_examples_become_training_rows(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from checker.cli.learn import pack_examples
    from checker.training import train

    rows = pack_examples(make_pack(tmp_path))
    assert rows == [("watch", "The CISO will monitor threats.", True), ("watch", "The board meets.", False)]
    records = [_record(n, n % 2 == 0) for n in range(24)]
    near_miss = [("mgmt_monitoring", "Our insurance coverage monitors nothing.", False)]
    plain, with_examples = train(records, folds=3)[0], train(records, folds=3, examples=near_miss)[0]
    assert json.loads(with_examples)["examples"] == 1 and json.loads(plain)["examples"] == 0
    assert json.loads(with_examples)["examples_sha256"] != json.loads(plain)["examples_sha256"]


def test_a_combination_keeps_the_parts_the_rules_call_missing(tmp_path: Path) -> None:
    extra = textwrap.dedent("""\
      - id: T-PARTS
        element: watch
        title: t
        citation: c
        severity: error
        message: m
        guidance: g
        parts:
          - {name: past, match: {sentence: {all: [incident]}}}
          - {name: future, match: {sentence: {all: [incident], any: [incident]}, }}
    """)
    pack = make_pack(tmp_path, "both", "  " + extra.replace("\n", "\n  ").rstrip() + "\n")
    result = run(pack, "The board meets.")["T-PARTS"]
    assert (result.status, result.missing_parts) == ("missing", ["past", "future"])


def test_the_one_pass_scoring_equals_the_explained_arithmetic(tmp_path: Path) -> None:
    (tmp_path / "m.json").write_text(MODEL, encoding="utf-8")
    model = load_model(tmp_path / "m.json")
    for text in ["The CISO will monitor, monitor", "the board", "nothing known", "We monitor the CISO."]:
        assert model.text_margins(text) == pytest.approx(model.margins(model.vector(text)))
    shipped = load_model(ROOT / "rules" / "sk-106.learned.json")
    text = "Our CISO reports quarterly to the Audit Committee on cybersecurity risks and incidents."
    assert shipped.text_margins(text) == pytest.approx(shipped.margins(shipped.vector(text)))


def test_eval_combinations_command(tmp_path: Path) -> None:
    make_pack(tmp_path, "rules")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for rid, text, gold in [("a", "The CISO will monitor threats.", True), ("b", "We log incidents.", False),
                            ("c", "The board meets.", False)]:
        rec = {"id": rid, "form": "10-K", "item": "1C", "text": text, "labels": {"watch": gold}}
        (corpus / f"{rid}.json").write_text(json.dumps(rec), encoding="utf-8")
    out = CliRunner().invoke(cli, ["eval", str(corpus), "--pack", str(tmp_path / "p.yaml"), "--combinations",
                                   "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    watch = {m: data[m]["elements"]["watch"] for m in data}
    assert (watch["rules"]["tp"], watch["rules"]["fp"]) == (0, 1)  # the rules miss a, wrongly meet b
    assert (watch["learned"]["tp"], watch["learned"]["fp"]) == (1, 0)
    assert (watch["both"]["tp"], watch["both"]["fp"]) == (0, 0)
    table = CliRunner().invoke(cli, ["eval", str(corpus), "--pack", str(tmp_path / "p.yaml"), "--combinations"])
    assert "rules_then_learned" in table.output and "gap-F1" in table.output
