"""SARIF 2.1.0: valid against the official schema, rules described, gaps located, fingerprints stable."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from cli_helpers import run_main
from conftest import ROOT, whole_section
from report_samples import (
    REVIEW_SAMPLE,
    SAMPLES,
    TEST_PACK,
    VERSION,
    JsonSnapshot,
    hostile_report,
    sample_reports,
    steady,
)

from checker.model import Section
from checker.packs import load_pack
from checker.report import render
from checker.report.context import artifact_uri as artifact_uri_of

SCHEMA_PATH = Path(__file__).resolve().parent / "fixtures" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _sarif(reports) -> dict:
    return json.loads(render(reports, "sarif", version=VERSION))


@pytest.mark.parametrize("name", [*SAMPLES, REVIEW_SAMPLE])
def test_snapshot_real_sample(checker, snapshot, name):
    text = render(sample_reports(checker, name), "sarif", version=VERSION)
    assert steady(text) == snapshot.use_extension(JsonSnapshot)


def test_schema_fixture_is_the_sarif_schema(validator):
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"version": "2.1.0"})  # runs is required
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})  # driver needs a name


@pytest.mark.parametrize("pack", ["auto", TEST_PACK])
def test_validates_against_the_official_schema(checker, validator, pack):
    reports = sample_reports(checker, pack=pack)
    validator.validate(_sarif(reports))


def test_hostile_and_waived_output_validates(checker, validator):
    report = hostile_report(checker)
    next(r for r in report.results if r.is_gap).waived = {"justification": "<ok>", "approved_by": "me"}
    log = _sarif([report])
    validator.validate(log)
    suppressed = [r for r in log["runs"][0]["results"] if r.get("suppressions")]
    assert len(suppressed) == 1
    assert suppressed[0]["suppressions"][0]["justification"] == "approved_by: me; justification: <ok>"


def test_rules_and_results_line_up(checker):
    reports = sample_reports(checker, pack=TEST_PACK)
    run = _sarif(reports)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.rule for r in reports[0].results]
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
    gaps = [(rep.document.source, r.rule) for rep in reports for r in rep.results if r.is_gap]
    assert [(res["properties"]["document"], res["ruleId"]) for res in run["results"]] == gaps
    levels = {"error": "error", "warning": "warning", "info": "note"}
    by_rule = {r.rule: r for r in reports[0].results}
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] == levels[by_rule[res["ruleId"]].severity]
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri.startswith("tests/fixtures/reports/") and uri.endswith(".json")


def test_gap_points_at_the_section_heading_and_partial_lists_its_evidence(checker):
    text = ("Intro paragraph.\n\nITEM 1C. CYBERSECURITY\n\n"
            "Our board of directors oversees cybersecurity risk.\n")
    report = _report_for(checker, text)
    heading_line = 3
    for res in _sarif([report])["runs"][0]["results"]:
        region = res["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] == heading_line
        assert region["snippet"]["text"] == "ITEM 1C. CYBERSECURITY"
        if res["properties"]["status"] == "partial":
            related = [loc["physicalLocation"]["region"]["startLine"] for loc in res["relatedLocations"]]
            assert related == [5]


def _report_for(checker, text: str, source: str = "drafts/item1c.md"):
    from checker import Document

    start = text.index("ITEM 1C")
    doc = Document(text=text, source=source, form="10-K", item="1C")
    doc.section = Section(start, len(text), heading="ITEM 1C. CYBERSECURITY", item="1C", method="heading")
    return checker.check_document(doc, TEST_PACK)


def test_fingerprints_survive_reflow_but_not_rewording(checker):
    base = "ITEM 1C. CYBERSECURITY\n\nOur board of directors oversees cybersecurity risk.\n"
    moved = "\n\n\nITEM 1C. CYBERSECURITY\n\nOur board of directors\n  oversees   cybersecurity\nrisk.\n"
    reworded = "ITEM 1C. CYBERSECURITY\n\nOur board of directors supervises cybersecurity risk.\n"

    def prints(text):
        results = _sarif([_report_for(checker, text)])["runs"][0]["results"]
        return {r["ruleId"]: (r["partialFingerprints"]["primaryLocationLineHash"],
                              r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results}

    a, b, c = prints(base), prints(moved), prints(reworded)
    assert set(a) == set(b) == set(c) and "T-ROLES" in a  # the partial one, keyed on its evidence
    assert all(a[k][1] != b[k][1] for k in a)  # the lines moved...
    assert {k: v[0] for k, v in a.items()} == {k: v[0] for k, v in b.items()}  # ...the fingerprints did not
    assert a["T-ROLES"][0] != c["T-ROLES"][0]


def test_record_suffix_is_dropped_from_the_artifact_uri(checker):
    (report,) = sample_reports(checker, SAMPLES[0], pack=TEST_PACK)
    named = replace(report, document=replace(report.document, source="batch/filings.jsonl#abc-1"))
    run = _sarif([named])["runs"][0]
    assert run["artifacts"][0]["location"]["uri"] == "batch/filings.jsonl"
    assert run["artifacts"][0]["hashes"]["sha-256"] == report.document.sha256


def test_the_run_names_each_pack_by_the_hash_of_its_contents(checker, validator):
    """A SARIF log kept as evidence names the rules as they ran, as the JSON report does: each pack's SHA-256."""
    reports = sample_reports(checker, SAMPLES[0])
    log = _sarif(reports)
    validator.validate(log)
    digest = reports[0].pack_sha256
    assert len(digest) == 64
    assert log["runs"][0]["properties"]["packSha256"] == {f"{reports[0].pack_id}@{reports[0].pack_version}": digest}


@pytest.mark.parametrize(("path", "uri"), [
    ("C:\\Users\\jd\\OneDrive - ACME\\ACME 10-K Item 1C (v7) \u2013 FINAL.docx",
     "file:///C:/Users/jd/OneDrive%20-%20ACME/ACME%2010-K%20Item%201C%20%28v7%29%20%E2%80%93%20FINAL.docx"),
    ("drafts\\Q3 Draft.docx", "drafts/Q3%20Draft.docx"),
])
def test_a_windows_path_is_a_file_uri_code_scanning_reads(path, uri):
    # On Windows `check C:\Users\...\draft.docx -f sarif` wrote "file://C%3A/Users/...": the drive's colon
    # percent-encoded and the host taken to be "C%3A", so no viewer could open the file
    from pathlib import PureWindowsPath

    from checker.report.context import artifact_uri

    assert artifact_uri(path, PureWindowsPath) == uri


def test_a_rules_full_description_says_what_it_checks_not_the_gap_message(checker):
    # A code-scanning tool shows fullDescription as the rule's help: the pack's description of the
    # requirement, not "The section does not describe ...", which reads as a finding on every met rule too.
    report = checker.check_document(whole_section("The Audit Committee oversees cybersecurity risk."), "sk-106")
    rules = {r["id"]: r for r in _sarif([report])["runs"][0]["tool"]["driver"]["rules"]}
    pack = load_pack(ROOT / "rules" / "sk-106.yaml")
    for rule in pack.rules:
        text = rules[rule.id]["fullDescription"]["text"]
        assert text == " ".join(rule.description.split())
        assert text != rule.message


def test_a_decomposed_file_name_is_reported_as_git_stores_it(checker):
    # A Mac may hand over 'Société' decomposed (e + U+0301); git stores names composed (NFC), and code scanning,
    # GitLab and GitHub's annotations find the file by the name git stores: an NFD path matched no file.
    import unicodedata

    name = unicodedata.normalize("NFD", "drafts/Société Générale 10-K.md")
    report = checker.check_document(whole_section("The Audit Committee oversees cybersecurity risk.",
                                                  source=name), "sk-106")
    composed = unicodedata.normalize("NFC", name)
    uri = _sarif([report])["runs"][0]["artifacts"][0]["location"]["uri"]
    assert uri == artifact_uri_of(composed)
    annotations = [ln for ln in render([report], "github").splitlines() if ln.startswith("::")]
    assert annotations and all(f"file={composed}," in ln for ln in annotations)
    issues = json.loads(render([report], "codequality"))
    assert issues and {i["location"]["path"] for i in issues} == {composed}


def test_column_unit_utf16_gives_sarif_utf16_columns_and_says_so(tmp_path, monkeypatch, capsys):
    """SARIF always counted columns in code points; a viewer in a UTF-16 editor (VS Code's) landed one place
    off per emoji before the sentence. --column-unit utf-16 writes UTF-16 columns with columnKind saying so;
    byte, which SARIF has no kind for, leaves them in characters."""
    before = "\tWe said \u201chi\u201d \U0001f600\U0001f600 \u4e2d\u6587. "
    draft = tmp_path / "draft.md"
    draft.write_text("# Item 1C. Cybersecurity\n\n## Governance\n\n" + before
                     + "Our CISO, [\u25cf], reports to the Audit Committee quarterly.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for unit, kind, width in (("utf-16", "utf16CodeUnits", len(before.encode("utf-16-le")) // 2),
                              ("byte", "unicodeCodePoints", len(before)),
                              ("character", "unicodeCodePoints", len(before))):
        run_main(capsys, "check", "draft.md", "-f", "sarif", "-o", f"{unit}.sarif", "--column-unit", unit)
        run = json.loads((tmp_path / f"{unit}.sarif").read_text(encoding="utf-8"))["runs"][0]
        assert run["columnKind"] == kind
        regions = [loc["physicalLocation"]["region"] for res in run["results"] for loc in res["locations"]
                   if loc["physicalLocation"]["region"].get("startLine") == 5]
        assert regions and {r["startColumn"] for r in regions} == {width + 1}, unit
