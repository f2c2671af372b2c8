"""One disclosure as Markdown, HTML, Word (with tracked changes) and a JSON record: the same findings."""

from __future__ import annotations

import html as html_escape
import json

import pytest
from cli_helpers import assert_one_line_error, run_main
from conftest import FIXTURES
from test_ingest import _para, _run, make_docx

from checker import ingest, sections

HEADING = "Item 1C. Cybersecurity"


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    """Real prose: the Item 1C section of McDonald's FY2023 10-K (cut-down fixture), in paragraphs."""
    doc = ingest.load(str(FIXTURES / "ingest" / "mcd-2023-10k-cut.htm"))[0]
    section = sections.locate(doc)
    paras = doc.text[section.start:section.end].split("\n\n")
    assert paras[0] == "CYBERSECURITY" and len(paras) > 8
    return paras[1:]


def _third_party(paragraphs: list[str]) -> int:
    return next(i for i, p in enumerate(paragraphs) if "third-party" in p)


def _docx(paragraphs: list[str]) -> bytes:
    """The draft as counsel left it: the third-party paragraph is a tracked insertion, and a deleted
    sentence claims the opposite; comments are not text."""
    idx = _third_party(paragraphs)
    body = [_para(_run(HEADING))]
    for i, p in enumerate(paragraphs):
        text = html_escape.escape(p, quote=False)
        if i == idx:
            inner = f'<w:ins w:id="9" w:author="Counsel">{_run(text)}</w:ins>'
        elif i == idx + 1:
            inner = (_run(text) + '<w:del w:id="10" w:author="Counsel"><w:r><w:delText> We do not engage '
                     'third parties, assessors or consultants.</w:delText></w:r></w:del>'
                     '<w:commentRangeStart w:id="1"/><w:r><w:commentReference w:id="1"/></w:r>')
        else:
            inner = _run(text)
        body.append(_para(inner))
    return make_docx(body)


def _write_all(tmp_path, paragraphs: list[str]) -> dict[str, str]:
    markdown = f"# {HEADING}\n\n" + "\n\n".join(paragraphs) + "\n"
    page = ("<html><body><h2>" + HEADING + "</h2>"
            + "".join(f"<p>{html_escape.escape(p)}</p>" for p in paragraphs) + "</body></html>")
    record = {"section_key": "item-1c", "section_title": HEADING, "document": {"doc_type": "10-K"},
              "body_markdown": markdown}
    files = {
        "md": ("draft.md", markdown.encode()),
        "html": ("draft.html", page.encode()),
        "docx": ("draft.docx", _docx(paragraphs)),
        "json": ("record.json", json.dumps(record).encode()),
    }
    out = {}
    for kind, (name, data) in files.items():
        (tmp_path / name).write_bytes(data)
        out[kind] = str(tmp_path / name)
    return out


def test_same_statuses_for_md_html_docx_and_json(tmp_path, checker, paragraphs):
    paths = _write_all(tmp_path, paragraphs)
    statuses = {}
    for kind, path in paths.items():
        report = checker.check_path(path)[0]
        assert report.pack_id == "sk-106", kind
        statuses[kind] = {r.rule: r.status for r in report.results}
    assert statuses["md"] == statuses["html"] == statuses["docx"] == statuses["json"]
    assert "met" in statuses["md"].values()  # a real disclosure: the comparison is not all-missing


def test_docx_tracked_insertion_is_checked_and_deletion_is_not(tmp_path, paragraphs):
    doc = ingest.load(_write_all(tmp_path, paragraphs)["docx"])[0]
    assert paragraphs[_third_party(paragraphs)] in doc.text
    assert "We do not engage third parties" not in doc.text


def test_evidence_lines_point_into_each_users_file(tmp_path, checker, paragraphs):
    paths = _write_all(tmp_path, paragraphs)
    md_lines = open(paths["md"], encoding="utf-8").read().split("\n")
    for kind in ("md", "docx"):
        report = checker.check_path(paths[kind])[0]
        evidence = [e for r in report.results for e in r.evidence]
        assert evidence, kind
        for e in evidence:
            # Markdown: the file line holds the evidence; Word: paragraph N (heading is 1) holds it.
            where = md_lines[e.line - 1] if kind == "md" else ([HEADING] + paragraphs)[e.line - 1]
            assert e.text[:40] in where, (kind, e.line, e.text[:40])


@pytest.mark.parametrize("name", ["filing.txt", "0001437749-25-017424", "filing.md", "filing.markdown"])
def test_a_filings_html_saved_as_text_or_without_a_suffix_is_read_as_html(tmp_path, name):
    # EDGAR's inline XBRL 8-K/A, <XBRL> wrapper and all, as a researcher's download names it; named .md by a
    # converter that did not convert, it was read as text: 12 met on a 10-K's markup, exit 0
    html = FIXTURES / "ingest" / "nucor-2025-8ka-105.html"
    saved = tmp_path / name
    saved.write_bytes(html.read_bytes())
    (doc,) = ingest.load(str(saved))
    (want,) = ingest.load(str(html))
    assert (doc.text, doc.form) == (want.text, want.form) and doc.form == "8-K/A"
    assert "<html" not in doc.text and "xmlns" not in doc.text


@pytest.mark.parametrize("name", ["0000354950-25-000011.htm", "filing.html", "filing.md", "filing"])
def test_a_complete_submission_under_another_name_is_read_as_one(tmp_path, name):
    # EDGAR's full-submission.txt renamed by an agent's pipeline: as .htm it was "the inline XBRL document
    # stops before its closing </html> tag: the file is cut short"
    submission = FIXTURES / "submission" / "carecloud-8k-2026-full-submission.txt"
    saved = tmp_path / name
    saved.write_bytes(submission.read_bytes())
    (doc,) = ingest.load(str(saved))
    (want,) = ingest.load(str(submission))
    assert (doc.text, doc.form, doc.metadata) == (want.text, want.form, want.metadata)


def test_a_text_draft_that_quotes_markup_stays_text(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("Item 1C. Cybersecurity\n\nOur site serves <html> pages behind a firewall.\n", encoding="utf-8")
    (doc,) = ingest.load(str(draft))
    assert "<html> pages" in doc.text


def test_the_join_keys_are_read_wherever_a_record_or_a_filing_gives_them(tmp_path):
    # the filer-tagged corpus keeps them in "source"; EDGAR writes a CIK in ten digits, so rows of every input join
    record = {"id": "cyd-1", "cik": "3499", "form": "10-K", "text": "Our CISO leads our security program.",
              "source": {"repo": "x", "accession": "0000003499-25-000004"}}
    (tmp_path / "r.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (doc,) = ingest.load(str(tmp_path / "r.jsonl"))
    assert (doc.metadata["cik"], doc.metadata["accession"]) == ("0000003499", "0000003499-25-000004")
    (filing,) = ingest.load(str(FIXTURES / "ingest" / "nucor-2025-8ka-105.html"))  # dei:EntityCentralIndexKey
    assert filing.metadata["cik"] == "0000073309"


def test_an_inline_xbrl_filing_cut_short_is_refused_not_checked(tmp_path, capsys):
    raw = (FIXTURES / "ingest" / "nucor-2025-8ka-105.html").read_bytes()
    cut = tmp_path / "cut.html"
    cut.write_bytes(raw[:len(raw) * 2 // 3])  # a download broken off inside the body
    code, _, err = run_main(capsys, "check", str(cut))
    assert_one_line_error(code, err, "cut.html", "stops before its closing </html> tag: the file is cut short")


def test_an_inline_xbrl_filing_cut_inside_its_hidden_header_is_refused_as_cut_short(tmp_path, capsys):
    # a download broken off in the ix:header (AbbVie's 10-K cut at 300 kB): nothing visible yet, but the
    # file is cut short, not empty of text
    raw = (FIXTURES / "ingest" / "nucor-2025-8ka-105.html").read_bytes()
    cut = tmp_path / "cut.html"
    cut.write_bytes(raw[:raw.index(b"</ix:header>")])
    code, _, err = run_main(capsys, "check", str(cut))
    assert_one_line_error(code, err, "cut.html", "stops before its closing </html> tag: the file is cut short")


def test_plain_html_without_its_closing_tag_says_what_may_be_unread(tmp_path):
    page = tmp_path / "draft.html"
    page.write_text("<html><body><h2>Item 1C. Cybersecurity</h2><p>Our CISO leads our program.</p>", encoding="utf-8")
    (doc,) = ingest.load(str(page))
    assert doc.not_read == ("whatever followed where the file stops: it ends without its closing </html> tag, so it "
                            "may be cut short",)
    page.write_text(page.read_text(encoding="utf-8") + "</body></html>\n", encoding="utf-8")
    assert ingest.load(str(page))[0].not_read == ()
