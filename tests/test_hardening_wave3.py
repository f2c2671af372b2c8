"""Issue 13, third pass: folder outputs named with a trailing separator, the GitHub job summary as a
guarded output, one --jobs cap for every command with workers, batch reports committed with their
summaries, and the new instances of each class found by trying the commands as a hostile user."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from test_batch import BOARD_ONLY, BOTH, PACK
from test_hardening_inputs import assert_one_line_error, run_cli
from test_hardening_output import DRAFT

from checker import batch as batch_mod
from checker import output
from checker.batch import BatchOptions, run_batch
from checker.model import CheckerError, Document
from checker.sections import locate

EPOCH = "1714564800"


@pytest.fixture(autouse=True)
def _quiet(monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def _draft(tmp_path: Path, name: str = "draft.md") -> Path:
    p = tmp_path / name
    p.write_text(DRAFT, encoding="utf-8")
    return p


def _state(paths: list[Path]) -> dict[str, tuple[bytes, int]]:
    return {str(p): (p.read_bytes(), p.stat().st_mtime_ns) for p in paths}


# ---------------------------------------------------------------- a trailing separator means a folder


def test_html_output_to_a_new_folder_with_a_trailing_slash_makes_the_folder(tmp_path, capsys):
    draft = _draft(tmp_path)
    out = tmp_path / "site"
    code_, _, err = run_cli(["check", str(draft), "--format", "html", "--output", f"{out}{os.sep}"], capsys)
    assert code_ in (0, 1), err
    assert out.is_dir() and "index.html" in {p.name for p in out.iterdir()}


def test_a_trailing_slash_alone_chooses_the_html_folder_format(tmp_path, capsys):
    draft = _draft(tmp_path)
    code_, _, err = run_cli(["check", str(draft), "--output", f"{tmp_path / 'pages'}/"], capsys)
    assert code_ in (0, 1), err
    assert (tmp_path / "pages" / "index.html").is_file()


def test_a_folder_in_the_config_file_keeps_its_trailing_slash(tmp_path, capsys, monkeypatch):
    draft = _draft(tmp_path)
    (tmp_path / ".cydcheck.yaml").write_text("output: [build/pages/]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code_, _, err = run_cli(["check", draft.name], capsys)
    assert code_ in (0, 1), err
    assert (tmp_path / "build" / "pages" / "index.html").is_file()
    assert not (tmp_path / "build" / "pages").is_file()


@pytest.mark.parametrize("args", [
    ["check", "{draft}", "--format", "json", "--output", "{out}/"],
    ["extract", "{draft}", "--output", "{out}/"],
    ["diff", "{draft}", "{draft2}", "--output", "{out}/"],
    ["baseline", "{draft}", "--output", "{out}/", "--justification", "x", "--approved-by", "y"],
])
def test_a_one_file_output_named_like_a_folder_is_refused(tmp_path, capsys, args):
    draft, draft2 = _draft(tmp_path), _draft(tmp_path, "draft2.md")
    out = tmp_path / "out"
    argv = [a.format(draft=draft, draft2=draft2, out=out) for a in args]
    code_, _, err = run_cli(argv, capsys)
    assert_one_line_error(code_, err, f"{out}/", "names a folder")
    assert not out.exists()  # neither a file called 'out' nor a folder


def test_commit_refuses_two_outputs_naming_one_file(tmp_path):
    target = tmp_path / "r.json"
    with pytest.raises(CheckerError, match="same file"):
        output.commit([output.Output(target, "a"), output.Output(tmp_path / "." / "r.json", "b")])
    assert not target.exists()


def test_check_refuses_two_formats_into_one_file(tmp_path, capsys):
    draft = _draft(tmp_path)
    out = tmp_path / "r.json"
    code_, _, err = run_cli(["check", str(draft), "--format", "json", "--output", str(out),
                             "--format", "sarif", "--output", str(out)], capsys)
    assert_one_line_error(code_, err, str(out), "same file")
    assert not out.exists()


# ---------------------------------------------------------------- $GITHUB_STEP_SUMMARY is an output


@pytest.mark.parametrize("how", ["input", "symlink", "hardlink"])
def test_the_job_summary_may_not_be_an_input(tmp_path, capsys, monkeypatch, how):
    draft = _draft(tmp_path)
    summary = draft
    if how != "input":
        summary = tmp_path / "summary.md"
        (summary.symlink_to if how == "symlink" else summary.hardlink_to)(draft)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    before = _state([draft])
    code_, _, err = run_cli(["check", str(draft), "--format", "github"], capsys)
    assert_one_line_error(code_, err, str(summary), "one of the input files")
    assert _state([draft]) == before


def test_the_job_summary_is_appended_with_the_other_outputs_or_not_at_all(tmp_path, capsys, monkeypatch):
    draft = _draft(tmp_path)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    (tmp_path / "blocker").write_text("a file where a folder is needed", encoding="utf-8")
    code_, _, err = run_cli(["check", str(draft), "--format", "json", "--format", "github",
                             "--output", str(tmp_path / "blocker" / "r.json")], capsys)
    assert code_ == 2 and "blocker" in err
    assert summary.read_text(encoding="utf-8") == "earlier step\n"  # the failed run added nothing
    code_, _, err = run_cli(["check", str(draft), "--format", "json", "--format", "github",
                             "--output", str(tmp_path / "r.json")], capsys)
    assert code_ in (0, 1), err
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n") and len(text) > 100 and (tmp_path / "r.json").is_file()


def test_a_failed_append_is_cut_back_and_the_other_outputs_rolled_back(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_bytes(b"before\n")
    report = tmp_path / "r.json"
    report.write_text("old", encoding="utf-8")
    real_fsync = os.fsync
    calls = {"n": 0}

    def failing_fsync(fd):
        calls["n"] += 1
        if calls["n"] == 2:  # the report's temporary first, then the append
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(output.os, "fsync", failing_fsync)
    with pytest.raises(CheckerError, match="disk is full"):
        output.commit([output.Output(report, "new"), output.Output(summary, "summary\n", append=True)])
    assert summary.read_bytes() == b"before\n" and report.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "summary.md"]


# ---------------------------------------------------------------- one --jobs cap


@pytest.mark.parametrize("command", ["eval", "learn", "peers build"])
def test_jobs_are_capped_for_every_command_with_workers(command, capsys):
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    code_, out, _ = run_cli([*command.split(), "--help"], capsys)
    assert code_ == 0 and "At most the CPU count" in " ".join(out.split())
    from checker.cli.common import cap_jobs
    assert cap_jobs(64) == cpus and cap_jobs(1) == 1 and cap_jobs(0) == cpus
    assert f"--jobs 64 capped at {cpus}" in capsys.readouterr().err


def test_eval_jobs_is_capped(tmp_path, capsys, monkeypatch):
    from checker.cli import eval as eval_cli

    seen = {}

    def fake_evaluate(corpus, **kwargs):
        seen["jobs"] = kwargs["jobs"]
        raise CheckerError("stop here", file="x")

    monkeypatch.setattr(eval_cli, "evaluate", fake_evaluate)
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "r1", "text": DRAFT, "labels": {}}) + "\n", encoding="utf-8")
    code_, _, err = run_cli(["eval", str(corpus), "--jobs", "64"], capsys)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert code_ == 2 and seen["jobs"] == min(64, cpus) and f"capped at {cpus}" in err


# ---------------------------------------------------------------- batch: reports and summaries in one commit


def _batch_folder(tmp_path: Path) -> tuple[Path, Path]:
    pack = tmp_path / "house.yaml"
    pack.write_text(PACK, encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(BOTH, encoding="utf-8")
    return folder, pack


def _out_files(out: Path) -> dict[str, bytes]:
    """Every file a reader of --out sees (the pending folder is hidden and ours)."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".cydcheck-pending" not in p.parts and p.name != ".cydcheck-batch.lock"}


def _rows_agree_with_reports(out: Path) -> None:
    rows = [json.loads(line) for line in (out / "summary.jsonl").read_text(encoding="utf-8").splitlines()]
    for row in rows:
        report = json.loads((out / row["report"]).read_text(encoding="utf-8"))
        summary = report["reports"][0]["summary"] if "reports" in report else report["summary"]
        assert summary["met"] == row["met"] and summary["missing"] == row["missing"], row["key"]


def test_a_batch_that_fails_late_leaves_the_last_complete_run_as_it_was(tmp_path):
    folder, pack = _batch_folder(tmp_path)
    out = tmp_path / "out"
    options = BatchOptions(out=out, pack=str(pack))
    run_batch([str(folder)], options)
    before = _out_files(out)
    _rows_agree_with_reports(out)
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(BOARD_ONLY + f"\n{name}\n", encoding="utf-8")  # every filing changes

    def interrupt(done: int, total: int, skipped: int) -> None:
        if done == 2:  # two new reports written, the third not yet, no summary
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch([str(folder)], options, interrupt)
    assert _out_files(out) == before  # no new report beside the old summaries
    pending = sorted(p.name for p in (out / ".cydcheck-pending" / "reports").iterdir())
    assert len(pending) == 2  # the finished work waits for the resumed run

    resumed = run_batch([str(folder)], options)
    assert (resumed.checked, resumed.skipped) == (1, 2)  # the two pending filings are not checked again
    after = _out_files(out)
    assert after != before and not list((out / ".cydcheck-pending" / "reports").iterdir())
    _rows_agree_with_reports(out)
    assert all(r["missing"] == 1 for r in resumed.rows)


def test_a_failing_summary_write_keeps_the_old_reports(tmp_path, monkeypatch):
    folder, pack = _batch_folder(tmp_path)
    out = tmp_path / "out"
    options = BatchOptions(out=out, pack=str(pack))
    run_batch([str(folder)], options)
    before = _out_files(out)
    (folder / "a.txt").write_text(BOARD_ONLY, encoding="utf-8")

    def no_dashboard(rows, notes=()):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(batch_mod, "dashboard_html", no_dashboard)
    with pytest.raises(OSError):
        run_batch([str(folder)], options)
    assert _out_files(out) == before
    monkeypatch.undo()
    resumed = run_batch([str(folder)], options)
    assert resumed.checked == 0 and resumed.skipped == 3  # the pending report is reused, then committed
    _rows_agree_with_reports(out)


def test_a_tampered_state_file_cannot_name_a_file_outside_the_batch_folders(tmp_path):
    folder, pack = _batch_folder(tmp_path)
    out = tmp_path / "out"
    options = BatchOptions(out=out, pack=str(pack))
    run_batch([str(folder)], options)
    state = out / "state" / "state.jsonl"
    lines = [json.loads(line) for line in state.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3
    for data in lines:
        data["rows"][0]["report"] = "../../victim.txt"
    state.write_text("".join(json.dumps(data) + "\n" for data in lines), encoding="utf-8")
    (tmp_path / "victim.txt").write_text("keep", encoding="utf-8")
    again = run_batch([str(folder)], options)
    assert again.checked == 3 and (tmp_path / "victim.txt").read_text(encoding="utf-8") == "keep"


# ---------------------------------------------------------------- bounded time: the section locator


class _CountingText(str):
    """A text that counts the characters sliced out of it (what splitting sections into words costs)."""

    sliced = 0

    def __getitem__(self, key):
        piece = str.__getitem__(self, key)
        if isinstance(key, slice):
            type(self).sliced += len(piece)
        return piece


def _sliced(copies: int) -> int:
    unit = "Item 1C. Cybersecurity\n\n" + DRAFT + "\n\n"
    _CountingText.sliced = 0
    section = locate(Document(text=_CountingText(unit * copies), source="d.txt"))
    assert section.method == "heading"
    return _CountingText.sliced


def test_locating_a_section_repeated_n_times_reads_the_text_a_bounded_number_of_times():
    # Each heading's section used to be split into words to the end of the text: quadratic
    # (a 1 MB draft repeating its section took 222 s). Doubling the copies now doubles the work.
    small, large = _sliced(200), _sliced(400)
    assert large <= 2.2 * small


# ---------------------------------------------------------------- new instances of the classes


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "sarif", "junit", "html", "github"])
def test_a_report_fed_back_as_an_input_is_refused(tmp_path, capsys, fmt):
    # A report quotes every rule's guidance: checked as a draft it met every element (exit 0).
    draft = _draft(tmp_path)
    report = tmp_path / f"report.{fmt}"
    code_, _, err = run_cli(["check", str(draft), "--format", fmt, "--output", str(report)], capsys)
    assert code_ in (0, 1) and report.is_file(), err
    for command in (["check", str(report), "--pack", "sk-106"], ["extract", str(report)]):
        code_, _, err = run_cli(command, capsys)
        assert_one_line_error(code_, err, str(report), "this is a cydcheck report")


def test_a_report_written_into_the_input_folder_is_left_out_next_time_with_a_note(tmp_path, capsys):
    folder = tmp_path / "drafts"
    folder.mkdir()
    _draft(folder)
    args = ["check", str(folder), "--format", "markdown", "--output", str(folder / "gaps.md")]
    run_cli(args, capsys)
    code_, _, err = run_cli(args, capsys)
    assert code_ in (0, 1) and "1 file in" in err and "left out as cydcheck reports" in err
    (folder / "draft.md").unlink()
    code_, _, err = run_cli(["check", str(folder)], capsys)
    assert_one_line_error(code_, err, str(folder), "no input files")


def test_real_filings_and_records_are_not_taken_for_reports():
    from checker.ingest import own_report_format

    shared = Path(__file__).resolve().parents[1].parent / "shared"
    files = sorted((shared / "corpus" / "labelled").glob("*.json"))[:40]
    files += sorted((shared / "fullfilings").glob("*.htm*"))[:10]
    if not files:
        pytest.skip("../shared is not there")
    assert [f.name for f in files if own_report_format(f.read_bytes())] == []
    assert own_report_format(DRAFT.encode("utf-8")) is None


def test_a_batch_input_folder_with_no_files_is_a_failed_row_not_dropped(tmp_path, capsys):
    (tmp_path / "empty" / "sub").mkdir(parents=True)  # a folder of folders, no file in any
    (tmp_path / "a.txt").write_text(BOTH, encoding="utf-8")
    code_, _, err = run_cli(["batch", str(tmp_path / "empty"), str(tmp_path / "a.txt"), "--out",
                             str(tmp_path / "out"), "--jobs", "1", "--fail-on", "never"], capsys)
    assert code_ == 2 and "2 filings" in err and "1 failed" in err
    assert "no input files in this folder" in (tmp_path / "out" / "summary.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["check", "extract"])
def test_an_output_path_the_system_refuses_is_a_one_line_error(tmp_path, capsys, command):
    draft = _draft(tmp_path)
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    for out in (tmp_path / ("x" * 300 + ".json"), tmp_path / ("x" * 300) / "r.json", tmp_path / "loop1" / "r.json"):
        extra = ["--format", "json"] if command == "check" else []
        code_, _, err = run_cli([command, str(draft), *extra, "--output", str(out)], capsys)
        assert_one_line_error(code_, err, str(out)[:40], "cannot write the output")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.md", "loop1", "loop2"]


def test_a_nul_in_a_configured_path_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    draft = _draft(tmp_path)
    config = tmp_path / ".cydcheck.yaml"
    monkeypatch.chdir(tmp_path)
    for setting in ('output: ["a\\0b.json"]', 'baseline: "a\\0b.yaml"', 'rules-dirs: ["r\\0"]'):
        config.write_text(setting + "\n", encoding="utf-8")
        code_, _, err = run_cli(["check", draft.name], capsys)
        assert_one_line_error(code_, err, str(config), "NUL character")


def test_an_output_that_is_a_device_or_a_pipe_is_written_to_not_replaced(tmp_path, capsys):
    import stat
    import threading

    draft = _draft(tmp_path)
    null = tmp_path / "null"
    null.symlink_to(os.devnull)  # `--output /dev/null`: as root the rename replaced the device itself
    code_, _, err = run_cli(["check", str(draft), "--format", "json", "--output", str(null)], capsys)
    assert code_ in (0, 1), err
    assert null.is_symlink() and stat.S_ISCHR(os.stat(os.devnull).st_mode)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # `--output >(jq .)`
    got = {}
    reader = threading.Thread(target=lambda: got.update(data=fifo.read_bytes()))
    reader.start()
    code_, _, err = run_cli(["check", str(draft), "--format", "json", "--output", str(fifo)], capsys)
    reader.join(10)
    assert code_ in (0, 1), err
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and json.loads(got["data"])["summary"]["total"] > 0


def test_a_job_summary_that_is_a_pipe_is_refused_not_waited_on(tmp_path, capsys, monkeypatch):
    draft = _draft(tmp_path)
    fifo = tmp_path / "summary"
    os.mkfifo(fifo)  # no reader: appending would block the run for ever
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(fifo))
    code_, _, err = run_cli(["check", str(draft), "--format", "json", "--format", "github", "--output",
                             str(tmp_path / "r.json")], capsys)
    assert_one_line_error(code_, err, str(fifo), "not a regular file")
    assert not (tmp_path / "r.json").exists()
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", os.devnull)  # a device is fine
    code_, _, err = run_cli(["check", str(draft), "--format", "github"], capsys)
    assert code_ in (0, 1), err


def test_a_users_own_file_named_like_a_batch_summary_is_not_replaced(tmp_path, capsys):
    folder = tmp_path / "corp"
    folder.mkdir()
    (folder / "a.txt").write_text(BOTH, encoding="utf-8")
    mine = folder / "summary.jsonl"  # the user's records, which batch would have left out and replaced
    mine.write_text(json.dumps({"id": "r1", "text": BOTH, "form": "10-K"}) + "\n", encoding="utf-8")
    before = _state([mine])
    code_, _, err = run_cli(["batch", str(folder), "--out", str(folder), "--jobs", "1"], capsys)
    assert_one_line_error(code_, err, str(mine), "not written by cydcheck batch")
    assert _state([mine]) == before and sorted(p.name for p in folder.iterdir()) == ["a.txt", "summary.jsonl"]
    mine.unlink()
    for _ in range(2):  # its own summaries are replaced run after run
        code_, _, err = run_cli(["batch", str(folder), "--out", str(folder), "--jobs", "1", "--fail-on",
                                 "never"], capsys)
        assert code_ == 0, err


def test_errors_and_notes_never_carry_a_terminal_escape_from_a_file_name(tmp_path, capsys):
    osc52 = "\x1b]52;c;ZXZpbA==\x07"  # a clipboard write, hidden in a file name
    code_, _, err = run_cli(["check", str(tmp_path / f"x{osc52}y.md")], capsys)
    assert_one_line_error(code_, err, "xy.md", "no such file")
    assert "\x1b" not in err and "\x07" not in err
    folder = tmp_path / "drafts"
    folder.mkdir()
    _draft(folder)
    report = folder / f"gaps{osc52}.md"
    run_cli(["check", str(folder / "draft.md"), "--format", "markdown", "--output", str(report)], capsys)
    code_, _, err = run_cli(["check", str(folder)], capsys)
    assert code_ in (0, 1) and "left out as cydcheck reports" in err and "\x1b" not in err
