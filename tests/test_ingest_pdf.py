"""PDF inputs: a filing printed to PDF and a draft's PDF proof read like the filing and the draft themselves."""

from __future__ import annotations

import io
import json
import zlib
from pathlib import Path

import pypdf
import pytest
from cli_helpers import assert_one_line_error, run_main
from conftest import check_file, shared_path
from hypothesis import given
from hypothesis import strategies as st
from report_samples import VERSION, JsonSnapshot, TextSnapshot, in_root, steady

from checker import ingest
from checker.ingest import pdf
from checker.report import render
from checker.report.context import build_view

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FILING = HERE / "fixtures" / "pdf" / "nvda-10k-2025-pages.pdf"  # NVIDIA's 10-K printed by Chromium, 6 pages
DRAFT_PDF = ROOT / "samples" / "draft-10k-1c-deficient.pdf"  # the Word sample exported by LibreOffice
DRAFT_DOCX = ROOT / "samples" / "draft-10k-1c-deficient.docx"


def _statuses(report) -> dict[str, str]:
    return {r.element: r.status for r in report.results if r.element}



def test_a_drafts_pdf_proof_gets_the_word_drafts_findings_and_quotes(checker) -> None:
    from_pdf, from_word = check_file(checker, DRAFT_PDF), check_file(checker, DRAFT_DOCX)
    assert _statuses(from_pdf) == _statuses(from_word)
    assert sorted(_statuses(from_pdf).values()).count("met") == 5
    quotes = {r.element: [e.text for e in r.evidence] for r in from_pdf.results}
    assert quotes == {r.element: [e.text for e in r.evidence] for r in from_word.results}


def test_a_filing_printed_to_pdf_is_read_from_its_cover_to_its_section(checker) -> None:
    report = check_file(checker, FILING)
    doc = report.document
    # the cover states the form and the fiscal year end (no inline XBRL in a PDF)
    assert doc.form == "10-K" and doc.metadata["period"] == "2025-01-26"
    assert doc.metadata["issuer"] == "NVIDIA CORPORATION"
    assert report.pack_id == "sk-106" and report.pack_reason == "form 10-K"
    # the section is found at its heading, not at its line in the contents (page 2)
    assert doc.section.method == "heading" and doc.section.heading == "Item 1C. Cybersecurity"
    assert doc.text[doc.section.start:doc.section.end].rstrip().endswith(
        "over 17 years of combined government and private sector assignments.")
    statuses = _statuses(report)
    assert statuses.pop("material_effect") == "missing"
    assert set(statuses.values()) == {"met"} and len(statuses) == 11
    # evidence is placed by the printed page number, the sub-heading and the paragraph
    process = next(r for r in report.results if r.element == "risk_process")
    assert process.evidence[0].location.describe() == "p. 32, Risk management and strategy, para. 1"
    committee = next(r for r in report.results if r.element == "board_committee")
    assert committee.evidence[0].location.describe().startswith("p. [5], Governance, para. 1")


def test_the_scope_names_the_pdf_pages_and_the_tags_a_pdf_cannot_carry(checker) -> None:
    view = build_view(check_file(checker, FILING))
    assert "(PDF pages 4–5, 3,920 characters)" in view.scope_checked
    assert "inline XBRL tags, which a PDF does not carry" in view.scope_not_checked


def test_the_pdf_filing_and_the_html_filing_agree(checker) -> None:
    html = shared_path("fullfilings", "nvda-10-k-2025-02-26.html")
    from_pdf = check_file(checker, FILING)
    (document,) = ingest.load(str(html))
    from_html = checker.check_document(document, "sk-106")
    assert _statuses(from_pdf) == _statuses(from_html)
    assert ({r.element: [e.text for e in r.evidence] for r in from_pdf.results}
            == {r.element: [e.text for e in r.evidence] for r in from_html.results})


def test_snapshot_text_of_a_filing_printed_to_pdf(checker, snapshot) -> None:
    with in_root():
        (document,) = ingest.load(str(FILING.relative_to(ROOT)))
        text = render([checker.check_document(document)], "text", colour=False, version=VERSION)
    assert text == snapshot.use_extension(TextSnapshot)


def test_snapshot_json_of_a_filing_printed_to_pdf(checker, snapshot) -> None:
    # every quote's location: its printed page (or [n]), sub-heading and paragraph, and its page of the PDF
    with in_root():
        (document,) = ingest.load(str(FILING.relative_to(ROOT)))
        text = render([checker.check_document(document)], "json", version=VERSION)
    assert json.loads(text)["document"]["section"]["location"] == {"text": "p. 32", "line": 4, "page": "32"}
    assert steady(text) == snapshot.use_extension(JsonSnapshot)


# ------------------------------------------------------------------ paragraphs rebuilt from the layout

def _page(*rows: tuple[str, float, float, float]) -> list[pdf.Line]:
    """Lines of a page in points (left, right, bottom): 10-point type on 11-point lines, margins 34 and 578."""
    return [pdf.Line(text, left, right, bottom, 10.0, bottom) for text, left, right, bottom in rows]


def test_paragraphs_are_split_at_gaps_titles_indents_and_bullets() -> None:
    lines = _page(
        ("Governance", 34, 120, 700),                                      # a title: short, then a capital
        ("Our Board of Directors oversees cybersecurity and the", 34, 578, 686),
        ("Audit Committee reviews cyber risk each quarter.", 34, 300, 675),  # short: its paragraph ends
        ("Management reports to the Board.", 34, 220, 664),                # ... before a capital
        ("The CISO leads the program, and she has", 34, 578, 640),         # 24 points down: a gap
        ("twenty years of experience.", 34, 200, 629),
        ("The security team monitors alerts around", 52, 578, 618),       # a first-line indent
        ("the clock. It escalates incidents to the CISO.", 34, 300, 607),
        ("• penetration tests by outside firms;", 34, 260, 596),
        ("• vendor assessments.", 34, 160, 585),
        ("We assess third-party service providers' cyber-", 34, 578, 574),
        ("security before onboarding them.", 34, 250, 563),
    )
    assert pdf._paragraphs(lines) == [
        "Governance",
        "Our Board of Directors oversees cybersecurity and the Audit Committee reviews cyber risk each quarter.",
        "Management reports to the Board.",
        "The CISO leads the program, and she has twenty years of experience.",
        "The security team monitors alerts around the clock. It escalates incidents to the CISO.",
        "• penetration tests by outside firms;",
        "• vendor assessments.",
        "We assess third-party service providers' cyber-security before onboarding them.",
    ]


def test_lines_of_one_type_size_with_glyph_high_boxes_are_one_paragraph() -> None:
    # LibreOffice's PDF of a Word draft: PDFium's loose box of a line's first character is that glyph's own
    # height ("M" 10.0, "p" 8.1, "a" 7.8), not the font's, so every line was read as a change of type and
    # each paragraph came apart at its line breaks ("... leads the cybersecurity" / "program for ...").
    rows = [("Our Chief Information Security Officer leads the cybersecurity", 90, 519, 449, 10.0),
            ("program for the company and each subsidiary and reports to the", 90, 495, 434, 8.1),
            ("Chief Information Officer.", 90, 250, 420, 10.1),
            ("The CISO is informed about and monitors the prevention of", 90, 471, 395, 10.0),
            ("attacks through the security operations center.", 90, 429, 380, 7.8)]
    lines = [pdf.Line(text, left, right, bottom, height, bottom, 11.0) for text, left, right, bottom, height in rows]
    assert pdf._paragraphs(lines) == [
        "Our Chief Information Security Officer leads the cybersecurity program for the company and each "
        "subsidiary and reports to the Chief Information Officer.",
        "The CISO is informed about and monitors the prevention of attacks through the security operations center."]


def test_words_bullets_from_its_symbol_font_are_bullets() -> None:
    # Word's bullets are the Symbol font's U+F0B7 (Wingdings' U+F0A7, U+F0D8): PDFium gives those private-use
    # characters, so a bulleted list ran together into one paragraph (" a 24/7 ...;  annual ...").
    rows = [("\uf0b7 a 24/7 security operations center that monitors the networks of the company", 578, 600),
            ("and each subsidiary;", 200, 586), ("\uf0a7 annual penetration testing by independent firms;", 300, 572),
            ("\uf0d8 a vendor risk management program for third-party providers.", 400, 558)]
    lines = [pdf.Line(pdf._text_of(text), 34, right, bottom, 10.0, bottom) for text, right, bottom in rows]
    assert pdf._paragraphs(lines) == [
        "\u2022 a 24/7 security operations center that monitors the networks of the company and each subsidiary;",
        "\u25aa annual penetration testing by independent firms;",
        "\u2022 a vendor risk management program for third-party providers."]


def test_a_font_size_scaled_by_the_text_matrix_is_not_taken_for_the_type_size() -> None:
    # type set at size 1 and scaled up by the text matrix: PDFium's font size says 1 for a 14-point heading and
    # for 10-point body text alike; the box's height tells them apart
    lines = [pdf.Line("Governance", 34, 120, 700, 14.0, 700, 1.0),
             pdf.Line("Our Board of Directors oversees cybersecurity risk through its", 34, 578, 684, 10.0, 684, 1.0),
             pdf.Line("Audit Committee.", 34, 150, 673, 10.0, 673, 1.0)]
    assert [ln.type_size for ln in lines] == [14.0, 10.0, 10.0]
    assert pdf._paragraphs(lines)[0] == "Governance"


def test_a_ragged_line_before_a_lower_case_word_goes_on() -> None:
    lines = _page(("We have engaged a leading", 34, 578, 700), ("firm whose", 34, 300, 689),
                  ("specialists test our defenses.", 34, 250, 678), ("2", 300, 306, 40))
    assert pdf._paragraphs(lines) == ["We have engaged a leading firm whose specialists test our defenses.", "2"]


def test_double_spaced_lines_are_one_paragraph_and_a_larger_gap_still_parts_them() -> None:
    lines = _page(("The Audit Committee oversees cyber risk and", 34, 578, 700),
                  ("receives quarterly reports from the CISO.", 34, 300, 678),
                  ("The CISO has held the role since 2019 and", 34, 578, 634),
                  ("reports to the Chief Financial Officer.", 34, 260, 612))
    assert pdf._paragraphs(lines) == [
        "The Audit Committee oversees cyber risk and receives quarterly reports from the CISO.",
        "The CISO has held the role since 2019 and reports to the Chief Financial Officer."]


def test_a_page_of_short_paragraphs_is_split_at_its_gaps() -> None:
    """A proof page (Chromium's print of an EDGAR .htm) of two-line paragraphs and a sub-heading: more steps
    down the page are gaps between paragraphs (24 points) than lines within one (12). The line pitch was the
    median step, a gap's: 'Governance' ran on after the paragraph above it and the .htm's 'Governance, para. 1'
    was 'Risk Management and Strategy, para. 4' in the PDF."""
    lines = _page(
        ("We engage third-party assessors and consultants to test our controls annually. We also", 34, 557, 741),
        ("service providers before engaging them.", 34, 190, 729),
        ("We have not identified any risks from cybersecurity threats, including as a result of any", 34, 570, 705),
        ("affected or are reasonably likely to materially affect us, or our financial condition.", 34, 545, 693),
        ("Governance", 34, 83, 669),
        ("Our Board of Directors oversees cybersecurity risk through its Audit Committee.", 34, 541, 645),
        ("Our CISO has over 20 years of experience in information security and holds the CISSP", 34, 563, 621),
        ("through our security operations center.", 34, 453, 609),
    )
    assert pdf._paragraphs(lines) == [
        "We engage third-party assessors and consultants to test our controls annually. We also service providers "
        "before engaging them.",
        "We have not identified any risks from cybersecurity threats, including as a result of any affected or are "
        "reasonably likely to materially affect us, or our financial condition.",
        "Governance",
        "Our Board of Directors oversees cybersecurity risk through its Audit Committee.",
        "Our CISO has over 20 years of experience in information security and holds the CISSP through our security "
        "operations center.",
    ]


def test_a_line_joined_over_a_hyphen_is_measured_from_its_end() -> None:
    # PDFium gives "notification-" and "related matters ..." as one line: its box starts on the upper line
    joined = pdf.Line("legal and notification-related matters, and possible effects. The Company believes that the",
                       34, 578, 423, 10.0, 411)
    lines = [pdf.Line("the potential consequences of the incident, including", 34, 578, 435, 10.0, 435), joined,
             pdf.Line("incident is not reasonably likely to have a material impact.", 34, 400, 399, 10.0, 399)]
    (paragraph,) = pdf._paragraphs(lines)
    assert "The Company believes that the incident is not reasonably likely" in paragraph


def test_pdfiums_line_end_hyphen_and_ligatures_are_read_as_letters() -> None:
    assert "notification\ufffere\ufb01ned".translate(pdf._LIGATURES) == "notification-refined"


# ------------------------------------------------------------------ what cannot be read is said, in one line

def _pdf_bytes(build) -> bytes:
    writer = pypdf.PdfWriter()
    build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _blank(writer: pypdf.PdfWriter) -> None:
    writer.add_blank_page(612, 792)


def _locked(writer: pypdf.PdfWriter) -> None:
    for page in pypdf.PdfReader(DRAFT_PDF).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", algorithm="RC4-128")


def _bomb(writer: pypdf.PdfWriter) -> None:
    """One page whose content stream inflates past the limit a thousandfold (a zip bomb in a PDF's clothes)."""
    from pypdf.generic import NameObject, StreamObject

    from checker.ingest.limits import MAX_UNPACKED

    squeeze, chunk = zlib.compressobj(9), b" " * (1 << 20)
    packed = b"".join(squeeze.compress(chunk) for _ in range(MAX_UNPACKED // len(chunk) + 1)) + squeeze.flush()
    writer.add_blank_page(612, 792)
    stream = StreamObject()
    stream.set_data(packed)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)


def _one_page_many_times(count: int) -> bytes:
    """A PDF whose page tree lists one small page of text `count` times: 6 bytes a page, under any size limit
    (300,000 of them, 1.8 MB, took 141 s and 1.7 GB to read)."""
    content = b"BT /F1 12 Tf 72 720 Td (Item 1C. Cybersecurity. The Board oversees cybersecurity risk.) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + b" 3 0 R" * count + b"] /Count %d >>" % count,
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.mark.parametrize(("content", "phrase"), [
    (b"%PDF-1.7\nnot really a PDF at all", "cannot read the PDF"),
    (lambda: _one_page_many_times(20_000), "refusing to read the PDF: it has 20,000 pages (the limit is 5,000)"),
    (b"plain words in a file named .pdf", "cannot read the PDF"),
    (lambda: FILING.read_bytes()[:3000], "cannot read the PDF"),
    (lambda: _pdf_bytes(_blank), "no text to read (a scanned image?)"),
    (lambda: _pdf_bytes(_locked), "password-protected"),
    (lambda: _pdf_bytes(_bomb), "refusing to read the PDF: its streams expand to more than"),
    (lambda: _pdf_bytes(_shifted_pages), "the PDF's text does not read as words"),
])
def test_a_pdf_that_cannot_be_read_is_a_one_line_error(tmp_path, capsys, content, phrase) -> None:
    path = tmp_path / "filing.pdf"
    path.write_bytes(content() if callable(content) else content)
    code, _, err = run_main(capsys, "check", str(path))
    assert_one_line_error(code, err, "filing.pdf", phrase)


def _helvetica_page(writer: pypdf.PdfWriter, content: bytes) -> None:
    """A Letter page whose content stream `content` sets text in Helvetica as /F1."""
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer.add_blank_page(612, 792)
    page = writer.pages[-1]
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)


def _text_page(writer: pypdf.PdfWriter, lines: list[str]) -> None:
    """A page of lines in a standard font, one every 14 points from the top, as a printer lays them out."""
    shown = b" 0 -14 Td ".join(b"(" + line.encode("latin-1").replace(b"(", b"\\(").replace(b")", b"\\)") + b") Tj"
                               for line in lines)
    _helvetica_page(writer, b"BT /F1 10 Tf 72 740 Td " + shown + b" ET")


def _printed_report(path: Path) -> Path:
    """A PDF whose first page reads like the HTML report printed by Chromium."""
    writer = pypdf.PdfWriter()
    _text_page(writer, ["cydcheck gap report", "Item 1C. Cybersecurity",
                        "Our Board of Directors oversees cybersecurity risk."])
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def _shifted_pages(writer: pypdf.PdfWriter) -> None:
    """The complete sample's words as a font with a shifted code gives them."""
    words = _shifted(PROSE.replace("#", "")).split()
    _text_page(writer, [" ".join(words[k:k + 12]) for k in range(0, min(len(words), 600), 12)])


def test_a_gap_report_printed_to_pdf_is_refused_as_a_report(tmp_path, capsys) -> None:
    path = _printed_report(tmp_path / "gap-report.pdf")
    code, _, err = run_main(capsys, "check", str(path))
    assert_one_line_error(code, err, "gap-report.pdf", "this is a cydcheck report (html, printed to PDF)")


def test_a_folder_leaves_out_a_printed_gap_report_and_says_so(tmp_path, capsys) -> None:
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "proof.pdf").write_bytes(DRAFT_PDF.read_bytes())
    _printed_report(tmp_path / "drafts" / "proof-report.pdf")
    code, out, err = run_main(capsys, "check", str(tmp_path / "drafts"))
    assert code == 1, err
    assert "proof.pdf:" in out and "proof-report.pdf:" not in out
    assert "1 file in" in err and "left out as cydcheck reports" in err and "proof-report.pdf" in err


def test_a_pdf_on_standard_input_is_read_as_a_pdf(capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(DRAFT_PDF.read_bytes())))
    code, out, err = run_main(capsys, "check", "-", "--format", "text", "--no-color")
    assert code == 1, err
    assert "<stdin>: 10-K Item 1C" in out and "5 met, 0 partial, 7 missing" in out


def test_a_folder_of_drafts_reads_its_pdf_too(tmp_path, capsys) -> None:
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "proof.pdf").write_bytes(DRAFT_PDF.read_bytes())
    (tmp_path / "drafts" / "draft.docx").write_bytes(DRAFT_DOCX.read_bytes())
    code, out, err = run_main(capsys, "check", str(tmp_path / "drafts"), "--format", "text", "--no-color")
    assert code == 1, err
    assert "proof.pdf:" in out and "draft.docx:" in out and out.count("5 met, 0 partial, 7 missing") == 2
    assert "does not read" not in err


@pytest.mark.parametrize(("cover", "expected"), [
    # an 8-K's cover (CareCloud's, as printed): the form, the issuer and the date of report (no fiscal year), as
    # the inline XBRL filing's dei:DocumentPeriodEndDate gives it
    ("UNITED STATES\n\nSECURITIES AND EXCHANGE COMMISSION\n\nFORM 8-K\n\nCURRENT REPORT\n\nDate of Report (Date of "
     "earliest event reported): March 24, 2026\n\nCareCloud, Inc.\n\n(Exact name of registrant as specified in its "
     "charter)\n\nDelaware", ("8-K", {"period": "2026-03-24", "issuer": "CareCloud, Inc."})),
    # a 10-K's, its date split by a no-break space; an amendment's form
    ("SECURITIES AND EXCHANGE COMMISSION\n\nFORM 10-K/A\n\nANNUAL REPORT PURSUANT TO SECTION 13 OR 15(d)\n\nFor the fiscal year ended December\u00a01, 2023"
     "\n\nADOBE INC.\n\n(Exact name of registrant as specified in its charter) Delaware",
     ("10-K/A", {"period": "2023-12-01", "issuer": "ADOBE INC."})),
    # a draft of the section alone: no cover, nothing read from it
    ("Item 1C. Cybersecurity\n\nOur Board of Directors oversees cybersecurity risk.", (None, {})),
    # ... even where it names a form and a fiscal year: an 8-K's draft is not a 10-K, nor its year the period
    ("Item 1.05 Material Cybersecurity Incidents\n\nAs disclosed in our Annual Report on Form 10-K for the fiscal "
     "year ended December 31, 2022, we rely on vendors. On May 5, 2026, we detected ransomware.", (None, {})),
    # a cover whose form is inside a line of its own ("FISCAL YEAR 2024 FORM 10-K ANNUAL REPORT"): the caption
    # makes it a cover, so its fiscal year end is read; the form is left to the heading
    ("MASTERCARD INCORPORATED FISCAL YEAR 2024 FORM 10-K ANNUAL REPORT\n\nFor the fiscal year ended December 31, "
     "2024\n\nMastercard Incorporated\n\n(Exact name of registrant as specified in its charter)",
     (None, {"period": "2024-12-31", "issuer": "Mastercard Incorporated"})),
])
def test_the_cover_gives_form_period_and_issuer(cover, expected) -> None:
    from checker.ingest import cover as cover_page

    assert cover_page.read(cover) == expected


COUNSEL = HERE / "fixtures" / "pdf" / "counsel-draft-2-pages.pdf"  # LibreOffice's PDF of a 2-page draft


def test_a_drafts_running_header_and_page_of_pages_footer_are_furniture(checker) -> None:
    report = check_file(checker, COUNSEL)
    doc = report.document
    assert "PRIVILEGED" not in doc.text and "Page 1 of 2" not in doc.text and "of 2" not in doc.text
    assert [label for _, label in doc.source_map.pages] == ["1", "2"]  # "Page 2 of 2" is page 2, not 2 of 2
    assert doc.text.startswith("Item 1C. Cybersecurity\n\nRisk Management and Strategy\n\nWe have implemented")
    assert set(_statuses(report).values()) == {"met"} and len(_statuses(report)) == 12
    where = {r.element: r.evidence[0].location.describe() for r in report.results if r.evidence}
    assert where["risk_process"].startswith("p. 1, Risk Management and Strategy, para. ")
    assert where["mgmt_reports_board"].startswith("p. 2, ")


def _placed_page(writer: pypdf.PdfWriter, lines: list[tuple[float, str]]) -> None:
    """A page of lines in a standard font, each at its height from the bottom, in the order given (the order
    of the page's text: a floating text box may come after the footer)."""
    _helvetica_page(writer, b" ".join(b"BT /F1 10 Tf 72 %d Td (" % y + text.encode("latin-1") + b") Tj ET"
                                      for y, text in lines))


def test_a_running_footer_before_a_text_box_in_the_pages_text_is_furniture(tmp_path) -> None:
    # LibreOffice writes a floating text box after the page's footer: the footer was not the page's last
    # block, so "Attorney work product" was read as a paragraph of the section on every such page.
    writer = pypdf.PdfWriter()
    header = "Meridian Energy Holdings, Inc. - Form 10-K 2026 - Draft v4-final - Privileged & Confidential"
    _placed_page(writer, [(750, header), (700, "Item 1C. Cybersecurity"),
                          (680, "Our Board of Directors oversees cybersecurity risk."),
                          (40, "Attorney work product - do not distribute")])
    _placed_page(writer, [(750, header),  # 15 tokens, 12 words: its dashes and "&" are no words
                          (700, "Our CISO reports to the Audit Committee each quarter."),
                          (40, "Attorney work product - do not distribute"),
                          (600, "The CISO has twenty years of experience in cybersecurity.")])
    path = tmp_path / "draft.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    text = pdf.read(path.read_bytes(), "draft.pdf")[0].text
    assert text.split("\n\n") == ["Item 1C. Cybersecurity", "Our Board of Directors oversees cybersecurity risk.",
                                   "Our CISO reports to the Audit Committee each quarter.",
                                   "The CISO has twenty years of experience in cybersecurity."]


def test_page_of_pages_labels_a_page_by_its_own_number() -> None:
    from checker.ingest.pages import Block, assemble

    blocks = [Block([("Our Board oversees cyber risk.", ((0, 1),))], page=0),
              Block([("Page 1 of 12", ((0, 1),))], page_edge=True, page=0),
              Block([("The CISO reports to the Board.", ((0, 2),))], page=1),
              Block([("Draft 3 | Page 2 of 12", ((0, 2),))], page_edge=True, page=1)]
    rendered = assemble(blocks)
    assert rendered.text == "Our Board oversees cyber risk.\n\nThe CISO reports to the Board."
    assert [label for _, label in rendered.pages] == ["1", "2"]


def test_a_running_footer_with_its_page_number_between_words_labels_the_page() -> None:
    # Home Depot's 10-K printed by Chromium: "Fiscal 2024 Form 10-K", the folio and the logo's "thd" on one
    # line of the PDF; the page is 22 (as the HTML filing's footer says), not the 42nd page of the PDF
    from checker.ingest.pages import Block, assemble

    blocks = [Block([("Our Board oversees cyber risk.", ((0, 1),))], page=0),
              Block([("Fiscal 2024 Form 10-K 21 thd", ((0, 1),))], page_edge=True, page=0),
              Block([("The CISO reports to the Board.", ((0, 2),))], page=1),
              Block([("Fiscal 2024 Form 10-K 22 thd", ((0, 2),))], page_edge=True, page=1)]
    rendered = assemble(blocks)
    assert rendered.text == "Our Board oversees cyber risk.\n\nThe CISO reports to the Board."
    assert [label for _, label in rendered.pages] == ["21", "22"]


def test_a_short_heading_with_a_number_between_words_is_no_folio() -> None:
    # a block by a page break seen once ("Top 10 Customers") is a heading, not a running footer
    from checker.ingest.pages import Block, assemble

    blocks = [Block([("Top 10 Customers", ((0, 1),))], page_edge=True, page=0),
              Block([("Our Board oversees cyber risk.", ((0, 1),))], page=0),
              Block([("The CISO reports to the Board.", ((0, 2),))], page=1)]
    rendered = assemble(blocks)
    assert rendered.text.startswith("Top 10 Customers\n\n")
    assert [label for _, label in rendered.pages] == ["[1]", "[2]"]


def _shifted(text: str) -> str:
    """The text as a font with a shifted code gives it: every letter three places on (Caesar's cipher)."""
    def turn(c: str) -> str:
        base = "a" if c.islower() else "A"
        return chr((ord(c) - ord(base) + 3) % 26 + ord(base)) if c.isascii() and c.isalpha() else c
    return "".join(map(turn, text))


PROSE = (ROOT / "samples" / "draft-10k-1c-complete.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("text", "unreadable"), [
    (PROSE, False),
    (_shifted(PROSE), True),                                   # "Zh kdyh lpsohphqwhg d fbehuvhfxulwb ..."
    ("\ue001\ue002\ue003 " * 200, True),                       # private-use glyph codes
    (PROSE.replace("e", "\ufffd"), True),                      # a font that maps no "e"
    (" ".join(["Revenue", "$", "1,234", "5,678", "(12)"] * 30), False),  # a table: few words, not judged
])
def test_a_text_layer_that_is_not_words_is_told_apart(text, unreadable) -> None:
    assert pdf.unreadable(text) is unreadable


def test_pdfs_read_from_many_threads_at_once_read_as_one_alone() -> None:
    # `cydcheck serve` checks uploads in threads, and PDFium is not thread-safe: the reader takes its turn
    from concurrent.futures import ThreadPoolExecutor

    raws = [FILING.read_bytes(), DRAFT_PDF.read_bytes(), COUNSEL.read_bytes()] * 4
    alone = [pdf.read(raw, "x")[0].text for raw in raws[:3]]
    with ThreadPoolExecutor(max_workers=6) as pool:
        together = list(pool.map(lambda raw: pdf.read(raw, "x")[0].text, raws))
    assert together == alone * 4


def test_a_character_outside_the_basic_plane_does_not_shift_the_lines_after_it() -> None:
    # PDFium counts UTF-16 units: an emoji is two of its characters and one of Python's
    plain = pdf.read(COUNSEL.read_bytes(), "x")[0].text
    emoji = pdf.read((HERE / "fixtures" / "pdf" / "counsel-draft-emoji.pdf").read_bytes(), "x")[0].text
    assert "\U0001f6e1" in emoji
    assert emoji.replace("\U0001f6e1 ", "") == plain


_WORDS = st.lists(st.sampled_from(["Board", "the", "CISO", "reports", "•", "(a)", "1.", "oversees", "risk.", "Our"]),
                  min_size=1, max_size=8).map(" ".join)
_GEOMETRY = st.tuples(st.floats(20, 300), st.floats(50, 600), st.floats(-50, 800), st.floats(4, 30))


@given(st.lists(st.tuples(_WORDS, _GEOMETRY), min_size=1, max_size=30))
def test_rebuilding_paragraphs_keeps_every_word_in_its_order(rows) -> None:
    lines = [pdf.Line(text, left, max(left, right), bottom, height, bottom)
             for text, (left, right, bottom, height) in rows]
    paragraphs = pdf._paragraphs(lines)
    assert " ".join(paragraphs).split() == " ".join(text for text, _ in rows).split()
    assert all(p and p == p.strip() for p in paragraphs)


def test_an_8k_drafts_proof_that_names_a_10k_is_checked_as_an_8k(tmp_path, checker) -> None:
    writer = pypdf.PdfWriter()
    _text_page(writer, [
        "Item 1.05 Material Cybersecurity Incidents",
        "As disclosed in our Annual Report on Form 10-K for the fiscal year ended December 31, 2022, we rely",
        "on third-party vendors. On May 5, 2026, we detected ransomware in our billing systems, which an",
        "unauthorized third party had accessed since April 28, 2026, and took customer records.",
    ])
    path = tmp_path / "8-K draft.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    (document,) = ingest.load(str(path))
    assert document.form is None and "period" not in document.metadata  # no cover: nothing taken from it
    report = checker.check_document(document)
    assert report.pack_id == "form-8k-105" and report.pack_reason.startswith("heading")
    assert _statuses(report)["incident_timing"] == "met"


def test_a_draft_set_in_two_columns_reads_as_the_same_draft_in_one(checker) -> None:
    # PDFium gives the left column, then the right; each column's full lines are measured from its own left
    # edge, and a sentence cut at a column's or a page's foot goes on where it goes on
    columns = check_file(checker, HERE / "fixtures" / "pdf" / "counsel-draft-2-columns.pdf")
    one = check_file(checker, COUNSEL)
    assert columns.document.text.split() == one.document.text.split()
    assert _statuses(columns) == _statuses(one) and set(_statuses(columns).values()) == {"met"}
    assert "\n\nItem 1A" not in columns.document.text  # "... see" | "Item 1A, 'Risk Factors.'" over the page


def _scanned(raw: bytes, scan: set[int]) -> bytes:
    """The PDF with the pages of `scan` (0-based) replaced by pictures of themselves: no text layer."""
    import pypdfium2

    source, out = pypdfium2.PdfDocument(raw), pypdfium2.PdfDocument.new()
    for i in range(len(source)):
        if i not in scan:
            out.import_pages(source, [i])
            continue
        width, height = source[i].get_size()
        page = out.new_page(width, height)
        image = pypdfium2.PdfImage.new(out)
        image.set_bitmap(source[i].render(scale=1))
        image.set_matrix(pypdfium2.PdfMatrix().scale(width, height))
        page.insert_obj(image)
        page.gen_content()
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def test_a_pdf_with_scanned_pages_names_them_as_not_read(checker, tmp_path, capsys) -> None:
    # a proof whose second page was scanned back in: its gaps were given as the draft's, with no word that a
    # page held no text
    path = tmp_path / "proof.pdf"
    path.write_bytes(_scanned(COUNSEL.read_bytes(), {1}))
    report = check_file(checker, path)
    assert report.document.not_read[-1] == ("page 2 of 2, which has no text, only an image (scanned?): run OCR "
                                            "on the PDF to read it")
    code, out, err = run_main(capsys, "check", str(path))
    assert "page 2 of 2, which has no text" in " ".join(out.split())  # the scope, wrapped
    assert check_file(checker, COUNSEL).document.not_read == (
        "the filing's inline XBRL tags, which a PDF does not carry",)


def test_a_text_file_exported_to_pdf_reads_as_the_text_file(checker) -> None:
    # LibreOffice sets a .txt in Liberation Mono and writes the font's Ascent and Descent as 0: PDFium's loose
    # box of each character is then the glyph's own, "risks" shorter than "We", and every such line was read
    # as a new paragraph of another size; the sentence fragments met the material-effect element (exit 0)
    plain = HERE / "fixtures" / "pdf" / "hd-10k-1c-plain-text.txt"
    proof = check_file(checker, plain.with_suffix(".pdf"))
    text = check_file(checker, plain)
    assert [" ".join(p.split()) for p in proof.document.text.split("\n\n")] == [
        " ".join(p.split()) for p in text.document.text.strip().split("\n\n")]
    assert _statuses(proof) == _statuses(text) and _statuses(proof)["material_effect"] == "partial"


@pytest.mark.parametrize(("last", "first", "joined"), [
    ("For more information about these risks, see", "Item 1A, “Risk Factors.”", True),
    ("provided pursuant to Section 13(a) of the Exchange Act. \u2610", "Item 1.05 Material Cybersecurity Incident.",
     False),  # a cover's check box: no sentence goes on
    ("We maintain an incident response plan.", "The plan is tested each year.", False),
    ("composed of a cross-", "functional group", ""),  # a word hyphenated over the page break: one word
])
def test_a_sentence_cut_by_a_page_break_after_a_full_line_goes_on(last, first, joined) -> None:
    from checker.ingest.pages import Block, assemble

    rendered = assemble([Block([(last, ((0, 1),))], page=0, full_last_line=True),
                         Block([(first, ((0, 2),))], page=1)])
    assert rendered.text == last + (joined if isinstance(joined, str) else " " if joined else "\n\n") + first


def test_html_pages_for_a_folder_of_pdfs_are_named_without_the_pdf_suffix(tmp_path, capsys) -> None:
    (tmp_path / "out").mkdir()
    code, _, err = run_main(capsys, "check", str(DRAFT_PDF), str(COUNSEL), "-f", "html", "-o", str(tmp_path / "out"))
    assert code == 1, err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "001-draft-10k-1c-deficient.html", "002-counsel-draft-2-pages.html", "index.html"]


# ------------------------------------------------------------------ the copy with the findings as notes

def _notes(raw: bytes) -> list[tuple[int, float, str]]:
    """The copy's notes by cydcheck: (page index, top of the note, its text), in page order."""
    out = []
    for i, page in enumerate(pypdf.PdfReader(io.BytesIO(raw)).pages):
        for ref in page.get("/Annots") or []:
            note = ref.get_object()
            if note.get("/T") == "cydcheck":
                assert note["/Subtype"] == "/Text" and note["/Open"].value is False  # closed: a note, not a pop-up
                out.append((i, float(note["/Rect"][3]), str(note["/Contents"])))
    return out


def _links(raw: bytes) -> int:
    return sum(ref.get_object()["/Subtype"] == "/Link" for page in pypdf.PdfReader(io.BytesIO(raw)).pages
               for ref in page.get("/Annots") or [])


def test_a_pdf_proof_comes_back_as_a_copy_with_the_findings_as_notes(tmp_path, capsys) -> None:
    proof = tmp_path / "proof.pdf"
    proof.write_bytes(DRAFT_PDF.read_bytes())
    code, _, err = run_main(capsys, "check", str(proof), "-o", str(tmp_path / "proof-checked.pdf"))
    assert code == 1, err
    copy = (tmp_path / "proof-checked.pdf").read_bytes()
    notes = _notes(copy)
    heads = [text.split("\n")[0] for _, _, text in notes]
    assert heads[0].startswith("cydcheck ") and heads[0].endswith("5 met, 7 missing.")
    assert sum(h.startswith("MISSING: ") for h in heads) == 7 and sum(h.startswith("MET: ") for h in heads) == 5
    # each element met beside the line where its sentence starts
    lines = pdf.page_lines(proof.read_bytes(), "proof.pdf")[0]
    start = next(ln for ln in lines if ln.text.startswith("Our Board of Directors oversees"))
    board = next(top for _, top, text in notes if text.startswith("MET: Board oversight"))
    assert board == pytest.approx(start.bottom + start.height, abs=0.5)
    # the pages are the proof's, and the proof itself is as it was
    assert pdf.read(copy, "copy")[0].text == pdf.read(proof.read_bytes(), "proof")[0].text
    assert proof.read_bytes() == DRAFT_PDF.read_bytes()


def test_a_filings_notes_go_on_the_pages_of_its_section(tmp_path, capsys) -> None:
    code, _, err = run_main(capsys, "check", str(FILING), "-f", "pdf", "-o", str(tmp_path / "nvda.pdf"))
    assert code == 1, err
    notes = _notes((tmp_path / "nvda.pdf").read_bytes())
    assert _links((tmp_path / "nvda.pdf").read_bytes()) == _links(FILING.read_bytes()) > 0  # its links kept
    assert {page for page, _, _ in notes} == {3, 4}  # Item 1C starts on the PDF's 4th page and ends on its 5th
    summary = notes[0]
    heading = next(ln for ln in pdf.page_lines(FILING.read_bytes(), "x")[3] if ln.text == "Item 1C. Cybersecurity")
    assert summary[0] == 3 and summary[1] == pytest.approx(heading.bottom + heading.height, abs=0.5)


def test_a_pdf_copy_is_of_pdfs_only_and_never_the_input(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    code, _, err = run_main(capsys, "check", "samples/draft-10k-1c-deficient.md", "-f", "pdf", "-o",
                            str(tmp_path / "x.pdf"))
    assert_one_line_error(code, err, "draft-10k-1c-deficient.md", "a copy of each PDF: check .pdf files")
    proof = tmp_path / "proof.pdf"
    proof.write_bytes(DRAFT_PDF.read_bytes())
    code, _, err = run_main(capsys, "check", str(proof), "-o", str(proof))
    assert_one_line_error(code, err, "proof.pdf", "input")
    assert proof.read_bytes() == DRAFT_PDF.read_bytes() and not (tmp_path / "x.pdf").exists()


def test_a_folder_of_proofs_gives_a_copy_with_notes_each(tmp_path, capsys) -> None:
    (tmp_path / "proofs").mkdir()
    (tmp_path / "proofs" / "a.pdf").write_bytes(DRAFT_PDF.read_bytes())
    (tmp_path / "proofs" / "b.pdf").write_bytes(COUNSEL.read_bytes())
    code, _, err = run_main(capsys, "check", str(tmp_path / "proofs"), "-f", "pdf", "-o", str(tmp_path / "out") + "/")
    assert code == 1, err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a-checked.pdf", "b-checked.pdf"]
    counsel = [text.split("\n")[0] for _, _, text in _notes((tmp_path / "out" / "b-checked.pdf").read_bytes())]
    assert counsel[0].endswith("12 met.") and len(counsel) == 13


A4_20F = HERE / "fixtures" / "pdf" / "fpi-20f-16k-a4.pdf"  # a translated 20-F draft printed to A4 by Chromium


def test_a_glyph_pdfium_cannot_name_does_not_shift_the_lines_after_it(checker) -> None:
    # Chromium writes the full-width "（" of a translated draft with no Unicode: PDFium counts it as a character
    # but leaves it out of the page's text, so every line after it was measured from the wrong character and
    # each line of a paragraph became a paragraph of its own
    doc = pdf.read(A4_20F.read_bytes(), "x")[0]
    assert ("We engage third-party assessors, including an external security consultancy, to conduct penetration "
            "testing and to evaluate the maturity of our controls against the NIST Cybersecurity Framework once "
            "a year.") in doc.text.split("\n\n")
    report = check_file(checker, A4_20F)
    erm = next(r for r in report.results if r.element == "erm_integration")
    assert erm.evidence[0].location.describe() == "Risk Management and Strategy, para. 1"
    assert erm.evidence[0].text.startswith("This programme is integrated into our overall risk management system")


def _proof_pages(numbered: bool, lines_per_page: int = 30) -> bytes:
    """The complete sample set as a financial printer's proof: 10-point lines 12 points apart, a paragraph's
    gap, a running head, a centred folio, and (when `numbered`) each line's number in the left margin."""
    import textwrap

    rows: list[str] = []
    for block in PROSE.split("\n\n"):
        rows.extend(textwrap.wrap(" ".join(block.split()).lstrip("# "), 95) + [""])
    writer = pypdf.PdfWriter()
    for start in range(0, len(rows), lines_per_page):
        shown, y, count = [b"BT /F1 7 Tf 36 765 Td (Toppan Merrill - Acme Corp - 10-K - Proof 3) Tj ET",
                           b"BT /F1 9 Tf 300 45 Td (%d) Tj ET" % (31 + start // lines_per_page)], 715, 0
        for row in rows[start:start + lines_per_page]:
            if row:
                count += 1
                if numbered:
                    shown.append(b"BT /F1 7 Tf %.2f %d Td (%d) Tj ET" % (64 - 3.892 * len(str(count)), y, count))
                shown.append(b"BT /F1 10 Tf 90 %d Td (" % y + row.encode("latin-1") + b") Tj ET")
            y -= 12 if row else 6
        _helvetica_page(writer, b"\n".join(shown))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_proofs_line_numbers_in_the_margin_are_not_read_as_words(checker) -> None:
    # a printer's proof numbers each line in the left margin: PDFium gives the number as the line's first
    # word ("1 Item 1C. Cybersecurity"), so no heading was found, each quote began with a number and the
    # numbers ran through the sentences ("... risk managem-9 ent program")
    numbered = pdf.read(_proof_pages(numbered=True), "proof.pdf")[0]
    plain = pdf.read(_proof_pages(numbered=False), "proof.pdf")[0]
    assert numbered.text == plain.text
    report = checker.check_document(numbered)
    assert report.document.section.heading == "Item 1C. Cybersecurity"
    assert not any(e.text[:1].isdigit() for r in report.results for e in r.evidence)


def test_a_proofs_running_head_that_ends_in_its_proof_number_does_not_name_the_page() -> None:
    # "Toppan Merrill - Acme Corp - 10-K - Proof 3" heads every page: each page was named "p. 3", not by its
    # folio at the foot (31, 32); a number that stays the same on every page is no page number
    proof = pdf.read(_proof_pages(numbered=True), "proof.pdf")[0]
    assert [label for _, label in proof.source_map.pages] == ["31", "32"]
    assert "Proof 3" not in proof.text


def _numbered_page(writer: pypdf.PdfWriter, lines: list[str], numbered: bool) -> None:
    """A page of lines 14 points apart, each (when `numbered`) with its number in the left margin."""
    _helvetica_page(writer, b"\n".join(
        (b"BT /F1 7 Tf 60 %d Td (%d) Tj ET " % (740 - 14 * k, k + 1) if numbered else b"")
        + b"BT /F1 10 Tf 90 %d Td (" % (740 - 14 * k) + line.encode("latin-1") + b") Tj ET"
        for k, line in enumerate(lines)))


@pytest.mark.parametrize("numbered", [False, True])
def test_a_word_the_printer_hyphenated_at_a_lines_end_reads_whole(numbered) -> None:
    # a proof's justified lines break words ("man-" | "agement"): PDFium marks the break, and it was read as a
    # hyphen, "risk man-agement" in the sentences and quotes; a word the document spells whole elsewhere is
    # now whole, and a compound it spells with its hyphen ("third-party") keeps it. PDFium gives the two
    # lines as one: the next line's number in the margin came inside the word ("man-2 agement")
    lines = ["Our cybersecurity risk management program is reviewed by our Enterprise Risk Committee and our third-",
             "party risk management team each year. The program and its risk man-",
             "agement processes are tested by third-party assessors."]
    raw = _pdf_bytes(lambda writer: _numbered_page(writer, lines, numbered))
    text = pdf.read(raw, "proof.pdf")[0].text
    assert "our third-party risk management team" in text
    assert "its risk management processes" in text
    assert "\ufffe" not in text


def test_paragraphs_whose_lines_end_in_a_hyphenated_word_stay_apart() -> None:
    # PDFium gives a line that ends in a hyphenated word and the next as one line: on a page of such two-line
    # paragraphs every step down was a paragraph's, the line pitch was taken for that, and the paragraphs ran
    # together into one ("... General Counsel. The CISO provides ...")
    rows = [("Our security operations center monitors our environment around the clock and reports to the res-",
             "ponsible team, who escalate significant incidents to our Chief Executive Officer and Counsel."),
            ("The CISO provides quarterly updates to the Audit Committee of our Board of Directors on the pro-",
             "gram, and briefs the full Board at least annually on our program and the threat landscape."),
            ("Our Audit Committee reviews the reports and the program with the CISO and the internal aud-",
             "itors each year, and its chair reports on these matters to the full Board of Directors.")]
    placed, y = [], 700
    for first, second in rows:
        placed += [(y, first), (y - 12, second)]
        y -= 30
    text = pdf.read(_pdf_bytes(lambda writer: _placed_page(writer, placed)), "proof.pdf")[0].text
    assert [paragraph.split()[:2] for paragraph in text.split("\n\n")] == [["Our", "security"], ["The", "CISO"],
                                                                           ["Our", "Audit"]]


def test_a_sentence_cut_by_a_page_break_goes_on_past_the_pages_footnote() -> None:
    # a proof's footnote sits at the page's foot in smaller type, between a sentence's end on the page and its
    # rest on the next: the sentence was cut in two around the footnote and its first half read as a heading
    pages = [[(700, "Our cybersecurity program is aligned with the NIST Cybersecurity Framework(1) and our"),
              (688, "Chief Information Security Officer is responsible for assessing and managing our")],
             [(700, "cybersecurity risks, and leads a team of security professionals.")]]

    def build(writer: pypdf.PdfWriter) -> None:
        for number, lines in enumerate(pages):
            shown = [b"BT /F1 10 Tf 72 %d Td (" % y + text.encode("latin-1") + b") Tj ET" for y, text in lines]
            if not number:
                shown.append(b"BT /F1 8 Tf 72 100 Td ((1) The National Institute of Standards and Technology "
                             b"Cybersecurity Framework, version 2.0.) Tj ET")
            shown.append(b"BT /F1 9 Tf 300 45 Td (%d) Tj ET" % (31 + number))
            _helvetica_page(writer, b"\n".join(shown))

    text = pdf.read(_pdf_bytes(build), "proof.pdf")[0].text
    assert text.split("\n\n") == [
        "Our cybersecurity program is aligned with the NIST Cybersecurity Framework(1) and our Chief Information "
        "Security Officer is responsible for assessing and managing our cybersecurity risks, and leads a team of "
        "security professionals.",
        "(1) The National Institute of Standards and Technology Cybersecurity Framework, version 2.0."]


def _blackline(writer: pypdf.PdfWriter) -> None:
    """A printer's blackline: each segment set word after word, a deletion struck through in red, an
    insertion underlined in blue."""
    from pypdf._codecs.core_font_metrics import CORE_FONT_METRICS

    widths = CORE_FONT_METRICS["Helvetica"].character_widths
    lines = [[("Item 1C. Cybersecurity", "")],
             [("We engage ", ""), ("third-party assessors and consultants ", "del"), ("an outside firm ", "ins"),
              ("to evaluate our program.", "")],
             [("Our Board of Directors oversees cybersecurity risk through its Audit Committee.", "del")],
             [("Our management team is responsible for cybersecurity.", "ins")]]
    shown = []
    for k, segments in enumerate(lines):
        x, y = 72.0, 700 - 14 * k
        for text, kind in segments:
            width = sum(widths.get(c, widths["default"]) for c in text) / 100
            shown.append(b"BT /F1 10 Tf %.2f %d Td (%s) Tj ET" % (x, y, text.encode("latin-1")))
            if kind:
                colour, at = (b"1 0 0", y + 3) if kind == "del" else (b"0 0 1", y - 1.5)
                shown.append(b"%s RG 0.5 w %.2f %.2f m %.2f %.2f l S 0 0 0 RG" % (colour, x, at, x + width, at))
            x += width
    _helvetica_page(writer, b"\n".join(shown))


def test_a_blacklines_struck_through_words_are_read_as_deleted(checker) -> None:
    # a blackline shows the last proof's words struck through and the new ones underlined; both are text, and
    # the struck sentence "Our Board of Directors oversees ..." met board oversight in a draft that deletes it
    (document,) = pdf.read(_pdf_bytes(_blackline), "blackline.pdf")
    assert document.text.split("\n\n") == ["Item 1C. Cybersecurity", "We engage an outside firm to evaluate our program.",
                                           "Our management team is responsible for cybersecurity."]
    assert document.not_read[-1] == ("15 words struck through on page 1 (a blackline's deletions), read as "
                                     "deleted")
    assert _statuses(checker.check_document(document))["board_oversight"] == "missing"


def test_the_report_says_which_pdf_pages_the_printed_page_numbers_are(tmp_path, capsys) -> None:
    # a proof's cover and contents carry no folio: its printed p. 31 is the PDF's page 33, and a paralegal who
    # typed "31" into the viewer's page box from the terminal's or the Markdown report's "p. 31" landed two
    # pages early; only the HTML report named the PDF's pages
    raw = _proof_pages(numbered=True)
    writer = pypdf.PdfWriter()
    _text_page(writer, ["UNITED STATES SECURITIES AND EXCHANGE COMMISSION", "FORM 10-K",
                        "ANNUAL REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934",
                        "For the fiscal year ended December 31, 2026", "ACME CORP"])
    _text_page(writer, ["TABLE OF CONTENTS", "Item 1A. Risk Factors 12", "Item 1C. Cybersecurity 31"])
    for page in pypdf.PdfReader(io.BytesIO(raw)).pages:
        writer.add_page(page)
    path = tmp_path / "proof 3.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    said = "pages: p. 31–32, printed on the pages, are PDF pages 3–4 (the viewer's page box)"
    _, out, _ = run_main(capsys, "check", str(path))
    assert said in " ".join(out.split())
    _, out, _ = run_main(capsys, "check", str(path), "-f", "markdown")
    assert said.replace("pages: ", "**Pages:** ") in " ".join(out.split())


def test_a_proof_cut_short_in_its_download_says_what_to_do(tmp_path, capsys) -> None:
    # the printer's portal or an email gateway cut the proof short: "cannot read the PDF: data format error"
    # said nothing a paralegal could act on
    path = tmp_path / "Acme 10-K Proof 3.pdf"
    raw = _proof_pages(numbered=True)
    path.write_bytes(raw[:len(raw) // 2])
    code, _, err = run_main(capsys, "check", str(path))
    assert_one_line_error(code, err, "Acme 10-K Proof 3.pdf", "cannot read the PDF: data format error (a damaged "
                          "file, or one cut short in a download or an email?): download or save it again")


def test_a_word_hyphenated_at_a_pages_foot_reads_whole_on_the_next_page() -> None:
    # "managing our cyber-" at a page's foot and "security risks" under the next page's running head were read
    # "cyber-security", in the sentence and its quote, where the document spells "cybersecurity" whole
    pages = [[(700, "Our cybersecurity program is aligned with the NIST Cybersecurity Framework, and our Chief"),
              (688, "Information Security Officer is responsible for assessing and managing all of our cyber-")],
             [(700, "security risks, and leads a team of security professionals.")]]

    def build(writer: pypdf.PdfWriter) -> None:
        for number, lines in enumerate(pages):
            shown = [b"BT /F1 7 Tf 72 760 Td (Toppan Merrill - Acme Corp - 10-K - Proof 3) Tj ET"]
            shown += [b"BT /F1 10 Tf 72 %d Td (" % y + text.encode("latin-1") + b") Tj ET" for y, text in lines]
            shown.append(b"BT /F1 9 Tf 300 45 Td (%d) Tj ET" % (31 + number))
            _helvetica_page(writer, b"\n".join(shown))

    text = pdf.read(_pdf_bytes(build), "proof.pdf")[0].text
    assert "managing all of our cybersecurity risks, and leads" in text


def test_a_section_not_found_in_a_proof_with_a_scanned_page_says_it_may_be_there(checker) -> None:
    # the printer's proof came back with the Item 1C page scanned: "no Item 1C section found in this 10-K"
    # and "check that the file is the complete 10-K" sent the paralegal hunting for a missing page
    writer = pypdf.PdfWriter()
    _text_page(writer, ["UNITED STATES SECURITIES AND EXCHANGE COMMISSION", "FORM 10-K",
                        "ANNUAL REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934",
                        "For the fiscal year ended December 31, 2026", "ACME CORP"])
    _text_page(writer, ["Item 1B. Unresolved Staff Comments", "None."])
    for page in pypdf.PdfReader(io.BytesIO(_proof_pages(numbered=False))).pages:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    (document,) = pdf.read(_scanned(out.getvalue(), {2, 3}), "proof.pdf")
    report = checker.check_document(document)
    assert report.document.section.method == "missing"
    assert report.document.section.note == ("no Item 1C section found in this 10-K; pages 3, 4 of the file have no "
                                            "text, only an image (scanned?): the section may be there: run OCR to "
                                            "read them")


def test_underlined_links_and_a_rule_under_a_pages_head_strike_nothing() -> None:
    # Chromium's print of a 10-K: a contents of underlined links set 10 points apart, each link's underline a
    # little below the next line's middle, and a page's foot whose rule runs through the short "thd" beside
    # it: 389 words of a filing were read as a blackline's deletions
    lines = ["Item 5. Market for the Registrant Common Equity, Related Stockholder Matters and Issuer Purchases",
             "of Equity Securities.", "Item 6. [Reserved]", "Item 7. Management Discussion and Analysis"]
    # Chromium sets 13.33-pixel type scaled to 10 points
    shown = [b"BT /F1 13.33 Tf 0.75 0 0 0.75 72 %d Tm (%s) Tj ET 0.75 w 72 %.2f m 400 %.2f l S" % (
        700 - 10 * k, line.encode("latin-1"), 698.8 - 10 * k, 698.8 - 10 * k) for k, line in enumerate(lines)]
    shown.append(b"BT /F1 12 Tf 540 100 Td (thd) Tj ET 0.75 w 34 102 m 578 102 l S")
    (document,) = pdf.read(_pdf_bytes(lambda writer: _helvetica_page(writer, b"\n".join(shown))), "10-K.pdf")
    assert document.text.split() == " ".join([*lines, "thd"]).split()
    assert not any("struck" in note for note in document.not_read)
