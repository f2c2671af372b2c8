"""`cydcheck eval`: metrics computed by hand on tiny records, the CLI, and the accuracy targets."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import shared_path

from checker.cli import cli
from checker.evaluate import (
    Prediction,
    at_composition,
    evaluate,
    label_cells,
    load_records,
    metric,
    predict,
    render_table,
    score,
)
from checker.interval import difference, interval
from checker.model import CheckerError

T, F = Prediction(True, ("engine quote",), ("R1",)), Prediction(False)
RECORDS = [
    {"id": "r1", "labels": {"a": True, "b": False}},
    {"id": "r2", "labels": {"a": True, "b": True}, "evidence": {"a": "label quote a"}},
    {"id": "r3", "labels": {"a": False, "b": False}, "confidence": {"b": "low"}},
]
PREDS = [{"a": T, "b": F}, {"a": F, "b": T}, {"a": T, "b": T}]


def test_metrics_by_hand() -> None:
    ev = score(RECORDS, PREDS)
    a, b = ev.elements["a"], ev.elements["b"]
    assert (a.tp, a.fp, a.fn, a.tn) == (1, 1, 1, 0)
    assert (b.tp, b.fp, b.fn, b.tn) == (1, 1, 0, 1)
    assert a.precision == a.recall == a.f1 == 0.5 and a.support == 2
    assert b.precision == 0.5 and b.recall == 1.0 and b.f1 == pytest.approx(2 / 3)
    m = ev.micro
    assert m.f1 == pytest.approx(4 / 7)  # 2tp / (2tp + fp + fn) = 4 / (4 + 2 + 1)
    assert m.gap_f1 == pytest.approx(2 / 5)  # 2tn / (2tn + fn + fp) = 2 / (2 + 1 + 2)
    assert ev.macro == pytest.approx((0.5 + 2 / 3) / 2)
    kinds = [(d.kind, d.record, d.element, d.evidence) for d in ev.disagreements]
    assert kinds == [("FN", "r2", "a", "label quote a"), ("FP", "r3", "a", "engine quote"),
                     ("FP", "r3", "b", "engine quote")]
    assert ev.disagreements[1].rules == ("R1",)


def test_high_only_skips_low_confidence_labels() -> None:
    ev = score(RECORDS, PREDS, high_only=True)
    b = ev.elements["b"]
    assert (b.tp, b.fp, b.fn, b.tn) == (1, 0, 0, 1) and ev.skipped_low == 1
    assert ev.micro.f1 == pytest.approx(4 / 6) and ev.micro.gap_f1 == pytest.approx(2 / 4)


def test_disagreements_on_low_confidence_labels_are_counted_apart() -> None:
    low = [{"id": "r4", "labels": {"a": True, "b": False}, "confidence": {"a": "low", "b": "low"}}]
    ev = score(RECORDS + low, PREDS + [{"a": F, "b": F}])
    # r3's b (low, reported met) is a gap missed on a low label; r4's a (low, reported missing) a false alarm
    assert ev.on_low_confidence == {"gaps_missed": 1, "false_alarms": 1}
    assert (ev.micro.fp, ev.micro.fn) == (2, 2)
    assert ev.to_dict()["gap"]["on_low_confidence"] == {"gaps_missed": 1, "false_alarms": 1}
    table = render_table(ev, disagreements=False)
    assert "on low-confidence labels: 1 of the 2 gaps missed, 1 of the 2 false alarms" in table
    assert "on low-confidence labels" not in render_table(score(RECORDS[:2], PREDS[:2]))
    assert score(RECORDS + low, PREDS + [{"a": F, "b": F}], high_only=True).on_low_confidence == {
        "gaps_missed": 0, "false_alarms": 0}


def test_verdicts_marked_for_review_are_counted_with_the_gaps_among_them() -> None:
    marked = Prediction(True, ("close reading",), ("R1",), review=True)
    preds = [{"a": marked, "b": F}, {"a": F, "b": marked}, {"a": marked, "b": T}]
    ev = score(RECORDS, preds)
    # r1's a and r2's b are right (addressed); r3's a is a gap reported met, marked
    assert ev.on_review == {"marked": 3, "gaps_missed": 1} and ev.micro.fp == 2
    assert [(d.record, d.element, d.review) for d in ev.disagreements if d.kind == "FP"] == [
        ("r3", "a", True), ("r3", "b", False)]
    table = render_table(ev)
    assert "marked for review: 3 verdicts, 1 of them among the 2 gaps missed" in table
    assert "FP r3 a (marked for review) [R1]: close reading" in table
    assert ev.to_dict()["gap"]["on_review"] == {"marked": 3, "gaps_missed": 1}
    assert "marked for review" not in render_table(score(RECORDS, PREDS))


def test_recall_only_scores_positive_labels() -> None:
    ev = score(RECORDS, PREDS, recall_only=True)
    assert ev.elements["a"].recall == 0.5 and ev.elements["b"].recall == 1.0
    assert ev.micro.recall == pytest.approx(2 / 3)
    assert [d.kind for d in ev.disagreements] == ["FN"]
    assert set(ev.headline) == {"recall", "macro_recall", "min_element"}


def test_thresholds() -> None:
    ev = score(RECORDS, PREDS)
    ev.thresholds = {"min_micro_f1": 0.5, "min_gap_f1": 0.5, "min_element_f1": 0.4}
    assert ev.failures() == ["gap_f1 0.400 is below 0.500"]
    ev.thresholds = {"min_recall": 0.5}
    with pytest.raises(CheckerError, match="only with --recall-only"):
        ev.failures()


def test_per_record_tallies_sum_to_the_pooled_counts() -> None:
    ev = score(RECORDS, PREDS)
    assert ev.tallies == [(1, 0, 0, 1), (1, 0, 1, 0), (0, 2, 0, 0)]  # (tp, fp, fn, tn) of r1, r2, r3
    m = ev.micro
    assert tuple(map(sum, zip(*ev.tallies, strict=True))) == (m.tp, m.fp, m.fn, m.tn)
    assert score(RECORDS, PREDS, high_only=True).tallies[2] == (0, 1, 0, 0)  # r3's low label left out


def test_bootstrap_interval_is_seeded_and_brackets_the_score() -> None:
    records = [{"id": f"r{k}", "labels": {"a": k % 3 != 0, "b": k % 4 == 0}} for k in range(60)]
    preds = [{"a": T if k % 5 else F, "b": T if k % 7 == 0 else F} for k in range(60)]
    ev = score(records, preds)
    ev.bootstrap(400)
    lo, hi = ev.intervals["gap_f1"]
    assert lo < ev.micro.gap_f1 < hi and 0.0 <= lo and hi <= 1.0
    assert set(ev.intervals) == {"micro_f1", "gap_f1"} and ev.resamples == 400
    again = score(records, preds)
    again.bootstrap(400)
    assert again.intervals == ev.intervals  # seeded: the same records give the same interval
    other = score(records, preds)
    other.bootstrap(400, seed=1)
    assert other.intervals != ev.intervals
    # four times the records (each record copied) give a narrower interval around the same score
    big = score(records * 4, preds * 4)
    big.bootstrap(400)
    assert big.micro.gap_f1 == ev.micro.gap_f1
    assert big.intervals["gap_f1"][1] - big.intervals["gap_f1"][0] < hi - lo


def test_bootstrap_of_identical_records_is_the_score_itself() -> None:
    ev = score(RECORDS[:1] * 10, PREDS[:1] * 10)
    ev.bootstrap(50)
    assert ev.intervals == {"micro_f1": (1.0, 1.0), "gap_f1": (1.0, 1.0)}
    recall = score(RECORDS, PREDS, recall_only=True)
    recall.bootstrap(50)
    assert set(recall.intervals) == {"recall"}


def test_label_cells_count_each_label_by_element_value_and_confidence() -> None:
    assert label_cells(RECORDS) == {("a", True, "high"): 2, ("a", False, "high"): 1, ("b", False, "high"): 1,
                                    ("b", True, "high"): 1, ("b", False, "low"): 1}


def test_at_composition_projects_the_error_rates_cell_by_cell() -> None:
    ev = score(RECORDS, PREDS)
    own = label_cells(RECORDS)
    # at its own composition the projection is the score itself
    missed, alarms, gap_f1 = at_composition(ev, own, own)
    assert (missed, alarms) == (ev.micro.fp, ev.micro.fn) and gap_f1 == pytest.approx(ev.micro.gap_f1)
    # a part of only b's high "not addressed" labels, never wrong here, would lose nothing; a's were wrong once in one
    assert at_composition(ev, own, {("b", False, "high"): 4}) == (0.0, 0.0, 1.0)
    missed, alarms, gap_f1 = at_composition(ev, own, {("a", False, "high"): 2, ("b", False, "high"): 2})
    assert (missed, alarms) == (2.0, 0.0) and gap_f1 == pytest.approx(2 * 2 / (2 * 2 + 2))
    # a cell the part does not hold takes the rate of the labels of the same value and confidence
    missed, alarms, _ = at_composition(ev, own, {("c", True, "high"): 3, ("c", False, "low"): 2})
    assert alarms == pytest.approx(3 * 1 / 3) and missed == pytest.approx(2 * 1 / 1)


def test_interval_needs_a_resample() -> None:
    with pytest.raises(ValueError):
        interval([(1, 0, 0, 0)], lambda t: 1.0, 0)
    with pytest.raises(ValueError):
        difference([(1, 0, 0, 0)], [(1, 0, 0, 0)], lambda t: 1.0, 0)
    assert interval([], lambda t: 1.0, 10) == (0.0, 0.0)


def test_difference_of_two_parts() -> None:
    gap_f1 = metric("gap_f1")
    mixed = [(3, 0, 0, 1), (2, 1, 0, 1), (3, 0, 1, 0), (2, 0, 0, 2)] * 10
    lo, hi = difference(mixed, list(reversed(mixed)), gap_f1, 300)
    assert lo < 0.0 < hi  # the same records in another order: no difference either way
    perfect = [(3, 0, 0, 1)] * 40
    lo, hi = difference(perfect, mixed, gap_f1, 300)
    assert 0.0 < lo <= hi < 1.0  # every draw of the perfect part beats every draw of the mixed one


# ---------------------------------------------------------------- end to end, on real wording

GOOD = ("Item 1.05 Material Cybersecurity Incidents\n\n"
        "On June 9, 2025, the Company identified a cybersecurity incident involving unauthorized access to "
        "its information systems. An unauthorized third party accessed a limited dataset containing personal "
        "information of approximately 8.4 million users, including names and email addresses. As of the date "
        "of this filing, the Company believes that the incident has not had, and is not reasonably likely to "
        "have, a material impact on the Company's financial condition or results of operations. The full "
        "scope of the incident has not yet been determined.")
BARE = "Item 1.05 Material Cybersecurity Incidents\n\nA cybersecurity incident occurred at the Company."
ELEMENTS = ("incident_nature", "incident_scope", "incident_timing", "incident_impact", "undetermined_info")


def _write(tmp_path, bare_nature: bool = False) -> tuple[str, str]:
    recs = [
        {"id": "good", "form": "8-K", "item": "1.05", "text": GOOD, "labels": dict.fromkeys(ELEMENTS, True)},
        {"id": "bare", "form": "8-K", "item": "1.05", "text": BARE,
         "labels": {**dict.fromkeys(ELEMENTS, False), "incident_nature": bare_nature},
         "evidence": {"incident_nature": "A cybersecurity incident occurred"}},
    ]
    folder = tmp_path / "labelled"
    folder.mkdir()
    for r in recs:
        (folder / f"{r['id']}.json").write_text(json.dumps(r), encoding="utf-8")
    jsonl = tmp_path / "tagged.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    return str(folder), str(jsonl)


def test_eval_folder_and_jsonl_agree(tmp_path) -> None:
    folder, jsonl = _write(tmp_path)
    a, b = evaluate(folder), evaluate(jsonl)
    assert a.micro.f1 == b.micro.f1 == 1.0 and a.micro.gap_f1 == 1.0
    assert a.micro.tp == 5 and a.micro.tn == 5 and not a.disagreements


def test_eval_cli_table_json_and_thresholds(tmp_path) -> None:
    folder, _ = _write(tmp_path, bare_nature=True)
    run = CliRunner().invoke(cli, ["eval", folder])
    assert run.exit_code == 0
    assert "incident_nature" in run.output and "gap-F1" in run.output
    assert "FN bare incident_nature: A cybersecurity incident occurred" in run.output
    run = CliRunner().invoke(cli, ["eval", folder, "--format", "json", "--min-micro-f1", "0.95"])
    assert run.exit_code == 1
    data = json.loads(run.output)
    assert data["micro"]["f1"] == pytest.approx(10 / 11, abs=1e-4)  # 2*5 / (2*5 + 0 + 1)
    assert data["elements"]["incident_nature"]["fn"] == 1 and data["failures"]
    assert CliRunner().invoke(cli, ["eval", folder, "--min-micro-f1", "0.9"]).exit_code == 0


def test_eval_cli_bootstrap(tmp_path) -> None:
    folder, _ = _write(tmp_path, bare_nature=True)
    run = CliRunner().invoke(cli, ["eval", folder, "--bootstrap", "200", "--no-disagreements"])
    assert run.exit_code == 0, run.output
    assert "95% interval over 200 resamples of the 2 records: micro-f1 " in run.output
    assert "95% interval" not in CliRunner().invoke(cli, ["eval", folder]).output
    data = json.loads(CliRunner().invoke(cli, ["eval", folder, "--bootstrap", "200", "--format", "json"]).output)
    assert data["intervals"]["resamples"] == 200 and data["intervals"]["level"] == 0.95
    lo, hi = data["intervals"]["micro_f1"]
    assert lo <= data["micro"]["f1"] <= hi
    run = CliRunner().invoke(cli, ["eval", folder, "--combinations", "--bootstrap", "200"])
    assert run.exit_code == 2 and "--bootstrap" in run.output


def test_eval_recall_only_on_jsonl(tmp_path) -> None:
    _, jsonl = _write(tmp_path)
    args = ["eval", jsonl, "--recall-only", "--format", "json", "--min-recall", "0.95"]
    run = CliRunner().invoke(cli, args)
    assert run.exit_code == 0 and json.loads(run.output)["micro"]["recall"] == 1.0


def test_bad_corpus_is_a_user_error(tmp_path) -> None:
    with pytest.raises(CheckerError, match="no such file"):
        load_records(str(tmp_path / "nope"))
    (tmp_path / "x.json").write_text('{"text": "t"}', encoding="utf-8")
    with pytest.raises(CheckerError, match="no labelled records"):
        load_records(str(tmp_path))
    (tmp_path / "y.jsonl").write_text('{"labels": {"a": true}}\nnot json\n', encoding="utf-8")
    with pytest.raises(CheckerError, match="invalid JSON") as exc:
        load_records(str(tmp_path / "y.jsonl"))
    assert exc.value.line == 2


# ---------------------------------------------------------------- the accuracy targets (issue 3)


@pytest.mark.accuracy
def test_accuracy_targets_on_the_labelled_corpus() -> None:
    # measured (wave 4: combine learned, material_effect both, the model kept off sentences its element's
    # rule vetoes and off sentences that do not name the element's actor, `require:`): micro-F1 0.988,
    # gap-F1 0.923 (0.886 before `require:`; 0.920 in wave 5, board_committee's actor a committee or the
    # board's own oversight; 0.927 at the ninth stop of wave 5, 0.937 at the tenth). Below the 0.95 of
    # combine: both, because labelled/ is where the rules were tuned: their verdicts there are in-sample and
    # any model that may overrule them adds gaps missed; on the blind third of labelled-2 this choice scores 0.863 against both's 0.806 and the
    # rules' 0.808 (docs/learned.md). Fifteenth stop of wave 5: 0.950 (151 of 165 gaps found, 2 false alarms);
    # sixteenth: 0.953 (152 of 165, 2).
    corpus = shared_path("corpus", "labelled")
    ev = evaluate(str(corpus))
    assert ev.records >= 100
    assert ev.micro.gap_f1 >= 0.95, ev.micro.gap_f1
    assert ev.micro.f1 >= 0.985, ev.micro.f1


@pytest.mark.accuracy
def test_every_element_f1_on_high_confidence_labels() -> None:
    # Low-confidence labels are left out of the per-element target, as the issue allows (measured min 0.970).
    ev = evaluate(str(shared_path("corpus", "labelled")), high_only=True)
    low = {el: round(c.f1, 3) for el, c in ev.elements.items() if c.f1 < 0.95}
    assert not low, low


@pytest.mark.accuracy
def test_accuracy_on_the_second_labelled_corpus() -> None:
    # labelled-2: 180 sections labelled after the rules were written (a third of them never tuned on).
    # measured (wave 4, the shipped pack): micro-F1 0.984, gap-F1 0.897, lowest element F1 0.961; wave 5:
    # micro-F1 0.984, gap-F1 0.903 (269 of 310 gaps found, 17 false alarms), lowest element F1 0.961; ninth
    # stop of wave 5: gap-F1 0.902 (271 of 310 gaps found, 20 false alarms), lowest element F1 0.963
    ev = evaluate(str(shared_path("corpus", "labelled-2")))
    assert ev.records >= 180
    assert ev.micro.f1 >= 0.98, ev.micro.f1
    assert ev.micro.gap_f1 >= 0.90, ev.micro.gap_f1
    low = {el: round(c.f1, 3) for el, c in ev.elements.items() if c.f1 < 0.90}
    assert not low, low


def test_ids_and_exclude_ids_narrow_the_scored_records(tmp_path):
    from checker.evaluate import evaluate, read_ids

    for rid in ("a", "b", "c"):
        rec = {"id": rid, "form": "10-K", "item": "1C", "labels": {"board_oversight": True},
               "text": "Our Board of Directors oversees cybersecurity risk."}
        (tmp_path / f"{rid}.json").write_text(json.dumps(rec))
    ids = tmp_path / "ids.txt"
    ids.write_text("# split\na\n\nc\n")
    assert read_ids(str(ids)) == {"a", "c"}
    assert evaluate(str(tmp_path), ids={"a", "c"}).records == 2
    assert evaluate(str(tmp_path), exclude={"a", "c"}).records == 1
    assert evaluate([str(tmp_path), str(tmp_path)], exclude={"b"}).records == 4


# ---------------------------------------------------------------- the helper-labelled fresh sets (bench/)


def _helper_labelled():
    path = Path(__file__).resolve().parent.parent / "bench" / "helper_labelled.py"
    spec = importlib.util.spec_from_file_location("helper_labelled", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.accuracy
def test_accuracy_on_the_helper_labelled_fresh_sets() -> None:
    # 180 fresh sections (sets a and b of bench/helper_labelled.py, labelled by helpers from LABELING.md):
    # measured at the thirtieth stop of wave 5, set a gap-F1 0.833, set b 0.843 (0.943 on the helpers'
    # high-confidence labels of each); the floor guards the checker's level on filings no rule was fitted to
    shared_path("corpus", "filer-tagged-fy2024.jsonl")  # skips without ../shared
    bench = _helper_labelled()
    fresh = bench.records("fresh", {"a", "b"})
    assert len(fresh) == 180
    predictions = predict(fresh, jobs=2)
    ev = score(fresh, predictions)
    assert ev.micro.f1 >= 0.96, ev.micro.f1
    assert ev.micro.gap_f1 >= 0.80, ev.micro.gap_f1
    sure = score(fresh, predictions, high_only=True)
    assert sure.micro.gap_f1 >= 0.92, sure.micro.gap_f1
    # the helpers agree with the labeller on the calibration records they were given unmarked
    calibration = bench.records("calibration", {"a", "b"})
    agree = sum(r["labels"][el] == r["labeller"][el] for r in calibration for el in r["labels"])
    assert agree / sum(len(r["labels"]) for r in calibration) >= 0.97
