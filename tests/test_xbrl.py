"""The cyd: fact reader on real inline XBRL filings (small fixtures, and the whole filings in ../shared)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import xbrl_edit as edit
from conftest import FIXTURES, SHARED, shared_path

from checker.ingest import html
from checker.xbrl import (
    concepts,
    labels_from_facts,
    normalise_space,
    read_facts,
    read_inline,
)

XBRL = FIXTURES / "xbrl"
META = "meta-10k-2024-item1c"
CARECLOUD = "carecloud-8k-2026-item105"
UNFI = "unfi-8k-2025-item105"
# The expected.json of this filing lists no cyd_facts (its section was cut by hand), though the filing
# carries 15 cyd: facts; reported as a label issue rather than edited. Its facts are checked against
# the hand-cut section instead (test_hand_cut_filing_facts_lie_in_its_section).
HAND_CUT = {"ma-2024-10k"}  # section cut by hand, not from the tags
MATERIAL_FLAG = "CybersecurityRiskMateriallyAffectedOrReasonablyLikelyToMateriallyAffectRegistrantFlag"
ENGAGED_FLAG = "CybersecurityRiskManagementThirdPartyEngagedFlag"


def raw(name: str) -> bytes:
    return (XBRL / f"{name}.html").read_bytes()


def expected(path: Path) -> dict[str, str]:
    return json.loads(path.read_text(encoding="utf-8"))["cyd_facts"]


def as_dict(facts) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in facts:
        assert f.concept not in out, f"{f.concept} twice"
        out[f.concept] = normalise_space(f.text)
    return out


def assert_matches(facts, wanted: dict[str, str]) -> None:
    got = as_dict(facts)
    assert sorted(got) == sorted(wanted)
    for concept, text in wanted.items():
        assert got[concept] == normalise_space(text), concept


@pytest.mark.parametrize("name", [META, CARECLOUD, UNFI])
def test_fixture_facts_match_the_filers_tags(name):
    assert_matches(read_facts(raw(name)), expected(XBRL / f"{name}.expected.json"))


def _fullfilings() -> list:
    folder = SHARED / "fullfilings"
    names = sorted(p.name[: -len(".expected.json")] for p in folder.glob("*.expected.json")) \
        if folder.is_dir() else []
    return names or ["(none)"]


@pytest.mark.parametrize("name", _fullfilings())
def test_every_full_filing_matches_its_expected_cyd_facts(name):
    meta = json.loads(shared_path("fullfilings", f"{name}.expected.json").read_text(encoding="utf-8"))
    data = shared_path("fullfilings", meta["file"]).read_bytes()
    assert_matches(read_facts(data), meta["cyd_facts"])


@pytest.mark.parametrize("name", sorted(HAND_CUT))
def test_hand_cut_filing_facts_lie_in_its_section(name):
    meta = json.loads(shared_path("fullfilings", f"{name}.expected.json").read_text(encoding="utf-8"))
    facts = read_facts(shared_path("fullfilings", meta["file"]).read_bytes())
    section = normalise_space(meta["expected_text"])
    texts = [f for f in facts if f.kind == "text"]
    assert len(texts) >= 9
    for f in texts:
        # The hand cut drops running page headers; compare the first and last sentences of each block.
        words = normalise_space(f.text).split()
        assert " ".join(words[:8]) in section and " ".join(words[-8:]) in section, f.concept


def test_flags_take_their_value_from_the_format():
    facts = {f.concept: f for f in read_facts(raw(META))}
    assert facts[ENGAGED_FLAG].value is True
    assert facts[MATERIAL_FLAG].value is False
    assert facts[ENGAGED_FLAG].kind == "flag"
    eightk = {f.concept: f for f in read_facts(raw(CARECLOUD))}  # ixt:booleantrue / ixt:booleanfalse
    assert eightk["CybersecurityRiskThirdPartyOversightAndIdentificationProcessesFlag"].value is True
    assert eightk[MATERIAL_FLAG].value is False


def test_flag_without_format_reads_its_words():
    data = edit.set_format(raw(CARECLOUD), "Fact000042", None)  # the tag wraps the word "no"
    flag = next(f for f in read_facts(data) if f.concept.endswith("RegistrantFlag"))
    assert flag.value is False
    data = edit.set_format(raw(META), "f-40", None)  # wraps a sentence: no value can be read
    flag = next(f for f in read_facts(data) if f.concept == ENGAGED_FLAG)
    assert flag.value is None


def test_text_blocks_are_mapped_to_element_ids():
    facts = read_facts(raw(META))
    table = concepts()
    for f in facts:
        assert f.element == table[f.concept].element
    committee = "CybersecurityRiskBoardCommitteeOrSubcommitteeResponsibleForOversightTextBlock"
    assert [f.element for f in facts if f.concept == committee] == ["board_committee"]


def test_continuation_chain_is_joined_in_order():
    fact = next(f for f in read_facts(raw(META)) if f.concept.endswith("ManagingThreatsTextBlock"))
    text = normalise_space(fact.text)
    assert text.startswith("At Meta, cybersecurity risk management")
    # "These processes" ends the tagged element, "support informed ..." opens its continuation.
    assert "These processes support informed risk-based decision-making" in text


def test_continuation_cycle_ends():
    data = raw(META).replace(b'<ix:continuation id="f-37-1"',
                             b'<ix:continuation continuedAt="f-37-1" id="f-37-1"')
    assert data != raw(META)
    fact = next(f for f in read_facts(data) if f.concept.endswith("ManagingThreatsTextBlock"))
    original = next(f for f in read_facts(raw(META)) if f.concept == fact.concept)
    assert fact.text == original.text


def test_hidden_header_fact_is_read_but_is_not_section_text():
    concept = "MaterialCybersecurityIncidentInformationNotAvailableOrUndeterminedTextBlock"
    data = edit.add_hidden(raw(META), concept, "Zanzibarian hidden words about nothing")
    facts = {f.concept: f for f in read_facts(data)}
    assert facts[concept].text == "Zanzibarian hidden words about nothing"
    doc = html.read(data, "meta.html")[0]
    assert "Zanzibarian" not in doc.text
    hidden = next(f for f in doc.facts if f.concept == concept)
    assert hidden.start is None


def test_incident_axis_members_tell_incidents_apart():
    data = edit.add_incident_context(raw(UNFI), "inc-1", "unfi:JuneIncidentMember")
    data = edit.add_incident_context(data, "inc-2", "unfi:JulyIncidentMember")
    data = edit.set_context(data, "f-21", "inc-1")
    data = edit.set_context(data, "f-24", "inc-2")
    members = {f.concept: f.member for f in read_facts(data)}
    assert members["MaterialCybersecurityIncidentTimingTextBlock"] == "JuneIncidentMember"
    assert members["MaterialCybersecurityIncidentMaterialImpactOrReasonablyLikelyMaterialImpactTextBlock"] \
        == "JulyIncidentMember"
    assert members["MaterialCybersecurityIncidentNatureTextBlock"] is None


def test_plain_html_is_not_inline_xbrl():
    assert read_inline(b"<html><body><p>Item 1C. Cybersecurity</p></body></html>") is None
    assert read_inline(b"   ") is None
    assert read_facts(b"<html><body><p>text</p></body></html>") == []


def test_cover_facts_give_form_and_period():
    found = read_inline(raw(META))
    assert found is not None
    assert found.dei["DocumentType"] == "10-K"
    assert found.period == "2024-12-31"
    assert found.taxonomy == "http://xbrl.sec.gov/cyd/2024"


def test_facts_are_located_in_the_document_text(checker):
    report = checker.check_document(html.read(raw(META), "meta.html")[0], "cyd-tags")
    doc = report.document
    start, end = doc.span
    assert doc.section is not None and doc.section.item == "1C"
    for f in doc.facts:
        assert f.start is not None, f.concept
        assert start <= f.start < f.end <= end, f.concept
        if f.kind == "text":
            assert normalise_space(doc.text[f.start:f.end])[:40] == normalise_space(f.text)[:40]


def test_labels_from_facts():
    doc = html.read(raw(META), "meta.html")[0]
    record = labels_from_facts(doc)
    assert record is not None
    tagged = {concepts()[f.concept].element for f in read_facts(raw(META))} - {None}
    assert set(record["labels"]) == tagged and all(record["labels"].values())
    assert record["label_source"] == "filer cyd tags"
    assert record["flags"][ENGAGED_FLAG] == "true"
    assert record["flags"][MATERIAL_FLAG] == "false"
    assert record["form"] == "10-K"
    assert labels_from_facts(html.read(edit.unwrap_all_cyd(raw(META)), "meta.html")[0]) is None


def test_eval_filer_tags_scores_recall_on_tagged_elements(tmp_path):
    from click.testing import CliRunner

    from checker.cli import cli

    for name in (META, UNFI):
        (tmp_path / f"{name}.html").write_bytes(raw(name))
    result = CliRunner().invoke(cli, ["eval", "--filer-tags", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    tagged = {concepts()[f.concept].element for n in (META, UNFI) for f in read_facts(raw(n))} - {None}
    assert data["records"] == 2
    assert set(data["elements"]) == tagged
    assert data["mode"] == "recall-only"  # an untagged element is no evidence of silence
    assert all(v["support"] == v["tp"] + v["fn"] >= 1 for v in data["elements"].values())
    (tmp_path / "untagged").mkdir()
    empty = CliRunner().invoke(cli, ["eval", "--filer-tags", str(tmp_path / "untagged")])
    assert "no filing with cyd: inline XBRL facts" in str(empty.exception)  # main() makes it exit 2


def test_xbrl_reads_facts_without_importing_the_evaluation_side():
    """ingest/html -> xbrl must not lead back to evaluate -> api -> ingest (an import circle)."""
    import ast
    from pathlib import Path

    import checker.xbrl

    tree = ast.parse(Path(checker.xbrl.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level
                for alias in node.names} | {node.module or "" for node in ast.walk(tree)
                                            if isinstance(node, ast.ImportFrom) and node.level}
    assert not imported & {"evaluate", "api", "ingest", "sections"}, imported
    assert not hasattr(checker.xbrl, "label_records")


@pytest.mark.parametrize("name", [META, CARECLOUD, UNFI])
def test_an_html_filing_is_parsed_once(monkeypatch, name):
    """The reader's tree gives the cyd facts: the file is not parsed again as XML for them (that second
    parse and its walk were a fifth of reading a whole 10-K), and the facts are the XML reading's."""
    from checker import xbrl

    wanted = [(f.concept, f.text, f.value, f.member, f.fact_id) for f in read_facts(raw(name))]

    def parsed_again(data):
        raise AssertionError("the HTML was parsed a second time for its facts")

    monkeypatch.setattr(xbrl, "_parse", parsed_again)
    doc = html.read(raw(name), f"{name}.html")[0]
    assert [(f.concept, f.text, f.value, f.member, f.fact_id) for f in doc.facts] == wanted
    assert all(f.start is not None for f in doc.facts if f.kind == "text")


def test_fact_words_are_found_only_where_they_start_a_word():
    """A fact's first word inside a longer word ("Weather" for "We") is no place of the fact."""
    from checker.xbrl import _pattern

    pattern = _pattern(["We", "engage", "experts"])
    assert pattern.search("Weather: we engage experts") is None
    assert pattern.search("xWe engage experts") is None
    assert pattern.search("(We) engage - experts.").span() == (1, 21)
    assert pattern.search("We engage expertsX") is None


def test_a_fact_whose_continuation_comes_first_is_placed_at_its_own_element():
    # Inline XBRL lets a continuation stand before its fact; such a text block was placed nowhere, so the
    # tag report named it without a page or paragraph.
    doc = html.read(_continuation_first(), "continuation-first.html")[0]
    (fact,) = doc.facts
    assert fact.text.startswith("We maintain a cybersecurity program")
    assert fact.start is not None and doc.text[fact.start:].startswith("We maintain a cybersecurity program")


def _continuation_first() -> bytes:
    return b"""<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"
 xmlns:dei="http://xbrl.sec.gov/dei/2024" xmlns:cyd="http://xbrl.sec.gov/cyd/2024"><body>
<div style="display:none"><ix:header><ix:hidden>
<ix:nonNumeric contextRef="c-1" name="dei:DocumentType" id="d1">10-K</ix:nonNumeric>
</ix:hidden></ix:header></div>
<p>Item 1C. Cybersecurity</p><p>Governance</p>
<ix:continuation id="k-1"><p>The Audit Committee receives quarterly reports from our Chief Information Security
Officer on cybersecurity risks and incidents.</p></ix:continuation>
<p>Risk Management and Strategy</p>
<ix:nonNumeric contextRef="c-1" id="f-1" continuedAt="k-1" escape="true"
 name="cyd:CybersecurityRiskManagementProcessesForAssessingIdentifyingAndManagingThreatsTextBlock"><p>We maintain
a cybersecurity program with policies and procedures to identify, assess and manage material risks.</p></ix:nonNumeric>
<p>Item 2. Properties</p><p>We own buildings.</p></body></html>"""
