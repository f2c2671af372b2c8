"""Peer examples: the build from the filer-tagged corpus, the shipped file, and `cydcheck examples` / `peers`."""

from __future__ import annotations

import gzip
import hashlib
import html
import json
from collections import Counter

import pytest
from cli_helpers import run_main
from conftest import shared_path

from checker import peer_examples, peers
from checker.model import CheckerError

CORPUS = ("corpus", "filer-tagged-fy2024.jsonl")


@pytest.fixture(scope="module")
def shipped() -> dict:
    return peer_examples.load()


@pytest.fixture(scope="module")
def sk106(checker):
    return checker.pack("sk-106")


def test_industry_and_size_bands():
    assert [peer_examples.division(s) for s in ("0100", "1311", "3571", "6022", "7372", "9995", "", None, "x")] == \
        ["A", "B", "D", "H", "I", "J", None, None, None]
    assert [peer_examples.size_band(v) for v in ("1000000", 75e6, "699999999", 7e8, 2.5e11, "0", None, "n/a")] == \
        ["micro", "small", "small", "mid", "large", None, None, None]
    assert peer_examples.industry_of("i") == "I" and peer_examples.industry_of("7372") == "I"
    assert peer_examples.industry_of(None) is None
    with pytest.raises(CheckerError, match="SIC division letter"):
        peer_examples.industry_of("software")


def test_usable_drops_hedges_cross_references_and_the_filers_name(sk106):
    good = ("Our Audit Committee oversees cybersecurity risk and receives quarterly reports from our Chief "
            "Information Security Officer on threats, incidents and the maturity of our security program.")
    assert peers.usable(good, sk106, "Example Holdings Inc")
    assert not peers.usable("The Board oversees cybersecurity risk.", sk106)  # under 15 words
    assert not peers.usable(" ".join([good] * 3), sk106)  # over 70 words
    assert not peers.usable(good.replace("Our", "Acmecorp's"), sk106, "ACMECORP INC")
    assert not peers.usable(good.replace("Our", "Acmecorps"), sk106, "ACMECORP INC")  # apostrophe lost
    xref = ("For more on how our Board oversees cybersecurity risk, see Item 1A, Risk Factors, of this "
            "Annual Report on Form 10-K for the year ended December 31, 2024.")
    assert not peers.usable(xref, sk106)
    hedge = ("There can be no assurance that our cybersecurity risk management processes, overseen by our "
             "Board of Directors and Audit Committee, will be fully implemented or effective.")
    assert sk106.vocabularies["hedge"].find(hedge) and not peers.usable(hedge, sk106)


def test_usable_drops_text_the_tagged_copy_split_but_not_enumerations(sk106):
    said = ("To date, the risks from cybersecurity threats have not materially affected and are not reasonably "
            "likely to materially affect us, including our business strategy, results of operations or "
            "financial condition.")
    assert peers.usable(said, sk106)
    assert not peers.usable(said.replace("have not", "have no t"), sk106)  # as in real filers' tagged text
    assert not peers.usable(said.replace("including our", "including o ur"), sk106)
    listed = ("The Audit Committee oversees (i) our cybersecurity program and (ii) the information system(s) "
              "risk assessments, with quarterly reports from a 10-K team and Texas A&M graduates.")
    assert peers.usable(listed, sk106)


def test_candidates_read_entities_left_in_the_tagged_copy(sk106):
    text = ("Item 1C. Cybersecurity\n\nOur Chief Information Security Officer, who reports to our Senior Vice "
            "President of R&amp;D, is responsible for assessing and managing cybersecurity risks and has "
            "over 20 years of experience in information security.")
    record = {"text": text, "form": "10-K", "item": "1C", "company": "Example Holdings Inc",
              "labels": {"mgmt_roles": True, "mgmt_expertise": True}, "source": {"accession": "0000000000-25-000001"}}
    got = peers.record_candidates(record, sk106)
    assert got and all("R&D" in x.text and "&amp;" not in x.text for x in got)


def _slice(tmp_path, n: int):
    lines = shared_path(*CORPUS).read_text(encoding="utf-8").splitlines()[:n]
    path = tmp_path / "slice.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, [json.loads(x) for x in lines]


def test_build_is_deterministic_and_records_its_corpus(tmp_path, monkeypatch, sk106):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    corpus, records = _slice(tmp_path, 24)
    first, second = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    peers.save(peers.build(corpus), first)
    peers.save(peers.build(corpus), second)
    assert first.read_bytes() == second.read_bytes()
    data = peer_examples.load(first)
    assert data["corpus"] == {"name": "slice.jsonl", "records": 24,
                              "sha256": hashlib.sha256(corpus.read_bytes()).hexdigest()}
    assert data["built"] == max(r["filed"] for r in records)
    assert data["examples"]
    for x in data["examples"]:
        record = next(r for r in records if r["source"]["accession"] == x["accession"])
        assert record["labels"][x["element"]] is True  # the filer tagged it
        assert x["text"] in " ".join(html.unescape(record["text"]).split())  # a real sentence of that filing
    # who addresses what is counted from the filers' own tags (labels), not from our rules
    assert data["stats_count"].startswith("filers whose own cyd tags")
    for element in ("risk_process", "mgmt_expertise"):
        tagged = sum(1 for r in records if r["labels"][element] is True)
        assert sum(row[element][0] for row in data["stats"].values()) == tagged
        assert sum(row[element][1] for row in data["stats"].values()) == len(records)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert peers.build_date(records) == "2026-01-01"


def test_build_rejects_a_bad_corpus_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x"}\n{"text": \n', encoding="utf-8")
    with pytest.raises(CheckerError, match="bad.jsonl:2"):
        peers.build(bad)


def test_shipped_examples_pass_their_own_rule_and_no_veto(shipped, sk106):
    assert shipped["pack"]["id"] == "sk-106"
    for x in shipped["examples"]:
        assert peers.usable(x["text"], sk106, x["company"]), x["text"]
        assert peers.accepted_alone(x["text"], x["rule"], sk106, x["form"]), (x["rule"], x["text"])
        assert x["company"] and x["accession"] and x["form"] in ("10-K", "20-F", "10-K/A", "20-F/A")


# A real filer's sentence the ERM rule accepts on "risk management program", though it is about vendors.
VENDOR_PROGRAMME = ("As part of our vendor risk management program, we conduct security assessments prior to "
                    "engagement of high-risk vendors and other third-party providers and have a monitoring "
                    "program to evaluate ongoing compliance with our cybersecurity standards.")
ERM_SAID = ("Our internal audit function also conducts regular assessments of different systems to provide "
            "the audit committee with information on our cybersecurity risk management processes, which "
            "processes are integrated into our overall enterprise risk management program.")


RISK_AREAS = ("The Enterprise Risk Management program evaluates risk areas including, but not limited to, "
              "operational risk, intellectual property theft, fraud, harm to employees, patients, or third "
              "parties, and violation of privacy or security-related laws or regulations.")


def test_an_example_needs_the_rule_alone_and_the_model_to_agree(sk106):
    from checker import engine
    rule = next(r for r in sk106.rules if r.element == "erm_integration")
    doc = peers._section_document(VENDOR_PROGRAMME, "10-K", "1C")
    assert engine.evaluate_rule(rule, engine.prepare(peers.rules_only(sk106), doc)).status == "met"
    assert not peers.model_agrees(VENDOR_PROGRAMME, "erm_integration", sk106)
    assert not peers.accepted_alone(VENDOR_PROGRAMME, rule.id, sk106, "10-K")
    assert peers.accepted_alone(ERM_SAID, rule.id, sk106, "10-K")
    # above the element's threshold is not enough to be shown: a list of risk areas ending in "privacy or
    # security-related laws" (a real filer's, shown under the deficient sample's ERM gap until then)
    model = sk106.learned.model
    score = model.score_text("erm_integration", RISK_AREAS).score
    assert model.threshold("erm_integration") <= score < peers.MIN_MODEL_SCORE
    assert engine.evaluate_rule(rule, engine.prepare(peers.rules_only(sk106),
                                peers._section_document(RISK_AREAS, "10-K", "1C"))).status == "met"
    assert not peers.accepted_alone(RISK_AREAS, rule.id, sk106, "10-K")
    assert peers.rules_only(sk106).learned is None and sk106.learned is not None  # the pack itself untouched


# Real filers' sentences: one prong of Item 106(b)(2) (partial alone), and both prongs (met alone).
ONE_PRONG = ("We have not identified risks from known cybersecurity threats, including as a result of any prior "
             "cybersecurity incidents, that have materially affected us, including our operations, business "
             "strategy, results of operations, or financial condition.")
BOTH_PRONGS = ("As of the date of this report, the Company is not aware of any cybersecurity risks that have, or "
               "are reasonably likely to, materially affect us, our business strategy, results of operation, or "
               "financial condition.")


def test_an_example_answers_every_part_of_its_rule(sk106):
    from checker import engine
    rule = sk106.rule("SK106-B2-MATERIAL-EFFECT")
    doc = peers._section_document(ONE_PRONG, "10-K", "1C")
    assert engine.evaluate_rule(rule, engine.prepare(peers.rules_only(sk106), doc)).status == "partial"
    assert not peers.accepted_alone(ONE_PRONG, rule.id, sk106, "10-K")
    assert peers.accepted_alone(BOTH_PRONGS, rule.id, sk106, "10-K")


# Real filers' sentences about assessing their providers (oversight of providers), and about engaging
# assessors: the first kind is not how peers say that they use assessors.
VENDORS_ASSESSED = (
    "As part of our vendor risk management program, we conduct security assessments prior to engagement of "
    "high-risk vendors and other third-party providers and have a monitoring program to evaluate ongoing "
    "compliance with our cybersecurity standards.",
    "The Company conducts security assessments of certain third-party providers before engagement and has "
    "established monitoring procedures in its effort to mitigate risks related to data breaches.",
    "Our cybersecurity team evaluates the risk profile of new third-party service providers and maintains "
    "communication channels with key third-party service providers.",
)
ASSESSORS_ENGAGED = (
    "We engage third-party consultants and assessors to evaluate the effectiveness of our security program.",
    "The Manager contracts with a qualified third party to perform annual assessments of the Company's "
    "cybersecurity risk management program and to perform cybersecurity penetration testing.",
)


def test_providers_the_company_assesses_are_not_peer_examples_of_assessors(sk106, shipped):
    assessed = sk106.vocabularies["vendors_assessed"]
    assert all(assessed.find(t) for t in VENDORS_ASSESSED)
    assert not any(assessed.find(t) for t in ASSESSORS_ENGAGED)
    rule = sk106.rule("SK106-B1II-ASSESSORS")
    assert not any(peers.accepted_alone(t, rule.id, sk106, "10-K") for t in VENDORS_ASSESSED)
    assert peers.accepted_alone(ASSESSORS_ENGAGED[0], rule.id, sk106, "10-K")
    shown = [x["text"] for x in shipped["examples"] if x["element"] == "third_party_assessors"]
    assert len(shown) > 100 and not [t for t in shown if assessed.find(t)]


def test_shipped_file_covers_every_element_and_large_division(shipped, sk106):
    per_element = Counter(x["element"] for x in shipped["examples"])
    elements = {r.element for r in sk106.rules if r.element}
    assert set(per_element) == elements
    assert min(per_element.values()) >= 30, per_element
    filers = Counter()
    for key, row in shipped["stats"].items():
        filers[key.split("/")[0]] += max(total for _, total in row.values())
    for letter, count in filers.items():
        if letter == "-" or count < 50:
            continue
        for element in elements:
            got = sum(1 for x in shipped["examples"] if x["element"] == element and x["industry"] == letter)
            assert got >= 3, (letter, element, got)
    assert peer_examples.DATA_FILE.stat().st_size < 3 * 1024 * 1024


def test_shipped_file_comes_from_the_shared_corpus(shipped):
    corpus = shared_path(*CORPUS)
    assert shipped["corpus"]["sha256"] == hashlib.sha256(corpus.read_bytes()).hexdigest()
    assert shipped["stats"] == peers.tag_stats(peers.read_corpus(corpus))  # the filers' tags, all of them
    raw = gzip.decompress(peer_examples.DATA_FILE.read_bytes())
    assert raw == json.dumps(shipped, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def test_choose_prefers_the_same_industry_and_size(shipped):
    chosen = peer_examples.choose(shipped, "board_oversight", "I", "mid", n=3)
    assert len(chosen) == 3 and all((x.industry, x.size) == ("I", "mid") for x in chosen)
    assert peer_examples.choose(shipped, "board_oversight", n=5) == \
        peer_examples.choose(shipped, "board_oversight", n=5)


def test_examples_command_prints_sentences_with_sources(capsys, monkeypatch, shipped):
    monkeypatch.delenv("COLUMNS", raising=False)  # as in a pipe: each source on one line (pytest-xdist sets 80)
    code, out, err = run_main(capsys, "examples", "mgmt_expertise", "--industry", "7372", "--size", "large",
                              "--n", "3")
    assert code == 0, err
    quotes = [line for line in out.splitlines() if line.startswith("“")]
    sources = [line for line in out.splitlines() if line.startswith("  — ")]
    assert len(quotes) == len(sources) == 3
    assert all("accession 0" in s and "Services, large" in s for s in sources)
    code, out, _ = run_main(capsys, "examples", "mgmt_expertise", "--n", "2", "--format", "json")
    data = json.loads(out)
    assert code == 0 and len(data) == 2 and {"company", "form", "fiscal_year", "accession"} <= set(data[0])
    code, _, err = run_main(capsys, "examples", "board_vibes")
    assert code == 2 and "no examples for element 'board_vibes'" in err


def test_examples_fit_a_40_column_terminal(capsys, monkeypatch, shipped):
    """COLUMNS=40 (a braille display): the sentences were wrapped at 100 and their sources not at all, so the
    terminal broke each line mid-word."""
    monkeypatch.setenv("COLUMNS", "40")
    code, out, _ = run_main(capsys, "examples", "mgmt_expertise", "--n", "3")
    assert code == 0
    assert all(len(line) <= 40 for line in out.splitlines() if " " in line.strip())
    assert out.count("  — ") == 3


def test_peers_stats_gives_the_share_that_address_each_element(capsys, shipped):
    code, out, err = run_main(capsys, "peers", "stats", "--industry", "I", "--size", "mid", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)["elements"]
    expected = peer_examples.share(shipped, "I", "mid")
    assert {e: (r["addressed"], r["peers"]) for e, r in rows.items()} == expected
    assert all(0 <= r["share"] <= 1 for r in rows.values()) and min(r["peers"] for r in rows.values()) >= 10
    assert json.loads(out)["counts"] == shipped["stats_count"]
    code, out, _ = run_main(capsys, "peers", "stats", "--industry", "I")
    assert code == 0 and out.startswith("Peers: Services, any size") and "%  mgmt_roles" in out
    assert "Share of filers whose own cyd tags (the corpus labels) mark the element:" in out
    code, _, err = run_main(capsys, "peers", "stats", "--industry", "Z")
    assert code == 2 and err.count("\n") == 1


def test_missing_data_file_is_a_one_line_error(capsys, tmp_path):
    code, _, err = run_main(capsys, "examples", "board_oversight", "--data", str(tmp_path / "none.json.gz"))
    assert code == 2 and "peers build" in err


def test_examples_takes_the_rule_id_a_report_shows_and_suggests_a_near_element(capsys) -> None:
    """A trainee copying SK106-C2I-EXPERTISE from a gap report into `cydcheck examples` was told there were no
    examples for it, and 'mgmt_expertize' got the same answer with no hint; an 8-K element got a list of
    10-K elements with no word on why."""
    code, by_rule, err = run_main(capsys, "examples", "SK106-C2I-EXPERTISE", "--n", "2")
    assert code == 0, err
    _, by_element, _ = run_main(capsys, "examples", "mgmt_expertise", "--n", "2")
    assert by_rule == by_element and by_rule.count("— ") == 2
    code, _, err = run_main(capsys, "examples", "mgmt_expertize")
    assert code == 2 and "did you mean mgmt_expertise?" in err
    code, _, err = run_main(capsys, "examples", "incident_nature")
    assert code == 2 and "cover the Item 106 elements" in err and "cydcheck explain incident_nature" in err


def test_peers_build_writes_into_an_installed_package_only_when_told(capsys, tmp_path, monkeypatch):
    # from a wheel, `peers build CORPUS` overwrote site-packages/checker/data/peer-examples.json.gz, a file
    # the package manager owns (its RECORD hash then wrong); a checkout's shipped file is still the default
    from checker.cli import peers as peers_cli

    shipped = tmp_path / "site-packages" / "checker" / "data" / "peer-examples.json.gz"
    (shipped.parent / "rules").mkdir(parents=True)
    shipped.write_bytes(b"as installed")
    monkeypatch.setattr(peers_cli.peers, "DATA_FILE", shipped)
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("", encoding="utf-8")
    code, _, err = run_main(capsys, "peers", "build", str(corpus))
    assert code == 2 and err.count("\n") == 1 and "-o" in err and str(shipped) in err
    assert shipped.read_bytes() == b"as installed"
