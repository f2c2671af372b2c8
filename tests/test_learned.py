"""Learned evidence: the model's arithmetic, the condition, the pack-level combinations, explainable
findings in every format, training determinism and the eval side-by-side."""

from __future__ import annotations

import json
import math
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import FIXTURES, pack_file, shared_path, whole_section

from checker import engine
from checker.cli import cli
from checker.evaluate import Prediction, combinations
from checker.examples import run_examples
from checker.learned import combine, load_model, model_to_json, ngrams, sigmoid, tokens, vectorise
from checker.model import CheckerError, Document, Report, Section
from checker.packs import load_pack, load_pack_data
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
    return {r.rule: r for r in engine.evaluate(pack, whole_section(text)).results}


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
    # nothing known: the bias alone never carries an element (its score is ~0, not sigmoid(-2))
    assert model.score_text("watch", "unknown words only").score < 1e-9


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
    ("learned_then_rules", "met", "met", "met"),
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
    if mode == "learned_then_rules":  # the model's sentence where it finds one: the rule's match is not evaluated
        assert [e.source for e in run(pack, "We log incidents. The CISO will monitor threats.")["T-WATCH"].evidence] \
            == ["learned"]
        assert [e.source for e in rules_say["T-WATCH"].evidence] == ["rules"]


def test_rules_then_learned_scores_nothing_when_the_rules_are_satisfied(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, "rules_then_learned")
    ctx = engine.prepare(pack, whole_section("We log incidents."))
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
    report = engine.evaluate(pack, whole_section(text, source="draft.md"))
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


def test_a_met_the_model_alone_carries_close_to_its_threshold_is_marked_for_review(tmp_path: Path) -> None:
    # threshold 0.6: the weak sentence scores between it and 0.9, the strong one above
    (tmp_path / "m.learned.json").write_text(MODEL, encoding="utf-8")
    (tmp_path / "p.yaml").write_text((PACK % "learned").replace("combine: learned}", "combine: learned, "
                                                                "review_margin: 0.3}"), encoding="utf-8")
    pack = load_pack(tmp_path / "p.yaml")
    strong, weak = "The CISO will monitor threats, monitor and monitor.", "The board and the CISO monitor."
    scores = {t: run(pack, t)["T-WATCH"].evidence[0].score for t in (strong, weak)}
    assert 0.6 <= scores[weak] < 0.6 + 0.3 <= scores[strong]
    marked = run(pack, weak)["T-WATCH"]
    assert marked.status == "met"  # the verdict is unchanged: only marked
    assert marked.review.startswith("the model alone reads the sentence as meeting it") and "threshold 0.60" in marked.review
    assert run(pack, strong)["T-WATCH"].review == ""
    # no margin (the default): nothing is marked; a rule that agrees: nothing is marked
    assert run(make_pack(tmp_path, "learned"), weak)["T-WATCH"].review == ""
    (tmp_path / "e.yaml").write_text((PACK % "either").replace("combine: either}", "combine: either, "
                                                               "review_margin: 0.3}"), encoding="utf-8")
    agreed = run(load_pack(tmp_path / "e.yaml"), weak.replace("monitor.", "monitor incidents."))["T-WATCH"]
    assert agreed.status == "met" and [e.source for e in agreed.evidence][0] == "rules" and agreed.review == ""
    (tmp_path / "e.yaml").write_text((PACK % "learned").replace("combine: learned}", "combine: learned, "
                                                                "review_margin: 2}"), encoding="utf-8")
    with pytest.raises(CheckerError, match="review_margin"):
        load_pack(tmp_path / "e.yaml")
    # every format says it
    report = engine.evaluate(pack, whole_section(weak, source="draft.md"))
    data = json.loads(json_out.render([report]))
    jsonschema.validate(data, REPORT_SCHEMA)
    text = text_out.render([report], verbose=True)
    assert "review: the model alone reads the sentence" in text and "n/a — coverage 50%; 1 met to review" in text
    md = markdown_out.render([report])
    assert "**Review:** the model alone reads" in md and "Met (to review) |" in md
    from checker.report import html_out

    page = html_out.render([report])
    assert '<p class="review"><strong>Review:</strong> the model alone reads' in page
    assert "1 met element is marked for review: read its quote before relying on it." in page
    assert '<span class="review-label">To review</span>' in page
    # for code scanning, SARIF's own kind "review" at the sentence, and a GitHub notice: neither is a gap
    (found,) = [r for r in json.loads(sarif_out.render([report]))["runs"][0]["results"] if r["ruleId"] == "T-WATCH"]
    assert (found["kind"], found["level"]) == ("review", "none") and "is met on a reading to check" in found["message"]["text"]
    assert found["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] == weak
    from checker.report import github_out

    (note,) = [a for a in github_out.annotations([report]) if "title=T-WATCH" in a]
    assert note.startswith("::notice ") and "is met on a reading to check" in note
    # JUnit: a passing test case whose output says it first, then the sentence
    from checker.report import junit_out

    (case,) = [c for c in ET.fromstring(junit_out.render([report])).iter("testcase") if "T-WATCH" in c.get("name")]
    assert case.find("failure") is None
    out = case.find("system-out").text.splitlines()
    assert out[0].startswith("Review: the model alone reads the sentence") and out[1].endswith(weak)


def review_pack(tmp_path: Path, mode: str, marks: str) -> object:
    """The test pack with a `board` vocabulary and the review classes given (YAML flow text)."""
    (tmp_path / "m.learned.json").write_text(MODEL, encoding="utf-8")
    text = (PACK % mode).replace(f"combine: {mode}}}", f"combine: {mode}, review_by_element: {{watch: {marks}}}}}")
    text = text.replace("  incident: ['incidents?']", "  incident: ['incidents?']\n  board: ['board']\n  ciso: ['CISO']")
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    return load_pack(tmp_path / "r.yaml")


def test_a_met_whose_every_quote_holds_a_review_class_is_marked_with_its_reason(tmp_path: Path) -> None:
    pack = review_pack(tmp_path, "learned", "[{concept: board, why: 'the board is named'}]")
    marked = run(pack, "The board and the CISO monitor.")["T-WATCH"]
    assert marked.status == "met" and marked.evidence[0].source == "learned"  # the verdict stands
    assert marked.review == "the board is named: read it before relying on it"
    assert run(pack, "The CISO will monitor threats.")["T-WATCH"].review == ""  # no board in the quote
    # a class lifted by its unless concepts marks nothing
    lifted = review_pack(tmp_path, "learned", "[{concept: board, unless: [ciso], why: 'the board is named'}]")
    assert run(lifted, "The board and the CISO monitor.")["T-WATCH"].review == ""
    # the rules' verdict too, but only where every sentence quoted holds the class
    rules = review_pack(tmp_path, "rules", "[{concept: board, why: 'the board is named'}]")
    both = run(rules, "The board saw incidents. The board logs incidents.")["T-WATCH"]
    assert both.status == "met" and len(both.evidence) == 2 and both.review.startswith("the board is named")
    one = run(rules, "The board saw incidents. The team logs incidents.")["T-WATCH"]
    assert one.status == "met" and len(one.evidence) == 2 and one.review == ""
    # a gap is never marked
    assert run(rules, "The board meets.")["T-WATCH"].status == "missing"
    assert run(rules, "The board meets.")["T-WATCH"].review == ""


def test_review_classes_are_checked_when_the_pack_loads(tmp_path: Path) -> None:
    with pytest.raises(CheckerError, match="review_by_element names 'nowhere'"):
        review_pack(tmp_path, "learned", "[{concept: nowhere, why: w}]")
    with pytest.raises(CheckerError, match="why"):
        review_pack(tmp_path, "learned", "[{concept: board}]")



def test_the_shipped_pack_marks_a_provider_engaged_but_not_one_overseen() -> None:
    import checker

    def providers(text: str):
        return next(r for r in checker.check(text).results if r.element == "third_party_providers")

    engaged = providers("In addition, the Company engaged a third-party vendor, along with an in-house system "
                        "administrator, to service the Company's information systems.")
    assert engaged.status == "met" and "engages or uses, not how it oversees" in engaged.review
    # a provider partnered with to do the company's testing is an assessor, no provider overseen (vendor_engaged_to_assess)
    partnered = providers("We have partnered with a third-party penetration testing company to help identify new "
                          "vulnerabilities and improve the security posture of the Company through annual testing.")
    assert partnered.status == "missing"
    overseen = providers("We engage third-party service providers and perform due diligence on our third-party "
                         "service providers before onboarding them.")
    assert overseen.status == "met" and overseen.review == ""
    # ... nor one whose security the company reviews, named by a pronoun
    reviewed = providers("We engage third-party service providers to host our systems and we review their SOC 2 "
                         "reports annually.")
    assert reviewed.status == "met" and "engages or uses" not in reviewed.review


def test_the_shipped_pack_marks_monitoring_of_risk_exposures_not_of_incidents() -> None:
    """A filing agent's wording (113 filer-tagged sections; 13 of the 18 whose monitoring rests on it alone were not
    tagged monitoring by their own filers) has risk exposures monitored, not incidents: marked, the verdict kept."""
    import checker

    def monitoring(text: str):
        return next(r for r in checker.check(text).results if r.element == "mgmt_monitoring")

    exposures = monitoring(
        "Management is responsible for identifying, considering and assessing material cybersecurity risks on an "
        "ongoing basis, establishing processes to ensure that such potential cybersecurity risk exposures are "
        "monitored, putting in place appropriate mitigation measures and maintaining cybersecurity programs.")
    assert exposures.status == "met" and "risk exposure, not how management learns" in exposures.review
    incidents = monitoring(
        "Our CISO is responsible for ensuring that potential risk exposures are monitored and receives reports from "
        "the security operations center on cybersecurity incidents.")
    assert incidents.status == "met" and "risk exposure" not in incidents.review



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
                   "both": (1, 0, 1, 1), "rules_then_learned": (2, 1, 0, 0), "learned_then_rules": (2, 1, 0, 0)}
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
        assert model.text_margins(text) == pytest.approx(model.gated(model.vector(text)))
    shipped = load_model(ROOT / "rules" / "sk-106.learned.json")
    text = "Our CISO reports quarterly to the Audit Committee on cybersecurity risks and incidents."
    before = "The Company has a Chief Information Security Officer."
    assert shipped.text_margins(text, before) == pytest.approx(shipped.gated(shipped.vector(text, before)))


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


# ------------------------------------------------------------------ safety gates, context, per-element modes


def _model_with(tmp_path: Path, bias: float = -2.0, **scoring: float) -> object:
    meta = {"corpus_sha256": "0" * 64, "trained_on": [], "scoring": scoring}
    (tmp_path / "g.json").write_text(model_to_json(["watch"], [bias], [0.6], IDF, WEIGHTS, meta), encoding="utf-8")
    return load_model(tmp_path / "g.json")


def test_a_short_sentence_does_not_carry_one_words_whole_weight(tmp_path: Path) -> None:
    plain = _model_with(tmp_path)
    # one known word: L2-normalised alone it carries monitor's whole weight (6.0 - 2.0 bias)
    assert plain.score_text("watch", "They monitor.").score == pytest.approx(sigmoid(4.0))
    floored = _model_with(tmp_path, min_norm=8.0)
    assert floored.score_text("watch", "They monitor.").score == pytest.approx(sigmoid(-2.0 + 6.0 * 2.0 / 8.0))
    assert floored.score_text("watch", "They monitor.").score < 0.6 <= plain.score_text("watch", "They monitor.").score
    few = _model_with(tmp_path, min_terms=3)
    assert few.score_text("watch", "They monitor.").score < 1e-9  # 'monitor' alone: 1 known n-gram < 3
    assert few.score_text("watch", "The CISO will monitor threats.").score > 0.6  # ciso, the ciso, monitor


def test_the_bias_alone_never_carries_an_element(tmp_path: Path) -> None:
    eager = _model_with(tmp_path, bias=3.0)  # a prior above the threshold, as risk_process's was
    assert eager.score_text("watch", "We sell shoes.").score < 1e-9  # 'we' is known but weighs nothing
    assert eager.score_text("watch", "The board monitors.").score < 1e-9  # board pulls below the bias
    demanding = _model_with(tmp_path, bias=3.0, min_evidence=2.0)
    assert demanding.score_text("watch", "The CISO will monitor threats.").score > 0.9
    assert demanding.score_text("watch", "The CISO.").score < 1e-9  # lifts the logit by < 2.0


def test_the_previous_sentence_gives_context(tmp_path: Path) -> None:
    idf = {**IDF, "<p>ciso": 1.5}
    weights = {**WEIGHTS, "<p>ciso": {0: 4.0}}
    meta = {"corpus_sha256": "0" * 64, "trained_on": [], "scoring": {"context": 0.5}}
    (tmp_path / "c.json").write_text(model_to_json(["watch"], [-2.0], [0.6], idf, weights, meta), encoding="utf-8")
    model = load_model(tmp_path / "c.json")
    alone = model.score_text("watch", "We monitor the board.").score
    after = model.score_text("watch", "We monitor the board.", previous="Our CISO is Jane Doe.").score
    assert after > alone
    # the one-pass section scoring equals the explained arithmetic, context included
    texts = ["Our CISO is Jane Doe.", "We monitor the board.", "The CISO will monitor, monitor", "nothing"]
    got = model.section_scores(texts)
    for k, text in enumerate(texts):
        vec = model.vector(text, texts[k - 1] if k else "")
        assert got[k].margins == pytest.approx(model.gated(vec))
    assert got[1].explain(0)[:1] == ("monitor",) and "<p>ciso" in got[1].explain(0)


def test_bad_scoring_block_is_a_one_line_error(tmp_path: Path) -> None:
    data = json.loads(MODEL)
    data["scoring"] = {"min_terms": -1}
    (tmp_path / "b.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CheckerError, match="'scoring'"):
        load_model(tmp_path / "b.json")


SHORT_DRAFTS = [
    "We sell shoes.",
    "Preheat the oven to 350 degrees. Mix the flour, butter and sugar, then bake for 40 minutes.",
    "Severe weather, such as hurricanes, floods and wildfires, could disrupt our operations and harm our "
    "results of operations.",
]


@pytest.mark.parametrize("text", SHORT_DRAFTS)
def test_the_shipped_model_calls_no_irrelevant_draft_met(text: str) -> None:
    from dataclasses import replace

    pack = load_pack("sk-106")
    for mode in ("learned", "either"):
        trial = replace(pack, learned=replace(pack.learned, combine=mode, by_element={}))
        met = [(r.rule, [e.text for e in r.evidence]) for r in engine.evaluate(trial, whole_section(text)).results
               if r.status in ("met", "partial") and any(e.source == "learned" for e in r.evidence)]
        assert met == [], mode


def test_the_shipped_model_keeps_the_packs_fail_examples_failing() -> None:
    from dataclasses import replace

    pack = load_pack("sk-106")
    for mode in ("learned", "either"):
        trial = replace(pack, learned=replace(pack.learned, combine=mode, by_element={}))
        problems = [p for p in run_examples(trial).problems if ": fail example" in p]
        assert problems == [], mode


def test_combination_per_element(tmp_path: Path) -> None:
    make_pack(tmp_path, "rules")
    text = (PACK % "rules").replace("combine: rules}", "combine: rules, combine_by_element: {watch: learned}}")
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    pack = load_pack(tmp_path / "p.yaml")
    assert pack.learned.mode("watch") == "learned" and pack.learned.mode("other") == "rules"
    got = run(pack, "The CISO will monitor threats.")
    assert got["T-WATCH"].status == "met" and got["T-WATCH"].evidence[0].source == "learned"
    assert run(pack, "We log incidents.")["T-WATCH"].status == "missing"  # learned: the rules' hit is not enough
    assert not any("T-WATCH: pass" in p for p in run_examples(pack).problems)  # rules test runs its own mode
    (tmp_path / "p.yaml").write_text(text.replace("{watch: learned}", "{nobody: learned}"), encoding="utf-8")
    with pytest.raises(CheckerError, match="'nobody', an element the model does not know"):
        load_pack(tmp_path / "p.yaml")
    (tmp_path / "p.yaml").write_text(text.replace("{watch: learned}", "{watch: sometimes}"), encoding="utf-8")
    with pytest.raises(CheckerError):
        load_pack(tmp_path / "p.yaml")


def test_eval_combinations_scores_the_packs_own_choice() -> None:
    records = [{"id": "a", "labels": {"x": True, "y": False}}, {"id": "b", "labels": {"x": False, "y": True}}]
    preds = [{"x": Prediction(False, score=0.9, mode="learned"), "y": Prediction(True, score=0.2, mode="rules")},
             {"x": Prediction(True, score=0.2, mode="learned"), "y": Prediction(True, score=0.9, mode="rules")}]
    evs = combinations(records, preds)
    assert (evs["pack"].micro.tp, evs["pack"].micro.fp, evs["pack"].micro.fn) == (2, 1, 0)
    assert evs["pack"].micro.gap_f1 != evs["rules"].micro.gap_f1


def test_the_shipped_weights_are_small_hashed_and_gated() -> None:
    path = ROOT / "rules" / "sk-106.learned.json"
    assert path.stat().st_size < 2_000_000
    model = load_model(path)
    assert len(model.meta["corpus_sha256"]) == 64 and model.meta["trained_on"]
    blind = {ln.strip() for ln in (ROOT / "tests" / "data" / "validation-ids.txt").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")}
    assert not blind & set(model.meta["trained_on"])  # never trained on the blind third
    sc = model.scoring
    assert sc.min_norm > 0 and sc.min_terms > 0 and sc.min_evidence > 0


def test_the_shipped_weights_were_trained_on_the_packs_current_examples() -> None:
    """The pack's examples are training rows: a weights file left from before an example was added or changed is
    not what `cydcheck learn` gives (docs/learned.md), and this says so without retraining."""
    from checker.cli.learn import pack_examples
    from checker.training import examples_digest, training_examples

    model = load_model(ROOT / "rules" / "sk-106.learned.json")
    examples = training_examples(pack_examples(load_pack(ROOT / "rules" / "sk-106.yaml")), model.elements)
    assert model.meta["examples"] == len(examples)
    assert model.meta["examples_sha256"] == examples_digest(examples), "rebuild the weights: see docs/learned.md"


def test_the_shipped_weights_are_what_the_documented_command_gives(tmp_path: Path) -> None:
    """The weights follow from the corpus, the blind ids, the pack (its examples, vetoes and gates) and the
    engine's segmentation of the training text: a change to any of them that is not followed by `cydcheck learn`
    (docs/learned.md) leaves a weights file the project cannot reproduce (the eighteenth stop's segmentation
    commits did). About 12 s; needs ../shared."""
    pytest.importorskip("sklearn")
    corpus = shared_path("corpus")
    out = tmp_path / "w.json"
    result = CliRunner().invoke(cli, ["learn", str(corpus / "labelled"), str(corpus / "labelled-2"),
                                      "--exclude-ids", str(ROOT / "tests" / "data" / "validation-ids.txt"),
                                      "--output", str(out), "--pack", str(ROOT / "rules" / "sk-106.yaml"),
                                      "--min-norm", "6", "--min-terms", "5", "--min-evidence", "0.5", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == (ROOT / "rules" / "sk-106.learned.json").read_bytes(), \
        "rebuild the weights: see docs/learned.md"


def test_combination_chosen_by_expected_errors() -> None:
    from checker.cli.learn import choose_by_expected_errors

    # training: x addressed in a, b; a gap in c. The rules miss b (a false alarm) and meet c (a gap missed)
    # only in-sample; the model meets a and b and not c.
    records = [{"id": "a", "labels": {"x": True}}, {"id": "b", "labels": {"x": True}},
               {"id": "c", "labels": {"x": False}}]
    preds = [{"x": Prediction(True, score=0.9)}, {"x": Prediction(False, score=0.9)},
             {"x": Prediction(False, score=0.1)}]
    # tags: four filings tag x; the rules find one, the model three
    tags = [{"id": f"t{k}", "labels": {"x": True}} for k in range(4)]
    tag_preds = [{"x": Prediction(k == 0, score=0.9 if k < 3 else 0.1)} for k in range(4)]
    pack_wide, own, table = choose_by_expected_errors(records, preds, tags, tag_preds,
                                                      ["rules", "learned", "either", "both"])
    # expected errors: rules (1 - 1/4) x 2 + 0 = 1.5; learned (1 - 3/4) x 2 + 0 = 0.5; either 0.5; both 1.5
    assert (pack_wide, own) == ("learned", {})  # learned and either tie: the simpler, learned, wins
    assert "0.5*" in table and "1.5" in table


def test_recall_on_needs_the_packs_own_weights_file(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    make_pack(tmp_path, "rules")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(12):
        rec = _record(n, n % 2 == 0)
        rec.pop("_source")
        rec["labels"] = {"watch": rec["labels"]["mgmt_monitoring"]}
        rec["evidence"] = {"watch": rec["evidence"]["mgmt_monitoring"]}
        (corpus / f"{rec['id']}.json").write_text(json.dumps(rec), encoding="utf-8")
    out = CliRunner().invoke(cli, ["learn", str(corpus), "--output", str(tmp_path / "other.json"), "--folds", "3",
                                   "--pack", str(tmp_path / "p.yaml"), "--recall-on", str(corpus)])
    assert out.exit_code == 2 and "--output must be that file" in out.output


def test_sentence_vetoes_are_those_every_sentence_clause_applies() -> None:
    from checker.conditions import sentence_vetoes
    both = {"any_of": [{"sentence": {"all": ["a"], "none": ["hedge", "plan"]}},
                       {"sentence": {"all": ["b"], "none": ["hedge"]}, "paragraph": {"none": ["x"]}}]}
    assert sentence_vetoes(both) == ("hedge",)
    assert sentence_vetoes({"any_of": [both, {"sentence": {"all": ["c"]}}]}) == ()  # one clause vetoes nothing
    assert sentence_vetoes({"all_of": [both, {"not": {"sentence": {"all": ["d"]}}}]}) == ("hedge",)
    assert sentence_vetoes({"paragraph": {"all": ["a"], "none": ["hedge"]}}) == ()


def learned_pack(folder: Path, pack: str, line: str):
    """The test pack (PACK-shaped, its model the test MODEL, combine learned) with `line` ending its learned
    block, written to folder and loaded."""
    (folder / "m.learned.json").write_text(MODEL, encoding="utf-8")
    return pack_file(folder, "p", (pack % "learned").replace("combine: learned}", line))


def test_the_model_may_not_quote_what_the_rule_vetoes(tmp_path: Path) -> None:
    vetoed = PACK.replace("incident: ['incidents?']", "incident: ['incidents?']\n  plan: ['will']").replace(
        "match: {sentence: {all: [incident]}}\n    examples",
        "match: {sentence: {all: [incident], none: [plan]}}\n    examples", 1)
    plain = learned_pack(tmp_path, vetoed, "combine: learned}")
    guarded = learned_pack(tmp_path, vetoed, "veto: [plan], combine: learned}")
    assert guarded.learned.vetoes == {"watch": ("plan",)} and plain.learned.vetoes == {}
    plan = "The CISO will monitor threats."
    assert run(plain, plan)["T-WATCH"].status == "met"  # the model alone reads a plan as monitoring
    assert run(guarded, plan)["T-WATCH"].status == "missing"
    got = run(guarded, plan + " The CISO and the team monitor threats daily.")["T-WATCH"]
    assert got.status == "met" and got.evidence[0].text.startswith("The CISO and the team")
    # a listed veto the rule does not apply in every sentence clause leaves the model free
    loose = vetoed.replace("none: [plan]}}\n    examples", "}}\n    examples", 1)
    assert learned_pack(tmp_path, loose, "veto: [plan], combine: learned}").learned.vetoes == {}
    with pytest.raises(CheckerError, match="veto names 'plans', not a vocabulary"):
        learned_pack(tmp_path, vetoed, "veto: [plans], combine: learned}")
    # veto_by_element names the element's vetoes itself, whatever its rule's clauses apply
    named = learned_pack(tmp_path, loose, "veto_by_element: {watch: [plan]}, combine: learned}")
    assert named.learned.vetoes == {"watch": ("plan",)}
    assert run(named, plan)["T-WATCH"].status == "missing"
    with pytest.raises(CheckerError, match="veto_by_element names 'plans'"):
        learned_pack(tmp_path, loose, "veto_by_element: {watch: [plans]}, combine: learned}")


def test_a_veto_with_unless_bars_a_sentence_only_where_it_holds_none_of_them(tmp_path: Path) -> None:
    # {concept, unless}: the model may not quote a sentence holding the concept unless the sentence also holds
    # one of the others (sk-106: "the financial statements" in a sentence that names no cyber matter)
    pack = PACK.replace("incident: ['incidents?']", "incident: ['incidents?']\n  plan: ['will']\n"
                        "  daily: ['daily']\n  hourly: ['hourly']")

    def pack_with(line: str):
        return learned_pack(tmp_path, pack, line)

    guarded = pack_with("veto_by_element: {watch: [{concept: plan, unless: [daily, hourly]}]}, combine: learned}")
    assert guarded.learned.vetoes_unless == {"watch": (("plan", ("daily", "hourly")),)}
    assert guarded.learned.vetoes == {}
    assert run(pack_with("combine: learned}"), "The CISO will monitor threats.")["T-WATCH"].status == "met"
    assert run(guarded, "The CISO will monitor threats.")["T-WATCH"].status == "missing"
    for text in ("The CISO will monitor threats daily.", "The CISO will monitor threats hourly."):
        got = run(guarded, text)["T-WATCH"]
        assert got.status == "met" and got.evidence[0].text == text
    with pytest.raises(CheckerError, match="veto_by_element names 'weekly'"):
        pack_with("veto_by_element: {watch: [{concept: plan, unless: [weekly]}]}, combine: learned}")
    with pytest.raises(CheckerError):  # the schema: an entry names its concept and what lifts it
        pack_with("veto_by_element: {watch: [{concept: plan}]}, combine: learned}")


@pytest.mark.parametrize(("who", "status"), [("Our general manager", "met"),
                                           ("Our principal financial officer", "met"),
                                           ("Our neighbour", "missing")])
def test_a_smaller_companys_officer_titles_are_management_for_the_required_actor(checker, who, status) -> None:
    # The model scores the sentence high for expertise whoever it names; the shipped pack's required actor
    # (a management position) decides, and "general manager" is one (seen in 10 filer-tagged sections).
    text = f"{who} has over 20 years of experience managing risks, including risks arising from cybersecurity threats."
    found = run(checker.pack("sk-106"), text)["SK106-C2I-EXPERTISE"]
    assert found.status == status
    assert [e.text for e in found.evidence] == ([text] if status == "met" else [])


@pytest.mark.parametrize(("first", "status"), [("Our Information Security Officer (ISO) leads the program.", "met"),
                                             ("Our program follows ISO 27001.", "missing")])
def test_an_officer_known_by_the_abbreviation_the_section_defines_is_the_required_actor(checker, first, status):
    # "The ISO has ..." names the Information Security Officer only where the section defined it so (628 of
    # the 5,069 filer-tagged sections define an abbreviation for a position or committee and use it later).
    text = (f"{first} We test our controls every quarter. The ISO has over 15 years of industry experience "
            "and a Master of Science in Information Security and Assurance.")
    found = run(checker.pack("sk-106"), text)["SK106-C2I-EXPERTISE"]
    assert found.status == status
    if status == "met":
        assert found.evidence[0].text.startswith("The ISO has over 15 years")


@pytest.mark.parametrize(("text", "statuses"), [
    ("Our Board of Trustees oversees the Company's cybersecurity risk management program and receives quarterly "
     "reports from the Chief Information Officer.", ("met", "met", "met")),
    # a trust without a board answers the board's oversight (LABELING.md, as labelled for such a trust), and
    # neither a committee nor how the board is informed
    ("The Trust has no board of trustees and is administered by the Trustee pursuant to the Trust Agreement.",
     ("met", "missing", "missing")),
])
def test_a_board_of_trustees_is_the_board(checker, text, statuses) -> None:
    # REITs, trusts and funds: 52 filer-tagged sections name a Board of Trustees
    got = run(checker.pack("sk-106"), text)
    board = ("SK106-C1-BOARD-OVERSIGHT", "SK106-C1-COMMITTEE", "SK106-C1-BOARD-INFORMED")
    assert tuple(got[rule].status for rule in board) == statuses


@pytest.mark.parametrize(("text", "rule", "status"), [
    # Item 106(c)(1): a committee, or the board holding oversight itself; a board that is only told is not one
    ("The Board of Directors receives periodic updates on our cybersecurity risks from our SVP of IT and "
     "Operations, which include risk assessments, areas of emerging risks, incidents and industry trends.",
     "SK106-C1-COMMITTEE", "missing"),
    ("The Board is collectively responsible for oversight of risks from cybersecurity threats.",
     "SK106-C1-COMMITTEE", "met"),
    # Item 106(c)(2)(iii): reports to the board or its committee, not within management
    ("The CISO and CTO report to the CEO, and meet quarterly with members of the Cybersecurity Awareness "
     "Committee to provide updates on projects, threats, governance and the overall cybersecurity landscape.",
     "SK106-C2III-REPORTS-BOARD", "missing"),
    ("IT management provides updates to the company's senior management throughout the year, covering the "
     "company's cybersecurity strategy, initiatives and key security metrics.", "SK106-C2III-REPORTS-BOARD",
     "missing"),
    ("The Audit Committee oversees cybersecurity. Our CISO provides it with quarterly updates on our "
     "cybersecurity risks.", "SK106-C2III-REPORTS-BOARD", "met"),
])
def test_the_shipped_model_quotes_the_board_actor_each_board_element_is_about(checker, text, rule, status) -> None:
    # each "missing" case is met by the model before its element required that actor (a8555a6 and after)
    assert run(checker.pack("sk-106"), text)[rule].status == status


def _pack_with(tmp_path: Path, vocabularies: str, learned: str):
    """The test pack and its model, with more vocabularies (YAML lines after `incident`) and its learned
    block ending in `learned` instead of `combine: learned}`."""
    (tmp_path / "m.learned.json").write_text(MODEL, encoding="utf-8")
    text = (PACK % "learned").replace("incident: ['incidents?']", "incident: ['incidents?']\n  " + vocabularies)
    path = tmp_path / "p.yaml"
    path.write_text(text.replace("combine: learned}", learned), encoding="utf-8")
    return load_pack(path)


def test_the_model_must_quote_a_sentence_naming_the_required_actor(tmp_path: Path) -> None:
    def pack_with(line: str):
        return _pack_with(tmp_path, "actor: ['CISO']", line)

    plain = pack_with("combine: learned}")
    required = pack_with("require: {watch: [actor]}, combine: learned}")
    assert required.learned.requires == {"watch": (("actor",),)} and plain.learned.requires == {}
    nobody = "We monitor threats."
    assert run(plain, nobody)["T-WATCH"].status == "met"  # the model alone: monitoring, by no one named
    assert run(required, nobody)["T-WATCH"].status == "missing"
    # the actor named in the sentence before carries over ("It monitor ..." reads as the CISO's doing)
    carried = run(required, "Security is led by our CISO. It monitor threats.")["T-WATCH"]
    assert carried.status == "met" and carried.evidence[0].text == "It monitor threats."
    # but not from two sentences back
    assert run(required, "Security is led by our CISO. Staff are trained. We monitor threats.")[
        "T-WATCH"].status == "missing"
    for bad in ("require: {watch: [actors]}, combine: learned}", "require: {nobody: [actor]}, combine: learned}"):
        with pytest.raises(CheckerError, match="require names '(actors|nobody)'"):
            pack_with(bad)


def test_a_required_group_is_held_by_a_sentence_holding_all_of_it(tmp_path: Path) -> None:
    # `require: {el: [a, [b, c]]}`: a sentence with a, or with both b and c ("the board" with an oversight
    # word: a board that only receives reports names no committee and no oversight of its own)
    def pack_with(line: str):
        return _pack_with(tmp_path, "actor: ['CISO']\n  team: ['team']\n  threat: ['threats?']", line)

    grouped = pack_with("require: {watch: [actor, [team, threat]]}, combine: learned}")
    assert grouped.learned.requires == {"watch": (("actor",), ("team", "threat"))}
    assert run(grouped, "Our team monitor threats.")["T-WATCH"].status == "met"  # the group, whole
    assert run(grouped, "Our team monitor incidents.")["T-WATCH"].status == "missing"  # half of it
    assert run(grouped, "We monitor threats.")["T-WATCH"].status == "missing"  # the other half
    assert run(grouped, "Our CISO monitor incidents.")["T-WATCH"].status == "met"  # the single entry
    with pytest.raises(CheckerError, match="require names 'teams'"):
        pack_with("require: {watch: [[teams, threat]]}, combine: learned}")
    with pytest.raises(CheckerError, match="require"):  # a group of one is a name: the schema says so
        pack_with("require: {watch: [[team]]}, combine: learned}")


def test_a_concept_required_in_the_sentence_itself_is_not_carried_over(tmp_path: Path) -> None:
    # `require:` carries the actor over from the sentence before; `require_in_sentence:` asks the evidence
    # sentence itself for what the element is about (sk-106: an expertise detail, so "Our CISO leads the
    # program. It monitor threats." carries the CISO, but a detail two sentences away carries nothing)
    def pack_with(line: str):
        return _pack_with(tmp_path, "actor: ['CISO']\n  threat: ['threats?']", line)

    both = pack_with("require: {watch: [actor]}, require_in_sentence: {watch: [threat]}, combine: learned}")
    assert both.learned.requires_here == {"watch": (("threat",),)}
    carried = run(both, "Security is led by our CISO. It monitor threats.")["T-WATCH"]
    assert carried.status == "met" and carried.evidence[0].text == "It monitor threats."
    # the actor is carried over, what the sentence is about is not
    assert run(both, "Our CISO reviews threats. It monitor incidents.")["T-WATCH"].status == "missing"
    assert run(pack_with("require: {watch: [actor]}, combine: learned}"),
               "Our CISO reviews threats. It monitor incidents.")["T-WATCH"].status == "met"
    with pytest.raises(CheckerError, match="require_in_sentence names 'threats'"):
        pack_with("require_in_sentence: {watch: [threats]}, combine: learned}")


def test_the_topic_is_asked_of_the_paragraph_or_the_one_before_it(tmp_path: Path) -> None:
    # `require_in_paragraph:` asks the evidence sentence's paragraph, or the paragraph before it (a heading is
    # one), for the topic (sk-106: cybersecurity): a sentence of another matter in a paragraph that never names
    # it is not the evidence ("Our Chief Operating Officer oversees our fleet and driver safety programs")
    def pack_with(line: str):
        return _pack_with(tmp_path, "topic: ['threats?']", line)

    topic = pack_with("require_in_paragraph: {watch: [topic]}, combine: learned}")
    assert topic.learned.requires_paragraph == {"watch": (("topic",),)}
    other = "Our CISO monitor plant safety."
    assert run(pack_with("combine: learned}"), other)["T-WATCH"].status == "met"
    assert run(topic, other)["T-WATCH"].status == "missing"
    # the topic after the sentence in its paragraph, or in the paragraph before it
    assert run(topic, f"{other} Both face threats.")["T-WATCH"].status == "met"
    after_heading = run(topic, f"Threats\n\n{other}")["T-WATCH"]
    assert after_heading.status == "met" and after_heading.evidence[0].text == other
    # two paragraphs away, or only in the paragraph after it: not
    assert run(topic, f"Threats.\n\nWe sell food.\n\n{other}")["T-WATCH"].status == "missing"
    assert run(topic, f"{other}\n\nWe face threats.")["T-WATCH"].status == "missing"
    with pytest.raises(CheckerError, match="require_in_paragraph names 'topics'"):
        pack_with("require_in_paragraph: {watch: [topics]}, combine: learned}")


@pytest.mark.parametrize(("text", "status"), [
    # LABELING.md: expertise is years, prior roles, degrees, certifications; a role alone is not
    ("Our Chief Information Security Officer is responsible for assessing and managing our cybersecurity "
     "risks.", "missing"),
    ("At a management level, our cybersecurity program is led by our Information Technology manager, who "
     "reports to the Chief Financial Officer.", "missing"),
    ("Our Chief Information Security Officer has over twenty five years of cybersecurity, information "
     "technology and systems engineering experience.", "met"),
    ("Our CISO leads the program. She holds a CISSP certification.", "met"),
])
def test_the_shipped_model_quotes_an_expertise_detail_for_expertise(checker, text, status) -> None:
    assert run(checker.pack("sk-106"), text)["SK106-C2I-EXPERTISE"].status == status


def test_learn_rewrites_the_combination_in_either_style_of_learned_block() -> None:
    from checker.cli.learn import with_combine
    flow = "pack: p\nlearned: {model: m.json, veto: [hedge], combine: both}\nrules: []\n"
    assert with_combine(flow, "learned", {"x": "rules"}) == (
        "pack: p\nlearned: {model: m.json, veto: [hedge], combine: learned, combine_by_element: {x: rules}}\n"
        "rules: []\n")
    block = ("pack: p\nlearned:\n  model: m.json\n  require:\n    watch: [actor]\n  combine: both\n"
             "  combine_by_element:\n    x: rules\n    y: either\n\nvocabularies: {}\n")
    got = with_combine(block, "learned", {"z": "both"})
    assert got == ("pack: p\nlearned:\n  model: m.json\n  require:\n    watch: [actor]\n  combine: learned\n"
                   "  combine_by_element: {z: both}\n\nvocabularies: {}\n")
    import yaml
    assert yaml.safe_load(got)["learned"] == {"model": "m.json", "require": {"watch": ["actor"]},
                                              "combine": "learned", "combine_by_element": {"z": "both"}}
    assert with_combine("pack: p\nrules: []\n", "learned", {}) is None
    # the shipped pack's block takes the same edit and stays the same pack
    shipped = (ROOT / "rules" / "sk-106.yaml").read_text(encoding="utf-8")
    again = with_combine(shipped, "learned", yaml.safe_load(shipped)["learned"]["combine_by_element"])
    assert again is not None and yaml.safe_load(again) == yaml.safe_load(shipped)


def test_under_learned_a_plain_rule_leaves_its_match_unevaluated(tmp_path: Path, monkeypatch) -> None:
    # its verdict and evidence are the model's whatever the match gives, so the match is not run; the rule
    # of an element the model does not know (T-RULE-ONLY) still is
    from checker.conditions import clause
    calls: list[object] = []
    original = clause.Clause.evaluate

    def counted(self, ctx):
        calls.append(self)
        return original(self, ctx)

    monkeypatch.setattr(clause.Clause, "evaluate", counted)
    text = "The CISO and the team monitor incidents daily."
    by_mode = {}
    for mode in ("learned", "either"):
        calls.clear()
        got = run(make_pack(tmp_path, mode), text)
        by_mode[mode] = (len(calls), got["T-WATCH"].status, [e.source for e in got["T-WATCH"].evidence])
    assert by_mode["learned"] == (1, "met", ["learned"])
    assert by_mode["either"][0] == 2 and by_mode["either"][1] == "met"


def test_a_rules_tests_are_not_training_rows(tmp_path: Path) -> None:
    from checker.cli.learn import pack_examples

    extra = textwrap.indent(textwrap.dedent("""\
        - id: T-TESTED
          element: watch
          title: t
          citation: c
          severity: error
          message: m
          guidance: g
          match: {sentence: {all: [incident]}}
          examples:
            pass: ["Incidents go to the CIO."]
            fail: ["Nothing here."]
          tests:
            pass: ["The CIO hears of incidents."]
            fail: ["Incidents of weather."]
    """), "  ")
    rows = pack_examples(make_pack(tmp_path, extra=extra))
    assert ("watch", "Incidents go to the CIO.", True) in rows and ("watch", "Nothing here.", False) in rows
    assert not [r for r in rows if r[1] in ("The CIO hears of incidents.", "Incidents of weather.")]


@pytest.mark.parametrize("name", ["gd-2023-10k-1c.json", "unite-2024-10k-1c.json"])
def test_learned_then_rules_gives_the_verdicts_of_either_on_real_sections(checker, name) -> None:
    text = json.loads((FIXTURES / "reports" / name).read_text(encoding="utf-8"))["body_markdown"]
    pack = checker.pack("sk-106")
    ctx = engine.prepare(pack, whole_section(text))
    known = [r for r in pack.rules if ctx.learned is not None and ctx.learned.knows(r.element)]
    assert len(known) >= 10
    found = 0
    for r in known:
        either = engine.evaluate_rule(r, ctx, "either")
        first = engine.evaluate_rule(r, ctx, "learned_then_rules")
        assert first.status == either.status, r.id
        if either.status != "missing" and any(e.source == "learned" for e in either.evidence):
            assert [e.source for e in first.evidence] == ["learned"], r.id  # the model's sentence alone
            found += 1
    assert found  # the model found a sentence for some element, so the rule's match was skipped there


def test_the_pack_schema_knows_every_combination_the_engine_does() -> None:
    from checker.learned import COMBINE_MODES
    schema = json.loads((ROOT / "checker" / "schemas" / "pack.schema.json").read_text(encoding="utf-8"))
    assert tuple(schema["$defs"]["combine_mode"]["enum"]) == COMBINE_MODES


def test_the_pack_wide_vetoes_reach_the_elements_of_sk106_as_pinned() -> None:
    # A pack's `veto:` reaches the model's evidence of an element only where every sentence clause of the element's
    # rule applies it (or veto_by_element names it): a clause added without one drops it for the model, silently
    # (docs/learned.md). The reach is pinned here, so a change that moves it fails until this table moves with it.
    # Measured at the twenty-second stop: all four vetoes on every element found 3 statements of the sets fewer (and
    # rejected 3 distractors more), 1 gap more and 2 false alarms more on the tuned part, and 44 filer-tagged elements
    # fewer; the reach below is kept by choice.
    pack = load_pack("sk-106")
    assert pack.learned is not None
    listed = set(load_pack_data("sk-106")[0]["learned"]["veto"])  # the pack's own list, whatever it names
    assert listed == {"hedge", "future_plan", "director_bio", "bare_whether"}
    reach = {el: tuple(sorted(set(v) & listed)) for el, v in pack.learned.vetoes.items()}
    assert {el: v for el, v in reach.items() if v} == {
        "board_informed": ("hedge",), "board_oversight": ("hedge",), "erm_integration": ("hedge",),
        "mgmt_expertise": ("director_bio", "future_plan"), "mgmt_monitoring": ("future_plan", "hedge"),
        "mgmt_reports_board": ("hedge",), "mgmt_roles": ("hedge",)}


def test_a_learned_verdicts_terms_are_in_the_drafts_own_spelling(checker) -> None:
    """A British draft's learned verdict was explained in the model's American words ("cybersecurity
    organization", "security program") that its sentence does not hold: the terms quote the draft's own."""
    text = ("Item 16K. Cybersecurity\n\nThe Management Board member responsible for Technology (Chief Technology "
            "Officer) is responsible for the Group's cybersecurity organisation and its security programme.\n")
    report = checker.check_document(Document(text=text, source="draft.md", form="20-F"))
    terms = [t for r in report.results for e in r.evidence for t in e.terms]
    assert terms  # some verdict rests on the model
    words = {w for t in terms for w in t.split()}
    assert not words & {"organization", "program", "programs"}, terms
