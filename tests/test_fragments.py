"""Named pattern fragments: written once under `fragments:`, named in vocabularies as (?&name)."""

import subprocess
import sys

import pytest
from test_packs import BASE, error_of, write

from checker.fragments import UnknownFragment, expand
from checker.model import CheckerError
from checker.packs import load_pack

FRAGMENTS = BASE.replace("vocabularies:\n  board: ['board']\n", """\
fragments:
  adjective: '(outside|independent)'
  party: '(?&adjective) (\\w+\\s+){0,1}(firms?|consultants?)'
vocabularies:
  board: ['board']
  assessor:
    patterns: ['engage (?&party)', '(?&party) (test|assess)s?']
    exclude: ['(?&adjective) auditors? of the financial statements']
""")


def test_a_fragment_is_spelled_out_where_it_is_named_fragments_inside_fragments_too():
    assert expand("a (?&x) b", {"x": "c|(?&y)", "y": "d"}) == "a (?:c|(?:d)) b"
    assert expand("(?<!x)plain (?P<g>a)", {}) == "(?<!x)plain (?P<g>a)"  # other groups are left alone
    # ... and so is the regex module's call of a group the pattern itself names (a recursive pattern)
    nested = r"(?P<paren>\((?:[^()]|(?&paren))*\))"
    assert expand(nested, {}) == nested


def test_an_unknown_or_circular_fragment_is_an_error():
    with pytest.raises(UnknownFragment, match="'z'"):
        expand("(?&z)", {})
    with pytest.raises(UnknownFragment, match="circle"):
        expand("(?&x)", {"x": "a(?&y)", "y": "(?&x)"})


def _finds(pack, vocabulary, text):
    return [m.text for m in pack.vocabularies[vocabulary].find(text)]


def test_a_vocabulary_matches_through_its_fragments(tmp_path):
    pack = load_pack(write(tmp_path, "frag.yaml", FRAGMENTS))
    assert _finds(pack, "assessor", "We engage outside cybersecurity firms each year.") == [
        "engage outside cybersecurity firms"]
    assert _finds(pack, "assessor", "Independent consultants assess our controls.") == [
        "Independent consultants assess"]
    assert _finds(pack, "assessor", "We engage our own staff.") == []


def test_an_unknown_fragment_names_the_vocabulary_its_file_and_line(tmp_path):
    p = write(tmp_path, "bad.yaml", FRAGMENTS.replace("'engage (?&party)'", "'engage (?&parties)'"))
    err = error_of(p)
    assert "vocabulary 'assessor'" in err.message and "'parties'" in err.message
    assert err.file == str(p) and err.line == 10  # the vocabulary's patterns
    out = subprocess.run([sys.executable, "-c", "from checker.cli import main; main()", "rules", "validate", str(p)],
                         capture_output=True, text=True)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"{p}:10:" in out.stderr and "parties" in out.stderr


def test_a_fragment_name_must_be_an_identifier(tmp_path):
    p = write(tmp_path, "bad.yaml", FRAGMENTS.replace("  adjective: ", "  bad-name: "))
    with pytest.raises(CheckerError):
        load_pack(p)


def test_an_extending_pack_replaces_a_fragment_of_its_base(tmp_path):
    write(tmp_path, "frag.yaml", FRAGMENTS)
    child = write(tmp_path, "child.yaml", """\
        pack: child
        title: Child
        version: "2"
        extends: frag.yaml
        fragments:
          adjective: '(external)'
        """)
    pack = load_pack(child)
    assert _finds(pack, "assessor", "We engage external firms.") == ["engage external firms"]
    assert _finds(pack, "assessor", "We engage outside firms.") == []


def test_a_fragment_naming_an_unknown_fragment_is_told_at_its_own_line(tmp_path):
    p = write(tmp_path, "bad.yaml", FRAGMENTS.replace("party: '(?&adjective)", "party: '(?&adjectives)"))
    err = error_of(p)
    assert "fragment 'party'" in err.message and "'adjectives'" in err.message
    assert err.file == str(p) and err.line == 6  # the fragment's line, not a vocabulary naming it


def test_a_fragment_no_vocabulary_names_is_checked_too(tmp_path):
    unused = FRAGMENTS.replace("vocabularies:\n", "  spare: '(unclosed'\nvocabularies:\n", 1)
    err = error_of(write(tmp_path, "bad.yaml", unused))
    assert "fragment 'spare'" in err.message and "invalid regular expression" in err.message
    assert err.line == 7
    # ... and a well-formed one no vocabulary names loads (a base pack's fragment for the packs extending it)
    fine = FRAGMENTS.replace("vocabularies:\n", "  spare: '(closed)'\nvocabularies:\n", 1)
    assert "spare" not in load_pack(write(tmp_path, "fine.yaml", fine)).vocabularies
