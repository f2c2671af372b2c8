"""Hostile or broken rule packs: one clear line naming the pack file, line and rule; no pattern can hang."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from test_hardening_inputs import assert_one_line_error, cydcheck_command, run_cli

import checker.vocab
from checker import Checker
from checker.model import Document
from checker.packs import load_pack

GOOD = r"""pack: house
title: House pack
version: "1"
vocabularies:
  cyber: ['cyber\w*']
  board: ['board']
rules:
  - id: H-BOARD
    title: Board oversight
    citation: S-K 106(c)(1)
    severity: error
    message: Describe board oversight.
    guidance: Name the committee.
    match:
      sentence: {all: [board, cyber]}
"""
SECOND_RULE = """  - id: H-OTHER
    title: Another rule
    citation: S-K 106(b)
    severity: warning
    message: m
    guidance: g
    match:
      sentence: {any: [cyber]}
"""
DISCLOSURE = "Item 1C. Cybersecurity\n\nOur board of directors oversees cybersecurity risk.\n"


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the nth occurrence of needle in text."""
    pos = -1
    for _ in range(nth):
        pos = text.index(needle, pos + 1)
    return text.count("\n", 0, pos) + 1


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "draft.md"
    path.write_text(DISCLOSURE, encoding="utf-8")
    return path


def check_with(tmp_path: Path, draft: Path, capsys, pack_text: str | bytes, name: str = "house.yaml"):
    pack = tmp_path / name
    pack.write_bytes(pack_text.encode("utf-8") if isinstance(pack_text, str) else pack_text)
    code, _, err = run_cli(["check", str(draft), "--pack", str(pack)], capsys)
    return pack, code, err


def test_the_base_pack_is_good(tmp_path, draft, capsys):
    _, code, err = check_with(tmp_path, draft, capsys, GOOD)
    assert code == 0 and err == ""


# Each case: the broken pack, the text on the line the error must name, and words the error must hold.
BROKEN = {
    "malformed YAML": (GOOD.replace("[board, cyber]}", "[board, cyber}"), "[board, cyber}",
                       ["malformed YAML"]),
    "tab indentation": (GOOD.replace("    severity: error", "\tseverity: error"), "\tseverity", ["malformed YAML"]),
    "tab indentation, said so": (GOOD.replace("    severity: error", "  \tseverity: error"), "\tseverity",
                                 ["malformed YAML", "a tab indents this line (YAML indents with spaces)"]),
    "schema: bad severity": (GOOD.replace("severity: error", "severity: fatal"), "severity: fatal",
                             ["schema", "rule H-BOARD", "fatal"]),
    "schema: unknown clause key": (GOOD.replace("{all: [board, cyber]}", "{al: [board, cyber]}"), "sentence:",
                                   ["schema", "rule H-BOARD", "'al'"]),
    "schema: a misspelt rule key, at its own line": (
        GOOD.replace("    citation: S-K", "    citaton: S-K"), "citaton:",
        ["schema", "rule H-BOARD", "unknown key 'citaton' (did you mean 'citation'?)"]),
    "schema: a misspelt clause key": (GOOD.replace("{all: [board, cyber]}", "{al: [board, cyber]}"), "sentence:",
                                      ["unknown key 'al' (did you mean 'all'?)"]),
    "schema: a misspelt top-level key": (GOOD.replace("vocabularies:", "vocabularys:"), "vocabularys:",
                                         ["unknown key 'vocabularys' (did you mean 'vocabularies'?)"]),
    "schema: an unknown key like none known": (GOOD.replace("    title: Board", "    zzz: 1\n    title: Board"),
                                                "zzz:", ["unknown key 'zzz' (known: "]),
    "schema: a misspelt key of a vocabulary, inside its one-of": (
        GOOD.replace("board: ['board']", "board: {pattern: ['board']}"), "board:",
        ["schema: vocabularies/board: unknown key 'pattern' (did you mean 'patterns'?)"]),
    "schema: an empty vocabulary": (GOOD.replace("board: ['board']", "board:"), "board:",
                                    ["schema: vocabularies/board: no value (an empty key)"]),
    "schema: missing title": (GOOD.replace("    title: Board oversight\n", ""), "- id: H-BOARD",
                              ["schema", "rule H-BOARD", "'title'"]),
    "duplicate rule id": (GOOD + SECOND_RULE.replace("H-OTHER", "H-BOARD"), "- id: H-BOARD\n    title: Another",
                          ["duplicate rule id 'H-BOARD'", f"first at line {line_of(GOOD, '- id: H-BOARD')}"]),
    "duplicate key": (GOOD.replace("    severity: error\n", "    severity: error\n    severity: info\n"),
                      "severity: info", ["duplicate key 'severity'"]),
    "unknown vocabulary": (GOOD.replace("[board, cyber]", "[board, ciso]"), "- id: H-BOARD",
                           ["rule H-BOARD", "unknown vocabulary 'ciso'"]),
    "a misspelt vocabulary": (GOOD.replace("[board, cyber]", "[bord, cyber]"), "- id: H-BOARD",
                              ["rule H-BOARD", "unknown vocabulary 'bord' (did you mean 'board'?)"]),
    "unknown vocabulary in applies_if": (
        GOOD.replace("    match:\n", "    applies_if: {paragraph: {any: [ghost]}}\n    match:\n"),
        "- id: H-BOARD", ["rule H-BOARD", "unknown vocabulary 'ghost'"]),
    "include of an unknown vocabulary": (GOOD.replace("board: ['board']", "board: {include: [directors]}"),
                                         "board:", ["vocabulary 'board'", "unknown vocabulary 'directors'"]),
    "include of a misspelt vocabulary": (GOOD.replace("board: ['board']", "board: {include: [cybr]}"), "board:",
                                         ["unknown vocabulary 'cybr' (did you mean 'cyber'?)"]),
    "include cycle": (GOOD.replace("board: ['board']", "board: {include: [cyber]}").replace(
        "cyber: ['cyber\\w*']", "cyber: {include: [board]}"), "cyber:", ["vocabulary include cycle"]),
    "invalid regular expression": (GOOD.replace("['board']", "['board(']"), "board:",
                                   ["vocabulary 'board'", "invalid regular expression 'board('"]),
    "invalid exclusion": (GOOD.replace("['board']", "{patterns: [board], exclude: ['[z-a]']}"), "board:",
                          ["vocabulary 'board'", "invalid regular expression '[z-a]'"]),
    "nested repeats that would compile for minutes": (
        GOOD.replace("['board']", "['((b{1000}){1000}){1000}']"), "board:",
        ["vocabulary 'board'", "repeat counts expand it to 1000000000 units"]),
    "a sequence of counts that would compile for seconds and gigabytes": (
        GOOD.replace("['board']", "['" + "b{99999}" * 80 + "']"), "board:",
        ["vocabulary 'board'", "repeat counts expand it to 7999920 units"]),
    "a vocabulary whose patterns together would compile too long": (
        GOOD.replace("['board']", "[" + ", ".join(["'b{9999}'"] * 30) + "]"), "board:",
        ["vocabulary 'board'", "its patterns together expand to 299970 units"]),
    "an invalid detect pattern, quoted as written": (
        GOOD.replace('version: "1"\n', 'version: "1"\ndetect:\n  - \'item\\s*1(\\s*c\'\n'), "item\\s*1(",
        ["detect: invalid regular expression 'item\\s*1(\\s*c': missing )"]),
    "a blank message, which a report would show as nothing": (
        GOOD.replace("message: Describe board oversight.", "message: '  '"), "message: '  '",
        ["schema: rules/0/message (rule H-BOARD): blank: write the words a report shows, or leave the key out"]),
    "overrides without extends": (GOOD + "overrides:\n  H-BOARD: {severity: info}\n", "H-BOARD: {severity",
                                  ["'overrides' needs 'extends'"]),
    "python object tag": ("pack: !!python/object/apply:os.system ['touch pwned']\n" + GOOD.split("\n", 1)[1],
                          "pack:", ["malformed YAML", "python/object/apply:os.system"]),
    "python name tag": (GOOD.replace("title: House pack", "title: !!python/name:os.system"), "title:",
                        ["malformed YAML", "python/name:os.system"]),
    "custom tag": (GOOD.replace("['board']", "!include board.yaml"), "board:", ["malformed YAML", "!include"]),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_pack_is_one_line_naming_file_and_line(tmp_path, draft, capsys, case, monkeypatch):
    text, line_text, phrases = BROKEN[case]
    monkeypatch.chdir(tmp_path)  # where an unsafe loader would have created 'pwned'
    pack, code, err = check_with(tmp_path, draft, capsys, text)
    assert_one_line_error(code, err, f"{pack}:{line_of(text, line_text)}: ", phrases[0])
    for phrase in phrases[1:]:
        assert phrase in err
    assert not (tmp_path / "pwned").exists()


def test_a_rule_without_an_id_is_not_called_rule_none(tmp_path, draft, capsys):
    text = GOOD.replace("  - id: H-BOARD\n    title", "  - title")
    pack, code, err = check_with(tmp_path, draft, capsys, text)
    assert_one_line_error(code, err, f"{pack}:{line_of(text, '- title')}: ", "schema: rules/0: 'id' is a required")
    assert "None" not in err


WHOLE_FILE = {
    "empty file": (b"", "must be a YAML mapping"),
    "a list, not a mapping": (b"- id: H-BOARD\n", "must be a YAML mapping"),
    "not UTF-8": (GOOD.replace("House pack", "Soci\u00e9t\u00e9").encode("latin-1"), "not UTF-8"),
    "larger than the limit": (GOOD.encode() + b"# " + b"x" * 2_000_000 + b"\n", "larger than"),
}


@pytest.mark.parametrize("case", sorted(WHOLE_FILE))
def test_unreadable_pack_file_is_one_line_naming_it(tmp_path, draft, capsys, case):
    content, phrase = WHOLE_FILE[case]
    pack, code, err = check_with(tmp_path, draft, capsys, content)
    assert_one_line_error(code, err, str(pack), phrase)


def test_a_pack_not_utf8_names_the_line_and_byte(tmp_path, draft, capsys):
    # a citation's "§" typed in a Windows editor that saved the pack as cp1252
    text = GOOD.replace("citation: S-K 106(c)(1)", "citation: Firm Manual \u00a73.1")
    pack, code, err = check_with(tmp_path, draft, capsys, text.encode("cp1252"))
    assert_one_line_error(code, err, f"{pack}:{line_of(text, 'citation:')}: ",
                          "byte 0xA7 is not UTF-8 (saved as Windows 'ANSI'?)")


def test_a_pack_saved_as_notepads_unicode_is_read(tmp_path, draft, capsys):
    # Notepad's "Unicode" is UTF-16 with a byte order mark: a configuration or a baseline so saved was read, a
    # house pack was refused ("rule pack is not UTF-8 text: byte 0xff"); the three are read alike.
    text = GOOD.replace("citation: S-K 106(c)(1)", "citation: Firm Manual \u00a73.1")
    _, code, err = check_with(tmp_path, draft, capsys, text.encode("utf-16"))
    assert code == 0 and err == ""  # as test_the_base_pack_is_good


def test_a_pack_of_no_rules_is_no_clean_report(tmp_path, draft, capsys):
    # an associate's pack whose rules were never written (or a house pack disabling every rule): no finding
    # is not a clean draft, and "coverage 100%" with exit 0 would pass any gate
    for text in (GOOD.split("rules:\n")[0] + "rules: []\n", GOOD.split("rules:\n")[0],
                 _child("sk-106") + "disable: [" + ", ".join(r.id for r in load_pack("sk-106").rules) + "]\n"):
        pack, code, err = check_with(tmp_path, draft, capsys, text)
        assert_one_line_error(code, err, str(pack), "has no rules: nothing would be checked")


def test_a_pack_path_that_is_a_folder_or_missing(tmp_path, draft, capsys):
    folder = tmp_path / "rules.yaml"
    folder.mkdir()
    code, _, err = run_cli(["check", str(draft), "--pack", str(folder)], capsys)
    assert_one_line_error(code, err, str(folder), "is a directory")
    code, _, err = run_cli(["check", str(draft), "--pack", str(tmp_path / "nope.yaml")], capsys)
    assert_one_line_error(code, err, str(tmp_path / "nope.yaml"), "not found")


def test_yaml_alias_bomb_is_refused_quickly(tmp_path, draft, capsys):
    # Nine aliases of nine aliases ... of one condition: a 2 KB file that expands to 9^6 conditions.
    anchors = "        - &c0 {sentence: {all: [cyber]}}\n" + "".join(
        f"        - &c{i} {{any_of: [{', '.join([f'*c{i - 1}'] * 9)}]}}\n" for i in range(1, 6))
    bomb = GOOD + SECOND_RULE.replace("      sentence: {any: [cyber]}\n", "      all_of:\n" + anchors)
    started = time.monotonic()
    pack, code, err = check_with(tmp_path, draft, capsys, bomb)
    assert_one_line_error(code, err, str(pack), "expands to more than")
    assert time.monotonic() - started < 10


def test_aliases_within_reason_still_work(tmp_path, draft, capsys):
    reuse = GOOD.replace("    match:\n      sentence: {all: [board, cyber]}\n",
                         "    match: &oversight\n      sentence: {all: [board, cyber]}\n")
    reuse += SECOND_RULE.replace("      sentence: {any: [cyber]}\n", "      all_of: [*oversight, *oversight]\n")
    _, code, err = check_with(tmp_path, draft, capsys, reuse)
    assert code == 0 and err == ""


def test_a_bad_pattern_is_named_at_its_own_line_in_a_long_list(tmp_path, draft, capsys):
    # an associate's vocabulary of a dozen patterns, one a line: the line of the broken one, not of the vocabulary
    listed = "".join(f"      - 'board{i}'\n" for i in range(12)).replace("'board7'", "'annual(ly?'")
    for spec in ("  board:\n" + listed, "  board:\n    patterns:\n" + listed,
                 "  board:\n    patterns: [board]\n    exclude:\n" + listed):
        text = GOOD.replace("  board: ['board']\n", spec)
        pack, code, err = check_with(tmp_path, draft, capsys, text)
        assert_one_line_error(code, err, f"{pack}:{line_of(text, 'annual(ly?')}: ", "invalid regular expression")


def test_a_huge_alternation_is_quoted_short_and_refused_before_compiling(tmp_path, draft, capsys, monkeypatch):
    # a list of 150,000 names pasted as one pattern: the error is one readable line, and says what is too large
    huge = "(" + "|".join(f"w{i}" for i in range(150_000)) + ")"
    text = GOOD.replace("['board']", f"['{huge}']")
    pack, code, err = check_with(tmp_path, draft, capsys, text)
    assert_one_line_error(code, err, f"{pack}:{line_of(text, huge)}: ", "it compiles to")
    assert len(err) < 400 and f"({len(huge)} characters)" in err and "repeat counts" not in err
    # forty patterns each under the limit, too large together: refused before any of them is compiled
    compiled = []
    real = checker.vocab.regex.compile
    monkeypatch.setattr(checker.vocab.regex, "compile", lambda p, *a, **k: compiled.append(p) or real(p, *a, **k))
    many = ", ".join("'(" + "|".join(f"x{j}y{i}" for i in range(3000)) + ")'" for j in range(40))
    pack, code, err = check_with(tmp_path, draft, capsys, GOOD.replace("['board']", f"[{many}]"))
    assert_one_line_error(code, err, str(pack), "its patterns together expand to")
    assert not [p for p in compiled if p.startswith("(x0y0|")]


# ---------------------------------------------------------------- extends


def _child(base_ref: str) -> str:
    return f"pack: child\ntitle: Child\nversion: '1'\nextends: {base_ref}\n"


def test_extends_cycle_names_the_pack_that_closes_it(tmp_path, draft, capsys):
    (tmp_path / "a.yaml").write_text(_child("b.yaml").replace("child", "a"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(_child("a.yaml").replace("child", "b"), encoding="utf-8")
    code, _, err = run_cli(["check", str(draft), "--pack", str(tmp_path / "a.yaml")], capsys)
    assert_one_line_error(code, err, f"{tmp_path / 'b.yaml'}:4: ", "extends cycle: a.yaml -> b.yaml -> a.yaml")


def test_a_pack_extending_itself(tmp_path, draft, capsys):
    pack, code, err = check_with(tmp_path, draft, capsys, _child("self.yaml"), name="self.yaml")
    assert_one_line_error(code, err, f"{pack}:4: ", "extends cycle")


@pytest.mark.parametrize("where", ["absolute", "parent", "symlink"])
def test_extends_outside_the_rule_folders_is_refused(tmp_path, draft, capsys, where):
    rules = tmp_path / "rules"
    rules.mkdir()
    outside = tmp_path / "elsewhere" / "base.yaml"
    outside.parent.mkdir()
    outside.write_text(GOOD, encoding="utf-8")
    ref = {"absolute": str(outside), "parent": "../elsewhere/base.yaml", "symlink": "linked.yaml"}[where]
    if where == "symlink":
        (rules / "linked.yaml").symlink_to(outside)
    pack = rules / "child.yaml"
    pack.write_text(_child(ref), encoding="utf-8")
    code, _, err = run_cli(["check", str(draft), "--pack", str(pack)], capsys)
    assert_one_line_error(code, err, f"{pack}:4: ", "points outside the rule folders")


def test_extends_inside_the_folder_works_and_unknown_bases_are_named(tmp_path, draft, capsys):
    (tmp_path / "base.yaml").write_text(GOOD, encoding="utf-8")
    good_child = _child("base.yaml") + "overrides:\n  H-BOARD: {severity: info}\n"
    _, code, err = check_with(tmp_path, draft, capsys, good_child, name="child.yaml")
    assert code == 0 and err == ""
    for ref, phrase in (("no-such-pack", "unknown rule pack 'no-such-pack'"),
                        ("missing.yaml", "no such rule pack file")):
        pack, code, err = check_with(tmp_path, draft, capsys, _child(ref), name="child.yaml")
        assert_one_line_error(code, err, f"{pack}:4: ", phrase)


def test_extends_names_a_pack_beside_it_by_id(tmp_path, draft, capsys):
    # `extends: base` finds base.yaml in the extending pack's folder, as `extends: base.yaml` does, with no
    # --rules-dir: it was "unknown rule pack 'base' (known: cyd-tags, ...)" though the file sat beside it
    (tmp_path / "base.yaml").write_text(GOOD.replace("pack: house", "pack: base"), encoding="utf-8")
    child = _child("base") + "overrides:\n  H-BOARD: {severity: info}\n"
    _, code, err = check_with(tmp_path, draft, capsys, child, name="child.yaml")
    assert code == 0 and err == ""
    code, out, err = run_cli(["rules", "validate", str(tmp_path / "child.yaml")], capsys)
    assert code == 0 and "ok (child 1, 1 rule)" in out, err


@pytest.mark.parametrize("extra, line_text, phrase", [
    ("overrides:\n  H-NOPE: {severity: info}\n", "H-NOPE", "overrides: no rule 'H-NOPE'"),
    ("disable: [H-NOPE]\n", "disable:", "disable: no rule 'H-NOPE'"),
    ("overrides:\n  H-BORD: {severity: info}\n", "H-BORD", "no rule 'H-BORD' in the extended pack (did you mean H-BOARD?)"),
    ("disable: [H-BAORD]\n", "disable:", "no rule 'H-BAORD' in the extended pack (did you mean H-BOARD?)"),
    ("disable: [h-board]\n", "disable:", "no rule 'h-board' in the extended pack (did you mean H-BOARD?)"),
    ("rules:\n" + GOOD.split("rules:\n")[1], "- id: H-BOARD", "rule 'H-BOARD' is already defined"),
    ("overrides:\n  H-BOARD:\n    citation: ''\n", "citation: ''",
     "schema: overrides/H-BOARD/citation: blank: write the words a report shows"),
])
def test_child_pack_mistakes_name_the_child_and_line(tmp_path, draft, capsys, extra, line_text, phrase):
    (tmp_path / "base.yaml").write_text(GOOD, encoding="utf-8")
    text = _child("base.yaml") + extra
    pack, code, err = check_with(tmp_path, draft, capsys, text, name="child.yaml")
    assert_one_line_error(code, err, f"{pack}:{line_of(text, line_text)}: ", phrase)


def test_a_rules_folder_pack_standing_in_for_a_builtin_one_is_warned_of(tmp_path, draft, capsys):
    # an associate saves the firm's NYDFS pack as sk-106.yaml in the rules folder: every run would check the
    # one NYDFS rule instead of Item 106, and the 20-F pack, extending 'sk-106', finds it too
    folder = tmp_path / "house"
    folder.mkdir()
    (folder / "sk-106.yaml").write_text(GOOD.replace("pack: house", "pack: sk-106"), encoding="utf-8")
    code, _, err = run_cli(["check", str(draft), "--rules-dir", str(folder), "--no-examples"], capsys)
    assert code == 0 and err.startswith(f"cydcheck: warning: {folder / 'sk-106.yaml'} stands in for the built-in "
                                        "pack 'sk-106'"), err
    code, _, err = run_cli(["rules", "list", "--rules-dir", str(folder)], capsys)
    assert code == 2 and "stands in for the built-in pack 'sk-106'" in err
    assert f"no rule 'SK106-B1-PROCESS' in the extended pack; the extended pack is {folder / 'sk-106.yaml'}" in err
    # a house pack of its own name, extending the built-in one, is no stand-in
    (folder / "sk-106.yaml").rename(folder / "firm.yaml")
    code, _, err = run_cli(["check", str(draft), "--rules-dir", str(folder), "--no-examples"], capsys)
    assert "stands in" not in err


def test_rules_test_reports_a_broken_pack_the_same_way(tmp_path, capsys):
    pack = tmp_path / "house.yaml"
    text = BROKEN["invalid regular expression"][0]
    pack.write_text(text, encoding="utf-8")
    code, _, err = run_cli(["rules", "test", str(pack)], capsys)
    assert_one_line_error(code, err, f"{pack}:{line_of(text, 'board:')}: ", "invalid regular expression")


# ---------------------------------------------------------------- catastrophic backtracking


EVIL_RULES = 12  # rules that use the runaway vocabulary: paying its limit each would take 12 x 0.2 s
REDOS = GOOD.replace("board: ['board']", "board: ['board']\n  evil: ['(a+)+$']") + "".join(
    SECOND_RULE.replace("H-OTHER", f"H-EVIL-{i}").replace("{any: [cyber]}", "{any: [evil]}")
    .replace("severity: warning", "severity: error") for i in range(EVIL_RULES))
# The a's end before "!": the Hyperscan scan (which leaves out "$") lets the pattern be tried there.
EVIL_TEXT = "Our board oversees cybersecurity risk.\n\n" + "a" * 40_000 + "!b\n"


def test_a_runaway_pattern_fails_its_rules_and_spares_the_others(tmp_path):
    pack = tmp_path / "redos.yaml"
    pack.write_text(REDOS, encoding="utf-8")
    checker = Checker(timeout=0.2)
    checker.pack(pack)  # compiled before the clock starts: the bound is on checking, not compiling
    started = time.monotonic()
    report = checker.check_document(Document(text=EVIL_TEXT, source="draft.md"), pack)
    elapsed = time.monotonic() - started
    by_rule = {r.rule: r for r in report.results}
    assert by_rule["H-BOARD"].status == "met" and by_rule["H-BOARD"].error is None
    for i in range(EVIL_RULES):
        r = by_rule[f"H-EVIL-{i}"]
        assert r.status == "missing" and r.evidence == []
        assert r.error == "vocabulary 'evil' exceeded the 0.2s match time limit"
    # The limit is paid once per document, not once per rule that uses the vocabulary (a wall-clock bound with
    # room for a loaded machine: paid once is about 0.2 s, paid per rule would be at least 2.4 s).
    assert elapsed < EVIL_RULES * 0.2 / 2


def test_a_runaway_exclusion_is_bounded_too(tmp_path):
    pack = tmp_path / "redos.yaml"
    # The exclusion is looked for near each match: a run of a's there is enough to make it explode.
    # (with "bx" after them the scan, which leaves out \b, lets the exclusion be tried at the a's)
    text = GOOD.replace("board: ['board']", "board: {patterns: [board], exclude: ['(a|a)+[bc]\\b']}")
    pack.write_text(text.replace("[board, cyber]", "[board]"), encoding="utf-8")
    report = Checker(timeout=0.2).check_document(Document(text="board " + "a" * 300 + "bx", source="d.md"), pack)
    assert report.results[0].error and "exceeded the 0.2s match time limit" in report.results[0].error


def test_cydcheck_check_with_a_hostile_pack_finishes_and_says_why(tmp_path):
    (tmp_path / "redos.yaml").write_text(REDOS, encoding="utf-8")
    (tmp_path / "draft.txt").write_text(EVIL_TEXT, encoding="utf-8")
    started = time.monotonic()
    done = subprocess.run([*cydcheck_command(), "check", "draft.txt", "--pack", "redos.yaml", "--format", "json",
                           "--output", "report.json"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)  # a safety net only: the assertion below is the real bound
    elapsed = time.monotonic() - started
    assert done.returncode == 1, done.stderr  # rule errors fail the run at the default --fail-on error
    assert "Traceback" not in done.stderr
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    errors = {r["rule"]: r.get("error") for r in report["results"]}
    assert errors["H-BOARD"] is None
    assert all("exceeded the 2s match time limit" in errors[f"H-EVIL-{i}"] for i in range(EVIL_RULES))
    assert elapsed < 2 * 2 + 15  # one time limit (the default, 2 s), plus start-up on a loaded machine


def test_the_terminal_says_a_rule_that_did_not_finish_was_not_checked(tmp_path):
    """Its rules were printed "MISSING" with their message ("m": in a real pack "The section does not say ..."),
    telling the reader of a gap nobody read for; they are "ERROR", not checked, and the summary says how many."""
    from checker.report import text_out

    pack = tmp_path / "redos.yaml"
    pack.write_text(REDOS, encoding="utf-8")
    report = Checker(timeout=0.2).check_document(Document(text=EVIL_TEXT, source="draft.md"), pack)
    out = text_out.render([report], width=200)
    evil = [ln for ln in out.splitlines() if "H-EVIL-0 " in ln]
    assert evil and evil[0].split()[0] == "ERROR"
    assert "Not checked: vocabulary 'evil' exceeded the 0.2s match time limit; this element's verdict is unknown" in out
    assert "error: m [" not in out  # no rule message of a gap for them
    assert f"1 met, 0 partial, 0 missing, {EVIL_RULES} not checked, 0 n/a" in out
    # ... and the Markdown and HTML reports alike: "Not checked", the reason, no gap message
    from checker.report import html_out, markdown_out

    md = markdown_out.render([report])
    row = next(ln for ln in md.splitlines() if "`H-EVIL-0`" in ln and "Not checked:" in ln)
    assert row.startswith("| ❌ Not checked (error) |") and "| m" not in row
    page = html_out.render([report])
    assert page.count("Not checked: vocabulary &#39;evil&#39; exceeded") == EVIL_RULES
    assert '<p class="message">m</p>' not in page
    from checker.report.context import gap_sentence  # GitHub's annotation, GitLab's issue, SARIF's result

    r = next(r for r in report.results if r.rule == "H-EVIL-0")
    assert gap_sentence(r) == ("Another rule: Not checked: vocabulary 'evil' exceeded the 0.2s match time limit; "
                               "this element's verdict is unknown.")


def test_a_house_message_with_control_characters_prints_none_in_any_report(tmp_path, draft, capsys):
    # a message pasted from a terminal (a colour code), a NUL and a form feed typed as YAML escapes
    text = GOOD.replace("message: Describe board oversight.",
                        'message: "Describe \\x1b[31mboard\\x1b[0m oversight\\f of \\x00cyber <risk>."')
    pack = tmp_path / "house.yaml"
    pack.write_text(text.replace("sentence: {all: [board, cyber]}", "sentence: {all: [board, cyber, board]}")
                    .replace("['board']", "['boardroom']"), encoding="utf-8")
    for fmt in ("text", "json", "sarif", "junit", "markdown", "github", "html", "codequality"):
        out = tmp_path / f"report.{fmt}"
        code, _, err = run_cli(["check", str(draft), "--pack", str(pack), "--no-examples", "-f", fmt, "-o", str(out)],
                               capsys)
        body = out.read_text(encoding="utf-8")
        assert code == 1 and "oversight" in body, (fmt, err)
        assert not [c for c in body if ord(c) < 32 and c not in "\t\n\r"], fmt


def test_validate_warns_of_a_house_vocabulary_named_as_a_shipped_one(tmp_path, capsys):
    # an associate's 'board' (the board of directors only) replaces sk-106's for every sk-106 rule too
    text = _child("sk-106") + "vocabularies:\n  board: ['board\\s+of\\s+directors']\n  house_irp: ['incident']\n"
    pack = tmp_path / "house.yaml"
    pack.write_text(text, encoding="utf-8")
    code, out, err = run_cli(["rules", "validate", str(pack)], capsys)
    assert code == 0 and "ok (child 1" in out
    assert err.startswith(f"{pack}:{line_of(text, '  board:')}: warning: vocabulary 'board' replaces the "
                          "vocabulary of that name of ") and "house_board" in err and "house_irp" not in err
    assert err.count("\n") == 1


def test_a_warning_rule_that_did_not_finish_fails_the_run_at_the_default_gate(tmp_path, capsys):
    """A run that left a rule unchecked (its pattern over the time budget) exited 0 at --fail-on error when the
    rule was a warning: evidence of a clean check that was not made. A rule error fails the run at any
    --fail-on but never, whatever the rule's severity, and the tally counts it."""
    from checker.gate import has_failures, tally

    pack = tmp_path / "redos.yaml"
    pack.write_text(REDOS.replace("severity: error", "severity: warning"), encoding="utf-8")
    report = Checker(timeout=0.2).check_document(Document(text=EVIL_TEXT, source="draft.md"), pack)
    unfinished = [r for r in report.results if r.error]
    assert unfinished and {r.severity for r in unfinished} == {"warning"}
    assert has_failures([report], "error") and has_failures([report], "info")
    assert not has_failures([report], "never")
    assert tally([report], "error").endswith(f"{EVIL_RULES} at or above --fail-on error: exit 1")
