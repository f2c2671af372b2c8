"""Rules a selection keeps out of a report are named in every report, with the setting that left them out."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from cli_helpers import run_main

from checker.model import LeftOut, left_out_text
from checker.report.comments import comments_of

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "checker" / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
# the complete draft without its statement on material effect: a gap the configuration disables
DRAFT = (ROOT / "samples" / "draft-10k-1c-complete.md").read_text(encoding="utf-8").split("As of the date")[0] + \
    (ROOT / "samples" / "draft-10k-1c-complete.md").read_text(encoding="utf-8").split('"Risk Factors."')[1]


@pytest.fixture
def drafted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".cydcheck.yaml").write_text("disable: [SK106-B2]\nexamples: false\n", encoding="utf-8")
    (tmp_path / "draft.md").write_text(DRAFT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_draft_has_the_gap_the_configuration_disables(drafted: Path, capsys) -> None:
    code, out, _ = run_main(capsys, "check", "draft.md", "--disable", "SK106-C1")  # replaces the file's list
    assert code == 1 and "MISSING  SK106-B2-MATERIAL-EFFECT" in out


def test_every_format_names_the_rules_left_out_and_the_setting(drafted: Path, capsys) -> None:
    code, out, _ = run_main(capsys, "check", "draft.md", "-o", "r.json", "-o", "r.html", "-o", "r.md", "-o",
                            "r.xml")
    assert code == 0  # the only gap is disabled
    setting = f"disable: SK106-B2, in {drafted / '.cydcheck.yaml'}"
    report = json.loads((drafted / "r.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, SCHEMA)
    assert report["left_out"] == [{"rule": "SK106-B2-MATERIAL-EFFECT", "element": "material_effect",
                                   "title": report["left_out"][0]["title"], "setting": setting}]
    assert "SK106-B2-MATERIAL-EFFECT" not in {r["rule"] for r in report["results"]}
    page = (drafted / "r.html").read_text(encoding="utf-8")
    assert "1 rule of the pack was left out by the selection and not checked (see the scope)." in page
    assert "left out by the selection, not checked: SK106-B2-MATERIAL-EFFECT (disable: SK106-B2, in " in page
    assert "**Not checked:** 1 rule of the pack left out by the selection" in (drafted / "r.md").read_text("utf-8")
    suite = ET.parse(drafted / "r.xml").getroot().find("testsuite")
    skipped = [c for c in suite.iter("testcase") if c.find("skipped") is not None]
    assert [c.get("name").split()[0] for c in skipped] == ["SK106-B2-MATERIAL-EFFECT"]
    assert skipped[0].find("skipped").get("message") == f"left out by the selection: {setting}"
    assert (suite.get("tests"), suite.get("skipped")) == ("12", "1")  # 11 rules checked, 1 left out
    code, out, _ = run_main(capsys, "check", "draft.md")
    assert "1 rule of the pack left out by the selection, not checked:" in out


def test_a_select_names_what_it_left_out(drafted: Path, capsys) -> None:
    code, out, _ = run_main(capsys, "check", "draft.md", "--select", "mgmt_roles", "-f", "json")
    left = json.loads(out)["left_out"]
    assert len(left) == 11 and {x["setting"] for x in left} == {"not in select: mgmt_roles, on the command line"}


def test_nothing_is_said_when_nothing_is_left_out(tmp_path: Path, capsys) -> None:
    (tmp_path / "draft.md").write_text(DRAFT, encoding="utf-8")
    code, out, _ = run_main(capsys, "check", str(tmp_path / "draft.md"), "--no-examples", "-f", "json")
    assert "left_out" not in json.loads(out)


def test_the_word_summary_comment_says_it(checker) -> None:
    from checker.model import Document

    report = checker.check_document(Document(text=DRAFT, source="draft.md"), "sk-106")
    report.left_out = [LeftOut("SK106-B2-MATERIAL-EFFECT", "material_effect", "Material effect",
                               "disable: SK106-B2, on the command line")]
    summary = comments_of([report])[0]
    assert f"{left_out_text(report.left_out)[0].upper()}{left_out_text(report.left_out)[1:]}." in summary.lines


def test_a_selection_of_a_pack_rule_on_a_filing_not_yet_due_is_no_usage_error(drafted: Path, capsys) -> None:
    # a house rule selected, on a filing whose item was not yet required: none of the pack's rules ran, yet the
    # selection names rules of the pack used; and a report of no applicable rule has no coverage, not 100%
    code, out, err = run_main(capsys, "check", "draft.md", "--period", "2023-06-30", "--select", "SK106-C1")
    assert code == 0 and "names no rule" not in err and "keeps no rule" not in err, err
    assert "no rule applied: no coverage to report" in out and "coverage 100%" not in out
    code, out, err = run_main(capsys, "check", "draft.md", "--period", "2023-06-30", "--select", "SK106-C9")
    assert code == 2 and "keeps no rule of the packs used" in err  # a typo is still one
