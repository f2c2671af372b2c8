"""The batch summaries as research data: join keys for a company-by-year panel, one column order in CSV and
JSONL, and the map-style per-line check reading what a batch reads."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from checker import Checker
from checker.batch import SUMMARY_CSV, SUMMARY_JSONL, BatchOptions, check_line, run_batch
from checker.summary import FIXED_COLUMNS, summary_csv

TEXT = ("Our board of directors oversees cybersecurity risk. We assess, identify and manage material risks "
        "from cybersecurity threats through our information security program.")

# The columns of the summaries before the fiscal year was added: they keep their places.
EARLIER_COLUMNS = ("key", "source", "issuer", "form", "item", "pack", "pack_version", "coverage", "met",
                   "partial", "missing", "not_applicable", "worst", "review", "error", "report", "html", "cik",
                   "accession", "period", "filed", "not_checked", "tags_worst", "tags_gaps", "tags_report")

INLINE_XBRL = """<html xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"><body>
<div style="display:none"><ix:header></ix:header></div>
<p><ix:nonNumeric name="dei:DocumentType" contextRef="c">10-K</ix:nonNumeric>
for the fiscal year ended <ix:nonNumeric name="dei:DocumentPeriodEndDate" contextRef="c">January 31, 2025
</ix:nonNumeric> (fiscal year <ix:nonNumeric name="dei:DocumentFiscalYearFocus" contextRef="c">2025
</ix:nonNumeric>)</p>
<p>Item 1C. Cybersecurity</p>
<p>{text}</p>
<p>Item 2. Properties</p>
<p>We lease our offices.</p>
</body></html>
"""


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_a_records_fiscal_year_is_a_column_after_the_earlier_ones(tmp_path: Path) -> None:
    """A panel joins on company and fiscal year: the record's `fiscal_year` reaches both summaries (it was
    read, and used for applicability, but no column carried it)."""
    records = tmp_path / "fy.jsonl"
    records.write_text("".join(json.dumps({"id": f"x-{year}", "company": "X Corp", "cik": "123", "form": "10-K",
                                           "item": "1C", "fiscal_year": year, "text": TEXT}) + "\n"
                               for year in (2024, 2025)), encoding="utf-8")
    run_batch([str(records)], BatchOptions(out=tmp_path / "out", jobs=1))
    rows = _rows(tmp_path / "out" / SUMMARY_CSV)
    assert [r["fiscal_year"] for r in rows] == ["2024", "2025"]
    assert [r["cik"] for r in rows] == ["0000000123", "0000000123"]
    header = next(csv.reader(io.StringIO((tmp_path / "out" / SUMMARY_CSV).read_text(encoding="utf-8"))))
    assert tuple(header[:len(EARLIER_COLUMNS)]) == EARLIER_COLUMNS
    lines = (tmp_path / "out" / SUMMARY_JSONL).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["fiscal_year"] for line in lines] == ["2024", "2025"]


def test_an_inline_xbrl_filings_fiscal_year_focus_is_its_fiscal_year(tmp_path: Path) -> None:
    filing = tmp_path / "crm-10k.htm"
    filing.write_text(INLINE_XBRL.format(text=TEXT), encoding="utf-8")
    run_batch([str(filing)], BatchOptions(out=tmp_path / "out", jobs=1))
    (row,) = _rows(tmp_path / "out" / SUMMARY_CSV)
    assert (row["period"], row["fiscal_year"]) == ("2025-01-31", "2025")


def test_summary_jsonl_keys_come_in_the_csv_columns_order(tmp_path: Path) -> None:
    """One codebook order for both files: a JSONL row read into a data frame has the CSV's columns in turn."""
    records = tmp_path / "r.jsonl"
    records.write_text(json.dumps({"id": "a", "form": "10-K", "text": TEXT}) + "\n{broken\n", encoding="utf-8")
    run_batch([str(records)], BatchOptions(out=tmp_path / "out", jobs=1))
    for line in (tmp_path / "out" / SUMMARY_JSONL).read_text(encoding="utf-8").splitlines():
        assert list(json.loads(line)) == [*FIXED_COLUMNS, "elements"]
    assert summary_csv([]).strip() == ",".join(FIXED_COLUMNS)


def test_check_line_reads_a_first_line_that_keeps_the_files_byte_order_mark() -> None:
    """Dask's read_text and Spark's textFile decode UTF-8 without removing a BOM, so the first line of a
    file saved with one starts with U+FEFF; `cydcheck batch` reads that file, so check_line reads the line
    (it was an error row: "invalid JSON: Unexpected UTF-8 BOM")."""
    line = "\ufeff" + json.dumps({"id": "a", "form": "10-K", "item": "1C", "text": TEXT})
    row = check_line(line, Checker(), source="part-0.jsonl", line=1)
    assert row["error"] == "" and row["coverage"] is not None


def test_a_resumed_run_checks_again_the_filings_whose_rows_lack_a_column(tmp_path: Path, monkeypatch) -> None:
    """Rows kept from a run whose summaries had other columns would leave the new ones blank for those
    filings only (a panel with no fiscal year for half its rows): a change of columns redoes them."""
    import checker.batch as batch

    records = tmp_path / "r.jsonl"
    records.write_text(json.dumps({"id": "a", "form": "10-K", "fiscal_year": 2024, "text": TEXT}) + "\n",
                       encoding="utf-8")
    options = BatchOptions(out=tmp_path / "out", jobs=1)
    assert run_batch([str(records)], options).checked == 1
    assert run_batch([str(records)], options).skipped == 1
    monkeypatch.setattr(batch, "FIXED_COLUMNS", (*FIXED_COLUMNS, "a_later_column"))
    again = run_batch([str(records)], options)
    assert (again.checked, again.skipped) == (1, 0)


def test_a_record_exported_by_pandas_with_float_years_and_ciks_reads_as_whole_numbers() -> None:
    """pandas writes an integer column that has a missing value as floats (`to_json(orient="records",
    lines=True)`: "fiscal_year": 2023.0, "cik": 320193.0). Such a year was no year: a fiscal 2023 "Not
    applicable." became 13 gaps instead of not yet required, and the CIK did not join ("320193.0")."""
    from checker.batch import check_record
    from checker.summary import summary_row

    text = "Not applicable."
    rows = [summary_row(check_record({"id": "aapl", "form": "10-K", "item": "1C", "fiscal_year": year,
                                      "cik": cik, "text": text}, Checker()))
            for year, cik in ((2023, 320193), (2023.0, 320193.0))]
    assert rows[1] == rows[0]
    assert (rows[1]["not_checked"], rows[1]["fiscal_year"], rows[1]["cik"]) == (
        "ITEM-NOT-YET-REQUIRED", "2023", "0000320193")


def test_a_record_taken_from_a_data_frame_reads_its_dates_as_days_and_its_missing_values_as_missing() -> None:
    """df.to_dict("records") hands check_record pandas' own values: a Timestamp filing date was written
    "2025-02-10 00:00:00" (joining on no day), a missing one "NaT", a missing SIC or period "nan"."""
    import datetime as dt

    from checker.batch import check_record
    from checker.summary import summary_row

    nan = float("nan")
    given = {"id": "a", "form": "10-K", "item": "1C", "fiscal_year": 2024.0, "cik": 320193.0, "text": TEXT}
    rows = [summary_row(check_record(dict(given, filed=filed, period=period, sic=nan, accession=nan),
                                     Checker()))
            for filed, period in ((dt.datetime(2025, 2, 10), dt.date(2024, 12, 31)), (nan, nan))]
    assert (rows[0]["filed"], rows[0]["period"], rows[0]["accession"]) == ("2025-02-10", "2024-12-31", "")
    assert (rows[1]["filed"], rows[1]["period"], rows[1]["accession"]) == ("", "", "")
    assert rows[1]["elements"] == rows[0]["elements"] != {}


def test_a_records_cik_comes_from_its_edgar_address_when_no_field_names_it() -> None:
    """The labelled 8-K and 20-F records give no `cik` but their EDGAR folder's address, which names it
    (https://www.sec.gov/Archives/edgar/data/1577552/000095017025090161/): the row joins by CIK."""
    from checker.batch import check_record
    from checker.summary import summary_row

    source = {"accession": "0000950170-25-090161",
              "edgar_url": "https://www.sec.gov/Archives/edgar/data/1577552/000095017025090161/"}
    row = summary_row(check_record({"id": "baba", "form": "20-F", "text": TEXT, "source": source}, Checker()))
    assert (row["cik"], row["accession"]) == ("0001577552", "0000950170-25-090161")
    given = summary_row(check_record({"id": "baba", "form": "20-F", "text": TEXT, "cik": "1",
                                      "source": source}, Checker()))
    assert given["cik"] == "0000000001"  # a field that names the CIK comes first


def test_an_element_whose_rule_ran_out_of_time_is_an_error_not_a_gap(tmp_path: Path) -> None:
    """A rule that exceeded the time budget has no verdict; its element read "missing" in the summaries,
    a gap the filing may not have (under load, a panel's statuses would change from run to run unseen)."""
    from checker.batch import check_record, write_summaries
    from checker.summary import summary_row

    record = {"id": "a", "form": "10-K", "item": "1C", "text": TEXT}
    report = check_record(record, Checker(timeout=1e-9))
    timed_out = {r.element for r in report.results if r.error}
    assert timed_out
    row = summary_row(report)
    assert {e for e, status in row["elements"].items() if status == "error"} == timed_out
    write_summaries([row], tmp_path)
    dashboard = (tmp_path / "dashboard.html").read_text(encoding="utf-8")
    assert all(f"{e}</text>" not in dashboard for e in timed_out)  # no share drawn from unfinished rules


def test_a_records_dates_reach_the_summary_as_iso_days() -> None:
    """period and filed join on the day: a record's date-time (pandas' to_json(date_format="iso")) or a
    cover's date ("December 31, 2024") was copied as it stood, so one panel mixed three spellings."""
    from checker.batch import check_record
    from checker.summary import summary_row

    def row(period: str, filed: str) -> tuple[str, str]:
        got = summary_row(check_record({"id": "a", "form": "10-K", "item": "1C", "text": TEXT,
                                        "period": period, "filed": filed}, Checker()))
        return got["period"], got["filed"]

    assert row("2024-12-31T00:00:00.000", "2025-02-10T00:00:00.000") == ("2024-12-31", "2025-02-10")
    assert row("December 31, 2024", "02/10/2025") == ("2024-12-31", "2025-02-10")
    assert row("FY2024", "2025-02-10") == ("FY2024", "2025-02-10")  # what is no date stays as given


def _table(markdown: str, heading: str) -> list[str]:
    """The first cells (back-quoted) of the first table under a heading of docs/codebook.md."""
    part = markdown.split(heading, 1)[1].split("\n## ", 1)[0]
    return [line.split("|")[1].strip().strip("`") for line in part.splitlines()
            if line.startswith("| `")]


def test_the_codebook_lists_every_summary_column_in_order_and_every_element_value() -> None:
    codebook = (Path(__file__).parents[1] / "docs" / "codebook.md").read_text(encoding="utf-8")
    assert _table(codebook, "## Fixed columns") == list(FIXED_COLUMNS)
    values = _table(codebook, "## Element columns")
    assert {"met", "partial", "missing", "not_applicable", "error"} <= set(values)


def test_batch_says_how_many_rows_its_summary_holds_when_a_json_file_holds_several_filings(tmp_path: Path) -> None:
    """A .json array of three records is one input and three filings: the line said "1 filings: 1 checked"
    over a summary of three rows."""
    from click.testing import CliRunner

    from checker.cli import cli

    records = tmp_path / "three.json"
    records.write_text(json.dumps([{"id": n, "form": "10-K", "text": TEXT} for n in "abc"]), encoding="utf-8")
    result = CliRunner().invoke(cli, ["batch", str(records), "--out", str(tmp_path / "out"), "--jobs", "1"])
    assert "1 input: 1 checked, 0 already done, 0 failed" in result.stderr
    assert "summary of 3 filings in" in result.stderr


def test_each_filings_json_report_names_its_fiscal_year_as_the_summary_does(tmp_path: Path) -> None:
    """reports/*.json are the per-filing data: their `document` carried CIK, period and accession but not
    the fiscal year the summary row has; the report schema describes each of these fields."""
    records = tmp_path / "fy.jsonl"
    records.write_text(json.dumps({"id": "x", "company": "X Corp", "cik": "123", "form": "10-K", "item": "1C",
                                   "fiscal_year": 2024, "text": TEXT}) + "\n", encoding="utf-8")
    filing = tmp_path / "crm-10k.htm"
    filing.write_text(INLINE_XBRL.format(text=TEXT), encoding="utf-8")
    result = run_batch([str(records), str(filing)], BatchOptions(out=tmp_path / "out", jobs=1))
    documents = [json.loads((tmp_path / "out" / row["report"]).read_text(encoding="utf-8"))["document"]
                 for row in result.rows]
    assert [d["fiscal_year"] for d in documents] == [row["fiscal_year"] for row in result.rows] == ["2024", "2025"]
    schema = json.loads((Path(__file__).parents[1] / "checker" / "schemas" / "report.schema.json")
                        .read_text(encoding="utf-8"))
    described = schema["$defs"]["report"]["properties"]["document"]["properties"]
    assert {"issuer", "cik", "accession", "period", "fiscal_year", "filed"} <= set(described)


EIGHT_K = ("On March 1, 2026 we detected unauthorized access to our systems by a threat actor. The incident "
           "affected our billing systems. We have not determined whether the incident is reasonably likely to "
           "materially impact us.")


def test_element_columns_come_in_one_order_whatever_order_the_filings_come_in(tmp_path: Path) -> None:
    """Two years' runs are appended into one panel: the element columns were in order of first appearance,
    so a run whose first filing was an 8-K, or a 10-K whose section is incorporated by reference (its
    SECTION-BY-REFERENCE finding), put those columns first. Now: packs in name order, each pack's elements in
    its rules' order, then its findings of no element."""
    ten_k = {"id": "k", "form": "10-K", "item": "1C", "text": TEXT}
    by_reference = {"id": "r", "form": "10-K", "item": "1C", "text": "Information in response to this Item 1C "
                    "can be found in the Annual Report to Shareholders, which is incorporated herein by reference."}
    eight_k = {"id": "e", "form": "8-K", "item": "1.05", "filed": "2026-03-05", "text": EIGHT_K}
    headers = []
    for n, order in enumerate(((ten_k, eight_k, by_reference), (by_reference, eight_k, ten_k),
                               (eight_k, ten_k, by_reference))):
        records = tmp_path / f"run{n}.jsonl"
        records.write_text("".join(json.dumps(r) + "\n" for r in order), encoding="utf-8")
        run_batch([str(records)], BatchOptions(out=tmp_path / f"out{n}", jobs=1))
        headers.append(next(csv.reader(io.StringIO((tmp_path / f"out{n}" / SUMMARY_CSV).read_text("utf-8")))))
    assert headers[0] == headers[1] == headers[2]
    elements = headers[0][len(FIXED_COLUMNS):]
    assert "SECTION-BY-REFERENCE" in elements and "incident_nature" in elements
    assert elements.index("mgmt_reports_board") < elements.index("SECTION-BY-REFERENCE")


def test_a_utf16_jsonl_file_gives_one_row_a_record_as_its_utf8_twin(tmp_path: Path) -> None:
    """Windows PowerShell 5 writes `... > records.jsonl` as UTF-16 with a byte order mark, which `check`
    reads; batch cut the file's bytes at each b"\\n" and gave 6 error rows for 5 records ("cannot decode the
    file as UTF-16-LE", then "looks like a binary file, not text")."""
    lines = [json.dumps({"id": n, "form": "10-K", "item": "1C", "company": "Zoë AG", "text": TEXT})
             for n in "ab"]
    text = "\r\n".join(lines) + "\r\n\r\n"
    rows = {}
    for codec in ("utf-8", "utf-16", "utf-16-be", "utf-32"):
        records = tmp_path / f"{codec}.jsonl"
        data = text.encode(codec)
        records.write_bytes(b"\xfe\xff" + data if codec == "utf-16-be" else data)
        result = run_batch([str(records)], BatchOptions(out=tmp_path / codec, jobs=1))
        assert result.failed == 0, result.rows
        rows[codec] = [(r["key"].split(":")[-1], r["issuer"], r["coverage"], r["elements"]) for r in result.rows]
    assert rows["utf-16"] == rows["utf-16-be"] == rows["utf-32"] == rows["utf-8"]
    assert [key for key, *_ in rows["utf-8"]] == ["1", "2"]


def test_the_python_check_takes_the_filings_dates_that_decide_whether_the_item_applied() -> None:
    """checker.check(text) had no way to say the fiscal year: a DataFrame of sections checked with it gave
    Apple's fiscal 2023 "Not applicable." 13 gaps, where check_record with the same year gives none."""
    import checker

    early = checker.check("Not applicable.", "sk-106", form="10-K", item="1C", metadata={"fiscal_year": 2023},
                          examples=False)
    assert [r.status for r in early.results] == ["not_yet_required"]
    due = checker.check("Not applicable.", "sk-106", form="10-K", item="1C",
                        metadata={"period": "2024-12-31", "cik": "320193"}, examples=False)
    assert "not_yet_required" not in {r.status for r in due.results} and due.document.metadata["cik"] == "320193"


def test_each_row_names_the_cydcheck_version_that_made_it_even_an_unreadable_inputs(tmp_path: Path) -> None:
    """A replication package cites the tool and the rules: the rows named the pack's version and hash but
    not cydcheck's, which lived only in each JSON report (a merged panel of several runs lost it)."""
    from checker import __version__

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.json").write_text(json.dumps({"id": "a", "form": "10-K", "text": TEXT}), encoding="utf-8")
    (tmp_path / "in" / "b.json").write_text("{", encoding="utf-8")
    run_batch([str(tmp_path / "in")], BatchOptions(out=tmp_path / "out", jobs=1))
    rows = _rows(tmp_path / "out" / SUMMARY_CSV)
    assert [r["error"] != "" for r in rows] == [False, True]
    assert [r["cydcheck_version"] for r in rows] == [__version__, __version__]
    lines = (tmp_path / "out" / SUMMARY_JSONL).read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["cydcheck_version"] for line in lines} == {__version__}
    assert FIXED_COLUMNS[-1] == "cydcheck_version"  # added last: the earlier columns keep their places


def test_an_excel_copy_of_the_summary_shows_accented_issuers_as_written(tmp_path: Path) -> None:
    """summary.csv has no byte order mark, so Excel double-clicked read it in the Windows code page
    ("SociÃ©tÃ© GÃ©nÃ©rale"); summary-excel.csv holds the same cells with one and Windows line ends, while
    summary.csv stays as pandas and Stata read it."""
    from checker.batch import SUMMARY_EXCEL

    records = tmp_path / "r.jsonl"
    records.write_text(json.dumps({"id": "a", "company": "Société Générale", "form": "10-K", "text": TEXT},
                                  ensure_ascii=False) + "\n", encoding="utf-8")
    run_batch([str(records)], BatchOptions(out=tmp_path / "out", jobs=1))
    excel = (tmp_path / "out" / SUMMARY_EXCEL).read_bytes()
    plain = (tmp_path / "out" / SUMMARY_CSV).read_bytes()
    assert excel.startswith(b"\xef\xbb\xbfkey,source,") and not plain.startswith(b"\xef\xbb\xbf")
    assert excel.count(b"\r\n") == 2 and b"\r" not in plain
    assert list(csv.reader(io.StringIO(excel.decode("utf-8-sig")))) == \
        list(csv.reader(io.StringIO(plain.decode("utf-8"))))
    assert "Société Générale" in excel.decode("utf-8-sig")


def test_the_excel_copy_keeps_ciks_accessions_days_and_items_as_written() -> None:
    """Excel double-clicked read summary-excel.csv's CIK 0001020859 as the number 1020859 (the join to the
    firm's client list broke) and, in a day-month locale, the 8-K item 1.05 as 1 May: those cells are now
    Excel's text constants, while summary.csv keeps them plain for pandas and a formula from a filing
    stays defused."""
    row = {c: "" for c in FIXED_COLUMNS}
    row.update(key="a.htm", source="a.htm", issuer="=cmd|' /C calc'!A0", item="1.05", cik="0001020859",
               accession="0001193125-25-143135", period="2025-06-21", coverage=0.8571, elements={})
    excel = dict(zip(FIXED_COLUMNS, list(csv.reader(io.StringIO(summary_csv([row], excel=True)[1:])))[1],
                     strict=True))
    assert excel["cik"] == '="0001020859"' and excel["accession"] == '="0001193125-25-143135"'
    assert excel["item"] == '="1.05"' and excel["period"] == '="2025-06-21"'
    assert excel["coverage"] == "0.8571" and excel["issuer"] == "'=cmd|' /C calc'!A0"
    row.update(pack_version="2.10")
    assert list(csv.DictReader(io.StringIO(summary_csv([row], excel=True)[1:])))[0]["pack_version"] == '="2.10"'
    plain = list(csv.DictReader(io.StringIO(summary_csv([row]))))[0]
    assert plain["cik"] == "0001020859" and plain["item"] == "1.05"


def test_every_quarter_has_the_same_element_columns_in_the_same_places(tmp_path: Path) -> None:
    """A tracking sheet pasted over with next quarter's summary-excel.csv: a quarter with an 8-K and a 10-K
    put incident_nature before risk_process, one with a 10-K alone had no 8-K columns at all, and a run whose
    inputs all failed had no element column. The packs --pack auto chooses from now give their columns
    every run, the annual items first."""
    ten_k = {"id": "k", "form": "10-K", "item": "1C", "text": TEXT}
    eight_k = {"id": "e", "form": "8-K", "item": "1.05", "filed": "2026-03-05", "text": EIGHT_K}
    headers = []
    for n, records in enumerate(((ten_k, eight_k), (ten_k,), (eight_k,), ())):
        folder = tmp_path / f"q{n}"
        folder.mkdir()
        for r in records:
            (folder / f"{r['id']}.json").write_text(json.dumps(r), encoding="utf-8")
        if not records:
            (folder / "broken.json").write_text("{", encoding="utf-8")
        run_batch([str(folder)], BatchOptions(out=tmp_path / f"out{n}", jobs=1))
        headers.append(next(csv.reader(io.StringIO((tmp_path / f"out{n}" / SUMMARY_CSV).read_text("utf-8")))))
    assert headers[0] == headers[1] == headers[2] == headers[3]
    elements = headers[0][len(FIXED_COLUMNS):]
    assert elements.index("risk_process") < elements.index("incident_nature")


def test_a_tag_pack_run_has_no_deadline_column_the_tag_report_never_fills() -> None:
    """`batch --pack cyd-tags` is given the packs' columns too; the 8-K deadline is a finding of the content
    pack's report alone, so its column would stay empty in every row of a tag run."""
    from checker.batch import pack_elements

    assert "8K-GI-B1-DEADLINE" in pack_elements()
    tags = pack_elements("cyd-tags")
    assert tags and "8K-GI-B1-DEADLINE" not in tags


def test_a_tidy_table_of_findings_comes_from_the_library_without_walking_the_report() -> None:
    """A researcher had summary_row (one row a filing, statuses only) or report.to_dict() to walk by hand;
    finding_rows gives one row a finding: the filing's keys, what checked it, status, quotes and where."""
    from checker.batch import check_record
    from checker.model import STATUSES
    from checker.summary import FINDING_COLUMNS, UNFINISHED, element_statuses, finding_rows

    record = {"id": "r1", "company": "ACME", "cik": "320193", "form": "10-K", "item": "1C",
              "fiscal_year": 2024, "accession": "0000320193-25-000001", "text": TEXT}
    report = check_record(record, Checker(), source="fy24.jsonl", line=7)
    rows = finding_rows(report, key="fy24.jsonl:7")
    assert len(rows) == len(report.results) and all(tuple(row) == FINDING_COLUMNS for row in rows)
    assert {row["key"] for row in rows} == {"fy24.jsonl:7"}
    assert {row["cik"] for row in rows} == {"0000320193"} and {row["fiscal_year"] for row in rows} == {"2024"}
    assert {row["pack_sha256"] for row in rows} == {report.pack_sha256} != {""}
    assert {row["status"] for row in rows} <= {*STATUSES, UNFINISHED}
    board = next(row for row in rows if row["element"] == "board_oversight")
    assert board["status"] == element_statuses(report)["board_oversight"] == "met"
    assert board["evidence"].startswith("Our board of directors oversees") and board["where"] == "para. 1"
    assert board["line"] == 7 and board["open_gap"] is False  # the record's line in its JSONL file
    assert board["evidence_source"] in ("rules", "learned", "learned rules")
    assert (board["score"] is None) == ("learned" not in board["evidence_source"])
    gap = next(row for row in rows if row["status"] == "missing")
    assert gap["open_gap"] is True and gap["evidence"] == "" and gap["line"] is None
    json.dumps(rows)  # plain data: pandas.DataFrame(rows), or a JSON lines file
    codebook = (Path(__file__).parents[1] / "docs" / "codebook.md").read_text(encoding="utf-8")
    described = codebook.split("## From Python", 1)[1].split("\n## ", 1)[0]
    assert [c for c in FINDING_COLUMNS if f"`{c}`" not in described] == []
    assert "finding_rows" in described
