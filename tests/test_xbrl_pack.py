"""The cyd-tags pack on real inline XBRL filings, each finding provoked by one edit of the filing."""

from __future__ import annotations

import json

import pytest
import xbrl_edit as edit
from conftest import FIXTURES, SHARED, shared_path

from checker.ingest import html
from checker.model import Report
from checker.report import render

XBRL = FIXTURES / "xbrl"
META = "meta-10k-2024-item1c"
UNFI = "unfi-8k-2025-item105"
CARECLOUD = "carecloud-8k-2026-item105"
FLAG_RULES = ("CYD-FLAG-ASSESSORS-FALSE", "CYD-FLAG-ASSESSORS-TRUE", "CYD-FLAG-MATERIAL-TRUE",
              "CYD-FLAG-MATERIAL-FALSE", "CYD-FLAG-REPORTS-BOARD-FALSE")


def raw(name: str) -> bytes:
    return (XBRL / f"{name}.html").read_bytes()


def run(checker, data: bytes, name: str = "filing.html") -> Report:
    return checker.check_document(html.read(data, name)[0], "cyd-tags")


def status(report: Report, rule: str) -> str:
    return next(r.status for r in report.results if r.rule == rule)


@pytest.fixture(scope="module")
def meta(checker) -> Report:
    return run(checker, raw(META))


def test_untouched_10k_has_no_contradiction(meta):
    assert meta.document.form == "10-K" and meta.document.section.item == "1C"
    for rule in FLAG_RULES:
        assert status(meta, rule) in ("met", "not_applicable"), rule
    assert status(meta, "CYD-TAGGED-ANNUAL") == "met"
    assert status(meta, "CYD-TAG-IN-SECTION") == "met"


@pytest.mark.parametrize("name", [UNFI, CARECLOUD])
def test_untouched_8k_has_no_contradiction(checker, name):
    report = run(checker, raw(name))
    assert report.document.section.item == "1.05"
    for rule in FLAG_RULES:
        assert status(report, rule) in ("met", "not_applicable"), rule
    assert status(report, "CYD-TAGGED-8K") == "met"


def _shared_filings() -> list[str]:
    folder = SHARED / "fullfilings"
    return sorted(p.name for p in folder.glob("*.htm*")) if folder.is_dir() else []


@pytest.mark.parametrize("name", _shared_filings() or ["(none)"])
def test_no_flag_contradiction_on_any_real_filing(checker, name):
    path = shared_path("fullfilings", name)
    report = run(checker, path.read_bytes(), name)
    if [r.status for r in report.results] == ["not_yet_required"]:  # Adobe FY2023: no rule is run
        assert report.document.metadata["period"] < "2023-12-15"
        return
    for rule in FLAG_RULES:
        assert status(report, rule) in ("met", "not_applicable"), rule


def test_engaged_flag_flipped_to_false_contradicts_the_consultants(checker, meta):
    assert status(meta, "CYD-FLAG-ASSESSORS-FALSE") == "not_applicable"
    flipped = run(checker, edit.set_format(raw(META), "f-40", "ixt:fixed-false"))
    assert status(flipped, "CYD-FLAG-ASSESSORS-FALSE") == "missing"


def test_material_flag_flipped_to_true_contradicts_no_material_effect(checker, meta):
    assert status(meta, "CYD-FLAG-MATERIAL-TRUE") == "not_applicable"
    flipped = run(checker, edit.set_format(raw(META), "f-51", "ixt:fixed-true"))
    assert status(flipped, "CYD-FLAG-MATERIAL-TRUE") == "missing"


def test_report_to_board_flag_flipped_to_false_contradicts_the_ciso_updates(checker, meta):
    assert status(meta, "CYD-FLAG-REPORTS-BOARD-FALSE") == "not_applicable"
    flipped = run(checker, edit.set_format(raw(META), "f-43", "ixt:fixed-false"))
    assert status(flipped, "CYD-FLAG-REPORTS-BOARD-FALSE") == "missing"


def test_material_flag_false_contradicted_by_an_affirmative_statement(checker):
    # CareCloud's flag is false; the edit makes its text say the incident has materially affected it.
    data = raw(CARECLOUD).replace(b"the incident has not had a material impact",
                                  b"the incident has materially affected")
    assert data != raw(CARECLOUD)
    assert status(run(checker, raw(CARECLOUD)), "CYD-FLAG-MATERIAL-FALSE") == "met"
    assert status(run(checker, data), "CYD-FLAG-MATERIAL-FALSE") == "missing"


def test_tag_removed_while_the_prose_names_the_committee(checker, meta):
    assert status(meta, "CYD-TAG-BOARD-COMMITTEE") == "met"
    removed = run(checker, edit.unwrap(raw(META), "f-46"))
    assert not any(f.element == "board_committee" for f in removed.document.facts)
    assert status(removed, "CYD-TAG-BOARD-COMMITTEE") == "missing"


def test_text_block_emptied_no_longer_addresses_its_element(checker, meta):
    assert status(meta, "CYD-TEXT-BOARD") == "met"
    emptied = run(checker, edit.empty(raw(META), "f-42"))
    assert status(emptied, "CYD-TEXT-BOARD") == "missing"


def test_mis_tagged_text_block_is_reported(meta):
    # Meta's own board-committee text block is about the CISO and names no committee: a true finding.
    assert status(meta, "CYD-TEXT-BOARD-COMMITTEE") == "missing"


def test_tag_outside_the_section(checker):
    report = run(checker, raw(UNFI))
    assert status(report, "CYD-TAG-IN-SECTION") == "met"
    moved = edit.wrap(raw(UNFI), "As of the date hereof, the Company does not expect",
                      "MaterialCybersecurityIncidentMaterialImpactOrReasonablyLikelyMaterialImpactTextBlock",
                      "f-test-outside")
    report = run(checker, moved)
    outside = [f for f in report.document.facts if f.start is not None and f.start >= report.document.span[1]]
    assert len(outside) == 1
    assert status(report, "CYD-TAG-IN-SECTION") == "missing"


def test_annual_report_without_any_cyd_fact(checker):
    report = run(checker, edit.unwrap_all_cyd(raw(META)))
    assert report.document.facts == []
    assert report.document.metadata["period"] == "2024-12-31"
    assert status(report, "CYD-TAGGED-ANNUAL") == "missing"
    # With no tags at all, the per-element tag rules stay silent: one finding says it.
    assert status(report, "CYD-TAG-BOARD") == "not_applicable"


def test_8k_without_any_cyd_fact(checker):
    report = run(checker, edit.unwrap_all_cyd(raw(CARECLOUD)))
    assert status(report, "CYD-TAGGED-8K") == "missing"  # dated 2026-03-24: every filer must tag
    early = run(checker, edit.unwrap_all_cyd(raw(UNFI)))  # dated 2025-06-21
    assert status(early, "CYD-TAGGED-8K") == "missing"
    assert status(early, "CYD-TAGGED-8K-EARLY") == "not_applicable"


def test_a_smaller_reporting_companys_early_untagged_8k_is_not_asked_for_tags(checker):
    """An untagged Item 1.05 8-K of February 2025 warned "carries no cyd: fact" for a smaller reporting company
    too, whose tagging began on 2025-06-15, though its own message says smaller reporting companies were exempt:
    with --smaller-reporting-company (smaller_reporting_company in a JSON record) the rule does not apply."""
    data = edit.unwrap_all_cyd(raw(UNFI)).replace(b"June 21, 2025", b"February 3, 2025")
    doc = html.read(data, "filing.html")[0]
    doc.metadata["period"] = "2025-02-03"
    assert status(checker.check_document(doc, "cyd-tags"), "CYD-TAGGED-8K-EARLY") == "missing"
    for said in ("true", True, "yes"):
        small = html.read(data, "filing.html")[0]
        small.metadata.update(period="2025-02-03", smaller_reporting_company=said)
        assert status(checker.check_document(small, "cyd-tags"), "CYD-TAGGED-8K-EARLY") == "not_applicable"


def test_plain_text_filing_is_not_asked_for_tags(checker):
    doc = html.read(b"<html><body><p>Item 1C. Cybersecurity</p><p>Our board oversees cyber risk "
                    b"through its audit committee.</p></body></html>", "draft.html")[0]
    doc.form = "10-K"
    doc.metadata["period"] = "2025-12-31"
    report = checker.check_document(doc, "cyd-tags")
    assert status(report, "CYD-TAGGED-ANNUAL") == "not_applicable"


def test_report_records_the_pack(meta):
    data = json.loads(json.dumps(meta.to_dict()))
    assert data["pack"]["id"] == "cyd-tags"



def result(report: Report, rule: str):
    return next(r for r in report.results if r.rule == rule)


def test_8k_tagged_with_item_106_elements(checker, meta):
    # CareCloud's Item 1.05 8-K tags its text with the Item 106 process block, the third-party flag and
    # the materially-affected block and flag: four wrong-taxonomy facts, each quoted as evidence.
    report = run(checker, raw(CARECLOUD))
    wrong = sorted((f.start, f.end) for f in report.document.facts
                   if not f.concept.startswith("MaterialCybersecurityIncident"))
    assert len(wrong) == 4 and all(start is not None for start, _ in wrong)
    found = result(report, "CYD-8K-ITEM106-TAGS")
    assert found.status == "missing"
    assert sorted((e.start, e.end) for e in found.evidence) == wrong
    # The same 8-K with those four tags removed (the incident tags kept) is tagged for its form.
    data = raw(CARECLOUD)
    for fact_id in ("Fact000038", "Fact000039", "Fact000041", "Fact000042"):
        data = edit.unwrap(data, fact_id)
    fixed = run(checker, data)
    assert {f.concept for f in fixed.document.facts} == {
        "MaterialCybersecurityIncidentNatureTextBlock", "MaterialCybersecurityIncidentScopeTextBlock"}
    assert status(fixed, "CYD-8K-ITEM106-TAGS") == "met"
    # UNFI tags only incident elements; an annual report's Item 106 tags are its own.
    assert status(run(checker, raw(UNFI)), "CYD-8K-ITEM106-TAGS") == "met"
    assert status(meta, "CYD-8K-ITEM106-TAGS") == "not_applicable"


MEMBER_RULES = ("CYD-INCIDENT-MEMBER-SCOPE", "CYD-INCIDENT-MEMBER-TIMING", "CYD-INCIDENT-MEMBER-IMPACT")


def test_each_incident_member_is_checked_on_its_own_tags(checker):
    single = run(checker, raw(UNFI))
    assert all(status(single, rule) == "not_applicable" for rule in MEMBER_RULES)  # one incident, no axis
    data = edit.add_incident_context(raw(UNFI), "inc-1", "unfi:JuneIncidentMember")
    data = edit.add_incident_context(data, "inc-2", "unfi:JulyIncidentMember")
    for fact_id in ("f-21", "f-22", "f-23", "f-24"):  # timing, scope, nature, impact
        data = edit.set_context(data, fact_id, "inc-1")
    complete = run(checker, data)
    assert all(status(complete, rule) == "met" for rule in MEMBER_RULES)
    # The timing tag moved to another incident: the June incident's nature is now without its timing.
    moved = run(checker, edit.set_context(data, "f-21", "inc-2"))
    assert {f.member for f in moved.document.facts} == {"JuneIncidentMember", "JulyIncidentMember"}
    found = result(moved, "CYD-INCIDENT-MEMBER-TIMING")
    nature = next(f for f in moved.document.facts if f.element == "incident_nature")
    assert found.status == "missing"
    assert [(e.start, e.end) for e in found.evidence] == [(nature.start, nature.end)]
    assert status(moved, "CYD-INCIDENT-MEMBER-SCOPE") == "met"
    assert status(moved, "CYD-INCIDENT-MEMBER-IMPACT") == "met"


def _renamed(data: bytes, old: bytes, new: bytes) -> bytes:
    changed = data.replace(old, new, 1)
    assert changed != data
    return changed


def _name_finding(report: Report):
    return next((r for r in report.results if r.rule == "CYD-TAG-NAME"), None)


def test_untouched_filing_has_no_tag_name_finding(meta):
    assert _name_finding(meta) is None


def test_misspelt_cyd_tag_is_named_with_the_name_meant(checker):
    # The filing agent's typo: "Director" for "Directors". It was reported only as an untagged element.
    data = _renamed(raw(META), b'name="cyd:CybersecurityRiskBoardOfDirectorsOversightTextBlock"',
                    b'name="cyd:CybersecurityRiskBoardOfDirectorOversightTextBlock"')
    found = _name_finding(run(checker, data))
    assert found is not None and found.status == "missing" and found.severity == "error"
    assert "cyd:CybersecurityRiskBoardOfDirectorOversightTextBlock (f-42)" in found.message
    assert "did you mean CybersecurityRiskBoardOfDirectorsOversightTextBlock?" in found.message
    assert found.evidence and found.evidence[0].location is not None
    assert found.evidence[0].location.page  # a place the agent can find in the proof


@pytest.mark.parametrize("prefix, declared", [
    (b"us-gaap", b"http://fasb.org/us-gaap/2024"),  # a cyd name under another taxonomy's prefix
    (b"meta", b"http://www.facebook.com/20241231"),  # as a company extension
])
def test_cyd_name_in_another_namespace_is_named(checker, prefix, declared):
    data = _renamed(raw(META), b'name="cyd:CybersecurityRiskBoardOfDirectorsOversightTextBlock"',
                    b'name="' + prefix + b':CybersecurityRiskBoardOfDirectorsOversightTextBlock"')
    found = _name_finding(run(checker, data))
    assert found is not None and found.status == "missing"
    assert f"{prefix.decode()}:CybersecurityRiskBoardOfDirectorsOversightTextBlock (f-42)" in found.message
    assert declared.decode() in found.message and "http://xbrl.sec.gov/cyd/2024" in found.message
    assert found.evidence and found.evidence[0].location.page


def test_cyd_prefix_bound_to_a_wrong_namespace_is_named(checker):
    data = _renamed(raw(META), b'xmlns:cyd="http://xbrl.sec.gov/cyd/2024"',
                    b'xmlns:cyd="http://xbrl.sec.gov/cyd/2024/"')
    report = run(checker, data)
    found = _name_finding(report)
    assert found is not None and "http://xbrl.sec.gov/cyd/2024/" in found.message
    assert "15 facts" in found.message


def test_a_contradicted_flag_quotes_the_sentence_that_contradicts_it(checker):
    """The flag's contradiction is shown where the text says the opposite, with its page and paragraph: the
    finding said only 'the section says outside assessors ... are engaged', quoting nothing, and nothing at all
    when the flag sits in the hidden ix:header."""
    flipped = run(checker, edit.set_format(raw(META), "f-40", "ixt:fixed-false"))
    found = next(r for r in flipped.results if r.rule == "CYD-FLAG-ASSESSORS-FALSE")
    assert found.status == "missing" and found.evidence
    quoted = found.evidence[0]
    assert "third" in quoted.text.lower() and quoted.location is not None and quoted.location.page


OUTSIDE = (  # a risk factor tagged as the board-oversight block, outside Item 1C
    '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL" '
    'xmlns:ixt="http://www.xbrl.org/inlineXBRL/transformation/2020-02-12" xmlns:dei="http://xbrl.sec.gov/dei/2024" '
    'xmlns:cyd="http://xbrl.sec.gov/cyd/2024"><body><div style="display:none"><ix:header><ix:hidden>'
    '<ix:nonNumeric contextRef="c-1" name="dei:DocumentType">10-K</ix:nonNumeric>'
    '<ix:nonNumeric contextRef="c-1" name="dei:DocumentPeriodEndDate" format="ixt:date-monthname-day-year-en">'
    'December 31, 2024</ix:nonNumeric></ix:hidden></ix:header></div><p>Item 1A. Risk Factors</p>'
    '<p><ix:nonNumeric contextRef="c-1" name="cyd:CybersecurityRiskBoardOfDirectorsOversightTextBlock" '
    'id="f-9" escape="true">A cybersecurity incident could materially affect our operations.</ix:nonNumeric></p>'
    '<p>Item 1C. Cybersecurity</p><p><ix:nonNumeric contextRef="c-1" '
    'name="cyd:CybersecurityRiskManagementProcessesForAssessingIdentifyingAndManagingThreatsTextBlock" id="f-10" '
    'escape="true">We maintain a cybersecurity program with policies and procedures to identify, assess and '
    'manage material risks from cybersecurity threats.</ix:nonNumeric></p></body></html>')


def test_a_tag_outside_the_section_is_quoted_where_it_is(checker):
    """'A cyd: text block tags text found outside the section' named neither the tag nor where it was."""
    found = next(r for r in run(checker, OUTSIDE.encode()).results if r.rule == "CYD-TAG-IN-SECTION")
    assert found.status == "missing"
    (quoted,) = found.evidence
    assert quoted.text.startswith("A cybersecurity incident could materially affect")
    assert quoted.location.fact_id == "f-9"


def test_a_misspelt_tags_quote_is_placed_at_that_tag(checker):
    # Meta's committee block wraps the same paragraph as the board block: the place named the committee's tag
    data = _renamed(raw(META), b'name="cyd:CybersecurityRiskBoardOfDirectorsOversightTextBlock"',
                    b'name="cyd:CybersecurityRiskBoardOfDirectorOversightTextBlock"')
    found = _name_finding(run(checker, data))
    assert (found.evidence[0].location.fact, found.evidence[0].location.fact_id) == (
        "CybersecurityRiskBoardOfDirectorOversightTextBlock", "f-42")
    html = render([run(checker, data)], "html", version="test")
    assert "tagged <code>cyd:CybersecurityRiskBoardOfDirectorOversightTextBlock</code>" in html
    stray = _renamed(raw(META), b'name="cyd:CybersecurityRiskBoardOfDirectorsOversightTextBlock"',
                     b'name="us-gaap:CybersecurityRiskBoardOfDirectorsOversightTextBlock"')
    html = render([run(checker, stray)], "html", version="test")
    assert "tagged <code>us-gaap:CybersecurityRiskBoardOfDirectorsOversightTextBlock</code>" in html


def test_a_tag_running_on_past_the_section_is_quoted_where_it_leaves_it(checker):
    """CareCloud's 8-K: a text block from Item 1.05 on into the forward-looking statements was quoted from its
    first words, inside the section ('On March 16, 2026, CareCloud ...', para. 1), where nothing is wrong."""
    report = run(checker, raw(CARECLOUD))
    found = next(r for r in report.results if r.rule == "CYD-TAG-IN-SECTION")
    assert found.status == "missing"
    end = report.document.span[1]
    assert all(e.start >= end for e in found.evidence)
    assert found.evidence[0].text.startswith("Cautionary Statement Regarding Forward-Looking Statements")


def test_a_20f_tag_report_cites_form_20f_item_16k(checker):
    """A 20-F's cyd tag findings cited "17 CFR 229.106(b)(1)(ii)" (Regulation S-K, the 10-K's Item 106): a 20-F
    answers Form 20-F Item 16K, whose paragraphs mirror it, and every message of its report cites that."""
    data = (OUTSIDE.replace(">10-K<", ">20-F<").replace("Item 1A. Risk Factors", "Item 3. Key Information")
            .replace("Item 1C. Cybersecurity", "Item 16K. Cybersecurity")
            .replace("threats.</ix:nonNumeric>", "threats.</ix:nonNumeric> We engage external auditors and "
                     "penetration testers to assess our controls."))
    report = run(checker, data.encode())
    assert report.document.form == "20-F"
    citations = [r.citation for r in report.results]
    assert not [c for c in citations if "229.106" in c], citations
    assessors = next(r for r in report.results if r.rule == "CYD-TAG-ASSESSORS")
    assert assessors.citation.startswith("Form 20-F Item 16K(b)(1)(ii); Rule 405 of Regulation S-T")


def _markup_finding(report: Report):
    return next((r for r in report.results if r.rule == "CYD-TAG-MARKUP"), None)


def test_untouched_filing_has_no_markup_finding(meta):
    assert _markup_finding(meta) is None


@pytest.mark.parametrize("old, new, fact, fault", [
    # the chain points at a continuation id that was renamed: the text stopped there, silently
    (b'continuedAt="f-37-1"', b'continuedAt="f-37-9"', "f-37", "its continuedAt names f-37-9"),
    # a continuation that continues at itself
    (b'<ix:continuation id="f-37-1"', b'<ix:continuation continuedAt="f-37-1" id="f-37-1"', "f-37",
     "returns to f-37-1 (a circular chain)"),
    # the board block pointed at a context the filing does not define
    (b'contextRef="c-1" name="cyd:CybersecurityRiskBoardOfDirectorsOversightTextBlock"',
     b'contextRef="c-99" name="cyd:CybersecurityRiskBoardOfDirectorsOversightTextBlock"', "f-42",
     "its contextRef c-99 names no xbrli:context"),
    # the board block given the provider flag's id
    (b'id="f-42"', b'id="f-41"', "f-41", "its id f-41 is another element's too"),
    # the board block's markup escaped twice by the tagging tool: the filing shows "<div ...>" as words
    (b'id="f-42" escape="true">', b'id="f-42" escape="true">&lt;div style="text-align:justify"&gt;', "f-42",
     "its text shows HTML markup as words (<div style="),
])
def test_broken_fact_markup_is_an_error_naming_the_fact(checker, old, new, fact, fault):
    # A tagger's broken chain, context or id was read without a word: EDGAR rejects the filing for it.
    found = _markup_finding(run(checker, _renamed(raw(META), old, new)))
    assert found is not None and found.status == "missing" and found.severity == "error"
    assert f"({fact}): " in found.message and fault in found.message
    assert found.evidence and found.evidence[0].location.page
    assert found.evidence[0].location.fact_id == fact


def test_continuation_in_two_chains_names_the_fact_that_has_it(checker):
    data = _renamed(raw(META), b'id="f-38" escape="true"', b'id="f-38" continuedAt="f-37-1" escape="true"')
    found = _markup_finding(run(checker, data))
    assert found is not None
    assert "already in fact f-37's chain" in found.message


@pytest.mark.parametrize("old, new, rule", [
    # the tagger left the flag true; the prose (as edited by the client) says the program stands apart
    (b"We use a risk management framework based on applicable laws",
     b"Our cybersecurity risk management is managed separately from, and is not integrated into, our overall "
     b"enterprise risk management. We use a risk management framework based on applicable laws",
     "CYD-FLAG-ERM-TRUE"),
    (b'format="ixt:fixed-true" id="f-39"', b'format="ixt:fixed-false" id="f-39"', "CYD-FLAG-ERM-FALSE"),
    (b'format="ixt:fixed-true" id="f-41"', b'format="ixt:fixed-false" id="f-41"', "CYD-FLAG-PROVIDERS-FALSE"),
    (b'format="ixt:fixed-true" id="f-48"', b'format="ixt:fixed-false" id="f-48"', "CYD-FLAG-MGMT-ROLES-FALSE"),
])
def test_flag_the_prose_contradicts_is_an_error(checker, meta, old, new, rule):
    # These flags could be tagged against the prose without a word: only the assessors', material-effect and
    # report-to-board flags were compared with the text.
    assert status(meta, rule) in ("met", "not_applicable")
    report = run(checker, _renamed(raw(META), old, new))
    found = result(report, rule)
    assert found.status == "missing" and found.severity == "error"
    assert any(t["fact_id"] for t in report.tags_of(found))  # the flag, by its fact id


@pytest.mark.parametrize("year, named", [(b"2023", True), (b"2020", True), (b"2025", False), (b"2026", False)])
def test_a_cyd_namespace_of_a_year_before_the_taxonomy_is_named(checker, year, named):
    # A tagger's template from a draft taxonomy: cyd/2023, which EDGAR never published, was read as cyd.
    data = _renamed(raw(META), b'xmlns:cyd="http://xbrl.sec.gov/cyd/2024"',
                    b'xmlns:cyd="http://xbrl.sec.gov/cyd/' + year + b'"')
    report = run(checker, data)
    found = _name_finding(report)
    assert (found is not None) is named
    if named:
        assert f"http://xbrl.sec.gov/cyd/{year.decode()}" in found.message and "15 facts" in found.message
    else:
        assert len(report.document.facts) == 15


def test_a_flag_tagged_true_and_false_in_one_context_is_named(checker):
    # The tagger wrapped a second sentence in the assessors' flag, fixed-false: EDGAR rejects the
    # inconsistent duplicate, and the report said only that the "false" flag disagreed with the prose.
    engaged = "CybersecurityRiskManagementThirdPartyEngagedFlag"
    data = edit.wrap(raw(META), "In addition, we maintain a privacy risk management program", engaged, "f-99")
    found = _markup_finding(run(checker, edit.set_format(data, "f-99", "ixt:fixed-false")))
    assert found is not None
    assert "(f-40): its value true contradicts the flag in its context, f-99 (false)" in found.message
