"""Shared fixtures: paths to the repository, its rules, samples and the shared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker import Checker

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def checker() -> Checker:
    return Checker()


def shared_path(*parts: str) -> Path:
    """A path under ../shared/, skipping the test when it is absent (CI has it beside the clone)."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} not available")
    return p
