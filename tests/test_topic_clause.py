"""The clause option `topic`: the unit's paragraph, or the paragraph before it, names what it is about."""

import textwrap

import pytest
from conftest import pack_file, whole_section

from checker import engine
from checker.model import CheckerError

PACK = """
pack: test-topic
title: Topic test pack
version: "1"
applies_to: [{form: 10-K, item: 1C}]
vocabularies:
  years: ['\\d+ years of experience']
  officer: ['officer']
  cyber: ['cyber\\w*']
rules:
  - id: T-TOPIC
    title: An officer's experience, on the topic
    citation: "x"
    severity: warning
    message: m
    guidance: g
    match:
      %s:
        all: [years, officer]
        topic: [cyber]
"""

CLAIM = "Our chief officer has 30 years of experience."


def result(tmp_path, text, scope="sentence"):
    pack = pack_file(tmp_path, "test-topic", textwrap.dedent(PACK % scope))
    (r,) = engine.evaluate(pack, whole_section(text)).results
    return r


@pytest.mark.parametrize(("text", "status"), [
    (CLAIM, "missing"),  # no paragraph names the topic
    (f"{CLAIM} She leads our cybersecurity program.", "met"),  # its paragraph, after it
    (f"Cybersecurity\n\n{CLAIM}", "met"),  # the heading before it
    (f"Our cybersecurity program is mature.\n\n{CLAIM}", "met"),  # the paragraph before it
    (f"Cybersecurity\n\nWe sell groceries.\n\n{CLAIM}", "missing"),  # two paragraphs away
    (f"{CLAIM}\n\nOur cybersecurity program is mature.", "missing"),  # only after it
])
def test_a_sentence_is_on_topic_when_its_paragraph_or_the_one_before_names_it(tmp_path, text, status):
    r = result(tmp_path, text)
    assert r.status == status
    if status == "met":
        assert [e.text for e in r.evidence] == [CLAIM]


def test_a_paragraph_clause_asks_the_same_of_the_paragraph(tmp_path):
    assert result(tmp_path, CLAIM, "paragraph").status == "missing"
    assert result(tmp_path, f"Cybersecurity\n\n{CLAIM}", "paragraph").status == "met"
    assert result(tmp_path, f"Cybersecurity\n\nWe sell food.\n\n{CLAIM}", "paragraph").status == "missing"


def test_an_unknown_topic_vocabulary_names_the_rule(tmp_path):
    text = textwrap.dedent(PACK % "sentence").replace("topic: [cyber]", "topic: [cyber_words]")
    with pytest.raises(CheckerError, match="T-TOPIC: unknown vocabulary 'cyber_words'"):
        pack_file(tmp_path, "test-topic", text)


def test_a_section_clause_asks_that_some_paragraph_names_the_topic(tmp_path):
    # (the section is one unit: any paragraph on the topic will do, before or after the claim)
    assert result(tmp_path, CLAIM, "section").status == "missing"
    assert result(tmp_path, f"{CLAIM}\n\nOur cybersecurity program is mature.", "section").status == "met"
    assert result(tmp_path, f"We sell groceries.\n\n{CLAIM}", "section").status == "missing"
