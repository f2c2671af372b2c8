"""The clause option `before`: vetoes that count only in the subject position (and the verb's object)."""

import textwrap

import pytest
from conftest import pack_file, whole_section

from checker import engine
from checker.model import CheckerError
from checker.packs import load_pack

PACK = """
pack: test-subject-veto
title: Subject veto test pack
version: "1"
applies_to: [{form: 10-K, item: 1C}]
vocabularies:
  board: ['board', 'audit committee']
  manager: ['CISO', 'management']
  told: ['receives', 'reports?', 'monitors']
  incident: ['incidents?']
rules:
  - id: T-SUBJECT
    title: Management is told about incidents
    citation: "x"
    severity: warning
    message: m
    guidance: g
    match:
      sentence:
        all: [manager, told, incident]
        before: {none: [board], anchor: told}
  - id: T-OBJECT
    title: The same, and the board is not the verb's object either
    citation: "x"
    severity: warning
    message: m
    guidance: g
    match:
      sentence:
        all: [manager, told, incident]
        before: {none: [board], anchor: told, object_words: 3}
  - id: T-RECIPIENT
    title: The same, the object read up to eight words on
    citation: "x"
    severity: warning
    message: m
    guidance: g
    match:
      sentence:
        all: [manager, told, incident]
        before: {none: [board], anchor: told, object_words: 8}
"""


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    return pack_file(tmp_path_factory.mktemp("packs"), "test-subject-veto", textwrap.dedent(PACK))


def status(pack, text, rule):
    return {r.rule: r.status for r in engine.evaluate(pack, whole_section(text)).results}[rule]


def test_a_veto_term_before_the_anchor_rejects_the_sentence(pack):
    assert status(pack, "The Audit Committee receives reports from the CISO on incidents.", "T-SUBJECT") == "missing"


def test_the_same_term_after_the_anchor_does_not(pack):
    text = "The CISO monitors incidents and later presents a summary to the Audit Committee."
    assert status(pack, text, "T-SUBJECT") == "met"
    assert status(pack, text, "T-OBJECT") == "met"  # the committee is far from the verb


def test_object_words_extend_the_veto_to_the_verbs_object(pack):
    text = "Management reports to the Board on incidents."
    assert status(pack, text, "T-SUBJECT") == "met"
    assert status(pack, text, "T-OBJECT") == "missing"


def test_the_object_ends_where_the_next_anchor_begins(pack):
    # the board is the object of the second verb ("reports"), not of the first ("monitors"): management is told
    text = "The CISO monitors incidents and reports to the Audit Committee."
    assert status(pack, text, "T-RECIPIENT") == "met"
    # ... and with no second verb, the board eight words on is still the first verb's recipient
    assert status(pack, "Management reports such incidents promptly in writing to the Board.", "T-RECIPIENT") == "missing"


def test_the_object_ends_with_its_clause(pack):
    # after the comma the board begins a clause of its own: it receives nothing from the CISO
    text = "The CISO monitors incidents, and the Board sets the risk appetite."
    assert status(pack, text, "T-RECIPIENT") == "met"
    assert status(pack, "The CISO monitors incidents and the Board sets the risk appetite.", "T-RECIPIENT") == "missing"
    # ... but a comma alone ends an opening phrase, not the clause: the committee is the subject that receives
    assert status(pack, "At each meeting, the Audit Committee receives reports from the CISO on incidents.",
                  "T-RECIPIENT") == "missing"


def test_an_unknown_anchor_vocabulary_is_a_pack_error(tmp_path):
    bad = textwrap.dedent(PACK).replace("anchor: told}", "anchor: nosuch}", 1)
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(CheckerError, match="unknown vocabulary 'nosuch'"):
        load_pack(path)
