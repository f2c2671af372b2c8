"""Same findings: every labelled record's statuses and evidence spans match the committed golden file."""

from __future__ import annotations

import pytest

from checker import prefilter
from tests.golden_findings import GOLDEN, SHARED, lines


@pytest.mark.skipif(not (SHARED / "labelled").is_dir(), reason="needs ../shared/corpus")
@pytest.mark.parametrize("path", ["prefilter", "pure regex"])
def test_findings_match_the_golden_file(path, monkeypatch):
    if path == "prefilter" and not prefilter.available():
        pytest.skip("hyperscan not installed")
    if path == "pure regex":
        monkeypatch.setattr(prefilter, "hyperscan", None)  # every vocabulary scanned whole
    want = GOLDEN.read_text(encoding="utf-8").splitlines()
    got = lines()
    assert len(got) == len(want)
    diff = [f"- {w}\n+ {g}" for w, g in zip(want, got, strict=True) if w != g]
    assert not diff, f"{len(diff)} records differ (regenerate with python tests/golden_findings.py --write " \
                     "only for a deliberate rule change):\n" + "\n".join(diff[:3])
