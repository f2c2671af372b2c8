"""Shared fixtures: paths to the repository, its rules, samples and the shared corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from checker import Checker, ingest
from checker.model import Document, Report, Section
from checker.packs import Pack, load_pack

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"

# Hypothesis profiles: "ci" (the default) is sized to keep the property tests near a minute on 2 cores;
# "dev" tries many more examples when hunting a bug (HYPOTHESIS_PROFILE=dev).
settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# What the caller's environment says about the terminal and the run changes what the reports print:
# pytest-xdist's workers set COLUMNS=80 (so a long temporary path wrapped a line under -n 2 and not under
# -n 0), and a CI runner may set NO_COLOR, FORCE_COLOR, GITHUB_STEP_SUMMARY or SOURCE_DATE_EPOCH. Each test
# starts without them; one that needs a value sets it with monkeypatch.
_OUTPUT_ENVIRONMENT = ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "GITHUB_STEP_SUMMARY",
                       "SOURCE_DATE_EPOCH", "CYDCHECK_RULES_DIR", "CYDCHECK_TEMPLATES_DIR")


@pytest.fixture(autouse=True)
def _hermetic_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _OUTPUT_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def checker() -> Checker:
    return Checker()


def whole_section(text: str, form: str | None = "10-K", item: str | None = "1C", source: str = "<text>",
                  ) -> Document:
    """A document whose section is all of its text: a test's own pack, no heading to look for."""
    doc = Document(text=text, source=source, form=form, item=item)
    doc.section = Section(0, len(text))
    return doc


def check_file(checker: Checker, path: Path, pack: str = "auto") -> Report:
    """The report of a file that holds one document, read as `cydcheck check` reads it."""
    (document,) = ingest.load(str(path))
    return checker.check_document(document, pack)


def pack_file(folder: Path, name: str, text: str) -> Pack:
    """A test's pack, written as `name`.yaml in the folder and loaded."""
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return load_pack(path)


def in_ci() -> bool:
    """True under CI (CI=true), where a test that cannot run must fail, never skip silently."""
    return os.environ.get("CI") == "true"


def shared_path(*parts: str) -> Path:
    """A path under ../shared/: skips the test when it is absent, fails it under CI (CI has it beside the clone)."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        if in_ci():
            pytest.fail(f"{p} is missing: CI must have ../shared beside the clone")
        pytest.skip(f"{p} not available")
    return p


def pytest_configure(config: pytest.Config) -> None:
    """Under CI, refuse to start without ../shared: tests parametrised over it would silently vanish."""
    if in_ci() and not (SHARED / "corpus").is_dir():
        raise pytest.UsageError(f"CI=true but {SHARED}/corpus is missing: the accuracy and real-filing "
                                "tests cannot run")
