"""GitHub Actions output: workflow-command annotations, the job summary, and the check command's wiring."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from report_samples import (
    REVIEW_SAMPLE,
    SAMPLES,
    TEST_PACK,
    VERSION,
    TextSnapshot,
    hostile_report,
    in_root,
    sample_reports,
)

from checker.cli import cli
from checker.output import commit
from checker.report import render
from checker.report.github_out import step_summary

ANNOTATION = re.compile(r"^::(error|warning|notice) file=([^,]+),line=(\d+),title=([^:]+)::(.+)$")


@pytest.mark.parametrize("name", [*SAMPLES, REVIEW_SAMPLE])
def test_snapshot_real_sample(checker, snapshot, name):
    text = render(sample_reports(checker, name), "github", version=VERSION)
    assert text == snapshot.use_extension(TextSnapshot)


def test_one_annotation_per_open_gap_with_file_line_and_level(checker):
    (report,) = sample_reports(checker, SAMPLES[1], pack=TEST_PACK)
    lines = [ln for ln in render([report], "github").splitlines() if ln.startswith("::")]
    gaps = [r for r in report.results if r.is_gap]
    assert len(lines) == len(gaps)
    commands = {"error": "error", "warning": "warning", "info": "notice"}
    seen = {}
    for line in lines:
        m = ANNOTATION.match(line)
        assert m, line
        level, file, line_no, title, _message = m.groups()
        # the record's text, one JSON string, is on line 11 of the file: where a reviewer opens it
        assert file == "tests/fixtures/reports/unite-2024-10k-1c.json" and line_no == "11"
        seen[title.split("%3A")[0]] = level
    assert seen == {r.rule: commands[r.severity] for r in gaps}


def test_waived_gaps_are_not_annotated(checker):
    (report,) = sample_reports(checker, SAMPLES[1], pack=TEST_PACK)
    for r in report.results:
        if r.is_gap:
            r.waived = {"justification": "ok", "approved_by": "me"}
    assert not [ln for ln in render([report], "github").splitlines() if ln.startswith("::")]


def test_values_are_escaped_for_workflow_commands(checker):
    report = hostile_report(checker)
    report.document.source = "drafts/a,b:c%.md"
    lines = [ln for ln in render([report], "github").splitlines() if ln.startswith("::")]
    assert lines
    for line in lines:
        assert line.split(" ", 1)[1].startswith("file=drafts/a%2Cb%3Ac%25.md,line=1,col=1,title=")
        assert "\n" not in line and "%0AGuidance: " in line


def test_step_summary_is_appended_when_the_runner_asks(checker, tmp_path):
    reports = sample_reports(checker, SAMPLES[1])
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    outputs = step_summary(reports, {"GITHUB_STEP_SUMMARY": str(summary)}, version=VERSION)
    assert outputs
    commit(outputs)  # as the CLI writes it, with the run's other outputs: the renderer writes no file
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n") and text.endswith(render(reports, "markdown", version=VERSION))
    assert not step_summary(reports, {})


def test_cli_github_format_writes_the_job_summary(tmp_path):
    summary = tmp_path / "summary.md"
    with in_root():
        args = ["check", "tests/fixtures/reports/unite-2024-10k-1c.json", "--pack", str(TEST_PACK),
                "--format", "github", "--fail-on", "never"]
        result = CliRunner().invoke(cli, args, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 0, result.output
    assert result.output.startswith("::error file=tests/fixtures/reports/unite-2024-10k-1c.json,line=11,")
    assert "## cydcheck: UNITE ACQUISITION 2 CORP." in summary.read_text(encoding="utf-8")


def test_cli_writes_several_formats_and_an_html_folder(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    with in_root():
        result = CliRunner().invoke(cli, [
            "check", *[f"tests/fixtures/reports/{n}" for n in SAMPLES], "--pack", str(TEST_PACK),
            "--format", "sarif", "--output", str(tmp_path / "r.sarif"),
            "--format", "junit", "--output", str(tmp_path / "r.xml"),
            "--format", "markdown", "--output", str(tmp_path / "r.md"),
            "--format", "html", "--output", str(out),
            "--format", "html", "--output", str(tmp_path / "all.html"),
            "--fail-on", "never"], env={"SOURCE_DATE_EPOCH": "1714564800"})
    assert result.exit_code == 0, result.output
    assert ET.parse(tmp_path / "r.xml").getroot().get("tests") == "10"
    assert (tmp_path / "r.md").read_text(encoding="utf-8").count("## cydcheck: ") == 2
    assert sorted(p.name for p in out.iterdir()) == ["001-gd-2023-10k-1c.html",
                                                     "002-unite-2024-10k-1c.html", "index.html"]
    assert "2024-05-01T12:00:00Z" in (tmp_path / "all.html").read_text(encoding="utf-8")
    assert "2024-05-01T12:00:00Z" in (out / "index.html").read_text(encoding="utf-8")
