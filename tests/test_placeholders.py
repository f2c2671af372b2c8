"""Drafting blanks and notes to the draft: found, never read as disclosure, marked and reported as one gap."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import run_main

from checker import placeholders
from checker.model import Document

ROOT = Path(__file__).resolve().parent.parent
COMPLETE = (ROOT / "samples" / "draft-10k-1c-complete.md").read_text(encoding="utf-8")
ERM = ("Our cybersecurity risk management program is integrated into our overall enterprise risk management\n"
       "program: cybersecurity is one of the risk categories assessed in our annual enterprise risk assessment,\n"
       "and its results are reviewed by our management Enterprise Risk Committee.")
EXPERTISE = "Our CISO has more than 20 years of\nexperience in information security"


def found(text: str) -> list[tuple[str, bool]]:
    return [(text[p.start:p.end], p.note) for p in placeholders.find(text)]


@pytest.mark.parametrize(("text", "want"), [
    ("Our CISO, [CISO NAME], has [●] years of experience.", [("[CISO NAME]", False), ("[●]", False)]),
    ("It meets [__] times a year, since [Date], [TBD] and [X].",
     [("[__]", False), ("[Date]", False), ("[TBD]", False), ("[X]", False)]),
    ("The CISO has ___ years of experience and joined in 20XX.", [("___", False), ("XX", False)]),
    ("[Note to draft: confirm with the client.] We test annually.", [("[Note to draft: confirm with the client.]", True)]),
    ("[NTD: update] [Company to confirm whether the plan is tested.] [JD: check] [Insert the CISO's background]",
     [("[NTD: update]", True), ("[Company to confirm whether the plan is tested.]", True), ("[JD: check]", True),
      ("[Insert the CISO's background]", True)]),
])
def test_blanks_and_notes_are_found(text: str, want: list[tuple[str, bool]]) -> None:
    assert found(text) == want


@pytest.mark.parametrize("note", ["[To be agreed with the auditors.]", "[To be finalised]", "[to be finalized]",
                                  "[To be aligned with the Annual Report]", "[To be reviewed by Legal]",
                                  "[Tbc by Group IT]", "[TBD: frequency of reporting]"])
def test_a_british_note_to_the_draft_is_a_note(note: str) -> None:
    """A translated draft's open points ("[To be agreed with the auditors.]", "[To be finalised]", "[Tbc by
    Group IT]") passed as editorial brackets: read by the rules, and the gate passed."""
    assert found(f"{note} We test our plan.") == [(note, True)]


def test_an_open_point_inside_a_bracket_is_a_note(checker) -> None:
    """A tracked insertion "[Material effect statement to be agreed with the Vorstand.]" held its open point
    mid-bracket: neither a note nor a blank, the gate passed. It is a note, and the rules do not read it."""
    note = "[Material effect statement to be agreed with the Vorstand.]"
    assert found(f"We test our plan. {note}") == [(note, True)]
    assert placeholders.masked(f"A {note} B") == "A " + " " * len(note) + " B"


@pytest.mark.parametrize("note", ["[Board discussion to be added.]", "[Expertise paragraph to be revised by HR.]"])
def test_every_open_point_a_bracket_opens_with_is_one_inside_it_too(note: str) -> None:
    """"[To be added]" and "[To be revised]" opening a bracket were notes; the same words mid-bracket were
    not (the two lists of what is still to be done differed by these two verbs), so the gate passed."""
    assert found(f"We test our plan. {note}") == [(note, True)]


def test_a_blank_in_lower_case_is_found() -> None:
    """A British or translated draft writes its open points in lower case, "[tbc]", "[t.b.c.]", "[tbd]": they
    passed as editorial brackets, and the gate with them."""
    text = "The CISO has [tbc] years of experience, reports [t.b.c.] and joined in [tbd]; [Tbc]."
    assert found(text) == [("[tbc]", False), ("[t.b.c.]", False), ("[tbd]", False), ("[Tbc]", False)]


@pytest.mark.parametrize("text", [
    "Item 6. [Reserved]", "as described in [1] and in [the Company's] policy", "[Audit Committee]", "[IT]",
    "Washington, D.C. 20549\n\n______________________\n\nFORM 10-K",  # a rule drawn across a cover page
    "[Note to draft:\n\nnot one paragraph]", "We have no placeholder at all.",
])
def test_editorial_brackets_rules_and_references_are_neither(text: str) -> None:
    assert found(text) == []


def test_a_note_is_blanked_out_for_the_rules_offsets_kept() -> None:
    text = "[NTD: confirm.] We test the plan. [Insert more]"
    assert placeholders.masked(text) == " " * 15 + " We test the plan. " + " " * 13
    assert placeholders.masked("No bracket here.") == "No bracket here."


def by_rule(report) -> dict:
    return {r.rule: r for r in report.results}


def test_an_element_a_note_alone_answers_is_a_gap(checker) -> None:
    note = ("[Company to confirm whether cybersecurity risk is integrated into the enterprise risk management "
            "program.]")
    plain = by_rule(checker.check_document(Document(text=COMPLETE, source="draft.md"), "sk-106"))
    noted = by_rule(checker.check_document(Document(text=COMPLETE.replace(ERM, note), source="draft.md"), "sk-106"))
    assert plain["SK106-B1I-ERM"].status == "met" and placeholders.RULE_ID not in plain
    # the same words as a sentence of the draft would be read: as a note they are not
    worded = by_rule(checker.check_document(Document(text=COMPLETE.replace(ERM, note[1:-1]), source="d.md"), "sk-106"))
    assert worded["SK106-B1I-ERM"].status == "met"
    assert noted["SK106-B1I-ERM"].status == "missing"
    gap = noted[placeholders.RULE_ID]
    assert (gap.status, gap.severity, gap.element) == ("missing", "error", None)
    assert "1 note to the draft" in gap.message and "not read as disclosure" in gap.message
    assert [e.text for e in gap.evidence] == [note]
    assert gap.evidence[0].line == COMPLETE.replace(ERM, note)[:gap.evidence[0].start].count("\n") + 1


def test_a_verdict_resting_on_a_blank_is_marked_for_review(checker) -> None:
    text = COMPLETE.replace(EXPERTISE, "Our CISO has [●] years of\nexperience in information security")
    results = by_rule(checker.check_document(Document(text=text, source="draft.md"), "sk-106"))
    expertise = results["SK106-C2I-EXPERTISE"]
    assert expertise.status == "met"
    assert expertise.review.startswith('the sentence holds a blank to fill ("[●]")')
    assert not results["SK106-C2I-ROLES"].review  # its sentence holds no blank
    gap = results[placeholders.RULE_ID]
    assert "1 blank" in gap.message and "marked for review" in gap.message and "note" not in gap.message
    assert len(gap.evidence) == 1 and "[●] years" in gap.evidence[0].text


def test_the_gap_fails_the_run_and_can_be_disabled(tmp_path: Path, capsys) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(COMPLETE.replace(EXPERTISE, "Our CISO has [●] years of\nexperience in information security"),
                     encoding="utf-8")
    code, out, _ = run_main(capsys, "check", str(draft), "--no-examples")
    assert code == 1 and "DRAFT-PLACEHOLDER" in out and "review: the sentence holds a blank" in out
    code, out, _ = run_main(capsys, "check", str(draft), "--no-examples", "--disable", "DRAFT-PLACEHOLDER")
    reported, _, said = out.partition("left out by the selection")
    assert code == 0 and "DRAFT-PLACEHOLDER" not in reported and "DRAFT-PLACEHOLDER" in said  # named as not checked
    # a GitHub annotation sits at the sentence holding the blank, not at the section's heading
    code, out, _ = run_main(capsys, "check", str(draft), "--no-examples", "-f", "github")
    line, text = next((k, s) for k, s in enumerate(draft.read_text(encoding="utf-8").splitlines(), 1) if "[●]" in s)
    assert f"::error file={draft},line={line},col={text.index('Our CISO has') + 1},title=DRAFT-PLACEHOLDER" in out
    assert "Not met: No drafting placeholder or note left in the text. The text still holds 1 blank" in out


def test_many_placeholders_are_counted_to_a_bound() -> None:
    text = "We test [●] times. " * (placeholders.MAX_FOUND + 50)
    assert len(placeholders.find(text)) == placeholders.MAX_FOUND


@pytest.mark.parametrize(("sentence", "mark", "note"), [
    ("Our CISO has ［●］ years of experience in information security.", "［●］", False),
    ("Our CISO has 【●】 years of experience in information security.", "【●】", False),
    ("Our CISO has ＿＿＿ years of experience in information security.", "＿＿＿", False),
    ("Our CISO has 25 years of experience in information security.［NTD: confirm with HR］", "［NTD: confirm with HR］", True),
    ("Our CISO has 25 years of experience in information security.【要確認：人事部】", "【要確認：人事部】", True),
])
def test_a_translated_drafts_full_width_blanks_and_notes_are_found(checker, sentence, mark, note) -> None:
    """A Tokyo team's draft keeps its blanks and notes in full-width or Japanese brackets ("［●］", "【●】",
    "【要確認】", "to be confirmed"): none was found, so the gate passed a draft with blanks unfilled."""
    report = checker.check_document(Document(text=f"Item 16K. Cybersecurity\n\n{sentence}\n", form="20-F"))
    [gap] = [r for r in report.results if r.rule == placeholders.RULE_ID]
    assert f"\"{mark}\"" in gap.message and (("note to the draft" in gap.message) == note)
    expertise = next(r for r in report.results if r.element == "mgmt_expertise")
    assert bool(expertise.review) != note  # a blank in its sentence marks the verdict for review
