"""JUnit XML: parses, one suite per document, one case per element, a failure per open gap."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from report_samples import (
    GENERATED,
    REVIEW_SAMPLE,
    SAMPLES,
    TEST_PACK,
    VERSION,
    XmlSnapshot,
    hostile_report,
    sample_reports,
)

from checker.report import render


@pytest.mark.parametrize("name", [*SAMPLES, REVIEW_SAMPLE])
def test_snapshot_real_sample(checker, snapshot, name):
    xml = render(sample_reports(checker, name), "junit", version=VERSION, generated=GENERATED)
    assert xml == snapshot.use_extension(XmlSnapshot)


def test_structure_and_counts(checker):
    reports = sample_reports(checker, pack=TEST_PACK)
    root = ET.fromstring(render(reports, "junit", version=VERSION))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [r.document.source for r in reports]
    for suite, report in zip(suites, reports, strict=True):
        cases = suite.findall("testcase")
        assert [c.get("name").split()[0] for c in cases] == [r.rule for r in report.results]
        gaps = {r.rule for r in report.results if r.is_gap}
        failed = {c.get("name").split()[0] for c in cases if c.find("failure") is not None}
        skipped = {c.get("name").split()[0] for c in cases if c.find("skipped") is not None}
        assert failed == gaps
        assert skipped == {r.rule for r in report.results if r.status == "not_applicable"}
        assert int(suite.get("failures")) == len(gaps)
        assert int(suite.get("tests")) == len(report.results)
        props = {p.get("name"): p.get("value") for p in suite.iter("property")}
        assert props["pack"] == "report-test" and props["sha256"] == report.document.sha256
    assert int(root.get("tests")) == sum(len(r.results) for r in reports)


def test_failure_carries_message_citation_and_guidance(checker):
    (report,) = sample_reports(checker, SAMPLES[1], pack=TEST_PACK)
    root = ET.fromstring(render([report], "junit"))
    partial = next(r for r in report.results if r.status == "partial")
    case = next(c for c in root.iter("testcase") if c.get("name").startswith(partial.rule + " "))
    failure = case.find("failure")
    assert failure.get("type") == f"partial-{partial.severity}"
    assert partial.message in failure.get("message")
    assert f"Citation: {partial.citation}" in failure.text
    assert f"Missing: {', '.join(partial.missing_parts)}" in failure.text
    assert f"Guidance: {partial.guidance}" in failure.text


def test_waived_gap_is_skipped_not_failed(checker):
    (report,) = sample_reports(checker, SAMPLES[1], pack=TEST_PACK)
    gap = next(r for r in report.results if r.status == "missing")
    gap.waived = {"justification": "accepted", "approved_by": "reviewer"}
    root = ET.fromstring(render([report], "junit"))
    case = next(c for c in root.iter("testcase") if c.get("name").startswith(gap.rule + " "))
    assert case.find("failure") is None
    assert "accepted" in case.find("skipped").get("message")


def test_hostile_text_round_trips_as_text(checker):
    report = hostile_report(checker)
    root = ET.fromstring(render([report], "junit"))  # a stray control character would make this raise
    assert root.find("testsuite").get("name") == report.document.source
    out = next(c for c in root.iter("testcase") if c.get("name").startswith("T-BOARD ")).find("system-out")
    assert "<script>alert(1)</script> {{ 7*7 }} </td><td>x" in out.text
    issuer = next(p for p in root.iter("property") if p.get("name") == "issuer")
    assert issuer.get("value") == "<b>Evil</b> & Co {{ config }}"
    assert not list(root.iter("script"))
