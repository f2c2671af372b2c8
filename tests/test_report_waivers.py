"""Expired and stale waivers reach every report format: JSON, SARIF, HTML and Markdown."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from report_samples import SAMPLES, VERSION, parse_html, sample_reports

from checker.baseline import Waiver, WaiverNotice
from checker.cli import main
from checker.report import html_out, render

ROOT = Path(__file__).resolve().parent.parent
REPORT_SCHEMA = json.loads((ROOT / "checker/schemas/report.schema.json").read_text(encoding="utf-8"))
SARIF_SCHEMA = json.loads((ROOT / "tests/fixtures/sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
EXPIRED = "b.yaml:3: waiver for SK106-C1-COMMITTEE (x.md) expired on 2024-12-31; its finding counts again"
STALE = "b.yaml:9: waiver for NO-SUCH-RULE (y.md) <b>no longer</b> matches | any"  # hostile on purpose


def notices() -> list[dict]:
    expired = Waiver("SK106-C1-COMMITTEE", "a" * 24, "FY24", "J. Doe", date(2024, 12, 31), "x.md", line=3)
    stale = Waiver("NO-SUCH-RULE", "b" * 24, "old", "J. Doe", file="y.md", line=9)
    return [WaiverNotice("expired", expired, EXPIRED).to_dict(),
            WaiverNotice("stale", stale, STALE).to_dict()]


@pytest.fixture(scope="module")
def reports():
    from checker import Checker

    return sample_reports(Checker(), SAMPLES[0])


def test_json_lists_waivers_only_when_there_are_notices(reports):
    plain = json.loads(render(reports, "json", version=VERSION, waiver_notices=[]))
    assert "waivers" not in plain
    data = json.loads(render(reports, "json", version=VERSION, waiver_notices=notices()))
    assert data["waivers"] == notices()
    assert {k: v for k, v in data.items() if k != "waivers"} == plain
    jsonschema.validate(data, REPORT_SCHEMA)
    several = json.loads(render(reports * 2, "json", version=VERSION, waiver_notices=notices()))
    assert several["waivers"] == notices() and len(several["reports"]) == 2
    jsonschema.validate(several, REPORT_SCHEMA)
    with pytest.raises(jsonschema.ValidationError):  # the schema checks the notices' shape
        jsonschema.validate({**data, "waivers": [{"kind": "forgotten", "rule": "X", "message": "m"}]},
                            REPORT_SCHEMA)


def test_sarif_reports_notices_as_tool_execution_notifications(reports):
    plain = json.loads(render(reports, "sarif", version=VERSION))
    assert "invocations" not in plain["runs"][0]
    data = json.loads(render(reports, "sarif", version=VERSION, waiver_notices=notices()))
    jsonschema.validate(data, SARIF_SCHEMA)
    run = data["runs"][0]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is True
    expired, stale = invocation["toolExecutionNotifications"]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert expired["level"] == "warning" and expired["message"]["text"] == notices()[0]["message"]
    index = rule_ids.index("SK106-C1-COMMITTEE")
    assert expired["associatedRule"] == {"id": "SK106-C1-COMMITTEE", "index": index}
    assert expired["descriptor"] == {"id": "waiver-expired"}
    assert stale["associatedRule"] == {"id": "NO-SUCH-RULE"}  # a rule no longer in the pack has no index
    assert stale["properties"] == {"kind": "stale", "fingerprint": "b" * 24, "file": "y.md", "line": 9}
    assert {k: v for k, v in run.items() if k != "invocations"} == plain["runs"][0]


def _notice_items(markup: str) -> list:
    dom = parse_html(markup)
    sections = [s for s in dom.iter("section") if s.has_class("waiver-notices")]
    assert len(sections) <= 1
    return list(sections[0].iter("li")) if sections else []


def test_html_lists_notices_escaped_on_the_page_and_on_the_index(reports):
    assert _notice_items(render(reports, "html", version=VERSION)) == []
    markup = render(reports, "html", version=VERSION, waiver_notices=notices())
    items = _notice_items(markup)
    assert [(li.attrs["data-kind"], li.attrs["data-rule"]) for li in items] == [
        ("expired", "SK106-C1-COMMITTEE"), ("stale", "NO-SUCH-RULE")]
    assert items[0].text.startswith("Expired: b.yaml:3: waiver for SK106-C1-COMMITTEE")
    assert "&lt;b&gt;no longer&lt;/b&gt;" in markup and "<b>no longer</b>" not in markup
    several = render(reports * 2, "html", version=VERSION, waiver_notices=notices())
    assert len(_notice_items(several)) == 2
    pages = html_out.render_pages(reports * 2, version=VERSION, waiver_notices=notices())
    assert len(_notice_items(pages[html_out.INDEX_PAGE])) == 2
    assert all(_notice_items(page) == [] for name, page in pages.items() if name != html_out.INDEX_PAGE)


def test_markdown_has_a_short_waiver_section_only_with_notices(reports):
    plain = render(reports, "markdown", version=VERSION)
    assert "Waivers needing attention" not in plain
    text = render(reports, "markdown", version=VERSION, waiver_notices=notices())
    section = text[text.index("## Waivers needing attention"):]
    lines = [ln for ln in section.splitlines() if ln.startswith("- ")]
    assert lines[0].startswith("- **Expired:** b.yaml:3: waiver for SK106-C1-COMMITTEE (x.md) expired on")
    assert lines[1] == ("- **Stale:** b.yaml:9: waiver for NO-SUCH-RULE (y.md) &lt;b&gt;no longer&lt;/b&gt; "
                        "matches \\| any")
    assert text.replace(text[text.index("## Waivers needing attention"):text.index("<sub>")], "") == plain


DRAFT = "Item 1C. Cybersecurity\n\nWe sell shoes.\n"
PACK = """\
pack: tiny
title: Tiny
version: "1"
applies_to: [{form: 10-K, item: 1C}]
vocabularies: {board: ['board']}
rules:
  - id: T-BOARD
    title: Board oversight
    citation: "106(c)(1)"
    severity: error
    message: No board.
    guidance: Say it.
    match: {sentence: {all: [board]}}
    examples: {pass: ["The board oversees it."], fail: ["Nothing."]}
"""


def _run(capsys, *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    return int(exc.value.code or 0), capsys.readouterr().out


def test_check_passes_an_expired_waiver_to_json_and_sarif(tmp_path, monkeypatch, capsys):
    (tmp_path / "tiny.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / ".cydcheck.yaml").write_text("pack: tiny.yaml\n", encoding="utf-8")
    (tmp_path / "draft.md").write_text(DRAFT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "946684800")  # recorded on 2000-01-01 (a past date is refused)
    _run(capsys, "baseline", "draft.md", "--justification", "ok", "--approved-by", "J. Doe",
         "--expires", "2001-01-01")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    code, out = _run(capsys, "check", "--format", "json", "draft.md")
    (notice,) = json.loads(out)["waivers"]
    assert code == 1
    assert (notice["kind"], notice["rule"], notice["file"]) == ("expired", "T-BOARD", "draft.md")
    assert "expired on 2001-01-01" in notice["message"]
    _code, out = _run(capsys, "check", "--format", "sarif", "draft.md")
    (sarif_notice,) = json.loads(out)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert sarif_notice["message"]["text"] == notice["message"]
    _code, out = _run(capsys, "check", "--no-waivers", "--format", "json", "draft.md")
    assert "waivers" not in json.loads(out)
