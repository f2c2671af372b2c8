"""CSV for a spreadsheet: one row per finding, the same columns whatever a run finds, the pack's own order, and
cells Excel opens as written (UTF-8 with a byte order mark, no formula run, identifiers kept, within its limit)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from cli_helpers import assert_one_line_error, run_main
from conftest import whole_section
from report_samples import SAMPLES, sample_reports

from checker import Checker
from checker.report import render
from checker.report.csv_out import COLUMNS
from checker.spreadsheet import EXCEL_CELL_LIMIT

ROOT = Path(__file__).resolve().parent.parent
DEFICIENT = ROOT / "samples" / "draft-10k-1c-deficient.md"


def _rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff") and "\r\n" in text  # Excel, double-clicked, reads it as UTF-8
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_one_row_per_finding_in_the_packs_order_with_fixed_columns(checker: Checker) -> None:
    """`check -o findings.csv` said it could not tell the format: a tracking sheet needs one row per
    finding, filterable by element and status, that sorts back into the item's order."""
    reports = sample_reports(checker, *SAMPLES)
    text = render(reports, "csv")
    assert text[1:].split("\r\n", 1)[0] == ",".join(COLUMNS)
    rows = _rows(text)
    assert len(rows) == sum(len(r.results) for r in reports)
    first = [row for row in rows if row["source"] == reports[0].document.source]
    assert [row["rule"] for row in first] == [r.rule for r in reports[0].results]
    assert [int(row["order"]) for row in first] == sorted(int(row["order"]) for row in first)
    gaps = [row for row in rows if row["open_gap"] == "yes"]
    assert gaps and all(row["status"] in ("Missing", "Partial", "Not met", "Not checked") and row["message"]
                        for row in gaps)
    met = [row for row in rows if row["status"] == "Met" and row["evidence"]]
    # a draft's line or page; a JSON record's sub-heading and paragraph (its text is one string of the file)
    assert met and all(re.match(r"(line \d+|p\. |(.+, )?para\. \d+$)", row["where"]) for row in met)


def test_cells_excel_would_run_cut_or_change_are_written_as_it_keeps_them(checker: Checker) -> None:
    """A filing's words starting with '=' ran as a formula, a CIK lost its leading zeros, a quote longer
    than an Excel cell was cut without a word, and curly quotes and dashes must survive."""
    long = "We assess, identify and manage material risks from cybersecurity threats " + "and so on " * 4000
    text = ("=HYPERLINK(\"http://x\") The board oversees cybersecurity risk — “quarterly”.\n\n" + long + ".\n")
    doc = whole_section(text, source="Ünïcode draft.md")
    doc.metadata.update(cik="0001020859", issuer="Société Générale", period="2025-06-30")
    report = checker.check_document(doc, "sk-106")
    rows = _rows(render([report], "csv"))
    assert {row["period"] for row in rows} == {'="2025-06-30"'}
    assert {row["cik"] for row in rows} == {'="0001020859"'} and {row["issuer"] for row in rows} == \
        {"Société Générale"}
    quoted = [row["evidence"] for row in rows if row["evidence"]]
    assert quoted and all(len(q) <= EXCEL_CELL_LIMIT for q in quoted)
    assert any("more characters cut: an Excel cell holds 32,767" in q for q in quoted)
    assert all(not q.startswith(("=", "+", "-", "@")) for row in rows for c, q in row.items() if c not in ("cik", "period"))
    assert any(q.startswith("'=HYPERLINK") for q in quoted)
    assert any("“quarterly”" in q and "—" in q for q in quoted)


def test_check_writes_csv_by_extension_and_names_csv_for_a_spreadsheet(capsys, tmp_path: Path) -> None:
    """`-o tracker.xlsx` or `-f xlsx` said only which formats exist; it now names csv for a spreadsheet."""
    out = tmp_path / "findings.csv"
    code, _, err = run_main(capsys, "check", str(DEFICIENT), "-o", str(out))
    assert code == 1, err
    rows = _rows(out.read_bytes().decode("utf-8"))
    assert rows and {row["source"] for row in rows} == {str(DEFICIENT)}
    code, _, err = run_main(capsys, "check", str(DEFICIENT), "-f", "xlsx")
    assert_one_line_error(code, err, "'xlsx'", "for a spreadsheet give csv")
    code, _, err = run_main(capsys, "check", str(DEFICIENT), "-o", str(tmp_path / "tracker.xlsx"))
    assert_one_line_error(code, err, "tracker.xlsx", "for a spreadsheet give csv")
    assert not (tmp_path / "tracker.xlsx").exists()


def test_a_rule_has_one_order_number_in_every_filings_rows(checker: Checker) -> None:
    """`order` counted a report's findings, so a filing whose section was incorporated by reference (its
    SECTION-BY-REFERENCE finding first) numbered material_effect 6 where the others had 5: sorting a quarter's
    sheet on it mixed the elements. A rule's number is now its place among the pack's rules."""
    from report_samples import sample_reports

    whole = sample_reports(checker, SAMPLES[0])[0]
    by_reference = checker.check_document(whole_section(
        "Information in response to this Item 1C can be found in the Annual Report to Shareholders, which is "
        "incorporated herein by reference.", source="ref.md"), "sk-106")
    assert by_reference.results[0].rule == "SECTION-BY-REFERENCE"
    rows = _rows(render([whole, by_reference], "csv"))
    numbers: dict[str, set[str]] = {}
    for row in rows:
        numbers.setdefault(row["rule"], set()).add(row["order"])
    assert all(len(n) == 1 for n in numbers.values()), numbers
    assert numbers["SECTION-BY-REFERENCE"] == {"5"} and numbers["SK106-B1-PROCESS"] == {"10"}
