"""`cydcheck` as users of ruff, eslint and semgrep expect: NO_COLOR, typo hints, folder walks in a repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import run_main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DEFICIENT = str(SAMPLES / "draft-10k-1c-deficient.md")
RED = "\x1b[31m"


@pytest.fixture
def terminal(monkeypatch):
    monkeypatch.setattr("checker.cli.check.stdout_is_tty", lambda: True)
    monkeypatch.setattr("checker.cli.common.stdout_is_tty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)


def test_no_color_in_the_environment_turns_colour_off_on_a_terminal(capsys, monkeypatch, terminal):
    """no-color.org: NO_COLOR set (not empty) leaves the terminal's report plain; --color still asks for it."""
    _, coloured, _ = run_main(capsys, "check", "--fail-on", "never", DEFICIENT)
    assert RED in coloured
    monkeypatch.setenv("NO_COLOR", "1")
    _, plain, _ = run_main(capsys, "check", "--fail-on", "never", DEFICIENT)
    assert "\x1b" not in plain
    _, asked, _ = run_main(capsys, "check", "--fail-on", "never", "--color", DEFICIENT)
    assert RED in asked
    monkeypatch.setenv("NO_COLOR", "")  # empty: not set
    _, coloured_again, _ = run_main(capsys, "check", "--fail-on", "never", DEFICIENT)
    assert RED in coloured_again


def test_force_color_colours_a_pipe(capsys, monkeypatch):
    """FORCE_COLOR (a CI log that shows colours) colours the report piped; --no-color still wins."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    _, coloured, _ = run_main(capsys, "check", "--fail-on", "never", DEFICIENT)
    assert RED in coloured
    _, plain, _ = run_main(capsys, "check", "--fail-on", "never", "--no-color", DEFICIENT)
    assert "\x1b" not in plain
    monkeypatch.setenv("FORCE_COLOR", "0")
    _, plain, _ = run_main(capsys, "check", "--fail-on", "never", DEFICIENT)
    assert "\x1b" not in plain


def test_force_color_never_colours_a_file(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    out = tmp_path / "report.txt"
    run_main(capsys, "check", "--fail-on", "never", DEFICIENT, "-o", str(out))
    assert "\x1b" not in out.read_text(encoding="utf-8")
