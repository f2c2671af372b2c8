"""Forms a foreign private issuer files that no pack checks (6-K, 40-F): known by their cover, and reported as
not checked, with what applies to them, instead of a check under another form's rules."""

from __future__ import annotations

import json

import pytest
from cli_helpers import run_main

from checker.ingest import cover
from checker.model import Document

COVER_6K = """UNITED STATES
SECURITIES AND EXCHANGE COMMISSION
Washington, D.C. 20549

FORM 6-K

REPORT OF FOREIGN PRIVATE ISSUER
PURSUANT TO RULE 13a-16 OR 15d-16
UNDER THE SECURITIES EXCHANGE ACT OF 1934

For the month of March 2025

NORDHAFEN LOGISTIK AG
(Translation of registrant's name into English)

Indicate by check mark whether the registrant files or will file annual reports under cover of Form 20-F or Form 40-F.
Form 20-F [X] Form 40-F [ ]

Exhibit 99.1

Hamburg, 24 March 2025 - On 20 March 2025, Nordhafen Logistik AG detected unauthorised access to its IT systems
by a ransomware group. On 23 March 2025, the Management Board determined that the incident is material to the
Company. Terminal operations were interrupted for three days.
"""
COVER_40F = """UNITED STATES
SECURITIES AND EXCHANGE COMMISSION
Washington, D.C. 20549

FORM 40-F

ANNUAL REPORT PURSUANT TO SECTION 13(a) OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934

For the fiscal year ended December 31, 2024

MAPLE NORTH CORPORATION
(Exact name of Registrant as specified in its charter)

Cybersecurity

Our Board of Directors oversees cybersecurity risk through its Audit Committee, which receives quarterly reports
from our Chief Information Security Officer.
"""


def test_a_6k_and_a_40f_cover_name_their_form():
    assert cover.read(COVER_6K) == ("6-K", {"issuer": "NORDHAFEN LOGISTIK AG"})
    assert cover.read(COVER_40F) == ("40-F", {"period": "2024-12-31", "issuer": "MAPLE NORTH CORPORATION"})


def test_a_whole_6k_is_not_checked_as_an_annual_report_or_an_8k(checker):
    document = cover.attach(Document(text=COVER_6K, source="6k.txt"))
    report = checker.check_document(document)
    [result] = report.results
    assert (result.rule, result.status, result.severity) == ("FORM-NOT-COVERED", "not_applicable", "info")
    assert "Form 6-K" in result.citation and "General Instruction B" in result.citation
    assert "no four-business-day" in result.message and "--pack form-8k-105" in result.guidance
    assert "6-K" in report.pack_reason


def test_a_40f_is_not_checked_under_item_106(checker):
    report = checker.check_document(cover.attach(Document(text=COVER_40F, source="40f.txt")))
    [result] = report.results
    assert result.rule == "FORM-NOT-COVERED" and "Form 40-F" in result.message
    assert "Item 16K" in result.message and "--pack form-20f-16k" in result.guidance


def test_a_record_of_a_form_without_a_pack_says_so(tmp_path, capsys):
    record = tmp_path / "6k.json"
    record.write_text(json.dumps({"id": "x", "form": "6-K", "text": COVER_6K.split("Exhibit 99.1")[1]}))
    code, out, _ = run_main(capsys, "check", str(record), "-f", "json")
    report = json.loads(out)
    assert code == 0 and [r["rule"] for r in report["results"]] == ["FORM-NOT-COVERED"]
    assert not any("8-K" in r["citation"] for r in report["results"])


def test_a_pack_given_still_checks_a_6k(checker):
    document = cover.attach(Document(text=COVER_6K, source="6k.txt"))
    report = checker.check_document(document, "form-8k-105")
    assert "F8K-105A-NATURE" in [r.rule for r in report.results]
    assert not any(r.rule.startswith("F8K-105-DEADLINE") for r in report.results)  # no 4-day clock
    # ... and its report says the rules are a comparison: they ask an 8-K's content, nothing of a 6-K
    assert report.pack_reason == "given; form 6-K has no pack: a good-practice comparison, not a requirement"


TWENTY_F_BARE = """FORM 20-F

PART II

16J. Insider Trading Policies

We have adopted an insider trading policy governing the purchase and sale of our securities.

16K. Cybersecurity

Risk management and strategy

We have an information security programme to assess, identify and manage material risks from cybersecurity
threats, organised around ISO/IEC 27001.

Governance

Our Supervisory Board oversees cybersecurity risk through its Audit and Risk Committee.

PART III

17. Financial Statements

Not applicable.
"""


def test_a_20f_numbered_without_the_word_item_is_found_by_its_numbered_title():
    """Word drafts and some 20-Fs head the item '16K. Cybersecurity', the 20-F's numbering without 'Item'."""
    from checker import sections

    section = sections.locate(Document(text=TWENTY_F_BARE, form="20-F"), "16K")
    assert (section.method, section.heading) == ("title", "16K. Cybersecurity")
    # the note names the heading taken, and no longer says the filing has none
    assert section.note == "the section was found by its numbered title '16K. Cybersecurity' (no 'Item 16K' heading)"
    body = TWENTY_F_BARE[section.start:section.end]
    assert body.startswith("16K. Cybersecurity") and body.endswith("Audit and Risk Committee.")
    assert "insider trading" not in body


ANNUAL_REPORT_AND_20F = """FORM 20-F

STRATEGIC REPORT

We operate container terminals in Hamburg and Rotterdam.

CYBERSECURITY

Risk management and strategy

We have an information security programme to assess, identify and manage material risks from cybersecurity
threats, organised around ISO/IEC 27001.

Governance

Our Supervisory Board oversees cybersecurity risk through its Audit and Risk Committee.

CORPORATE GOVERNANCE REPORT

Our Supervisory Board has three committees.

FORM 20-F CROSS-REFERENCE GUIDE

Item 16J

Insider Trading Policies

Corporate governance report, page 5

Item 16K

Cybersecurity

Cybersecurity, pages 4 to 5
"""


@pytest.mark.parametrize("row", ["Item 16K\n\nCybersecurity\n\nCybersecurity, pages 4 to 5",  # Word: cells
                                 "Item 16K Cybersecurity Cybersecurity, pages\n\n4 to 5",  # PDF: a row
                                 "Item 16K\n\nCybersecurity\n\n112\u2013114"])
def test_a_cross_reference_guide_row_is_not_taken_for_the_section(row):
    """An 'Annual Report and Form 20-F' (UK and European filers) heads no Item 16K: its cross-reference
    guide's row points to the pages of the section titled 'Cybersecurity', which is the one to check."""
    from checker import sections

    text = ANNUAL_REPORT_AND_20F.replace("Item 16K\n\nCybersecurity\n\nCybersecurity, pages 4 to 5", row)
    section = sections.locate(Document(text=text, form="20-F"), "16K")
    body = text[section.start:section.end]
    assert section.method == "title" and body.startswith("CYBERSECURITY\n\nRisk management")
    assert body.endswith("Audit and Risk Committee.") and "points to" in section.note


def test_a_long_running_footer_of_an_annual_report_and_form_20f_labels_the_page() -> None:
    """UK and European filers print 'Company plc Annual Report and Form 20-F 2024 87' on each A4 page: the
    page is 87, not the n-th page of the PDF."""
    from checker.ingest.pages import Block, assemble

    footer = "Nordhafen Logistik AG Annual Report and Form 20-F 2024 {}"
    blocks = [Block([("Our Supervisory Board oversees cyber risk.", ((0, 1),))], page=0),
              Block([(footer.format(86), ((0, 1),))], page_edge=True, page=0),
              Block([("The CISO reports to the Audit and Risk Committee.", ((0, 2),))], page=1),
              Block([(footer.format(87), ((0, 2),))], page_edge=True, page=1)]
    rendered = assemble(blocks)
    assert "Annual Report" not in rendered.text
    assert [label for _, label in rendered.pages] == ["86", "87"]


@pytest.mark.parametrize(("british", "american"), [
    ("Our cybersecurity programme is organised and prioritised by our Security Operations Centre.",
     "Our cybersecurity program is organized and prioritized by our Security Operations Center."),
    ("We have a risk management process utilising a governance, risk and compliance system, and we analyse "
     "unauthorised behaviour and defence in depth, modelling each licence.",
     "We have a risk management process utilizing a governance, risk and compliance system, and we analyze "
     "unauthorized behavior and defense in depth, modeling each license."),
])
def test_the_learned_scores_read_british_spellings_as_american(checker, british, american):
    """The learned model was trained on mostly American text: 'programme', 'utilising', 'centre' are words
    it never saw, so a British draft scored lower than the same draft in American spelling."""
    model = checker.pack("form-20f-16k").learned.model
    assert model.text_margins(british) == model.text_margins(american)
    assert model.vector(british) == model.vector(american)


def test_british_spellings_never_replace_a_word_the_model_knows():
    from checker.learned import british_spellings

    mapped = british_spellings(["program", "our", "or", "for", "center", "defense", "modeling", "organization",
                                "labor", "catalog", "judgment", "enrollment"])
    assert mapped["programme"] == "program" and mapped["organisation"] == "organization"
    assert mapped["centre"] == "center" and mapped["defence"] == "defense" and mapped["labour"] == "labor"
    assert mapped["modelling"] == "modeling" and mapped["catalogue"] == "catalog"
    assert mapped["judgement"] == "judgment" and mapped["enrolment"] == "enrollment"
    assert not {"our", "or", "for"} & set(mapped) and not {"our", "four"} & set(mapped)


def test_a_batch_says_a_6k_and_a_40f_were_not_checked(tmp_path, capsys):
    folder = tmp_path / "filings"
    folder.mkdir()
    (folder / "6k.txt").write_text(COVER_6K, encoding="utf-8")
    (folder / "40f.txt").write_text(COVER_40F, encoding="utf-8")
    code, _, _ = run_main(capsys, "batch", str(folder), "-o", str(tmp_path / "out"))
    page = " ".join((tmp_path / "out" / "dashboard.html").read_text(encoding="utf-8").split())
    assert code == 0
    assert ("2 filings left out of the shares and the coverage, each report one finding instead of the item's "
            "rules: 2 not checked (a form with no cybersecurity item cydcheck checks, such as 6-K or 40-F).") in page


IX_6K = """<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"
xmlns:dei="http://xbrl.sec.gov/dei/2024" xmlns:cyd="http://xbrl.sec.gov/cyd/2024"><body>
<div style="display:none"><ix:header><ix:hidden>
<ix:nonNumeric contextRef="c-1" name="dei:DocumentType">6-K</ix:nonNumeric>
</ix:hidden></ix:header></div><p>FORM 6-K</p><p>Cybersecurity incident</p>
<ix:nonNumeric contextRef="c-1" name="cyd:MaterialCybersecurityIncidentNatureTextBlock" escape="true"><p>On 20 March
2025, Nordhafen Logistik AG detected unauthorised access to its IT systems by a ransomware group.</p></ix:nonNumeric>
</body></html>"""


def test_a_tagged_6k_is_one_not_checked_report_not_an_item_1c_gap(tmp_path, capsys):
    """A 6-K carrying cyd tags (the taxonomy has a 6-K entry point) was also checked by the tag pack as if
    it were a 10-K: 'No Item 1C section was found in this 6-K [Form 10-K Item 1C]'."""
    path = tmp_path / "6k.htm"
    path.write_text(IX_6K, encoding="utf-8")
    code, out, _ = run_main(capsys, "check", str(path), "-f", "json")
    report = json.loads(out)
    assert code == 0 and [r["rule"] for r in report["results"]] == ["FORM-NOT-COVERED"]
    assert "Item 1C" not in out


def test_a_word_draft_saved_as_text_quotes_sentences_without_their_sub_heading():
    """Word's 'Plain Text' export writes one paragraph a line, no blank lines: a sub-heading line
    ('Governance') was glued to the next paragraph's first sentence, quoted and placed with it."""
    from checker.segment import segment

    text = ("Item 16K. Cybersecurity\nRisk management and strategy\nWe have an information security programme.\n"
            "Governance\nOur Supervisory Board oversees risks from cybersecurity threats through its Audit and "
            "Risk Committee.\nThe Chief Information Security Officer reports to the Audit and Risk\nCommittee "
            "each quarter.")
    quoted = [text[s.start:s.end] for s in segment(text).sentences]
    assert quoted[-5:] == ["Risk management and strategy", "We have an information security programme.",
                           "Governance",
                           "Our Supervisory Board oversees risks from cybersecurity threats through its Audit and "
                           "Risk Committee.",
                           "The Chief Information Security Officer reports to the Audit and Risk\nCommittee each "
                           "quarter."]  # a line wrapped inside a sentence stays in it


def test_form_6k_given_says_which_pack_compares_it(capsys):
    from cli_helpers import assert_one_line_error

    code, _, err = run_main(capsys, "check", "samples/draft-10k-1c-deficient.md", "--form", "6-K")
    assert_one_line_error(code, err, "'6-K' is not a form the packs check", "--pack form-8k-105")


ANNUAL_20F_HTML = """<html><body>
<p>UNITED STATES</p><p>SECURITIES AND EXCHANGE COMMISSION</p><p>Washington, D.C. 20549</p>
<p>FORM 20-F</p>
<p>ANNUAL REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934</p>
<p>For the fiscal year ended December 31, 2024</p>
<p>NORDHAFEN LOGISTIK AG</p><p>(Exact name of Registrant as specified in its charter)</p>
<h2>Item 16K. Cybersecurity</h2>
<p>Our Supervisory Board oversees cybersecurity risk through its Audit and Risk Committee.</p>
<h2>Item 17. Financial Statements</h2><p>See Item 18.</p>
</body></html>"""


def test_a_plain_html_annual_report_gets_no_cyd_tags_report(tmp_path, capsys) -> None:
    """A 20-F for 2024 saved as plain HTML (no inline XBRL): its tags cannot be checked. It was given a
    second report, 'with auto: its form and dates require cyd tags', of 44 rules not applied; now it has
    its Item 16K report alone. (An inline XBRL filing without cyd facts still gets CYD-TAGGED-ANNUAL.)"""
    path = tmp_path / "nordhafen-20f.htm"
    path.write_text(ANNUAL_20F_HTML, encoding="utf-8")
    code, out, err = run_main(capsys, "check", str(path), "-f", "json")
    data = json.loads(out)
    reports = data["reports"] if "reports" in data else [data]
    assert [r["pack"]["id"] for r in reports] == ["form-20f-16k"], err
    assert reports[0]["document"]["form"] == "20-F"


def test_a_20f_cover_in_british_wording_states_its_period():
    """A translated 20-F cover says "for the financial year ended 31 December 2022": the period is read, and
    an Item 16K not yet required is reported as such, not as a gap."""
    text = COVER_40F.replace("FORM 40-F", "FORM 20-F").replace(
        "For the fiscal year ended December 31, 2024", "For the financial year ended 31 December 2022")
    assert cover.read(text) == ("20-F", {"period": "2022-12-31", "issuer": "MAPLE NORTH CORPORATION"})


@pytest.mark.parametrize(("given", "form"), [
    ("Form 20-F", "20-F"), ("20F", "20-F"), ("form 20-f/a", "20-F/A"), ("FORM 10-K", "10-K"), ("Form 6-K", "6-K"),
])
def test_a_records_form_however_spelt_is_the_form(given, form):
    """A record giving its form as "Form 20-F" or "20F" was reported "Form FORM 20-F has no cybersecurity item"
    (FORM-NOT-COVERED, exit 0: nothing checked); the form is read as EDGAR writes it."""
    from checker.ingest.records import from_record

    document = from_record({"id": "x", "form": given, "item": "16K", "text": "The Supervisory Board oversees "
                            "cybersecurity risk."}, "r.json")
    assert document.form == form


@pytest.mark.parametrize("ended", ["31 March 2023", "31st March 2023", "2023年3月31日", "２０２３年３月３１日",
                                   "March 31st, 2023", "31\u3000March\u30002023"])
def test_a_japanese_issuers_cover_gives_its_fiscal_year_end_however_written(ended, checker):
    """A Tokyo issuer's cover read "For the fiscal year ended 2023年3月31日" (or "31st March 2023"): no period was
    read, so a 20-F for a year before Item 16K applied was checked as if it were due."""
    text = ("UNITED STATES\nSECURITIES AND EXCHANGE COMMISSION\nWashington, D.C. 20549\n\nFORM 20-F\n\n"
            f"For the fiscal year ended {ended}\n\nKAITO PRECISION INDUSTRIES CO., LTD.\n"
            "(Exact name of Registrant as specified in its charter)\n\nItem 16K. Cybersecurity\n\n"
            "Our Board of Directors oversees cybersecurity risk.\n")
    assert cover.read(text)[1]["period"] == "2023-03-31"
    report = checker.check_document(cover.attach(Document(text=text, source="20f.txt")))
    assert [r.rule for r in report.results] == ["ITEM-NOT-YET-REQUIRED"]
