"""Peer examples under each gap ("How peers say it"): chosen before rendering, shown by text, JSON, HTML and
Markdown, turned off by --no-examples, the config or check(examples=False), escaped like any input text."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from cli_helpers import run_main
from lxml import html as lxml_html

import checker
from checker import peer_examples
from checker.model import Document, Report
from checker.report import render

ROOT = Path(__file__).resolve().parent.parent
DEFICIENT = ROOT / "samples" / "draft-10k-1c-deficient.md"
SCHEMA = json.loads((ROOT / "checker" / "schemas" / "report.schema.json").read_text())
SOURCE = re.compile(r"^(?P<company>.+), (?P<form>10-K|20-F)(?:/A)? FY(?P<year>\d{4}), accession "
                    r"(?P<accession>\d{10}-\d{2}-\d{6})$")


@pytest.fixture(scope="module")
def deficient() -> Report:
    return checker.check(DEFICIENT.read_text(encoding="utf-8"), source=str(DEFICIENT))


def _gaps(report: Report):
    return [r for r in report.results if r.is_gap]


def test_every_gap_of_the_deficient_draft_gets_three_examples_and_met_ones_none(deficient):
    gaps = _gaps(deficient)
    assert len(gaps) == 7
    shipped = {(x["accession"], x["text"]) for x in peer_examples.load()["examples"]}
    for r in deficient.results:
        if not r.is_gap:
            assert r.peer_examples == [], r.rule
            continue
        assert len(r.peer_examples) == 3, r.rule
        for x in r.peer_examples:
            assert x["element"] == r.element and (x["accession"], x["text"]) in shipped
            assert SOURCE.match(peer_examples.source_of(x)), x
    texts = [x["text"] for r in gaps for x in r.peer_examples]
    assert len(texts) == len(set(texts))  # a sentence tagged for two elements is shown once per report
    companies = [{x["company"] for x in r.peer_examples} for r in gaps]
    assert all(len(c) == 3 for c in companies)  # three filers, not one filer three times


def test_the_choice_is_deterministic_and_prefers_the_documents_form(deficient):
    again = checker.check(DEFICIENT.read_text(encoding="utf-8"), source=str(DEFICIENT))
    assert [r.peer_examples for r in again.results] == [r.peer_examples for r in deficient.results]
    assert all(x["form"] == "10-K" for r in _gaps(deficient) for x in r.peer_examples)


def test_check_without_examples_and_nothing_on_waived_or_tag_findings(deficient):
    plain = checker.check(DEFICIENT.read_text(encoding="utf-8"), examples=False)
    assert not any(r.peer_examples for r in plain.results)
    assert "peer_examples" not in json.dumps(plain.to_dict())
    plain.results[1].waived = {"reason": "accepted"} if plain.results[1].is_gap else None
    tags = Report(plain.document, "cyd-tags", "1", "tags", [r for r in plain.results])
    peer_examples.attach([tags])
    assert not any(r.peer_examples for r in tags.results)
    peer_examples.attach([plain])
    assert all(bool(r.peer_examples) == (r.is_gap and r.waived is None) for r in plain.results)


def test_a_records_industry_and_size_choose_its_peers(tmp_path):
    record = {"id": "r1", "form": "10-K", "item": "1C", "sic": "7372", "pubfloatusd": "25000000000",
              "text": DEFICIENT.read_text(encoding="utf-8")}
    path = tmp_path / "draft.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    report = checker.Checker().check_path(str(path), "sk-106")[0]
    assert peer_examples.peer_group(report.document) == ("I", "large")
    peer_examples.attach([report])
    lib = peer_examples.shipped()
    for r in _gaps(report):
        same = [(x["industry"], x["size"]) == ("I", "large") for x in r.peer_examples]
        assert same == sorted(same, reverse=True), r.rule  # the document's own peers first
        elsewhere = {x["text"] for g in _gaps(report) if g is not r for x in g.peer_examples}  # shown once
        available = {x.company for x in lib.examples(r.element)
                     if (x.industry, x.size) == ("I", "large") and x.text not in elsewhere}
        assert sum(same) >= min(len(r.peer_examples), len(available)), r.rule  # one per company while they last
    assert sum((x["industry"], x["size"]) == ("I", "large") for r in _gaps(report) for x in r.peer_examples) >= 15
    # the command line names another industry and size: those win
    peer_examples.attach([report], industry="H", size="small")
    assert all((x["industry"], x["size"]) == ("H", "small") for r in _gaps(report) for x in r.peer_examples)


def test_a_filings_cover_page_gives_its_public_float():
    cover = ('<html xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"><body><p>Item 1C. Cybersecurity</p>'
             '<ix:nonFraction name="dei:EntityPublicFloat" unitRef="usd" contextRef="c1" scale="9" '
             'decimals="-8">206.5</ix:nonFraction>'
             '<ix:nonFraction name="dei:EntityPublicFloat" unitRef="usd" contextRef="c2" scale="6" '
             'format="ixt:num-comma-decimal">1.250,5</ix:nonFraction></body></html>')
    from checker.ingest import html

    doc = html.read(cover.encode("utf-8"), "cover.htm")[0]
    assert doc.metadata["public_float"] == "206500000000"
    assert peer_examples.peer_group(doc) == (None, "large")
    hostile = cover.replace('scale="9"', 'scale="99999999999"').replace('scale="6"', 'scale="x"')
    assert "public_float" not in html.read(hostile.encode("utf-8"), "cover.htm")[0].metadata  # not computed


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    return run_main(capsys, "check", str(DEFICIENT), *args)


def test_text_report_shows_three_examples_with_sources_under_each_gap(capsys):
    code, out, _ = _cli(capsys)
    assert code == 1
    blocks = out.split("How peers say it:")[1:]
    assert len(blocks) == 7
    for block in blocks:
        block = block.split("\n  MET ")[0].split("\n  MISSING ")[0].split("\n  PARTIAL ")[0]
        quotes = re.findall(r"“[^”]+”", block)
        sources = [" ".join(s.split()) for s in re.findall(r"— ([^—“]+?accession\s+[\d-]+)", block)]
        assert len(quotes) == 3 and len(sources) == 3, block
        assert all(SOURCE.match(s) for s in sources), sources
    # under the guidance ("fix: ..."), not before it
    gap = out.split("SK106-B1I-ERM")[1]
    assert gap.index("fix: ") < gap.index("How peers say it:")
    code, out, _ = _cli(capsys, "--no-examples")
    assert code == 1 and "How peers" not in out
    code, out, _ = _cli(capsys, "--quiet")
    assert code == 1 and "How peers" not in out  # the terse view for hooks stays terse


def test_html_report_shows_three_examples_with_sources_under_each_gap(capsys, tmp_path):
    code, out, err = _cli(capsys, "--format", "html")
    assert code == 1, err
    page = lxml_html.fromstring(out)
    gap_rows = page.xpath("//tr[@data-status='missing' or @data-status='partial']")
    assert len(gap_rows) == 7
    for row in gap_rows:
        block = row.xpath(".//div[@class='peers']")
        assert len(block) == 1 and block[0].xpath("./p")[0].text_content() == "How peers say it"
        guidance = row.xpath(".//div[@class='guidance']")[0]
        assert guidance.getnext() is block[0]  # right under the guidance
        figures = block[0].xpath("./figure[@class='peer']")
        assert len(figures) == 3
        for f in figures:
            assert f.xpath("./blockquote")[0].text_content().startswith("“")
            assert SOURCE.match(f.xpath("./figcaption")[0].text_content())
    assert not page.xpath("//tr[@data-status='met']//div[@class='peers']")
    code, out, _ = _cli(capsys, "--format", "html", "--no-examples")
    assert 'class="peers"' not in out


def test_markdown_report_shows_three_examples_with_sources_under_each_gap(capsys):
    code, out, _ = _cli(capsys, "--format", "markdown")
    assert code == 1
    section = out.split("<summary>How peers say it")[1].split("</details>")[0]
    gaps = re.split(r"^\*\*", section, flags=re.M)[1:]
    assert len(gaps) == 7
    for gap in gaps:
        examples = re.findall(r"^- “(.+)”  \n  — (.+)$", gap, flags=re.M)
        assert len(examples) == 3, gap
        assert all(SOURCE.match(source.replace("\\", "")) for _, source in examples)
    code, out, _ = _cli(capsys, "--format", "markdown", "--no-examples")
    assert "How peers" not in out


def test_json_carries_the_examples_as_data_and_validates(capsys):
    code, out, _ = _cli(capsys, "--format", "json")
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    for r in data["results"]:
        assert len(r.get("peer_examples", [])) == (3 if r["status"] in ("missing", "partial") else 0)
    code, out, _ = _cli(capsys, "--format", "json", "--no-examples")
    assert "peer_examples" not in out


def test_config_turns_them_off_and_the_flag_turns_them_back_on(capsys, tmp_path, monkeypatch):
    (tmp_path / ".cydcheck.yaml").write_text("examples: false\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = _cli(capsys)
    assert code == 1 and "How peers" not in out
    code, out, _ = _cli(capsys, "--examples")
    assert out.count("How peers say it:") == 7


def test_gate_formats_carry_no_examples_and_do_not_read_the_data_file(capsys):
    peer_examples._cached.cache_clear()
    outputs = {}
    for fmt in ("sarif", "junit", "github"):
        code, outputs[fmt], _ = _cli(capsys, "--format", fmt)
        assert code == 1
    assert peer_examples._cached.cache_info().misses == 0  # not loaded for outputs that do not show them
    for fmt, out in outputs.items():
        assert "accession" not in out, fmt
    _cli(capsys, "--no-examples")
    assert peer_examples._cached.cache_info().misses == 0
    _cli(capsys)
    _cli(capsys, "--format", "json")
    assert peer_examples._cached.cache_info().misses == 1  # read once per process, then kept


def test_a_bad_industry_is_a_one_line_usage_error(capsys):
    code, _, err = _cli(capsys, "--peer-industry", "software")
    assert code == 2 and err.count("\n") == 1 and "SIC division letter" in err


HOSTILE = ("Our <script>alert(1)</script> board | oversees ![x](http://e.example/p.png) @team "
           "cyber\x1b]8;;http://e.example\x1b\\risk\x1b[31m with **bold** and `code` reports to the CISO.")


def test_corpus_text_is_escaped_like_any_input(deficient):
    hostile = {"text": HOSTILE, "company": "EVIL <b>CORP</b> | @owner", "form": "10-K", "fiscal_year": 2024,
               "accession": "0000000000-25-000001", "industry": None, "size": None}
    lib = peer_examples.Library("sk-106", {r.element: [{**r.peer_examples[0], **hostile}]
                                           for r in _gaps(deficient)})
    report = checker.check(DEFICIENT.read_text(encoding="utf-8"), examples=False)
    peer_examples.attach([report], lib)
    text = render([report], "text")
    assert "\x1b" not in text and "How peers say it:" in text
    page = render([report], "html")
    assert "<script>alert" not in page and "<b>CORP</b>" not in page and "&lt;script&gt;" in page
    md = render([report], "markdown")
    assert "<script>" not in md and "<b>" not in md and "![x](" not in md and "@owner" not in md
    assert "EVIL &lt;b&gt;CORP&lt;/b&gt; \\| &#64;owner" in md  # the markdown filter, as for the input's text


def test_version_does_not_import_the_peer_examples():
    probe = ("import sys\nfrom checker.cli import cli\ntry:\n cli.main(args=['--version'], standalone_mode=False)\n"
             "except SystemExit:\n pass\nprint('checker.peer_examples' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_library_attach_on_a_plain_document_falls_back_to_all_peers():
    doc = Document(text="Item 1C. Cybersecurity\n\nWe have a program.", source="<t>")
    assert peer_examples.peer_group(doc) == (None, None)
    report = checker.check(doc.text)
    assert all(len(r.peer_examples) == 3 for r in _gaps(report))


def test_a_partial_finding_gets_examples_too():
    from dataclasses import replace

    report = checker.check(DEFICIENT.read_text(encoding="utf-8"), examples=False)
    met = next(r for r in report.results if r.status == "met" and r.element)
    report.results = [replace(met, status="partial", missing_parts=["frequency"])]
    peer_examples.attach([report])
    assert [x["element"] for x in report.results[0].peer_examples] == [met.element] * 3
    assert "How peers say it:" in render([report], "text")


def _choose_by_sorting(lib, element, industry, size, n, form, avoid):
    """The choice as first written: filter, sort the whole pool by peer rank, then one per company."""
    family = (form or "").upper().split("/")[0]

    def rank(x):
        peer = (0 if industry and x.industry == industry else 2) + (0 if size and x.size == size else 1)
        return peer, int(bool(family) and x.form.upper().split("/")[0] != family)

    firsts, seconds, seen = [], [], set()
    for x in sorted((x for x in lib.examples(element) if x.text not in avoid), key=rank):
        if len(firsts) >= n:
            break
        (seconds if x.company in seen else firsts).append(x)
        seen.add(x.company)
    return (firsts + seconds)[:n]


def test_the_kept_peer_group_order_chooses_what_sorting_each_time_chose():
    lib = peer_examples.library(peer_examples.load())  # a fresh library: nothing kept yet
    elements = sorted(lib.raw)[:6]
    groups = [(None, None, None), ("D", "large", "10-K"), ("H", None, "20-F"), (None, "micro", "10-K/A"),
              ("I", "small", None)]
    for element in elements:
        first = [x.text for x in lib.examples(element)[:2]]
        for industry, size, form in groups:
            for avoid in ((), first):
                for n in (3, 12):
                    want = _choose_by_sorting(lib, element, industry, size, n, form, avoid)
                    assert peer_examples.choose(lib, element, industry, size, n, form, avoid) == want
    assert len(lib._ranked) == len(elements) * len(groups)  # one order per group, then reused
    example = lib.examples(elements[0])[0]
    assert example.to_dict() == dataclasses.asdict(example)
    assert list(example.to_dict()) == [f.name for f in dataclasses.fields(example)]


def test_examples_for_a_20f_show_20f_peers_first(capsys):
    """`cydcheck examples board_informed` mixed 10-K filers in for a 20-F filer's head of reporting, with no
    way to ask for 20-F peers: --form 20-F puts them first, as a 20-F's gap report does."""
    code, out, _ = run_main(capsys, "examples", "board_informed", "--form", "20-f", "--n", "3", "-f", "json")
    assert code == 0
    assert [x["form"].split("/")[0] for x in json.loads(out)] == ["20-F"] * 3
