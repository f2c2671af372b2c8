"""Form detection (`--pack auto`): record form/item, then the section heading, then the text's cues."""

from __future__ import annotations

import pytest

from checker.detect import choose_pack, normalise_form
from checker.model import Document, Section

ALL = {"sk-106", "form-20f-16k", "form-8k-105", "cyd-tags"}


@pytest.mark.parametrize(("form", "expected"), [
    ("10-K", "10-K"), ("10-K/A", "10-K"), ("10-KT", "10-K"), ("10-K405", "10-K"),
    ("20-F/A", "20-F"), ("8-K/A", "8-K"), (" 8-k ", "8-K"), ("6-K", "6-K"), (None, None),
])
def test_normalise_form(form, expected) -> None:
    assert normalise_form(form) == expected


@pytest.mark.parametrize(("form", "item", "pack"), [
    ("8-K", "1.05", "form-8k-105"),
    ("8-K/A", None, "form-8k-105"),
    ("20-F", "16K", "form-20f-16k"),
    ("10-K", "1C", "sk-106"),
    ("10-K/A", None, "sk-106"),
    (None, "16K", "form-20f-16k"),
])
def test_record_form_and_item(form, item, pack) -> None:
    choice = choose_pack(Document(text="We sell shoes.", form=form, item=item), ALL)
    assert choice.pack == pack
    assert (form or item) in choice.reason


def test_item_wins_over_a_form_that_disagrees() -> None:
    choice = choose_pack(Document(text="x", form="10-K", item="16K"), ALL)
    assert choice.pack == "form-20f-16k" and "item 16K" in choice.reason


def test_record_section_heading() -> None:
    heading = "Item 1.05 Material Cybersecurity Incidents"
    doc = Document(text="We were attacked.", section=Section(0, 17, heading=heading))
    choice = choose_pack(doc, ALL)
    assert choice.pack == "form-8k-105" and choice.item == "1.05"
    assert choice.reason.startswith("section heading 'Item 1.05")


@pytest.mark.parametrize(("text", "pack", "item"), [
    ("FORM 8-K\n\nItem 1.05. Material Cybersecurity Incidents\n\nOn May 1 we found ransomware.",
     "form-8k-105", "1.05"),
    ("PART II\n\nITEM 16K. CYBERSECURITY\n\nWe have a programme.", "form-20f-16k", "16K"),
    ("Table of contents\nItem 1A. Risk Factors\nItem 1C. Cybersecurity\n...", "sk-106", "1C"),
    ("Material Cybersecurity Incidents. On June 16, 2026, a threat actor gained access.",
     "form-8k-105", "1.05"),
])
def test_heading_in_the_text(text, pack, item) -> None:
    choice = choose_pack(Document(text=text), ALL)
    assert (choice.pack, choice.item) == (pack, item)
    assert choice.reason.startswith("heading '")


def test_a_contents_line_names_its_heading_without_the_page_number() -> None:
    # a 20-F without cover facts: the first heading is the table of contents' line, its page number after it
    text = "TABLE OF CONTENTS\nItem 16K. Cybersecurity 118\nItem 17. Financial Statements 119\n"
    assert choose_pack(Document(text=text), ALL).reason == "heading 'Item 16K. Cybersecurity'"
    text = "Item 1C. Cybersecurity xii\nItem 1.05\n"
    assert choose_pack(Document(text=text), ALL).reason == "heading 'Item 1C. Cybersecurity'"


def test_heading_mentioned_inside_a_sentence_is_not_a_heading() -> None:
    text = "Our 8-K under Item 1.05 was filed late.\nWe describe our programme in Item 1C.\n"
    assert not choose_pack(Document(text=text), ALL).reason.startswith("heading")


def test_text_cues_without_form_or_heading() -> None:
    eight_k = ("On March 3, 2026, the Company became aware of a cybersecurity incident. The Company "
               "determined that the incident was material and files this Current Report on Form 8-K.")
    choice = choose_pack(Document(text=eight_k), ALL)
    assert choice.pack == "form-8k-105" and "8-K Item 1.05" in choice.reason
    fpi = "As a foreign private issuer, we describe in this annual report on Form 20-F how we manage risk."
    assert choose_pack(Document(text=fpi), ALL).pack == "form-20f-16k"


def test_default_when_nothing_tells() -> None:
    choice = choose_pack(Document(text="We sell shoes."), ALL)
    assert choice.pack == "sk-106" and "default" in choice.reason
    other = choose_pack(Document(text="We sell shoes.", form="S-1"), ALL)
    assert other.pack == "sk-106" and "form S-1 has no pack" in other.reason


def test_unavailable_pack_is_not_chosen() -> None:
    choice = choose_pack(Document(text="x", form="8-K"), {"sk-106"})
    assert choice.pack == "sk-106"


def test_checker_reports_the_reason(checker) -> None:
    doc = Document(text="On May 1, 2026, ransomware encrypted our servers.", form="8-K")
    report = checker.check_document(doc)
    assert report.pack_id == "form-8k-105" and report.pack_reason == "form 8-K"


def test_a_20f_draft_headed_full_width_is_checked_as_a_20f() -> None:
    """A translated draft headed 'ＩＴＥＭ　１６Ｋ．　ＣＹＢＥＲＳＥＣＵＲＩＴＹ' (typed with a Japanese IME), with no
    cover, was checked under sk-106 ('no form, heading or telling words found: default pack')."""
    text = ("ＩＴＥＭ　１６Ｊ．　INSIDER TRADING POLICIES\n\nWe have adopted insider trading policies.\n\n"
            "ＩＴＥＭ　１６Ｋ．　ＣＹＢＥＲＳＥＣＵＲＩＴＹ\n\nOur Board of Directors oversees cybersecurity risk.\n")
    choice = choose_pack(Document(text=text), ALL)
    assert choice.pack == "form-20f-16k" and choice.item == "16K"
    assert "ＩＴＥＭ　１６Ｋ．　ＣＹＢＥＲＳＥＣＵＲＩＴＹ" in choice.reason


@pytest.mark.parametrize(("text", "pack"), [
    ("Although we qualify as a foreign private issuer, we voluntarily file annual reports on Form 10-K. Our "
     "processes follow our home country regulator's guidance.", "sk-106"),
    ("As a foreign private issuer, we describe in this Annual Report on Form 10-K how our home country rules "
     "apply to our American depositary shares.", "sk-106"),
    ("Unlike companies that file annual reports on Form 10-K, we are a foreign private issuer and describe "
     "in this annual report on Form 20-F our home country practice.", "form-20f-16k"),
])
def test_a_foreign_private_issuer_filing_on_form_10k_is_checked_as_a_10k(text, pack) -> None:
    """An FPI's headingless Item 1C draft saying "we file annual reports on Form 10-K" was checked under the
    20-F pack (its "foreign private issuer" and "home country" outnumbered "Form 10-K"), citing Item 16K."""
    choice = choose_pack(Document(text=text), ALL)
    assert choice.pack == pack
    assert "names its annual report's form" in choice.reason
