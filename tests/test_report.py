"""checker.report.render: what every format tells its reader about the report itself."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from checker.model import DISCLAIMER
from checker.report import render

ROOT = Path(__file__).resolve().parent.parent
COMPLETE = ROOT / "samples" / "draft-10k-1c-complete.md"


def _plain(text: str) -> str:
    """The words of a report, markup and line breaks aside."""
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


@pytest.mark.parametrize("fmt", ["text", "json", "html", "markdown", "sarif", "junit"])
def test_every_report_format_says_it_checks_elements_not_adequacy_and_is_no_legal_advice(checker, fmt):
    """A complete draft met every element: each format a reader may take for a sign-off says that the
    tool checks elements, not whether the disclosure is adequate, and gives no legal advice."""
    (report,) = checker.check_path(COMPLETE, pack="sk-106")
    out = render(report, fmt, version="0.0.test")
    assert "not legal advice" in DISCLAIMER and "adequate" in DISCLAIMER
    if fmt == "json":
        assert json.loads(out)["tool"]["disclaimer"] == DISCLAIMER
    elif fmt == "sarif":
        assert json.loads(out)["runs"][0]["properties"]["disclaimer"] == DISCLAIMER
    elif fmt == "junit":
        props = {p.get("name"): p.get("value") for p in ET.fromstring(out).iter("property")}
        assert props["disclaimer"] == DISCLAIMER
    else:
        assert DISCLAIMER in _plain(out)


def test_a_met_report_claims_no_adequate_disclosure(checker):
    """The workpaper's and the Markdown's conclusion on a complete draft says the elements were found in
    the text, not that they "are disclosed" or "met" as a legal conclusion."""
    (report,) = checker.check_path(COMPLETE, pack="sk-106")
    for fmt in ("html", "markdown"):
        out = _plain(render(report, fmt, version="0.0.test"))
        assert "are disclosed" not in out and "every element that applies is met" not in out, fmt
        assert "addressed in the text" in out, fmt


def test_an_installed_package_renders_with_its_own_templates_not_a_folder_beside_it(tmp_path, monkeypatch):
    # as with the packs: another distribution's top-level `templates/` in site-packages was read first
    from checker.report import templating

    site = tmp_path / "site-packages"
    (site / "checker" / "data" / "templates").mkdir(parents=True)
    (site / "templates").mkdir()
    monkeypatch.setattr(templating, "__file__", str(site / "checker" / "report" / "templating.py"))
    assert templating.shipped_templates_dir() == (site / "checker" / "data" / "templates").resolve()
    (site / "checker" / "data" / "templates").rmdir()
    assert templating.shipped_templates_dir() == (site / "templates").resolve()
