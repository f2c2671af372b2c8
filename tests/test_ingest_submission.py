"""EDGAR complete submission text files: the filing's own document checked as its HTML is, with the header's
dates and identity, line numbers of the submission file, and exhibits streamed past, never held."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import sys
import threading
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error, run_main
from conftest import check_file
from report_samples import VERSION, JsonSnapshot, TextSnapshot, in_root, steady

from checker import ingest
from checker.ingest import submission
from checker.model import CheckerError
from checker.report import render

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FOLDER = HERE / "fixtures" / "submission"
CARECLOUD = FOLDER / "carecloud-8k-2026-full-submission.txt"  # 8-K Item 1.05, inline XBRL, 3 exhibits
META = FOLDER / "meta-10k-2024-full-submission.txt"  # the cut of Meta's FY2024 10-K, 2 exhibits
ASCII = FOLDER / "draft-10k-ascii-full-submission.txt"  # the deficient sample as a plain-text 10-K
CARECLOUD_HTML = HERE / "fixtures" / "xbrl" / "carecloud-8k-2026-item105.html"
META_HTML = HERE / "fixtures" / "xbrl" / "meta-10k-2024-item1c.html"
DRAFT_MD = ROOT / "samples" / "draft-10k-1c-deficient.md"



def _statuses(report) -> dict[str, str]:
    return {r.rule: r.status for r in report.results}


def _words(text: str, n: int = 4) -> list[str]:
    return re.findall(r"[A-Za-z]+", text)[:n]


# ------------------------------------------------------------------ what is read, and from where


def test_the_8k_is_read_with_the_headers_dates_and_identity() -> None:
    (doc,) = ingest.load(str(CARECLOUD))
    assert doc.form == "8-K" and doc.item is None  # the item is found by the section finder, as for its HTML
    meta = doc.metadata
    assert meta["filed_on"] == meta["filed"] == "2026-03-27"  # EDGAR's filing date: FILED AS OF DATE
    assert meta["accepted"] == "2026-03-27T16:30:12"  # <ACCEPTANCE-DATETIME>, Eastern time
    assert meta["period"] == "2026-03-24"
    assert meta["issuer"] == "CareCloud, Inc." and meta["cik"] == "0001582982" and meta["sic"] == "7372"
    assert meta["accession"] == "0001493152-26-013239"
    assert meta["items"] == ["Material Cybersecurity Incidents", "Financial Statements and Exhibits"]
    assert doc.sha256 == hashlib.sha256(CARECLOUD.read_bytes()).hexdigest()  # the file's, exhibits and all
    assert doc.not_read == ("the submission's 3 other documents (EX-99.1, EX-101.SCH, GRAPHIC)",)
    assert "CareCloud Provides Update" not in doc.text  # the press release is not the 8-K's text
    assert doc.facts  # the inline XBRL facts of the 8-K itself


def test_every_report_names_the_documents_it_did_not_read(checker) -> None:
    # an auditor files the JSON and the memo's Markdown beside the HTML workpaper: each says, as the
    # workpaper's scope does, that the exhibits and graphics were not read
    report = check_file(checker, CARECLOUD)
    unread = "the submission's 3 other documents (EX-99.1, EX-101.SCH, GRAPHIC)"
    data = json.loads(render([report], "json"))
    assert data["document"]["not_read"] == [unread]
    assert f"**Not read:** {unread}" in render([report], "markdown").replace("\\", "")
    assert f"not read: {unread}" in " ".join(render([report], "text").split())


def test_a_report_of_an_input_read_whole_has_no_not_read_entry(checker) -> None:
    report = check_file(checker, DRAFT_MD)
    assert "not_read" not in json.loads(render([report], "json"))["document"]
    assert "Not read" not in render([report], "markdown") and "not read:" not in render([report], "text")


def test_the_document_states_what_it_states_and_the_header_fills_the_rest() -> None:
    (doc,) = ingest.load(str(META))
    # dei facts win where the document tags them: the registrant's name as it writes it
    assert doc.metadata["issuer"] == "Meta Platforms, Inc." and doc.form == "10-K"
    assert doc.metadata["period"] == "2024-12-31"
    # accepted after 5:30 p.m.: EDGAR filed it the next day
    assert doc.metadata["accepted"] == "2025-01-29T18:22:13" and doc.metadata["filed_on"] == "2025-01-30"


def test_the_filings_findings_are_its_htmls(checker) -> None:
    for wrapped, bare in ((CARECLOUD, CARECLOUD_HTML), (META, META_HTML)):
        from_submission, from_html = check_file(checker, wrapped), check_file(checker, bare)
        assert from_submission.pack_id == from_html.pack_id
        a, b = _statuses(from_submission), _statuses(from_html)
        deadline = "8K-GI-B1-DEADLINE"
        if deadline in b:  # the 8-K: only the deadline differs, checked now that EDGAR's clock is known
            assert b.pop(deadline) == "not_applicable" and a.pop(deadline) == "met"
        assert a == b
        assert ([e.text for r in from_submission.results for e in r.evidence]
                == [e.text for r in from_html.results for e in r.evidence])


def test_every_quote_is_placed_on_its_line_of_the_submission(checker) -> None:
    for path in (CARECLOUD, META, ASCII):
        raw = path.read_text(encoding="utf-8")
        starts = [0] + [m.end() for m in re.finditer("\n", raw)]
        report = check_file(checker, path)
        quotes = [e for r in report.results for e in r.evidence if e.location is not None]
        assert len(quotes) >= 5, path
        for e in quotes:
            at = starts[e.location.line - 1] + (e.location.column or 1) - 1
            visible = re.sub(r"<[^>]*>", " ", raw[at:at + 2000])  # the words from there on, tags aside
            assert _words(visible, 3) == _words(e.text, 3), (path.name, e.location, e.text[:60])


def test_a_plain_text_document_is_read_as_text(checker) -> None:
    report, draft = check_file(checker, ASCII), check_file(checker, DRAFT_MD)
    assert _statuses(report) == _statuses(draft)
    assert report.summary()["met"] == 5 and report.summary()["missing"] == 7
    assert report.document.metadata["sic"] == "7372"


def _deadline(checker, path: Path, raw: bytes):
    path.write_bytes(raw)
    return next(r for r in check_file(checker, path, "form-8k-105").results if r.rule == "8K-GI-B1-DEADLINE")


def _dated(accepted: bytes, filed: bytes | None) -> bytes:
    raw = CARECLOUD.read_bytes().replace(b"<ACCEPTANCE-DATETIME>20260327163012",
                                         b"<ACCEPTANCE-DATETIME>" + accepted)
    if filed is None:
        return raw.replace(b"FILED AS OF DATE:\t\t20260327\n", b"")
    return raw.replace(b"FILED AS OF DATE:\t\t20260327", b"FILED AS OF DATE:\t\t" + filed)


def test_the_deadline_counts_to_edgars_filing_date(checker, tmp_path) -> None:
    # Determined Tuesday 24 March 2026 (the 8-K says so): due Monday 30 March.
    late = _deadline(checker, tmp_path / "late.txt", _dated(b"20260330173100", b"20260331"))
    assert late.status == "missing"
    assert "filed 2026-03-31" in late.title and "1 business day after the 2026-03-30 deadline" in late.message
    # accepted after 5:30 p.m. but dated that day by EDGAR (a date the SEC adjusted): EDGAR's date is the filing's
    adjusted = _deadline(checker, tmp_path / "adjusted.txt", _dated(b"20260330173100", b"20260330"))
    assert adjusted.status == "met" and "filed 2026-03-30" in adjusted.title


def test_without_edgars_filing_date_the_acceptance_time_decides(checker, tmp_path) -> None:
    # Rule 13(a)(2) of Regulation S-T: accepted after 5:30 p.m., filed the next business day
    late = _deadline(checker, tmp_path / "late.txt", _dated(b"20260330173100", None))
    assert late.status == "missing" and "filed 2026-03-31" in late.title
    on_time = _deadline(checker, tmp_path / "on-time.txt", _dated(b"20260330172900", None))
    assert on_time.status == "met" and "filed 2026-03-30" in on_time.title


def test_an_8k_of_other_items_is_no_item_105_report(checker, capsys, tmp_path) -> None:
    # An officer's departure, not an incident: EDGAR's header lists the items, and Item 1.05 is not among
    # them, so its elements do not apply (one result saying why), rather than five gaps of a missing section.
    other = tmp_path / "502.txt"
    raw = CARECLOUD.read_text(encoding="utf-8")
    body = ("<html><body><p>FORM 8-K</p><p>Item 5.02 Departure of Directors or Certain Officers.</p>"
            "<p>On March 20, 2026, the Chief Financial Officer resigned.</p>"
            "<p>Item 9.01 Financial Statements and Exhibits.</p></body></html>\n")
    start, end = raw.index("<XBRL>\n") + len("<XBRL>\n"), raw.index("</XBRL>\n</TEXT>")
    other.write_text(raw[:start].replace(
        "Material Cybersecurity Incidents", "Departure of Directors or Certain Officers; Election of Directors")
        + body + raw[end:], encoding="utf-8")
    report = check_file(checker, other, "form-8k-105")
    (result,) = report.results
    assert (result.rule, result.status, result.severity) == ("ITEM-NOT-REPORTED", "not_applicable", "info")
    assert result.message == (
        "EDGAR's header lists this filing's items as “Departure of Directors or Certain Officers; Election of "
        "Directors”, “Financial Statements and Exhibits”, not Item 1.05 (Material Cybersecurity Incidents): "
        "Item 1.05's elements do not apply to it.")
    assert result.citation == "Form 8-K Item 1.05"
    (tagged,) = check_file(checker, other, "cyd-tags").results  # a pack of three forms cites the 8-K's own item
    assert tagged.rule == "ITEM-NOT-REPORTED" and tagged.citation == "Form 8-K Item 1.05"
    code, out, _ = run_main(capsys, "check", str(other), "--no-examples")
    assert code == 0 and "not Item 1.05 (Material Cybersecurity Incidents)" in " ".join(out.split())
    # the incident's own 8-K lists Item 1.05: checked as ever
    assert len(check_file(checker, CARECLOUD, "form-8k-105").results) == 8


def test_an_amendment_is_one_and_its_deadline_is_not_the_originals(checker, tmp_path) -> None:
    # An 8-K/A whose cover facts say "8-K" (with AmendmentFlag) and whose text recites the original
    # determination of 24 March: EDGAR's type makes it an amendment, due on its own clock (Instruction 2).
    amended = tmp_path / "8-K-A.txt"
    amended.write_bytes(CARECLOUD.read_bytes().replace(b"CONFORMED SUBMISSION TYPE:\t8-K\n",
                                                       b"CONFORMED SUBMISSION TYPE:\t8-K/A\n")
                        .replace(b"<TYPE>8-K\n", b"<TYPE>8-K/A\n")
                        .replace(b"20260327163012", b"20260601090000").replace(b"DATE:\t\t20260327", b"DATE:\t\t20260601"))
    report = check_file(checker, amended, "form-8k-105")
    assert report.document.form == "8-K/A"
    deadline = next(r for r in report.results if r.rule == "8K-GI-B1-DEADLINE")
    assert deadline.status == "not_applicable" and deadline.title.endswith("an amendment runs on its own clock")
    assert "(p. 2, para. 5)" in deadline.message  # where "March 24, 2026" stands, as evidence is placed and "Instruction 2" in deadline.message
    # the original 8-K, filed 1 June, would be 44 business days late (31 March to 1 June, Memorial Day aside)
    late = tmp_path / "8-K.txt"
    late.write_bytes(_dated(b"20260601090000", b"20260601"))
    deadline = next(r for r in check_file(checker, late, "form-8k-105").results if r.rule == "8K-GI-B1-DEADLINE")
    assert deadline.status == "missing" and "44 business days after" in deadline.message


# ------------------------------------------------------------------ the same reading from every route


def test_standard_input_and_a_file_read_alike(monkeypatch) -> None:
    raw = CARECLOUD.read_bytes()
    monkeypatch.setattr(sys, "stdin", type("In", (), {"buffer": io.BytesIO(raw)})())
    (piped,) = ingest.load("-")  # sniffed: it opens with <SEC-DOCUMENT>, not with an HTML tag
    (filed,) = ingest.load(str(CARECLOUD))
    assert piped.text == filed.text and piped.metadata == filed.metadata and piped.sha256 == filed.sha256
    assert piped.not_read == filed.not_read


def test_a_submission_through_a_named_pipe_is_read_once(tmp_path) -> None:
    # A FIFO is not opened to look at its first bytes: they would be gone, and the reader's open would wait
    # for a writer that has left.
    fifo = tmp_path / "full-submission.txt"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as fh:
            fh.write(CARECLOUD.read_bytes())

    read: list = []
    writer = threading.Thread(target=write, daemon=True)
    reader = threading.Thread(target=lambda: read.extend(ingest.load(str(fifo))), daemon=True)
    writer.start()
    reader.start()
    reader.join(20)
    assert not reader.is_alive(), "the reader waits on the pipe"
    (doc,) = read
    assert doc.metadata["accession"] == "0001493152-26-013239" and "Item 1.05" in doc.text


def test_a_pem_wrapped_submission_is_one(tmp_path) -> None:
    wrapped = tmp_path / "0001493152-26-013239.txt"
    wrapped.write_bytes(b"-----BEGIN PRIVACY-ENHANCED MESSAGE-----\nProc-Type: 2001,MIC-CLEAR\n"
                        b"Originator-Name: webmaster@www.sec.gov\n\n" + CARECLOUD.read_bytes()
                        + b"-----END PRIVACY-ENHANCED MESSAGE-----\n")
    (doc,) = ingest.load(str(wrapped))
    assert doc.metadata["accession"] == "0001493152-26-013239" and doc.form == "8-K"
    assert not submission.is_submission(b"Item 1C. Cybersecurity\n<SEC-HEADER>")  # only at the start


def test_the_folder_walk_and_the_batch_summary_take_submissions(capsys, tmp_path) -> None:
    folder = tmp_path / "sec-edgar-filings" / "CCLD" / "8-K" / "0001493152-26-013239"
    folder.mkdir(parents=True)
    (folder / "full-submission.txt").write_bytes(CARECLOUD.read_bytes())
    code, out, err = run_main(capsys, "check", str(tmp_path), "--pack", "form-8k-105", "--no-examples",
                              "--format", "json")
    assert code == 0, err
    report = json.loads(out)  # one input, one pack: the report itself
    assert report["document"]["accession"] == "0001493152-26-013239"
    assert report["document"]["accepted"] == "2026-03-27T16:30:12"
    code, out, err = run_main(capsys, "batch", str(tmp_path), "--pack", "form-8k-105", "--out",
                              str(tmp_path / "out"))
    assert code in (0, 1), err
    with (tmp_path / "out" / "summary.csv").open(encoding="utf-8") as fh:
        (row,) = list(csv.DictReader(fh))
    assert (row["cik"], row["accession"], row["period"], row["filed"]) == (
        "0001582982", "0001493152-26-013239", "2026-03-24", "2026-03-27")
    assert row["met"] == "8" and row["missing"] == "0"


def test_a_filing_saved_both_ways_in_its_folder_is_checked_once_and_said(capsys, tmp_path) -> None:
    # sec-edgar-downloader saves full-submission.txt and primary-document.html in each accession's folder
    filing = tmp_path / "filings" / "CCLD" / "8-K" / "0001493152-26-013239"
    filing.mkdir(parents=True)
    (filing / "full-submission.txt").write_bytes(CARECLOUD.read_bytes())
    (filing / "primary-document.html").write_bytes(CARECLOUD_HTML.read_bytes())
    draft = tmp_path / "filings" / "drafts"  # a folder of drafts with no submission: its HTML is an input
    draft.mkdir()
    (draft / "draft-8k.html").write_bytes(CARECLOUD_HTML.read_bytes())
    (draft / "notes.txt").write_bytes(CARECLOUD.read_bytes())  # a submission, but not by a filing's name
    code, out, err = run_main(capsys, "check", str(tmp_path / "filings"), "--pack", "form-8k-105",
                              "--no-examples", "--format", "json")
    assert code == 0, err
    checked = [r["document"]["source"] for r in json.loads(out)["reports"]]
    assert checked == [str(filing / "full-submission.txt"), str(draft / "draft-8k.html"), str(draft / "notes.txt")]
    assert "1 document left out as the filing an EDGAR complete submission beside it holds" in err
    assert str(filing / "primary-document.html") in err
    code, _, err = run_main(capsys, "batch", str(tmp_path / "filings"), "--pack", "form-8k-105", "--out",
                            str(tmp_path / "out"))
    with (tmp_path / "out" / "summary.csv").open(encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == 3
    assert "1 document left out as the filing" in err
    # named on the command line, a document is checked: the user asked for it
    code, out, err = run_main(capsys, "check", str(filing / "primary-document.html"), "--pack", "form-8k-105",
                              "--no-examples", "--format", "json")
    assert code == 0 and json.loads(out)["document"]["source"].endswith("primary-document.html")


# ------------------------------------------------------------------ as other tools write it (found by a helper)


def test_a_byte_order_mark_or_a_unicode_save_leaves_a_submission_one(checker, tmp_path) -> None:
    plain = check_file(checker, CARECLOUD).document
    text = CARECLOUD.read_text(encoding="utf-8")
    for name, raw in (("bom.txt", b"\xef\xbb\xbf" + CARECLOUD.read_bytes()),
                      ("utf16.txt", text.encode("utf-16")), ("spaced.txt", b"  \n" + CARECLOUD.read_bytes()),
                      # an old Mac editor's save: lines ended by a carriage return alone
                      ("cr.txt", CARECLOUD.read_bytes().replace(b"\n", b"\r"))):
        path = tmp_path / name
        path.write_bytes(raw)
        doc = check_file(checker, path).document
        assert doc.metadata == plain.metadata and doc.form == "8-K", name
        assert doc.sha256 == hashlib.sha256(raw).hexdigest()
        assert doc.text[doc.section.start:doc.section.end] == plain.text[plain.section.start:plain.section.end]


def test_text_on_the_lines_of_text_and_its_end_is_the_documents_and_no_more(checker, tmp_path) -> None:
    # A tool that writes "<TEXT>Item 1C ..." and "... last line.</TEXT>" on the text's own lines; an exhibit
    # after it holds every element's words, which must not be read as the 10-K's.
    lines = DRAFT_MD.read_bytes().rstrip(b"\n").split(b"\n")
    glued = b"<TEXT>" + lines[0] + b"\n" + b"\n".join(lines[1:]) + b"</TEXT>\n"
    exhibit = (b"<DOCUMENT>\n<TYPE>EX-99\n<SEQUENCE>2\n<FILENAME>ex99.txt\n<TEXT>\n"
               + (ROOT / "samples" / "draft-10k-1c-complete.md").read_bytes() + b"</TEXT>\n</DOCUMENT>\n")
    raw = _submission(b"").replace(b"<TEXT>\n</TEXT>\n", glued) + exhibit
    path = tmp_path / "glued.txt"
    path.write_bytes(raw)
    report, draft = check_file(checker, path), check_file(checker, DRAFT_MD)
    assert _statuses(report) == _statuses(draft) and report.summary()["met"] == 5
    assert report.document.not_read == ("the submission's 1 other document (EX-99)",)
    heading = raw.split(b"\n").index(b"<TEXT>" + lines[0]) + 1
    assert report.document.line_of(report.document.section.start) == heading  # "<TEXT>" blanked, in place


def test_an_html_document_is_known_by_its_name_and_page_marks_are_not_text(checker, tmp_path) -> None:
    html = b"<div><p><b>Item 1C. Cybersecurity</b></p><p>Our Board of Directors oversees cybersecurity risk.</p></div>\n"
    path = tmp_path / "div.txt"
    path.write_bytes(_submission(html).replace(b"<FILENAME>main.txt", b"<FILENAME>d10k.htm"))
    (doc,) = ingest.load(str(path))
    assert doc.source_map.kind == "html" and "<p>" not in doc.text and "Our Board of Directors" in doc.text
    paged = DRAFT_MD.read_bytes().replace(b"## Governance", b"<PAGE>   12\n\n## Governance")
    path.write_bytes(_submission(paged))
    report = check_file(checker, path)
    assert "<PAGE>" not in report.document.text and report.summary()["met"] == 5


def test_the_lines_above_the_document_count_against_the_limit(tmp_path) -> None:
    blank_exhibit = (b"<DOCUMENT>\n<TYPE>EX-99\n<TEXT>\n" + b"\n" * (2 * 1024 * 1024) + b"</TEXT>\n</DOCUMENT>\n")
    raw = _submission(DRAFT_MD.read_bytes()).replace(b"<DOCUMENT>\n<TYPE>10-K", blank_exhibit + b"<DOCUMENT>\n<TYPE>10-K")
    path = tmp_path / "padded.txt"
    path.write_bytes(raw)
    with pytest.raises(CheckerError, match="larger than the 1 MB limit with the lines above it"):
        ingest.load(str(path), max_bytes=1024 * 1024)
    (doc,) = ingest.load(str(path), max_bytes=4 * 1024 * 1024)  # under a limit that allows them, read
    assert doc.not_read == ("the submission's 1 other document (EX-99)",)


def test_the_filer_is_the_first_block_of_the_header(tmp_path) -> None:
    co_registrant = (b"FILER:\n\tCOMPANY DATA:\n\t\tCOMPANY CONFORMED NAME:\tFirst Corp\n\t\tCENTRAL INDEX KEY:\t0000000001\n"
                     b"FILER:\n\tCOMPANY DATA:\n\t\tCOMPANY CONFORMED NAME:\tSecond LLC\n\t\tCENTRAL INDEX KEY:\t0000000002\n"
                     b"\t\tSTANDARD INDUSTRIAL CLASSIFICATION:\tELECTRIC SERVICES [4911]\n")
    (doc,) = submission.read(_submission(DRAFT_MD.read_bytes()).replace(b"</SEC-HEADER>", co_registrant
                                                                        + b"</SEC-HEADER>"), "x.txt")
    assert doc.metadata["cik"] == "0000000001" and doc.metadata["issuer"] == "First Corp"
    assert "sic" not in doc.metadata  # the second filer's industry is not the first's


# ------------------------------------------------------------------ bounded, and refused in one line


def _submission(primary: bytes, exhibits: bytes = b"", kind: bytes = b"10-K") -> bytes:
    return (b"<SEC-DOCUMENT>0000000000-26-000001.txt : 20260302\n<SEC-HEADER>\n"
            b"<ACCEPTANCE-DATETIME>20260302101500\nCONFORMED SUBMISSION TYPE:\t" + kind + b"\n"
            b"</SEC-HEADER>\n<DOCUMENT>\n<TYPE>10-K\n<SEQUENCE>1\n<FILENAME>main.txt\n<TEXT>\n" + primary
            + b"</TEXT>\n</DOCUMENT>\n" + exhibits + b"</SEC-DOCUMENT>\n")


def _exhibit(n: int, size: int = 0) -> bytes:
    body = b"M" + b"A" * 60 + b"\n"
    return (b"<DOCUMENT>\n<TYPE>EX-%d\n<SEQUENCE>%d\n<FILENAME>ex%d.jpg\n<DESCRIPTION>GRAPHIC %d\n<TEXT>\nbegin 644\n"
            % (n, n + 1, n, n) + body * (size // len(body)) + b"end\n</TEXT>\n</DOCUMENT>\n")


def test_the_size_limit_is_the_documents_not_the_exhibits(tmp_path, monkeypatch) -> None:
    draft = DRAFT_MD.read_bytes()
    big = tmp_path / "big.txt"
    big.write_bytes(_submission(draft, _exhibit(1, 3 * 1024 * 1024)))  # a 3 MB graphic after the 10-K
    monkeypatch.setenv("CYDCHECK_MAX_BYTES", str(1024 * 1024))
    (doc,) = ingest.load(str(big))
    assert "Item 1C" in doc.text and doc.not_read == ("the submission's 1 other document (EX-1)",)
    assert doc.sha256 == hashlib.sha256(big.read_bytes()).hexdigest()
    too_big = tmp_path / "too-big.txt"
    too_big.write_bytes(_submission(draft * (1024 * 1024 // len(draft) + 1)))
    with pytest.raises(CheckerError, match=r"the filing's document main.txt is larger than the 1 MB limit"):
        ingest.load(str(too_big))


def test_a_document_on_one_long_line_is_read_in_bounded_pieces(tmp_path) -> None:
    line = b"<html><body><p>Item 1C. Cybersecurity</p>" + b"<p>Our Board oversees cybersecurity risk.</p>" * 60000
    one_line = tmp_path / "one-line.txt"
    one_line.write_bytes(_submission(line + b"</body></html>\n"))
    (doc,) = ingest.load(str(one_line), max_bytes=8 * 1024 * 1024)
    assert doc.text.count("Our Board oversees") == 60000
    with pytest.raises(CheckerError, match="larger than the 1 MB limit"):
        ingest.load(str(one_line), max_bytes=1024 * 1024)
    # Lines that open like EDGAR's tags and fields, then run on in spaces: read in one pass each.
    spaces = b" " * 400_000
    hostile = tmp_path / "hostile.txt"
    hostile.write_bytes(_submission(b"<P>" + spaces + b"x\n" + DRAFT_MD.read_bytes()).replace(
        b"<SEC-HEADER>\n", b"<SEC-HEADER>\nFILER:" + spaces + b"x\n"))
    (doc,) = ingest.load(str(hostile))
    assert "Item 1C" in doc.text


def test_every_later_document_is_named_once_across_chunk_edges(monkeypatch) -> None:
    exhibits = b"".join(_exhibit(n, size=n * 37) for n in range(1, 60))
    raw = _submission(DRAFT_MD.read_bytes(), exhibits)
    monkeypatch.setattr(submission, "_CHUNK", 257)  # document headers cut at every place in turn
    monkeypatch.setattr(submission, "_OVERLAP", 120)
    sub = submission.parse(io.BytesIO(raw), "x.txt", 1 << 20)
    assert [p.type for p in sub.others] == [f"EX-{n}" for n in range(1, 60)]
    assert [p.description for p in sub.others] == [f"GRAPHIC {n}" for n in range(1, 60)]
    assert sub.sha256 == hashlib.sha256(raw).hexdigest()


@pytest.mark.parametrize(("raw", "phrase"), [
    (_submission(b"Item 1C. Cybersecurity\n")[:-40], "cut short: its document has no end (</TEXT>)"),
    (_submission(b"x\n", kind=b"20-F"), "an EDGAR submission with no 20-F document in it"),
    (_submission(b"<PDF>\nbegin 644 main.pdf\nM)5!$1BTQ+C0*\nend\n</PDF>\n"), "is an encoded file (PDF or image)"),
    (b"<SEC-DOCUMENT>x.txt\n<SEC-HEADER>\n</SEC-HEADER>\n</SEC-DOCUMENT>\n", "an EDGAR submission with no document"),
    (_submission(b"\n\n"), "the filing's document main.txt is empty"),
])
def test_a_broken_submission_is_one_line_naming_the_file(capsys, tmp_path, raw: bytes, phrase: str) -> None:
    path = tmp_path / "full-submission.txt"
    path.write_bytes(raw)
    code, _, err = run_main(capsys, "check", str(path), "--no-examples")
    assert_one_line_error(code, err, "full-submission.txt", phrase)


def test_header_values_reach_reports_cleaned_and_escaped(checker, tmp_path) -> None:
    raw = _submission(DRAFT_MD.read_bytes()).replace(
        b"<SEC-HEADER>\n", b"<SEC-HEADER>\nCOMPANY CONFORMED NAME:\tEvil\x1b]8;;http://x.test\x07 <b>Co</b>\n")
    (doc,) = submission.read(raw, "x.txt")
    assert doc.metadata["issuer"] == "Evil <b>Co</b>"  # no terminal escape survives the reader
    report = checker.check_document(doc)
    page = render([report], "html", version=VERSION)
    assert "Evil &lt;b&gt;Co&lt;/b&gt;" in page and "<b>Co</b>" not in page


# ------------------------------------------------------------------ snapshots


def test_snapshot_text_of_an_8k_submission(checker, snapshot) -> None:
    with in_root():
        (document,) = ingest.load(str(CARECLOUD.relative_to(ROOT)))
        text = render([checker.check_document(document, "form-8k-105")], "text", colour=False, version=VERSION)
    assert "Filing deadline: determined 2026-03-24" in text and "filed 2026-03-27" in text
    assert text == snapshot.use_extension(TextSnapshot)


def test_snapshot_json_of_an_8k_submission(checker, snapshot) -> None:
    with in_root():
        (document,) = ingest.load(str(CARECLOUD.relative_to(ROOT)))
        text = render([checker.check_document(document, "form-8k-105")], "json", version=VERSION)
    assert json.loads(text)["document"]["cik"] == "0001582982"
    assert steady(text) == snapshot.use_extension(JsonSnapshot)
