"""Loading rule packs: schema validation with file and line, references, extends and overrides."""

import subprocess
import sys
import textwrap

import pytest
from cli_helpers import assert_one_line_error, board_pack, run_main

from checker import check
from checker.examples import run_examples
from checker.model import CheckerError
from checker.packs import load_pack
from checker.vocab import DocumentMatches

BASE = board_pack("base", "Base", "R1") + '    examples: {pass: ["The board oversees it."], fail: ["Nothing."]}\n'


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def error_of(path):
    with pytest.raises(CheckerError) as exc:
        load_pack(path)
    return exc.value


def test_builtin_packs_load_and_validate():
    pack = load_pack("sk-106")
    assert len(pack.rules) == 12
    assert {r.element for r in pack.rules} == {
        "risk_process", "erm_integration", "third_party_assessors", "third_party_providers",
        "material_effect", "board_oversight", "board_committee", "board_informed", "mgmt_roles",
        "mgmt_expertise", "mgmt_monitoring", "mgmt_reports_board"}
    for rule in pack.rules:
        assert rule.citation.startswith("Reg. S-K Item 106")
        assert len(rule.examples.get("pass", []) + rule.examples.get("partial", [])) >= 3
        assert len(rule.examples.get("fail", [])) >= 3


def test_malformed_yaml_names_file_and_line(tmp_path):
    p = write(tmp_path, "bad.yaml", BASE.replace("  board: ['board']", "  board: ['board'\n  x: ]"))
    err = error_of(p)
    assert err.file == str(p) and err.line == 6
    assert "malformed YAML" in err.message


def test_schema_violation_names_the_rule_and_its_line(tmp_path):
    p = write(tmp_path, "bad.yaml", BASE.replace("severity: error", "severity: fatal"))
    err = error_of(p)
    assert err.line == 11
    assert "rule R1" in err.message and "severity" in err.message


def test_unknown_vocabulary_and_duplicate_ids(tmp_path):
    err = error_of(write(tmp_path, "a.yaml", BASE.replace("all: [board]", "all: [bord]")))
    assert "unknown vocabulary 'bord'" in err.message and err.line == 7
    dup = BASE + BASE[BASE.index("  - id: R1"):]
    err = error_of(write(tmp_path, "b.yaml", dup))
    assert "duplicate rule id 'R1'" in err.message


def test_invalid_regex_is_reported_with_its_vocabulary(tmp_path):
    err = error_of(write(tmp_path, "a.yaml", BASE.replace("['board']", "['bo(ard']")))
    assert "vocabulary 'board'" in err.message and "invalid regular expression" in err.message


def test_yaml_tags_are_refused(tmp_path):
    err = error_of(write(tmp_path, "a.yaml", BASE.replace('title: Base', 'title: !!python/object:os.system x')))
    assert "malformed YAML" in err.message


def test_extends_overrides_disables_and_adds(tmp_path):
    write(tmp_path, "base.yaml", BASE)
    child = write(tmp_path, "child.yaml", """\
        pack: child
        title: Child
        version: "2"
        extends: base.yaml
        overrides:
          R1: {citation: "Form 20-F Item 16K(c)", severity: warning}
        vocabularies:
          nist: ['NIST']
        rules:
          - id: R2
            title: Framework
            citation: house
            severity: info
            message: Name it.
            guidance: Name NIST.
            match: {sentence: {all: [nist]}}
        """)
    pack = load_pack(child)
    assert [r.id for r in pack.rules] == ["R1", "R2"]
    assert pack.rules[0].citation == "Form 20-F Item 16K(c)" and pack.rules[0].severity == "warning"
    assert set(pack.vocabularies) == {"board", "nist"}
    disabled = write(tmp_path, "off.yaml", 'pack: quiet\ntitle: Quiet\nversion: "1"\nextends: base.yaml\ndisable: [R1]\n')
    assert load_pack(disabled).rules == []


def test_extends_cycle_is_an_error(tmp_path):
    write(tmp_path, "a.yaml", 'pack: a\ntitle: A\nversion: "1"\nextends: b.yaml\n')
    b = write(tmp_path, "b.yaml", 'pack: b\ntitle: B\nversion: "1"\nextends: a.yaml\n')
    assert "extends cycle" in error_of(b).message


def test_cli_reports_a_bad_pack_in_one_line(tmp_path):
    p = write(tmp_path, "bad.yaml", BASE.replace("severity: error", "severity: fatal"))
    draft = write(tmp_path, "draft.md", "Our board oversees cybersecurity.\n")
    out = subprocess.run([sys.executable, "-c", "from checker.cli import main; main()", "check", str(draft),
                          "--pack", str(p)], capture_output=True, text=True)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{p}:11:" in lines[0]
    assert "Traceback" not in out.stderr


def test_space_before_an_optional_group_is_found_and_mended() -> None:
    import regex

    from checker.pattern_advice import space_before_optional_group
    from checker.vocab import flexible_spaces

    cases = {  # pattern -> (its advice, a text without the group: the advice matches, the pattern not;
               # a text with the group: both match)
        "update (information)?": ("update( information)?", "will provide an update.", "an update information"),
        "a (big)? dog": ("a( big)? dog", "a dog", "a big dog"),
        "a (b|c)* d": ("a(?: (b|c))* d", "a d", "a b d"),
        "an update (?:on|about)?": ("an update(?: (?:on|about))?", "an update.", "an update on"),
        "x (a (b)?)? y": ("x( a (b)?)? y", "x y", "x a b y"),
    }
    for pattern, (mended, without, with_group) in cases.items():
        assert space_before_optional_group(pattern) == mended
        assert not regex.search(flexible_spaces(pattern), without)
        assert regex.search(flexible_spaces(mended), without)
        assert regex.search(flexible_spaces(pattern), with_group) and regex.search(flexible_spaces(mended), with_group)
    for fine in ("update( information)?", "(key)? ?risks", "a( big)? dog", "a (big) dog", "a[ (](b)? c"):
        assert space_before_optional_group(fine) is None


def test_a_pattern_ending_in_a_sign_a_number_follows_is_found() -> None:
    # whole-word matching ends every pattern before a non-word character, so "paid \$" never matches "paid
    # $2 million" (an 8-K pattern of the fourteenth stop did exactly that until an example failed)
    from checker.pattern_advice import ends_before_a_word
    from checker.vocab import Vocabulary

    for pattern, sign, text in ((r"paid \$", "$", "The Company paid $2 million."), ("e-", "-", "an e-mail"),
                                ("fees in €", "€", "fees in €40,000"),
                                # a trailing space, as a pattern of the fifteenth stop ended ("... (to|must) ")
                                ("require our vendors to ", " ", "We require our vendors to comply."),
                                (r"vendors to\s", " ", "We require our vendors to comply.")):
        assert ends_before_a_word(pattern) == sign
        assert not Vocabulary("v", (pattern,)).find(text)
    # ... and so does an alternative of the group a pattern ends with, as an opening quote (sixteenth stop: a
    # cross-reference pattern matched "under Item 1A" but never "under \u201cRisk Factors\u201d")
    quoted = r"described under (Item \d|[\"\u201c])"
    assert ends_before_a_word(quoted) == "\u201c"
    assert ends_before_a_word("described under (Item \\d|\u201c)") == "\u201c"
    assert not Vocabulary("v", (quoted,)).find("Risks are described under \u201cRisk Factors\u201d.")
    assert Vocabulary("v", (quoted,)).find("Risks are described under Item 7.")
    for fine, text in ((r"paid \$ ?\d[\d,.]*", "The Company paid $2 million."), ("e-mail", "an e-mail"),
                       ("the end$", "the end"), ("[a-z-]+ board", "audit board"),
                       (r"described under (Item \d|[\"\u201c][\w-]+)", "It is described under \u201cRisk Factors\u201d.")):
        assert ends_before_a_word(fine) is None
        assert Vocabulary("v", (fine,)).find(text)


def test_rules_validate_warns_of_a_space_before_an_optional_group(tmp_path):
    from click.testing import CliRunner

    from checker.cli import cli

    p = write(tmp_path, "mine.yaml", BASE.replace("board: ['board']", "board: ['board (members)?']"))
    out = CliRunner().invoke(cli, ["rules", "validate", str(p)])
    assert out.exit_code == 0
    assert f"{p}:5: warning: vocabulary 'board': 'board (members)?' needs the space before its optional group" in out.stderr
    assert "write 'board( members)?'" in out.stderr and f"{p}: ok" in out.stdout
    clean = CliRunner().invoke(cli, ["rules", "validate", str(write(tmp_path, "ok.yaml", BASE))])
    assert clean.exit_code == 0 and "warning" not in clean.stderr
    money = write(tmp_path, "money.yaml", BASE.replace("board: ['board']", "board: ['board', 'paid \\$']"))
    said = CliRunner().invoke(cli, ["rules", "validate", str(money)])
    assert said.exit_code == 0 and "'paid \\\\$' ends in '$'" in said.stderr and "end it with what follows" in said.stderr


def test_a_board_committee_is_known_by_the_abbreviation_its_definition_gives_it():
    # Johnson & Johnson's 10-K (fiscal 2024): the updates go to "RCSC", defined with "of the board"; the quote is
    # that sentence, not the roles sentence before it. A committee defined without the board (a manager's "Cyber
    # Security Committee (CSC)") gets no such reading.
    roles = ("The Chief Information Officer (CIO) and the Chief Information Security Officer (CISO) are responsible "
             "for assessing and managing cybersecurity risks, including security incident detection and response.")
    text = (f"{roles}\n\nThe Regulatory Compliance & Sustainability Committee (RCSC) of the board is primarily "
            "responsible for oversight of risk from cybersecurity threats and oversees compliance with applicable "
            "laws.\n\nRCSC meetings include discussions of specific risk areas throughout the year. The CISO provides "
            "quarterly updates each year to RCSC on cybersecurity matters.")
    by_element = {r.element: r for r in check(text).results}
    for element in ("board_informed", "mgmt_reports_board"):
        assert by_element[element].status == "met"
        assert by_element[element].evidence[0].text == (
            "The CISO provides quarterly updates each year to RCSC on cybersecurity matters.")
    defined = load_pack("sk-106").vocabularies["board_committee_name"]
    managers = "This process is led by the Manager's Cyber Security Committee (CSC). The CSC reports to the CISO."
    found = {m.text for m in DocumentMatches().find(defined, managers)}
    assert "CSC" not in found
    found = {m.text for m in DocumentMatches().find(defined, text)}
    assert "RCSC" in found


STRICT_BOARD = """\
pack: firm
title: Firm house style
version: "1"
extends: sk-106
disable: [SK106-C1-BOARD-OVERSIGHT]
vocabularies:
  firm_cadence: ['quarterly', 'each quarter']
rules:
  - id: FIRM-BOARD-OVERSIGHT
    element: board_oversight
    title: Board oversight, with its cadence
    citation: Firm manual 3.1
    severity: error
    message: Name the board body and how often it takes cyber risk up.
    guidance: Say how often.
    match: {sentence: {all: [board_or_committee, oversight_word, firm_cadence]}}
    partial: {sentence: {all: [board_or_committee, oversight_word]}}
    examples:
      pass: ["The Audit Committee oversees cybersecurity risk and is briefed each quarter."]
      partial: ["Our Board of Directors oversees our cybersecurity risk management program."]
      fail: ["We sell shoes."]
"""


def test_a_house_rule_on_a_learned_element_is_decided_by_its_own_match(tmp_path):
    # a stricter house rule for an element the shipped model scores: the model was trained on sk-106's rule,
    # not on the cadence the house asks for, so the house rule's match decides (partial, not the model's met)
    path = tmp_path / "firm.yaml"
    path.write_text(STRICT_BOARD, encoding="utf-8")
    text = ("Item 1C. Cybersecurity\n\nOur Board of Directors oversees cybersecurity risk and receives an "
            "annual presentation from management on our cybersecurity program.\n")
    results = {r.rule: r for r in check(text, pack=str(path)).results}
    assert results["FIRM-BOARD-OVERSIGHT"].status == "partial"
    assert all(e.source == "rules" for e in results["FIRM-BOARD-OVERSIGHT"].evidence)
    informed = results["SK106-C1-BOARD-INFORMED"]  # sk-106's own rules keep the model
    assert informed.status == "met" and any(e.source == "learned" for e in informed.evidence)
    assert run_examples(load_pack(path)).problems == []


def test_a_report_names_the_pack_by_a_hash_of_its_contents_not_its_version_alone(tmp_path, monkeypatch):
    """An auditor re-performing a check needs the rules as they ran: two packs both saying version "1" that
    differ by one pattern gave the same report header. The JSON report's `pack.sha256` hashes every file the
    pack was built from (itself and what it extends), wherever the files sit, and validates."""
    import json
    from pathlib import Path

    import jsonschema

    import checker
    from checker.report import render

    monkeypatch.setenv("CYDCHECK_CACHE_DIR", "off")
    house = "pack: house\ntitle: House\nversion: '1'\nextends: sk-106\n"
    digests = []
    for folder, text in (("a", house), ("b", house), ("c", house + "disable: [SK106-B1I-ERM]\n")):
        (tmp_path / folder).mkdir()
        path = write(tmp_path / folder, "house.yaml", text)
        report = check("Item 1C. Cybersecurity\n\nOur Board oversees cybersecurity risk.\n", pack=str(path),
                       examples=False)
        data = json.loads(render([report], "json"))
        schema = json.loads((Path(checker.__file__).parent / "schemas" / "report.schema.json")
                            .read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)
        digests.append(data["pack"].get("sha256"))
    assert digests[0] and len(digests[0]) == 64
    assert digests[0] == digests[1] != digests[2]


def test_management_roles_gap_states_whether_and_which_and_the_c2_lead_in():
    """Item 106(c)(2)(i) asks "whether and which" management positions are responsible, and the lead-in of
    106(c)(2) requires a description of management's role: the gap said only that the section does not
    "identify which" positions are, as if a named position were the only answer."""
    from checker import Checker

    rule = Checker().pack("sk-106").rule("SK106-C2I-ROLES")
    assert "whether" in rule.message and "paragraph (c)(2)" in rule.message.lower()
    assert "no such position" in rule.guidance


def test_rules_validate_takes_a_folder_of_packs(tmp_path, capsys):
    """`cydcheck rules validate rules/` said "rules: is a directory, not a rule pack", exit 2: a pack author gives
    the folder, as `check` takes one. Each pack file in it is validated, in name order; a folder with none is
    said in one line."""
    from click.testing import CliRunner

    from checker.cli import cli

    write(tmp_path, "b.yaml", BASE)
    write(tmp_path, "a.yml", BASE.replace("pack: ", "pack: a-", 1))
    (tmp_path / "notes.txt").write_text("not a pack", encoding="utf-8")
    out = CliRunner().invoke(cli, ["rules", "validate", str(tmp_path)])
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [str(tmp_path / "a.yml"), str(tmp_path / "b.yaml")]
    assert all(": ok (" in line for line in lines)
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run_main(capsys, "rules", "validate", str(empty))
    assert_one_line_error(code, err, str(empty), "no pack file (.yaml, .yml) in it")
    # `rules test` too: each pack of the folder, and more than one pack given
    code, out, _ = run_main(capsys, "rules", "test", str(tmp_path))
    assert code == 0 and "a-base: 2 examples, 0 problems" in out and "\nbase: 2 examples, 0 problems" in out
    code, out, _ = run_main(capsys, "rules", "test", str(tmp_path / "b.yaml"), "form-8k-105")
    assert code == 0 and out.startswith("base: 2 examples, 0 problems\nform-8k-105: ")


def _dated(bound: str) -> str:
    """BASE with its rule applying only from the period `bound` gives, written as a pack author would."""
    return BASE.replace("    match:", f"    applies_if: {{field: {{name: period, on_or_after: {bound}}}}}\n    match:")


def test_an_unquoted_date_in_a_pack_is_read_as_the_date_it_spells(tmp_path):
    # YAML reads 2023-12-15 as a date, not text: the schema said "datetime.date(2023, 12, 15) is not of type
    # 'string'", Python's words, to an author who wrote the date as every pack of the docs spells it
    path = write(tmp_path, "dated.yaml", _dated("2023-12-15"))
    assert load_pack(path).rules[0].source["applies_if"]["field"]["on_or_after"] == "2023-12-15"
    early = check("The board oversees it.", pack=path, metadata={"period": "2023-06-30"})
    late = check("The board oversees it.", pack=path, metadata={"period": "2024-06-30"})
    assert [r.status for r in early.results] == ["not_applicable"]
    assert [r.status for r in late.results] == ["met"]


@pytest.mark.parametrize("bound", ['"12/15/2023"', '"2023-12"', '"Dec 15, 2023"'])
def test_a_date_bound_not_written_yyyy_mm_dd_is_a_pack_error(tmp_path, bound):
    # compared as text with the ISO period, "12/15/2023" held for no period and the rule never applied, silently
    err = error_of(write(tmp_path, "dated.yaml", _dated(bound)))
    assert err.line == 14 and "rules/0/applies_if/field/on_or_after (rule R1)" in err.message
    assert "YYYY-MM-DD" in err.message and bound.strip('"') in err.message


def test_a_learned_condition_naming_an_element_the_model_does_not_know_is_a_pack_error(tmp_path):
    # `learned: {element: mgmt_rolez}` found no sentence in any section: the rule was missing everywhere, and
    # `rules test` said only "the rule names no concept"
    text = ("pack: firm\ntitle: Firm\nversion: '1'\nextends: sk-106\nrules:\n  - id: FIRM-ROLES\n"
            "    element: firm_roles\n    title: Roles\n    citation: House\n    severity: warning\n"
            "    message: Missing.\n    guidance: Add it.\n    match:\n      learned: {element: mgmt_rolez}\n")
    err = error_of(write(tmp_path, "firm.yaml", text))
    assert err.file.endswith("firm.yaml") and err.line == 14
    assert "rule FIRM-ROLES: learned: element 'mgmt_rolez' is not one the model scores" in err.message
    assert "(did you mean 'mgmt_roles'?)" in err.message
    ok = write(tmp_path, "ok.yaml", text.replace("mgmt_rolez", "mgmt_roles"))
    assert [r.id for r in load_pack(ok).rules if r.id == "FIRM-ROLES"] == ["FIRM-ROLES"]


def test_two_parts_of_a_rule_with_one_name_are_a_pack_error(tmp_path):
    # a partial verdict says which parts are missing by name: "missing: a" could not tell the two apart
    parts = ("    parts:\n      - {name: past, match: {sentence: {all: [board]}}}\n"
             "      - {name: past, match: {sentence: {all: [board]}}}\n")
    err = error_of(write(tmp_path, "parts.yaml", BASE.replace("    match: {sentence: {all: [board]}}\n", parts)))
    assert "rule R1: two parts named 'past'" in err.message and err.line == 16


def test_a_number_where_text_is_wanted_says_to_quote_it(tmp_path):
    # `version: 1.0` is a float to YAML: "1.0 is not of type 'string'" left the author to guess why
    err = error_of(write(tmp_path, "v.yaml", BASE.replace('version: "1"', "version: 1.10")))
    assert err.line == 3 and "schema: version: 1.1 is not of type 'string'" in err.message
    assert "YAML reads 1.1 as a number: put the value in quotes" in err.message


def test_rules_validate_and_list_go_on_past_a_broken_pack(tmp_path, capsys):
    """A pack author validating a folder of packs saw only the first broken file, exit 2, and mended one file a
    run; `rules list` listed nothing. Each broken pack is now named in its own one-line error (file and line),
    the others are validated and listed, and the run still exits 2."""
    write(tmp_path, "a.yaml", BASE.replace("pack: ", "pack: a-", 1))
    write(tmp_path, "b.yaml", "pack: b\nrules: [\n")
    write(tmp_path, "c.yaml", BASE.replace("pack: ", "pack: c-", 1))
    write(tmp_path, "d.yaml", "pack: d\nversion: 1.0.0\nrules: [\n")
    code, out, err = run_main(capsys, "rules", "validate", str(tmp_path))
    assert code == 2
    assert [line.split(":")[0] for line in out.splitlines()] == [str(tmp_path / "a.yaml"), str(tmp_path / "c.yaml")]
    errors = err.splitlines()
    assert [e.split(": ")[2].split(":")[0] for e in errors[:2]] == [str(tmp_path / "b.yaml"), str(tmp_path / "d.yaml")]
    assert all(e.startswith("cydcheck: error: ") and "malformed YAML" in e for e in errors[:2])
    code, out, err = run_main(capsys, "rules", "list", "--rules-dir", str(tmp_path))
    assert code == 2
    assert "a-base" in out and "c-base" in out and "sk-106" in out
    assert f"{tmp_path / 'b.yaml'}:3: malformed YAML" in err and f"{tmp_path / 'd.yaml'}:" in err


@pytest.mark.parametrize("name, meant", [("smaller_reporting_compnay", "smaller_reporting_company"),
                                         ("fiscal_yr", "fiscal_year"), ("peroid", "period")])
def test_a_misspelt_field_name_is_a_pack_error_at_its_line(tmp_path, capsys, name, meant):
    """`field: {name: smaller_reporting_compnay, ...}` loaded silently: no document has that field, so the
    rule never applied (or, under `not:`, always did), and nothing said why."""
    text = BASE.replace("    match:", f"    applies_if: {{field: {{name: {name}, equals: 'true'}}}}\n    match:")
    path = write(tmp_path, "house.yaml", text)
    code, _, err = run_main(capsys, "rules", "validate", str(path))
    assert_one_line_error(code, err, f"{path}:", f"field '{name}' is no field cydcheck reads (did you mean "
                                                 f"'{meant}'?)")


def test_a_field_of_ones_own_records_may_have_any_name_not_close_to_a_known_one(tmp_path, capsys):
    text = BASE.replace("    match:", "    applies_if: {field: {name: deal_team, equals: 'M&A'}}\n    match:")
    path = write(tmp_path, "house.yaml", text)
    code, out, _ = run_main(capsys, "rules", "validate", str(path))
    assert code == 0 and ": ok (" in out


def test_an_installed_package_reads_its_own_packs_not_a_rules_folder_beside_it(tmp_path, monkeypatch):
    # installed, the packs are checker/data/rules; another distribution's top-level `rules/` in the same
    # site-packages was read first, as if it were the checkout's, and its packs became the built-in ones
    from checker import packs

    site = tmp_path / "site-packages"
    (site / "checker" / "data" / "rules").mkdir(parents=True)
    (site / "rules").mkdir()
    monkeypatch.delenv("CYDCHECK_RULES_DIR", raising=False)
    monkeypatch.setattr(packs, "__file__", str(site / "checker" / "packs.py"))
    assert packs.builtin_rules_dir() == (site / "checker" / "data" / "rules").resolve()
    (site / "checker" / "data" / "rules").rmdir()  # a checkout: rules/ beside the package
    assert packs.builtin_rules_dir() == (site / "rules").resolve()
