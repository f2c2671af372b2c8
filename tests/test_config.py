"""Configuration discovery and precedence, `cydcheck config`, extending packs (house rules), explain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error, run_main

from checker.config import COMMAND_LINE, DEFAULT, find_config, load_config
from checker.examples import run_examples
from checker.model import CheckerError
from checker.packs import load_pack

ROOT = Path(__file__).resolve().parent.parent

TINY_PACK = r"""
pack: tiny
title: Tiny test pack
version: "1"
applies_to: [{form: 10-K, item: 1C}]
vocabularies:
  board: ['board']
  cyber: ['cyber\w*']
  ciso: ['CISO', 'chief information security officer']
rules:
  - id: T-BOARD
    title: Board oversight
    citation: "test (c)(1)"
    severity: error
    message: No board oversight.
    guidance: Say how the board oversees cyber risk.
    match: {sentence: {all: [board, cyber]}}
    examples: {pass: ["The board oversees cybersecurity."], fail: ["We sell shoes."]}
  - id: T-CISO
    title: CISO named
    citation: "test (c)(2)"
    severity: warning
    message: No CISO.
    guidance: Name the CISO.
    match: {sentence: {any: [ciso]}}
    examples: {pass: ["Our CISO leads the program."], fail: ["We sell shoes."]}
"""

HOUSE_PACK = r"""
pack: house
title: House rules
version: "1"
extends: tiny.yaml
overrides:
  T-CISO: {severity: error, message: "House style: name the CISO."}
disable: [T-BOARD]
vocabularies:
  house_framework: ['NIST\s+CSF', 'ISO\s*27001']
rules:
  - id: H-FRAMEWORK
    title: Framework named
    citation: house style
    severity: warning
    message: No framework named.
    guidance: Name NIST CSF or ISO 27001.
    match: {sentence: {any: [house_framework]}}
    examples: {pass: ["We align to the NIST CSF."], fail: ["We sell shoes."]}
"""

DRAFT_NO_BOARD = "Item 1C. Cybersecurity\n\nOur CISO leads the program.\n"
DRAFT_NO_CISO = "Item 1C. Cybersecurity\n\nThe board oversees cybersecurity risk.\n"


run = run_main


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A project folder with a pack folder and a draft missing the CISO (a warning)."""
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "tiny.yaml").write_text(TINY_PACK, encoding="utf-8")
    (tmp_path / "draft.md").write_text(DRAFT_NO_CISO, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ---------------------------------------------------------------- discovery and parsing


def test_nearest_config_up_from_the_folder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.cydcheck]\nfail-on = "warning"\n', encoding="utf-8")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert find_config(sub) == tmp_path / "pyproject.toml"
    (tmp_path / "a" / ".cydcheck.yaml").write_text("fail-on: info\n", encoding="utf-8")
    assert find_config(sub) == tmp_path / "a" / ".cydcheck.yaml"
    assert load_config(cwd=sub)["fail-on"] == "info"


def test_yaml_wins_in_one_folder_and_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.cydcheck]\nfail-on = "warning"\n', encoding="utf-8")
    (tmp_path / ".cydcheck.yaml").write_text("fail-on: info\n", encoding="utf-8")
    assert find_config(tmp_path) == tmp_path / ".cydcheck.yaml"
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[tool.ruff]\nline-length = 100\n', encoding="utf-8")
    assert find_config(sub) == tmp_path / ".cydcheck.yaml"


def test_values_sources_and_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.cydcheck]\nfail-on = "warning"\nrules-dirs = ["packs"]\nformat = ["JSON", "text", "md"]\n'
        'output = ["out/report.json"]\ndisable = "T-BOARD"\n', encoding="utf-8")
    cfg = load_config(cwd=tmp_path)
    assert cfg["fail-on"] == "warning"
    assert cfg.source("fail-on") == f"{tmp_path / 'pyproject.toml'} [tool.cydcheck]"
    assert cfg["rules-dirs"] == (tmp_path.resolve() / "packs",)
    assert cfg["output"] == (tmp_path.resolve() / "out" / "report.json",)
    assert cfg["format"] == ("json", "text", "markdown")  # a format may be named by its extension
    assert cfg["disable"] == ("T-BOARD",)
    assert cfg["pack"] == "auto" and cfg.source("pack") == DEFAULT
    assert cfg["baseline"] == tmp_path.resolve() / ".cydcheck-baseline.yaml"


def test_a_tilde_in_a_configured_path_is_the_home_folder(tmp_path: Path, monkeypatch) -> None:
    """`output: ~/Desktop/gaps.json` and `baseline: ~/Legal/waivers.yaml` in .cydcheck.yaml were read as folders
    named '~' beside the configuration ('baseline file not found: .../drafts/~/Legal/waivers.yaml'), where a Mac
    user means the home folder, as the shell reads it."""
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / ".cydcheck.yaml").write_text("output: ~/Desktop/gaps.json\nbaseline: ~/Legal/waivers.yaml\n"
                                           "rules-dirs: [~/house-rules]\n", encoding="utf-8")
    cfg = load_config(cwd=drafts)
    assert cfg["output"] == (home / "Desktop" / "gaps.json",)
    assert cfg["baseline"] == home / "Legal" / "waivers.yaml"
    assert cfg["rules-dirs"] == (home / "house-rules",)


def test_command_line_overrides_the_file(tmp_path: Path) -> None:
    (tmp_path / ".cydcheck.yaml").write_text("fail-on: warning\npack: tiny\n", encoding="utf-8")
    cfg = load_config(cwd=tmp_path).override(fail_on="info", pack=None, rules_dirs=())
    assert (cfg["fail-on"], cfg.source("fail-on")) == ("info", COMMAND_LINE)
    assert (cfg["pack"], cfg.source("pack")) == ("tiny", str(tmp_path / ".cydcheck.yaml"))


@pytest.mark.parametrize("content, message", [
    ("packs: sk-106\n", "unknown setting 'packs' (did you mean 'pack'?)"),
    ("fail-on: sometimes\n", "'fail-on' must be one of"),
    ("format: xlsx\n", "unknown format 'xlsx'"),
    ("rules-dirs: [1, 2]\n", "'rules-dirs' must be a string or a list of strings"),
    ("- a list\n", "configuration must be a mapping"),
    ("pack: [unclosed\n", "malformed YAML"),
])
def test_bad_configuration_is_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / ".cydcheck.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(CheckerError) as exc:
        load_config(cwd=tmp_path)
    assert message in exc.value.message
    assert exc.value.file and exc.value.file.endswith(".cydcheck.yaml")


def test_duplicate_key_in_config_names_its_line(tmp_path: Path) -> None:
    (tmp_path / ".cydcheck.yaml").write_text("pack: sk-106\nfail-on: error\n\nfail-on: never\n",
                                             encoding="utf-8")
    with pytest.raises(CheckerError) as exc:
        load_config(cwd=tmp_path)
    assert "duplicate key 'fail-on'" in exc.value.message
    assert exc.value.line == 4
    assert str(exc.value).startswith(str(tmp_path / ".cydcheck.yaml") + ":4: ")


@pytest.mark.parametrize("table", ["tool.cydchek", "tools.cydcheck", "tool.cyd-check", "cydcheck", "tool.CYDCHECK"])
def test_a_misspelt_cydcheck_table_is_an_error_not_the_defaults(tmp_path: Path, table: str) -> None:
    """[tool.cydchek] with fail-on = "warning": passed over as another tool's table, the gate ran on the
    defaults and passed what the team meant to fail."""
    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "filings"\n\n[{table}]\nfail-on = "warning"\n',
                                             encoding="utf-8")
    with pytest.raises(CheckerError, match=r"did you mean \[tool\.cydcheck\]") as exc:
        find_config(tmp_path / "drafts")
    assert f"[{table}]" in exc.value.message and exc.value.file == str(tmp_path / "pyproject.toml")
    (tmp_path / "pyproject.toml").write_text('[tool.ruff]\nline-length = 100\n[tool.mypy]\nstrict = true\n',
                                             encoding="utf-8")
    assert find_config(tmp_path) is None  # other tools' tables are passed over, as before


def test_malformed_pyproject_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.cydcheck\n", encoding="utf-8")
    with pytest.raises(CheckerError, match="malformed TOML") as exc:
        find_config(tmp_path)
    assert exc.value.file == str(tmp_path / "pyproject.toml")


# ---------------------------------------------------------------- precedence through `check`


def test_check_uses_config_fail_on_and_the_command_line_overrides_it(project: Path, capsys) -> None:
    # The draft lacks only the CISO, a warning: the default fail-on (error) passes it.
    assert run(capsys, "check", "--pack", "packs/tiny.yaml", "draft.md")[0] == 0
    (project / "pyproject.toml").write_text(
        '[tool.cydcheck]\nfail-on = "warning"\npack = "packs/tiny.yaml"\n', encoding="utf-8")
    assert run(capsys, "check", "draft.md")[0] == 1
    assert run(capsys, "check", "--fail-on", "error", "draft.md")[0] == 0


def test_config_rules_dirs_pack_id_formats_and_outputs(project: Path, capsys) -> None:
    (project / ".cydcheck.yaml").write_text(
        "pack: tiny\nrules-dirs: packs\nformat: [json]\noutput: [out.json]\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "draft.md")
    assert code == 0 and out == ""
    data = json.loads((project / "out.json").read_text(encoding="utf-8"))
    assert data["pack"]["id"] == "tiny"
    assert {r["rule"]: r["status"] for r in data["results"]} == {"T-BOARD": "met", "T-CISO": "missing"}
    # --format on the command line replaces the configured formats and their outputs.
    (project / "out.json").unlink()
    code, out, _ = run(capsys, "check", "--format", "text", "draft.md")
    assert "T-CISO" in out and "NOT MET  T-CISO" in out  # a rule of no element: not met, not "missing"
    assert not (project / "out.json").exists()


def test_config_disable_drops_the_rule(project: Path, capsys) -> None:
    (project / ".cydcheck.yaml").write_text("pack: packs/tiny.yaml\nfail-on: warning\ndisable: [T-CISO]\n",
                                            encoding="utf-8")
    code, out, _ = run(capsys, "check", "draft.md")
    assert code == 0
    reported, _, said = out.partition("left out by the selection")
    assert "T-CISO" not in reported and "T-BOARD" in reported  # no result for it; named as not checked
    assert " ".join(said.split()).startswith(f", not checked: T-CISO (disable: T-CISO, in {project}")


def test_config_disable_of_an_unknown_rule_warns(project: Path, capsys) -> None:
    (project / ".cydcheck.yaml").write_text("pack: packs/tiny.yaml\ndisable: [T-NOPE]\n", encoding="utf-8")
    code, _, err = run(capsys, "check", "draft.md")
    assert code == 0
    assert "T-NOPE" in err and "warning" in err


def test_explicit_config_option(project: Path, capsys) -> None:
    other = project / "ci.yaml"
    other.write_text("pack: packs/tiny.yaml\nfail-on: warning\n", encoding="utf-8")
    assert run(capsys, "check", "--config", str(other), "draft.md")[0] == 1
    code, _, err = run(capsys, "check", "--config", "nope.yaml", "draft.md")
    assert code == 2 and "nope.yaml: configuration file not found" in err


def test_config_command_shows_values_and_sources(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text('[tool.cydcheck]\nfail-on = "warning"\n', encoding="utf-8")
    code, out, _ = run(capsys, "config")
    assert code == 0
    lines = {ln.split(" = ")[0]: ln for ln in out.splitlines() if " = " in ln}
    assert lines["fail-on"].startswith('fail-on = "warning"')
    assert lines["fail-on"].endswith(f"# {project / 'pyproject.toml'} [tool.cydcheck]")
    assert lines["pack"].endswith("# default")
    code, out, _ = run(capsys, "config", "--format", "json")
    data = json.loads(out)
    assert data["settings"]["fail-on"] == {"value": "warning",
                                           "source": f"{project / 'pyproject.toml'} [tool.cydcheck]"}


# ---------------------------------------------------------------- house packs


def test_extending_pack_overrides_disables_and_adds(project: Path, capsys) -> None:
    (project / "packs" / "house.yaml").write_text(HOUSE_PACK, encoding="utf-8")
    pack = load_pack(project / "packs" / "house.yaml")
    rules = {r.id: r for r in pack.rules}
    assert set(rules) == {"T-CISO", "H-FRAMEWORK"}
    assert rules["T-CISO"].severity == "error" and rules["T-CISO"].message == "House style: name the CISO."
    assert not run_examples(pack).problems
    # Through the CLI: the overridden severity now fails the draft at the default fail-on.
    code, out, _ = run(capsys, "check", "--pack", "packs/house.yaml", "draft.md")
    assert code == 1
    assert "House style: name the CISO." in out and "T-BOARD" not in out and "H-FRAMEWORK" in out


def test_shipped_example_house_pack_extends_the_builtin_pack() -> None:
    """Coarse check with the real sk-106: whatever its rules say, the example stays valid."""
    base = load_pack("sk-106")
    house = load_pack(ROOT / "rules" / "examples" / "house-10k.yaml")
    base_ids = {r.id for r in base.rules}
    house_ids = {r.id for r in house.rules}
    assert "HOUSE-FRAMEWORK" in house_ids
    disabled = base_ids - house_ids
    assert len(disabled) == 1
    overridden = [r for r in house.rules if r.id in base_ids and r.severity != base.rule(r.id).severity]
    assert len(overridden) == 1
    assert not run_examples(house).problems


def test_explain_shows_the_configured_house_version(project: Path, capsys) -> None:
    (project / "packs" / "house.yaml").write_text(HOUSE_PACK, encoding="utf-8")
    code, out, _ = run(capsys, "explain", "t-ciso", "--pack", "packs/house.yaml", "--rules-dir", "packs")
    assert code == 0
    assert out.startswith("T-CISO — CISO named")
    assert "severity: error" in out and "House style: name the CISO." in out
    assert "Name the CISO." in out and '"Our CISO leads the program."' in out
    assert "also in:  tiny" in out
    code, out, _ = run(capsys, "explain", "H-FRAMEWORK", "--pack", "packs/house.yaml", "--format", "json")
    data = json.loads(out)
    assert data["citation"] == "house style" and data["examples"]["pass"] == ["We align to the NIST CSF."]


def test_rules_commands_read_the_configured_rules_dirs_as_check_does(project: Path, capsys) -> None:
    # a house pack extending another by id, found through `rules-dirs`: what `check` runs, `rules validate`,
    # `test`, `list` and `show` read too (they knew only the built-in packs and `--rules-dir`)
    (project / "packs" / "house.yaml").write_text(HOUSE_PACK.replace("extends: tiny.yaml", "extends: tiny"),
                                                  encoding="utf-8")
    (project / ".cydcheck.yaml").write_text("rules-dirs: [packs]\npack: house\n", encoding="utf-8")
    code, out, err = run(capsys, "check", "draft.md")
    assert code == 1 and "H-FRAMEWORK" in out, err
    code, out, err = run(capsys, "rules", "validate", "packs/house.yaml")
    assert code == 0 and out == "packs/house.yaml: ok (house 1, 2 rules)\n", err
    code, out, err = run(capsys, "rules", "test", "packs/house.yaml")
    assert code == 0 and "house: " in out, err
    code, out, err = run(capsys, "rules", "test", "house")
    assert code == 0 and "house: " in out, err
    code, out, err = run(capsys, "rules", "list")
    assert code == 0 and "house 1: House rules (2 rules)" in out, err
    code, out, err = run(capsys, "rules", "show", "H-FRAMEWORK")
    assert code == 0 and out.startswith("# pack house\n") and "citation: house style" in out, err
    # --rules-dir, for a run without the configuration, on every rules command
    (project / ".cydcheck.yaml").unlink()
    for args in (["validate", "packs/house.yaml"], ["test", "house"], ["list"], ["show", "H-FRAMEWORK"]):
        code, out, err = run(capsys, "rules", *args, "--rules-dir", "packs")
        assert code == 0 and "house" in out, (args, err)


def test_explain_reads_the_packs_without_compiling_a_pattern(project: Path, capsys, monkeypatch) -> None:
    # explain only prints what the rules say: no pattern, condition or model is compiled (a house pack's
    # first compile took seconds), and an outline is what the compiled pack would say of the rule
    import checker.packs

    def refuse(*args, **kwargs):
        raise AssertionError("explain compiled a pack")

    (project / "packs" / "house.yaml").write_text(HOUSE_PACK, encoding="utf-8")
    compiled = load_pack(project / "packs" / "house.yaml", [project / "packs"])
    outline = checker.packs.load_outline(project / "packs" / "house.yaml", [project / "packs"])
    assert [(r.id, r.title, r.message, r.guidance, r.examples, r.line) for r in outline.rules] == [
        (r.id, r.title, r.message, r.guidance, r.examples, r.line) for r in compiled.rules]
    assert (outline.id, outline.version, outline.extends) == (compiled.id, compiled.version, compiled.extends)
    monkeypatch.setattr(checker.packs, "compile_pack", refuse)
    monkeypatch.setattr(checker.packs, "load_pack", refuse)
    code, out, _ = run(capsys, "explain", "t-ciso", "--pack", "packs/house.yaml", "--rules-dir", "packs")
    assert code == 0 and out.startswith("T-CISO — CISO named")
    code, out, _ = run(capsys, "explain", "SK106-C1-COMMITTEE")
    assert code == 0 and "Reg. S-K Item 106(c)(1)" in out


def test_rules_show_finds_a_rule_as_explain_does(capsys) -> None:
    # any case, the rule's own pack before the one adapting it, a near id suggested; --pack picks one
    code, out, _ = run(capsys, "rules", "show", "sk106-c1-committee")
    assert code == 0 and out.startswith("# pack sk-106 (also in: form-20f-16k)\n")
    assert "citation: Reg. S-K Item 106(c)(1)" in out and "board_committee_name" in out
    code, out, _ = run(capsys, "rules", "show", "SK106-C1-COMMITTEE", "--pack", "form-20f-16k")
    assert code == 0 and "citation: Form 20-F Item 16K(c)(1)" in out
    code, _, err = run(capsys, "rules", "show", "SK106-C1-COMMITEE")  # a letter missing inside
    assert code == 2 and "no rule 'SK106-C1-COMMITEE' (did you mean SK106-C1-COMMITTEE?)" in err
    code, out, _ = run(capsys, "rules", "show", "SK106-C1-COMMITTE")  # a start that names one rule names it
    assert code == 0 and "citation: Reg. S-K Item 106(c)(1)" in out


def test_explain_says_when_the_configured_run_leaves_the_rule_out(project: Path, capsys) -> None:
    """A rule the configured house pack disables, or the configuration's `disable` names, is explained as the
    pack it comes from has it, and said not to be run, and why: before, nothing told the user it was off."""
    (project / "packs" / "house.yaml").write_text(HOUSE_PACK, encoding="utf-8")
    (project / "packs" / "house2.yaml").write_text(
        'pack: house2\ntitle: On the house pack\nversion: "1"\nextends: house.yaml\ndisable: [T-CISO]\n',
        encoding="utf-8")
    code, out, _ = run(capsys, "explain", "T-BOARD", "--pack", "packs/house.yaml", "--rules-dir", "packs")
    assert code == 0 and out.startswith("T-BOARD — Board oversight")
    assert "  not run:  disabled by the configured pack house (" in out
    code, out, _ = run(capsys, "explain", "T-BOARD", "--pack", "packs/house2.yaml", "--rules-dir", "packs",
                       "--format", "json")
    assert code == 0 and json.loads(out)["not_run"].startswith("disabled by the configured pack house2 (")
    code, out, _ = run(capsys, "explain", "T-CISO", "--pack", "packs/house.yaml", "--rules-dir", "packs")
    assert code == 0 and "not run:" not in out
    (project / ".cydcheck.yaml").write_text("pack: tiny\nrules-dirs: [packs]\ndisable: [T-CISO]\n",
                                            encoding="utf-8")
    code, out, _ = run(capsys, "explain", "T-CISO")
    flat = " ".join(out.split())  # the field wraps under its label where the project's path is long
    assert code == 0 and "\n  not run:  disable: T-CISO, in" in out and "not run: disable: T-CISO, in " in flat
    assert ".cydcheck.yaml" in out
    code, out, _ = run(capsys, "explain", "T-BOARD")
    assert code == 0 and "not run:" not in out


def test_rules_list_names_packs_that_declare_one_id(project: Path, capsys) -> None:
    """A pack copied to keep an old version ('tiny-old.yaml', still 'pack: tiny') was listed as a second 'tiny'
    with nothing to tell which is which, and its reports are headed 'tiny' too."""
    (project / "packs" / "tiny-old.yaml").write_text(TINY_PACK, encoding="utf-8")
    code, out, _ = run(capsys, "rules", "list", "--rules-dir", "packs")
    assert code == 0
    assert "tiny 1: Tiny test pack (2 rules) [--pack tiny-old]" in out
    assert "warning: the packs tiny, tiny-old all declare the id 'tiny'" in out
    (project / "packs" / "tiny-old.yaml").unlink()
    code, out, _ = run(capsys, "rules", "list", "--rules-dir", "packs")
    assert "warning:" not in out and "[--pack" not in out


def test_explain_unknown_rule_suggests(project: Path, capsys) -> None:
    code, _, err = run(capsys, "explain", "T-CISSO", "--rules-dir", "packs")
    assert code == 2 and "no rule 'T-CISSO'" in err and "T-CISO" in err


def test_explain_takes_a_rule_ids_start_or_an_element_id(capsys) -> None:
    """As --select does, a start that names one rule explains it; a start naming several lists them."""
    code, out, _ = run(capsys, "explain", "sk106-b2")
    assert code == 0 and out.startswith("SK106-B2-MATERIAL-EFFECT — ")
    code, _, err = run(capsys, "explain", "SK106-C1")
    assert code == 2 and "'SK106-C1' names 3 rules: SK106-C1-BOARD-INFORMED, SK106-C1-BOARD-OVERSIGHT, " \
        "SK106-C1-COMMITTEE (explain one)" in err
    # an element id, as reports show it beside the rule: its content pack's rule, the tag pack's named beside it
    code, out, _ = run(capsys, "explain", "third_party_providers")
    assert code == 0 and out.startswith("SK106-B1III-PROVIDERS — ")
    # (wrapped under its label at 80 columns in a pipe)
    assert "\n  also in:  form-20f-16k, cyd-tags (CYD-FLAG-PROVIDERS-FALSE, CYD-TAG-PROVIDERS)\n" in " ".join(
        out.split("\n            "))
    code, out, _ = run(capsys, "explain", "SK106-C2II")  # a start ending where a part of an id does: not C2III
    assert code == 0 and out.startswith("SK106-C2II-MONITORING — ")


def test_explain_a_builtin_rule(capsys) -> None:
    """Coarse: every rule of the shipped pack can be explained with its citation."""
    rule = load_pack("sk-106").rules[0]
    code, out, _ = run(capsys, "explain", rule.id)
    assert code == 0 and rule.citation in out and "Guidance" in out


def test_explain_shows_what_a_rule_says_in_part_and_when_met_with_nothing_to_quote(capsys) -> None:
    code, out, _ = run(capsys, "explain", "F8K-105-TRIGGER")
    assert code == 0
    met = out[out.index("When it is met (nothing to quote)"):out.index("Guidance")]
    assert "No sentence says the incident is not, or not yet, determined to be material" in " ".join(met.split())
    code, out, _ = run(capsys, "explain", "SK106-B2-MATERIAL-EFFECT")
    assert "When a draft meets it in part" in out and "When it is met" not in out
    code, out, _ = run(capsys, "explain", "SK106-B2-MATERIAL-EFFECT", "--format", "json")
    data = json.loads(out)
    assert data["partial_message"].startswith("The section states only one prong") and data["met_message"] is None


def test_explain_shows_inline_xbrl_examples_as_their_visible_text_and_tags(capsys) -> None:
    code, out, _ = run(capsys, "explain", "CYD-8K-ITEM106-TAGS")
    assert code == 0
    examples = out[out.index("Examples — meets it"):]
    assert "<" not in examples and "ix:" not in examples and "xmlns" not in examples
    one_line = " ".join(examples.split())
    # The wrong-taxonomy 8-K: its paragraphs, and the two Item 106 facts it carries.
    assert ('- 8-K (inline XBRL): "Item 1.05 Material Cybersecurity Incidents. ¶ The Company detected a '
            "ransomware attack in which a threat actor gained unauthorized access to its network, and "
            "activated its incident response plan. ¶ The incident has had a material impact on the "
            "Company's operations.\" cyd tags: risk_process, material_effect=true") in one_line
    # The fully tagged 10-K is long: cut at a word with a mark, every line within the wrap width.
    annual = one_line[one_line.index('- 10-K (inline XBRL): "'):]
    shown = annual[annual.index('"') + 1:annual.index('…"')]
    assert shown.startswith("Item 1C. Cybersecurity ¶ Risk Management and Strategy ¶ We maintain")
    assert len(shown) <= 400 and " mgmt_monitoring" in annual
    assert all(len(line) <= 98 for line in examples.splitlines())
    # JSON keeps the examples as written, for tools that run them.
    code, out, _ = run(capsys, "explain", "CYD-8K-ITEM106-TAGS", "--format", "json")
    assert json.loads(out)["examples"]["fail"][0].startswith("<html")


def test_explain_says_when_a_met_verdict_is_marked_for_review(capsys) -> None:
    code, out, _ = run(capsys, "explain", "SK106-B1III-PROVIDERS")
    section = " ".join(out[out.index("When it is met but marked for review"):out.index("Guidance")].split())
    assert code == 0 and "less than 0.10 above the element's threshold" in section
    assert "names a provider the company engages or uses" in section  # the pack's review class
    # material effect is decided by its rules ("combine_by_element: rules"): the model never carries it alone
    code, out, _ = run(capsys, "explain", "SK106-B2-MATERIAL-EFFECT", "--format", "json")
    assert json.loads(out)["review"] == []
    code, out, _ = run(capsys, "explain", "SK106-C2II-MONITORING", "--format", "json")
    assert json.loads(out)["review"] == ["the model alone carries it, its sentence less than 0.10 above the "
                                         "element's threshold",
                                         "what the sentence has monitored is the company's risk exposure, not how "
                                         "management learns of and follows incidents"]  # the pack's class
    code, out, _ = run(capsys, "explain", "F8K-105A-TIMING")  # a pack with no learned weights
    assert "marked for review" not in out



def test_explain_gives_a_house_rule_no_model_margin_it_never_has(tmp_path: Path, monkeypatch, capsys) -> None:
    # a house rule added to sk-106: the learned model never scored its element, so it cannot carry a verdict
    monkeypatch.chdir(tmp_path)
    house = (ROOT / "rules" / "examples" / "house-10k.yaml").read_text(encoding="utf-8")
    (tmp_path / "house-10k.yaml").write_text(house, encoding="utf-8")
    code, out, _ = run(capsys, "explain", "HOUSE-FRAMEWORK", "--rules-dir", str(tmp_path))
    assert code == 0 and "marked for review" not in out and "model alone" not in out
    code, out, _ = run(capsys, "explain", "SK106-B1-PROCESS", "--rules-dir", str(tmp_path), "--format", "json")
    assert json.loads(out)["review"] == ["the model alone carries it, its sentence less than 0.10 above the "
                                         "element's threshold"]  # risk_process: the model knows it


# ---------------------------------------------------------------- configuration files written on Windows


def test_a_pyproject_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    # Notepad saves "UTF-8" with a BOM: it was "malformed TOML: Invalid statement (at line 1, column 1)".
    (tmp_path / "pyproject.toml").write_bytes(b'\xef\xbb\xbf[tool.cydcheck]\r\nfail-on = "warning"\r\n')
    assert load_config(cwd=tmp_path)["fail-on"] == "warning"


def test_windows_backslash_paths_in_a_configuration_file_name_the_folder(project: Path, capsys) -> None:
    # rules\house written on Windows named no folder here: the house pack was "unknown", the folder unsaid.
    (project / ".cydcheck.yaml").write_bytes(b"\xef\xbb\xbfpack: tiny\r\nrules-dirs:\r\n  - .\\packs\\\r\n")
    assert load_config()["rules-dirs"] == (str(project.resolve() / "packs") + "/",)
    code, out, err = run(capsys, "check", "draft.md")
    assert code == 0 and "T-CISO" in out, err


def test_a_rules_folder_that_does_not_exist_is_a_one_line_error(project: Path, capsys) -> None:
    # It was passed over in silence: `pack: tiny` then failed as an unknown pack, and with `pack: auto`
    # the run went on without the house packs.
    (project / ".cydcheck.yaml").write_text("rules-dirs: [pakcs]\n", encoding="utf-8")
    code, _, err = run(capsys, "check", "draft.md")
    assert_one_line_error(code, err, "pakcs", "rules folder not found")
    (project / ".cydcheck.yaml").unlink()
    code, _, err = run(capsys, "check", "--rules-dir", "pakcs", "draft.md")
    assert_one_line_error(code, err, "pakcs", "rules folder not found")


def test_a_configuration_saved_as_notepad_unicode_is_read(tmp_path: Path) -> None:
    # Notepad's "Unicode" is UTF-16 with a BOM: it was "'utf-8' codec can't decode byte 0xff in position 0".
    (tmp_path / ".cydcheck.yaml").write_bytes("fail-on: warning\r\n".encode("utf-16"))
    assert load_config(cwd=tmp_path)["fail-on"] == "warning"


@pytest.mark.parametrize("name, content", [(".cydcheck.yaml", b"fail-on: warning\r\nprepared-by: Jos\xe9\r\n"),
                                           ("pyproject.toml", b'[tool.cydcheck]\r\nprepared-by = "Jos\xe9"\r\n')])
def test_a_configuration_saved_as_windows_ansi_is_told_where_and_what_to_do(tmp_path: Path, name: str,
                                                                             content: bytes) -> None:
    # It was "cannot read configuration: 'utf-8' codec can't decode byte 0xe9 in position 35: ...".
    (tmp_path / name).write_bytes(content)
    with pytest.raises(CheckerError, match=r":2: byte 0xE9 is not UTF-8 .*save the file as UTF-8") as exc:
        load_config(cwd=tmp_path)
    assert exc.value.file == str(tmp_path / name) and exc.value.line == 2


@pytest.mark.parametrize("name, content, line", [
    (".cydcheck.yaml", 'fail-on: warning\r\nbaseline: "C:\\Users\\jd\\OneDrive - ACME\\baseline.yaml"\r\n', 2),
    ("pyproject.toml", '[tool.cydcheck]\r\nbaseline = "C:\\Users\\jd\\baseline.yaml"\r\n', 2),
])
def test_a_windows_path_in_double_quotes_that_is_no_string_says_to_use_single_quotes(
        tmp_path: Path, name: str, content: str, line: int) -> None:
    # '\U' in double quotes starts an escape in YAML and TOML alike: the error was "malformed YAML: did not find
    # expected hexdecimal number" / "malformed TOML: Invalid hex value", nothing a Windows user could act on
    (tmp_path / name).write_text(content, encoding="utf-8", newline="")
    with pytest.raises(CheckerError, match=r"in double quotes a backslash starts an escape.*single quotes "
                                           r"\('C:\\Users\\jd\\") as exc:
        load_config(cwd=tmp_path)
    assert exc.value.file == str(tmp_path / name) and exc.value.line == line


@pytest.mark.parametrize("name, content", [
    (".cydcheck.yaml", 'rules-dirs: ["C:\\firm\\rules"]\r\n'),
    ("pyproject.toml", '[tool.cydcheck]\r\nrules-dirs = ["C:\\firm\\rules"]\r\n'),
    (".cydcheck.yaml", 'output: "D:\\new\\table.html"\r\n'),
])
def test_a_windows_path_in_double_quotes_read_as_control_characters_is_refused(tmp_path: Path, name: str,
                                                                              content: str) -> None:
    # "C:\firm\rules" is valid YAML and TOML: a form feed and a carriage return, so the error named the folder
    # "C:irm\rules" (and "D:\new\table.html" a newline and a tab): say what happened and how to write it
    (tmp_path / name).write_text(content, encoding="utf-8", newline="")
    with pytest.raises(CheckerError, match=r"holds a control character .*in double quotes a backslash starts "
                                           r"an escape.*single quotes") as exc:
        load_config(cwd=tmp_path)
    assert exc.value.file == str(tmp_path / name)


@pytest.mark.parametrize("content", ["output: C:\\reports\\gaps.html\r\n",
                                     "baseline: 'C:\\Users\\jd\\OneDrive - ACME\\baseline.yaml'\r\n",
                                     "rules-dirs: ['\\\\fileserver\\legal\\rules']\r\n",
                                     "output: D:/reports/gaps.html\r\n"])
def test_a_windows_drive_or_share_path_is_refused_where_it_names_nothing(tmp_path: Path, content: str) -> None:
    # A configuration written on a Windows machine and run on this one: `output: C:\reports\gaps.html` made a
    # folder named 'C:' beside the configuration and wrote the report in it, and a baseline was 'not found'
    # under '<folder>/C:/Users/jd/...', a name the user never wrote
    (tmp_path / ".cydcheck.yaml").write_text(content, encoding="utf-8", newline="")
    with pytest.raises(CheckerError, match=r"is a Windows path \((drive [CD]:|a network share)\), which names "
                                           r"nothing on this system") as exc:
        load_config(cwd=tmp_path)
    assert exc.value.file == str(tmp_path / ".cydcheck.yaml")
    assert [p.name for p in tmp_path.iterdir()] == [".cydcheck.yaml"]
