"""The `any_member` condition: a question asked of one incident axis member's facts at a time."""

from __future__ import annotations

from dataclasses import replace

import pytest

from checker.conditions import compile_condition
from checker.conditions.base import Context
from checker.conditions.facts import incident_members
from checker.model import Document, Fact, Section
from checker.segment import segment
from checker.vocab import Vocabulary, normalise_for_matching

TEXT = ("Item 1.05. A ransomware attack encrypted our servers on July 10, 2025. "
        "Separately, a vendor was breached.")
VOCABULARIES = {"date": Vocabulary("date", (r"July \d{1,2}",)), "ransomware": Vocabulary("ransomware", ("ransomware",))}
NATURE = {"fact": {"element": "incident_nature"}}
TIMING = {"fact": {"element": "incident_timing"}}
NATURE_WITHOUT_TIMING = {"any_member": {"all_of": [NATURE, {"not": TIMING}]}}


def fact(element: str, member: str | None, start: int, end: int) -> Fact:
    return Fact(f"Concept{element}", "text", TEXT[start:end], None, element, member, start, end)


RANSOM_NATURE = fact("incident_nature", "RansomMember", 11, 46)
RANSOM_TIMING = fact("incident_timing", "RansomMember", 47, 70)
VENDOR_NATURE = fact("incident_nature", "VendorMember", 71, 104)
DEFAULT_TIMING = fact("incident_timing", None, 47, 70)


def evaluate(condition: dict, facts: list[Fact]):
    doc = Document(text=TEXT, source="t", form="8-K", item="1.05", facts=facts)
    doc.section = Section(0, len(TEXT))
    norm = normalise_for_matching(TEXT)
    ctx = Context(doc, norm, segment(norm, 0, len(norm)), VOCABULARIES)
    out = compile_condition(condition, set(VOCABULARIES), "test").evaluate(ctx)
    assert ctx.document.facts == facts  # the narrowed member views leave the document as it was
    return out


def test_members_are_the_distinct_named_ones_sorted():
    assert incident_members([VENDOR_NATURE, RANSOM_NATURE, RANSOM_TIMING, DEFAULT_TIMING]) == [
        "RansomMember", "VendorMember"]
    assert incident_members([DEFAULT_TIMING]) == []


def test_a_member_missing_a_fact_is_found_with_its_own_facts_as_evidence():
    out = evaluate(NATURE_WITHOUT_TIMING, [RANSOM_NATURE, RANSOM_TIMING, VENDOR_NATURE])
    assert out.ok
    assert [(h.start, h.end) for h in out.hits] == [(VENDOR_NATURE.start, VENDOR_NATURE.end)]


def test_facts_are_not_pooled_across_members_or_with_the_default_context():
    # The vendor's nature block has no timing of its own: the ransomware member's timing or a timing
    # block outside any member does not answer for it.
    assert evaluate(NATURE_WITHOUT_TIMING, [RANSOM_TIMING, VENDOR_NATURE]).ok
    assert evaluate(NATURE_WITHOUT_TIMING, [DEFAULT_TIMING, VENDOR_NATURE]).ok
    assert not evaluate(NATURE_WITHOUT_TIMING, [RANSOM_NATURE, RANSOM_TIMING]).ok


def test_no_member_no_match():
    # A single-incident filing (facts in the default context) has no member to satisfy it, even `fact: {}`.
    assert not evaluate({"any_member": {"fact": {}}}, [replace(RANSOM_NATURE, member=None)]).ok
    assert evaluate({"any_member": {"fact": {}}}, [RANSOM_NATURE]).ok


def test_every_member_is_the_negation_of_some_member_failing():
    every_has_nature = {"not": {"any_member": {"not": NATURE}}}
    assert evaluate(every_has_nature, [RANSOM_NATURE, VENDOR_NATURE]).ok
    assert not evaluate(every_has_nature, [RANSOM_NATURE, fact("incident_timing", "VendorMember", 47, 70)]).ok


@pytest.mark.parametrize("member, ok", [("RansomMember", True), ("VendorMember", False)])
def test_prose_is_still_the_whole_section_and_where_reads_the_members_fact(member, ok):
    # `sentence` reads the section (the date is there for every member); `where` reads the fact's text.
    nature = fact("incident_nature", member, 11, 46) if member == "RansomMember" else VENDOR_NATURE
    assert evaluate({"any_member": {"sentence": {"all": ["date"]}}}, [nature]).ok
    where = {"any_member": {"fact": {"element": "incident_nature", "where": {"sentence": {"all": ["ransomware"]}}}}}
    assert evaluate(where, [nature]).ok is ok
