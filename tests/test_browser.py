"""The HTML report in a real browser: headless Chromium loads it offline, the DOM holds every row, it renders.

Skipped where Chromium is not installed, except in CI (CI=true), where `.ci/run` installs it and a
missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from report_samples import SAMPLES, TEST_PACK, VERSION, parse_html, sample_reports

from checker.report import render
from checker.report.context import STATUS_LABEL

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
WINDOW = (1280, 1600)


def _browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is required in CI (.ci/run installs Debian's chromium)")
    pytest.skip("Chromium is not installed")


def _run(browser: str, tmp_path: Path, page: Path, *extra: str) -> subprocess.CompletedProcess:
    args = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={WINDOW[0]},{WINDOW[1]}",
            *extra, page.as_uri()]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


@pytest.fixture
def report_page(checker, tmp_path):
    reports = sample_reports(checker, SAMPLES[1])
    page = tmp_path / "report.html"
    page.write_text(render(reports, "html", version=VERSION), encoding="utf-8")
    return reports[0], page


def test_browser_dom_has_a_row_per_element_with_its_status(report_page, tmp_path):
    report, page = report_page
    dom = parse_html(_run(_browser(), tmp_path, page, "--dump-dom").stdout)
    rows = [tr for tr in dom.iter("tr") if "data-rule" in tr.attrs]
    assert len(rows) == len(report.results)
    expected = {r.rule: r.status for r in report.results}
    assert {tr.attrs["data-rule"]: tr.attrs["data-status"] for tr in rows} == expected
    for tr in rows:
        badge = next(s for s in tr.iter("span") if s.has_class("status"))
        assert badge.text.split(maxsplit=1)[1] == STATUS_LABEL[tr.attrs["data-status"]]
    assert not list(dom.iter("script"))


def test_browser_renders_every_status_of_the_test_pack(checker, tmp_path):
    reports = sample_reports(checker, SAMPLES[1], pack=TEST_PACK)
    page = tmp_path / "statuses.html"
    page.write_text(render(reports, "html", version=VERSION), encoding="utf-8")
    dom = parse_html(_run(_browser(), tmp_path, page, "--dump-dom").stdout)
    statuses = sorted(tr.attrs["data-status"] for tr in dom.iter("tr") if "data-rule" in tr.attrs)
    assert statuses == sorted(r.status for r in reports[0].results)
    assert {"met", "partial", "missing", "not_applicable"} <= set(statuses)


def test_browser_takes_a_screenshot(report_page, tmp_path):
    _, page = report_page
    shot = tmp_path / "report.png"
    _run(_browser(), tmp_path, page, f"--screenshot={shot}")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert (width, height) == WINDOW
    assert len(data) > 20_000  # a blank page compresses to a few kilobytes; the report does not


_MEASURE = """<script>
const page = document.documentElement, body = document.body.getBoundingClientRect();
const cols = [...document.querySelectorAll("table.elements")].map(t => [t.getBoundingClientRect().right,
  [...t.tHead.rows[0].cells].at(-1).getBoundingClientRect().width]);
page.dataset.overflow = page.scrollWidth - page.clientWidth;
page.dataset.tables = JSON.stringify(cols.map(([right, evidence]) => [Math.round(right - body.right),
  Math.round(evidence)]));
</script>"""
_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')


def _measured(html: str) -> str:
    """The report with the test's measuring script at its end; the report's own policy (which rightly
    blocks any script) is taken out for it: these tests measure the layout, not the policy."""
    return _POLICY.sub("", html, count=1).replace("</body>", _MEASURE + "</body>")


def test_browser_a_script_put_into_the_report_does_not_run(report_page, tmp_path):
    # what the escaping would have let through, were it ever broken: the page's own policy stops it
    _, page = report_page
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</body>", "<script>document.documentElement.dataset.ran = 'yes'</script></body>"), encoding="utf-8")
    dom = parse_html(_run(_browser(), tmp_path, page, "--dump-dom").stdout)
    assert "data-ran" not in next(dom.iter("html")).attrs


def test_a_tagged_filing_s_table_fits_a_laptop_screen(tmp_path):
    """The element table with the filer's tags stays within the page at 1280 pixels, its evidence column
    the widest: a long inline XBRL name (cyd:CybersecurityRiskManagementProcesses...TextBlock) in a quote's
    place once widened it past the window and squeezed the tags column to a word a line."""
    from conftest import shared_path

    from checker.cli import main

    filing = shared_path("fullfilings", "8k-0001493152-26-013239.html")
    page = tmp_path / "report.html"
    with pytest.raises(SystemExit):
        main(["check", str(filing), "-f", "html", "-o", str(page), "--fail-on", "never"])
    page.write_text(_measured(page.read_text(encoding="utf-8")), encoding="utf-8")
    dom = parse_html(_run(_browser(), tmp_path, page, "--dump-dom").stdout)
    html = next(dom.iter("html"))
    assert html.attrs["data-overflow"] == "0"
    tables = json.loads(html.attrs["data-tables"])
    assert len(tables) == 2  # one per pack: the 8-K's and the filer's cyd tags
    for beyond_body, evidence in tables:
        assert beyond_body <= 0
        assert evidence >= 350


def test_a_draft_named_without_a_space_or_hyphen_fits_the_window(checker, tmp_path):
    """A draft's report is headed by its file name: 180 letters without a break ran the heading off the
    window, the page scrolling sideways to 2,584 pixels."""
    draft = tmp_path / ("ClientAcmeHoldingsAnnualReportItemOneCDraftVersionSeventeen" * 3 + ".md")
    draft.write_text("# Item 1C. Cybersecurity\n\nOur Board of Directors oversees cybersecurity risk.\n",
                     encoding="utf-8")
    page = tmp_path / "report.html"
    page.write_text(_measured(render(checker.check_path(str(draft)), "html", version=VERSION)), encoding="utf-8")
    dom = parse_html(_run(_browser(), tmp_path, page, "--dump-dom").stdout)
    assert next(dom.iter("html")).attrs["data-overflow"] == "0"


def test_high_contrast_keeps_the_coverage_bar_and_the_row_a_link_leads_to(checker, tmp_path):
    """Windows high contrast (forced colours): the coverage bar's segments lost their colours, leaving an empty
    box, and the row an evidence link's "back to the table" leads to was marked by its shading alone, which
    that mode drops: the reader zoomed in could not tell which row they had landed on."""
    from test_serve import _driver

    page = tmp_path / "report.html"
    page.write_text(render(sample_reports(checker, SAMPLES[0]), "html", version=VERSION), encoding="utf-8")
    driver = _driver(javascript=True)
    try:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                               {"features": [{"name": "forced-colors", "value": "active"}]})
        driver.get(page.as_uri() + "#row-1")
        met, missing, canvas, outline = driver.execute_script(
            "const bg = s => s ? getComputedStyle(s).backgroundColor : null;"
            "return [bg(document.querySelector('.bar .seg-met')), bg(document.querySelector('.bar .seg-missing')),"
            " getComputedStyle(document.documentElement).backgroundColor,"
            " getComputedStyle(document.querySelector('tr:target')).outlineStyle];")
        assert driver.execute_script("return matchMedia('(forced-colors: active)').matches")
        assert met is not None and missing is not None and met != missing
        assert outline != "none"
    finally:
        driver.quit()


def test_high_contrast_dashboard_charts_keep_their_words_and_legend(checker, tmp_path):
    """The batch dashboard in Windows high contrast with a dark theme: the charts' labels ('material_effect',
    '67% of 3', the histogram's bins) kept their fixed dark grey on the mode's black, unreadable, and the
    legend's swatches ('met', 'partly met') vanished, being backgrounds."""
    from test_serve import _driver

    from checker.report.dashboard import dashboard_html
    from checker.summary import summary_row

    page = tmp_path / "dashboard.html"
    page.write_text(dashboard_html([summary_row(r) for r in sample_reports(checker)]), encoding="utf-8")
    driver = _driver(javascript=True)
    try:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [
            {"name": "forced-colors", "value": "active"}, {"name": "prefers-color-scheme", "value": "dark"}]})
        driver.get(page.as_uri())
        text, fill, swatch = driver.execute_script(
            "const s = getComputedStyle(document.querySelector('svg text'));"
            "return [getComputedStyle(document.body).color, s.fill,"
            " getComputedStyle(document.querySelector('.legend span.met')).backgroundColor];")
        assert fill == text  # the mode's own text colour
        assert swatch not in ("rgba(0, 0, 0, 0)", "transparent")
    finally:
        driver.quit()


def test_at_320_css_pixels_only_a_wide_table_scrolls_not_the_page(checker, tmp_path):
    """WCAG 1.4.10 reflow, the colleague at 400% (320 CSS px): the element table (482 px; 604 with the filer's
    tags), the index of several reports (532) and the dashboard's charts (772) and its hidden tables of figures
    widened the whole page, so every line of the report scrolled sideways. Each such table or chart now
    scrolls in its own box and the page fits the window; a report's tables now reflow into cards at this
    width, so only the dashboard's charts still scroll in their boxes."""
    from test_serve import _driver

    from checker.report.dashboard import dashboard_html
    from checker.summary import summary_row

    reports = sample_reports(checker)
    pages = {"one.html": render(reports[:1], "html", version=VERSION),
             "several.html": render(reports, "html", version=VERSION),
             "dashboard.html": dashboard_html([summary_row(r) for r in reports])}
    driver = _driver(javascript=True)
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 320, "height": 1400, "deviceScaleFactor": 1, "mobile": False})
        for name, html in pages.items():
            (tmp_path / name).write_text(html, encoding="utf-8")
            driver.get((tmp_path / name).as_uri())
            page, window, widest = driver.execute_script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
                " Math.max(...[...document.querySelectorAll('table, svg')].map(e => e.scrollWidth || e.getBoundingClientRect().width))];")
            if name == "dashboard.html":
                assert widest > window, name  # the test holds something wider than the window
            else:  # a report's tables reflow into cards (test_on_a_phone_...): none is wider, none scrolls
                assert widest <= window, name
            assert page == window, name
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 1280, "height": 1400, "deviceScaleFactor": 1, "mobile": False})
        for name in pages:  # a wide window: no box scrolls, down or across
            driver.get((tmp_path / name).as_uri())
            assert driver.execute_script(
                "return [...document.querySelectorAll('.scroll')].filter(b => b.scrollWidth > b.clientWidth"
                " || (getComputedStyle(b).overflowY !== 'hidden' && b.scrollHeight > b.clientHeight)).length") == 0, name
    finally:
        driver.quit()


def test_printed_in_greyscale_the_coverage_bar_s_segments_stay_apart(checker, tmp_path):
    """Printed on the office's black-and-white printer, the coverage bar's met (green #1a7f37) and missing
    (red #cf222e) segments came out the same grey (luma 89 and 87): a bar of one tone. Each segment now
    differs in grey level or in pattern (missing is hatched)."""
    from test_serve import _driver

    page = tmp_path / "report.html"
    page.write_text(render(sample_reports(checker, SAMPLES[1], pack=TEST_PACK), "html", version=VERSION),
                    encoding="utf-8")
    driver = _driver(javascript=True)
    try:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        driver.get(page.as_uri())
        looks = driver.execute_script(
            "return Array.from(document.querySelectorAll('.bar span')).map(s => {"
            " const c = getComputedStyle(s); return [s.className, c.backgroundColor, c.backgroundImage]; });")
    finally:
        driver.quit()

    def grey(rgb: str) -> int:
        r, g, b = (int(x) for x in re.findall(r"\d+", rgb)[:3])
        return round(0.299 * r + 0.587 * g + 0.114 * b)

    assert {name for name, _, _ in looks} >= {"seg-met", "seg-missing"}, looks
    tones = [(grey(bg), image) for _, bg, image in looks]
    for i, a in enumerate(tones):
        for b in tones[i + 1:]:
            assert a[1] != b[1] or abs(a[0] - b[0]) >= 30, looks


def test_on_a_phone_each_finding_reads_down_the_screen_not_off_its_edge(checker, tmp_path):
    """A director opening the emailed report on an iPhone (390 CSS px): the element table was 462 px wide in a
    350 px box, so each gap's message and guidance sat off the right edge while its row's height ran on for
    screens of blank page (the page 52,000 px tall); the index of a filing's two reports scrolled sideways too.
    On a narrow screen each row is now a card read top to bottom, its citation and figures named."""
    from test_serve import _driver

    reports = sample_reports(checker)
    pages = {"one.html": render(reports[:1], "html", version=VERSION),
             "several.html": render(reports, "html", version=VERSION)}
    driver = _driver(javascript=True)
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True})
        for name, html in pages.items():
            (tmp_path / name).write_text(html, encoding="utf-8")
            driver.get((tmp_path / name).as_uri())
            window, beyond, labels = driver.execute_script(
                "const w = document.documentElement.clientWidth;"
                "return [w, [...document.querySelectorAll('table.elements tbody td, table.elements tbody th, table.index tbody td,"
                " table.index tbody th')].filter(c => c.getBoundingClientRect().width && c.getBoundingClientRect().right > w)"
                ".map(c => c.textContent.trim().slice(0, 40)),"
                " [...document.querySelectorAll('td.citation')].map(c => getComputedStyle(c, '::before').content)];")
            assert beyond == [], name
            assert labels and all("Citation" in label for label in labels), name
        # the dashboard's filings table scrolls in its box; its caption (what the columns mean) was cut at the
        # window's edge with it, and now wraps in sight
        from checker.report.dashboard import dashboard_html
        from checker.summary import summary_row

        (tmp_path / "dashboard.html").write_text(dashboard_html([summary_row(r) for r in reports]), encoding="utf-8")
        driver.get((tmp_path / "dashboard.html").as_uri())
        assert driver.execute_script("return document.querySelector('#filings caption').getBoundingClientRect()"
                                     ".right <= document.documentElement.clientWidth")
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 1280, "height": 1400, "deviceScaleFactor": 1, "mobile": False})
        driver.get((tmp_path / "one.html").as_uri())  # on a laptop the table keeps its columns and its header
        assert driver.execute_script("return getComputedStyle(document.querySelector('table.elements thead'))"
                                     ".display") == "table-header-group"
    finally:
        driver.quit()


def test_on_a_phone_every_link_is_big_enough_to_tap(checker, tmp_path):
    """On an iPhone the section text's evidence marks ('[10][11][12]', side by side) were 16 to 22 by 12 CSS
    px and each quote's place ('line 16, col 1') 15 px high: a director's finger took the neighbour. On a
    narrow screen each link is now at least 24 by 24 px (WCAG 2.5.8)."""
    from test_serve import _driver

    page = tmp_path / "report.html"
    page.write_text(render(sample_reports(checker, SAMPLES[0]), "html", version=VERSION), encoding="utf-8")
    driver = _driver(javascript=True)
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True})
        driver.get(page.as_uri())
        small = driver.execute_script(
            "return [...document.querySelectorAll('main a[href]')].map(a => [a.textContent.trim(),"
            " a.getBoundingClientRect()]).filter(([, r]) => r.width < 24 || r.height < 24)"
            ".map(([t, r]) => t + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));")
        assert driver.execute_script("return document.querySelectorAll('main a.ref').length") > 0
        assert small == []
    finally:
        driver.quit()


@pytest.mark.parametrize("width", [660, 820, 1024])
def test_on_a_tablet_the_evidence_column_is_never_a_word_wide(tmp_path, width):
    """On an iPad in portrait (820 CSS px) the element table of an 8-K with the filer's tags left the
    evidence and guidance column 84 px: a quote ran a syllable a line and the page 99,000 px tall (at 660 px,
    between phone and tablet, the plain table did the same). The table becomes cards until its columns leave
    the evidence room to read."""
    from conftest import shared_path

    from checker.cli import main

    filing = shared_path("fullfilings", "8k-0001493152-26-013239.html")
    page = tmp_path / "report.html"
    with pytest.raises(SystemExit):
        main(["check", str(filing), "-f", "html", "-o", str(page), "--fail-on", "never"])
    from test_serve import _driver

    driver = _driver(javascript=True)
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": 1180, "deviceScaleFactor": 2, "mobile": True})
        driver.get(page.as_uri())
        narrowest = driver.execute_script(
            "return Math.min(...[...document.querySelectorAll('table.elements tbody tr')]"
            ".map(tr => tr.lastElementChild.getBoundingClientRect().width));")
        assert narrowest >= 300
    finally:
        driver.quit()


def test_on_a_phone_a_rule_that_does_not_apply_is_one_short_card(checker, tmp_path):
    """An 8-K's cyd-tags report on an iPhone: 36 of its 48 cards said only 'Not applicable', each with its
    citation, an empty tags line and 'Does not apply to this document.', some 310 px apiece (11,000 px of
    the page). On a narrow screen such a card shows its title and status alone, as print leaves the row out;
    a laptop keeps its citation."""
    from test_serve import _driver

    page = tmp_path / "report.html"
    page.write_text(render(sample_reports(checker, SAMPLES[1], pack=TEST_PACK), "html", version=VERSION),
                    encoding="utf-8")
    measure = ("return [...document.querySelectorAll('tr.row-not_applicable')].map(tr => [tr.getBoundingClientRect()"
               ".height, getComputedStyle(tr.querySelector('td.citation')).display]);")
    driver = _driver(javascript=True)
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True})
        driver.get(page.as_uri())
        cards = driver.execute_script(measure)
        assert cards and all(height < 140 and shown == "none" for height, shown in cards), cards
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 1280, "height": 1400, "deviceScaleFactor": 1, "mobile": False})
        driver.get(page.as_uri())
        assert all(shown == "table-cell" for _, shown in driver.execute_script(measure))
    finally:
        driver.quit()
