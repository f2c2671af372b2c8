"""Writes are atomic and only where asked; inputs are never modified; output is byte-for-byte reproducible."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from test_hardening_inputs import BOARD, assert_one_line_error, cydcheck_command, run_cli
from test_ingest import _para, _run, make_docx

from checker import output
from checker.model import CheckerError

DRAFT = f"""# Item 1C. Cybersecurity

## Risk management and strategy

We maintain processes to assess, identify and manage material risks from cybersecurity threats.
We engage third-party assessors and consultants. Our Chief Information Security Officer has 15 years of
experience.

## Governance

{BOARD} The CISO reports to the Audit Committee quarterly.
"""
FORMATS = ("json", "sarif", "html", "junit", "markdown", "text", "github")
EPOCH = "1714564800"  # 2024-05-01T12:00:00Z


def only_the_tally(err: str) -> bool:
    """Nothing on stderr but the run's one tally line (every report went to a file)."""
    return re.fullmatch(r"cydcheck: checked \d+ files?: [^\n]*: exit 0\n", err) is not None


def _tree(root: Path) -> dict[str, str]:
    """Every file under root with the SHA-256 of its bytes."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "inputs"
    folder.mkdir()
    files = {
        "draft.md": DRAFT.encode(),
        "filing.html": ("<html><body>" + "".join(f"<p>{p}</p>" for p in DRAFT.split("\n\n")) + "</body></html>")
        .encode(),
        "draft.docx": make_docx([_para(_run(p.replace("\n", " "))) for p in DRAFT.split("\n\n")], numbering=None),
        "record.json": json.dumps({"body_markdown": DRAFT, "document": {"doc_type": "10-K"}}).encode(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in files}


@pytest.fixture(autouse=True)
def no_step_summary(monkeypatch):
    # On a GitHub runner the github format also appends to $GITHUB_STEP_SUMMARY: not a file these tests ask for.
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def _check_args(inputs: dict[str, Path], out: Path, formats=FORMATS, suffix: str = "") -> list[str]:
    args = ["check", *(str(p) for p in inputs.values()), "--fail-on", "never"]
    for fmt in formats:
        args += ["--format", fmt, "--output", str(out / f"report{suffix}.{fmt}")]
    return args


# ---------------------------------------------------------------- where things are written


def test_only_the_requested_outputs_are_written_and_inputs_are_untouched(tmp_path, inputs, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    before = _tree(tmp_path)
    stats = {name: os.stat(p) for name, p in inputs.items()}
    code, stdout, err = run_cli(_check_args(inputs, out), capsys)
    assert (code, stdout) == (0, "") and only_the_tally(err)
    after = _tree(tmp_path)
    new = sorted(set(after) - set(before))
    assert new == sorted(f"out/report.{fmt}" for fmt in FORMATS)  # no temporary files left behind
    assert {k: v for k, v in after.items() if k in before} == before  # inputs byte-identical
    for name, p in inputs.items():
        assert os.stat(p).st_mtime_ns == stats[name].st_mtime_ns and os.stat(p).st_mode == stats[name].st_mode


def test_an_html_folder_gets_pages_and_an_index_only(tmp_path, inputs, capsys):
    pages = tmp_path / "pages"
    pages.mkdir()
    code, _, err = run_cli(["check", *(str(p) for p in inputs.values()), "--fail-on", "never",
                            "--format", "html", "--output", str(pages)], capsys)
    assert code == 0 and only_the_tally(err)
    names = sorted(p.name for p in pages.iterdir())
    assert "index.html" in names and len(names) == len(inputs) + 1
    assert all(n.endswith(".html") and not n.startswith(".") for n in names)


def test_a_bad_input_writes_nothing_and_keeps_an_old_report(tmp_path, inputs, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.json").write_text("previous report\n", encoding="utf-8")
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    args = ["check", str(inputs["draft.md"]), str(bad), "--format", "json", "--output", str(out / "report.json"),
            "--format", "sarif", "--output", str(out / "report.sarif")]
    code, _, err = run_cli(args, capsys)
    assert_one_line_error(code, err, str(bad), "empty")
    assert sorted(p.name for p in out.iterdir()) == ["report.json"]
    assert (out / "report.json").read_text(encoding="utf-8") == "previous report\n"


@pytest.mark.parametrize("target, phrase", [("folder", "output path is a directory")])
def test_an_output_path_that_cannot_be_written_is_a_one_line_error(tmp_path, inputs, capsys, target, phrase):
    (tmp_path / "folder").mkdir()
    before = _tree(tmp_path)
    code, _, err = run_cli(["check", str(inputs["draft.md"]), "--fail-on", "never", "--format", "json",
                            "--output", str(tmp_path / target)], capsys)
    assert_one_line_error(code, err, str(tmp_path / target), phrase)
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("command", ["check", "check-link", "extract", "diff"])
def test_an_output_that_names_an_input_never_overwrites_it(tmp_path, inputs, capsys, command):
    draft = inputs["draft.md"]
    target = draft
    if command == "check-link":
        target = tmp_path / "link.md"
        target.symlink_to(draft)
    args = {"check": ["check", str(draft), "--format", "markdown"],
            "check-link": ["check", str(draft), "--format", "json"],
            "extract": ["extract", str(draft)],
            "diff": ["diff", str(inputs["record.json"]), str(draft)]}[command]
    code, _, err = run_cli([*args, "--output", str(target)], capsys)
    assert_one_line_error(code, err, str(target), "one of the input files")
    assert draft.read_bytes() == DRAFT.encode()


# ---------------------------------------------------------------- write_atomic itself


def test_write_atomic_replaces_by_rename_with_ordinary_permissions(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    old_inode = target.stat().st_ino
    output.write_atomic(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert target.stat().st_ino != old_inode  # a new file renamed over the old one, not rewritten in place
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_report_replaced_keeps_the_permissions_it_was_given(tmp_path):
    # A report kept private (0600: it quotes an undisclosed incident) stays private when the check is run
    # again; it does not become world-readable under the umask.
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    output.write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o600
    target.chmod(0o640)
    output.commit([output.Output(target, "newer")])
    assert target.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("failing", ["write", "replace"])
def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, failing):
    target = tmp_path / "report.sarif"
    target.write_text("the previous, complete report", encoding="utf-8")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if failing == "write":
        monkeypatch.setattr(os, "fsync", boom)  # fails after part of the data reached the temporary file
    else:
        monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(CheckerError, match="report.sarif: cannot write the output: the disk is full"):
        output.write_atomic(target, "x" * 100_000)
    assert target.read_text(encoding="utf-8") == "the previous, complete report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.sarif"]


def test_write_atomic_creates_missing_folders(tmp_path):
    output.write_atomic(tmp_path / "a" / "b" / "report.json", "{}")
    assert (tmp_path / "a" / "b" / "report.json").read_text(encoding="utf-8") == "{}"


def test_a_failed_commit_removes_the_folders_it_created(tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(CheckerError, match="the disk is full"):
        output.write_atomic(tmp_path / "build" / "deep" / "report.json", "{}")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- reproducible output


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_two_runs_in_one_process_give_identical_bytes(tmp_path, inputs, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    runs = []
    for n in (1, 2):
        out = tmp_path / f"run{n}"
        out.mkdir()
        code, _, err = run_cli(_check_args(inputs, out), capsys)
        assert code == 0 and only_the_tally(err)
        runs.append(_outputs(out))
    assert runs[0] == runs[1]
    assert b"2024-05-01T12:00:00Z" in runs[0]["report.html"] and b"2024-05-01T12:00:00Z" in runs[0]["report.junit"]


def test_without_source_date_epoch_no_time_is_written(tmp_path, inputs, capsys, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    out = tmp_path / "out"
    out.mkdir()
    code, _, _ = run_cli(_check_args(inputs, out, formats=("html", "junit", "sarif", "json")), capsys)
    assert code == 0
    for name, data in _outputs(out).items():
        assert b"T12:00:00Z" not in data and b"timestamp=" not in data, name


def test_separate_processes_with_different_hash_seeds_give_identical_bytes(tmp_path, inputs):
    # Relative paths, so the two runs differ in nothing but the process (and its set/dict hash order).
    cwd = inputs["draft.md"].parent
    names = sorted(p.name for p in inputs.values())
    runs = []
    for seed in ("1", "2"):
        out = tmp_path / f"proc{seed}"
        out.mkdir()
        args = ["check", *names, "--fail-on", "never"]
        for fmt in ("json", "sarif", "html"):
            args += ["--format", fmt, "--output", str(out / f"report.{fmt}")]
        env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONHASHSEED": seed}
        done = subprocess.run([*cydcheck_command(), *args], cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        runs.append(_outputs(out))
    assert runs[0] == runs[1]
    assert set(runs[0]) == {"report.json", "report.sarif", "report.html"}


@pytest.mark.parametrize("args", [("check", "item-1c.md", "-o", "~/Desktop/gaps.html"),
                                  ("batch", "item-1c.md", "--out", "~/Desktop/FY2026 batch")])
def test_an_output_path_with_a_tilde_left_in_quotes_creates_no_folder_named_tilde(args, tmp_path, monkeypatch,
                                                                                 capsys) -> None:
    """`-o "~/Desktop/gaps.html"` in zsh (the quotes keep the '~') exited 0 having written ./~/Desktop/gaps.html:
    no report on the Desktop, and a folder named '~' that `rm -rf ~` would 'clean up' with the home folder."""
    from cli_helpers import run_main

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "item-1c.md").write_text(BOARD, encoding="utf-8")
    code, _, err = run_main(capsys, *args)
    assert code == 2 and err.count("\n") == 1 and "expands only outside quotes" in err, err
    assert f"give {tmp_path / 'home' / 'Desktop'}" in err
    assert not (tmp_path / "~").exists()
