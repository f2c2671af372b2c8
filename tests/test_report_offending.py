"""A gap that rests on a sentence (a fail_if rule's, an incident determined material but reported under another
item) is shown at that sentence in every report that places findings; other gaps stay at the heading."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import check_file

from checker.report import codequality_out, comments, github_out, render

DRAFT = ("Item 1.05 Material Cybersecurity Incidents\n"
         "\n"
         "On May 1, 2026, the Company detected ransomware that encrypted its billing systems.\n"
         "\n"
         "The Company has not yet determined that the incident is material to the Company.\n")
LINE = 5  # the sentence that contradicts the filing under Item 1.05


def _report(checker, tmp_path: Path):
    path = tmp_path / "draft-8k.md"
    path.write_text(DRAFT, encoding="utf-8")
    report = check_file(checker, path, "form-8k-105")
    trigger = next(r for r in report.results if r.rule == "F8K-105-TRIGGER")
    assert trigger.status == "missing" and trigger.evidence[0].line == LINE
    return report


def test_github_and_gitlab_show_it_at_the_sentence(checker, tmp_path) -> None:
    report = _report(checker, tmp_path)
    lines = {line.split("title=")[1].split("%3A")[0]: line for line in github_out.annotations([report])}
    assert f"line={LINE},col=1," in lines["F8K-105-TRIGGER"]
    assert "line=1,col=1," in lines["F8K-105A-IMPACT"]  # a gap of what is missing: at the heading
    issues = {i["check_name"]: i for i in codequality_out.issues([report])}
    assert issues["F8K-105-TRIGGER"]["location"]["lines"]["begin"] == LINE
    assert issues["F8K-105A-IMPACT"]["location"]["lines"]["begin"] == 1


def test_sarif_points_at_the_sentence(checker, tmp_path) -> None:
    report = _report(checker, tmp_path)
    results = {r["ruleId"]: r for r in json.loads(render([report], "sarif"))["runs"][0]["results"]}
    region = results["F8K-105-TRIGGER"]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == LINE and region["snippet"]["text"].startswith("The Company has not yet")
    assert results["F8K-105A-IMPACT"]["locations"][0]["physicalLocation"]["region"]["startLine"] == 1


def test_a_word_comment_on_the_sentence(checker, tmp_path) -> None:
    report = _report(checker, tmp_path)
    said = {c.lines[0]: c for c in comments.comments_of([report])}
    trigger = next(c for title, c in said.items() if "(F8K-105-TRIGGER)" in title)
    impact = next(c for title, c in said.items() if "(F8K-105A-IMPACT)" in title)
    assert trigger.paragraph == LINE and trigger.quote.startswith("The Company has not yet determined")
    assert impact.paragraph == 1 and impact.quote == ""  # a gap of what is missing: at the heading


def test_markdown_quotes_the_sentence_a_gap_rests_on(checker, tmp_path) -> None:
    report = _report(checker, tmp_path)
    rows = {line.split("`")[1]: line for line in render([report], "markdown").splitlines() if line.count("`") >= 2}
    assert (f"It rests on line {LINE}, col 1: “The Company has not yet determined that the incident is material to "
            "the Company.”") in rows["F8K-105-TRIGGER"]
    assert "It rests on" not in rows["F8K-105A-IMPACT"]  # a gap of what is missing quotes nothing
