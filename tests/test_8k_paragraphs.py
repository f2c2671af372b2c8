"""Hand-written Item 1.05 paragraphs in many filers' styles get the statuses a reviewing lawyer gives them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from checker.model import Document

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "8k" / "paragraphs.yaml").read_text("utf-8"))
CASES += yaml.safe_load((Path(__file__).parent / "fixtures" / "8k" / "paragraphs-2.yaml").read_text("utf-8"))
RULES = {"nature": "F8K-105A-NATURE", "scope": "F8K-105A-SCOPE", "timing": "F8K-105A-TIMING",
         "impact": "F8K-105A-IMPACT", "undetermined": "F8K-105-I2-UNDETERMINED", "trigger": "F8K-105-TRIGGER"}


def statuses(checker, text: str) -> dict[str, str]:
    report = checker.check_document(Document(text=text, form="8-K", item="1.05"), "form-8k-105")
    by_rule = {r.rule: r.status for r in report.results}
    return {name: by_rule[rule] for name, rule in RULES.items()}


def test_the_cases_cover_every_element_both_ways():
    for name in RULES:
        seen = {case["expect"][name] for case in CASES}
        assert "met" in seen and "missing" in seen, name
    assert len(CASES) >= 12


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_paragraph_statuses(checker, case):
    assert statuses(checker, case["text"]) == case["expect"]
