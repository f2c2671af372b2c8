"""The clause option `about`: what an anchor term is said of, one of some concepts within N words of it."""

import textwrap

import pytest
from conftest import pack_file, whole_section

from checker import engine
from checker.model import CheckerError

PACK = """
pack: test-about
title: About window test pack
version: "1"
applies_to: [{form: 10-K, item: 1C}]
vocabularies:
  denial: ['did not experience', 'have not (\\w+\\s+){0,1}affected']
  material: ['material(ly)?']
  cyber: ['cyber\\w*', 'incidents?', 'risks?']
rules:
  - id: T-ABOUT
    title: A statement said of a cyber risk
    citation: "x"
    severity: warning
    message: m
    guidance: g
    match:
      sentence:
        all: [denial, material]
        about: {anchor: denial, any: [cyber], words: 4}
"""


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    return pack_file(tmp_path_factory.mktemp("packs"), "test-about", textwrap.dedent(PACK))


def result(pack, text):
    (r,) = engine.evaluate(pack, whole_section(text)).results
    return r


def test_a_concept_just_before_the_anchor_is_its_subject(pack):
    r = result(pack, "Cybersecurity risks have not materially affected us.")
    assert r.status == "met"
    assert "Cybersecurity" in [m.text for m in r.evidence[0].matches]  # quoted as what it is about


def test_a_concept_just_after_the_anchor_is_its_object(pack):
    assert result(pack, "We did not experience any material cybersecurity incident.").status == "met"


def test_a_concept_beyond_the_window_is_not_what_it_is_about(pack):
    text = ("We did not experience any material disruption from the shift to remote work, and we continue "
            "to study cybersecurity.")
    assert result(pack, text).status == "missing"
    # the same words, brought within four words of the anchor, are
    assert result(pack, "We did not experience any cybersecurity disruption of material size.").status == "met"


def test_the_window_counts_words_not_characters(pack):
    assert result(pack, "Cyber threats, phishing and ransomware, have not materially affected us.").status == "missing"
    assert result(pack, "Cyber threats have not materially affected us.").status == "met"


@pytest.mark.parametrize(("old", "new", "error"), [
    ("any: [cyber], words: 4", "any: [nosuch], words: 4", "unknown vocabulary 'nosuch'"),  # unknown name
    ("words: 4", "words: 0", "words"),  # a window of no words, refused by the schema
])
def test_a_bad_about_window_is_a_pack_error(tmp_path, old, new, error):
    with pytest.raises(CheckerError, match=error):
        pack_file(tmp_path, "bad", textwrap.dedent(PACK).replace(old, new))
