"""Amendments: a 10-K/A or 20-F/A that restates other parts of the report need not repeat Item 1C or 16K;
one that restates the item's part and leaves it out is still missing it; an inline XBRL amendment tagged as
the original form with AmendmentFlag true is an amendment."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from cli_helpers import run_main
from conftest import check_file

from checker import ingest

FIXTURE = Path(__file__).parent / "fixtures" / "amendments" / "10-ka-part-iii.txt"



def test_a_part_iii_amendment_is_not_checked_for_item_1c(checker, capsys) -> None:
    report = check_file(checker, FIXTURE)
    assert (report.document.form, report.pack_id) == ("10-K/A", "sk-106")
    (result,) = report.results
    assert (result.rule, result.status, result.severity) == ("ITEM-NOT-AMENDED", "not_applicable", "info")
    assert result.message == (
        "This 10-K/A has no Item 1C section and restates nothing of that part of the 10-K (its item headings "
        "are Items 10, 11, 12, 13, 14, 15): an amendment need not repeat an item it does not amend. Item 1C is "
        "checked in the 10-K it amends.")
    assert result.citation == "Form 10-K Item 1C"
    code, out, _ = run_main(capsys, "check", str(FIXTURE), "--no-examples")
    assert code == 0 and "ITEM-NOT-AMENDED" in out


def test_the_same_filing_as_a_10k_is_missing_its_section(checker, tmp_path) -> None:
    original = tmp_path / "10-K.txt"
    text = FIXTURE.read_text(encoding="utf-8")
    original.write_text(text.replace("FORM 10-K/A\n(Amendment No. 1)", "FORM 10-K"), encoding="utf-8")
    report = check_file(checker, original)
    assert report.document.form == "10-K"
    assert report.results[0].rule == "SECTION-MISSING" and report.results[0].status == "missing"


def test_an_amendment_that_restates_part_i_without_item_1c_is_missing_it(checker, tmp_path) -> None:
    restated = tmp_path / "10-K-A.txt"
    part_i = ("PART I\n\nItem 1. Business\n\nWe make instruments.\n\nItem 1A. Risk Factors\n\nOur business is "
              "risky.\n\nItem 2. Properties\n\nWe lease our offices.\n\n")
    restated.write_text(FIXTURE.read_text(encoding="utf-8").replace("PART III\n", part_i + "PART III\n"),
                        encoding="utf-8")
    report = check_file(checker, restated)
    assert report.results[0].rule == "SECTION-MISSING"
    # an amendment that does hold the section is checked as ever
    restated.write_text(restated.read_text(encoding="utf-8").replace(
        "Item 2. Properties", "Item 1C. Cybersecurity\n\nWe maintain a cybersecurity risk management program.\n\n"
                              "Item 2. Properties"), encoding="utf-8")
    rules = [r.rule for r in check_file(checker, restated).results]
    assert "ITEM-NOT-AMENDED" not in rules and "SECTION-MISSING" not in rules and "SK106-B1-PROCESS" in rules


def test_a_20f_amendment_for_its_financial_statements(checker, tmp_path) -> None:
    amended = tmp_path / "20-F-A.txt"
    amended.write_text("SECURITIES AND EXCHANGE COMMISSION\n\nFORM 20-F/A\n\n(Amendment No. 1)\n\nEXPLANATORY NOTE\n\nThis amendment is filed solely to "
                       "include the financial statements required by Item 18.\n\nItem 18. Financial Statements\n\n"
                       "See pages F-1 to F-40.\n\nItem 19. Exhibits\n\n1.1 Articles of Association\n",
                       encoding="utf-8")
    (result,) = check_file(checker, amended).results
    assert result.rule == "ITEM-NOT-AMENDED" and "Item 16K" in result.message
    assert result.citation == "Form 20-F Item 16K"


@pytest.mark.parametrize(("cover", "form"), [
    ("FORM 10-K/A\n(Amendment No. 1)", "10-K/A"),
    ("FORM 10-K\n\n(Amendment No. 1)", "10-K/A"),  # the number alone makes it an amendment
    ("FORM 10-K/A (Amendment No. 1)", "10-K/A"),
    ("AMENDMENT NO. 1 TO FORM 10-K", "10-K/A"),
    ("FORM 10\u2011K/A", "10-K/A"),  # a non-breaking hyphen, as HTML filings print it
    ("FORM 10-K", "10-K"),
])
def test_an_amendments_cover(tmp_path, cover, form) -> None:
    path = tmp_path / "filing.txt"
    path.write_text(FIXTURE.read_text(encoding="utf-8").replace("FORM 10-K/A\n(Amendment No. 1)", cover),
                    encoding="utf-8")
    (document,) = ingest.load(str(path))
    assert document.form == form


def test_an_inline_xbrl_amendment_tagged_as_its_original_form(tmp_path) -> None:
    def html(flag: str) -> str:
        return ('<html><body><ix:header></ix:header>'
                '<ix:nonNumeric name="dei:DocumentType" contextRef="c">10-K</ix:nonNumeric>'
                f'<ix:nonNumeric name="dei:AmendmentFlag" contextRef="c" {flag}</ix:nonNumeric>'
                '<p>Item 10. Directors</p><p>Our board has seven members.</p></body></html>')
    path = tmp_path / "10-K-A.htm"
    for flag, form in (('>true', "10-K/A"), ('format="ixt:fixed-true">Yes', "10-K/A"),
                       ('format="ixt:booleantrue">Yes', "10-K/A"), ('format="ixt:fixed-false">FALSE', "10-K"),
                       ('>false', "10-K")):
        path.write_text(html(flag), encoding="utf-8")
        (document,) = ingest.load(str(path))
        assert document.form == form, flag


def test_a_batch_says_why_filings_have_no_coverage(tmp_path, capsys) -> None:
    folder = tmp_path / "filings"
    folder.mkdir()
    for source in (FIXTURE, FIXTURE.parents[1] / "8k" / "item-801-incident.txt",
                   Path(__file__).parents[1] / "samples" / "draft-10k-1c-deficient.md"):
        (folder / source.name).write_bytes(source.read_bytes())
    code, _, _ = run_main(capsys, "batch", str(folder), "-o", str(tmp_path / "out"))
    with open(tmp_path / "out" / "summary.csv", encoding="utf-8", newline="") as f:
        rows = {Path(r["source"]).name: r for r in csv.DictReader(f)}
    assert code == 1  # the deficient draft's gaps
    assert rows["10-ka-part-iii.txt"]["not_checked"] == "ITEM-NOT-AMENDED"
    assert rows["item-801-incident.txt"]["not_checked"] == "ITEM-NOT-REPORTED"
    assert rows["draft-10k-1c-deficient.md"]["not_checked"] == ""
    page = " ".join((tmp_path / "out" / "dashboard.html").read_text(encoding="utf-8").split())
    assert ("2 filings left out of the shares and the coverage, each report one finding instead of the item's "
            "rules: 1 not reported (an 8-K of other items); 1 not amended (an amendment of other parts).") in page
    assert "Pack sk-106 (1 filing)" in page


def test_an_amendment_that_names_item_1c_is_not_passed_as_not_amending_it(checker, tmp_path) -> None:
    named = tmp_path / "10-K-A.txt"
    named.write_text(FIXTURE.read_text(encoding="utf-8").replace(
        "solely to include the information required by Part III of Form 10-K",
        "to include the information required by Part III of Form 10-K and to revise Item 1C (Cybersecurity)"),
        encoding="utf-8")
    assert check_file(checker, named).results[0].rule == "SECTION-MISSING"


@pytest.mark.parametrize("left_alone", [
    "solely to include the information required by Part III of Form 10-K. This Amendment does not amend Part I, "
    "including Item 1C (Cybersecurity), or any other part of the Original Report",
    "solely to include the information required by Part III of Form 10-K. No other changes have been made to the "
    "Original Report, including Item 1C and the disclosure required by Item 106 of Regulation S-K",
    "solely to include the information required by Part III of Form 10-K, and does not modify or update Item 1C",
    # an abbreviation between the words and the item ends no sentence ("U.S. GAAP"), as the rules' segmentation
    # reads it
    "solely to include the information required by Part III of Form 10-K. This Amendment does not amend the "
    "financial statements prepared under U.S. GAAP or Item 1C (Cybersecurity)",
])
def test_an_amendment_that_names_item_1c_as_left_alone_is_not_amending_it(checker, tmp_path, left_alone) -> None:
    """A Part III 10-K/A whose explanatory note says it "does not amend Part I, including Item 1C" got SECTION-MISSING
    (an error) and twelve missing elements: the note names the item only as one the amendment leaves alone."""
    path = tmp_path / "10-K-A.txt"
    path.write_text(FIXTURE.read_text(encoding="utf-8").replace(
        "solely to include the information required by Part III of Form 10-K", left_alone), encoding="utf-8")
    assert left_alone in path.read_text(encoding="utf-8")
    assert check_file(checker, path).results[0].rule == "ITEM-NOT-AMENDED"


@pytest.mark.parametrize("shown", [
    "PART I\n\nThe Company is filing this Amendment to add the disclosure below.\n\n",
    "Cybersecurity Risk Management and Strategy\n\nWe maintain a program to assess cybersecurity risks.\n\n",
    "This Amendment also includes the disclosure required by Item 106 of Regulation S-K.\n\n",
    "Item IC. Cybersecurity\n\nWe maintain a program to assess cybersecurity risks.\n\n",
])
def test_an_amendment_that_shows_it_restates_part_i_is_not_passed_as_not_amending_it(checker, tmp_path,
                                                                                       shown) -> None:
    path = tmp_path / "10-K-A.txt"
    path.write_text(FIXTURE.read_text(encoding="utf-8").replace("PART III\n", shown + "PART III\n"),
                    encoding="utf-8")
    assert check_file(checker, path).results[0].rule != "ITEM-NOT-AMENDED"


def test_an_amendment_heading_one_item_names_it_in_the_singular() -> None:
    from checker import applicability

    one = applicability.not_amended("20-F/A", "16K", ["19"], "Form 20-F Item 16K").message
    assert "its item heading is Item 19)" in one
    two = applicability.not_amended("10-K/A", "1C", ["10", "11"], "Form 10-K Item 1C").message
    assert "its item headings are Items 10, 11)" in two


EXPLANATORY = ("Explanatory Note\n\nThis Amendment No. 1 on Form 8-K/A (this \"Amendment\") amends the Current Report on "
               "Form 8-K filed by the Company on December 2, 2025 (the \"Original Report\") to provide information "
               "that was not determined or was unavailable at the time of the Original Report.\n\n")
ITEM_105 = ("Item 1.05 Material Cybersecurity Incidents.\n\nAs previously disclosed, on November 20, 2025, the Company "
            "detected ransomware on its systems, and on November 26, 2025, the Company determined that the incident "
            "was material. The threat actor encrypted servers at its Ohio plant and exfiltrated employee files. "
            "The incident reduced fourth-quarter net sales by approximately $20 million.\n")


@pytest.mark.parametrize("note", [
    EXPLANATORY,
    "The Company is filing this Current Report on Form 8-K/A to update the information in its report.\n\n",
    "This Form 8-K/A amends and supplements the Current Report on Form 8-K filed on December 2, 2025.\n\n",
])
def test_a_draft_amendment_without_its_cover_is_known_by_its_explanatory_note(checker, tmp_path, note) -> None:
    # an 8-K/A draft without the cover page was checked as an original 8-K: its deadline counted from the
    # determination it recites, "Filed 10 business days after the 2025-12-03 deadline", an error
    draft = tmp_path / "8-K-A draft.txt"
    draft.write_text(note + ITEM_105, encoding="utf-8")
    report = check_file(checker, draft, "form-8k-105")
    assert report.document.form == "8-K/A"
    (deadline,) = [r for r in report.results if r.rule == "8K-GI-B1-DEADLINE"]
    assert deadline.status == "not_applicable" and "own clock" in deadline.title


def test_an_original_8k_undertaking_to_amend_is_no_amendment(checker, tmp_path) -> None:
    draft = tmp_path / "8-K draft.txt"
    draft.write_text(ITEM_105 + "\nThe Company will file an amendment to this Current Report on Form 8-K (a Form "
                     "8-K/A) within four business days after the information is determined.\n", encoding="utf-8")
    assert check_file(checker, draft, "form-8k-105").document.form == "8-K"
