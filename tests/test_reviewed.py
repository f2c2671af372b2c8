"""Every snapshot input's statuses against a reviewed expectation, kept apart from the snapshot bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from checker.evaluate import predictions_of

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REVIEWED = yaml.safe_load((HERE / "expectations" / "reviewed.yaml").read_text(encoding="utf-8"))


def _cases() -> list:
    cases = []
    for name, spec in REVIEWED.items():
        wrong = spec.get("known_wrong") or {}
        for element, addressed in spec["addressed"].items():
            marks = [pytest.mark.xfail(strict=True, reason=wrong[element])] if element in wrong else []
            cases.append(pytest.param(name, element, addressed, id=f"{Path(name).name}-{element}", marks=marks))
    return cases


def _evidence_cases() -> list:
    cases = []
    for name, spec in REVIEWED.items():
        wrong = spec.get("known_wrong") or {}
        for element, phrases in (spec.get("never_evidence") or {}).items():
            key = f"{element}/evidence"
            marks = [pytest.mark.xfail(strict=True, reason=wrong[key])] if key in wrong else []
            cases.append(pytest.param(name, element, phrases, id=f"{Path(name).name}-{key}", marks=marks))
    return cases


@pytest.fixture(scope="module")
def predictions(checker) -> dict:
    out = {}
    for name in REVIEWED:
        (report,) = checker.check_path(str(ROOT / name))
        out[name] = predictions_of(report)
    return out


def test_every_snapshot_input_is_reviewed() -> None:
    snapshot_inputs = {p.relative_to(ROOT).as_posix() for folder in ("cli", "forms", "reports")
                       for p in (HERE / "fixtures" / folder).iterdir() if p.suffix in (".json", ".md")}
    assert snapshot_inputs == set(REVIEWED)


def test_known_wrong_entries_name_reviewed_elements() -> None:
    for name, spec in REVIEWED.items():
        for key in spec.get("known_wrong") or {}:
            assert key.split("/")[0] in spec["addressed"], (name, key)


@pytest.mark.parametrize("name, element, addressed", _cases())
def test_status_matches_the_reviewed_expectation(predictions, name, element, addressed) -> None:
    assert predictions[name][element].addressed is addressed


@pytest.mark.parametrize("name, element, phrases", _evidence_cases())
def test_evidence_never_quotes_what_was_reviewed_as_wrong(predictions, name, element, phrases) -> None:
    quoted = " | ".join(predictions[name][element].evidence)
    assert not [p for p in phrases if p in quoted], quoted
