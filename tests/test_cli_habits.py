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
    monkeypatch.setattr("checker.cli.common.stdout_is_tty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")  # a terminal that shows colours


def test_term_dumb_turns_colour_off_on_a_terminal(capsys, monkeypatch, terminal):
    """TERM=dumb (Emacs's shell, a screen reader's plain console) shows an escape code as its characters: the
    report read '^[[31mMISSING ^[[0m' on such a terminal; it is plain there now, and --color still asks."""
    monkeypatch.setenv("TERM", "dumb")
    _, plain, _ = run_main(capsys, "check", "--fail-on", "never", DEFICIENT)
    assert "\x1b" not in plain
    _, asked, _ = run_main(capsys, "check", "--fail-on", "never", "--color", DEFICIENT)
    assert RED in asked


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


# ---------------------------------------------------------------- a repository's other JSON files


@pytest.fixture
def repo_with_json(tmp_path: Path) -> Path:
    """A repository of drafts that also holds JSON files of other tools (package.json, a test's expectations)."""
    repo = tmp_path / "repo"
    (repo / "drafts").mkdir(parents=True)
    (repo / "drafts" / "draft.md").write_text((SAMPLES / "draft-10k-1c-complete.md").read_text(encoding="utf-8"),
                                              encoding="utf-8")
    (repo / "package.json").write_text('{"name": "site", "version": "1.0.0"}\n', encoding="utf-8")
    (repo / "drafts" / "draft.expected.json").write_text('{"form": "10-K", "item": "1C", "expected_text": "x"}',
                                                         encoding="utf-8")
    return repo


def test_check_of_a_folder_names_json_files_that_hold_no_section_and_checks_the_rest(repo_with_json, capsys):
    """`cydcheck check .` in a repository with a package.json stopped at it, exit 2 and nothing checked
    ("JSON record has no text field"); such files are named, even with --quiet, and the drafts checked."""
    code, out, err = run_main(capsys, "check", str(repo_with_json), "--no-examples", "-q")
    assert code == 0, err
    assert "error" not in err
    assert "not checked in" in err and "2 JSON files" in err and "package.json" in err
    assert "no section record" in err


def test_a_json_file_given_by_name_is_still_read_as_a_record(repo_with_json, capsys):
    code, _, err = run_main(capsys, "check", str(repo_with_json / "package.json"))
    assert code == 2 and "no text field" in err


def test_a_record_file_with_a_text_field_in_a_folder_is_checked(tmp_path, capsys):
    (tmp_path / "rec.json").write_text('[{"form": "10-K", "text": "Item 1C. Cybersecurity\\n\\nOur Board of '
                                       'Directors oversees cybersecurity risk."}]', encoding="utf-8")
    code, out, err = run_main(capsys, "check", str(tmp_path), "--no-examples", "--fail-on", "never")
    assert code == 0, err
    assert "rec.json[0]" in out and "not checked" not in err


def test_batch_of_a_folder_names_json_files_that_hold_no_section(repo_with_json, tmp_path, capsys):
    code, _, err = run_main(capsys, "batch", str(repo_with_json), "--out", str(tmp_path / "run"), "--jobs", "1",
                            "--no-progress")
    assert code == 0, err
    assert "2 JSON files" in err and "package.json" in err


# ---------------------------------------------------------------- did you mean


def test_a_misspelt_command_is_told_the_nearest(capsys):
    code, _, err = run_main(capsys, "chek", DEFICIENT)
    assert code == 2 and "No such command 'chek'" in err and "Did you mean 'check'?" in err


def test_a_misspelt_selection_is_told_the_rule_or_element_meant(capsys):
    code, _, err = run_main(capsys, "check", "--select", "materal_effect", DEFICIENT)
    assert code == 2 and "(did you mean material_effect?)" in err
    code, _, err = run_main(capsys, "check", "--disable", "SK106-C1-BORD-OVERSIGHT", "--fail-on", "never",
                            DEFICIENT)
    assert code == 0 and "(did you mean SK106-C1-BOARD-OVERSIGHT?)" in err


def test_a_misspelt_pack_is_told_the_nearest(capsys):
    code, _, err = run_main(capsys, "check", "--pack", "sk106", DEFICIENT)
    assert code == 2 and "unknown rule pack 'sk106'" in err and "did you mean sk-106?" in err


def test_explain_of_a_misspelt_element_is_told_the_nearest(capsys):
    code, _, err = run_main(capsys, "explain", "materal_effect")
    assert code == 2 and "did you mean material_effect?" in err


# ---------------------------------------------------------------- ruff's spellings


def test_ignore_is_disable_as_ruff_spells_it(capsys):
    code, out, err = run_main(capsys, "check", "--ignore", "material_effect", "--no-examples", DEFICIENT)
    assert "SK106-B2-MATERIAL-EFFECT" not in out.split("not checked")[0].replace("left out", "")
    assert "disable: material_effect, on the command line" in out
    assert code == 0, err  # the one error-severity gap is left out


def test_exit_zero_reports_the_gaps_and_exits_0(capsys):
    code, out, _ = run_main(capsys, "check", "--exit-zero", "--no-examples", DEFICIENT)
    assert code == 0 and "MISSING" in out
    code, _, err = run_main(capsys, "check", "--exit-zero", "--fail-on", "warning", DEFICIENT)
    assert code == 2 and "--exit-zero" in err and "--fail-on" in err


def test_exit_zero_still_exits_2_on_a_bad_input(tmp_path, capsys):
    code, _, _ = run_main(capsys, "check", "--exit-zero", str(tmp_path / "missing.md"))
    assert code == 2


@pytest.mark.parametrize("module", ["checker", "checker.cli"])
def test_python_dash_m_runs_the_command_line(module):
    """`python -m checker` (as `python -m ruff`) said "No module named checker.__main__"."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", module, "--version"], capture_output=True, text=True,
                          env=env, timeout=60, check=False)
    assert done.returncode == 0 and done.stdout.startswith("cydcheck, version"), done.stderr
    done = subprocess.run([sys.executable, "-m", module, "check", "--no-examples", DEFICIENT],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 1 and "MISSING" in done.stdout, done.stderr


def test_a_sarif_json_output_is_sarif(tmp_path, capsys):
    """`-o results.sarif.json` (the name code scanning uploads often use) wrote cydcheck's JSON report, which
    no SARIF reader takes; the double extension names SARIF, and `-f sarif -o x.sarif.json` is no mismatch."""
    import json

    out = tmp_path / "results.sarif.json"
    code, _, err = run_main(capsys, "check", DEFICIENT, "-o", str(out))
    assert code == 1, err
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == "2.1.0"
    code, _, err = run_main(capsys, "check", DEFICIENT, "-f", "sarif", "-o", str(out))
    assert code == 1, err
    code, _, err = run_main(capsys, "check", DEFICIENT, "-f", "html", "-o", str(out))
    assert code == 2 and "names sarif" in err


def test_a_folder_check_ends_with_a_tally_that_says_why_it_fails(tmp_path, capsys):
    """A folder's run printed its per-document reports and exited 1 without saying how many gaps there were
    or which of them failed the gate; its closing stderr line says so, as ruff's "Found N errors."."""
    folder = tmp_path / "drafts"
    folder.mkdir()
    for name in ("draft-10k-1c-deficient.md", "draft-10k-1c-complete.md"):
        (folder / name).write_text((SAMPLES / name).read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run_main(capsys, "check", str(folder), "--no-examples")
    assert code == 1
    assert err.splitlines()[-1] == ("cydcheck: checked 2 files: 7 open gaps (1 error, 6 warnings); 1 at or above "
                                    "--fail-on error: exit 1")
    code, out, err = run_main(capsys, "check", str(folder), "--no-examples", "--fail-on", "never")
    assert code == 0 and err.splitlines()[-1].endswith("7 open gaps (1 error, 6 warnings); --fail-on never: exit 0")
    code, out, err = run_main(capsys, "check", str(folder), "--no-examples", "--select", "SK106-C1")
    assert code == 0 and err.splitlines()[-1] == "cydcheck: checked 2 files: no open gap"


def test_a_check_whose_reports_all_go_to_files_says_why_it_exits_1(tmp_path, capsys):
    """`check draft.docx -f docx -o draft-checked.docx` wrote its copy and exited 1 with nothing on the
    terminal: the tally line now says what was found and why the run fails; a report on stdout needs none."""
    sample = str(SAMPLES / "draft-10k-1c-deficient.md")
    code, out, err = run_main(capsys, "check", sample, "--no-examples", "-o", str(tmp_path / "r.json"))
    assert (code, out) == (1, "")
    assert err == ("cydcheck: checked 1 file: 7 open gaps (1 error, 6 warnings); 1 at or above --fail-on error: "
                   "exit 1\n")
    code, _, err = run_main(capsys, "check", sample, "-q", "-o", str(tmp_path / "r.json"))
    assert (code, err) == (1, "")  # quiet: nothing but what needs a person
    code, out, err = run_main(capsys, "check", sample, "--no-examples", "-f", "json")
    assert code == 1 and out.startswith("{") and err == ""


def test_the_command_list_is_not_cut_short(capsys):
    """`cydcheck --help` listed "Record the current gaps of FILE(s) (or of..." and eight more cut mid-phrase."""
    code, out, _ = run_main(capsys, "--help")
    listed = out.split("Commands:")[1]
    assert code == 0 and "..." not in listed
    for group in ("peers", "rules"):
        code, out, _ = run_main(capsys, group, "--help")
        assert "..." not in out.split("Commands:")[1], group


def test_help_shows_examples_and_exit_codes(capsys):
    """`cydcheck --help` and `cydcheck check --help` gave no example and no exit code, which the README had."""
    _, top, _ = run_main(capsys, "--help")
    assert "Examples:" in top and "cydcheck check" in top and "Exit codes:" in top
    assert "3  internal failure" in top
    _, check, _ = run_main(capsys, "check", "--help")
    assert "Examples:" in check and "-o cydcheck.sarif" in check and "--select material_effect" in check
    assert "cydcheck check - " in check  # standard input


def test_an_output_beyond_the_formats_takes_its_extensions_format(tmp_path, capsys):
    """`-f json -o report.json -o report.html` said only "more --output paths than --format options": an output
    alone takes its format from its extension, so one past the last --format does too."""
    import json

    code, _, err = run_main(capsys, "check", DEFICIENT, "--no-examples", "-f", "json", "-o",
                            str(tmp_path / "report.json"), "-o", str(tmp_path / "report.html"))
    assert code == 1, err
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["results"]
    assert (tmp_path / "report.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    code, _, err = run_main(capsys, "check", DEFICIENT, "-f", "json", "-o", str(tmp_path / "a.json"), "-o",
                            str(tmp_path / "b.yaml"))
    assert code == 2 and "b.yaml" in err and "give --format" in err


def test_check_expands_a_quoted_glob_as_batch_does(tmp_path, capsys, monkeypatch):
    """`cydcheck check 'drafts/*.md'` (a CI step or a shell that leaves the pattern as it is) said
    "no such file", where batch expands the same pattern itself."""
    (tmp_path / "drafts" / "fy25").mkdir(parents=True)
    for name in ("draft-10k-1c-deficient.md", "draft-10k-1c-complete.md"):
        (tmp_path / "drafts" / "fy25" / name).write_text((SAMPLES / name).read_text(encoding="utf-8"),
                                                         encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(capsys, "check", "drafts/**/*.md", "--no-examples", "--fail-on", "never")
    assert code == 0, err
    assert "drafts/fy25/draft-10k-1c-deficient.md:" in out and "drafts/fy25/draft-10k-1c-complete.md:" in out
    code, _, err = run_main(capsys, "check", "drafts/*.htm")
    assert code == 2 and "drafts/*.htm" in err and "no files match this pattern" in err


def test_exclude_leaves_out_files_of_a_folder_or_pattern(tmp_path, capsys, monkeypatch):
    """`--exclude` (as ruff's, repeatable, also `exclude:` in .cydcheck.yaml) said "No such option"; a
    folder's archived drafts could only be left out through .gitignore."""
    (tmp_path / "drafts" / "archive").mkdir(parents=True)
    deficient = (SAMPLES / "draft-10k-1c-deficient.md").read_text(encoding="utf-8")
    (tmp_path / "drafts" / "archive" / "fy23.md").write_text(deficient, encoding="utf-8")
    (tmp_path / "drafts" / "old-fy24.md").write_text(deficient, encoding="utf-8")
    (tmp_path / "drafts" / "fy25.md").write_text((SAMPLES / "draft-10k-1c-complete.md").read_text(
        encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(capsys, "check", "drafts", "--no-examples", "--exclude", "archive",
                              "--exclude", "old-*")
    assert code == 0, err
    assert "drafts/fy25.md:" in out and "fy23" not in out and "old-fy24" not in out
    assert "checked 1 file" in err
    code, out, _ = run_main(capsys, "check", "drafts/**/*.md", "--no-examples", "--exclude", "drafts/archive/*",
                            "--fail-on", "never")
    assert "fy23" not in out and "old-fy24.md:" in out
    (tmp_path / ".cydcheck.yaml").write_text("exclude: [archive, 'old-*']\n", encoding="utf-8")
    code, out, _ = run_main(capsys, "check", "drafts", "--no-examples")
    assert code == 0 and "fy23" not in out and "old-fy24" not in out
    code, out, _ = run_main(capsys, "check", "drafts/old-fy24.md", "--no-examples")  # named: checked
    assert code == 1 and "old-fy24.md:" in out


def test_extract_of_an_item_the_draft_does_not_head_says_so(capsys):
    """`extract draft-1c.md --item 1.05` printed the whole Item 1C draft as if it were Item 1.05, exit 0."""
    draft = str(SAMPLES / "draft-10k-1c-complete.md")
    code, out, err = run_main(capsys, "extract", draft, "--item", "1.05")
    assert code == 1 and out == ""
    assert "no Item 1.05 section found" in err and "--item 1c" in err
    code, out, _ = run_main(capsys, "extract", draft, "--item", "1c")
    assert code == 0 and out.startswith("# Item 1C. Cybersecurity")


def test_extract_of_an_unheaded_draft_is_still_the_whole_text(tmp_path, capsys):
    draft = tmp_path / "draft.md"
    draft.write_text("The Company determined on May 4 that the incident was material.\n", encoding="utf-8")
    code, out, _ = run_main(capsys, "extract", str(draft), "--item", "1.05")
    assert code == 0 and "determined on May 4" in out


def test_a_usage_error_says_where_help_is(capsys):
    """`cydcheck check` alone said "Missing argument 'FILES...'." and nothing of what to give or where to read."""
    code, _, err = run_main(capsys, "check")
    assert code == 2 and err.count("\n") == 1
    assert "Missing argument 'FILES...'" in err and "(see `cydcheck check --help`)" in err
    code, _, err = run_main(capsys, "rules", "show", "--bogus")
    assert code == 2 and "(see `cydcheck rules show --help`)" in err


def test_the_tally_counts_the_waived_gaps_beside(tmp_path, capsys, monkeypatch):
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "d.md").write_text((SAMPLES / "draft-10k-1c-deficient.md").read_text(encoding="utf-8"),
                                              encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = run_main(capsys, "baseline", "drafts", "--justification", "legacy", "--approved-by", "me")
    assert code == 0, err
    code, _, err = run_main(capsys, "check", "drafts", "--no-examples")
    assert code == 0 and err.splitlines()[-1] == "cydcheck: checked 1 file: no open gap (7 waived)"


def test_statistics_counts_the_open_gaps_by_rule(tmp_path, capsys):
    """ruff's --statistics: one line a rule, how many open gaps it has across the run, most first."""
    folder = tmp_path / "drafts"
    folder.mkdir()
    deficient = (SAMPLES / "draft-10k-1c-deficient.md").read_text(encoding="utf-8")
    for name in ("a.md", "b.md"):
        (folder / name).write_text(deficient, encoding="utf-8")
    (folder / "c.md").write_text((SAMPLES / "draft-10k-1c-complete.md").read_text(encoding="utf-8"),
                                 encoding="utf-8")
    code, out, err = run_main(capsys, "check", str(folder), "--statistics")
    assert code == 1, err
    lines = out.splitlines()
    assert len(lines) == 7 and all(ln.split()[0] == "2" for ln in lines)
    assert lines[0].split()[1:3] == ["SK106-B2-MATERIAL-EFFECT", "error"]  # error first among equals
    assert "MISSING" not in out and "How peers say it" not in out
    code, out, _ = run_main(capsys, "check", str(folder / "c.md"), "--statistics")
    assert code == 0 and out == ""


def test_check_statistics_fit_80_columns(capsys, monkeypatch) -> None:
    """`check --statistics` printed the rule's title whole, 98 columns for SK106-C2II-MONITORING; its line
    is cut to the width (80 in a pipe), one line a rule still."""
    code, out, _ = run_main(capsys, "check", "--statistics", DEFICIENT)
    lines = out.splitlines()
    assert code == 1 and len(lines) == 7 and max(len(ln) for ln in lines) <= 80
    assert any(ln.split()[1] == "SK106-C2II-MONITORING" and ln.endswith("…") for ln in lines)
    monkeypatch.setenv("COLUMNS", "120")
    code, out, _ = run_main(capsys, "check", "--statistics", DEFICIENT)
    assert "informed about and monitors incidents" in out


def _complete(monkeypatch, capsys, words: str) -> list[str]:
    """The shell's completions (bash) for the command line `words`, the last word being completed."""
    from checker.cli import cli

    parts = words.split(" ")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(len(parts) - 1))
    monkeypatch.setenv("_CYDCHECK_COMPLETE", "bash_complete")
    with pytest.raises(SystemExit):
        cli.main(args=[], prog_name="cydcheck", complete_var="_CYDCHECK_COMPLETE")
    return [ln.split(",", 1)[1] for ln in capsys.readouterr().out.splitlines()]


def test_the_shell_completes_pack_and_rule_names(monkeypatch, capsys):
    """Completion offered option names only: `--pack <TAB>`, `--select SK106-B<TAB>` and `explain mat<TAB>`
    gave nothing."""
    assert "sk-106" in _complete(monkeypatch, capsys, "cydcheck check --pack ")
    assert "form-20f-16k" in _complete(monkeypatch, capsys, "cydcheck check --pack form")
    rules = _complete(monkeypatch, capsys, "cydcheck check --select SK106-B")
    assert "SK106-B2-MATERIAL-EFFECT" in rules and not [r for r in rules if not r.startswith("SK106-B")]
    assert "material_effect" in _complete(monkeypatch, capsys, "cydcheck check --disable mat")
    assert "material_effect" in _complete(monkeypatch, capsys, "cydcheck explain mat")
    assert "SK106-C1-COMMITTEE" in _complete(monkeypatch, capsys, "cydcheck rules show SK106-C1-C")


def test_the_readme_says_how_to_turn_completion_on():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert '_CYDCHECK_COMPLETE=bash_source cydcheck' in readme


def test_batch_says_how_many_filings_fail_the_gate(tmp_path, capsys):
    """batch's last line counted the filings checked and exited 1 without saying how many failed --fail-on."""
    folder = tmp_path / "drafts"
    folder.mkdir()
    for name in ("draft-10k-1c-deficient.md", "draft-10k-1c-complete.md"):
        (folder / name).write_text((SAMPLES / name).read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = run_main(capsys, "batch", str(folder), "--out", str(tmp_path / "run"), "--jobs", "1",
                            "--no-progress")
    assert code == 1
    assert "; 1 filing with a gap at or above --fail-on error: exit 1" in err.splitlines()[-1]
    code, _, err = run_main(capsys, "batch", str(folder), "--out", str(tmp_path / "run"), "--jobs", "1",
                            "--no-progress", "--fail-on", "never")
    assert code == 0 and err.splitlines()[-1].endswith("; --fail-on never: exit 0")


def test_a_file_name_with_a_pipe_reads_as_it_is_in_the_markdown_source_line(tmp_path, capsys):
    """The Markdown report's "Source" line (no table) showed `a\\|b.md` for a file named a|b.md: the pipe is
    escaped only in a table cell, where GitHub needs it."""
    draft = tmp_path / "a|b.md"
    draft.write_text((SAMPLES / "draft-10k-1c-deficient.md").read_text(encoding="utf-8"), encoding="utf-8")
    _, out, _ = run_main(capsys, "check", str(draft), "-f", "markdown", "--no-examples")
    source = next(ln for ln in out.splitlines() if ln.startswith("Source "))
    assert "a|b.md`" in source and "\\|" not in source


@pytest.mark.parametrize("args", [
    ["diff", str(SAMPLES / "draft-10k-1c-deficient.md"), str(SAMPLES / "draft-10k-1c-complete.md")],
    ["extract", str(SAMPLES / "draft-10k-1c-complete.md")],
])
def test_a_json_output_of_diff_and_extract_is_json(args, tmp_path, capsys):
    """`diff A B -o diff.json` and `extract F -o section.json` wrote text into the .json file, where `check -o
    report.json` writes JSON: -o takes its format from the extension for every command."""
    import json

    out = tmp_path / "out.json"
    code, _, err = run_main(capsys, *args, "-o", str(out))
    assert code == 0, err
    json.loads(out.read_text(encoding="utf-8"))
    code, _, err = run_main(capsys, *args, "-o", str(tmp_path / "out.txt"))
    assert not (tmp_path / "out.txt").read_text(encoding="utf-8").lstrip().startswith("{")
    code, _, err = run_main(capsys, *args, "-f", "text", "-o", str(tmp_path / "given.json"))
    assert not (tmp_path / "given.json").read_text(encoding="utf-8").lstrip().startswith("{")


def test_select_takes_a_comma_separated_list_as_ruff_does(tmp_path, capsys, monkeypatch):
    """`--select SK106-B2,SK106-C2` (ruff's `--select E,W`) named no rule and stopped the run."""
    code, out, err = run_main(capsys, "check", DEFICIENT, "--select", "SK106-B2,SK106-C2", "-q", "--no-examples")
    assert code == 1, err
    assert "SK106-B2-MATERIAL-EFFECT" in out and "SK106-C2I-ROLES" in out and "SK106-B1I-ERM" not in out
    code, out, err = run_main(capsys, "check", DEFICIENT, "--ignore", "material_effect, SK106-C2", "-q",
                              "--no-examples")
    assert code == 0 and "SK106-C2I-ROLES" not in out and "SK106-B1I-ERM" in out
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".cydcheck.yaml").write_text("select: SK106-B2,SK106-C2\n", encoding="utf-8")
    code, out, _ = run_main(capsys, "check", DEFICIENT, "-q", "--no-examples")
    assert code == 1 and "SK106-C2I-ROLES" in out and "SK106-B1I-ERM" not in out


def test_a_selection_that_names_no_rule_fails_before_checking(tmp_path, capsys, monkeypatch):
    """`check FOLDER --select materal_effect` read and checked every filing first, then said the selection kept
    no rule; it now fails at once, before reading any input (a missing file is not even opened)."""
    import checker.cli.config as cli_config

    monkeypatch.setattr(cli_config, "check_documents", lambda *a, **k: pytest.fail("checked"))
    code, out, err = run_main(capsys, "check", DEFICIENT, "--select", "materal_effect")
    assert code == 2 and out == ""
    assert "keeps no rule of the packs used: nothing was checked" in err and "did you mean material_effect?" in err


def test_a_selection_of_a_house_pack_rule_is_not_refused_early(tmp_path, capsys):
    from cli_helpers import plan_pack

    pack = tmp_path / "tiny.yaml"
    pack.write_text(plan_pack(), encoding="utf-8")
    draft = tmp_path / "d.md"
    draft.write_text("Item 1C. Cybersecurity\n\nOur board oversees cyber risk.\n", encoding="utf-8")
    code, out, err = run_main(capsys, "check", str(draft), "--pack", str(pack), "--select", "T-BOARD")
    assert code == 0 and "T-BOARD" in out, err
    code, out, err = run_main(capsys, "check", str(draft), "--select", "DRAFT-PLACEHOLDER")
    assert code == 0, err


@pytest.mark.parametrize("command", [("check", "{name}.md"), ("batch", "-o", "{name}", "samples/draft-10k-1c-complete.md"),
                                     ("extract", "{name}.docx")])
def test_a_file_name_too_long_for_the_system_is_a_one_line_error(tmp_path, capsys, monkeypatch, command):
    # A Windows name with accents (2 bytes each here) past 255 bytes was "internal error: OSError ... please
    # report this", exit 3.
    from cli_helpers import assert_one_line_error

    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    name = str(tmp_path / ("r\u00e9sum\u00e9 " * 30))
    code, _, err = run_main(capsys, *(a.format(name=name) for a in command))
    assert_one_line_error(code, err, "r\u00e9sum\u00e9", "name too long")
    assert "output" not in err  # the input's name: extract said "cannot write the output" of it


def test_a_windows_path_is_told_how_to_write_it_here(tmp_path, capsys, monkeypatch):
    # 'drafts\Q3 Draft.md' pasted from Windows was "no such file" alone, the file right there.
    from cli_helpers import assert_one_line_error

    monkeypatch.chdir(tmp_path)
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "Q3 Draft (John's edits).md").write_text("Item 1C. Cybersecurity\n\nThe board.\n",
                                                                     encoding="utf-8")
    code, _, err = run_main(capsys, "check", "drafts\\Q3 Draft (John's edits).md")
    assert_one_line_error(code, err, "no such file", "separated by '/': drafts/Q3 Draft (John's edits).md")
    code, _, err = run_main(capsys, "check", "drafts\\*.md")
    assert_one_line_error(code, err, "no files match", "separated by '/': drafts/*.md")
    code, _, err = run_main(capsys, "batch", "drafts\\*.md", "-o", "out")
    assert code == 2 and "separated by '/': drafts/*.md" in (tmp_path / "out" / "summary.csv").read_text("utf-8")
    code, _, err = run_main(capsys, "check", "C:\\nowhere\\x.md")  # nothing to point at: the plain error
    assert_one_line_error(code, err, "C:\\nowhere\\x.md", "no such file")
    assert "separated" not in err


def test_an_exclude_written_on_windows_leaves_the_folder_out(tmp_path, capsys, monkeypatch):
    # `exclude: ['drafts\archive']` in a .cydcheck.yaml written on Windows left nothing out, in silence.
    (tmp_path / "drafts" / "archive").mkdir(parents=True)
    deficient = (SAMPLES / "draft-10k-1c-deficient.md").read_text(encoding="utf-8")
    (tmp_path / "drafts" / "archive" / "fy23.md").write_text(deficient, encoding="utf-8")
    (tmp_path / "drafts" / "fy25.md").write_text((SAMPLES / "draft-10k-1c-complete.md").read_text(
        encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".cydcheck.yaml").write_bytes(b"exclude:\r\n  - 'drafts\\archive'\r\n  - '.\\drafts\\old\\*'\r\n")
    code, out, err = run_main(capsys, "check", "drafts", "--no-examples")
    assert code == 0 and "fy23" not in out and "checked 1 file" in err, out


def test_an_output_named_with_windows_backslashes_is_noted(tmp_path, capsys, monkeypatch):
    # `-o reports\gaps.json` wrote a file of that name in the current folder, reports/ left empty, in silence.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports").mkdir()
    draft = str(SAMPLES / "draft-10k-1c-complete.md")
    code, _, err = run_main(capsys, "check", draft, "-f", "json", "-o", "reports\\gaps.json")
    assert code == 0 and "note: reports\\gaps.json: written under that one name" in err
    assert "separated by '/': reports/gaps.json" in err
    code, _, err = run_main(capsys, "batch", draft, "-o", "reports\\run1")
    assert code == 0 and "separated by '/': reports/run1" in err
    code, _, err = run_main(capsys, "check", draft, "-f", "json", "-o", "gaps.json")
    assert "note" not in err


_DIFF = ["diff", str(SAMPLES / "draft-10k-1c-deficient.md"), str(SAMPLES / "draft-10k-1c-complete.md")]
_EXTRACT = ["extract", str(SAMPLES / "draft-10k-1c-complete.md")]


@pytest.mark.parametrize("args, name, given", [
    (_DIFF, "memo.docx", []), (_DIFF, "memo.docx", ["-f", "markdown"]), (_DIFF, "memo.pdf", []),
    (_DIFF, "memo.html", []), (_EXTRACT, "section.docx", []), (_EXTRACT, "section.docx", ["-f", "text"]),
    (_EXTRACT, "section.html", []),
])
def test_an_output_named_for_a_format_the_command_does_not_write_is_refused(args, name, given, tmp_path, capsys):
    """Counsel asked for the disclosure committee's memo as `diff last.htm draft.docx -o memo.docx`: diff wrote
    its plain text into memo.docx, which Word will not open (and `extract -o section.docx` the same). An output
    named for a format the command does not write is refused before any work, one line naming the file and
    the extensions it writes, exit 2; nothing is written."""
    out = tmp_path / name
    code, _, err = run_main(capsys, *args, *given, "-o", str(out))
    assert code == 2
    assert not out.exists()
    line = err.strip().splitlines()[-1]
    assert str(out) in line and ".txt" in line and ".json" in line


def test_a_windows_console_that_takes_no_colour_codes_gets_a_plain_report(capsys, monkeypatch, terminal):
    """cmd.exe or PowerShell 5 in the old console host shows colour codes as text ('←[31mMISSING ←[0m') unless
    the program turns on their processing: colour is used only where the console takes it (Windows Terminal,
    or the console once turned on), and --color still asks for it."""
    monkeypatch.setattr("checker.cli.common.sys.platform", "win32")
    monkeypatch.setattr("checker.cli.common.windows_console_colours", lambda: False)
    _, plain, _ = run_main(capsys, "check", "--fail-on", "never", DEFICIENT)
    assert RED not in plain and "MISSING" in plain
    _, asked, _ = run_main(capsys, "check", "--fail-on", "never", "--color", DEFICIENT)
    assert RED in asked
    monkeypatch.setattr("checker.cli.common.windows_console_colours", lambda: True)
    _, coloured, _ = run_main(capsys, "check", "--fail-on", "never", DEFICIENT)
    assert RED in coloured


def test_windows_console_colours_is_false_where_there_is_no_windows_console():
    from checker.cli.common import windows_console_colours

    assert windows_console_colours() is False


def test_a_folder_checked_with_its_report_redirected_into_it_leaves_that_file_out(tmp_path):
    """`cydcheck check . -f json > report.json` run in the drafts folder: the shell made report.json (empty)
    before the walk, which read it as a record ("the file is empty"), exited 2 and printed no report."""
    import json
    import os
    import subprocess
    import sys

    (tmp_path / "draft.md").write_text(Path(DEFICIENT).read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with (tmp_path / "report.json").open("w") as out, (tmp_path / "errors.txt").open("w") as err:
        done = subprocess.run([sys.executable, "-m", "checker", "check", ".", "-f", "json", "--no-examples"],
                              stdout=out, stderr=err, cwd=tmp_path, env=env, timeout=120, check=False)
    said = (tmp_path / "errors.txt").read_text(encoding="utf-8")
    assert done.returncode == 1, said
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["document"]["source"] == "draft.md"
    assert "2 files in . left out: this run's output" in said
