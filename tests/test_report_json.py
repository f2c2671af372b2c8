"""checker.report.json_out as a product that stores the findings reads it: a versioned shape, a stable id a finding."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from cli_helpers import run_main

import checker
from checker.report.json_out import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent
DEFICIENT = ROOT / "samples" / "draft-10k-1c-deficient.md"
SCHEMA = json.loads((ROOT / "checker" / "schemas" / "report.schema.json").read_text(encoding="utf-8"))


def _reflowed(text: str) -> str:
    """The draft with each paragraph's lines joined: what an editor's reflow does to it."""
    return "\n\n".join(" ".join(p.split("\n")) for p in text.split("\n\n"))


def test_each_json_result_carries_the_fingerprint_sarif_and_waivers_use(capsys, tmp_path: Path) -> None:
    """A UI that stores findings keeps a dismissed one dismissed by an id that survives a reflow."""
    code, out, _ = run_main(capsys, "check", str(DEFICIENT), "-f", "json", "--no-examples")
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    prints = {r["rule"]: r["fingerprint"] for r in data["results"]}
    assert all(len(p) == 24 for p in prints.values()) and len(set(prints.values())) == len(prints)
    code, out, _ = run_main(capsys, "check", str(DEFICIENT), "-f", "sarif")
    sarif = {r["ruleId"]: r["partialFingerprints"]["primaryLocationLineHash"] for r in json.loads(out)["runs"][0]["results"]}
    assert sarif and all(prints[rule] == fp for rule, fp in sarif.items())
    moved = tmp_path / DEFICIENT.name
    moved.write_text(_reflowed(DEFICIENT.read_text(encoding="utf-8")), encoding="utf-8")
    code, out, _ = run_main(capsys, "check", str(moved), "-f", "json", "--no-examples")
    again = {r["rule"]: r["fingerprint"] for r in json.loads(out)["results"]}
    assert again == prints
    report = checker.check(DEFICIENT, examples=False)
    assert {r["rule"]: r["fingerprint"] for r in report.to_dict()["results"]} == prints


def test_the_json_report_names_the_version_of_its_shape(capsys) -> None:
    """A program reading the JSON learns which shape it holds, in one report and in several."""
    for args in ([str(DEFICIENT)], [str(DEFICIENT), str(ROOT / "samples" / "draft-10k-1c-complete.md")]):
        code, out, _ = run_main(capsys, "check", *args, "-f", "json", "--no-examples")
        data = json.loads(out)
        jsonschema.validate(data, SCHEMA)
        assert data["tool"]["schema_version"] == SCHEMA_VERSION == 1
    rendered = json.loads(checker.render(checker.check(DEFICIENT, examples=False), "json"))
    assert rendered["tool"]["schema_version"] == SCHEMA_VERSION


def test_a_report_written_before_the_version_and_fingerprints_still_validates() -> None:
    """The schema required `schema_version` and each result's `fingerprint`, added in the same shape (version
    1): a report saved by the cydcheck before them no longer validated, though its shape had not changed."""
    data = json.loads(checker.render(checker.check(DEFICIENT, examples=False), "json"))
    del data["tool"]["schema_version"]
    for result in data["results"]:
        del result["fingerprint"]
    jsonschema.validate(data, SCHEMA)


def test_the_integrators_page_lists_every_rule_id_a_report_may_carry_with_its_pack_and_element() -> None:
    """A product keys stored findings by rule id: an id added, renamed or dropped must show on the page it
    reads before an upgrade (docs/integrating.md), with the statuses and severities the schema allows."""
    import re

    import yaml

    from checker.builtin_checks import CHECKS

    page = (ROOT / "docs" / "integrating.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([^`]+)` \| `?([\w-]+)`? \| `?([\w-]+)`? \|", page, re.M))
    expected = {(c.id, "built-in", "-") for c in CHECKS}
    for pack in sorted((ROOT / "rules").glob("*.yaml")):
        for rule in yaml.safe_load(pack.read_text(encoding="utf-8")).get("rules") or []:
            expected.add((rule["id"], pack.stem, rule.get("element") or "-"))
    assert rows == expected
    result = SCHEMA["$defs"]["result"]["properties"]
    for value in (*result["status"]["enum"], *result["severity"]["enum"]):
        assert f"`{value}`" in page


def test_a_report_rendered_by_the_library_names_the_cydcheck_that_made_it() -> None:
    """checker.render(report, "json") wrote tool.version "" and SARIF's driver no version: a service storing
    the reports it renders could not tell which cydcheck made them."""
    report = checker.check(DEFICIENT, examples=False)
    assert json.loads(checker.render(report, "json"))["tool"]["version"] == checker.__version__
    driver = json.loads(checker.render(report, "sarif"))["runs"][0]["tool"]["driver"]
    assert driver["version"] == checker.__version__
    assert json.loads(checker.render(report, "json", version="9.9"))["tool"]["version"] == "9.9"
