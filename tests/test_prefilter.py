"""One multi-pattern scan, exact matching only at its candidates: the same matches as scanning the whole text."""

from __future__ import annotations

import functools

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import prefilter
from checker.packs import load_pack
from checker.vocab import DocumentMatches, PatternTimeout, Vocabulary, runs_in_linear_time

needs_hyperscan = pytest.mark.skipif(not prefilter.available(), reason="hyperscan not installed")


def candidates(patterns, text, exclude=(), case_sensitive=False):
    """Where the scan says a one-vocabulary pack's patterns (and exclusions) may start in the text."""
    vocab = Vocabulary("v", tuple(patterns), tuple(exclude), case_sensitive)
    found = prefilter.Scanner({"v": vocab}).scan(text, 0, len(text))(vocab)
    # Whatever the scan says, the matches are those of a scan of the whole text.
    assert DocumentMatches(scan=prefilter.Scanner({"v": vocab}).scan).find(vocab, text) == \
        DocumentMatches().find(vocab, text)
    return found


@needs_hyperscan
@pytest.mark.parametrize("pattern, text, starts", [
    ("board", "the board, boards and onboard Board", [4, 30]),  # whole words only
    ("boards?", "the board, boards and onboard", [4, 11]),
    ("C(I)?SO", "our CISO and CSO, not CISOs", [4, 13]),
    ("a board", "a\n\n  board, a  boarding", [0]),  # any run of white space between the words
    # (a run of words may begin with the space after a full stop: tried there, it fails)
    (r"(\w+\s+){0,2}forum", "The cyber steering forum met. A forum", [0, 4, 10, 19, 29, 30, 32]),
    # the later words count: "Vendors may be reviewed" is not tried
    (r"(vendors?|suppliers?) (\w+\s+){0,3}(are|is) (required|assessed)",
     "Our vendors are required to comply. Vendors may be reviewed; suppliers are assessed.", [4, 61]),
    (r"risk\s*(management|mgmt)", "riskmanagement, risk  mgmt, risk-management", [0, 16]),
    (r"\d+ years", "over 20 years, 3 months, 4  years", [5, 25]),
    ("unauthori[sz]ed", "Unauthorised or UNAUTHORIZED or unauthorized", [0, 16, 32]),
    ("board['’]s", "the board’s and board's and board’x", [4, 16]),  # a non-ASCII character: any byte but a word's
    (r"(a)\1x", "aax ab a", [0, 4, 7]),  # a back-reference ends the expression: "a" is looked for
    ("-based", "cloud-based, -based", [13]),  # after a non-word character only, as regex matches it
    (r"\s+board", "a \n board", [2, 3]),  # after a non-word character, anywhere in the run of white space
])
def test_the_scan_reports_where_a_pattern_may_start(pattern, text, starts):
    assert candidates([pattern], text).patterns == starts


@needs_hyperscan
def test_case_sensitive_patterns_are_looked_for_with_their_case():
    assert candidates(["CISO"], "ciso CISO Ciso", case_sensitive=True).patterns == [5]
    assert candidates(["CISO"], "ciso CISO Ciso").patterns == [0, 5, 10]


@pytest.mark.parametrize("pattern", [r"\p{Lu}x", "x?", r"\s*", r"(?:\w+\s+)?", "[[:alpha:]]+ board",
                                     "(?:board){e<=1}"])
def test_a_pattern_the_scan_cannot_look_for(pattern):
    # regex-module syntax the parser does not know or reads otherwise (a POSIX class, a fuzzy match), or a
    # pattern that may match nothing in the scan bytes
    assert prefilter.expression(pattern) is None


@needs_hyperscan
@pytest.mark.filterwarnings("ignore:Possible nested set")  # the stdlib parser, asked by checker.vocab
def test_regex_module_syntax_is_matched_as_regex_matches_it():
    assert candidates(["(?:board){e<=1}"], "the bord met").patterns_rest is not None
    assert candidates(["[[:alpha:]]+ board", "x{2,}"], "an audit board, xx").patterns == [16]


def test_the_scan_treats_as_white_space_what_regex_does():
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    assert "".join(regex.findall(r"\s", every)) == prefilter.WHITE_SPACE
    # Every non-ASCII character `regex` matches with an ASCII letter without case is scanned as that letter.
    for letter in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        for m in regex.finditer(letter, every[128:], regex.IGNORECASE):
            assert prefilter.scan_bytes(m.group()) == letter.lower().encode(), hex(ord(m.group()))
    assert prefilter.scan_bytes("a\u00a0b\u2003c\u0130\u0131\u212a\u017f\u00e9\n") == b"a b ciiks? "


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
    return pack, prefilter.Scanner(pack.vocabularies).ready()  # compiled before any time budget starts


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
def test_a_pattern_the_scan_cannot_look_for_is_scanned_alone_and_the_rest_at_candidates():
    vocab = {"v": Vocabulary("v", ("board", r"\p{Lu}\w+ forum", "audit committee"), exclude=(r"\p{Lu}\w+ board",))}
    scanner = prefilter.Scanner(vocab)
    text = "The board met. A risk forum, the Cyber forum and our Audit Committee. Outside board."
    cands = scanner.scan(text, 0, len(text))(vocab["v"])
    assert cands.patterns_rest is not None and cands.exclude_rest is not None
    # the scan's candidates: "board" twice and "audit committee" once, not every word
    assert len(cands.patterns) == 3
    fast, whole = DocumentMatches(scan=scanner.scan), DocumentMatches()
    found = fast.find(vocab["v"], text)
    assert found == whole.find(vocab["v"], text)
    # both boards are excluded ("The board", "Outside board"): the exclusion is scanned whole too
    assert [m.text for m in found] == ["risk forum", "Cyber forum", "Audit Committee"]


@needs_hyperscan
def test_a_word_is_not_looked_for_inside_another():
    vocab = {"v": Vocabulary("v", ("he", "in ", "-based", "it"))}
    text = "The other within; he is in the cloud-based security; it - based"
    cands = prefilter.Scanner(vocab).scan(text, 0, len(text))(vocab["v"])
    # nor "in " before a word: a vocabulary's pattern ends before a non-word character
    assert [text[p:p + 3] for p in cands.patterns] == ["he ", "it "]


@needs_hyperscan
def test_an_expression_hyperscan_refuses_leaves_its_vocabularies_scanned_whole():
    vocab = {"a": Vocabulary("a", ("board",)), "b": Vocabulary("b", ("audit committee", "ciso"))}
    scanner = prefilter.Scanner(vocab)
    refused = scanner._expressions.index(prefilter.expression("ciso"))
    scanner._expressions[refused] = "(unbalanced"
    text = "Our CISO reports to the audit committee and the board."
    lookup = scanner.scan(text, 0, len(text))
    assert lookup(vocab["a"]).patterns == [48]
    assert lookup(vocab["b"]).patterns is None  # "b" holds the refused expression: scanned whole
    fast = DocumentMatches(scan=scanner.scan)
    assert [m.text for m in fast.find(vocab["b"], text)] == ["CISO", "audit committee"]


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
def test_a_pattern_is_tried_only_where_its_later_words_follow():
    pack, scanner = sk106()
    vocab = pack.vocabularies["vendor_oversight_phrase"]  # "(vendors?|...) (\\w+\\s+){0,6}(are|is|...) ..."
    text = "Our vendor list is long. Each vendor signs a contract with us. The vendor pays its suppliers on time."
    fast = DocumentMatches(scan=scanner.scan)
    assert fast.find(vocab, text) == [] and fast.match_calls == 0  # three "vendor"s, no attempt
    text += " Our vendors are required to complete security questionnaires."
    fast = DocumentMatches(scan=scanner.scan)
    # (the duty's verb is one of the pattern's last words too, and the greedy gap reaches it)
    assert [m.text for m in fast.find(vocab, text)] == ["vendors are required to complete"] and fast.match_calls == 1


@needs_hyperscan
def test_a_runaway_pattern_is_not_run_where_the_scan_shows_it_cannot_match():
    # "(a+)+$" backtracks for ever on a run of a's followed by "b"; the scan needs the run to end before a
    # non-word character (the vocabulary's patterns end there), so the pattern is never tried here.
    vocab = {"evil": Vocabulary("evil", ("(a+)+$",))}
    text = "a" * 40_000 + "b\n"
    fast = DocumentMatches(0.2, scan=prefilter.Scanner(vocab).ready().scan)
    assert fast.find(vocab["evil"], text) == [] and fast.match_calls == 0
    with pytest.raises(PatternTimeout):  # scanned whole, it runs out of time
        DocumentMatches(0.2).find(vocab["evil"], text)


@needs_hyperscan
def test_a_pickled_scanner_keeps_its_database_or_compiles_it_again():
    import pickle

    pack, scanner = sk106()
    text = "Our CISO reports to the Audit Committee of the Board on third-party vendors."
    want = [DocumentMatches(scan=scanner.scan).find(v, text) for v in pack.vocabularies.values()]
    copy = pickle.loads(pickle.dumps(scanner))
    assert "_db_bytes" in copy.__dict__
    broken = pickle.loads(pickle.dumps(scanner))
    broken._db_bytes = [b"not a database"] * len(broken._tiers)
    for s in (copy, broken):
        assert [DocumentMatches(scan=s.scan).find(v, text) for v in pack.vocabularies.values()] == want


@needs_hyperscan
def test_the_vocabularies_read_first_have_their_own_scan_and_the_rest_are_scanned_on_demand():
    vocab = {"a": Vocabulary("a", ("board",)), "b": Vocabulary("b", ("audit committee",), exclude=("audit firm",)),
             "c": Vocabulary("c", ("ciso",))}
    vocab["ab"] = Vocabulary("ab", ("oversees",), includes=(vocab["b"],))
    scanner = prefilter.Scanner(vocab, first=["a", "ab"]).ready()
    expr = {name: scanner._plans[prefilter._key(v)][0][0] for name, v in vocab.items()}
    # "ab" includes "b": its expressions (and its exclusions') are read first too
    assert len(scanner._tiers) == 2 and expr["c"] == scanner._tiers[1]
    assert expr["a"] | expr["ab"] | expr["b"] <= scanner._tiers[0]
    scans: list[int] = []
    scratch = scanner._scratch
    scanner._scratch = lambda tier: scans.append(tier) or scratch(tier)
    text = "Our CISO reports to the audit committee; the board oversees it. The audit firm is not ours."
    lookup = scanner.scan(text, 0, len(text))
    assert lookup(vocab["a"]).patterns == [text.index("board")] and scans == [0]
    assert lookup(vocab["b"]).exclude == [text.index("audit firm")] and scans == [0]
    assert lookup(vocab["c"]).patterns == [text.index("CISO")] and scans == [0, 1]  # the rest: once asked
    fast, whole = DocumentMatches(scan=scanner.scan), DocumentMatches()
    assert [fast.find(v, text) for v in vocab.values()] == [whole.find(v, text) for v in vocab.values()]


@needs_hyperscan
def test_a_check_of_the_shipped_pack_scans_only_what_it_reads_first():
    from checker import Checker
    from checker.model import Document

    checker = Checker()
    pack = checker.pack("sk-106")
    scanner = pack.scanner.ready()
    assert len(scanner._tiers) == 2  # under `combine: learned` the rules the model decides are not read
    scans: list[int] = []
    scratch = scanner._scratch
    scanner._scratch = lambda tier: scans.append(tier) or scratch(tier)
    text = ("Our CISO, who has 20 years of experience, reports quarterly to the Audit Committee, which "
            "oversees cybersecurity risk. We engage third-party assessors to test our controls.")
    report = checker.check_document(Document(text=text, form="10-K", item="1C"), "sk-106")
    assert scans == [0] and any(r.status == "met" for r in report.results)


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
