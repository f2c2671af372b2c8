"""The shared types as a notebook shows them: a report, a result and a document in a line, a report as a
small table in a cell."""

from __future__ import annotations

import json
from pathlib import Path

import checker

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "abbv-2024-10k-1c.json"


def _report() -> checker.Report:
    return checker.check(SAMPLE, examples=False)


def test_a_report_shown_in_a_notebook_cell_is_one_line_not_the_whole_section() -> None:
    report = _report()
    shown = repr(report)
    assert "\n" not in shown and len(shown) < 300
    assert report.pack_id in shown and report.document.source in shown
    assert "coverage" in shown and f"{report.summary()['met']} met" in shown
    assert report.document.text[:200] not in shown


def test_a_result_and_a_document_are_one_short_line_each() -> None:
    report = _report()
    met = next(r for r in report.results if r.evidence)
    shown = repr(met)
    assert "\n" not in shown and len(shown) < 300
    assert met.rule in shown and met.status in shown and met.guidance not in shown
    doc = repr(report.document)
    assert "\n" not in doc and len(doc) < 300 and report.document.text[:100] not in doc
    assert f"{len(report.document.text):,} characters" in doc


def test_a_report_in_a_notebook_cell_is_a_small_table_of_its_findings_with_the_input_escaped() -> None:
    record = json.loads(SAMPLE.read_text(encoding="utf-8"))
    record["document"]["issuer_name"] = "<script>alert(1)</script> & Co"
    record["body_markdown"] = "<b>Our board</b> oversees cybersecurity risk. " + record["body_markdown"]
    report = checker.check(json.dumps(record).encode(), source="x.json", examples=False)
    html = report._repr_html_()
    assert "<script>" not in html and "<b>Our board" not in html
    assert "&lt;script&gt;" in html and "&amp; Co" in html
    assert html.count("<tr") == len(report.results) + 1  # a header, then a row a finding
    for r in report.results:
        assert r.rule in html
    assert len(html) < 40_000  # quotes cut short: not the 10-page workpaper


def test_a_report_whose_rules_did_not_finish_does_not_show_them_as_missing() -> None:
    report = _report()
    for r in report.results[1:]:
        r.status, r.error = "missing", "vocabulary 'board' exceeded the 2s match time limit"
    shown = repr(report)
    assert f"{len(report.results) - 1} did not finish" in shown and "missing" not in shown
