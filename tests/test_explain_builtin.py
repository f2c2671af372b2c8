"""`explain` and `rules list` know the findings given beside the packs' rules (section, applicability, deadline,
cyd tag names)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run_main

from checker import builtin_checks, ingest
from checker.model import Document
from checker.packs import load_outline

FIXTURES = Path(__file__).parent / "fixtures"
EIGHT_K = FIXTURES / "8k" / "item-801-incident.txt"
CARECLOUD = FIXTURES / "submission" / "carecloud-8k-2026-full-submission.txt"


def _reports(checker, tmp_path: Path) -> list:
    """Reports that between them give every built-in finding."""
    text = EIGHT_K.read_text(encoding="utf-8")
    determined = text.replace("the Company has not determined that the incident is reasonably likely to "
                              "materially impact its financial condition or results of operations",
                              "on May 4, 2025, the Company determined that the incident was material")
    headless = text.replace("Item 8.01 Other Events.", "Other Events.").replace("Item 9.01", "Exhibits")
    paid = text.replace("the Company has not determined that the incident is reasonably likely to materially impact "
                        "its financial condition or results of operations", "the incident is not material, as its "
                        "insurance is expected to cover the ransom")
    documents = [
        Document(text=text, source="a", form="8-K", metadata={"issuer": "X"}),
        Document(text=determined, source="b", form="8-K", metadata={"issuer": "X"}),
        Document(text=headless, source="c", form="8-K", metadata={"issuer": "X"}),  # no section at all
        Document(text=paid, source="c2", form="8-K", metadata={"issuer": "X"}),
        Document(text="Item 1C. Cybersecurity\n\nNot applicable.\n", source="d", form="10-K"),
        Document(text="Item 1C. Cybersecurity\n\nNot applicable.\n", source="e", form="10-K",
                 metadata={"period": "2022-12-31"}),
        Document(text="Item 1C. Cybersecurity\n\nThe information required by this item is incorporated by "
                      "reference to our Annual Report to Shareholders.\n", source="f", form="10-K"),
        Document(text="Item 1C. Cybersecurity\n\nOur CISO, [CISO NAME], leads our security team.\n", source="g",
                 form="10-K"),
        Document(text="Item 1C. Cybersecurity\n\nOmitted pursuant to General Instruction J of Form 10-K.\n",
                 source="h", form="10-K"),  # an asset-backed issuer's
    ]
    documents += ingest.load(str(CARECLOUD))  # the deadline, read from the text
    documents += ingest.load(str(FIXTURES / "amendments" / "10-ka-part-iii.txt"))
    reports = [checker.check_document(d, "auto") for d in documents]
    meta = (FIXTURES / "xbrl" / "meta-10k-2024-item1c.html").read_bytes()
    misspelt = meta.replace(b"cyd:CybersecurityRiskBoardOfDirectorsOversight", b"cyd:CybersecurityRiskBoardOversight")
    broken = meta.replace(b'continuedAt="f-37-1"', b'continuedAt="f-37-9"')  # a chain naming no continuation
    return (reports + checker.check_packs(ingest.html.read(misspelt, "h.html")[0])  # a misspelt tag name
            + checker.check_packs(ingest.html.read(broken, "i.html")[0]))


def test_every_finding_a_report_gives_is_a_packs_rule_or_a_built_in_check(checker, tmp_path) -> None:
    pack_rules = {r.id for p in checker.available() for r in load_outline(p, []).rules}
    given = {r.rule for report in _reports(checker, tmp_path) for r in report.results}
    builtin = {c.id for c in builtin_checks.CHECKS}
    assert given - pack_rules <= builtin
    assert builtin <= given  # and each built-in check was given by one of these reports


def test_the_section_missing_from_an_8k_cites_the_8ks_item_under_every_pack(checker) -> None:
    text = EIGHT_K.read_text(encoding="utf-8").replace("Item 8.01 Other Events.", "Other Events.")
    document = Document(text=text.replace("Item 9.01", "Exhibits"), source="x", form="8-K",
                        metadata={"issuer": "X"})
    for pack in ("form-8k-105", "cyd-tags"):  # the tag pack covers three forms: it cited its first (10-K)
        missing = checker.check_document(document, pack).results[0]
        assert (missing.rule, missing.citation) == ("SECTION-MISSING", "Form 8-K Item 1.05")


def test_explain_a_built_in_check(capsys) -> None:
    code, out, _ = run_main(capsys, "explain", "8k-gi-b1-deadline")  # ids compare case-insensitively
    assert code == 0 and out.startswith("8K-GI-B1-DEADLINE — ")
    assert "Instruction 2" in " ".join(out.split()) and "Gen. Instr. B.1" in out
    # what the finding now says of an 8-K/A's date, a West Coast evening and a wrong weekday is explained too
    said = " ".join(out.split())
    assert "--determined-on gives the day its information was determined or became available" in said
    assert "counts from the earlier day" in said and "a weekday it does not fall on" in said
    assert "10 business days after the discovery it dates (Instruction 1)" in said
    code, out, _ = run_main(capsys, "explain", "DETERMINED-NOT-REPORTED", "-f", "json")
    data = json.loads(out)
    assert code == 0 and data["pack"] is None and data["severity"] == "error"
    assert data["citation"].startswith("Form 8-K Item 1.05(a)")


def test_explain_wraps_to_the_terminal_width(capsys, monkeypatch) -> None:
    """A rule's explanation at 40 columns (COLUMNS, a braille display): it was wrapped at 98 whatever the width,
    so the terminal broke each line mid-word; a pipe (a pager, a file) gets 80, as from every other command
    (it had 98, which an 80-column pager broke)."""
    monkeypatch.delenv("COLUMNS", raising=False)
    _, wide, _ = run_main(capsys, "explain", "material_effect")
    assert 70 < max(len(ln) for ln in wide.splitlines()) <= 80
    monkeypatch.setenv("COLUMNS", "40")
    for rule in ("material_effect", "SECTION-MISSING"):
        _, out, _ = run_main(capsys, "explain", rule)
        body = out.splitlines()[6:]  # under the heading and the pack's path
        assert all(len(ln) <= 38 for ln in body if " " in ln.strip()), rule


def test_a_misspelt_built_in_check_is_suggested(capsys) -> None:
    code, _, err = run_main(capsys, "explain", "SECTION-MISING")
    assert code == 2 and "did you mean SECTION-MISSING?" in err


def test_rules_list_ends_with_the_built_in_checks(capsys) -> None:
    code, out, _ = run_main(capsys, "rules", "list")
    lines = out.rstrip().splitlines()
    tail = lines[next(i for i, ln in enumerate(lines) if ln.startswith("built-in:")):]
    rows = [ln for ln in tail[1:] if not ln.startswith("   ")]  # a row's citation may wrap under it
    assert code == 0 and [line.split()[0] for line in rows] == [c.id for c in builtin_checks.CHECKS]


@pytest.mark.parametrize("command", [["explain", "SK106-B1-PROCESS"], ["config"]])
def test_format_has_its_short_flag_as_in_check(capsys, command) -> None:
    code, out, _ = run_main(capsys, *command, "-f", "json")
    assert code == 0 and isinstance(json.loads(out), dict)


@pytest.mark.parametrize("columns", [None, "80", "60"])
def test_rules_list_fits_the_terminal_or_80_columns_in_a_pipe(capsys, monkeypatch, columns) -> None:
    """`rules list` printed each rule on one line of up to 170 columns (the cyd-tags citations, the built-in
    ITEM-NOT-YET-REQUIRED), so an 80-column terminal or a pager broke them mid-word; every rule id still
    starts its own line, and each citation is there whole."""
    if columns:
        monkeypatch.setenv("COLUMNS", columns)
    code, out, _ = run_main(capsys, "rules", "list")
    width = int(columns or 80)
    assert code == 0 and max(len(ln) for ln in out.splitlines()) <= width
    listed = [ln.split()[0] for ln in out.splitlines() if ln.startswith("  ") and not ln.startswith("   ")]
    assert [i for i in listed if i in {c.id for c in builtin_checks.CHECKS}] == [c.id for c in builtin_checks.CHECKS]
    assert "SK106-C2III-REPORTS-BOARD" in listed and "CYD-FLAG-REPORTS-BOARD-FALSE" in listed
    flat = " ".join(out.split())
    for check in builtin_checks.CHECKS:
        assert " ".join(check.citation.split()) in flat, check.id



@pytest.mark.parametrize("rule", ["SK106-B2-MATERIAL-EFFECT", "ITEM-NOT-YET-REQUIRED", "F8K-105-I2-UNDETERMINED"])
def test_explain_heading_and_citation_wrap_too(capsys, monkeypatch, rule) -> None:
    """At 80 columns the body of an explanation wrapped but its heading (90 columns for the material-effect
    rule) and its citation line (170 for ITEM-NOT-YET-REQUIRED) did not; they wrap under their label now."""
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run_main(capsys, "explain", rule)
    assert code == 0 and out.startswith(rule + " — ")
    assert max(len(ln) for ln in out.splitlines()) <= 80
    head = " ".join(out.split("\n\n")[0].split())
    assert "citation: " + " ".join((builtin_checks.find(rule) or load_outline_rule(rule)).citation.split()) in head


def load_outline_rule(rule_id: str):
    """The rule as its own pack's outline has it."""
    pack = {"SK106": "sk-106", "F8K": "form-8k-105"}[rule_id.split("-")[0]]
    return load_outline(pack).rule(rule_id)


def test_explain_says_what_a_rule_looks_for_and_what_vetoes_it(capsys, monkeypatch) -> None:
    """explain gave a rule's requirement, messages, guidance and examples, but not how cydcheck decides it:
    an associate could not tell that the material-effect rule has two parts (past, prospective), nor that a
    hedge ahead of the forward-looking words or a bare cross-reference vetoes a sentence."""
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run_main(capsys, "explain", "SK106-B2-MATERIAL-EFFECT")
    assert code == 0 and "\nHow cydcheck checks it\n" in out
    flat = " ".join(out.split())
    assert "2 parts (past, prospective): met when every part is, partly met when some are" in flat
    assert "Part 'past' met when" in flat and "Part 'prospective' met when" in flat
    assert "in one sentence, names all of: effect future + material word" in flat
    assert "not when it holds: bare whether (unless stated fact); hedge ahead of the effect future" in flat
    assert max(len(ln) for ln in out.splitlines()) <= 80
    code, out, _ = run_main(capsys, "explain", "F8K-105-TRIGGER", "-f", "json")
    logic = json.loads(out)["logic"]
    assert code == 0 and logic[0] == {"heading": "Fails when", "lines": ["in one sentence, names not material incident"]}


@pytest.mark.parametrize(("asked", "named"), [("106(b)(2)", "SK106-B2-MATERIAL-EFFECT"),
                                              ("1.05(a)", "F8K-105A-NATURE"),
                                              ("expertise", "SK106-C2I-EXPERTISE")])
def test_explain_of_a_citation_or_a_word_names_the_rules_that_hold_it(capsys, asked, named) -> None:
    """A trainee asking `explain 106(b)(2)` or `explain expertise` was sent to `rules list` to find the rule;
    the rules whose citation or id hold what was asked are named now (the content packs' first)."""
    code, _, err = run_main(capsys, "explain", asked)
    assert code == 2 and "rules that cite or name it:" in err and named in err
    assert err.count("\n") == 1 and "CYD-" not in err.split(named)[0]


@pytest.mark.parametrize("rule", [r.id for r in load_outline("sk-106").rules])
def test_explain_quotes_the_regulation_each_item_106_rule_checks(capsys, rule) -> None:
    """explain's 'Requirement' repeated the rule's title and citation: a trainee did not see Item 106's words,
    nor why ERM is a warning (an item the registrant 'should address, as applicable') and material effect an
    error (a 'describe' requirement); each rule now quotes its paragraph, for a 20-F too."""
    paragraph = load_outline("sk-106").rule(rule).citation.split("Item ")[1].split(",")[0]  # "106(b)(1)(i)"
    code, out, _ = run_main(capsys, "explain", rule)
    requirement = " ".join(out.split("\nRequirement\n")[1].split("\n\n")[0].split())
    assert code == 0 and f"Item {paragraph} (for a 20-F, Item 16K{paragraph[3:]}, in the same words)" in requirement
    assert requirement.count('"') >= 2
    assert any(tier in requirement for tier in ("as applicable", 'A "describe" requirement', '("if applicable")'))
