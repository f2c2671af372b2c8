"""GitLab Code Quality output: one issue per open gap at the section's heading, one per met finding marked for
review at its sentence, stable fingerprints, and the check command's wiring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run_main
from report_samples import (
    REVIEW_SAMPLE,
    SAMPLES,
    TEST_PACK,
    VERSION,
    JsonSnapshot,
    hostile_report,
    sample_reports,
)

from checker.report import render

ROOT = Path(__file__).resolve().parent.parent

SEVERITIES = {"info", "minor", "major", "critical", "blocker"}  # the values GitLab reads


@pytest.mark.parametrize("name", [*SAMPLES, REVIEW_SAMPLE])
def test_snapshot_real_sample(checker, snapshot, name):
    text = render(sample_reports(checker, name), "codequality", version=VERSION)
    assert text == snapshot.use_extension(JsonSnapshot)


def test_one_issue_per_open_gap_and_per_review_mark_in_gitlabs_shape(checker):
    reports = sample_reports(checker, *SAMPLES, REVIEW_SAMPLE)
    issues = json.loads(render(reports, "codequality"))
    gaps = [(rep, r) for rep in reports for r in rep.results if r.waived is None and (r.is_gap or r.error)]
    marks = [(rep, r) for rep in reports for r in rep.results
             if r.review and r.evidence and not (r.is_gap or r.error)]
    assert gaps and marks and len(issues) == len(gaps) + len(marks)
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= issue.keys()
        assert issue["severity"] in SEVERITIES and issue["location"]["lines"]["begin"] >= 1
        assert issue["description"].startswith(issue["check_name"] + ": ")
    assert len({i["fingerprint"] for i in issues}) == len(issues)  # GitLab dedupes issues by fingerprint
    by_rule = {(i["location"]["path"], i["check_name"]): i for i in issues}
    for report, r in gaps:
        issue = by_rule[(report.document.source, r.rule)]
        assert issue["location"]["lines"]["begin"] == report.section_location.line  # the section's heading
        assert issue["severity"] == {"error": "critical", "warning": "major", "info": "info"}[r.severity]
    for report, r in marks:
        issue = by_rule[(report.document.source, r.rule)]
        assert issue["severity"] == "minor" and "reading to check" in issue["description"]
        assert issue["location"]["lines"]["begin"] == r.evidence[0].location.line  # at its sentence


def test_fingerprints_stay_when_the_draft_moves_down_and_waived_gaps_are_left_out(checker):
    (report,) = sample_reports(checker, SAMPLES[1], pack=TEST_PACK)
    before = json.loads(render([report], "codequality"))
    assert before
    gap = next(r for r in report.results if r.is_gap)
    gap.waived = {"justification": "accepted", "approved_by": "reviewer"}
    after = json.loads(render([report], "codequality"))
    assert len(after) == len(before) - 1 and gap.rule not in {i["check_name"] for i in after}
    assert {i["fingerprint"] for i in after} < {i["fingerprint"] for i in before}


def test_hostile_input_stays_json_text(checker):
    issues = json.loads(render([hostile_report(checker)], "codequality"))
    assert issues and all(i["location"]["path"] == 'drafts/<evil>&"quote".md' for i in issues)


def test_check_writes_it_beside_other_formats(capsys, tmp_path):
    out = tmp_path / "gl-code-quality-report.json"
    code, _, err = run_main(capsys, "check", "samples/draft-10k-1c-deficient.md", "--no-examples",
                            "-f", "codequality", "-o", str(out), "-f", "text", "-o", str(tmp_path / "r.txt"))
    assert code == 1, err  # the gate is the same whatever is written
    issues = json.loads(out.read_text(encoding="utf-8"))
    assert len(issues) == 7 and {i["location"]["path"] for i in issues} == {"samples/draft-10k-1c-deficient.md"}


def test_an_absolute_path_inside_the_project_is_named_from_it(capsys, tmp_path, monkeypatch):
    # GitLab links an issue to a file by its path in the repository; a job may pass $CI_PROJECT_DIR/...
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "10k.md").write_bytes((ROOT / "samples" / "draft-10k-1c-deficient.md").read_bytes())
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(capsys, "check", str(drafts / "10k.md"), "--no-examples", "-f", "codequality")
    assert code == 1, err
    assert {i["location"]["path"] for i in json.loads(out)} == {"drafts/10k.md"}
    elsewhere = tmp_path / "elsewhere"  # run from a folder the draft is not in: its path is left as given
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, out, _ = run_main(capsys, "check", str(drafts / "10k.md"), "--no-examples", "-f", "codequality")
    assert {i["location"]["path"] for i in json.loads(out)} == {(drafts / "10k.md").as_posix()}
