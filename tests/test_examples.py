"""`cydcheck rules test`: every shipped pack's embedded examples hold, inline XBRL snippets included."""

import re
import textwrap

from cli_helpers import board_pack
from click.testing import CliRunner

from checker.api import Checker
from checker.cli import cli
from checker.examples import example_document, is_markup, run_examples
from checker.packs import load_pack

SNIPPET = (
    '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL" '
    'xmlns:dei="http://xbrl.sec.gov/dei/2024" xmlns:cyd="http://xbrl.sec.gov/cyd/2024"><body>'
    '<div style="display:none"><ix:header><ix:hidden>'
    '<ix:nonNumeric contextRef="c-1" name="dei:DocumentType">8-K</ix:nonNumeric>'
    '<ix:nonNumeric contextRef="c-1" name="dei:DocumentPeriodEndDate">July 14, 2025</ix:nonNumeric>'
    "</ix:hidden></ix:header></div><p>Item 1.05 Material Cybersecurity Incidents.</p>"
    '<ix:nonNumeric contextRef="c-1" name="cyd:MaterialCybersecurityIncidentNatureTextBlock" escape="true">'
    "<p>The Company detected a ransomware attack on its network.</p></ix:nonNumeric></body></html>"
)

NO_EXAMPLES = board_pack("bare", "Bare", "BARE-BOARD", applies_to=True)


def test_rules_test_passes_for_every_shipped_pack():
    shipped = Checker().available()
    result = CliRunner().invoke(cli, ["rules", "test"])
    assert result.exit_code == 0, result.output
    assert "FAIL" not in result.output
    counts = dict(re.findall(r"^([\w-]+): (\d+) examples, 0 problems$", result.output, re.M))
    assert set(counts) == shipped and "cyd-tags" in shipped
    assert all(int(n) > 0 for n in counts.values())
    assert re.search(rf"^{sum(map(int, counts.values()))} passed, 0 failed$", result.output, re.M)


def test_every_cyd_tags_rule_has_snippet_examples_both_ways():
    pack = Checker().pack("cyd-tags")
    for rule in pack.rules:
        assert rule.examples.get("pass") and rule.examples.get("fail"), rule.id
        assert all(is_markup(text) for texts in rule.examples.values() for text in texts), rule.id
    assert run_examples(pack).problems == []


def test_a_rule_without_examples_is_reported(tmp_path):
    path = tmp_path / "bare.yaml"
    path.write_text(NO_EXAMPLES, encoding="utf-8")
    result = CliRunner().invoke(cli, ["rules", "test", str(path)])
    assert result.exit_code == 1
    assert "FAIL bare BARE-BOARD: no example makes it fire" in result.output
    assert "FAIL bare BARE-BOARD: no example keeps it silent" in result.output
    assert "0 passed, 2 failed" in result.output


def test_a_wrong_snippet_example_is_reported_by_its_words(tmp_path):
    pack_text = NO_EXAMPLES + textwrap.indent(textwrap.dedent(f"""\
        examples:
          pass: ['{SNIPPET}']
          fail: ['The board oversees it.']
    """), "    ")
    path = tmp_path / "wrong.yaml"
    path.write_text(pack_text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["rules", "test", str(path)])
    assert result.exit_code == 1
    # Both examples are wrong for a board rule; the snippet is quoted by its section text, not markup.
    assert ("pass example 1 gave 'missing': \"Item 1.05 Material Cybersecurity Incidents. "
            "The Company detected a ransomware attack") in result.output
    assert "fail example 1 gave 'met': \"The board oversees it.\"" in result.output


def test_snippet_example_is_read_as_inline_xbrl_and_plain_text_as_before():
    pack = Checker().pack("cyd-tags")
    doc = example_document(SNIPPET, pack)
    assert doc.form == "8-K" and doc.item == "1.05"
    assert doc.metadata["period"] == "2025-07-14" and doc.metadata["inline_xbrl"] is True
    assert [(f.element, f.text) for f in doc.facts] == [
        ("incident_nature", "The Company detected a ransomware attack on its network.")]
    start, end = doc.span
    assert doc.text[start:end].startswith("Item 1.05")  # the hidden header is not section text
    plain = example_document("Our board oversees cyber risk.", pack)
    assert (plain.form, plain.item, plain.facts, plain.span) == ("10-K", "1C", [], (0, 30))


def test_a_rules_tests_run_with_its_examples_and_are_named_apart(tmp_path):
    tested = NO_EXAMPLES + textwrap.indent(textwrap.dedent("""\
        examples:
          pass: ["The board oversees cybersecurity."]
          fail: ["Management runs the program."]
        tests:
          pass: ["Our board reviews the program."]
          fail: ["The board meets monthly."]
    """), "    ")
    path = tmp_path / "bare.yaml"
    path.write_text(tested, encoding="utf-8")
    from checker.packs import load_pack

    out = run_examples(load_pack(path))
    assert (out.count, out.passed) == (4, 3)
    assert out.problems == ["BARE-BOARD: test fail example 1 gave 'met': \"The board meets monthly.\""]


WHY_PACK = """\
pack: why
title: Why
version: "1"
applies_to: [{form: 10-K, item: 1C}]
vocabularies:
  ciso: ['CISO']
  reports_to: ['reports?\\s+to']
rules:
  - id: WHY-LINE
    title: Reporting line
    citation: "house 3.2"
    severity: warning
    message: Missing.
    guidance: Add it.
    match: {sentence: {all: [ciso, reports_to]}}
    examples:
      pass: ["Our CISO reports to the CEO.", "The CISO sits within the legal team."]
      fail: ["Our CISO has 20 years of experience.", "The CISO reports to the board."]
"""


def test_a_failing_example_says_where_its_rule_is_and_which_concepts_it_names(tmp_path):
    # a rule author sees why the verdict is not the one expected: the rule's line in the pack, and which of
    # the concepts its conditions name the example's words hold and which they lack
    path = tmp_path / "why.yaml"
    path.write_text(WHY_PACK, encoding="utf-8")
    result = CliRunner().invoke(cli, ["rules", "test", str(path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    first = lines.index("FAIL why WHY-LINE: pass example 2 gave 'missing': \"The CISO sits within the legal team.\"")
    assert lines[first + 1] == f"  {path}:9: the example names ciso; not reports_to"
    second = lines.index("FAIL why WHY-LINE: fail example 2 gave 'met': \"The CISO reports to the board.\"")
    assert lines[second + 1] == f"  {path}:9: the example names ciso, reports_to"
    assert "2 passed, 2 failed" in result.output
    out = run_examples(load_pack(path))
    assert len(out.reasons) == len(out.problems) == 2


def test_the_counts_add_up_when_a_rule_lacks_examples(tmp_path):
    # One example that fails and one rule without fail examples: the last line read "0 passed, 2 failed"
    # under "1 examples, 2 problems", so the passed and failed did not add up to the examples run.
    path = tmp_path / "half.yaml"
    path.write_text(NO_EXAMPLES + "    examples:\n      pass: ['We have no such body.']\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["rules", "test", str(path)])
    assert result.exit_code == 1
    assert "bare: 1 example, 2 problems" in result.output
    assert result.output.rstrip().endswith("0 passed, 2 failed (1 example, 1 rule without examples of a kind)")


def test_an_inherited_rules_failing_example_is_placed_where_it_is_written(tmp_path):
    # A house pack that extends sk-106 and narrows its `board` vocabulary breaks sk-106's own board examples:
    # `rules test` named the house pack's file with no line, where no such example is; it names the line of
    # the rule in the pack that holds it.
    house = tmp_path / "house.yaml"
    house.write_text("pack: house\ntitle: House\nversion: '1'\nextends: sk-106\n"
                     "vocabularies:\n  board: ['supervisory council']\n", encoding="utf-8")
    base = load_pack("sk-106")
    written = {r.id: r.line for r in base.rules}
    outcome = run_examples(load_pack(house))
    board = [reason for problem, reason in zip(outcome.problems, outcome.reasons, strict=True)
             if problem.startswith("SK106-C1-BOARD-OVERSIGHT:")]
    assert board
    assert all(reason.startswith(f"{base.path}:{written['SK106-C1-BOARD-OVERSIGHT']}: ") for reason in board)
    rule = next(r for r in load_pack(house).rules if r.id == "SK106-C1-BOARD-OVERSIGHT")
    assert rule.file == str(base.path) and rule.line == written["SK106-C1-BOARD-OVERSIGHT"]


def test_an_example_the_rule_does_not_apply_to_says_what_applies_if_asked(tmp_path):
    # `applies_if: {field: {name: period, ...}}` made every plain-text example 'not_applicable' (such an example
    # gives no period), and the reason said "the example names board", which was true and no help. (A misspelt
    # field, 'perod', is now a pack error: test_packs.py::test_a_misspelt_field_name_is_a_pack_error_at_its_line.)
    pack = board_pack("when", "When", "WHEN-R1").replace(
        "    match:", "    applies_if: {field: {name: period, on_or_after: '2023-12-15'}}\n    match:")
    path = tmp_path / "when.yaml"
    path.write_text(pack + '    examples: {pass: ["The board oversees it."], fail: ["Nothing."]}\n',
                    encoding="utf-8")
    out = run_examples(load_pack(path))
    assert out.problems == ["WHEN-R1: pass example 1 gave 'not_applicable': \"The board oversees it.\""]
    assert out.reasons == [f"{path}:7: the rule does not apply to it: it applies only when the filing's period is "
                           "on or after 2023-12-15 (a plain-text example gives its pack's form and item, no other field)"]
