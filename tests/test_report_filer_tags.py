"""The HTML gap report shows, per element, the filer's own cyd tags beside our status."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import xbrl_edit as edit
from conftest import FIXTURES
from report_samples import SAMPLES, VERSION, parse_html, sample_reports

import checker as checker_module
from checker.ingest import html
from checker.model import Document, Fact
from checker.report import render
from checker.report.context import build_view, filer_tags
from checker.xbrl import concepts

XBRL = FIXTURES / "xbrl"
META = "meta-10k-2024-item1c"


def meta_raw() -> bytes:
    return (XBRL / f"{META}.html").read_bytes()


def rows_with_tags(checker, raw: bytes, pack: str = "sk-106") -> dict[str, tuple[str, object]]:
    """rule id -> (status, the filer-tags cell) of the rendered HTML report."""
    report = checker.check_document(html.read(raw, f"{META}.html")[0], pack)
    dom = parse_html(render([report], "html", version=VERSION))
    out = {}
    for tr in dom.iter("tr"):
        if "data-rule" in tr.attrs:
            cell = next(td for td in tr.iter("td") if td.has_class("filer-tags"))
            out[tr.attrs["data-rule"]] = (tr.attrs["data-status"], cell)
    return out


def test_each_element_row_lists_the_filers_tags_for_that_element(checker):
    expected = json.loads((XBRL / f"{META}.expected.json").read_text(encoding="utf-8"))["cyd_facts"]
    by_element: dict[str, set[str]] = {}
    for concept in expected:
        element = concepts()[concept].element
        if element:
            by_element.setdefault(element, set()).add(concept)
    report = checker.check_document(html.read(meta_raw(), f"{META}.html")[0], "sk-106")
    rows = rows_with_tags(checker, meta_raw())
    seen = set()
    for result in report.results:
        status, cell = rows[result.rule]
        shown = {c.text.removeprefix("cyd:") for c in cell.iter("code")}
        assert shown == by_element.get(result.element or "", set()), result.rule
        seen |= shown
        if shown:  # each tag is quoted from the filer's text
            for concept in shown:
                words = " ".join(expected[concept].split()[:6])
                assert words in " ".join(cell.text.split()), (result.rule, concept)
    assert seen == {c for cs in by_element.values() for c in cs} and len(seen) >= 10


def test_flag_values_are_shown_beside_our_status(checker):
    rows = rows_with_tags(checker, meta_raw())
    status, cell = rows["SK106-B2-MATERIAL-EFFECT"]
    text = " ".join(cell.text.split())
    # Meta tags "did not identify any cybersecurity threats that have materially affected" ixt:fixed-false.
    assert status == "met" and "Flag: false" in text
    assert "In 2024, we did not identify any cybersecurity" in text
    flipped = rows_with_tags(checker, edit.set_format(meta_raw(), "f-51", "ixt:fixed-true"))
    assert "Flag: true" in " ".join(flipped["SK106-B2-MATERIAL-EFFECT"][1].text.split())


def test_an_element_the_filer_left_untagged_says_so(checker):
    rows = rows_with_tags(checker, edit.unwrap(meta_raw(), "f-49"))  # the expertise text block
    status, cell = rows["SK106-C2I-EXPERTISE"]
    assert status == "met"  # the words are still there: only the tag is gone
    assert list(cell.iter("code")) == [] and "Not tagged by the filer." in cell.text


def test_cyd_tags_pack_rows_without_an_element_show_no_tags(checker):
    rows = rows_with_tags(checker, meta_raw(), pack="cyd-tags")
    _status, cell = rows["CYD-TAGGED-ANNUAL"]
    assert list(cell.iter("code")) == [] and cell.text.strip() == "–"
    assert any(list(cell.iter("code")) for _s, cell in rows.values())


def test_input_without_facts_has_no_filer_tags_column(checker):
    (report,) = sample_reports(checker, SAMPLES[0])
    assert report.document.facts == []
    out = render([report], "html", version=VERSION)
    assert "filer-tags\"" not in out and "Filer's cyd tags" not in out
    assert all(row.tags == () for row in build_view(report).rows)


def test_nested_or_repeated_facts_are_one_tag_and_unmapped_concepts_are_left_out():
    text = "Our Audit Committee oversees cyber risk."
    fact = Fact("CybersecurityRiskBoardCommitteeOrSubcommitteeResponsibleForOversightTextBlock", "text",
                text, None, "board_committee", None, 0, len(text))
    role = Fact("CybersecurityRiskRoleOfManagementTextBlock", "text", text, None, None)
    flag = Fact("CybersecurityRiskManagementThirdPartyEngagedFlag", "flag", "We engage", None,
                "third_party_assessors")
    tags = filer_tags(Document(text=text, source="x.html", facts=[fact, fact, role, flag]))
    assert set(tags) == {"board_committee", "third_party_assessors"}
    (committee,) = tags["board_committee"]
    assert (committee.excerpt, committee.flag, committee.line) == (text, None, 1)
    (engaged,) = tags["third_party_assessors"]
    assert (engaged.flag, engaged.line) == ("no readable value", None)


def test_each_tag_is_named_by_its_fact_id_and_a_hidden_one_says_where_it_is(checker):
    # The workpaper named a tag by its concept alone, and a flag put in ix:hidden by no place at all: the
    # tagger could not tell which of two facts of a concept was meant, nor where to find a hidden one.
    material = "CybersecurityRiskMateriallyAffectedOrReasonablyLikelyToMateriallyAffectRegistrantFlag"
    raw = edit.add_hidden(edit.unwrap(meta_raw(), "f-51"), material, "true")
    rows = rows_with_tags(checker, raw, pack="cyd-tags")
    _status, board = rows["CYD-TEXT-BOARD"]
    assert "(f-42)" in " ".join(board.text.split())
    _status, cell = rows["CYD-FLAG-MATERIAL-TRUE"]
    text = " ".join(cell.text.split())
    assert "(hidden-test-fact)" in text and "in ix:hidden" in text
    report = checker.check_document(html.read(raw, f"{META}.html")[0], "cyd-tags")
    flag = next(r for r in report.results if r.rule == "CYD-FLAG-MATERIAL-TRUE")
    (tag,) = report.tags_of(flag)
    assert tag["hidden"] is True
    schema = json.loads((Path(checker_module.__file__).parent / "schemas" / "report.schema.json").read_text())
    jsonschema.validate(json.loads(render([report], "json", version=VERSION)), schema)
    text_report = render([report], "text", version=VERSION)
    assert "(hidden-test-fact) = true, in ix:hidden (not shown in the filing)" in " ".join(text_report.split())
