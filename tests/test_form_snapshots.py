"""Snapshots of the text and JSON reports on real samples of each non-10-K form (auto-detected packs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_samples import ROOT, VERSION, JsonSnapshot, TextSnapshot, in_root, steady

from checker import ingest
from checker.report import render

FORMS = Path(__file__).resolve().parent / "fixtures" / "forms"
# Real filings: CareCloud's Item 1.05 8-K (2026-03-27) and Cloopen's 20-F Item 16K (the seed record).
SAMPLES = {"ccld-2026-8k-105.json": "form-8k-105", "raasy-2025-20f-16k.json": "form-20f-16k"}


def _reports(checker, name: str):
    with in_root():
        return [checker.check_document(d) for d in ingest.load(str((FORMS / name).relative_to(ROOT)))]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_auto_detection_picks_the_form_pack(checker, name) -> None:
    (report,) = _reports(checker, name)
    assert report.pack_id == SAMPLES[name]
    assert report.pack_reason.startswith("form ")


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_snapshot_json(checker, snapshot, name) -> None:
    text = render(_reports(checker, name), "json", version=VERSION)
    json.loads(text)
    assert steady(text) == snapshot.use_extension(JsonSnapshot)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_snapshot_text(checker, snapshot, name) -> None:
    text = render(_reports(checker, name), "text", colour=False, version=VERSION)
    assert text == snapshot.use_extension(TextSnapshot)


def test_8k_sample_carries_the_deadline_finding(checker) -> None:
    (report,) = _reports(checker, "ccld-2026-8k-105.json")
    deadline = [r for r in report.results if r.rule == "8K-GI-B1-DEADLINE"]
    # Determined Tue 2026-03-24 -> due Mon 2026-03-30; filed Fri 2026-03-27.
    assert [(r.status, "due 2026-03-30" in r.title) for r in deadline] == [("met", True)]


def test_a_met_finding_that_quotes_nothing_says_what_was_checked(checker) -> None:
    """The 8-K's trigger rule is a fail_if alone and the deadline a check on dates: each says what was checked,
    in every report that lists met findings; the deadline quotes the sentence whose date it counts from, and
    its count is said beside the quote."""
    (report,) = _reports(checker, "ccld-2026-8k-105.json")
    by_rule = {r.rule: r for r in report.results}
    trigger, deadline = by_rule["F8K-105-TRIGGER"], by_rule["8K-GI-B1-DEADLINE"]
    assert trigger.status == deadline.status == "met" and not trigger.evidence
    assert [e.text for e in deadline.evidence] == [
        next(s for s in report.document.text.split(". ") if "March 24" in s and "determined" in s) + "."]
    assert trigger.basis == checker.pack("form-8k-105").rule("F8K-105-TRIGGER").met_message
    assert trigger.basis.startswith("No sentence says the incident is not, or not yet, determined")
    assert deadline.basis == ("Filed 2026-03-27, on or before 2026-03-30: four business days after the "
                              "materiality determination of 2026-03-24.")
    quoted = [r for r in report.results if r.evidence]
    assert quoted and not any(r.basis for r in quoted if r is not deadline)  # a rule's quote needs no basis
    data = json.loads(render([report], "json", version=VERSION))
    rows = {r["rule"]: r for r in data["results"]}
    assert rows["F8K-105-TRIGGER"]["basis"] == trigger.basis and "basis" not in rows["F8K-105A-NATURE"]
    text = " ".join(render([report], "text", colour=False, version=VERSION).split())
    assert trigger.basis in text and deadline.basis in text
    assert trigger.basis in render([report], "markdown", version=VERSION)
    html = render([report], "html", version=VERSION, generated="2026-12-04T00:00:00Z")
    assert '<p class="basis">No sentence says the incident is not, or not yet, determined' in html
    assert f'<p class="basis">{deadline.basis}' in html


def test_every_shipped_rule_that_can_be_met_without_a_quote_has_a_met_message(checker) -> None:
    for pack_id in sorted(checker.available()):
        for rule in checker.pack(pack_id).rules:
            if rule.match is None and not rule.parts:
                assert rule.met_message, (pack_id, rule.id)


def test_samples_folder_matches_fixtures() -> None:
    for name in SAMPLES:
        assert (ROOT / "samples" / name).read_bytes() == (FORMS / name).read_bytes()
