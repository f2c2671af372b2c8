"""One run, both questions: the content pack and the cyd tag pack together, reconciled, grouped by pack."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from cli_helpers import run_main
from conftest import FIXTURES, shared_path

from checker import Checker
from checker.ingest import html

SCHEMA = json.loads((Path(__file__).parent.parent / "checker" / "schemas" / "report.schema.json").read_text())
META = FIXTURES / "xbrl" / "meta-10k-2024-item1c.html"  # a tagged FY2024 10-K, cut to its Item 1C
DRAFT = FIXTURES / "cli" / "draft-10k-1c-complete.md"
FLAG = "CybersecurityRiskMateriallyAffectedOrReasonablyLikelyToMateriallyAffectRegistrantFlag"
CROSS_REFERENCE_FLAG = f"""<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"
 xmlns:ixt="http://www.xbrl.org/inlineXBRL/transformation/2020-02-12" xmlns:dei="http://xbrl.sec.gov/dei/2024"
 xmlns:cyd="http://xbrl.sec.gov/cyd/2024"><body><div style="display:none"><ix:header><ix:hidden>
<ix:nonNumeric contextRef="c-1" name="dei:DocumentType">10-K</ix:nonNumeric>
<ix:nonNumeric contextRef="c-1" name="dei:DocumentPeriodEndDate" format="ixt:date-monthname-day-year-en">December 31, 2024</ix:nonNumeric>
</ix:hidden></ix:header></div><p>Item 1C. Cybersecurity</p>
<p>Our Board of Directors oversees cybersecurity risk through its Audit Committee.</p>
<p><ix:nonNumeric contextRef="c-1" name="cyd:{FLAG}" format="ixt:fixed-false" id="f-9">Refer to "Item 1A. Risk
Factors" in this annual report for additional information about cybersecurity-related risks.</ix:nonNumeric></p>
<p>Item 2. Properties</p><p>We own our headquarters.</p></body></html>"""


def test_auto_runs_content_and_tag_packs_on_a_tagged_filing(capsys):
    code, out, _ = run_main(capsys, "check", str(META), "--format", "json")
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    assert [r["pack"]["id"] for r in data["reports"]] == ["sk-106", "cyd-tags"]
    assert "carries cyd tags" in data["reports"][1]["pack"]["reason"]
    content = data["reports"][0]
    assert content["document"]["cyd_facts"] > 0
    tags = [t for r in content["results"] for t in r.get("filer_tags", [])]
    assert tags and all(t["concept"] and t["fact_id"] for t in tags)
    flags = [t for t in tags if t["kind"] == "flag"]
    assert flags and all(isinstance(t["value"], bool) for t in flags)
    assert all(t["location"]["text"].startswith("p. ") for t in tags if "location" in t)


def test_pack_is_repeatable_and_results_stay_grouped_by_pack(capsys):
    code, out, _ = run_main(capsys, "check", str(DRAFT), "--pack", "sk-106", "--pack", "cyd-tags",
                            "--format", "json")
    data = json.loads(out)
    assert code == 0
    content, tags = data["reports"]
    assert content["pack"]["id"] == "sk-106" and tags["pack"]["id"] == "cyd-tags"
    assert all(r["rule"].startswith("SK106") for r in content["results"])
    assert all(r["rule"].startswith("CYD") for r in tags["results"])
    # No tags and no tagging duty: said so, and no "100%" for rules that did not apply.
    assert "no cyd tags, and no tagging duty" in tags["pack"]["reason"]
    assert tags["summary"]["coverage"] is None and tags["summary"]["met"] == 0
    _, text, _ = run_main(capsys, "check", str(DRAFT), "--pack", "sk-106", "--pack", "cyd-tags")
    assert "no rule applied: no coverage to report" in text and "coverage 100%" in text  # sk-106 is complete


def test_auto_on_an_untagged_draft_runs_the_content_pack_only(capsys):
    _, out, _ = run_main(capsys, "check", str(DRAFT), "--format", "json")
    assert json.loads(out)["pack"]["id"] == "sk-106"


def test_flag_on_a_cross_reference_is_a_finding_never_agrees():
    doc = html.read(CROSS_REFERENCE_FLAG.encode(), "x.html")[0]
    content, tags = Checker().check_packs(doc)
    assert {r.rule: r.status for r in content.results}["SK106-B2-MATERIAL-EFFECT"] == "missing"
    flag = next(r for r in tags.results if r.rule == "CYD-FLAG-MATERIAL-FALSE")
    assert flag.status == "missing"
    assert "does not accept" in flag.message and "SK106-B2-MATERIAL-EFFECT missing" in flag.message
    assert flag.evidence and flag.evidence[0].text.startswith("Refer to")
    # Run alone, the tag pack still takes the flag at its word: only the joint run can reconcile.
    alone = Checker().check_document(html.read(CROSS_REFERENCE_FLAG.encode(), "x.html")[0], "cyd-tags")
    assert {r.rule: r.status for r in alone.results}["CYD-FLAG-MATERIAL-FALSE"] == "met"


def test_nvidia_material_flag_on_a_cross_reference(capsys):
    path = shared_path("fullfilings", "nvda-10-k-2025-02-26.html")
    code, out, _ = run_main(capsys, "check", str(path), "--format", "json")
    reports = {r["pack"]["id"]: r for r in json.loads(out)["reports"]}
    assert code == 1
    flag = next(r for r in reports["cyd-tags"]["results"] if r["rule"] == "CYD-FLAG-MATERIAL-FALSE")
    assert flag["status"] == "missing" and "Item 1A" in flag["message"]
    material = next(r for r in reports["sk-106"]["results"] if r["rule"] == "SK106-B2-MATERIAL-EFFECT")
    assert material["status"] == "missing"
    assert [t["value"] for t in material["filer_tags"] if t["kind"] == "flag"] == [False]


def test_every_format_carries_the_filer_tag_beside_the_finding(tmp_path, capsys):
    path = tmp_path / "flagged.html"
    path.write_text(CROSS_REFERENCE_FLAG, encoding="utf-8")
    tag = f"cyd:{FLAG} (f-9) = false"
    for fmt in ("text", "markdown", "junit", "github"):
        _, out, _ = run_main(capsys, "check", str(path), "--format", fmt)
        assert tag in " ".join(out.replace("\\_", "_").split()), fmt  # text wraps at 80 columns
    _, out, _ = run_main(capsys, "check", str(path), "--format", "sarif")
    props = [r["properties"] for r in json.loads(out)["runs"][0]["results"]]
    assert any(t["concept"] == FLAG and t["value"] is False and t["fact_id"] == "f-9"
               for p in props for t in p.get("filerTags", []))


def test_html_report_places_quotes_and_filer_tags_by_page(capsys):
    _, out, _ = run_main(capsys, "check", str(META), "--format", "html")
    assert 'class="where">p. 49, para. 1' in out  # a filer tag's text, located by page and paragraph
    assert 'class="where">line ' not in out and ">line " not in out


def test_one_document_checked_with_two_packs_is_one_gap_report_in_html(capsys):
    code, out, _ = run_main(capsys, "check", str(DRAFT), "--pack", "sk-106", "--pack", "cyd-tags",
                            "--format", "html")
    assert code == 0
    assert "<title>Gap report: " in out and "Gap reports:" not in out
    assert "1 document (2 reports: one per pack) checked by cydcheck" in out
    assert "<code>sk-106</code></span>" in out and "<code>cyd-tags</code></span>" in out
    # A pack under which no rule applied (cyd-tags on an untagged draft) renders in every format.
    for fmt in ("markdown", "text", "json", "sarif", "junit", "github"):
        code, _, err = run_main(capsys, "check", str(DRAFT), "--pack", "sk-106", "--pack", "cyd-tags",
                                "--format", fmt)
        assert code == 0 and "internal error" not in err, (fmt, err)


def test_a_filings_section_is_located_once_for_all_its_packs(monkeypatch):
    """A whole 10-K checked with its content pack and the cyd tag pack: its headings are read once (each
    pack located the section again: a tenth of checking a whole 10-K), and both reports quote it."""
    from checker import api, sections

    doc = html.read(META.read_bytes(), META.name)[0]
    calls = []
    real = sections.locate
    monkeypatch.setattr(api.sections, "locate", lambda d, item=None: calls.append(item) or real(d, item))
    reports = Checker().check_packs(doc)
    assert [r.pack_id for r in reports] == ["sk-106", "cyd-tags"]
    assert calls == ["1C"]
    assert reports[0].document.section == reports[1].document.section
