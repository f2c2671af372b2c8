"""Dates decide whether Item 106 / Item 1.05 applies: a filing made before is "not yet required", not a gap."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from cli_helpers import run_main
from conftest import FIXTURES, shared_path

from checker.applicability import item_applies, statement, tagging_required
from checker.ingest import load
from checker.report.dashboard import dashboard_html
from checker.summary import summary_row

SCHEMA = json.loads((Path(__file__).parent.parent / "checker" / "schemas" / "report.schema.json").read_text())
ADBE_CUT = FIXTURES / "ingest" / "adbe-2023-10k-cut.htm"  # Adobe FY2023 (ended 2023-12-01): "Not applicable."
APPLE_TEXT = "Item 1C. Cybersecurity\n\nNot applicable."


@pytest.mark.parametrize(("form", "metadata", "status"), [
    ("10-K", {"period": "2023-12-01"}, "not_yet_required"),
    ("10-K", {"period": "2023-12-15"}, "required"),
    ("10-K/A", {"period": "2023-09-30"}, "not_yet_required"),
    ("20-F", {"period": "2023-12-31"}, "required"),
    ("10-K", {"fiscal_year": 2022}, "not_yet_required"),
    ("10-K", {"fiscal_year": "2023"}, "unsure"),
    ("10-K", {"fiscal_year": 2024}, "required"),
    # a September year end's fiscal 2023 report filed in November 2023, with a voluntary Item 1C: not yet due
    ("10-K", {"fiscal_year": 2023, "filed": "2023-11-03"}, "not_yet_required"),
    ("10-K", {"fiscal_year": "2023", "filed_on": "2024-02-20"}, "unsure"),
    ("10-K", {"filed": "2023-11-17"}, "not_yet_required"),
    ("10-K", {"filed": "2024-01-19"}, "unsure"),
    ("10-K", {"filed": "2024-06-03"}, "required"),
    ("10-K", {"period": "2024-09-28", "fiscal_year": 2022}, "required"),  # the period wins
    ("10-K", {}, "required"),
    ("8-K", {"filed": "2023-12-01"}, "not_yet_required"),
    ("8-K", {"filed": "2023-12-18"}, "required"),
    ("8-K", {"filed": "2024-03-01", "smaller_reporting_company": "true"}, "not_yet_required"),
    ("8-K", {"filed": "2024-06-15", "smaller_reporting_company": True}, "required"),
    ("10-Q", {"period": "2020-01-01"}, "required"),
])
def test_item_applies_from_the_dates(form, metadata, status):
    assert item_applies(form, metadata).status == status


def test_tagging_is_due_only_where_the_dates_show_it():
    assert tagging_required("10-K", {"period": "2024-12-31"})
    assert not tagging_required("10-K", {"period": "2024-09-28"})
    assert not tagging_required("10-K", {})
    assert tagging_required("8-K", {"filed": "2025-01-10"})
    assert not tagging_required("8-K", {"filed": "2025-01-10", "smaller_reporting_company": "yes"})


def test_fiscal_2023_filing_saying_not_applicable_is_not_yet_required(capsys):
    code, out, _ = run_main(capsys, "check", str(ADBE_CUT), "--format", "json")
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    assert code == 0
    assert [r["status"] for r in data["results"]] == ["not_yet_required"]
    assert "2023-12-01" in data["results"][0]["message"]
    assert data["summary"]["coverage"] is None and data["summary"]["missing"] == 0
    code, out, _ = run_main(capsys, "check", str(ADBE_CUT))
    assert code == 0 and "not yet required" in out and "coverage 0%" not in out


def test_the_same_not_applicable_in_a_later_period_is_still_a_gap(capsys):
    code, out, _ = run_main(capsys, "check", str(ADBE_CUT), "--period", "2024-11-29", "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["results"][0]["rule"] == "SECTION-NOT-APPLICABLE"
    assert data["summary"]["missing"] == len(data["results"])


@pytest.mark.parametrize(("fiscal_year", "code"), [(2023, 0), (2022, 0), (2024, 1)])
def test_record_fiscal_year_decides(tmp_path, capsys, fiscal_year, code):
    record = {"id": "r", "form": "10-K", "item": "1C", "fiscal_year": fiscal_year, "text": APPLE_TEXT}
    path = tmp_path / "r.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    got, out, _ = run_main(capsys, "check", str(path), "--format", "json")
    assert got == code
    statuses = {r["status"] for r in json.loads(out)["results"]}
    assert statuses == ({"not_yet_required"} if code == 0 else {"missing"})


def test_fiscal_2023_record_with_content_is_still_checked(tmp_path, capsys):
    record = {"id": "r", "form": "10-K", "item": "1C", "fiscal_year": 2023,
              "text": "Item 1C. Cybersecurity\n\nOur Board of Directors oversees cybersecurity risk."}
    path = tmp_path / "r.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    code, out, _ = run_main(capsys, "check", str(path), "--format", "json")
    assert code == 1 and "not_yet_required" not in {r["status"] for r in json.loads(out)["results"]}


def test_real_filings_made_before_item_106_applied(capsys):
    for path in (shared_path("fullfilings", "adbe-2023-10k.htm"),
                 shared_path("corpus", "labelled", "aapl-2023-10k-1c.json")):
        code, out, _ = run_main(capsys, "check", str(path), "--format", "json")
        assert code == 0, path
        assert [r["status"] for r in json.loads(out)["results"]] == ["not_yet_required"]


def test_a_fiscal_2024_10k_is_checked(capsys):
    code, out, _ = run_main(capsys, "check", str(FIXTURES / "ingest" / "wfc-2024-10k-cut.htm"), "--format",
                            "json")
    reports = json.loads(out)["reports"]  # FY2024 filing: the tag pack runs too (tags were due)
    assert [r["pack"]["id"] for r in reports] == ["sk-106", "cyd-tags"]
    for data in reports:
        assert data["summary"]["coverage"] is not None
        assert "not_yet_required" not in {r["status"] for r in data["results"]}


def test_dashboard_leaves_not_yet_required_filings_out_and_says_so(checker):
    rows = [summary_row(checker.check_document(d)) for d in load(str(ADBE_CUT))]
    rows += [summary_row(checker.check_document(d)) for d in load(str(FIXTURES / "ingest" / "wfc-2024-10k-cut.htm"))]
    assert rows[0]["coverage"] is None and rows[0]["elements"] == {}
    page = dashboard_html(rows)
    assert rows[0]["not_checked"] == "ITEM-NOT-YET-REQUIRED" and rows[1]["not_checked"] == ""
    assert ("1 filing left out of the shares and the coverage, each report one finding instead of the item's "
            "rules: 1 not yet required (made before the item applied).") in page
    assert "ITEM-NOT-YET-REQUIRED" not in page.split("<h2>Coverage distribution")[0]
    assert "of 2</text>" not in page and "of 1</text>" in page


AMENDMENT_8K = ("Item 1.05. Material Cybersecurity Incidents.\n\nThis Amendment No. 1 on Form 8-K/A amends the "
                "Current Report on Form 8-K filed on March 12, 2026 (the \"Original Report\") to provide information "
                "that had not been determined at the time of the Original Report. Except as set forth herein, the "
                "Original Report is unchanged.\n\nThe incident reduced the Company's net sales for the first quarter "
                "of 2026 by approximately $14 million, and the Company incurred approximately $3 million of response "
                "costs, which reduced its operating income for the quarter.")


def test_an_8k_amendment_under_instruction_2_is_not_told_it_fails_item_105a(checker) -> None:
    """An 8-K/A under Instruction 2 to Item 1.05 gives what the 8-K left undetermined (here the impact): it was
    told, as errors, "The filing does not describe the nature of the incident" and the same of scope and
    timing, as if the amendment had to restate the original. Its gaps now say what the amendment owes and to
    check the element in the 8-K it amends, as warnings; the status stays what the text shows."""
    from checker.model import Document

    report = checker.check_document(Document(text=AMENDMENT_8K, form="8-K/A", item="1.05"))
    got = {r.rule: r for r in report.results}
    assert got["F8K-105A-IMPACT"].status == "met"
    for rule in ("F8K-105A-NATURE", "F8K-105A-SCOPE", "F8K-105A-TIMING"):
        r = got[rule]
        assert r.status == "missing" and r.severity == "warning", rule
        assert "Instruction 2" in r.message and "check it in the 8-K it amends" in r.message, rule
    # the same text as an original 8-K keeps its errors and its plain message
    original = checker.check_document(Document(text=AMENDMENT_8K, form="8-K", item="1.05"))
    nature = next(r for r in original.results if r.rule == "F8K-105A-NATURE")
    assert nature.severity == "error" and "Instruction 2" not in nature.message


def test_the_paid_ransom_finding_says_payment_decides_nothing_by_itself() -> None:
    """C&DIs 104B.05-104B.08: paying the ransom, or insurance covering it, does not by itself make an incident
    immaterial. The finding said "neither makes an incident immaterial", which reads as if every incident
    ended by a paid or insured ransom were material."""
    from checker.applicability import immaterial_as_paid
    from checker.model import Evidence

    said = immaterial_as_paid("The filing's item headings are Item 8.01", "1.05",
                              Evidence(text="The ransom was paid; the incident is not material.", start=0,
                                       end=50, line=1)).message
    assert "by itself" in said and "neither makes an incident immaterial" not in said


def test_an_8k_amendments_tag_gaps_are_not_sent_to_the_8k() -> None:
    """The Instruction 2 note belongs to the content elements an 8-K/A may leave to its 8-K, not to the cyd tags
    the 8-K/A's own text needs (Item 1.05(b)): a tag gap in it is not told to "check it in the 8-K"."""
    from dataclasses import replace

    from xbrl_edit import unwrap

    from checker import Checker
    from checker.ingest import load_bytes

    # the nature text block untagged: its text is there, its tag is not
    raw = unwrap((FIXTURES / "xbrl" / "carecloud-8k-2026-item105.html").read_bytes(), "Fact000040")
    (doc,) = load_bytes(raw, "carecloud-8ka.html")
    reports = Checker().check_packs(replace(doc, form="8-K/A"), ("auto", "cyd-tags"))
    tags = [r for rep in reports if rep.pack_id == "cyd-tags" for r in rep.results if r.is_gap and r.element]
    assert tags and not any("Instruction 2" in r.message for r in tags)


ABS_SECTION = "Item 1C. Cybersecurity.\n\nOmitted pursuant to General Instruction J of Form 10-K.\n"


@pytest.mark.parametrize(("text", "metadata"), [
    (ABS_SECTION, {}),
    ("Item 1B. Unresolved Staff Comments.\n\nNone.\n\nItem 1C. Cybersecurity.\n\nNot applicable. The registrant "
     "is an asset-backed issuer.\n\nItem 2. Properties.\n\nOmitted.\n", {}),
    ("Item 1C. Cybersecurity\n\nNot applicable.\n", {"sic": "6189"}),
])
def test_an_asset_backed_issuers_10k_is_exempt_not_twelve_gaps(tmp_path, capsys, text, metadata):
    record = {"id": "abs", "form": "10-K", "item": "1C", "period": "2025-12-31", "text": text, **metadata}
    path = tmp_path / "abs.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    code, out, _ = run_main(capsys, "check", str(path), "--format", "json")
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    assert code == 0
    assert [(r["rule"], r["status"]) for r in data["results"]] == [("REGISTRANT-EXEMPT", "not_applicable")]
    assert "asset-backed issuer" in data["results"][0]["basis"]
    assert "General Instruction J" in data["results"][0]["citation"]


def test_a_long_item_1c_mentioning_asset_backed_securities_is_still_checked(tmp_path, capsys):
    text = ("Item 1C. Cybersecurity\n\nOur Board of Directors oversees cybersecurity risk. " * 30
            + "We invest in asset-backed securities issued by an asset-backed issuer.\n")
    path = tmp_path / "bank.md"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run_main(capsys, "check", str(path), "--format", "json", "--period", "2025-12-31")
    assert "REGISTRANT-EXEMPT" not in {r["rule"] for r in json.loads(out)["results"]}
    assert code == 1


@pytest.mark.parametrize(("form", "metadata", "said"), [
    ("10-K", {"period": "2024-06-30"}, "required: the fiscal period ended 2024-06-30, on or after 2023-12-15"),
    ("10-KT", {"period": "2024-03-31"}, "required: the fiscal period ended 2024-03-31"),
    ("10-K", {}, "checked as required: it applies to fiscal years ending on or after 2023-12-15, and the "
                 "input states no period"),
    ("10-K", {"fiscal_year": 2023}, "checked as required: fiscal year 2023 may have ended before"),
    ("20-F", {"filed": "2026-05-08"}, "Item 16K required: filed on 2026-05-08, too late to cover"),
    ("8-K", {"filed": "2024-03-01"}, "a smaller reporting company's 8-K needed it only from 2024-06-15"),
    ("8-K", {"filed": "2024-07-01", "smaller_reporting_company": True}, "dated 2024-07-01, on or after 2024-06-15"),
    ("8-K", {}, "the input states no filing date (--filed-on gives it)"),
])
def test_the_applicability_statement_gives_the_date_that_decided_it(form, metadata, said):
    assert said in statement(form, metadata)


def test_a_june_year_end_10k_says_why_item_1c_applied_in_text_json_and_html(tmp_path, capsys):
    draft = tmp_path / "june.md"
    draft.write_text("Item 1C. Cybersecurity\n\nOur Board of Directors oversees cybersecurity risk.\n",
                     encoding="utf-8")
    html, report = tmp_path / "r.html", tmp_path / "r.json"
    _, out, _ = run_main(capsys, "check", str(draft), "--period", "2024-06-30", "--no-examples",
                         "-o", str(report), "-o", str(html))
    _, out, _ = run_main(capsys, "check", str(draft), "--period", "2024-06-30", "--no-examples")
    data = json.loads(report.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    why = "Item 1C (Item 106) required: the fiscal period ended 2024-06-30, on or after 2023-12-15"
    assert data["document"]["applies"] == why
    assert "applies: Item 1C (Item 106) required: the fiscal period ended 2024-06-30" in out
    assert why in html.read_text(encoding="utf-8")


def test_a_draft_without_dates_says_it_was_checked_as_required(tmp_path, capsys):
    draft = tmp_path / "d.md"
    draft.write_text("Item 1C. Cybersecurity\n\nOur Board of Directors oversees cybersecurity risk.\n",
                     encoding="utf-8")
    _, out, _ = run_main(capsys, "check", str(draft), "--no-examples", "-f", "json")
    assert "checked as required" in json.loads(out)["document"]["applies"]
    assert "--period" in json.loads(out)["document"]["applies"]


def test_a_date_the_input_gives_that_is_no_date_is_named_not_said_absent() -> None:
    """A record with "period": "FY2023 year end" was checked as required with the words "the input states no
    period, fiscal year or filing date": the reader was told the record gave none, and never looked at it."""
    said = statement("10-K", {"period": "FY2023 year end", "fiscal_year": "FY23"})
    assert "checked as required" in said
    assert "'FY2023 year end'" in said and "'FY23'" in said and "states no period" not in said
    assert "states no period" in statement("10-K", {})
