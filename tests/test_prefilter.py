"""One multi-pattern scan, exact matching only at its candidates: the same matches as scanning the whole text."""

from __future__ import annotations

import functools

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import prefilter
from checker.packs import load_pack
from checker.vocab import DocumentMatches, Vocabulary, runs_in_linear_time

needs_hyperscan = pytest.mark.skipif(not prefilter.available(), reason="hyperscan not installed")


@pytest.mark.parametrize("pattern, starts", [
    ("board", {"board"}),
    ("boards?", {"board"}),
    ("C(I)?SO", {"ciso", "cso"}),  # an optional part: the literal goes on after it
    ("(?:the )?board", {"the board", "board"}),
    ("a board", {"a board"}),  # a run of white space is one space in the scan: the literal goes on
    ("third part(y|ies)", {"third part"}),  # ten characters at most
    (r"risk\s*(management|mgmt)", {"risk manag", "riskmanage", "risk mgmt", "riskmgmt"}),
    ("a\t\tb", {"a b"}),  # white space in a pattern is a space in the scan, and two runs are one
    (r"\s+board", {" board"}),
    ("unauthori[sz]ed", {"unauthoris", "unauthoriz"}),
    (r"\d+ years", set("0123456789")),
    ("board['’]s", {"board"}),  # a non-ASCII character ends the literal
    (r"\w+ committee", None),
    ("x?", None),
    (r"\p{Lu}x", None),  # regex-module syntax: scanned whole
])
def test_literal_starts(pattern, starts):
    assert prefilter.literal_starts(pattern) == starts


def test_the_scan_treats_as_white_space_what_regex_does():
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    assert "".join(regex.findall(r"\s", every)) == prefilter.WHITE_SPACE
    # Every non-ASCII character `regex` matches with an ASCII letter without case is scanned as that letter.
    for letter in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        for m in regex.finditer(letter, every[128:], regex.IGNORECASE):
            assert prefilter.scan_bytes(m.group()) == letter.lower().encode(), hex(ord(m.group()))
    assert prefilter.scan_bytes("a\u00a0b\u2003c\u0130\u0131\u212a\u017f\u00e9\n") == b"a b ciiks? "


@pytest.mark.parametrize("text", ["a  b", "  a\n\n\tb  ", "a b", "", "   ", "x \u2003\u00a0 y  z"])
def test_squeezed_offsets_map_back_to_the_text(text):
    data = prefilter.scan_bytes(text)
    sq = prefilter.squeeze(data)
    assert b"  " not in sq.data
    starts = sq.starts(list(range(len(sq.data))), False)
    assert bytes(data[o] for o in starts) == sq.data
    # a literal beginning with a space may begin anywhere in the run it stands for
    runs = sq.starts([i for i, c in enumerate(sq.data) if c == 32], True)
    assert runs == [i for i, c in enumerate(data) if c == 32]


@pytest.mark.parametrize("pattern, linear", [
    ("board of directors", True), (r"(\w+\s+){0,12}committee", True), (r"assess\w*", True),
    ("(a+)+$", False), ("(a|a)+[bc]", False), (r"(\w+ )*x", False), (r"(a)\1", False),
    ("a*a*a*a*a*b", False),
])
def test_which_patterns_run_without_a_time_limit_per_call(pattern, linear):
    assert runs_in_linear_time(pattern) is linear


@functools.cache
def sk106():
    pack = load_pack("sk-106")
    return pack, prefilter.Scanner(pack.vocabularies)


WORDS = st.sampled_from([
    "the", "board", "Board's", "BOARD", "board’s", "of", "directors", "onboarding", "CISO", "CıSO", "C\u0130SO",
    "\u212aey", "ri\u017fk", "over", "20", "years", "third-party", "third\u00a0parties", "vendors", "audit",
    "committee", "not", "material", "(a)", '"ERM"', "—", "cyber-security", "cybersecurity", "\n", "  ",
    "\u2003", "unauthorized", "risk", "management", "officer", "chief", "information", "security", "reports",
    "to", "quarterly", "incident", "response", "a", "an", ".", ";", "é", "forum", "steering", "within",
    "he", "she", "this", "share", "is", "are", "in", "_in", "éin", "9in",
])


@needs_hyperscan
@settings(max_examples=60, deadline=None)
@given(st.lists(WORDS, max_size=60), st.integers(0, 5))
def test_candidates_give_the_matches_of_a_whole_scan(words, cut):
    pack, scanner = sk106()
    text = " ".join(words)
    start = min(cut, len(text))
    fast, whole = DocumentMatches(scan=scanner.scan), DocumentMatches()
    for v in pack.vocabularies.values():
        assert fast.find(v, text, start) == whole.find(v, text, start), v.name


@needs_hyperscan
def test_a_vocabulary_the_scanner_does_not_know_is_scanned_whole():
    _, scanner = sk106()
    other = Vocabulary("other", ("cyber",))
    doc = DocumentMatches(scan=scanner.scan)
    assert [m.text for m in doc.find(other, "a cyber event")] == ["cyber"]


@needs_hyperscan
def test_a_pattern_without_a_literal_start_is_scanned_alone_and_the_rest_at_candidates():
    vocab = {"v": Vocabulary("v", ("board", r"(\w+\s+){0,2}forum", "audit committee"), exclude=(r"\w+ board",))}
    scanner = prefilter.Scanner(vocab)
    text = "The board met. A risk forum, the cyber steering forum and our Audit Committee. Outside board."
    cands = scanner.scan(text, 0, len(text))(vocab["v"])
    assert cands.patterns_rest is not None and cands.exclude_rest is not None
    # the literals' candidates: "board" twice and "audit committee" once, not every word
    assert len(cands.patterns) == 3
    fast, whole = DocumentMatches(scan=scanner.scan), DocumentMatches()
    found = fast.find(vocab["v"], text)
    assert found == whole.find(vocab["v"], text)
    # both boards are excluded ("The board", "Outside board"): the exclusion has no literal start either
    assert [m.text for m in found] == ["A risk forum", "cyber steering forum", "Audit Committee"]


@needs_hyperscan
def test_a_literal_that_begins_a_word_is_not_a_candidate_inside_one():
    vocab = {"v": Vocabulary("v", ("he", "in ", "-based"))}
    text = "The other within; he is in the cloud-based system"
    cands = prefilter.Scanner(vocab).scan(text, 0, len(text))(vocab["v"])
    assert [text[p:p + 3] for p in cands.patterns] == ["he ", "in ", "-ba"]


@needs_hyperscan
def test_the_scan_runs_far_fewer_match_attempts():
    pack, scanner = sk106()
    text = ("The Audit Committee of the Board oversees cybersecurity risk; our CISO reports quarterly. " * 20)
    fast, whole = DocumentMatches(scan=scanner.scan), DocumentMatches()
    for v in pack.vocabularies.values():
        fast.find(v, text)
        whole.find(v, text)
    # The whole scan makes one call a vocabulary but each tries every position of the text.
    tried_whole = whole.match_calls * len(text)
    assert fast.match_calls < tried_whole / 50


@needs_hyperscan
def test_a_pickled_scanner_keeps_its_database_or_compiles_it_again():
    import pickle

    pack, scanner = sk106()
    text = "Our CISO reports to the Audit Committee of the Board on third-party vendors."
    want = [DocumentMatches(scan=scanner.scan).find(v, text) for v in pack.vocabularies.values()]
    copy = pickle.loads(pickle.dumps(scanner))
    assert "_db_bytes" in copy.__dict__
    broken = pickle.loads(pickle.dumps(scanner))
    broken._db_bytes = b"not a database"
    for s in (copy, broken):
        assert [DocumentMatches(scan=s.scan).find(v, text) for v in pack.vocabularies.values()] == want


@needs_hyperscan
def test_one_scanner_scans_in_many_threads_at_once():
    # `cydcheck serve` checks documents in threads sharing one compiled pack: each thread needs its own
    # Hyperscan scratch space (one shared scratch raised ScratchInUseError under load).
    from concurrent.futures import ThreadPoolExecutor

    pack, scanner = sk106()
    texts = [f"Our CISO reports to the Audit Committee {i} times a year on third-party vendors. " * 200
             for i in range(40)]
    vocab = pack.vocabularies

    def run(text: str) -> list:
        doc = DocumentMatches(scan=scanner.scan)
        return [doc.find(v, text) for v in vocab.values()]

    serial = [run(t) for t in texts]
    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(run, texts)) == serial
