"""Images inside a filing's section are not read: every report says so, with their alt text, so that an
auditor knows a chart in Item 1C was not checked."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import check_file

from checker.report import render
from checker.report.context import build_view

FILING = """<html><body>
<p>ITEM 1A. RISK FACTORS</p><p>We face risks.</p><p><img src="logo.png" alt="Company logo"></p>
<p>ITEM 1C. CYBERSECURITY</p>
<p>Our Chief Information Security Officer, who has 20 years of experience, leads our programme.</p>
<p><img src="chart.png" alt="Governance: the CISO reports to the &lt;Audit&gt; Committee"></p>
<p><img src="divider.png"></p>
<p>The Audit Committee oversees cybersecurity risk and receives quarterly reports from the CISO.</p>
<p>ITEM 2. PROPERTIES</p><p>We own offices.</p><p><img src="map.png" alt="Map of our offices"></p>
</body></html>
"""
UNREAD = ('2 images in the section, whose content was not read (alt text: "Governance: the CISO reports to '
          'the <Audit> Committee"; none)')


def _report(checker, tmp_path: Path):
    path = tmp_path / "filing.htm"
    path.write_text(FILING, encoding="utf-8")
    return check_file(checker, path, "sk-106")


def test_the_images_inside_the_section_are_named_as_not_read(checker, tmp_path) -> None:
    report = _report(checker, tmp_path)
    assert report.not_read == (UNREAD,)
    assert json.loads(render([report], "json"))["document"]["not_read"] == [UNREAD]
    assert UNREAD in build_view(report).scope_not_checked
    assert "**Not read:** 2 images in the section" in render([report], "markdown")
    assert "not read: 2 images in the section" in " ".join(render([report], "text").split())


def test_an_html_section_without_images_names_none(checker) -> None:
    root = Path(__file__).resolve().parent
    report = check_file(checker, root / "fixtures" / "xbrl" / "meta-10k-2024-item1c.html")
    assert report.not_read == ()


def test_a_logo_repeated_in_every_page_footer_is_no_image_of_the_section(checker, tmp_path) -> None:
    # (AbbVie's and Home Depot's 10-Ks show their logo in each page's footer, a few of them inside Item 1C)
    footer = '<p><img src="abbvieimage3.gif" alt="Image3.gif"></p><hr style="page-break-after:always">'
    filing = FILING.replace("<p>ITEM 1A.", footer + "<p>ITEM 1A.").replace(
        '<p><img src="divider.png"></p>', footer).replace("<p>ITEM 2.", footer + "<p>ITEM 2.")
    path = tmp_path / "filing.htm"
    path.write_text(filing, encoding="utf-8")
    report = check_file(checker, path, "sk-106")
    assert report.not_read == ('1 image in the section, whose content was not read (alt text: "Governance: the '
                               'CISO reports to the <Audit> Committee")',)
