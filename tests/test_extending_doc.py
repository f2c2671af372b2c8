"""docs/extending.md as a contributor reads it: its pack runs as written."""

from __future__ import annotations

import re
from pathlib import Path

from checker.examples import run_examples
from checker.packs import load_pack

DOC = (Path(__file__).resolve().parent.parent / "docs" / "extending.md").read_text(encoding="utf-8")


def test_the_vocabulary_shown_instead_of_a_condition_type_passes_its_examples(tmp_path):
    (block,) = re.findall(r"^```yaml\n(.*?)^```", DOC, re.MULTILINE | re.DOTALL)
    path = tmp_path / "house-meetings.yaml"
    path.write_text(block, encoding="utf-8")
    outcome = run_examples(load_pack(path))
    assert outcome.problems == [] and outcome.passed > 2
