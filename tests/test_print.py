"""The HTML report printed to PDF by headless Chromium: few pages, numbered, named, no orphaned header.

Skipped where Chromium or poppler-utils (pdfinfo, pdftotext) is missing, except in CI (CI=true), where
`.ci/run` installs them and their absence is a failure.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import shared_path

from checker.cli import main

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
MAX_PAGES = 12
TABLE_HEADER = re.compile(r"#\s+Element\s+Status\s+(?:Filer's cyd tags\s+)?Citation\s+Evidence and guidance")


def _tool(*names: str) -> str:
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI") == "true":
        pytest.fail(f"{names[0]} is required in CI (.ci/run installs it)")
    pytest.skip(f"{names[0]} is not installed")


def print_to_pdf(page: Path, pdf: Path, profile: Path) -> None:
    """What docs/workflow.md tells an auditor to run (headers and footers come from the page's CSS)."""
    args = [_tool(*BROWSERS), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()]
    done = subprocess.run(args, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0 and pdf.is_file(), done.stderr[-2000:]


def pdf_pages(pdf: Path) -> list[str]:
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    return [subprocess.run([_tool("pdftotext"), "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout for n in range(1, count + 1)]


@pytest.fixture(scope="module")
def nvidia_pdf(tmp_path_factory) -> list[str]:
    _tool(*BROWSERS), _tool("pdfinfo"), _tool("pdftotext")
    filing = shared_path("fullfilings", "nvda-10-k-2025-02-26.html")
    tmp = tmp_path_factory.mktemp("print")
    page, pdf = tmp / "nvda-report.html", tmp / "nvda-report.pdf"
    with pytest.raises(SystemExit) as done:
        main(["check", str(filing), "--format", "html", "--output", str(page), "--fail-on", "never",
              "--prepared-by", "A. Preparer", "--reviewed-by", "R. Reviewer"])
    assert done.value.code == 0
    print_to_pdf(page, pdf, tmp / "profile")
    return pdf_pages(pdf)


def test_nvidia_report_prints_to_at_most_twelve_pages(nvidia_pdf):
    assert 1 < len(nvidia_pdf) <= MAX_PAGES


def test_every_page_has_its_number_and_the_document_name(nvidia_pdf):
    total = len(nvidia_pdf)
    for n, text in enumerate(nvidia_pdf, 1):
        assert f"Page {n} of {total}" in text, f"page {n}"
        assert "Gap report: NVIDIA CORP — 10-K Item 1C" in text.splitlines()[0], f"page {n}"


def test_no_page_ends_on_a_table_header(nvidia_pdf):
    seen = 0
    for n, text in enumerate(nvidia_pdf, 1):
        for m in TABLE_HEADER.finditer(text):
            seen += 1
            after = text[m.end():]
            body = [ln for ln in after.splitlines() if ln.strip() and not re.search(r"Page \d+ of \d+", ln)]
            assert body, f"page {n} ends on the element table's header"
    assert seen >= 2  # the header is repeated on the pages the table continues on


def test_the_workpaper_fields_are_printed(nvidia_pdf):
    first = " ".join(nvidia_pdf[0].split())
    for expected in ("Checked on", "Prepared by A. Preparer", "Reviewed by R. Reviewer", "Scope and conclusion",
                     "Not checked", "Conclusion:", "sk-106 version 1.0.0"):
        assert expected in first, expected



def word_heights(pdf: Path, page: int) -> list[tuple[str, float]]:
    """Each word printed in the body of `page` with the height of its box in points (its type size, about):
    the running header and footer, in the page's margins (15 and 14 mm), are the browser's, not the page's
    zoomed text."""
    xml = subprocess.run([_tool("pdftotext"), "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', xml).group(1))
    return [(word, round(float(y1) - float(y0), 1)) for y0, y1, word
            in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', xml)
            if float(y0) > 15 / 25.4 * 72 and float(y1) < height - 14 / 25.4 * 72]


@pytest.fixture(scope="module")
def draft_pdf(tmp_path_factory) -> Path:
    _tool(*BROWSERS), _tool("pdftotext")
    tmp = tmp_path_factory.mktemp("print-draft")
    page, pdf = tmp / "draft-report.html", tmp / "draft-report.pdf"
    with pytest.raises(SystemExit):
        main(["check", str(Path(__file__).parent.parent / "samples" / "draft-10k-1c-deficient.md"),
              "--format", "html", "--output", str(page)])
    print_to_pdf(page, pdf, tmp / "profile")
    return pdf


def test_peer_examples_print_no_larger_than_the_table_around_them(draft_pdf):
    """The peers' quotes and their sources kept their screen size (0.9rem, 0.8rem of the browser's 16px)
    when the rest of the table printed at 8.5pt: on the draft's second page they stood half again as tall
    as the guidance beside them."""
    # the first page of the table alone (no section heading on it), as page 2 was when rows could break
    pages = [word_heights(draft_pdf, n) for n in range(2, len(pdf_pages(draft_pdf)) + 1)]
    words = next(w for w in pages if {"Element", "How"} <= {x for x, _ in w} and "Elements" not in {x for x, _ in w})
    header = max(h for w, h in words if w == "Element")  # the repeated table header
    assert any(w == "How" for w, _ in words)  # the page holds peers' examples
    assert max(h for _, h in words) <= header, sorted({h for _, h in words})


SECTION_HEADINGS = ("Scope and conclusion", "Scorecard", "Elements", "Section text")


@pytest.fixture(scope="module")
def two_reports_pdf(tmp_path_factory) -> list[str]:
    """Two records on one page: Brink's and Old National's Item 1C."""
    _tool(*BROWSERS), _tool("pdfinfo"), _tool("pdftotext")
    records = [shared_path("corpus", "labelled-2", name)
               for name in ("cyd-0000078890-25-000059.json", "cyd-0000707179-25-000005.json")]
    tmp = tmp_path_factory.mktemp("print-two")
    page, pdf = tmp / "two-reports.html", tmp / "two-reports.pdf"
    with pytest.raises(SystemExit):
        main(["check", *map(str, records), "--format", "html", "--output", str(page), "--fail-on", "never"])
    print_to_pdf(page, pdf, tmp / "profile")
    return pdf_pages(pdf)


def test_no_page_ends_on_a_section_heading_when_two_reports_share_the_page(two_reports_pdf):
    """With two reports on the page their sections are headed h3: printed, pages 1 and 5 ended on
    'Elements', each table starting on the next page (only h2 kept its heading with what follows)."""
    assert len(two_reports_pdf) > 4
    for n, text in enumerate(two_reports_pdf, 1):
        lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not re.search(r"Page \d+ of \d+", ln)]
        assert lines[-1] not in SECTION_HEADINGS, f"page {n} ends on its heading {lines[-1]!r}"


def test_each_printed_page_is_headed_by_its_own_report(two_reports_pdf):
    """Every page of a printed multi-report page was headed 'Gap reports: 2 documents': a page of the
    second filing's findings did not say whose they were. Page 1 (the index) keeps the page's title."""
    headers = [text.splitlines()[0].strip() for text in two_reports_pdf]
    assert headers[0] == "Gap reports: 2 documents"
    brinks = "Gap report: BRINKS CO — 10-K Item 1C"
    national = "Gap report: OLD NATIONAL BANCORP /IN/ — 10-K Item 1C"
    first_national = headers.index(national)
    assert set(headers[1:first_national]) == {brinks} and set(headers[first_national:]) == {national}
    assert "OLD NATIONAL" in two_reports_pdf[first_national] and "BRINKS" not in two_reports_pdf[first_national]


A4 = (596, 842)  # points, rounded, as Chromium writes an A4 page (595.92 x 841.92)


def print_with_paper(page: Path, pdf: Path, paper_inches: tuple[float, float]) -> None:
    """What a browser's print dialog does with the paper the reader chose: the page's own CSS size, if it
    names one, wins over it (Chromium hides the paper menu then)."""
    from test_serve import _driver

    driver = _driver(javascript=False)
    try:
        driver.get(page.as_uri())
        done = driver.execute_cdp_cmd("Page.printToPDF", {
            "paperWidth": paper_inches[0], "paperHeight": paper_inches[1], "preferCSSPageSize": True,
            "printBackground": True})
        pdf.write_bytes(base64.b64decode(done["data"]))
    finally:
        driver.quit()


def page_size(pdf: Path) -> tuple[int, int]:
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    w, h = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.MULTILINE).groups()
    return round(float(w)), round(float(h))


@pytest.fixture(scope="module")
def meta_a4(tmp_path_factory) -> tuple[Path, Path]:
    """Meta's FY2024 10-K (inline XBRL with cyd tags) checked and printed on A4 paper."""
    _tool(*BROWSERS), _tool("pdfinfo"), _tool("pdftotext")
    filing = shared_path("fullfilings", "meta-10-k-2025-01-30.html")
    tmp = tmp_path_factory.mktemp("print-a4")
    page, pdf = tmp / "meta-report.html", tmp / "meta-report.pdf"
    with pytest.raises(SystemExit):
        main(["check", str(filing), "--format", "html", "--output", str(page), "--fail-on", "never"])
    print_with_paper(page, pdf, (8.27, 11.69))
    return page, pdf


def test_the_report_prints_on_the_paper_the_reader_chose(meta_a4):
    """The print CSS said `size: letter`: a reader printing on A4 got US Letter pages whatever paper they
    chose (Chromium hides its paper menu when a page names its size), scaled or cut on an A4 printer."""
    assert page_size(meta_a4[1]) == A4


def test_a_long_tagged_concept_in_the_evidence_column_prints_whole(meta_a4):
    """A quote's place ends 'tagged cyd:CybersecurityRiskMateriallyAffectedOrReasonablyLikelyTo...' in one
    unbroken word: printed, the table's fixed layout let it run past the page edge, where it was cut
    ('...ToMateria'). It wraps inside its column now, as it does on screen."""
    text = subprocess.run([_tool("pdftotext"), str(meta_a4[1]), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = "".join(text.split())
    concept = "cyd:CybersecurityRiskMateriallyAffectedOrReasonablyLikelyToMateriallyAffectRegistrantFlag"
    assert flat.count("tagged" + concept) >= 1, "the evidence's place lost the end of its concept"


def _footer(text: str) -> str:
    return [ln for ln in text.splitlines() if ln.strip()][-1]


def test_every_printed_page_names_the_pack_and_its_version(nvidia_pdf):
    """A page taken out of the binder said 'cydcheck gap report · checked ...' and its page number: which
    rules, at which version, it was checked against was on page 1 only."""
    for n, text in enumerate(nvidia_pdf, 1):
        assert re.search(r"rules: (sk-106|cyd-tags) \d+\.\d+\.\d+", _footer(text)), f"page {n}: {_footer(text)!r}"
    assert re.search(r"rules: sk-106 1\.0\.0, cyd-tags \d+\.\d+\.\d+ +Page 1 of", _footer(nvidia_pdf[0]))


def test_each_report_s_pages_name_its_own_pack(meta_a4):
    """With the section's report and the cyd-tags report on one page, each printed page names the pack of
    the report it holds."""
    pages = pdf_pages(meta_a4[1])
    footers = [_footer(text) for text in pages]
    tags_first = next(n for n, text in enumerate(pages) if "(cyd-tags)" in text.splitlines()[0])
    assert all("rules: sk-106 1.0.0" in f for f in footers[1:tags_first]), footers
    assert all("rules: cyd-tags " in f for f in footers[tags_first:]), footers


def test_no_finding_is_split_across_two_pages(draft_pdf):
    """A gap's row broke across pages: page 2 of the draft's report opened on guidance and peers' quotes
    under an empty Element column, so a reader of the binder could not tell which element they were about.
    Each page the table continues on starts with a row of its own (its number, element and status)."""
    pages = pdf_pages(draft_pdf)
    continued = 0
    for n, text in enumerate(pages, 1):
        m = TABLE_HEADER.search(text)
        if not m or n == 1:
            continue
        continued += 1
        first = next(ln for ln in text[m.end():].splitlines() if ln.strip())
        assert re.match(r"\s*\d+\s+\S", first), f"page {n} opens inside a row: {first.strip()!r}"
    assert continued >= 2


def test_a_gap_message_naming_a_long_concept_prints_whole(meta_a4):
    """On A4 the cyd-tags gap 'A text block tagged CybersecurityRiskBoardCommitteeOrSubcommitteeResponsible
    ForOversightTextBlock names no board committee ...' ran past the page edge at 'Respons': the message,
    not only a quote's place, wraps a long word in its column."""
    text = subprocess.run([_tool("pdftotext"), str(meta_a4[1]), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = "".join(text.split())
    assert "taggedCybersecurityRiskBoardCommitteeOrSubcommitteeResponsibleForOversightTextBlocknamesno" in flat
