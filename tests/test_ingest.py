"""Input readers: encodings, EDGAR HTML / inline XBRL, Word .docx with tracked changes, records, stdin."""

from __future__ import annotations

import io
import json
import plistlib
import zipfile

import pytest
from cli_helpers import assert_one_line_error, run_main
from click.testing import CliRunner
from conftest import FIXTURES
from hypothesis import given as given_text
from hypothesis import settings
from hypothesis import strategies as st
from report_samples import ROOT

import checker
from checker import ingest
from checker.cli import cli
from checker.ingest import decode, docx, html
from checker.model import CheckerError, SourceMap

INGEST = FIXTURES / "ingest"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# ---------------------------------------------------------------- encodings


def test_utf8_with_and_without_bom_decode_the_same():
    text = "Our CISO “reports” to the board — quarterly.\n"
    assert decode.decode(text.encode("utf-8"), "a") == text
    assert decode.decode(b"\xef\xbb\xbf" + text.encode("utf-8"), "a") == text


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"])
def test_unicode_text_is_read_by_its_byte_order_mark(codec):
    # Word's "Unicode Text" and Notepad's "UTF-16 LE" save a draft this way, BOM first; it was refused as binary
    text = "Item 1C. Cybersecurity\r\nOur CISO “reports” to the Audit Committee — quarterly.\r\n"
    raw = text.encode(codec)
    if codec in ("utf-16-le", "utf-16-be", "utf-32-be"):
        raw = "\ufeff".encode(codec) + raw
    assert decode.decode(raw, "a") == text.replace("\r\n", "\n")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_unicode_text_without_a_byte_order_mark_is_read(codec):
    # `iconv -t UTF-16LE` and .NET's Encoding.Unicode.GetBytes write no mark: every other byte is a NUL, and
    # the draft was refused as "looks like a binary file"
    text = "Item 1C. Cybersecurity\r\nOur CISO “reports” to the Audit Committee — quarterly.\r\n" * 3
    assert decode.decode(text.encode(codec), "a") == text.replace("\r\n", "\n")


@pytest.mark.parametrize("raw", [b"\x00\xff" * 100, b"\xff\x00" * 100, b"\x00\x01\x02binary",
                                 b"A\x00B\x00\x00\x00\x07\x00" * 50])
def test_bytes_alternating_with_nuls_that_are_not_english_text_stay_binary(raw):
    with pytest.raises(CheckerError, match="binary"):
        decode.decode(raw, "a")


def test_a_draft_with_a_few_stray_nuls_is_read_without_them():
    # an editor's or a copy's padding: three NULs in a UTF-8 draft were "looks like a binary file" (the
    # filing-agent helper's report); binary data keeps its refusal (above, and the serve page's sample)
    text = "Item 1C. Cybersecurity\nOur CISO reports quarterly to the Audit Committee.\n" * 20
    raw = text.encode("utf-8")
    assert decode.decode(raw[:40] + b"\x00" + raw[40:] + b"\x00\x00", "draft.txt") == text
    with pytest.raises(CheckerError, match="binary"):
        decode.decode(bytes(range(256)) * 64, "upload.bin")
    with pytest.raises(CheckerError, match="binary"):
        decode.decode(raw + b"\x00" * 40, "padded.txt")  # more than a few: not stray


def test_a_byte_order_mark_over_bytes_of_another_kind_is_one_line():
    with pytest.raises(CheckerError) as err:
        decode.decode(b"\xff\xfeI\x00t\x00e", "draft.txt")  # an odd byte at the end: no UTF-16
    assert str(err.value) == "draft.txt: cannot decode the file as UTF-16-LE (its byte order mark says it is)"


def test_cp1252_smart_quotes_are_read():
    raw = "The “Audit Committee” oversees risk – quarterly.".encode("cp1252")
    assert decode.decode(raw, "a") == "The “Audit Committee” oversees risk – quarterly."


def test_latin1_is_the_last_resort():
    # 0x81 is undefined in cp1252, so only latin-1 can read this file.
    sentence = "Société Générale maintains a cybersecurity programme overseen by its board. "
    raw = (sentence * 3).encode("latin-1")
    raw += b"\x81"
    assert decode.decode(raw, "a").startswith("Société Générale maintains")


def test_crlf_becomes_one_newline_so_lines_match_editors():
    assert decode.decode(b"a\r\nb\rc", "a") == "a\nb\nc"


def test_text_pasted_from_mail_breaks_at_unicode_line_and_paragraph_separators():
    """Mail, Pages and Word for Mac paste line breaks as U+2028 (or Word's vertical tab) and paragraph breaks
    as U+2029: each is a break, not a glued word or a paragraph run into the heading before it."""
    pasted = ("# Item 1C. Cybersecurity\u2029## Governance\u2029Our Board of Directors oversees cybersecurity"
              " risk.\u2028Our CISO reports to the Audit Committee quarterly.\x0bShe has 20 years of experience.")
    text = decode.decode(pasted.encode("utf-8"), "Pasted from Mail.txt", breaks=True)  # as the text reader does
    assert not set(text) & {"\u2028", "\u2029", "\x0b"}
    assert "Governance\n\nOur Board" in text and "risk.\nOur CISO" in text and "quarterly.\nShe" in text
    report = checker.check(pasted.encode("utf-8"), source="Pasted from Mail.txt")
    quotes = [e for r in report.results for e in r.evidence]
    assert quotes and all("\u2029" not in e.text and "Governance" not in e.text for e in quotes)
    assert all(e.line > 1 for e in quotes)
    # in HTML they are not the file's line breaks: a line number would point past the file's last line
    page = f"<p>{pasted}</p>\n".encode()
    assert decode.decode(page, "page.htm").count("\n") == 1


@pytest.mark.parametrize("raw", [b"\x00\x01\x02binary", b"%PDF-1.7\n%\xe2\xe3", b"\x89PNG\r\n\x1a\n"])
def test_binary_input_is_a_one_line_error_naming_the_file(raw):
    with pytest.raises(CheckerError) as err:
        decode.decode(raw, "upload.bin")
    assert str(err.value).startswith("upload.bin: ")
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(("raw", "named", "advice"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF file", "when its name ends in .pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "a Word 97-2003 .doc", "save it as .docx"),
    (b"PK\x03\x04\x14\x00\x06\x00", "a zip archive", "when its name ends in .docx"),
    (b"{\\rtf1\\ansi\\deff0 {\\fonttbl} Item 1C. Our CISO monitors incidents.}", "an RTF file", "save it as a .docx"),
    (b"\x1f\x8b\x08\x00", "a gzip archive", "decompress it first"),
    (b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + b"\x00" * 60, "a macOS AppleDouble file",
     "check the document of the same name without '._'"),
    (b"\xff\xd8\xff\xe0", "an image", "not scans"),
])
def test_a_file_in_a_format_we_do_not_read_is_named_with_what_to_do(raw, named, advice):
    # A lawyer who hands in the old .doc of a draft (or a PDF under another name) is told which it is and how
    # to check it;
    # RTF is refused although it decodes as text: its control words would be quoted as the draft's words.
    with pytest.raises(CheckerError) as err:
        decode.decode(raw, "draft.bin")
    message = str(err.value)
    assert message.startswith("draft.bin: looks like " + named) and advice in message and "\n" not in message


def _archive(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


_ODT = {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document-content/>"}
_DOCX = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
_PAGES = {"Index/Document.iwa": b"\x00\x1b\x00", "Metadata/Properties.plist": b"bplist00", "preview.jpg": b""}
_ZIP = {"Item 1C draft.docx": _archive(_DOCX), "notes.txt": b"Item 1C. Cybersecurity"}


@pytest.mark.parametrize(("files", "named", "advice"), [
    (_ODT, "an OpenDocument text (.odt)", "open it in LibreOffice or Word, save it as .docx and check that"),
    (_DOCX, "a Word .docx document", "a Word draft is read as one when its name ends in .docx"),
    (_PAGES, "a Pages document", "in Pages choose File > Export To > Word (.docx) and check that"),
    (_ZIP, "a zip archive of 2 files (Item 1C draft.docx, notes.txt)", "take the draft or filing out of the archive and check that"),
])
def test_a_zip_archive_is_named_by_what_it_holds(files, named, advice, monkeypatch):
    # an .odt saved by LibreOffice, a .docx saved without its suffix, a zip of drafts from an e-mail: the
    # advice was the same for all three ("read as one when its name ends in .docx"), wrong for two
    raw = _archive(files)
    with pytest.raises(CheckerError) as err:
        decode.decode(raw, "draft")
    message = str(err.value)
    assert message.startswith("draft: looks like " + named) and advice in message and "\n" not in message
    if files is not _DOCX:  # renamed .docx, it is said what the file is instead
        with pytest.raises(CheckerError) as err:
            docx.read(raw, "draft.docx")
        assert str(err.value).startswith("draft.docx: not a Word .docx file (no word/document.xml): " + named)
        assert advice in str(err.value)
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw)))
        with pytest.raises(CheckerError) as err:  # piped in: there is no name to speak of
            ingest.load("-")
        assert str(err.value) == f"<stdin>: looks like {named}, not text: {advice}"


_HTML_FILING = b"<!DOCTYPE html><html><body><p>Item 1C. Cybersecurity</p></body></html>"
_PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"


@pytest.mark.parametrize(("raw", "name", "said"), [
    (_archive(_DOCX), "draft.pdf", "named .pdf, but it is a Word .docx document: a Word draft is read as one "
                                   "when its name ends in .docx"),
    (_HTML_FILING, "filing.pdf", "named .pdf, but it is an HTML file: rename it to .htm to check it"),
    (_HTML_FILING, "filing.docx", "named .docx, but it is an HTML file: rename it to .htm to check it"),
    (_PDF, "proof.docx", "named .docx, but it is a PDF file: a PDF is read as one when its name ends in .pdf"),
    (_archive(_ODT), "draft.pdf", "named .pdf, but it is an OpenDocument text (.odt): open it in LibreOffice"),
])
def test_a_pdf_or_docx_name_over_another_format_says_what_the_file_is(raw, name, said, tmp_path, capsys):
    # an agent's pipeline that named by the wrong extension: "cannot read the PDF: data format error" and
    # "not a Word .docx file (not a zip archive)" gave no clue
    path = tmp_path / name
    path.write_bytes(raw)
    code, out, err = run_main(capsys, "check", str(path))
    assert_one_line_error(code, err, name, said)


def test_binary_file_exits_2_with_one_line(tmp_path, capsys):
    f = tmp_path / "draft.txt"
    f.write_bytes(b"\x00\xff" * 100)
    code, out, err = run_main(capsys, "extract", str(f))
    assert_one_line_error(code, err, str(f), "binary")
    assert out == ""


# ---------------------------------------------------------------- HTML


def _html(body: str) -> bytes:
    head = "<head><title>T</title><style>p {color:red}</style></head>"
    return f"<html>{head}<body>{body}</body></html>".encode()


def _text(body: str) -> str:
    return html.read(_html(body), "x.htm")[0].text


def test_hidden_content_is_never_text():
    text = _text('<div style="display:none"><ix:header><ix:hidden>'
                 '<ix:nonNumeric name="dei:DocumentType">10-K</ix:nonNumeric></ix:hidden></ix:header></div>'
                 "<script>var x = 'cyber';</script><p>Visible words.</p>"
                 '<p style="DISPLAY: NONE">Secret</p>')
    assert text == "Visible words."


def test_blocks_are_paragraphs_and_table_rows_are_lines():
    text = _text("<div>First paragraph.</div><p>Second <b>bold</b> paragraph.</p>"
                 "<table><tr><td><p>Item 1C.</p></td><td><p>Cybersecurity</p></td></tr>"
                 "<tr><td>Item 2.</td><td>Properties</td></tr></table>")
    assert text == "First paragraph.\n\nSecond bold paragraph.\n\nItem 1C. Cybersecurity\nItem 2. Properties"


def test_nbsp_soft_hyphens_and_zero_width_characters_are_normalised():
    text = _text("<p>Chief&#160;Information&#160;Security Offi&#173;cer&#8203; reports</p>")
    assert text == "Chief Information Security Officer reports"


def test_page_numbers_and_table_of_contents_links_are_dropped():
    text = _text('<p>End of page one.</p><p>12</p><hr style="page-break-after:always"/>'
                 '<p><a href="#toc">Table of Contents</a></p><p>Start of page two.</p>')
    assert text == "End of page one.\n\nStart of page two."


def test_running_footers_beside_page_breaks_are_dropped():
    pages = "".join(f"<p>Body text of page {n}.</p><p>ACME 2024 FORM 10-K {n}</p>"
                    '<hr style="page-break-after:always"/>' for n in (21, 22, 23))
    text = _text(pages)
    assert "FORM 10-K" not in text
    assert text.count("Body text of page") == 3


def test_source_map_points_at_the_html_line():
    raw = b"<html><body>\n<p>Line two.</p>\n<div>\n<p>Governance starts here.</p>\n</div>\n</body></html>"
    doc = html.read(raw, "x.htm")[0]
    assert doc.line_of(doc.text.index("Line two")) == 2
    assert doc.line_of(doc.text.index("Governance")) == 4


def test_text_running_over_source_lines_maps_each_sentence_to_its_line():
    raw = (b"<html><body>\n<p>First sentence here.\nSecond sentence\nhere. <b>Bold</b> third.</p>"
           b"</body></html>")
    doc = html.read(raw, "x.htm")[0]
    assert doc.text == "First sentence here. Second sentence here. Bold third."
    assert [doc.line_of(doc.text.index(w)) for w in ("First", "Second", "here. Bold")] == [2, 3, 4]


def test_cover_facts_give_form_issuer_and_period():
    doc = ingest.load(str(INGEST / "wfc-2024-10k-cut.htm"))[0]
    assert doc.form == "10-K"
    assert doc.metadata["issuer"] == "WELLS FARGO & COMPANY/MN"
    assert doc.metadata["period"] == "2024-12-31"
    assert "dei:" not in doc.text and "WELLS FARGO & COMPANY/MN" not in doc.text


COVER_10KT = ("UNITED STATES\nSECURITIES AND EXCHANGE COMMISSION\nWashington, D.C. 20549\n\nFORM 10-KT\n\n"
              "\u2610 ANNUAL REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934\n\n"
              "For the fiscal year ended ____________\n\n\u2612 TRANSITION REPORT PURSUANT TO SECTION 13 OR 15(d) "
              "OF THE SECURITIES EXCHANGE ACT OF 1934\n\nFor the transition period from April 1, 2023 to "
              "September 30, 2023\n\nTiny Tools, Inc.\n(Exact name of registrant as specified in its charter)\n\n"
              "PART I\n\nItem 1. Business.\n\nWe make tools.\n\nItem 1A. Risk Factors.\n\nWe face risks.\n\n"
              "Item 1B. Unresolved Staff Comments.\n\nNone.\n\nItem 2. Properties.\n\nWe lease an office.\n")


def test_a_transition_reports_cover_gives_the_transition_periods_end(tmp_path, capsys):
    """A 10-KT for a transition period ended 2023-09-30, before Item 1C applied, got SECTION-MISSING and twelve
    gaps: its cover's "For the transition period from ... to ..." was not read as its period."""
    path = tmp_path / "10kt.txt"
    path.write_text(COVER_10KT, encoding="utf-8")
    [doc] = ingest.load(str(path))
    assert (doc.form, doc.metadata["period"]) == ("10-KT", "2023-09-30")
    code, out, _ = run_main(capsys, "check", str(path), "-f", "json", "--no-examples")
    assert code == 0
    assert [r["status"] for r in json.loads(out)["results"]] == ["not_yet_required"]


COVER_8K = ("UNITED STATES\n\nSECURITIES AND EXCHANGE COMMISSION\n\nWashington, D.C. 20549\n\nFORM 8-K\n\nCURRENT REPORT\n\n"
            "Pursuant to Section 13 or 15(d) of the Securities Exchange Act of 1934\n\n{date}\n\nMeridian Logistics "
            "Holdings, Inc.\n\n(Exact name of registrant as specified in its charter)\n\nItem 1.05 Material "
            "Cybersecurity Incidents.\n\nOn November 6, 2026, the Company detected ransomware on its systems.\n")


@pytest.mark.parametrize("date", [
    "Date of Report (Date of earliest event reported): November 10, 2026",
    "Date of report (date of earliest event reported) 10 November 2026",
    "November 10, 2026\n\nDate of Report\n\n(Date of earliest event reported)",  # Coupang's cover: date above
])
@pytest.mark.parametrize("suffix", [".md", ".txt", ".docx"])
def test_an_8k_drafts_cover_gives_its_date_of_report(tmp_path, suffix: str, date: str) -> None:
    # counsel's 8-K draft in Markdown, text or Word: its cover's "Date of Report (Date of earliest event reported)"
    # was read only from an inline XBRL filing's dei: fact, so the deadline note never named it for a draft
    from docx_build import from_text

    text = COVER_8K.format(date=date)
    path = tmp_path / f"draft{suffix}"
    path.write_bytes(from_text(text) if suffix == ".docx" else text.encode())
    (doc,) = ingest.load(str(path))
    assert (doc.form, doc.metadata.get("period")) == ("8-K", "2026-11-10")


def test_xml_declaration_and_cp1252_html_parse():
    raw = '<?xml version="1.0" encoding="ASCII"?><html><body><p>The “CISO” reports.</p></body></html>'
    assert html.read(raw.encode("cp1252"), "x.htm")[0].text == "The “CISO” reports."


def test_html_without_text_is_an_error():
    with pytest.raises(CheckerError, match="no visible text"):
        html.read(_html("<div style='display:none'>x</div>"), "x.htm")


# ---------------------------------------------------------------- .docx


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _para(inner: str, num: tuple[int, int] | None = None) -> str:
    ppr = ""
    if num:
        ppr = f'<w:pPr><w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr></w:pPr>'
    return f"<w:p>{ppr}{inner}</w:p>"


NUMBERING = f"""<w:numbering xmlns:w="{W_NS}">
<w:abstractNum w:abstractNumId="0">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>"""


def make_docx(paragraphs: list[str], numbering: str | None = NUMBERING, styles: str = "",
              parts: dict[str, str] | None = None) -> bytes:
    body = "".join(paragraphs)
    document = f'<w:document xmlns:w="{W_NS}"><w:body>{body}<w:sectPr/></w:body></w:document>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", document)
        for name, xml in (parts or {}).items():
            z.writestr(name, xml)
        if numbering:
            z.writestr("word/numbering.xml", numbering)
        if styles:  # w:style elements (and w:docDefaults)
            z.writestr("word/styles.xml", f'<w:styles xmlns:w="{W_NS}">{styles}</w:styles>')
    return buf.getvalue()


def _style(style_id: str, kind: str = "paragraph", inner: str = "", name: str = "") -> str:
    """One w:style of word/styles.xml: its properties (w:basedOn, w:pPr, w:rPr) written out in `inner`."""
    return (f'<w:style w:type="{kind}" w:styleId="{style_id}"><w:name w:val="{name or style_id}"/>'
            f"{inner}</w:style>")


def docx_with_changes(paragraphs: list[str]) -> bytes:
    """A draft whose second paragraph carries a tracked insertion, a deletion and a comment."""
    first, second, *rest = paragraphs
    tracked = (_run(second) + '<w:ins w:id="1" w:author="Counsel"><w:r><w:t xml:space="preserve"> and'
               ' reviews it each quarter</w:t></w:r></w:ins>'
               '<w:del w:id="2" w:author="Counsel"><w:r><w:delText> We do not engage any third parties.'
               '</w:delText></w:r></w:del><w:commentRangeStart w:id="0"/>'
               '<w:r><w:commentReference w:id="0"/></w:r>' + _run("."))
    return make_docx([_para(_run(first)), _para(tracked)] + [_para(_run(p)) for p in rest])


def test_docx_accepts_insertions_and_drops_deletions_and_comments():
    raw = docx_with_changes(["Item 1C. Cybersecurity", "The Audit Committee oversees cybersecurity risk"])
    doc = docx.read(raw, "draft.docx")[0]
    assert doc.text == ("Item 1C. Cybersecurity\n\n"
                        "The Audit Committee oversees cybersecurity risk and reviews it each quarter.")


def test_docx_keeps_list_numbers_and_maps_to_paragraph_numbers():
    raw = make_docx([
        _para(_run("Governance")),
        _para(""),  # an empty paragraph still counts in Word's numbering of paragraphs
        _para(_run("The board oversees risk."), num=(1, 0)),
        _para(_run("The audit committee receives reports."), num=(1, 1)),
        _para(_run("The CISO leads the programme."), num=(1, 0)),
    ])
    doc = docx.read(raw, "draft.docx")[0]
    assert doc.text.split("\n\n") == ["Governance", "1. The board oversees risk.",
                                      "(a) The audit committee receives reports.",
                                      "2. The CISO leads the programme."]
    assert doc.source_map.unit == "paragraph"
    assert doc.line_of(doc.text.index("The CISO")) == 5
    assert doc.line_of(doc.text.index("(a)")) == 4


def test_docx_list_numbers_from_the_paragraph_style_are_kept():
    # Word's "List Number" style carries the list (numId 1); a house style based on it, too
    styles = (_style("ListNumber", inner='<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr>', name="List Number")
              + _style("HouseList", inner='<w:basedOn w:val="ListNumber"/>')
              + _style("ListSub", inner='<w:basedOn w:val="ListNumber"/><w:pPr><w:numPr><w:ilvl w:val="1"/>'
                                        '</w:numPr></w:pPr>'))
    styled = '<w:p><w:pPr><w:pStyle w:val="{}"/>{}</w:pPr>{}</w:p>'.format
    raw = make_docx([
        _para(_run("Governance")),
        styled("ListNumber", "", _run("Our SOC monitors our environment.")),
        styled("ListSub", "", _run("It escalates incidents.")),
        styled("HouseList", "", _run("Under our plan, the team reports incidents to the CISO.")),
        # its own w:numPr says the level, the style the list; numId 0 takes a paragraph out of it
        styled("ListNumber", '<w:numPr><w:ilvl w:val="1"/></w:numPr>', _run("The CISO tracks them.")),
        styled("ListNumber", '<w:numPr><w:numId w:val="0"/></w:numPr>', _run("Not in the list.")),
    ], styles=styles)
    assert docx.read(raw, "draft.docx")[0].text.split("\n\n") == [
        "Governance", "1. Our SOC monitors our environment.", "(a) It escalates incidents.",
        "2. Under our plan, the team reports incidents to the CISO.", "(a) The CISO tracks them.",
        "Not in the list."]


def test_not_a_zip_is_a_one_line_error():
    with pytest.raises(CheckerError) as err:
        docx.read(b"This is plain text saved as .docx", "draft.docx")
    assert str(err.value) == "draft.docx: not a Word .docx file (not a zip archive)"


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file Word writes for a .doc and for a .docx with a password


@pytest.mark.parametrize(("raw", "said"), [
    # Word encrypts a password-protected .docx into a compound file holding an EncryptionInfo stream
    (OLE + b"\x00" * 512 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64,
     "draft.docx: the Word document is password-protected, so its text cannot be read: save a copy without the "
     "password and check that"),
    (OLE + b"\x00" * 512, "draft.docx: a Word 97-2003 .doc named .docx: save it as .docx to check it"),
])
def test_a_docx_that_is_no_zip_says_why(raw, said):
    # a legal team's draft under a password, or an old .doc renamed: each told what to do, in one line
    with pytest.raises(CheckerError) as err:
        docx.read(raw, "draft.docx")
    assert str(err.value) == said


def test_a_real_password_protected_docx_is_said_to_be(tmp_path, capsys):
    # a two-paragraph draft encrypted as Word does it (ECMA-376 agile encryption, password "secret", made with
    # msoffcrypto-tool): the command says so in one line and exits 2
    fixture = FIXTURES / "ingest" / "password-protected.docx"
    code, out, err = run_main(capsys, "check", str(fixture))
    assert code == 2 and out == ""
    assert err == f"cydcheck: error: {fixture}: the Word document is password-protected, so its text cannot be " \
                  "read: save a copy without the password and check that\n"


def test_zip_without_document_xml_is_an_error():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(CheckerError, match="no word/document.xml"):
        docx.read(buf.getvalue(), "draft.docx")


def test_zip_bomb_is_refused_before_unpacking():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<a>" + b" " * (docx.MAX_UNPACKED + 10) + b"</a>")
    with pytest.raises(CheckerError, match="refusing to unpack"):
        docx.read(buf.getvalue(), "bomb.docx")


# ---------------------------------------------------------------- records and stdin


def test_seed_shaped_json_record(tmp_path):
    f = tmp_path / "rec.json"
    f.write_text(json.dumps({"section_key": "item-16k", "section_title": "Item 16K CYBERSECURITY",
                             "document": {"doc_type": "20-F", "issuer_name": "Acme plc"},
                             "body_markdown": "We maintain a programme."}))
    doc = ingest.load(str(f))[0]
    got = (doc.form, doc.item, doc.metadata["issuer"], doc.section.method)
    assert got == ("20-F", "16K", "Acme plc", "record")


def test_jsonl_errors_name_the_line(tmp_path):
    f = tmp_path / "recs.jsonl"
    f.write_text('{"body_markdown": "ok"}\n{oops}\n')
    with pytest.raises(CheckerError) as err:
        ingest.load(str(f))
    assert err.value.line == 2


def test_stdin_html_is_sniffed_and_extracted():
    raw = (INGEST / "wfc-2024-10k-cut.htm").read_bytes()
    result = CliRunner().invoke(cli, ["extract", "-"], input=raw)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ITEM 1C. CYBERSECURITY\n\nInformation in response to this Item 1C")


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_a_unicode_html_filing_on_stdin_or_saved_as_txt_is_read_as_html(codec, tmp_path):
    # Notepad's "Unicode" save of a filing's .htm, piped in or kept as .txt: its markup was read as the
    # draft's words (tags quoted as evidence, every element met)
    raw = (INGEST / "wfc-2024-10k-cut.htm").read_bytes().decode("utf-8").encode(codec)
    result = CliRunner().invoke(cli, ["extract", "-"], input=raw)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ITEM 1C. CYBERSECURITY\n\nInformation in response to this Item 1C")
    (tmp_path / "filing.txt").write_bytes(raw)
    (document,) = ingest.load(str(tmp_path / "filing.txt"))
    assert document.text == ingest.load(str(INGEST / "wfc-2024-10k-cut.htm"))[0].text


def test_block_tags_shown_inline_do_not_break_the_sentence():
    raw = (b'<html><body><div>filed on May 14 (the "Original Form <div style="white-space: nowrap;display:inline;">'
           b'8-K</div>") and disclosed on the Original Form <div style="display: inline ;">8-K,</div> the Company '
           b'<div style="DISPLAY:INLINE-BLOCK">said</div> more.</div><div>Next paragraph.</div>'
           b'<div style="display:inline"><p>A block inside an inline wrapper</p><p>still breaks.</p></div>'
           b'</body></html>')
    text = html.read(raw, "x.html")[0].text
    assert ('filed on May 14 (the "Original Form 8-K") and disclosed on the Original Form 8-K, the Company said '
            'more.\n\nNext paragraph.') in text
    assert "A block inside an inline wrapper\n\nstill breaks." in text


def test_dfin_8ka_sentence_is_one_paragraph():
    doc = ingest.load(str(FIXTURES / "ingest" / "nucor-2025-8ka-105.html"))[0]
    assert "regarding the cybersecurity incident disclosed on the Original Form 8-K, and should be read" in doc.text
    assert "Annual Report on Form 10-K for the year ended December 31, 2024" in doc.text


def test_docx_deleted_paragraph_mark_joins_the_paragraphs_as_word_shows_them():
    deleted_mark = '<w:pPr><w:rPr><w:del w:id="9" w:author="Counsel"/></w:rPr></w:pPr>'
    raw = make_docx([
        _para(_run("Governance")),
        f"<w:p>{deleted_mark}{_run('The Audit Committee oversees cybersecurity risk and ')}</w:p>",
        _para(_run("receives a report from the CISO each quarter.")),
        _para(_run("The CISO has twenty years of experience.")),
    ])
    doc = docx.read(raw, "draft.docx")[0]
    assert doc.text.split("\n\n") == [
        "Governance",
        "The Audit Committee oversees cybersecurity risk and receives a report from the CISO each quarter.",
        "The CISO has twenty years of experience."]
    assert doc.line_of(doc.text.index("The Audit")) == 2  # the joined paragraph starts where Word shows it
    assert doc.line_of(doc.text.index("The CISO has")) == 4


HIDDEN_STYLES = (_style("Normal").replace("<w:style ", '<w:style w:default="1" ')
                 + _style("Drafting", inner='<w:basedOn w:val="Normal"/><w:rPr><w:vanish/></w:rPr>')
                 + _style("DraftingNote", inner='<w:basedOn w:val="Drafting"/>')
                 + _style("HiddenChar", kind="character", inner="<w:rPr><w:vanish/></w:rPr>"))


@pytest.mark.parametrize("paragraph", [
    '<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>Our CISO has twenty years of experience.</w:t></w:r></w:p>',
    '<w:p><w:r><w:rPr><w:specVanish/></w:rPr><w:t>Our CISO has twenty years of experience.</w:t></w:r></w:p>',
    '<w:p><w:r><w:rPr><w:rStyle w:val="HiddenChar"/></w:rPr><w:t>Our CISO has twenty years of experience.</w:t>'
    "</w:r></w:p>",
    # a paragraph style that hides its text, directly and through basedOn (its mark hidden too)
    '<w:p><w:pPr><w:pStyle w:val="Drafting"/></w:pPr><w:r><w:t>Our CISO has twenty years of experience.</w:t>'
    "</w:r></w:p>",
    '<w:p><w:pPr><w:pStyle w:val="DraftingNote"/></w:pPr><w:r><w:t>Our CISO has twenty years of experience.'
    "</w:t></w:r></w:p>",
], ids=["vanish", "specVanish", "character-style", "paragraph-style", "based-on"])
def test_docx_hidden_text_is_not_read_as_word_does_not_print_it(paragraph):
    raw = make_docx([_para(_run("Governance")), paragraph, _para(_run("The board oversees risk."))],
                    styles=HIDDEN_STYLES)
    doc = docx.read(raw, "draft.docx")[0]
    assert doc.text.split("\n\n") == ["Governance", "The board oversees risk."]
    assert doc.line_of(doc.text.index("The board")) == 3


def test_docx_hidden_words_inside_a_sentence_are_left_out_and_web_hidden_ones_kept():
    raw = make_docx([_para(
        _run("Our CISO has ")
        + '<w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">[ten or twenty?] </w:t></w:r>'
        + '<w:r><w:rPr><w:webHidden/></w:rPr><w:t xml:space="preserve">twenty </w:t></w:r>'
        # turned off again on a run of a hidden character style: shown
        + '<w:r><w:rPr><w:rStyle w:val="HiddenChar"/><w:vanish w:val="0"/></w:rPr><w:t>years</w:t></w:r>'
        + _run(" of experience."))], styles=HIDDEN_STYLES)
    assert docx.read(raw, "draft.docx")[0].text == "Our CISO has twenty years of experience."


def test_docx_hidden_paragraph_mark_runs_the_paragraph_on_into_the_next_as_word_prints_it():
    hidden_mark = '<w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr>'
    raw = make_docx([
        _para(_run("Governance")),
        f"<w:p>{hidden_mark}{_run('The Audit Committee oversees cybersecurity risk and ')}</w:p>",
        _para(_run("receives a report from the CISO each quarter.")),
        # an empty paragraph hidden whole: the next one keeps its own number
        f'<w:p>{hidden_mark}<w:r><w:rPr><w:vanish/></w:rPr><w:t>[note]</w:t></w:r></w:p>',
        _para(_run("The CISO has twenty years of experience.")),
    ])
    doc = docx.read(raw, "draft.docx")[0]
    assert doc.text.split("\n\n") == [
        "Governance",
        "The Audit Committee oversees cybersecurity risk and receives a report from the CISO each quarter.",
        "The CISO has twenty years of experience."]
    assert doc.line_of(doc.text.index("The Audit")) == 2
    assert doc.line_of(doc.text.index("The CISO has")) == 5


def test_docx_content_control_still_showing_its_placeholder_is_a_blank(checker):
    # An unfilled Word content control shows its placeholder ("Click or tap here to enter text."): that was
    # read as words, so "Our CISO has Click or tap here to enter text. years of experience" met the expertise
    # element with no mark and no DRAFT-PLACEHOLDER finding.
    shown = '<w:sdtPr><w:alias w:val="CISO years"/><w:showingPlcHdr/></w:sdtPr>'
    run_sdt = (f"<w:sdt>{shown}<w:sdtContent>{_run('Click or tap here to enter text.')}</w:sdtContent></w:sdt>")
    filled = f"<w:sdt><w:sdtPr/><w:sdtContent>{_run('Audit')}</w:sdtContent></w:sdt>"
    block = f"<w:sdt>{shown}<w:sdtContent>{_para(_run('Click or tap here to enter text.'))}</w:sdtContent></w:sdt>"
    raw = make_docx([_para(_run("Item 1C. Cybersecurity")),
                     _para(_run("Our CISO has ") + run_sdt + _run(" years of experience in information security.")),
                     _para(_run("The ") + filled + _run(" Committee oversees cybersecurity risk.")), block])
    doc = docx.read(raw, "draft.docx")[0]
    assert doc.text.split("\n\n")[1:] == [
        "Our CISO has [\u25cf] years of experience in information security.",
        "The Audit Committee oversees cybersecurity risk.", "[\u25cf]"]
    report = checker.check_document(doc)
    found = {r.rule: r for r in report.results}
    assert found["DRAFT-PLACEHOLDER"].status == "missing"
    assert found["SK106-C2I-EXPERTISE"].review


def test_docx_text_box_is_read_once_from_the_copy_word_shows():
    from docx_build import text_box

    boxed = "Our CISO has twenty years of experience."
    raw = make_docx([_para(_run("Governance")), _para(text_box(boxed)), _para(_run("The board oversees risk."))])
    doc = docx.read(raw, "draft.docx")[0]
    assert doc.text.split("\n\n") == ["Governance", boxed, "The board oversees risk."]
    assert doc.line_of(doc.text.index("Our CISO")) == 3  # the box's own paragraph, in its anchor (2)
    assert doc.line_of(doc.text.index("The board")) == 4  # as Word counts: the VML copy is not a paragraph


def _table(rows: list[list[str]]) -> str:
    cells = ("<w:tr>" + "".join(f"<w:tc>{_para(_run(c))}</w:tc>" for c in row) + "</w:tr>" for row in rows)
    return "<w:tbl>" + "".join(cells) + "</w:tbl>"


def test_docx_table_rows_are_lines_of_one_paragraph_as_an_html_table_is(checker):
    # Each cell was a paragraph of its own: the last cell, "Annually", was taken for a sub-heading, and the
    # sentences under the table were placed at "Annually, para. 1".
    raw = make_docx([
        _para(_run("Governance")),
        _para(_run("The board of each subsidiary oversees cybersecurity risk.")),
        _table([["Registrant", "Board overseeing cybersecurity risk"],
                ["Meridian Electric Company", "Board of Directors of Meridian Electric Company"],
                ["Meridian Gas Company", "Annually"]]),
        _para(_run("Our CISO leads the cybersecurity program and has 20 years of experience in information "
                   "security.")),
    ])
    doc = docx.read(raw, "draft.docx")[0]
    assert doc.text.split("\n\n") == [
        "Governance", "The board of each subsidiary oversees cybersecurity risk.",
        "Registrant Board overseeing cybersecurity risk\n"
        "Meridian Electric Company Board of Directors of Meridian Electric Company\nMeridian Gas Company Annually",
        "Our CISO leads the cybersecurity program and has 20 years of experience in information security."]
    assert doc.line_of(doc.text.index("Meridian Gas")) == 7  # each cell still maps to its own w:p
    assert doc.line_of(doc.text.index("Our CISO")) == 9
    report = checker.check_document(doc)
    quoted = next(r for r in report.results if r.rule == "SK106-C2I-EXPERTISE").evidence[0]
    assert (quoted.location.heading, quoted.location.paragraph, quoted.location.line) == ("Governance", 3, 9)


def test_docx_section_heading_in_a_table_row_is_not_counted_as_a_paragraph(checker):
    # Word templates styled after EDGAR put "ITEM 1C." and its title in two cells of a table row
    raw = make_docx([_para(_run("PART I")), _table([["ITEM 1C.", "CYBERSECURITY"]]),
                     _para(_run("We maintain a program to assess, identify and manage material risks from "
                                "cybersecurity threats.")),
                     _para(_run("Governance")), _para(_run("The Audit Committee of the Board oversees cybersecurity "
                                                           "risk."))])
    report = checker.check_document(docx.read(raw, "draft.docx")[0])
    assert report.document.section.heading == "ITEM 1C. CYBERSECURITY"
    quoted = next(r for r in report.results if r.rule == "SK106-B1-PROCESS").evidence[0]
    assert (quoted.location.heading, quoted.location.paragraph) == (None, 1)


def test_docx_layout_table_around_prose_keeps_its_paragraphs():
    prose = ("We assess cybersecurity risks through a program that " + "covers every system we run " * 20).strip()
    raw = make_docx([_table([[prose, "Our board oversees cybersecurity risk."]])])
    assert docx.read(raw, "draft.docx")[0].text.split("\n\n") == [prose, "Our board oversees cybersecurity risk."]


def _notes(kind: str, notes: dict[int, str]) -> str:
    """word/footnotes.xml (or endnotes.xml) with Word's two separators and the notes given by id."""
    sep = (f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
           f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
           f"</w:{kind}>")
    body = "".join(f'<w:{kind} w:id="{i}"><w:p><w:r><w:{kind}Ref/></w:r>{_run(" " + text)}</w:p></w:{kind}>'
                   for i, text in notes.items())
    return f'<w:{kind}s xmlns:w="{W_NS}">{sep}{body}</w:{kind}s>'


def test_docx_footnotes_and_endnotes_are_read_with_the_paragraph_that_cites_them(checker):
    # Word prints a footnote on the page: it is disclosure. It was not read at all, so a draft that says how
    # the board is informed only in a footnote got a gap its PDF proof did not.
    ref = '<w:r><w:footnoteReference w:id="{}"/></w:r>'
    raw = make_docx([
        _para(_run("Governance")),
        _para(_run("The Board of Directors oversees cybersecurity risk through its Audit Committee.")
              + ref.format(1)),
        _para('<w:del w:id="9" w:author="A"><w:r><w:footnoteReference w:id="2"/></w:r></w:del>'
              + _run("Our CISO leads the program.") + '<w:r><w:endnoteReference w:id="1"/></w:r>'),
    ], parts={"word/footnotes.xml": _notes("footnote", {1: "The Audit Committee receives a report from the CISO "
                                                            "at each quarterly meeting.", 2: "A deleted note."}),
              "word/endnotes.xml": _notes("endnote", {1: "The CISO has 20 years of experience."})})
    doc = docx.read(raw, "draft.docx")[0]
    assert doc.text.split("\n\n") == [
        "Governance",
        "The Board of Directors oversees cybersecurity risk through its Audit Committee.\n"
        "The Audit Committee receives a report from the CISO at each quarterly meeting.",
        "Our CISO leads the program.\nThe CISO has 20 years of experience."]
    assert doc.line_of(doc.text.index("The Audit Committee receives")) == 2  # the paragraph that cites it
    report = checker.check_document(doc)
    quoted = next(r for r in report.results if r.rule == "SK106-C1-BOARD-INFORMED").evidence[0]
    assert (quoted.text, quoted.location.paragraph) == (
        "The Audit Committee receives a report from the CISO at each quarterly meeting.", 1)


def test_a_sentence_cut_by_a_page_break_runs_on():
    doc = ingest.load(str(FIXTURES / "ingest" / "abbv-2024-10k-cut.html"))[0]
    assert "We also contractually require third-party service providers with access to our" in doc.text
    raw = (b"<html><body><p>We review vendors before onboarding and</p><p>12</p><hr style='page-break-after:always'/>"
           b"<p>each year after that.</p><p>Our Board oversees risk.</p><hr style='page-break-after:always'/>"
           b"<p>management reports to it.</p></body></html>")
    text = html.read(raw, "x.html")[0].text
    assert text == ("We review vendors before onboarding and each year after that.\n\nOur Board oversees risk."
                    "\n\nmanagement reports to it.")


# ---------------------------------------------------------------- a report redirected by PowerShell


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "sarif", "junit", "html", "github"])
@pytest.mark.parametrize("codec", ["utf-16", "utf-8-sig"])
def test_a_report_redirected_by_powershell_is_refused_as_a_report(tmp_path, capsys, fmt, codec):
    # PowerShell 5's `cydcheck check draft.docx > gaps.txt` saves standard output as UTF-16 with a byte order
    # mark and CRLF line ends (Out-File -Encoding utf8: a UTF-8 BOM); fed back, or met in a folder walk, the
    # report was checked as a draft (its quoted guidance met eleven elements; the HTML one exited 0)
    draft = tmp_path / "draft.md"
    draft.write_text("Item 1C. Cybersecurity\n\nThe Board oversees cybersecurity risk.\n", encoding="utf-8")
    _, out, _ = run_main(capsys, "check", str(draft), "--format", fmt, "--no-color")
    report = tmp_path / "gaps.txt"
    report.write_bytes(out.replace("\n", "\r\n").encode(codec))
    code, _, err = run_main(capsys, "check", str(report), "--pack", "sk-106")
    said = f"this is a cydcheck report ({ingest.own_report_format(out.encode())})"
    assert_one_line_error(code, err, str(report), said)
    code, _, err = run_main(capsys, "check", str(tmp_path))
    assert "1 file in" in err and "left out as cydcheck reports" in err


def test_word_web_page_list_items_keep_their_text_after_conditional_comments():
    # Word's "Save as Web Page" wraps a list item's bullet in <![if !supportLists]> ... <![endif]>, which the
    # HTML parser keeps as comments: the text after a comment (its tail) was dropped, so the item read "·"
    # alone and the element it answers was reported missing
    page = ("<html><body><h1>Item 1C. Cybersecurity</h1><p class=MsoListParagraph style='mso-list:l0 level1 lfo1'>"
            "<![if !supportLists]><span style='font-family:Symbol'>\u00b7</span><![endif]>We engage third-party "
            "assessors to test our controls.<o:p></o:p></p><p>Our CISO<!-- a reviewer's note --> reports to the "
            "Board.</p></body></html>")
    text = html.read(page.encode("utf-8"), "Item 1C.htm")[0].text
    assert "\u00b7We engage third-party assessors to test our controls." in text
    assert "Our CISO reports to the Board." in text


WORD_MHT = ('MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="----=_NextPart_01DA.5678"\r\n\r\n'
            "This document is a Single File Web Page, also known as a Web Archive file.\r\n\r\n"
            '------=_NextPart_01DA.5678\r\nContent-Transfer-Encoding: quoted-printable\r\n'
            'Content-Type: text/html; charset="windows-1252"\r\n\r\n<html><body><h1>Item 1C. Cybersecurity</h1>'
            "<p class=3DMsoNormal>The Audit Committee of our Board of Directors oversees cybersecurit=\r\ny "
            "risk.</p></body></html>\r\n------=_NextPart_01DA.5678--\r\n")
CHROME_MHT = ("From: <Saved by Blink>\r\nSnapshot-Content-Location: file:///C:/Users/jd/draft.htm\r\n"
              "Subject: ACME 10-K Item 1C\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n"
              '\ttype="text/html";\r\n\tboundary="----MultipartBoundary--x"\r\n\r\n' + WORD_MHT.split("\r\n\r\n", 1)[1])
OUTLOOK_EML = ("From: Jane Partner <jane@firm.example>\r\nTo: Legal Ops <ops@firm.example>\r\n"
               "Subject: ACME 10-K Item 1C - FINAL\r\nMIME-Version: 1.0\r\n"
               'Content-Type: multipart/alternative; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n'
               "The Audit Committee of our Board oversees cybersecurity risk.\r\n--b1--\r\n")


@pytest.mark.parametrize(("name", "content", "what"), [
    ("ACME 10-K Item 1C (v7) \u2013 FINAL.mht", WORD_MHT, "a web archive"),
    ("draft.mhtml", CHROME_MHT, "a web archive"),
    ("draft.txt", WORD_MHT, "a web archive"),
    ("FW ACME 10-K Item 1C.eml", OUTLOOK_EML, "an e-mail message"),
])
def test_a_web_archive_or_an_email_is_refused_not_read_as_text(tmp_path, capsys, name, content, what):
    # Word's "Single File Web Page" (.mht) and an e-mail saved from Outlook were read as plain text: MIME
    # headers, quoted-printable ("cybersecurit= y", "class=3DMsoNormal") and the HTML's tags quoted as evidence
    path = tmp_path / name
    path.write_text(content, encoding="cp1252", newline="")
    code, _, err = run_main(capsys, "check", str(path))
    assert_one_line_error(code, err, name, f"looks like {what}")
    assert "save" in err and ".docx" in err


def test_a_web_archive_in_a_folder_is_named_as_not_checked(tmp_path, capsys):
    (tmp_path / "draft.md").write_text("Item 1C. Cybersecurity\n\nThe Board oversees cybersecurity risk.\n",
                                       encoding="utf-8")
    (tmp_path / "Item 1C.mht").write_text(WORD_MHT, encoding="cp1252", newline="")
    (tmp_path / "FW Item 1C.eml").write_text(OUTLOOK_EML, encoding="cp1252", newline="")
    code, _, err = run_main(capsys, "check", str(tmp_path), "-q", "--exit-zero")
    assert code == 0 and "2 documents of a type cydcheck does not read" in err and "Item 1C.mht" in err


def _strict(transitional: bytes) -> bytes:
    """A .docx as Word's "Strict Open XML Document" saves it: the ISO namespaces for the same markup."""
    swaps = ((b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
              b"http://purl.oclc.org/ooxml/wordprocessingml/main"),
             (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
              b"http://purl.oclc.org/ooxml/officeDocument/relationships"))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(transitional)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            for old, new in swaps:
                data = data.replace(old, new)
            dst.writestr(info, data)
    return out.getvalue()


def test_a_word_draft_saved_as_strict_open_xml_is_read_as_word_shows_it():
    # Word's Save As offers "Strict Open XML Document (*.docx)": the same draft was refused as
    # "not a Word .docx file (no document body)"
    sample = (ROOT / "samples" / "draft-10k-1c-deficient.docx").read_bytes()
    strict = docx.read(_strict(sample), "ACME 10-K Item 1C (v7) \u2013 FINAL \u2013 strict.docx")[0]
    assert strict.text == docx.read(sample, "draft.docx")[0].text


def test_a_zero_byte_draft_says_it_may_still_be_syncing(tmp_path, capsys):
    # A draft in a OneDrive or SharePoint folder that is not yet downloaded (or still syncing) reads as 0 bytes:
    # "the file is empty (0 bytes)" alone left the user looking at a draft that Word opens full
    draft = tmp_path / "ACME 10-K Item 1C (v7) \u2013 FINAL.docx"
    draft.write_bytes(b"")
    code, _, err = run_main(capsys, "check", str(draft))
    assert_one_line_error(code, err, draft.name, "the file is empty (0 bytes)")
    assert "OneDrive" in err and "check again" in err


def test_a_record_s_section_title_is_shown_without_markdown_bold_marks():
    """The 20-F sample's record titles its section 'Item 16K CYBERSECURITY**' (cut from '**ITEM 16K.
    CYBERSECURITY**'): every report's header and scope printed the two asterisks."""
    from checker.ingest.records import from_record

    doc = from_record({"body_markdown": "Text.", "section_title": "Item 16K CYBERSECURITY**"}, "x.json")
    assert doc.section.heading == "Item 16K CYBERSECURITY"
    assert from_record({"body_markdown": "Text.", "section_title": "__Item 1C__"}, "x.json").section.heading \
        == "Item 1C"


def test_a_draft_in_icloud_drive_not_downloaded_says_so(tmp_path, capsys):
    """Dragged from Finder with its cloud icon, 'CISO draft v3.docx' was 'no such file', and its placeholder
    '.CISO draft v3.docx.icloud' 'a binary file, not text': neither said it was still in iCloud Drive."""
    placeholder = tmp_path / ".CISO draft v3.docx.icloud"
    placeholder.write_bytes(plistlib.dumps({"NSURLNameKey": "CISO draft v3.docx"}, fmt=plistlib.FMT_BINARY))
    for given in (tmp_path / "CISO draft v3.docx", placeholder):
        code, _, err = run_main(capsys, "check", str(given))
        assert_one_line_error(code, err, str(given), "'CISO draft v3.docx' is in iCloud Drive but not downloaded")
        assert "brctl download" in err


def test_a_path_quoted_in_zsh_as_a_mac_user_writes_it_says_what_was_meant(tmp_path, capsys, monkeypatch):
    """A folder dragged from Finder into quotes ("...Mobile\\ Documents/com\\~apple\\~CloudDocs/...", Terminal's
    escapes kept by the quotes) or a quoted '~/Library/...' was 'no such file', with no word of why."""
    monkeypatch.setenv("HOME", str(tmp_path))
    folder = tmp_path / "Library" / "Mobile Documents" / "com~apple~CloudDocs" / "FY2026 10-K"
    folder.mkdir(parents=True)
    (folder / "Item 1C.md").write_text("# Item 1C. Cybersecurity\n\nOur Board oversees cybersecurity risk.\n",
                                       encoding="utf-8")
    dropped = str(folder).replace(" ", "\\ ").replace("~", "\\~") + "/Item\\ 1C.md"
    code, _, err = run_main(capsys, "check", dropped)
    assert_one_line_error(code, err, dropped, "keeps Terminal's backslashes")
    assert err.rstrip().endswith(f": {folder}/Item 1C.md)"), err
    quoted = "~/Library/Mobile Documents/com~apple~CloudDocs/FY2026 10-K/Item 1C.md"
    code, _, err = run_main(capsys, "check", quoted)
    assert_one_line_error(code, err, quoted, "'~' is not expanded inside quotes")
    assert err.rstrip().endswith(f": {folder}/Item 1C.md)"), err
    code, _, err = run_main(capsys, "check", str(folder / "Item 2C.md"))
    assert_one_line_error(code, err, "Item 2C.md", "no such file")
    assert "(" not in err.split("no such file")[1]


def test_a_draft_quoted_in_a_mail_reply_is_read_without_its_quote_markers():
    """The CISO's draft sent back quoted in a Mail reply ('> ' on every line) was read with the markers inside
    its sentences ('access > our systems'): the material-effect statement was partial and a committee
    sentence marked for review, where the same draft unquoted meets all twelve elements."""
    draft = (ROOT / "samples" / "draft-10k-1c-complete.md").read_text(encoding="utf-8")
    reply = "On 5 Dec 2026, at 10:14, Jane <jane@acme.example> wrote:\n\n" + "\n".join(
        f"> {line}" if line else ">" for line in draft.split("\n"))
    quoted = checker.check(reply.encode("utf-8"), source="reply.txt")
    plain = checker.check(draft.encode("utf-8"), source="draft.md")
    assert {r.rule: r.status for r in quoted.results} == {r.rule: r.status for r in plain.results}
    assert all(">" not in e.text for r in quoted.results for e in r.evidence)
    first = next(e for r in quoted.results for e in r.evidence)
    assert reply[first.start:].startswith(first.text[:20])  # quoted where it stands in the file


@settings(max_examples=300)
@given_text(st.text(alphabet="ab \n\u2028\u2029\x0b\x1b[]\x07\u00ad\u200b\u200d\U0001f600\u4e2d\x85\\P", max_size=30))
def test_settled_text_is_decodes_and_maps_each_offset_back_to_the_files(own):
    """The text reader settles the file's text once (decode's breaks and dropped characters) and keeps where
    it moved it: the same text decode gives, and each kept character found at its place in the file."""
    text, moves = decode.settled(own)
    assert text == decode.clean(decode.other_breaks(own))
    where = SourceMap(moves=moves).file_offset
    assert all(own[where(i)] == ch for i, ch in enumerate(text) if ch != "\n")  # a written break aside


def test_a_records_findings_point_at_its_line_in_the_file(tmp_path) -> None:
    """Each record of a JSONL file had its findings at line 1 (counted inside its text, one JSON string in the
    file); a pretty-printed .json's at lines of its header. They are at the record's line, and at the line of
    each record's text field in a .json list."""
    import json

    from checker.ingest import load

    record = {"form": "10-K", "text": "Item 1C. Cybersecurity\n\nThe Audit Committee oversees cybersecurity risk."}
    jsonl = tmp_path / "three.jsonl"
    jsonl.write_text("\n".join(json.dumps({**record, "id": n}) for n in range(3)) + "\n", encoding="utf-8")
    assert [d.line_of(len(d.text) - 5) for d in load(str(jsonl))] == [1, 2, 3]
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps([record, record], indent=1), encoding="utf-8")
    lines = listed.read_text(encoding="utf-8").splitlines()
    text_at = [n for n, line in enumerate(lines, 1) if line.lstrip().startswith('"text"')]
    assert [d.line_of(0) for d in load(str(listed))] == text_at and len(text_at) == 2


def test_records_of_a_jsonl_file_without_ids_are_named_by_their_line(tmp_path, capsys):
    """Three id-less records of a JSONL file were each reported as 'noid.jsonl': the text report's headers and
    the JSON's document.source alike, so a reader (or a database keyed by source) could not tell them apart."""
    record = json.loads((ROOT / "samples" / "abbv-2024-10k-1c.json").read_text(encoding="utf-8"))
    record.pop("id", None)
    other = dict(record, id="named")
    path = tmp_path / "noid.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in (record, record, other)) + "\n", encoding="utf-8")
    assert [d.source for d in ingest.load(str(path))] == [f"{path}:1", f"{path}:2", f"{path}#named"]
    code, out, _ = run_main(capsys, "check", str(path), "-f", "json", "--no-examples")
    sources = [r["document"]["source"] for r in json.loads(out)["reports"]]
    assert len(set(sources)) == 3
