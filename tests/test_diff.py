"""`cydcheck diff OLD NEW`: improvements and regressions between drafts; exit 1 on any regression."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import plan_pack, run_main

from checker.diff import classify, from_change
from checker.model import Result

PACK = plan_pack("info")

HEAD = "Item 1C. Cybersecurity\n\n"
BOARD = "The board oversees cybersecurity risk. "
PLAN = "We maintain an incident response plan. "
TESTED = "Our incident response plan is tested every year. "


run = run_main


@pytest.fixture
def drafts(tmp_path: Path, monkeypatch):
    (tmp_path / "tiny.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / ".cydcheck.yaml").write_text("pack: tiny.yaml\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COLUMNS", raising=False)  # a line a change, as in a pipe

    def write(name: str, *sentences: str) -> str:
        (tmp_path / name).write_text(HEAD + "".join(sentences) + "\n", encoding="utf-8")
        return name

    return write


def _result(status: str, missing_parts: tuple[str, ...] = ()) -> Result:
    return Result("R", None, "t", status, "error", "c", "m", "g", missing_parts=list(missing_parts))


@pytest.mark.parametrize("old, new, kind", [
    ("missing", "partial", "improved"), ("partial", "met", "improved"), ("missing", "met", "improved"),
    ("met", "partial", "regressed"), ("partial", "missing", "regressed"), ("met", "missing", "regressed"),
    ("met", "met", "unchanged"), ("met", "not_applicable", "changed"), ("not_applicable", "met", "changed"),
])
def test_status_order(old: str, new: str, kind: str) -> None:
    assert classify(_result(old), _result(new))[0] == kind


@pytest.mark.parametrize("old, new, kind", [
    ("not_applicable", "missing", "regressed"), ("not_applicable", "partial", "regressed"),
    ("missing", "not_applicable", "improved"), ("partial", "not_applicable", "improved"),
])
def test_a_rule_that_starts_or_stops_applying_counts_as_the_gap_gained_or_gone(old: str, new: str, kind: str) -> None:
    # A rule that did not apply to last year's draft and applies to this one unmet (a flag or a statement that
    # brings it in) is a gap the new draft has and the old did not: listed as "changed", the gate passed it.
    assert classify(_result(old), _result(new))[0] == kind


@pytest.mark.parametrize("old, new, kind", [
    (None, "missing", "regressed"), ("missing", None, "improved"), (None, "partial", "regressed"),
    (None, "not_applicable", "changed"), ("not_applicable", None, "changed"), (None, "met", "changed"),
])
def test_a_gap_found_in_only_one_draft_is_a_change_of_status(old, new, kind) -> None:
    # A finding cydcheck gives only when something is wrong (a note to the draft, a missing section) is in
    # one report only: it appearing was listed as "changed" and the gate passed.
    assert classify(old and _result(old), new and _result(new))[0] == kind


def test_a_note_to_the_draft_added_fails_the_gate(drafts, capsys) -> None:
    old = drafts("old.md", BOARD, PLAN)
    new = drafts("new.md", BOARD, PLAN, "[Note to draft: Legal to confirm the vendor incident.] ")
    code, out, _ = run(capsys, "diff", old, new)
    assert code == 1
    assert "REGRESSED  DRAFT-PLACEHOLDER            none found -> missing" in out
    code, out, _ = run(capsys, "diff", new, old)
    assert code == 0
    assert "IMPROVED   DRAFT-PLACEHOLDER            missing -> none found" in out


def test_a_lost_part_is_a_regression_even_at_the_same_status() -> None:
    assert classify(_result("partial", ("b",)), _result("partial", ("a",))) == ("regressed", ("a",), ("b",))
    assert classify(_result("partial", ("a", "b", "c")), _result("partial", ("a",)))[0] == "improved"


def test_regression_exits_1_with_the_lost_evidence(drafts, capsys) -> None:
    old = drafts("old.md", BOARD, PLAN, TESTED)
    new = drafts("new.md", BOARD, PLAN)
    code, out, _ = run(capsys, "diff", old, new)
    assert code == 1
    line = next(ln for ln in out.splitlines() if "T-PLAN" in ln)
    assert line.split()[0] == "REGRESSED" and "met -> partial" in line
    assert "lost: tested" in out
    assert 'was, line 3, col 79 [plan, tested]: "Our incident response plan is tested every year."' in out
    assert "T-BOARD" not in out  # unchanged rules only with --all
    assert out.rstrip().endswith("1 regressed, 0 improved, 0 changed, 1 unchanged")


def test_improvement_exits_0_and_severity_does_not_matter_for_regressions(drafts, capsys) -> None:
    old = drafts("old.md", PLAN)
    new = drafts("new.md", BOARD, PLAN, TESTED)
    code, out, _ = run(capsys, "diff", old, new)
    assert code == 0
    assert [ln.split()[:2] for ln in out.splitlines() if ln.strip().startswith("IMPROVED")] == [
        ["IMPROVED", "T-BOARD"], ["IMPROVED", "T-PLAN"]]
    assert 'now, line 3, col 1: "The board oversees cybersecurity risk."' in out
    # T-BOARD is only `info`, yet losing it is still a regression of the draft.
    assert run(capsys, "diff", new, drafts("newer.md", PLAN, TESTED))[0] == 1


def test_json_output_and_all(drafts, capsys) -> None:
    old = drafts("old.md", BOARD, PLAN, TESTED)
    code, out, _ = run(capsys, "diff", "--format", "json", old, drafts("same.md", BOARD, PLAN, TESTED))
    assert code == 0
    data = json.loads(out)["diffs"][0]
    assert data["summary"] == {"regressed": 0, "improved": 0, "changed": 0, "unchanged": 2}
    assert {c["rule"]: (c["old"], c["new"]) for c in data["changes"]} == {"T-BOARD": ("met", "met"),
                                                                         "T-PLAN": ("met", "met")}
    code, out, _ = run(capsys, "diff", "--all", old, "same.md")
    assert code == 0 and "same       T-BOARD" in out


def test_an_output_alone_takes_its_format_from_its_extension(drafts, tmp_path: Path, capsys) -> None:
    # The README: "An --output alone takes its format from its extension". `diff -o changes.md` wrote the
    # plain text report into a Markdown file; it writes the Markdown table, as `check -o summary.md` does.
    old = drafts("old.md", BOARD, PLAN)
    new = drafts("new.md", BOARD)
    assert run(capsys, "diff", old, new, "-o", "changes.md")[0] == 1
    assert (tmp_path / "changes.md").read_text(encoding="utf-8").startswith("## cydcheck diff: ")
    assert run(capsys, "diff", old, new, "-o", "changes.json")[0] == 1
    assert json.loads((tmp_path / "changes.json").read_text(encoding="utf-8"))["diffs"]
    assert run(capsys, "diff", old, new, "-o", "changes.txt")[0] == 1
    assert (tmp_path / "changes.txt").read_text(encoding="utf-8").startswith("old.md -> new.md")


def test_mismatched_inputs_are_a_usage_error(drafts, tmp_path: Path, capsys) -> None:
    old = drafts("old.md", BOARD)
    (tmp_path / "two.json").write_text(json.dumps([{"text": HEAD + BOARD}, {"text": HEAD + PLAN}]),
                                       encoding="utf-8")
    code, _, err = run(capsys, "diff", old, "two.json")
    assert code == 2 and "diff compares drafts document by document" in err
    code, _, err = run(capsys, "diff", old, "nope.md")
    assert code == 2 and "nope.md" in err


def test_real_pack_board_oversight_added_and_removed(tmp_path: Path, capsys) -> None:
    """Coarse check with the shipped pack (auto-detected from the heading): adding a plain statement
    of board oversight is not a regression; removing it is."""
    bare = tmp_path / "bare.md"
    bare.write_text(HEAD + "We sell shoes.\n", encoding="utf-8")
    board = tmp_path / "board.md"
    board.write_text(HEAD + "Our Board of Directors oversees our cybersecurity risk management program "
                     "through its Audit Committee.\n", encoding="utf-8")
    code, out, _ = run(capsys, "diff", "--config", str(_empty_config(tmp_path)), str(bare), str(board))
    assert code == 0 and "IMPROVED" in out
    code, out, _ = run(capsys, "diff", "--config", str(_empty_config(tmp_path)), str(board), str(bare))
    assert code == 1 and "REGRESSED" in out


def _empty_config(tmp_path: Path) -> Path:
    path = tmp_path / "empty.yaml"
    path.write_text("{}\n", encoding="utf-8")
    return path


META_HTML = Path(__file__).parent / "fixtures" / "xbrl" / "meta-10k-2024-item1c.html"


def test_clients_draft_against_the_tagged_filing(tmp_path: Path, capsys) -> None:
    """The filing agent's check: the client's draft against the inline XBRL .htm made from it. The filing
    gives two reports (its section, and its cyd tags); the draft has no tags. diff refused ('NEW has 2
    documents', exit 2); it compares the section and names the tag report it could not compare."""
    config = str(_empty_config(tmp_path))
    code, text, _ = run(capsys, "extract", str(META_HTML))
    draft = tmp_path / "client-draft.md"
    draft.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "diff", "--config", config, str(draft), str(META_HTML))
    assert code == 0, err
    assert "pack sk-106" in out and "REGRESSED" not in out
    assert "cyd-tags" in out and "not compared" in out
    code, out, _ = run(capsys, "diff", "--config", config, "--format", "json", str(draft), str(META_HTML))
    data = json.loads(out)
    assert [d["pack"]["id"] for d in data["diffs"]] == ["sk-106"]
    assert data["not_compared"] == [{"side": "NEW", "source": str(META_HTML), "pack": "cyd-tags"}]


def test_an_element_met_on_other_sentences_is_listed_as_reworded(drafts, capsys) -> None:
    """The year-over-year reviewer's diff: the same element met both years, but on other sentences (a new
    officer's expertise, a restated materiality sentence). diff said only '1 unchanged', as if the
    disclosure were the same; it lists the element as reworded, with the sentence gone and the one now
    quoted, in text and JSON, and the exit code stays 0."""
    old = drafts("old.md", PLAN, "The board oversees cybersecurity risk through its Audit Committee. ")
    new = drafts("new.md", PLAN, "The board oversees cybersecurity risk directly. ")
    code, out, _ = run(capsys, "diff", old, new)
    assert code == 0
    line = next(ln for ln in out.splitlines() if "T-BOARD" in ln)
    assert line.split()[0] == "REWORDED" and "met -> met" in line
    assert 'was, line 3, col 40: "The board oversees cybersecurity risk through its Audit Committee."' in out
    assert 'now, line 3, col 40: "The board oversees cybersecurity risk directly."' in out
    assert "T-PLAN" not in out  # met on the same sentence: unchanged, listed only with --all
    assert out.rstrip().endswith("0 regressed, 0 improved, 0 changed, 2 unchanged (1 reworded)")
    data = json.loads(run(capsys, "diff", "--format", "json", old, new)[1])["diffs"][0]
    assert {c["rule"]: c.get("reworded", False) for c in data["changes"]} == {"T-BOARD": True, "T-PLAN": False}


def test_a_long_reworded_sentence_is_quoted_from_where_it_changed() -> None:
    """Cut to a line at its opening, both years' quotes of a long reworded sentence read the same; each is
    quoted from a few words before the first word that changed."""
    opening = "The Audit and Finance Committee of the Board of Directors has oversight of our cybersecurity program and "
    was = opening + "reviews the Company's data protection policies."
    now = opening + "reviews the effectiveness of the Company's data protection policies."
    assert from_change(was, [now]) == "… program and reviews the Company's data protection policies."
    assert from_change(now, [was]) == "… program and reviews the effectiveness of the Company's data protection policies."
    assert from_change("A short sentence.", ["A short one."]) == "A short sentence."  # fits: whole


def test_a_sentence_that_lost_only_a_bullet_or_an_apostrophe_is_not_reworded(drafts, capsys) -> None:
    """A filing against a text rebuilt from its tags ("•Third-Party ...", "Company’s" read "Companys"):
    the same words are the same sentence, not a rewording whose two quotes read alike."""
    old = drafts("old.md", PLAN, "• The Company’s board oversees cybersecurity risk. ")
    new = drafts("new.md", PLAN, "The Companys board oversees cybersecurity risk. ")
    code, out, _ = run(capsys, "diff", old, new)
    assert code == 0 and "REWORDED" not in out
    assert out.rstrip().endswith("0 regressed, 0 improved, 0 changed, 2 unchanged")


def test_markdown_diff_for_a_comment_letter(drafts, capsys) -> None:
    """The reviewer pastes Markdown into a draft comment letter; diff offered only text and JSON. The Markdown
    gives one row per listed element with its citation, the statuses and the quotes, escaped like check's."""
    old = drafts("old.md", BOARD, PLAN, TESTED)
    new = drafts("new.md", "The board | <b>oversees</b> cybersecurity risk. ", PLAN)
    code, out, _ = run(capsys, "diff", "--format", "markdown", old, new)
    assert code == 1
    rows = [ln for ln in out.splitlines() if ln.startswith("| ")]
    assert rows[0] == "| Change | Element | Citation | Status | Evidence |"
    plan = next(r for r in rows if "T-PLAN" in r)
    assert plan.startswith("| REGRESSED | Tested incident response plan `T-PLAN` | test (b)(1) | met → partial |")
    assert "Lost: tested." in plan and "Was, line 3, col 79 \\[plan, tested\\]: “Our incident response plan is" in plan
    board = next(r for r in rows if "T-BOARD" in r)
    assert board.startswith("| REWORDED |") and "&lt;b&gt;oversees&lt;/b&gt;" in board and "<b>" not in out
    assert len(board.replace("\\|", "").split("|")) == 7  # five cells: the pipe in the quote is escaped
    assert "**1 regressed, 0 improved, 0 changed, 1 unchanged (1 reworded)**" in out
    data = json.loads(run(capsys, "diff", "--format", "json", old, new)[1])["diffs"][0]
    assert {c["rule"]: c["citation"] for c in data["changes"]} == {"T-BOARD": "test (c)(1)", "T-PLAN": "test (b)(1)"}


def test_the_text_diff_keeps_escape_sequences_off_the_terminal_and_wraps_to_columns(drafts, capsys,
                                                                                    monkeypatch) -> None:
    """A draft whose file name holds an OSC 8 link reached the terminal as one (check's text report strips it);
    and the listing ignored the width: at 40 columns (COLUMNS, a braille display) each change ran 120 columns,
    broken by the terminal wherever it ended. Each line now fits, and a pipe still gets a line a change."""
    name = "old\x1b]8;;mailto:a@b.c\x1b\\x.md"
    old = drafts(name, BOARD, PLAN, TESTED)
    new = drafts("new.md", BOARD, PLAN)
    _, out, _ = run(capsys, "diff", old, new)
    assert "\x1b" not in out and out.startswith("oldx.md -> new.md")
    monkeypatch.setenv("COLUMNS", "40")
    _, out, _ = run(capsys, "diff", old, new)
    assert "\x1b" not in out
    assert all(len(ln) <= 40 for ln in out.splitlines())
    assert "  REGRESSED  T-PLAN" in out.splitlines()


def test_a_regressed_sentence_is_quoted_on_both_sides_from_where_it_changed(drafts, capsys) -> None:
    """Counsel deleted the tail of a long sentence (the prong that kept the element whole). diff quoted the
    sentence on both sides from its opening, cut to a line: 'was' and 'now' read the same and the words lost
    were never shown. Both quotes now start a few words before where the sentences part."""
    opening = ("Our incident response plan, which covers every business unit, every region where we operate and "
               "every system that holds customer data, ")
    old = drafts("old.md", BOARD, opening + "is reviewed and tested every year. ")
    new = drafts("new.md", BOARD, opening + "is reviewed by management. ")
    code, out, _ = run(capsys, "diff", old, new)
    assert code == 1
    was = next(ln for ln in out.splitlines() if ln.strip().startswith("was,"))
    now = next(ln for ln in out.splitlines() if ln.strip().startswith("now,"))
    assert was.endswith('"… customer data, is reviewed and tested every year."')
    assert now.endswith('"… customer data, is reviewed by management."')
    same = opening + "is reviewed and tested every year."
    assert from_change(same, [same]).startswith("Our incident response plan")  # nothing parts: from its opening


def test_a_verdict_now_marked_for_review_says_so(drafts, capsys) -> None:
    """An element met last year on a plain sentence and this year only on one to check (a blank to fill, or a
    sentence the model alone reads, an attacker 'third party' for provider oversight) was listed as
    reworded, met -> met, with no word that `check` marks it for review. diff now gives the reason under the
    quotes (text and Markdown) and as `review` in JSON."""
    old = drafts("old.md", PLAN, "The board oversees cybersecurity risk. ")
    new = drafts("new.md", PLAN, "The board oversees cybersecurity risk through [●]. ")
    _, out, _ = run(capsys, "diff", old, new)
    lines = out.splitlines()
    start = next(i for i, ln in enumerate(lines) if "T-BOARD" in ln)
    block = lines[start:next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("   "))]
    assert "review (new draft): the sentence holds a blank to fill" in " ".join(" ".join(block).split())
    _, out, _ = run(capsys, "diff", "-f", "markdown", old, new)
    row = next(r for r in out.splitlines() if "T-BOARD" in r)
    assert "**Review (new draft):** the sentence holds a blank to fill" in row
    data = json.loads(run(capsys, "diff", "-f", "json", old, new)[1])["diffs"][0]
    board = next(c for c in data["changes"] if c["rule"] == "T-BOARD")
    assert board["new_review"].startswith("the sentence holds a blank to fill") and "old_review" not in board


_ORIGINAL_8K = ("Material Cybersecurity Incidents. On or about June 16, 2026, an unauthorized threat actor gained "
                "access to the network environment of the Company. The Company identified the activity on or about "
                "June 19, 2026, and determined that ransomware had been deployed across portions of its server "
                "environment.\n\nAs of the date of this filing, the full nature, scope, and impact of the incident "
                "have not yet been determined. The Company has not yet determined whether the incident is "
                "reasonably likely to materially impact its business or financial condition. The Company will file "
                "an amendment to this Current Report on Form 8-K after it determines that such information is "
                "available.\n")
_AMENDMENT_8K = ("Material Cybersecurity Incidents. Since the date of the original filing, the Company's "
                 "investigation has progressed. The Company has determined that an unauthorized threat actor "
                 "accessed portions of its network and removed certain data from its environment.\n\nThe Company "
                 "has not yet confirmed whether the incident is reasonably likely to materially impact its business "
                 "or financial condition. The Company will file an amendment to this Current Report on Form 8-K "
                 "after it determines that such information is available.\n")


def test_an_8k_amendment_that_does_not_repeat_the_original_is_no_regression(tmp_path: Path, capsys) -> None:
    """Counsel compared the Item 1.05 8-K with its 8-K/A: the timing the 8-K gave and the amendment did not
    repeat was REGRESSED, exit 1, though an 8-K/A adds what was not determined at first (Item 1.05,
    Instruction 2) and need not restate the rest. Such an element is now listed as not repeated, saying it
    stands in the original, and counted as changed (JSON `in_original`), exit 0; the amendment's own gaps,
    and a draft of the 8-K against a later draft of it, still regress."""
    config = str(_empty_config(tmp_path))

    def record(name: str, form: str, text: str) -> str:
        path = tmp_path / name
        path.write_text(json.dumps({"id": name, "form": form, "item": "1.05", "filing_date": "2026-07-10",
                                    "text": text}), encoding="utf-8")
        return str(path)

    original = record("8-k.json", "8-K", _ORIGINAL_8K)
    amendment = record("8-k-a.json", "8-K/A", _AMENDMENT_8K)
    code, out, _ = run(capsys, "diff", "--config", config, original, amendment)
    assert code == 0, out
    line = next(ln for ln in out.splitlines() if "F8K-105A-TIMING" in ln)
    assert line.split()[0] == "UNREPEATED" and "met -> missing" in line
    assert "stated in the original 8-K; an 8-K/A need not repeat it (Item 1.05, Instruction 2)" in out
    assert "REGRESSED" not in out
    data = json.loads(run(capsys, "diff", "--config", config, "-f", "json", original, amendment)[1])["diffs"][0]
    timing = next(c for c in data["changes"] if c["rule"] == "F8K-105A-TIMING")
    assert (timing["change"], timing.get("in_original")) == ("changed", True)
    later = record("8-k-v2.json", "8-K", _AMENDMENT_8K)  # a later draft of the 8-K itself: a regression
    assert run(capsys, "diff", "--config", config, original, later)[0] == 1


@pytest.mark.parametrize("given, starts", [("md", "## cydcheck diff: "), ("Markdown", "## cydcheck diff: "),
                                           ("txt", "old.md -> new.md")])
def test_format_takes_the_extension_name_as_check_does(drafts, capsys, given: str, starts: str) -> None:
    """The README: `-f` "also takes the extension's name (`-f md`)". `diff -f md` for the committee memo was
    refused ("'md' is not one of 'text', 'json', 'markdown'"); it is the Markdown table, as in check."""
    code, out, err = run(capsys, "diff", "-f", given, drafts("old.md", BOARD, PLAN), drafts("new.md", BOARD, PLAN))
    assert code == 0, err
    assert out.startswith(starts)


def test_the_text_diff_cites_each_element_changed(drafts, capsys) -> None:
    """The Markdown table cites each element; the terminal listing gave only its severity ('[error]'), so
    counsel reading a regression in the terminal had to run explain to learn which paragraph of the rule it
    was. Each listed change now carries its citation beside the severity."""
    code, out, _ = run(capsys, "diff", drafts("old.md", BOARD, PLAN, TESTED), drafts("new.md", BOARD, PLAN))
    assert code == 1
    line = next(ln for ln in out.splitlines() if "T-PLAN" in ln)
    assert line.endswith("Tested incident response plan [error; test (b)(1)]")


def test_an_8k_amendment_gap_the_original_had_no_call_for_is_a_regression() -> None:
    """Instruction 2 spares an 8-K/A what the original 8-K stated; a rule that did not apply to the original
    states nothing there, so the amendment's gap under it regresses, and is not listed as not repeated."""
    from checker.diff import diff_reports
    from checker.model import Document, Report

    def report(form: str, status: str) -> Report:
        return Report(Document("text", form=form, item="1.05"), "p", "1", "t", [_result(status)])

    change = diff_reports(report("8-K", "not_applicable"), report("8-K/A", "missing")).changes[0]
    assert (change.kind, change.in_original) == ("regressed", "")
    change = diff_reports(report("8-K", "met"), report("8-K/A", "missing")).changes[0]
    assert change.kind == "changed" and change.in_original


_INCIDENT = ("Item 1.05 Material Cybersecurity Incidents.\n\nOn March 16, 2026, the Company detected unauthorized "
             "access to its billing systems by a threat actor, who encrypted servers and took customer names and "
             "addresses. {determined}The incident disrupted invoicing for two days. The Company has not yet "
             "determined the full impact on its results of operations.\n")


def test_a_finding_whose_title_changed_at_the_same_status_says_what_it_was(tmp_path: Path, capsys) -> None:
    """Counsel diffed the 8-K draft before and after the determination sentence went in: the deadline line read
    "CHANGED ... not_applicable -> not_applicable  Filing deadline: determined 2026-03-20 ... due 2026-03-26",
    nothing saying it had not been checked before. A change at the same status now says what the finding was,
    in every format."""
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(_INCIDENT.format(determined=""), encoding="utf-8")
    new.write_text(_INCIDENT.format(determined="On March 20, 2026, the Company determined that the incident is "
                                               "material. "), encoding="utf-8")
    code, out, _ = run(capsys, "diff", str(old), str(new), "--form", "8-K")
    assert code == 0
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if "8K-GI-B1-DEADLINE" in line)
    assert "due 2026-03-26" in lines[at]
    assert "was: Filing deadline not checked: no materiality determination date" in out
    _, md, _ = run(capsys, "diff", str(old), str(new), "--form", "8-K", "--format", "markdown")
    assert "Was: Filing deadline not checked: no materiality determination date." in md
    _, js, _ = run(capsys, "diff", str(old), str(new), "--form", "8-K", "--format", "json")
    deadline = next(c for d in json.loads(js)["diffs"] for c in d["changes"] if c["rule"] == "8K-GI-B1-DEADLINE")
    assert deadline["old_title"] == "Filing deadline not checked: no materiality determination date"
    assert deadline["title"].startswith("Filing deadline: determined 2026-03-20")
