"""`cydcheck check` as ruff and Vale users expect: folders walked, --select/--disable, --quiet, wrapped text."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error, run_main

from checker.api import Checker
from checker.batch import expand_inputs
from checker.model import Evidence, Match
from checker.report import render
from checker.report.context import carries_requirement, distinct_evidence
from checker.selection import RuleSelection, unmatched

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DEFICIENT = "draft-10k-1c-deficient.md"
COMPLETE = "draft-10k-1c-complete.md"


@pytest.fixture
def drafts(tmp_path: Path) -> Path:
    """A git repository with drafts, a nested folder, an ignored build folder and a hidden folder."""
    repo = tmp_path / "repo"
    (repo / "disclosures" / "fy25").mkdir(parents=True)
    (repo / "disclosures" / "build").mkdir()
    (repo / "disclosures" / ".drafts").mkdir()
    shutil.copy(SAMPLES / DEFICIENT, repo / "disclosures" / DEFICIENT)
    shutil.copy(SAMPLES / COMPLETE, repo / "disclosures" / "fy25" / COMPLETE)
    shutil.copy(SAMPLES / COMPLETE, repo / "disclosures" / "build" / "copy.md")
    shutil.copy(SAMPLES / COMPLETE, repo / "disclosures" / ".drafts" / "old.md")
    (repo / "disclosures" / "notes.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old Word file")
    (repo / ".gitignore").write_text("build/\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo


# ---------------------------------------------------------------- folders as inputs


def test_a_folder_is_walked_for_known_inputs_skipping_hidden_and_gitignored(drafts, capsys, monkeypatch):
    monkeypatch.chdir(drafts)
    code, out, err = run_main(capsys, "check", "disclosures", "--fail-on", "never")
    assert code == 0, err
    assert f"disclosures/{DEFICIENT}:" in out and f"disclosures/fy25/{COMPLETE}:" in out
    assert "build/copy.md" not in out and ".drafts" not in out and "notes.doc" not in out
    assert "cydcheck: checked 2 files" in err


def test_a_folder_outside_git_walks_everything_but_hidden(drafts, capsys):
    shutil.rmtree(drafts / ".git")
    code, out, err = run_main(capsys, "check", str(drafts / "disclosures"), "--fail-on", "never")
    assert code == 0, err
    assert "build/copy.md" in out and ".drafts" not in out
    assert "checked 3 files" in err


def test_a_folder_walk_follows_a_linked_folder_once_and_ends_in_a_link_loop(drafts, tmp_path, capsys,
                                                                            monkeypatch):
    # a filing agent's year folder linked into the folder checked: walked, as a glob pattern walks it
    archive = tmp_path / "archive" / "fy24"
    archive.mkdir(parents=True)
    shutil.copy(SAMPLES / COMPLETE, archive / "fy24.md")
    (drafts / "disclosures" / "fy24").symlink_to(archive, target_is_directory=True)
    (drafts / "disclosures" / "fy25" / "up").symlink_to("..", target_is_directory=True)  # a loop
    (drafts / "disclosures" / "again").symlink_to("fy25", target_is_directory=True)  # a folder's second name
    (drafts / "disclosures" / "gone").symlink_to(tmp_path / "nowhere", target_is_directory=True)
    (drafts / "disclosures" / "old").symlink_to("build", target_is_directory=True)  # an ignored folder's link
    (drafts / ".gitignore").write_text("build/\nold\n", encoding="utf-8")
    monkeypatch.chdir(drafts)
    code, out, err = run_main(capsys, "check", "disclosures", "--fail-on", "never")
    assert code == 0, err
    assert "disclosures/fy24/fy24.md:" in out and f"disclosures/fy25/{COMPLETE}:" in out
    assert "copy.md" not in out and "again/" not in out and "up/" not in out
    assert "cydcheck: checked 3 files" in err
    code, out, err = run_main(capsys, "check", "disclosures/fy24", "--fail-on", "never")
    assert code == 0 and "disclosures/fy24/fy24.md:" in out  # a link given is walked too


@pytest.mark.parametrize("name", ["-draft.md", "--final.md"])
def test_a_file_whose_name_starts_with_a_dash_is_told_how_to_check_it(name, tmp_path, capsys, monkeypatch):
    # an agent's file named "-draft.md" was "No such option '-d'": which file, and how to name it, is said
    shutil.copy(SAMPLES / COMPLETE, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(capsys, "check", "-q", name)
    assert_one_line_error(code, err, name, f"is a file: to name it, write ./{name} (or put -- before it)")
    for named in (["--", name], [f"./{name}"]):
        code, out, err = run_main(capsys, "check", "-q", *named)
        assert code == 0, err
    code, out, err = run_main(capsys, "check", "-x")  # no such file: click's own words
    assert err == "cydcheck: error: No such option '-x'. (see `cydcheck check --help`)\n"


def test_a_folder_names_the_links_to_nothing_and_pipes_it_could_not_read(tmp_path, capsys):
    # an agent's folder of links into a share that was not mounted: "no input files (.docx .htm ...)" where
    # `ls` shows filing.txt, and beside a real draft the dead links were passed over without a word
    folder = tmp_path / "filings"
    folder.mkdir()
    (folder / "gone.htm").symlink_to(tmp_path / "unmounted" / "gone.htm")
    (folder / "l1.txt").symlink_to("l2.txt")
    (folder / "l2.txt").symlink_to("l1.txt")  # a loop
    code, out, err = run_main(capsys, "check", str(folder))
    assert_one_line_error(code, err, "filings", "no input files")
    assert "3 entries that lead to no file (a link to nothing or a loop, a pipe): " in err and "gone.htm" in err
    shutil.copy(SAMPLES / COMPLETE, folder / "draft.md")
    code, out, err = run_main(capsys, "check", str(folder), "-q")
    assert code == 0 and f"cydcheck: warning: not checked in {folder}: 3 entries that lead to no file" in err


def test_a_folder_without_inputs_is_a_one_line_error(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    code, out, err = run_main(capsys, "check", str(tmp_path / "empty"))
    assert code == 2
    assert err.strip().count("\n") == 0 and "empty" in err and "no input files" in err
    assert "1 document of a type cydcheck does not read" in err and "notes.doc" in err


def test_a_file_and_its_folder_check_the_file_once(drafts, capsys, monkeypatch):
    monkeypatch.chdir(drafts)
    code, out, err = run_main(capsys, "check", f"disclosures/{DEFICIENT}", "disclosures", "--fail-on", "never")
    assert out.count(f"disclosures/{DEFICIENT}:") == 1
    assert "checked 2 files" in err


# ---------------------------------------------------------------- --select / --disable


@pytest.mark.parametrize("select, disable, rule, kept", [
    ((), (), "SK106-C2I-ROLES", True),
    ((), ("SK106-C2",), "SK106-C2I-ROLES", False),
    ((), ("sk106-c2i-roles",), "SK106-C2I-ROLES", False),
    (("SK106-C1",), (), "SK106-C2I-ROLES", False),
    (("SK106-C1",), (), "SK106-C1-COMMITTEE", True),
    (("SK106",), ("SK106-C2",), "SK106-C2II-MONITORING", False),
    (("SK106-C2I-ROLES",), ("SK106-C2",), "SK106-C2I-ROLES", True),  # the more specific entry wins
    (("SK106-C2",), ("SK106-C2",), "SK106-C2I-ROLES", False),  # a tie disables
])
def test_selection_by_id_or_prefix_the_more_specific_wins(select, disable, rule, kept):
    assert RuleSelection(select, disable).keeps(rule) is kept


@pytest.mark.parametrize("select, disable, kept", [
    (("mgmt_roles",), (), True),  # the element id, as reports print it beside the rule
    (("MGMT_ROLES",), (), True),
    (("mgmt_expertise",), (), False),
    (("SK106",), ("mgmt_roles",), False),  # the element names the rule as exactly as its id
    (("mgmt_roles",), ("SK106-C2",), True),
    (("mgmt_roles",), ("SK106-C2I-ROLES",), False),  # a tie disables
])
def test_selection_by_element_id(select, disable, kept):
    assert RuleSelection(select, disable).keeps("SK106-C2I-ROLES", "mgmt_roles") is kept
    assert RuleSelection(("mgmt_roles",)).keeps("SK106-C2I-ROLES") is False  # a rule with no element


def test_unmatched_entries_are_named():
    rules = [("SK106-C2I-ROLES", "mgmt_roles")]
    assert unmatched(["SK106-C2", "SK106-ZZ", "mgmt_roles", "mgmt_role"], rules) == ["SK106-ZZ", "mgmt_role"]


def test_a_selection_that_keeps_no_rule_fails_the_run_instead_of_passing_it(capsys):
    """A typo in --select left nothing to check, and the run said "coverage 100%" and exited 0."""
    code, out, err = run_main(capsys, "check", str(SAMPLES / DEFICIENT), "--select", "material_efect")
    assert code == 2 and out == ""
    assert "keeps no rule of the packs used: nothing was checked" in err and "material_efect" in err
    code, out, _ = run_main(capsys, "check", str(SAMPLES / DEFICIENT), "--select", "material_effect")
    assert code == 1 and "SK106-B2-MATERIAL-EFFECT" in out and "0 met, 0 partial, 1 missing" in out


def test_a_check_without_a_selection_reads_no_pack_outline(capsys, monkeypatch):
    # Every check read each pack's YAML again, and loaded the schema validator, to look up a --select or
    # --disable it was not given (0.37 s of a 1.7 s check of a draft on every save); only a selection needs it.
    from checker.cli import config as cli_config

    asked: list[object] = []
    real = cli_config.rule_names
    monkeypatch.setattr(cli_config, "rule_names", lambda *a: asked.append(a) or real(*a))
    code, _, _ = run_main(capsys, "check", str(SAMPLES / COMPLETE), "-q", "--no-examples")
    assert code == 0 and asked == []
    code, _, err = run_main(capsys, "check", str(SAMPLES / COMPLETE), "-q", "--no-examples", "--select", "SK106-C2")
    assert code == 0 and asked and err == ""


def test_select_and_disable_on_the_command_line(capsys):
    code, out, err = run_main(capsys, "check", str(SAMPLES / DEFICIENT), "--select", "SK106-C2",
                              "--disable", "SK106-C2I-EXPERTISE", "--disable", "SK106-NOPE")
    rules = [ln.split()[1] for ln in out.splitlines() if ln.startswith("  ") and ln.split()[0] in
             ("MET", "MISSING", "PARTIAL")]
    assert rules == ["SK106-C2I-ROLES", "SK106-C2II-MONITORING", "SK106-C2III-REPORTS-BOARD"]
    assert "'disable' names no rule of the packs used: SK106-NOPE" in err
    assert code == 0  # the gaps left are warnings; the error-level material-effect rule is not selected
    code, out, _ = run_main(capsys, "check", str(SAMPLES / DEFICIENT), "--select", "SK106-C1")
    assert code == 0 and "3 met, 0 partial, 0 missing" in out
    code, _, _ = run_main(capsys, "check", str(SAMPLES / DEFICIENT), "--select", "SK106-B2")
    assert code == 1


def test_o_is_short_for_output_and_the_format_comes_from_the_extension(tmp_path, capsys):
    """As ruff users type it: `-o report.sarif` writes SARIF, the same bytes `--output` writes."""
    short, long = tmp_path / "short.sarif", tmp_path / "long.sarif"
    code, _, _ = run_main(capsys, "check", str(SAMPLES / DEFICIENT), "-o", str(short))
    assert code == 1 and short.read_text(encoding="utf-8").lstrip().startswith("{")
    run_main(capsys, "check", str(SAMPLES / DEFICIENT), "--output", str(long))
    assert '"version": "2.1.0"' in short.read_text(encoding="utf-8")
    assert short.read_bytes() == long.read_bytes()


@pytest.mark.parametrize("given, meant", [("md", "markdown"), ("XML", "junit"), ("Markdown", "markdown"),
                                           ("txt", "text")])
def test_f_takes_a_format_or_the_extension_that_names_it(capsys, given, meant):
    _, by_alias, _ = run_main(capsys, "check", str(SAMPLES / DEFICIENT), "-f", given)
    _, by_name, _ = run_main(capsys, "check", str(SAMPLES / DEFICIENT), "--format", meant)
    assert by_alias == by_name and by_alias.strip()


def test_an_unknown_format_is_one_line_naming_the_known_ones(capsys):
    code, _, err = run_main(capsys, "check", str(SAMPLES / DEFICIENT), "--format", "xlsx")
    assert_one_line_error(code, err, "'xlsx'", "is not a format: codequality, concise, csv, docx, github, html, json, junit, markdown, pdf")


def test_a_file_where_the_command_belongs_is_told_how_to_check_it(capsys, tmp_path):
    draft = tmp_path / "my draft.md"
    draft.write_text("Item 1C. Cybersecurity", encoding="utf-8")
    code, _, err = run_main(capsys, str(draft))
    assert_one_line_error(code, err, "my draft.md", f"to check it: cydcheck check '{draft}'")
    for word in ("no-such-command", "x" * 5000, "nul\x00byte"):  # nothing a path check fails on is a crash
        code, _, err = run_main(capsys, word)
        assert code == 2 and "No such command" in err and "internal error" not in err


@pytest.mark.parametrize("args", [(), ("rules",), ("peers",)])
def test_a_group_without_its_command_prints_its_help_as_it_is(capsys, args):
    """Not the help folded onto one "error:" line with its newlines written out as \\n."""
    code, out, err = run_main(capsys, *args)
    text = out + err
    assert text.startswith("Usage: cydcheck") and "Commands:" in text.splitlines()
    assert "\\n" not in text and "error" not in text
    assert code in (0, 2)  # click 8.2 and later: 2, as for any usage; 8.1: 0


@pytest.mark.parametrize("given, form, pack", [("10k", "10-K", "sk-106"), ("20F", "20-F", "form-20f-16k"),
                                               ("8-k/a", "8-K/A", "form-8k-105"), (" 10-K ", "10-K", "sk-106")])
def test_form_takes_the_spellings_users_type(capsys, given, form, pack):
    """--form 20F on a 10-K draft meant the 20-F pack; it was kept as '20F', which names no pack, and the draft's
    heading chose sk-106 without a word."""
    from checker.detect import form_named

    assert form_named(given) == form
    code, out, _ = run_main(capsys, "check", str(SAMPLES / DEFICIENT), "--form", given, "-f", "json")
    report = json.loads(out)  # one input: the report itself
    assert (report["document"]["form"], report["pack"]["id"]) == (form, pack)


@pytest.mark.parametrize("given", ["6-K", "10Q", "S-1", ""])
def test_a_form_no_pack_checks_is_one_line(capsys, given):
    code, _, err = run_main(capsys, "check", str(SAMPLES / DEFICIENT), "--form", given)
    assert_one_line_error(code, err, f"'{given}'", "is not a form the packs check: 10-K, 20-F or 8-K")


def test_every_command_writing_a_file_takes_o():
    """-o on each command with an output (batch's is its folder): one spelling users need not look up."""
    import click

    from checker.cli import cli

    def commands(group: click.Group, ctx: click.Context) -> list[tuple[str, click.Command]]:
        out = []
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            out += commands(cmd, ctx) if isinstance(cmd, click.Group) else [(name, cmd)]
        return out

    found = []
    for name, command in commands(cli, click.Context(cli)):
        for p in command.params:
            if "--output" in p.opts or "--out" in p.opts:
                found.append(name)
                assert "-o" in p.opts, f"{name}: {p.opts}"
    assert {"check", "batch", "eval", "diff", "extract", "baseline"} <= set(found)


def test_select_disable_and_quiet_from_the_configuration(tmp_path, capsys, monkeypatch):
    shutil.copy(SAMPLES / DEFICIENT, tmp_path / DEFICIENT)
    (tmp_path / ".cydcheck.yaml").write_text(
        "select: [SK106-B]\ndisable: SK106-B2\nquiet: true\nfail-on: never\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(capsys, "check", DEFICIENT)
    assert code == 0
    shown = {ln.split()[1] for ln in out.splitlines() if ln.startswith("  MISSING")}
    assert shown == {"SK106-B1I-ERM", "SK106-B1II-ASSESSORS", "SK106-B1III-PROVIDERS"}
    assert "MET " not in out and "coverage" not in out  # quiet: gaps only
    code, out, _ = run_main(capsys, "config", "--format", "json")
    assert '"quiet"' in out and '"select"' in out
    (tmp_path / ".cydcheck.yaml").write_text("quiet: yes please\n", encoding="utf-8")
    code, _, err = run_main(capsys, "check", DEFICIENT)
    assert code == 2 and "'quiet' must be true or false" in err


# ---------------------------------------------------------------- --quiet


def test_quiet_prints_open_gaps_only_and_nothing_for_a_clean_draft(capsys):
    code, out, err = run_main(capsys, "check", "-q", str(SAMPLES / COMPLETE))
    assert code == 0 and out == ""
    code, out, err = run_main(capsys, "check", "--quiet", str(SAMPLES / DEFICIENT))
    assert code == 1
    marks = {ln.split()[0] for ln in out.splitlines() if ln.startswith("  ") and not ln.startswith("   ")}
    assert "MISSING" in marks and not marks & {"MET", "PARTIAL", "N/A"}
    assert "coverage" not in out


def test_quiet_keeps_the_met_verdicts_marked_for_review(capsys):
    """A mark asks a person to read a sentence, as a gap does: quiet mode keeps it, and drops every other met."""
    sample = ROOT / "tests" / "fixtures" / "reports" / "rkt-2023-10k-1c.json"
    code, out, _ = run_main(capsys, "check", "-q", str(sample))
    assert code == 0  # a mark is not a gap: the gate is unchanged
    heads = [ln.split()[:2] for ln in out.splitlines()
             if ln.startswith("  ") and ln.split()[0] in ("MET", "MISSING", "PARTIAL", "N/A")]
    assert heads == [["MET", "SK106-C1-COMMITTEE"], ["MET", "SK106-C2II-MONITORING"]]
    assert out.count("review: the model alone reads the sentence") == 2 and "coverage" not in out


def test_quiet_leaves_out_the_folder_count(drafts, capsys, monkeypatch):
    monkeypatch.chdir(drafts)
    _, _, err = run_main(capsys, "check", "-q", "disclosures", "--fail-on", "never")
    assert "cydcheck: checked" not in err and "files" not in err
    # what was not checked is said even in quiet mode: the old Word file beside the drafts
    assert err == ("cydcheck: warning: not checked in disclosures: 1 document of a type cydcheck does not read "
                   "(save the section as .docx, PDF, HTML or plain text): disclosures/notes.doc\n")


# ---------------------------------------------------------------- text width


def test_text_report_is_80_columns_when_not_a_terminal(capsys, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    code, out, _ = run_main(capsys, "check", str(SAMPLES / DEFICIENT))
    widths = [len(ln) for ln in out.splitlines()]
    assert max(widths) <= 80
    assert max(widths) > 70  # wrapped, not truncated to nothing


def test_text_report_follows_the_terminal_width(capsys, monkeypatch):
    monkeypatch.setattr("checker.cli.common.stdout_is_tty", lambda: True)
    monkeypatch.setenv("COLUMNS", "120")
    _, out, _ = run_main(capsys, "check", "--no-color", str(SAMPLES / DEFICIENT))
    widths = [len(ln) for ln in out.splitlines()]
    assert 80 < max(widths) <= 120


def test_columns_sets_the_width_of_a_report_piped_to_a_file(capsys, monkeypatch, tmp_path):
    """`COLUMNS=40 cydcheck check draft.md > gaps.txt`, to read on a 40-cell braille display: the report was
    wrapped at 80 whatever COLUMNS said; a file named by --output stays at 80."""
    monkeypatch.setenv("COLUMNS", "40")
    _, out, _ = run_main(capsys, "check", "--no-color", str(SAMPLES / DEFICIENT))
    assert max(len(ln) for ln in out.splitlines()[1:]) <= 40
    run_main(capsys, "check", str(SAMPLES / DEFICIENT), "-o", str(tmp_path / "gaps.txt"))
    assert max(len(ln) for ln in (tmp_path / "gaps.txt").read_text(encoding="utf-8").splitlines()) > 70


def test_a_narrow_terminal_gets_each_title_under_its_rule_id(checker):
    """A braille display's 40 cells: the title column past column 40 held one word a line, each line past the
    edge; the title goes under the id instead, wrapped as the message under it is."""
    report = checker.check_path(str(SAMPLES / DEFICIENT))
    lines = render(report, "text", width=40).splitlines()
    assert all(len(ln) <= 40 for ln in lines if " " in ln.strip())  # but a word longer than a line: the path
    head = lines.index("  MISSING  SK106-B1I-ERM")
    assert lines[head + 1:head + 3] == ["           Integration into overall risk", "           management"]
    wide = render(report, "text", width=80)
    assert "  MISSING  SK106-B1I-ERM                Integration into overall risk management\n" in wide


def test_colour_does_not_change_the_layout(checker):
    report = checker.check_path(str(SAMPLES / DEFICIENT))
    plain = render(report, "text", colour=False)
    coloured = render(report, "text", colour=True)
    assert "\x1b[31m" in coloured
    assert coloured.replace("\x1b[31m", "").replace("\x1b[32m", "").replace("\x1b[0m", "") == plain


# ---------------------------------------------------------------- quotes: each passage once, real terms marked


def _ev(start, end, text, matches=(), part=None):
    return Evidence(text, start, end, 1, tuple(matches), part)


def test_a_passage_inside_another_is_quoted_once_with_both_sets_of_terms():
    inner = _ev(10, 20, "x" * 10, [Match("a", 10, 12, "He")], "past")
    outer = _ev(10, 40, "x" * 30, [Match("b", 25, 30, "CISSP")])
    other = _ev(50, 60, "y" * 10)
    kept = distinct_evidence([inner, outer, other])
    assert [(e.start, e.end) for e in kept] == [(10, 40), (50, 60)]
    assert {m.text for m in kept[0].matches} == {"He", "CISSP"}
    assert kept[0].part == "past"


def test_abbvie_expertise_quotes_each_passage_once():
    # The rules alone find two spans here, one inside the other (the shipped pack's learned model quotes one).
    [report] = Checker(combine="rules").check_path(str(SAMPLES / "abbv-2024-10k-1c.json"))
    expertise = next(r for r in report.results if r.rule == "SK106-C2I-EXPERTISE")
    assert len(expertise.evidence) == 2  # the engine's two spans: one inside the other
    html = render([report], "html")
    row = html[html.index('data-rule="SK106-C2I-EXPERTISE"'):]
    row = row[:row.index("</tr>")]
    assert row.count("<blockquote>") == 1
    text = render([report], "text", width=200)
    block = text[text.index("SK106-C2I-EXPERTISE"):]
    block = block[:block.index("  MET      SK106-C2II")]
    assert block.count("para. 10:") == 1  # a JSON record's quote is placed by paragraph (db344dd)


@pytest.mark.parametrize("words, marked", [("We", False), ("our", False), ("He", False), ("their", False),
                                           ("CISSP", True), ("component of", True), ("Audit Committee", True)])
def test_only_words_that_carry_the_requirement_are_marked(words, marked):
    assert carries_requirement(Match("c", 0, len(words), words)) is marked


def test_pronouns_are_not_highlighted_in_html():
    # The rules' matched terms are what is marked (learned evidence carries n-grams, not matches).
    [report] = Checker(combine="rules").check_path(str(SAMPLES / "abbv-2024-10k-1c.json"))
    html = render([report], "html")
    assert '<mark class="term">We</mark>' not in html and '<mark class="term">our</mark>' not in html
    assert '<mark class="term">He</mark>' not in html
    assert '<mark class="term">CISSP</mark>' in html


def test_baseline_walks_a_folder_too(drafts, capsys, monkeypatch):
    monkeypatch.chdir(drafts)
    code, _, err = run_main(capsys, "baseline", "disclosures", "--justification", "ok", "--approved-by", "me")
    assert code == 0, err
    assert "for 2 documents" in err  # the deficient and the complete draft; build/ is git-ignored
    text = (drafts / ".cydcheck-baseline.yaml").read_text(encoding="utf-8")
    assert f"file: disclosures/{DEFICIENT}" in text and "build/" not in text


def test_batch_skips_git_ignored_paths_with_the_same_walk(drafts):
    tasks = expand_inputs([str(drafts / "disclosures")])
    names = sorted(Path(t.path).relative_to(drafts).as_posix() for t in tasks)
    assert names == [f"disclosures/{DEFICIENT}", f"disclosures/fy25/{COMPLETE}"]


# Word's owner file beside a draft open in Word: '~$' over the first two characters of its name, 162 bytes of
# the user's name (no zip archive)
WORD_LOCK = (bytes([14]) + b"Jane Associate").ljust(54, b" ") + (bytes([14, 0]) + "Jane Associate".encode(
    "utf-16-le")).ljust(108, b" ")


@pytest.fixture
def open_draft(tmp_path: Path) -> Path:
    """A folder holding a Word draft open in Word: the draft and Word's lock file beside it."""
    from docx_build import from_markdown

    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "Item 1C draft.docx").write_bytes(from_markdown((SAMPLES / COMPLETE).read_text(encoding="utf-8")))
    (folder / "~$em 1C draft.docx").write_bytes(WORD_LOCK)
    return folder


def test_a_folder_walk_skips_words_lock_file_and_names_it(open_draft, capsys, monkeypatch):
    monkeypatch.chdir(open_draft.parent)
    code, _, err = run_main(capsys, "check", "-q", "drafts")
    assert code == 0, err  # the draft checked, clean; the lock file no input error
    assert err == ("cydcheck: note: in drafts: 1 Word lock file skipped: drafts/~$em 1C draft.docx, Word's lock "
                   "file of 'drafts/Item 1C draft.docx', a document open in Word (what is not yet saved there is "
                   "not checked)\n")


def test_words_lock_file_given_is_a_one_line_error_naming_the_draft(open_draft, capsys):
    lock = str(open_draft / "~$em 1C draft.docx")
    code, _, err = run_main(capsys, "check", lock)
    assert_one_line_error(code, err, lock, "Word's lock file of")
    assert f"'{open_draft / 'Item 1C draft.docx'}', a document open in Word, not a draft" in err


def test_batch_skips_words_lock_file_with_the_same_walk(open_draft):
    assert [Path(t.path).name for t in expand_inputs([str(open_draft)])] == ["Item 1C draft.docx"]


# ---------------------------------------------------------------- an address given for a file


def test_an_address_is_said_to_be_fetched_never(capsys):
    # an auditor pastes the filing's EDGAR address: cydcheck works offline, so it says what to do instead
    url = "https://www.sec.gov/Archives/edgar/data/1/000000000125000001/x-20241231.htm"
    code, out, err = run_main(capsys, "check", url)
    assert_one_line_error(code, err, url, "no such file")
    assert "never fetches an address" in err and "save the document" in err


def test_a_missing_path_is_no_address(tmp_path, capsys):
    code, out, err = run_main(capsys, "check", str(tmp_path / "https-notes.md"))
    assert_one_line_error(code, err, "https-notes.md", "no such file")
    assert "address" not in err


# ---------------------------------------------------------------- explain alone


def test_explain_alone_lists_what_it_explains(capsys):
    code, out, err = run_main(capsys, "explain")
    assert code == 0 and err == ""
    assert "SK106-B2-MATERIAL-EFFECT" in out and "material_effect" in out and "F8K-105A-TIMING" in out
    assert out.rstrip().endswith("explain one: cydcheck explain RULE_ID (a rule id, its start or an element)")
    # the table is `rules list`'s, line for line
    code, listed, _ = run_main(capsys, "rules", "list")
    assert code == 0 and out.startswith(listed)


# ---------------------------------------------------------------- a draft saved as "Unicode Text"


def test_a_draft_saved_as_unicode_text_gives_the_same_findings(tmp_path, capsys):
    # Word's "Save as: Unicode Text" writes UTF-16 with a byte order mark and CRLF line ends
    text = (SAMPLES / DEFICIENT).read_text(encoding="utf-8")
    (tmp_path / "draft.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-16"))
    (tmp_path / "same.txt").write_text(text, encoding="utf-8")
    results = []
    for name in ("draft.txt", "same.txt"):
        code, out, err = run_main(capsys, "check", str(tmp_path / name), "-f", "json", "--fail-on", "never")
        assert code == 0, err
        results.append([(r["rule"], r["status"], [(e["line"], e["text"]) for e in r["evidence"]])
                        for r in json.loads(out)["results"]])
    assert results[0] == results[1] and any(status == "met" for _, status, _ in results[0])


# ---------------------------------------------------------------- a draft that states no form


def test_a_draft_that_states_no_form_is_said_so(tmp_path, capsys):
    draft = tmp_path / "para.md"
    draft.write_text("Our CISO reports to the Audit Committee quarterly on cybersecurity risks.\n", encoding="utf-8")
    code, out, err = run_main(capsys, "check", str(draft), "--fail-on", "never")
    flat = " ".join(out.split())  # the header line wraps at the terminal's width
    assert flat.startswith(f"{draft}: form not stated — pack sk-106") and "? Item ?" not in flat


def test_two_drafts_to_one_word_copy_say_how_to_get_a_copy_of_each(tmp_path: Path, capsys) -> None:
    drafts = [tmp_path / "a.docx", tmp_path / "b.docx"]
    for d in drafts:
        shutil.copyfile(ROOT / "samples" / "draft-10k-1c-deficient.docx", d)
    code, _, err = run_main(capsys, "check", *map(str, drafts), "-o", str(tmp_path / "both.docx"))
    assert_one_line_error(code, err, "a.docx", "give a folder with the format, -f docx -o FOLDER/")
    code, _, err = run_main(capsys, "check", *map(str, drafts), "-f", "docx", "-o", f"{tmp_path / 'out'}/",
                            "--no-examples")  # the advice, followed
    assert code == 1 and sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a-checked.docx",
                                                                                  "b-checked.docx"]


def test_a_batch_run_kept_beside_the_drafts_is_not_read_as_records(tmp_path: Path, capsys) -> None:
    # a researcher's folder: the drafts, and an earlier batch run's outputs (summary.jsonl, state/state.jsonl)
    shutil.copyfile(ROOT / "samples" / "draft-10k-1c-complete.md", tmp_path / "draft.md")
    code, _, err = run_main(capsys, "batch", str(tmp_path / "draft.md"), "--out", str(tmp_path / "run"))
    assert code == 0, err
    assert (tmp_path / "run" / "summary.jsonl").exists() and (tmp_path / "run" / "state" / "state.jsonl").exists()
    code, out, err = run_main(capsys, "check", str(tmp_path), "--no-examples", "-f", "json")
    assert code == 0, err
    assert json.loads(out)["document"]["source"].endswith("draft.md")  # the one document checked
    assert "left out as cydcheck reports" in err


def test_color_asked_for_reaches_a_pipe_or_a_file(capsys):
    """'--color' is for output that is not a terminal (less -R, a CI log): click.echo dropped the colours
    there, so the flag did nothing; without it a pipe stays plain."""
    _, coloured, _ = run_main(capsys, "check", "--color", "--fail-on", "never", str(SAMPLES / DEFICIENT))
    _, plain, _ = run_main(capsys, "check", "--fail-on", "never", str(SAMPLES / DEFICIENT))
    assert "\x1b[31m" in coloured and "\x1b" not in plain
    assert coloured.replace("\x1b[31m", "").replace("\x1b[32m", "").replace("\x1b[0m", "") == plain
