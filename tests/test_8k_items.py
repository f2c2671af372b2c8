"""An 8-K's own items: its cover page gives the form, its item headings say whether Item 1.05 is reported, and
an incident said to be determined material but reported under another item is a finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run_main
from conftest import check_file
from test_ingest import make_docx

from checker import deadline, determination, ingest, sections
from checker.model import Document
from checker.report import render
from checker.report.context import build_view

FIXTURE = Path(__file__).parent / "fixtures" / "8k" / "item-801-incident.txt"
NOT_MATERIAL = ("As of the date of this report, the Company has not determined that the incident is reasonably "
                "likely to materially impact its financial condition or results of operations.")



def _written(tmp_path: Path, text: str, name: str = "8-K.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_whole_8k_saved_as_text_is_known_by_its_cover(tmp_path) -> None:
    (document,) = ingest.load(str(FIXTURE))
    assert document.form == "8-K"
    assert document.metadata["issuer"] == "Example Logistics, Inc."
    # a draft of the section that only mentions the form has no cover: nothing is read from it
    (draft,) = ingest.load(str(_written(tmp_path, "This Current Report on Form 8-K describes an incident.\n")))
    assert draft.form is None and "issuer" not in draft.metadata


def test_an_8k_cover_gives_no_fiscal_year_and_a_drafts_title_is_no_cover(checker, tmp_path) -> None:
    # "for the fiscal year ended" in an 8-K's text is no period of report: the Item 1.05 report is checked,
    # not held as made before the item applied
    text = FIXTURE.read_text(encoding="utf-8").replace("Item 8.01 Other Events.", "Item 1.05 Material "
                                                       "Cybersecurity Incidents.")
    path = _written(tmp_path, text.replace("certain of its information technology systems", "certain of its "
                                           "systems holding records for the fiscal year ended March 31, 2023"))
    report = check_file(checker, path)
    assert report.document.metadata.get("period") == "2025-05-05"  # the cover's date of report, not 2023-03-31
    assert report.results[0].rule == "F8K-105A-NATURE" and report.results[0].status == "met"
    # a draft whose title line reads "Form 8-K" has no cover: it is a draft, checked whole
    draft = _written(tmp_path, "Form 8-K\n\n" + text.split("Cybersecurity Incidents.\n")[1], "draft.md")
    (document,) = ingest.load(str(draft))
    assert document.form is None and "cover" not in document.metadata


def test_the_cover_of_a_word_draft_and_of_html_without_inline_xbrl(tmp_path) -> None:
    paragraphs = ["UNITED STATES", "SECURITIES AND EXCHANGE COMMISSION", "FORM 8-K", "CURRENT REPORT", "Item 8.01 Other Events.",
                  "On May 1, 2025, the Company detected unauthorized activity on its network."]
    docx = tmp_path / "8-K.docx"
    docx.write_bytes(make_docx([f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs], numbering=None))
    (document,) = ingest.load(str(docx))
    assert document.form == "8-K"
    html = tmp_path / "8-K.htm"
    html.write_text("<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>",
                    encoding="utf-8")
    (document,) = ingest.load(str(html))
    assert document.form == "8-K"
    # the filing's own cover facts win over its printed cover
    tagged = html.read_text(encoding="utf-8").replace(
        "<body>", '<body><ix:nonNumeric name="dei:DocumentType" contextRef="c">8-K/A</ix:nonNumeric>')
    html.write_text(tagged, encoding="utf-8")
    (document,) = ingest.load(str(html))
    assert document.form == "8-K/A"


def test_the_items_an_8k_heads() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    assert sections.items_headed(text) == ["8.01", "9.01"]
    # prose that names an item is no heading of it
    assert sections.items_headed("Item 1C. Cybersecurity\n\nAs Item 1.05 of Form 8-K requires, we report "
                                 "material incidents within four business days of determining them.\n") == ["1C"]


def test_an_8k_that_heads_other_items_is_no_item_105_report(checker, capsys) -> None:
    report = check_file(checker, FIXTURE)
    assert report.pack_id == "form-8k-105"
    (result,) = report.results
    assert (result.rule, result.status, result.severity) == ("ITEM-NOT-REPORTED", "not_applicable", "info")
    assert result.message == (
        "The filing's item headings are Item 8.01 (Other Events), Item 9.01 (Financial Statements and Exhibits), "
        "not Item 1.05 (Material Cybersecurity Incidents): Item 1.05's elements do not apply to it.")
    assert result.citation == "Form 8-K Item 1.05"
    # the same under an explicitly chosen pack, and the tag pack cites the 8-K's own item
    assert [r.rule for r in check_file(checker, FIXTURE, "form-8k-105").results] == ["ITEM-NOT-REPORTED"]
    (tagged,) = check_file(checker, FIXTURE, "cyd-tags").results
    assert (tagged.rule, tagged.citation) == ("ITEM-NOT-REPORTED", "Form 8-K Item 1.05")
    code, out, _ = run_main(capsys, "check", str(FIXTURE), "--no-examples")
    assert code == 0 and "Item 8.01 (Other Events)" in " ".join(out.split())


def test_an_incident_determined_material_but_reported_under_item_801(checker, tmp_path, capsys) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    said = "On May 4, 2025, the Company determined that the incident was material."
    path = _written(tmp_path, text.replace(NOT_MATERIAL, said))
    (result,) = check_file(checker, path).results
    assert (result.rule, result.status, result.severity) == ("DETERMINED-NOT-REPORTED", "missing",
                                                            "error")
    assert result.message.startswith("The text says the incident was determined to be material, yet this 8-K "
                                     "does not report Item 1.05 (Material Cybersecurity Incidents). The filing's "
                                     "item headings are Item 8.01 (Other Events)")
    (evidence,) = result.evidence
    assert evidence.text == said
    line = next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if said in row)
    assert evidence.line == line and evidence.location is not None
    assert "Gen. Instr. B.1" in result.citation
    code, out, _ = run_main(capsys, "check", str(path), "--no-examples", "-f", "json")
    data = json.loads(out)
    assert code == 1 and data["results"][0]["evidence"][0]["text"] == said


@pytest.mark.parametrize("said", [
    # an update that recites the determination its Item 1.05 report gave
    "As previously disclosed, on May 4, 2025, the Company determined that the incident was material.",
    # a determination that the incident is not material starts nothing
    "On May 4, 2025, the Company determined that the incident was not material.",
    "The Company determined that the incident did not have a material impact on its operations.",
    # something else found material, or materials found
    "The investigation determined that the threat actor accessed certain training materials.",
    "The Company determined that the new warehouse lease is a material definitive agreement.",
])
def test_what_is_no_determination_that_the_incident_is_material(checker, tmp_path, said) -> None:
    path = _written(tmp_path, FIXTURE.read_text(encoding="utf-8").replace(NOT_MATERIAL, said))
    assert [r.rule for r in check_file(checker, path).results] == ["ITEM-NOT-REPORTED"]


def test_an_8k_that_heads_item_105_or_no_item_is_checked_as_ever(checker, tmp_path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    reported = _written(tmp_path, text.replace("Item 8.01 Other Events.",
                                               "Item 1.05 Material Cybersecurity Incidents."))
    rules = [r.rule for r in check_file(checker, reported).results]
    assert "ITEM-NOT-REPORTED" not in rules and "F8K-105A-NATURE" in rules
    # a draft of the incident's paragraphs, with no heading at all
    draft = _written(tmp_path, text.split("Item 8.01 Other Events.\n")[1].split("Item 9.01")[0], "draft.md")
    rules = [r.rule for r in check_file(checker, draft, "form-8k-105").results]
    assert "ITEM-NOT-REPORTED" not in rules and "F8K-105A-NATURE" in rules


def test_the_determination_sentence_is_the_first_that_says_so() -> None:
    text = ("The Company detected unauthorized access. The Company determined that the incident was not material "
            "on May 2. On May 4, 2025, the Company determined that the incident constituted a material "
            "cybersecurity incident.")
    a, b = determination.incident_determined_material(text)
    assert text[a:b].startswith("On May 4, 2025")
    assert determination.incident_determined_material(text.replace("On May 4", "As originally reported, on May 4")) \
        is None
    # the deadline's own reading is unchanged by the word "materials"
    doc = Document(text="On May 4, 2025, the Company determined that the attacker copied design materials.")
    assert deadline.determination_in_text(doc) is None


@pytest.mark.parametrize("heading", [
    "Items 1.05 and 7.01. Material Cybersecurity Incidents; Regulation FD Disclosure.",
    "Item 1.05/8.01 Material Cybersecurity Incidents / Other Events",
    "Item No. 1.05 Material Cybersecurity Incidents",
])
def test_an_item_105_heading_the_finder_does_not_take_is_never_passed_as_not_reported(checker, tmp_path,
                                                                                       heading) -> None:
    # a gate must not pass an Item 1.05 report as "not reported" because its heading is unusual: the
    # text names Item 1.05, so its rules are applied
    path = _written(tmp_path, FIXTURE.read_text(encoding="utf-8").replace("Item 8.01 Other Events.", heading))
    report = check_file(checker, path)
    statuses = {r.rule: r.status for r in report.results}
    assert "ITEM-NOT-REPORTED" not in statuses and "SECTION-MISSING" not in statuses
    # under the heading where the finder takes it, else the whole 8-K: its incident's nature is met
    assert statuses["F8K-105A-NATURE"] == "met"
    assert report.document.section.method == ("heading" if heading.startswith("Item 1.05/") else "whole-input")


@pytest.mark.parametrize("sentence", [
    "If the Company determines that the incident is material, it will file a Current Report on Form 8-K under "
    "Item 1.05.",
    "The Company has not determined that the incident is a material cybersecurity incident for purposes of "
    "Item 1.05 of Form 8-K, and is providing this report voluntarily.",
])
def test_an_801_report_that_names_item_105_in_its_prose_is_not_checked_as_one(checker, tmp_path,
                                                                            sentence) -> None:
    """The staff's May 2024 pattern: an incident not (yet) determined material, reported under Item 8.01, whose
    text says a 1.05 report will follow if it is. Naming Item 1.05 in a sentence made the whole 8-K an Item 1.05
    report (every element met, 'nothing contradicts filing it under Item 1.05'); its headings say what it
    reports."""
    text = FIXTURE.read_text(encoding="utf-8").replace("materially impact its financial condition or results of "
                                                       "operations.", "materially impact its financial condition "
                                                       "or results of operations. " + sentence)
    report = check_file(checker, _written(tmp_path, text))
    assert [r.rule for r in report.results] == ["ITEM-NOT-REPORTED"]
    assert report.results[0].status == "not_applicable"


def test_a_report_of_a_filing_without_the_section_says_the_whole_filing_was_searched(checker, tmp_path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace("Item 8.01 Other Events.", "Other Events.")
    path = _written(tmp_path, text.replace("Item 9.01", "Exhibits"))
    report = check_file(checker, path)
    assert report.results[0].rule == "SECTION-MISSING"
    view = build_view(report)
    assert view.scope_checked == (f"the whole input ({len(text.replace('Item 9.01', 'Exhibits')):,} characters) of "
                                  f"{path}, in which no section of the item was found")
    assert view.scope_not_checked == "documents the filing refers to"
    page = " ".join(render([report], "html").split())
    assert "<dt>Section</dt><dd>None found (no Item 1.05 section found in this 8-K)</dd>" in page
    assert "found by missing" not in page
    assert "No section of the item was found in this input, so there is no section text to show" in page
    assert '<div class="section-text">' not in page


@pytest.mark.parametrize("sentence", [
    "On May 4, 2025, the Company determined that the incident was material.",
    "On May 4, 2025, the Company concluded that the incident is material.",
    "The Company deemed the incident material on May 4, 2025.",
    "On May 4, 2025, management made a determination that the incident was material.",
    "On May 4, 2025, the Company reached the conclusion that the incident is material.",
    "On May 4, 2025, the Board came to the conclusion that the incident was material.",
    # an aside with its own negation is not the clause's
    "The Company determined that, although no customer data was affected, the incident is material.",
    "Although the threat actor did not reach customer data, the Company determined the incident is material.",
    "The Company has determined that the incident is reasonably likely to materially impact its results.",
    # the threshold reached, in words without "material" ("the text states none" was said of these)
    "On May 4, 2025, the Company determined that the incident met the materiality threshold.",
    "On May 4, 2025, the Board concluded that the incident rose to the level of materiality.",
])
def test_a_determination_that_the_incident_is_material(sentence) -> None:
    # the forward-looking boilerplate's "previously filed" elsewhere does not make it a recital
    text = (f"{sentence} This report contains forward-looking statements; see the risk factors in the reports "
            "the Company previously filed with the SEC.")
    assert determination.incident_determined_material(text) == (0, len(sentence))


@pytest.mark.parametrize("sentence", [
    "The Company hasn't determined that the incident is material.",
    "The Company hasn’t yet determined whether the incident is material.",
    "The Company has not, as of the date of this report, determined that the incident is material.",
    "The Company has not as yet determined that the incident is material.",
    "The Company has not at this time determined that the incident is material.",
    "It has not yet been determined whether the incident is material.",
    "Once it is determined whether the incident is material, the Company will file an amendment.",
    "The Company determined that the actor copied files and is evaluating whether the incident is material.",
    "The Company determined that the incident is unlikely to be material.",
    "The Company determined that the incident did not have, and is not reasonably likely to have, a material "
    "impact on its operations.",
    "The Company is assessing the materiality of the incident, which it determined began on May 1, 2025.",
    "As previously disclosed, on May 4, 2025, the Company determined that the incident was material.",
    # what may be, could be or might prove material is no determination (Trio-Tech's 8-K of March 2026, whose
    # text under Item 8.01 was an error 'determined to be material')
    "Following this development, management concluded that the incident may constitute a material "
    "cybersecurity event.",
    "The Company determined that the incident could be material to its results for the quarter.",
    "Management concluded that the incident might potentially prove material.",
    # "material" said of something else the incident touched is no determination of its materiality
    "The forensic investigation determined that the threat actor had exfiltrated material nonpublic information.",
    "The Company determined that a material portion of its servers had been encrypted by the attack.",
    "The Company determined that the attacker copied a material amount of customer data.",
    "The Company determined that the incident did not meet the materiality threshold.",
    "The Company has not determined whether the incident rises to the level of materiality.",
])
def test_no_determination_that_the_incident_is_material(sentence) -> None:
    assert determination.incident_determined_material(sentence) is None


def test_a_draft_is_not_judged_by_its_headings(checker, tmp_path) -> None:
    # a draft (no cover: not a whole filing) of an Item 1.05 report's body, followed by Items 7.01 and 9.01:
    # the body is checked under Item 1.05, not passed as an 8-K of other items
    draft = _written(tmp_path, "On May 1, 2025, the Company detected a ransomware attack that encrypted its "
                               "warehouse systems; the threat actor exfiltrated employee data.\n\nItem 7.01 "
                               "Regulation FD Disclosure\n\nThe Company issued a press release.\n\nItem 9.01 "
                               "Financial Statements and Exhibits\n\n99.1 Press release\n", "draft.md")
    report = check_file(checker, draft, "form-8k-105")
    assert report.document.section.method == "whole-input"
    assert {r.rule: r.status for r in report.results}["F8K-105A-NATURE"] == "met"


@pytest.mark.parametrize("title", ["", "Acme Corp. - draft 8-K (privileged)\n\n"])
def test_a_draft_that_opens_with_an_8k_item_heading_is_an_8k_of_that_item(checker, tmp_path, title) -> None:
    # counsel's 8.01 draft without its cover: before, it was checked as an Item 1.05 report (an error on the
    # impact of an incident the company says is not material); its own heading says what it reports
    body = ("On November 20, 2025, the Company experienced a cybersecurity event affecting a portion of its "
            "information technology systems and engaged outside experts.\n\n")
    draft = _written(tmp_path, f"{title}## Item 8.01 Other Events.\n\n{body}{NOT_MATERIAL}\n", "draft.md")
    report = check_file(checker, draft)
    assert report.pack_id == "form-8k-105" and report.pack_reason == "heading 'Item 8.01 Other Events.'"
    assert report.document.form == "8-K" and report.document.section.method == "missing"
    assert [(r.rule, r.status) for r in report.results] == [("ITEM-NOT-REPORTED", "not_applicable")]
    # ... and one saying the incident was determined material under Item 8.01 is told to file under Item 1.05
    draft.write_text(f"{title}## Item 8.01 Other Events.\n\n{body}The Company has determined that the "
                     "incident is material.\n", encoding="utf-8")
    report = check_file(checker, draft)
    assert [(r.rule, r.status) for r in report.results] == [("DETERMINED-NOT-REPORTED", "missing")]


@pytest.mark.parametrize(("form_line", "form"), [
    ("# FORM 8-K", "8-K"),
    ("## FORM 8-K/A", "8-K/A"),
    ("**FORM 8-K**", "8-K"),
    ("### **Form 8-K/A** (Amendment No. 1)", "8-K/A"),
])
def test_a_whole_8k_drafted_in_markdown_is_known_by_its_cover(checker, tmp_path, form_line, form) -> None:
    # counsel's Markdown draft of the whole 8-K heads its cover lines as Markdown does: "# FORM 8-K" is the
    # cover's form line, as "FORM 8-K" is in text (an 8.01 report is then no Item 1.05 report)
    text = FIXTURE.read_text(encoding="utf-8").replace("SECURITIES AND EXCHANGE COMMISSION",
                                                       "# SECURITIES AND EXCHANGE COMMISSION")
    path = _written(tmp_path, text.replace("\nFORM 8-K\n", f"\n{form_line}\n").replace(
        "Item 8.01 Other Events.", "## Item 8.01 Other Events."), "8-K.md")
    (document,) = ingest.load(str(path))
    assert document.form == form and document.metadata["cover"] is True
    if form == "8-K":
        assert [r.rule for r in check_file(checker, path).results] == ["ITEM-NOT-REPORTED"]
    # a Markdown draft with a title line "# Form 8-K" and no Commission is still no cover
    (draft,) = ingest.load(str(_written(tmp_path, f"{form_line}\n\nItem 1.05 text.\n", "draft.md")))
    assert draft.form is None


def test_the_determination_in_an_801_word_draft_is_located_as_word_shows_it(checker, tmp_path) -> None:
    # the sentence that makes an 8.01 report an error lies outside any Item 1.05 section: it is placed under
    # its own heading, by paragraph, as the Word draft shows it ("line 7" named nothing a lawyer can find)
    from docx_build import docx, paragraph

    said = "On April 10, 2026, the Company determined that the incident was material."
    paragraphs = [paragraph("UNITED STATES SECURITIES AND EXCHANGE COMMISSION"), paragraph("FORM 8-K"),
                  paragraph("Item 8.01 Other Events.", "Heading2"),
                  paragraph("On April 2, 2026, the Company identified unauthorized access to employee e-mail "
                            "accounts."),
                  paragraph(said), paragraph("Item 9.01 Financial Statements and Exhibits.", "Heading2"),
                  paragraph("None.")]
    path = tmp_path / "8-K.docx"
    path.write_bytes(docx(paragraphs))
    (result,) = check_file(checker, path).results
    assert result.rule == "DETERMINED-NOT-REPORTED"
    (evidence,) = result.evidence
    assert evidence.text == said
    assert evidence.location.describe() == "Item 8.01 Other Events, para. 2"


def test_an_exhibit_only_8ka_that_recites_the_item_105_report_is_not_checked_as_one(checker, tmp_path) -> None:
    """An 8-K/A filed only to add the press release, whose explanatory note says the original reported the
    incident under Item 1.05: it was checked whole as an Item 1.05 report (nature, scope, timing and impact
    missing, four errors); its only item heading is Item 9.01."""
    text = ("UNITED STATES\nSECURITIES AND EXCHANGE COMMISSION\n\nFORM 8-K/A\n(Amendment No. 1)\n\nCURRENT REPORT\n\nExplanatory Note\n\nThis Amendment No. 1 on "
            "Form 8-K/A amends the Current Report on Form 8-K filed on May 5, 2025 (the \"Original Report\"), "
            "which reported a cybersecurity incident under Item 1.05. This Amendment is being filed solely to "
            "furnish the press release as Exhibit 99.1.\n\nItem 9.01 Financial Statements and Exhibits.\n\n"
            "(d) Exhibits. 99.1 Press release dated May 5, 2025.\n")
    report = check_file(checker, _written(tmp_path, text))
    assert report.document.form == "8-K/A"
    assert [(r.rule, r.status) for r in report.results] == [("ITEM-NOT-REPORTED", "not_applicable")]


def test_a_material_thing_the_incident_touched_does_not_start_the_deadline() -> None:
    # "determined 2025-11-22 ... due 2025-11-28", a false late filing, from "material nonpublic information"
    text = ("On November 22, 2025, the forensic investigation determined that the threat actor had exfiltrated "
            "material nonpublic information. On November 26, 2025, the Company determined that the incident is "
            "material.")
    stated = deadline.determination_in_text(Document(text=text))
    assert stated is not None and stated.day.isoformat() == "2025-11-26"


@pytest.mark.parametrize("said", [
    "The Company paid the ransom demanded by the threat actor, and its cyber insurance is expected to cover the "
    "full payment. As a result, the Company has determined that the incident is not material.",
    "Because the Company's insurance policy covers substantially all of the ransom, the incident is immaterial.",
])
def test_an_801_report_calling_a_paid_or_insured_ransom_immaterial_is_a_warning(checker, tmp_path, capsys,
                                                                               said) -> None:
    # C&DIs 104B.05-.08: neither paying the ransom nor insurance makes an incident immaterial; the report
    # passed in silence (ITEM-NOT-REPORTED, not applicable)
    path = _written(tmp_path, FIXTURE.read_text(encoding="utf-8").replace(NOT_MATERIAL, said))
    (result,) = check_file(checker, path).results
    assert (result.rule, result.status, result.severity) == ("IMMATERIAL-AS-PAID", "missing", "warning")
    assert "104B" in result.citation and said in result.evidence[0].text
    code, out, _ = run_main(capsys, "check", str(path), "--no-examples", "--fail-on", "warning")
    assert code == 1 and "IMMATERIAL-AS-PAID" in out
    # an Item 8.01 report that says nothing of the kind is not applicable, as ever
    assert [r.rule for r in check_file(checker, FIXTURE).results] == ["ITEM-NOT-REPORTED"]
