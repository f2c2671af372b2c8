"""Shared fixtures: paths to the repository, its rules, samples and the shared corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from checker import Checker

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"

# Hypothesis profiles: "ci" (the default) is sized to keep the property tests near a minute on 2 cores;
# "dev" tries many more examples when hunting a bug (HYPOTHESIS_PROFILE=dev).
settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def checker() -> Checker:
    return Checker()


def shared_path(*parts: str) -> Path:
    """A path under ../shared/, skipping the test when it is absent (CI has it beside the clone)."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} not available")
    return p
