"""Property: no writing command, whatever output it is pointed at among its own inputs, changes an input."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hardening_inputs import run_cli
from test_hardening_output import DRAFT

FORMATS = ("json", "sarif", "html", "junit", "markdown", "text", "github")
# Where an output may point: an input, a link (symbolic or hard) to one, a folder holding inputs, or
# a path that names an input through its folder's link.
TARGETS = ("draft.md", "rec.json", "corpus.jsonl", "docs/inner.md", "link.md", "hard.md", "docs", ".",
           "docs-link/inner.md", "docs-link", "fresh/out.json", "docs/", "docs-link/", "fresh/")


def _make_inputs(root: Path) -> list[Path]:
    (root / "docs").mkdir()
    files = {
        "draft.md": DRAFT,
        "rec.json": json.dumps({"body_markdown": DRAFT, "document": {"doc_type": "10-K"}, "id": "r1"}),
        "corpus.jsonl": json.dumps({"id": "c1", "form": "10-K", "item": "1C", "text": DRAFT,
                                    "labels": {"board_oversight": True}}) + "\n",
        "docs/inner.md": DRAFT.replace("quarterly", "monthly"),
    }
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    (root / "link.md").symlink_to(root / "draft.md")
    os.link(root / "draft.md", root / "hard.md")
    (root / "docs-link").symlink_to(root / "docs", target_is_directory=True)
    return [root / n for n in files]


# The files each command reads (its inputs): these must come out unchanged.
INPUTS = {"check": ("draft.md", "docs/inner.md", "rec.json"), "check-two": ("draft.md",),
          "extract": ("draft.md",), "diff": ("draft.md", "docs/inner.md"), "baseline": ("draft.md", "rec.json"),
          "eval": ("corpus.jsonl",), "batch": ("draft.md", "docs/inner.md", "rec.json")}


def _command(name: str, fmt: str, out: str) -> list[str]:
    return {
        "check": ["check", "draft.md", "docs/inner.md", "rec.json", "--fail-on", "never", "--format", fmt,
                  "--output", out],
        "check-two": ["check", "draft.md", "--fail-on", "never", "--format", "json", "--output", "fresh/a.json",
                      "--format", fmt, "--output", out],
        "extract": ["extract", "draft.md", "--output", out],
        "diff": ["diff", "draft.md", "docs/inner.md", "--output", out],
        "baseline": ["baseline", "draft.md", "rec.json", "--output", out, "--justification", "accepted",
                     "--approved-by", "J. Doe"],
        "eval": ["eval", "corpus.jsonl", "--output", out],
        "batch": ["batch", "draft.md", "docs", "rec.json", "--out", out, "--jobs", "1", "--fail-on", "never"],
    }[name]


# capsys is read (and so reset) after every run, and the working folder is put back by hand.
@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(command=st.sampled_from(("check", "check-two", "extract", "diff", "baseline", "eval", "batch")),
       fmt=st.sampled_from(FORMATS), target=st.sampled_from(TARGETS),
       summary=st.sampled_from((None, *TARGETS)))
def test_no_writing_command_changes_an_input(command, fmt, target, summary, capsys, monkeypatch):
    # On a GitHub runner the job summary is one more output, drawn from the inputs too.
    if summary is None:
        monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    else:
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", summary)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _make_inputs(root)
        inputs = [root / name for name in INPUTS[command]]
        before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in inputs}
        monkeypatch.chdir(root)
        try:
            code, _, err = run_cli(_command(command, fmt, target), capsys)
        finally:
            monkeypatch.chdir(Path(__file__).parent)
        assert code in (0, 1, 2), err  # never an internal error
        assert code != 2 or err.startswith("cydcheck: error: ") and err.strip().count("\n") == 0 \
            or "note:" in err, err
        after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in inputs}
        assert after == before, (command, target, err)
        if "draft.md" in INPUTS[command]:  # the links to an input still name it
            assert os.path.samefile(root / "hard.md", root / "draft.md")
            assert (root / "link.md").resolve() == (root / "draft.md").resolve()


@pytest.mark.parametrize("target", ["link.md", "hard.md", "docs-link/inner.md"])
def test_links_to_inputs_are_refused_as_outputs(target, capsys, monkeypatch, tmp_path):
    _make_inputs(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(["check", "draft.md", "docs/inner.md", "--format", "json", "--output", target], capsys)
    assert code == 2 and "one of the input files" in err
