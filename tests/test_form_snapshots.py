"""Snapshots of the text and JSON reports on real samples of each non-10-K form (auto-detected packs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_samples import ROOT, VERSION, JsonSnapshot, TextSnapshot, in_root

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
    assert text == snapshot.use_extension(JsonSnapshot)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_snapshot_text(checker, snapshot, name) -> None:
    text = render(_reports(checker, name), "text", colour=False, version=VERSION)
    assert text == snapshot.use_extension(TextSnapshot)


def test_8k_sample_carries_the_deadline_finding(checker) -> None:
    (report,) = _reports(checker, "ccld-2026-8k-105.json")
    deadline = [r for r in report.results if r.rule == "8K-GI-B1-DEADLINE"]
    # Determined Tue 2026-03-24 -> due Mon 2026-03-30; filed Fri 2026-03-27.
    assert [(r.status, "due 2026-03-30" in r.title) for r in deadline] == [("met", True)]


def test_samples_folder_matches_fixtures() -> None:
    for name in SAMPLES:
        assert (ROOT / "samples" / name).read_bytes() == (FORMS / name).read_bytes()
