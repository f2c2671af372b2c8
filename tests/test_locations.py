"""Locations a reviewer can find: each quoted sentence is at the reported page, paragraph and line/column."""

from __future__ import annotations

import html as html_lib
import itertools
import json
import re
from pathlib import Path

import pytest
from cli_helpers import run_main
from conftest import FIXTURES, SHARED
from hypothesis import given
from hypothesis import strategies as st

from checker import Checker
from checker.ingest import docx
from checker.model import Location
from checker.segment import paragraphs

_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[A-Za-z0-9]+")
_BREAK = re.compile(r"page-break-(?:before|after)\s*:\s*always|break-(?:before|after)\s*:\s*page", re.I)
CUTS = [FIXTURES / "ingest" / n for n in ("abbv-2024-10k-cut.html", "mcd-2023-10k-cut.htm",
                                          "nucor-2025-8ka-105.html")]
CUTS += [FIXTURES / "xbrl" / n for n in ("meta-10k-2024-item1c.html", "carecloud-8k-2026-item105.html",
                                         "unfi-8k-2025-item105.html")]


def _visible(raw: str) -> str:
    return " ".join(html_lib.unescape(_TAG.sub(" ", raw)).split())


def _raw_offset(raw: str, line: int, column: int) -> int:
    starts = [0] + [m.end() for m in re.finditer("\n", raw)]
    return starts[line - 1] + column - 1


def check_locations(path: Path, checker: Checker) -> int:
    """Every evidence sentence of the report is where its location says; returns how many were checked."""
    raw = path.read_bytes().decode("utf-8", errors="replace").replace("\r\n", "\n")
    breaks = [m.start() for m in _BREAK.finditer(raw)]
    checked = 0
    for report in checker.check_path(str(path)):
        doc = report.document
        start, end = doc.span
        paras = paragraphs(doc.text, start, end)
        for result in report.results:
            for e in result.evidence:
                loc = e.location
                assert isinstance(loc, Location) and loc.style == "page"
                # Line and column: the raw file, from there on, shows the sentence's words first.
                assert loc.column is not None, (path.name, e.text)
                at = _raw_offset(raw, loc.line, loc.column)
                words = _WORD.findall(e.text)[:8]
                shown = "".join(_WORD.findall(html_lib.unescape(_TAG.sub("", raw[at:at + 8000]))))
                # The first words start right there; the rest follow in order (a sentence that runs on
                # over a page break has the page's footer between its words).
                assert shown.startswith("".join(words[:4])), (path.name, loc, e.text[:80])
                assert re.match(".{0,200}?".join(map(re.escape, words)), shown), (path.name, loc, e.text[:80])
                # Page: the printed number stands at the top or the foot of the page holding it.
                if loc.page and not loc.page.startswith("["):
                    before = max((b for b in breaks if b <= at), default=0)
                    after = min((b for b in breaks if b > at), default=len(raw))
                    page = _visible(raw[before:after])
                    assert re.search(rf"(?<!\w){re.escape(loc.page)}(?!\w)", page[:400] + " " + page[-400:]), (
                        path.name, loc.page, page[-300:])
                # Paragraph and heading: counted from the nearest sub-heading above (or the section's start), the
                # N-th paragraph holds the sentence, and the heading is above it.
                body = [p for p in paras if not (p.is_heading and _is_title(doc.text[p.start:p.end]))]
                holder = next(p for p in paras if p.start <= e.start <= p.end)
                if holder in body:
                    above = reversed(paras[:paras.index(holder) + 1])
                    run = list(itertools.takewhile(body.__contains__, above))
                    assert len(run) == loc.paragraph, (path.name, loc, e.text[:60])
                else:  # a quote from a heading is located by that heading
                    assert loc.paragraph is None and doc.text[holder.start:holder.end].startswith(
                        (loc.heading or "").rstrip("…")) or holder.start == doc.section.start
                if loc.heading:
                    assert loc.heading.rstrip("…") in " ".join(doc.text[start:holder.end].split())
                if loc.fact:
                    fact = next(f for f in doc.facts if f.fact_id == loc.fact_id)
                    assert fact.concept == loc.fact and fact.start <= e.start < fact.end
                checked += 1
    return checked


def _is_title(text: str) -> bool:
    first = text.lstrip("*#_ \t")[:1]
    return first.isalpha() and first.isupper()


@pytest.mark.parametrize("path", CUTS, ids=lambda p: p.name)
def test_evidence_is_at_its_reported_place_in_fixture_filings(checker, path):
    assert check_locations(path, checker) > 0


def _shared_filings() -> list[str]:
    folder = SHARED / "fullfilings"
    return sorted(p.name for p in folder.glob("*.htm*")) if folder.is_dir() else ["(none)"]


@pytest.mark.parametrize("name", _shared_filings())
def test_evidence_is_at_its_reported_place_in_every_whole_filing(checker, name):
    path = SHARED / "fullfilings" / name
    if not path.exists():
        pytest.skip("../shared/fullfilings not available")
    report = checker.check_path(str(path))[0]
    if report.results and report.results[0].status == "not_yet_required":
        return
    quoted = sum(len(r.evidence) for r in report.results)
    assert check_locations(path, checker) == quoted


def test_text_shows_page_heading_and_paragraph_and_sarif_points_into_the_raw_file(capsys):
    path = FIXTURES / "ingest" / "mcd-2023-10k-cut.htm"  # one partial finding, with evidence
    _, out, _ = run_main(capsys, "check", str(path), "--format", "sarif")
    raw = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    results = json.loads(out)["runs"][0]["results"]
    regions = [loc["physicalLocation"]["region"] for res in results
               for loc in res["locations"] + res.get("relatedLocations", [])]
    assert regions
    for region in regions:
        line = raw[region["startLine"] - 1]
        assert 1 <= region["startColumn"] <= len(line)
        if "snippet" in region and region["snippet"]["text"][:1].isalpha():
            assert line[region["startColumn"] - 1:].startswith(region["snippet"]["text"][:2])
    _, out, _ = run_main(capsys, "check", str(path))
    assert re.search(r'\n +p\. \d+, [A-Z][^\n]*, para\. \d+: "', out), out


def test_word_draft_locations_read_as_word_shows_them():
    from test_ingest import _para, _run, make_docx

    raw = make_docx([_para(_run(t)) for t in (
        "Item 1C. Cybersecurity", "Governance",
        "Our Board of Directors oversees cybersecurity risk through its Audit Committee.",
        "Our Chief Information Security Officer reports to the Audit Committee each quarter.")])
    doc = docx.read(raw, "draft.docx")[0]
    report = Checker().check_document(doc, "sk-106")
    places = {e.where for r in report.results for e in r.evidence}
    assert places and places <= {"Governance, para. 1", "Governance, para. 2"}


def test_the_section_heading_of_a_word_draft_or_a_pdf_is_never_placed_by_a_line():
    """A gap sits on the section's heading: in a Word draft its paragraph of the document, as the file counts them
    (Word's status bar "Line" is a line of the page: "line 9" would send the reviewer elsewhere)."""
    from test_ingest import _para, _run, make_docx

    raw = make_docx([_para(_run(t)) for t in (
        "Annual Report", "Item 1. Business", "We make widgets.", "Item 1C. Cybersecurity", "Governance",
        "Our Board of Directors oversees cybersecurity risk through its Audit Committee.")])
    report = Checker().check_document(docx.read(raw, "draft.docx")[0], "sk-106")
    assert report.section_location is not None
    assert report.section_location.describe() == "paragraph 4"
    pdf = Checker().check_path(str(Path(__file__).parents[1] / "samples" / "draft-10k-1c-deficient.pdf"))[0]
    assert pdf.section_location is not None and not pdf.section_location.describe().startswith("line")


BULLETS = """<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="\u2022"/></w:lvl>
</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"""


@pytest.mark.parametrize("style", ["Heading2", "berschrift2", "HouseHeading", "Title", "Outline"])
def test_word_headings_are_told_by_their_style_and_list_items_are_paragraphs(style):
    """A heading styled as one is a heading whatever its punctuation ("Governance."); a short bullet ("Incident
    Response Plan") is a paragraph. Only the locations change: the text, its sentences and the verdicts not."""
    from test_ingest import _para, _run, _style, make_docx

    styles = (_style("Heading2", name="heading 2", inner='<w:pPr><w:outlineLvl w:val="1"/></w:pPr>')
              + _style("berschrift2", name="heading 2")  # a German Word's id for Heading 2
              + _style("HouseHeading", inner='<w:basedOn w:val="berschrift2"/>') + _style("Title", name="Title")
              + _style("ListBullet", name="List Bullet", inner='<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr>'))
    styled = '<w:p><w:pPr><w:pStyle w:val="{}"/></w:pPr>{}</w:p>'.format
    heading = ('<w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr>' + _run("Governance.") + "</w:p>"
               if style == "Outline" else styled(style, _run("Governance.")))
    texts = ["Our program includes:", "Incident Response Plan",
             "Our Board of Directors oversees cybersecurity risk through its Audit Committee.",
             "Our Chief Information Security Officer reports to the Audit Committee each quarter."]
    raw = make_docx([styled("Heading1", _run("Item 1C. Cybersecurity")), _para(_run("Risk Management")),
                     _para(_run(texts[0])), styled("ListBullet", _run(texts[1])), heading,
                     *[_para(_run(t)) for t in texts[2:]]], numbering=BULLETS, styles=styles)
    plain = make_docx([_para(_run(t)) for t in ("Item 1C. Cybersecurity", "Risk Management", texts[0], texts[1],
                                                 "Governance.", *texts[2:])])
    doc, plain_doc = docx.read(raw, "draft.docx")[0], docx.read(plain, "draft.docx")[0]
    assert doc.text == plain_doc.text
    report, plain_report = Checker().check_document(doc, "sk-106"), Checker().check_document(plain_doc, "sk-106")
    assert [(r.rule, r.status, [(e.start, e.end) for e in r.evidence]) for r in report.results] == [
        (r.rule, r.status, [(e.start, e.end) for e in r.evidence]) for r in plain_report.results]
    where = {e.text: e.where for r in report.results for e in r.evidence}
    assert where[texts[2]] == "Governance, para. 1" and where[texts[3]] == "Governance, para. 2"
    # as the text alone reads: "Governance." is a sentence, "Incident Response Plan" a sub-heading
    assert {e.text: e.where for r in plain_report.results for e in r.evidence}[texts[2]] == (
        "Incident Response Plan, para. 2")


def test_a_run_in_heading_joined_to_its_paragraph_by_a_style_separator_leaves_it_a_paragraph():
    """Word's style separator: a Heading 2 paragraph whose mark is always hidden (w:specVanish), run on into
    the body paragraph after it. The joined paragraph is no heading: its sentences are numbered."""
    from test_ingest import _para, _run, _style, make_docx

    separator = '<w:pPr><w:pStyle w:val="Heading2"/><w:rPr><w:specVanish/></w:rPr></w:pPr>'
    raw = make_docx([_para(_run("Item 1C. Cybersecurity")), _para(_run("Risk Management")),
                     f"<w:p>{separator}{_run('Governance. ')}</w:p>",
                     _para(_run("Our Board of Directors oversees cybersecurity risk through its Audit Committee.")),
                     ], styles=_style("Heading2", name="heading 2"))
    doc = docx.read(raw, "draft.docx")[0]
    assert doc.text.endswith("\n\nGovernance. Our Board of Directors oversees cybersecurity risk through its "
                             "Audit Committee.")
    where = {e.where for r in Checker().check_document(doc, "sk-106").results for e in r.evidence}
    assert where == {"Risk Management, para. 1"}


def test_markdown_draft_locations_are_line_and_column(tmp_path):
    draft = tmp_path / "d.md"
    draft.write_text("# Item 1C. Cybersecurity\n\n## Governance\n\nIntro. Our Board of Directors oversees "
                     "cybersecurity risk through its Audit Committee.\n", encoding="utf-8")
    report = Checker().check_path(str(draft))[0]
    wheres = {e.where for r in report.results for e in r.evidence}
    assert "line 5, col 8" in wheres


def test_a_section_of_thousands_of_paragraphs_is_located_without_recursion(tmp_path, capsys):
    """An HTML section of 5,000 short paragraphs: each paragraph's place in the raw file is found from the
    one before it, which was a recursion as deep as the paragraphs (exit 3, RecursionError, past ~990)."""
    paragraphs_html = "".join(f"<p>We review our controls, step {i}.</p>\n" for i in range(5000))
    path = tmp_path / "many.html"
    path.write_text("<html><body><p>Item 1C. Cybersecurity</p>\n" + paragraphs_html
                    + "<p>We engage third-party assessors to test our systems.</p>\n"
                    "<p>Item 2. Properties</p></body></html>", encoding="utf-8")
    code, out, err = run_main(capsys, "check", str(path), "--format", "json", "--no-examples")
    assert code in (0, 1), err
    report = json.loads(out)
    quoted = [e for r in report["results"] for e in r.get("evidence", []) if "third-party" in e["text"]]
    assert quoted and quoted[0]["location"]["line"] == 5002


_PIECES = ["<b>", "</span>", "<i x='a>", "&amp;", "&#8217;", "&", "<", ">", " ", "\n", ".", "We", "act",
           "e", "W", "now", "é", "3"]


@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.lists(st.sampled_from(["We", "act", "now", "e"]),
       min_size=1, max_size=4), st.integers(0, 60))
def test_words_are_found_in_the_raw_html_where_the_gap_pattern_finds_them(pieces, words, begin):
    """The raw-file search without a compiled pattern per sentence finds what the pattern found."""
    from checker.locations import _GAP, _first, _first_words

    raw = "".join(pieces)
    pattern = re.compile(r"(?<![A-Za-z0-9])" + _GAP.join(re.escape(w) for w in words))
    assert _first_words(raw, words, begin) == _first(raw, pattern, begin)


def _subheading_reads(monkeypatch, n: int) -> int:
    """How many times locating a quote in each of n paragraphs (under one sub-heading) reads a paragraph."""
    from checker.locations import Finder
    from checker.model import Document

    calls = 0
    real = Finder._is_subheading

    def counted(self, p):
        nonlocal calls
        calls += 1
        return real(self, p)

    monkeypatch.setattr(Finder, "_is_subheading", counted)
    body = "Governance\n\n" + "".join(f"We review control {i}.\n\n" for i in range(n))
    doc = Document(text=body, source="d.txt")
    finder = Finder(doc)
    for p in finder.paragraphs:
        finder.locate(p.start)
    return calls


def test_locating_a_quote_in_every_paragraph_reads_the_section_once(monkeypatch):
    # A filing agent's 10-K with thousands of tags: every tag's place counted its paragraph from the heading
    # above it, paragraph by paragraph (quadratic: 2,000 tags took 66 s to locate). Now one pass.
    small, large = _subheading_reads(monkeypatch, 500), _subheading_reads(monkeypatch, 1000)
    assert large <= 2.2 * small


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 12)), max_size=12), st.integers(0, 45))
def test_the_tightest_fact_around_an_offset_is_the_one_named(spans, offset):
    """The bisected lookup names the fact a scan of every fact names: the tightest, the first of equals."""
    from checker.locations import _FactSpans
    from checker.model import Fact

    facts = [Fact(f"C{i}", "text", start=s, end=s + n, fact_id=f"f-{i}") for i, (s, n) in enumerate(spans)]
    around = [f for f in facts if f.start <= offset < f.end]
    expected = min(around, key=lambda f: f.end - f.start) if around else None
    assert _FactSpans(facts).at(offset) is expected


# what a Word export or a web copy carries before a sentence that the readers drop from the text: a soft
# hyphen, a zero-width space, a zero-width joiner inside an emoji, a left-to-right mark
INVISIBLE_BEFORE = "Cyber\u00adsecurity \u200bmatters \U0001f469\u200d\U0001f4bb \u200ehere. "


def test_a_text_columns_counts_the_files_own_line_with_what_the_reader_dropped(checker, tmp_path):
    """A soft hyphen or a zero-width character before a sentence moved its column left of where an editor
    finds it: the column counted the text with them dropped. Now it counts the file's line, in characters,
    UTF-16 code units and UTF-8 bytes."""
    line = INVISIBLE_BEFORE + "Our CISO, [\u25cf], reports to the Audit Committee quarterly."
    path = tmp_path / "draft.md"
    path.write_text(f"# Item 1C. Cybersecurity\n\n## Governance\n\n{line}\n", encoding="utf-8")
    report = checker.check_path(path)[0]
    where = next(e.location for r in report.results for e in r.evidence if e.text.startswith("Our CISO, ["))
    prefix = INVISIBLE_BEFORE
    assert (where.line, where.column) == (5, len(prefix) + 1)
    assert where.column_utf16 == len(prefix.encode("utf-16-le")) // 2 + 1
    assert where.column_bytes == len(prefix.encode("utf-8")) + 1
    raw = path.read_text(encoding="utf-8").split("\n")[4]
    assert raw[where.column - 1:].startswith("Our CISO, [")
    assert raw.encode()[where.column_bytes - 1:].startswith(b"Our CISO, [")
