"""Property-based tests: segmenter, engine, readers and every renderer hold their promises on any text."""

from __future__ import annotations

import html as html_escape
import json
import re
import xml.etree.ElementTree as ET
from functools import cache
from html.parser import HTMLParser
from importlib import resources

import jsonschema
from conftest import FIXTURES
from hypothesis import given
from hypothesis import strategies as st
from test_ingest import _para, _run, make_docx

from checker import Checker
from checker.ingest import docx, html, records, text
from checker.ingest.decode import clean, other_breaks
from checker.model import STATUSES, CheckerError, Document, Report
from checker.report import RENDERERS, render
from checker.segment import segment

# Words and separators that make disclosure-like prose, so the rules find evidence and the renderers
# get quotes, highlights and line numbers to show; plus the characters that trip up text handling.
WORDS = [
    "Item 1C.", "Cybersecurity", "board", "of", "directors", "Audit Committee", "oversees", "cybersecurity",
    "risk", "risks", "CISO", "Chief Information Security Officer", "reports", "quarterly", "to", "the",
    "our", "we", "U.S.", "Inc.", "e.g.", "incident", "material", "third-party", "assessors", "consultants",
    "processes", "identify", "assess", "manage", "threats", "years", "experience", "15", "Form 10-K.",
    "“quoted”", "company’s", "—", "•", "(a)", "1.", "\u00a0", "\u00ad", "\u200b", "é", "中文", "😀",
    "<script>", "&amp;", '"', "'", "\\", "*", "#", "|", "\f", "\x0b", "\x1b",
]
SEPARATORS = [" ", " ", " ", " ", "\n", "\n\n", ". ", ".\n", "; ", ", ", "\t", "\r\n", "\r", "\n \n", "  "]

prose = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=120).map(
    lambda pairs: "".join(w + s for w, s in pairs))
any_text = st.one_of(prose, st.text(max_size=400), st.text(alphabet=" \n\r\t.•-–(a)1Ii", max_size=80))
# File names as users have them: spaces, unicode, HTML-special and URI-special characters.
# A newline is legal in a POSIX file name and must not end a GitHub annotation or start a command.
source_names = st.text(
    alphabet=st.one_of(st.characters(min_codepoint=32, max_codepoint=0x2FFF, exclude_characters="/\\"),
                       st.sampled_from("\n\r:%,")),
    min_size=1, max_size=30).map(lambda s: f"drafts/{s}.txt")


# Module-level caches, not fixtures: hypothesis prints a failing example's arguments, and a compiled
# pack or a schema would bury the example under a megabyte of repr.
@cache
def _checker() -> Checker:
    return Checker()


def _pack_ref(which: int) -> str:
    return str(FIXTURES / "reports" / "report-pack.yaml") if which else "sk-106"


@cache
def _validator(schema_text: str):
    schema = json.loads(schema_text)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema).validate


def validate_report_json(data) -> None:
    _validator(resources.files("checker").joinpath("schemas/report.schema.json").read_text(encoding="utf-8"))(data)


def validate_sarif(data) -> None:
    _validator((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))(data)


# ---------------------------------------------------------------- segmenter


@given(any_text)
def test_segments_are_ordered_trimmed_and_cover_every_word(t):
    seg = segment(t)
    covered = bytearray(len(t))
    last = 0
    for p in seg.paragraphs:
        assert last <= p.start < p.end <= len(t)
        assert not t[p.start].isspace() and not t[p.end - 1].isspace()
        last = p.end
    last = 0
    for i, s in enumerate(seg.sentences):
        assert s.index == i and last <= s.start < s.end <= len(t)
        para = seg.paragraphs[s.paragraph]
        assert para.start <= s.start and s.end <= para.end
        assert not t[s.start].isspace() and not t[s.end - 1].isspace()
        covered[s.start:s.end] = b"\x01" * (s.end - s.start)
        last = s.end
    # Nothing but white space falls between sentences: no word is lost to the rules.
    assert all(covered[i] or c.isspace() for i, c in enumerate(t))


@given(any_text, st.data())
def test_segmenting_a_span_keeps_absolute_offsets_inside_it(t, data):
    start = data.draw(st.integers(0, len(t)))
    end = data.draw(st.integers(start, len(t)))
    seg = segment(t, start, end)
    assert all(start <= s.start < s.end <= end for s in seg.sentences)
    assert all(start <= p.start < p.end <= end for p in seg.paragraphs)


# ---------------------------------------------------------------- engine and renderers


def _check_evidence(report: Report) -> None:
    doc = report.document
    n_lines = doc.text.count("\n") + 1
    for r in report.results:
        assert r.status in STATUSES
        for e in r.evidence:
            assert 0 <= e.start < e.end <= len(doc.text)
            assert doc.text[e.start:e.end] == e.text
            assert e.line == doc.line_of(e.start) and 1 <= e.line <= n_lines
            for m in e.matches:
                assert 0 <= m.start < m.end <= len(doc.text) and doc.text[m.start:m.end] == m.text


class _Balance(HTMLParser):
    """Every non-void element is closed, in order: the page is well-formed, not merely parseable."""

    VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'} at {self.getpos()}")
        else:
            self.stack.pop()


def assert_well_formed_html(page: str) -> None:
    assert page.lstrip().lower().startswith("<!doctype html>")
    parser = _Balance()
    parser.feed(page)
    parser.close()
    assert parser.problems == [] and parser.stack == []
    assert "<script" not in page.lower()  # the page runs no scripts, whatever the input held


def assert_valid_outputs(reports: list[Report]) -> None:
    outputs = {fmt: render(reports, fmt, version="0.0.0", generated="2025-01-01T00:00:00Z")
               for fmt in sorted(RENDERERS)}
    validate_report_json(json.loads(outputs["json"]))
    validate_sarif(json.loads(outputs["sarif"]))
    assert_well_formed_html(outputs["html"])
    ET.fromstring(outputs["junit"].encode("utf-8"))
    # The runner reads one workflow command per line: one line per annotation plus one summary line per
    # report, and no line an input could turn into a command of its own (::stop-commands::, ::add-mask::).
    # an editor reads one finding a line, file:line:col: severity: message, whatever the input held
    assert all(re.match(r".+:\d+:\d+: (?:error|warning|info): \S", ln) for ln in outputs["concise"].splitlines())
    lines = outputs["github"].rstrip("\n").split("\n")
    annotations = [ln for ln in lines if ln.startswith("::")]
    assert len(lines) == len(annotations) + len(reports)
    assert all(ln.startswith(("::error ", "::warning ", "::notice ")) for ln in annotations)


@given(text=any_text, source=source_names, form=st.sampled_from([None, "10-K", "20-F", "8-K", "S-1"]),
       which=st.integers(0, 1))
def test_engine_evidence_quotes_the_text_and_every_format_is_valid(text, source, form, which):
    doc = Document(text=text, source=source, form=form, metadata={"issuer": source[8:]})
    report = _checker().check_document(doc, _pack_ref(which))
    _check_evidence(report)
    assert_valid_outputs([report])


@given(st.lists(prose, min_size=2, max_size=3))
def test_several_reports_render_valid_combined_outputs(texts):
    reports = [_checker().check_document(Document(text=t or "x", source=f"d{i}.md"), "auto")
               for i, t in enumerate(texts)]
    for r in reports:
        _check_evidence(r)
    assert_valid_outputs(reports)


# ---------------------------------------------------------------- readers


def _read_or_refuse(reader, raw: bytes, source: str):
    """A reader returns documents or raises the one-line CheckerError naming the file; nothing else."""
    try:
        return reader(raw, source)
    except CheckerError as exc:
        assert str(exc).startswith(source) and "\n" not in str(exc)
        return None


@given(any_text)
def test_text_reader_keeps_the_text_with_one_newline_convention(t):
    docs = _read_or_refuse(text.read, t.encode("utf-8"), "draft.md")
    # As written, less the characters every reader drops (zero-width, controls, escape sequences).
    # Unicode's line and paragraph separators and a vertical tab are plain text's breaks too (text pasted from Mail).
    expected = clean(other_breaks(t.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")))
    if docs is None:
        assert not expected.strip() or "\x00" in t
        return
    assert docs[0].text == expected
    assert docs[0].line_of(len(expected)) == expected.count("\n") + 1


@given(st.binary(max_size=300))
def test_text_reader_takes_any_bytes_without_crashing(raw):
    docs = _read_or_refuse(text.read, raw, "upload.txt")
    if docs is not None:
        assert docs[0].text.strip()


@given(st.lists(any_text, min_size=1, max_size=4), st.sampled_from(["body_markdown", "text", "nothing"]))
def test_json_records_give_a_document_per_record_or_name_the_bad_one(bodies, field):
    raw = json.dumps([{field: b, "form": "10-K"} for b in bodies]).encode()
    docs = _read_or_refuse(records.read_json, raw, "records.json")
    # less the characters every reader drops; Unicode's line and paragraph separators and a vertical tab break lines
    bodies_read = [clean(other_breaks(b)) for b in bodies]
    if docs is None:
        assert field == "nothing" or any(not b.strip() for b in bodies_read)
        return
    assert [d.text for d in docs] == bodies_read
    jsonl = "\n".join(json.dumps({field: b}) for b in bodies).encode()
    again = _read_or_refuse(records.read_jsonl, jsonl, "records.jsonl")
    assert again is not None and [d.text for d in again] == bodies_read


@given(st.lists(any_text, min_size=1, max_size=6), st.sampled_from(["p", "div", "li", "td", "span"]))
def test_html_reader_maps_every_offset_to_a_line_of_the_file(paragraphs, tag):
    page = ("<html><head><title>t</title></head><body>\n"
            + "\n".join(f"<{tag}>{html_escape.escape(p)}</{tag}>" for p in paragraphs)
            + "\n</body></html>\n")
    try:
        docs = html.read(page.encode("utf-8"), "filing.htm")
    except CheckerError as exc:  # the one refusal allowed: all that is left is blank or page furniture
        assert str(exc) == "filing.htm: the HTML file has no visible text"
        return
    doc = docs[0]
    n_lines = page.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1  # a lone CR ends a line too
    step = max(1, len(doc.text) // 50)
    assert all(1 <= doc.line_of(i) <= n_lines for i in range(0, len(doc.text) + 1, step))


@given(st.text(max_size=300))
def test_malformed_html_never_crashes_the_reader(markup):
    _read_or_refuse(html.read, f"<html><body>{markup}".encode(), "broken.html")


_XML_CHAR = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff",
                          min_codepoint=9)


@given(st.lists(st.text(alphabet=_XML_CHAR, max_size=80), min_size=1, max_size=6))
def test_docx_paragraphs_come_back_in_order_with_their_numbers(paragraphs):
    # Word writes no control characters in <w:t> but tabs (a line break is a <w:br/> element).
    paragraphs = [p.translate({c: None for c in range(0x20) if c != 9}) for p in paragraphs]
    raw = make_docx([_para(_run(html_escape.escape(p, quote=False))) for p in paragraphs], numbering=None)
    docs = _read_or_refuse(docx.read, raw, "draft.docx")
    kept = [(n, clean(p).replace("\u00a0", " ")) for n, p in enumerate(paragraphs, 1) if clean(p).strip()]
    if docs is None:
        assert not kept
        return
    doc = docs[0]
    assert doc.text.split("\n\n") == [p for _, p in kept]
    offset = 0
    for number, p in kept:
        assert doc.line_of(offset) == number
        offset += len(p) + 2

