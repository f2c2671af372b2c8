"""The Markdown pull-request summary: gaps first, short, and inert whatever the disclosure says."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_samples import (
    REVIEW_SAMPLE,
    SAMPLES,
    TEST_PACK,
    VERSION,
    MarkdownSnapshot,
    hostile_report,
    not_yet_required_report,
    sample_reports,
)

from checker.model import Document
from checker.report import render
from checker.report.markdown_out import md


@pytest.mark.parametrize("name", [*SAMPLES, REVIEW_SAMPLE])
def test_snapshot_real_sample(checker, snapshot, name):
    text = render(sample_reports(checker, name), "markdown", version=VERSION)
    assert text == snapshot.use_extension(MarkdownSnapshot)


def _table_rows(text: str) -> list[str]:
    header = ("| Status", "| ---")
    return [ln for ln in text.splitlines() if ln.startswith("| ") and not ln.startswith(header)]


def test_gaps_table_comes_first_then_the_rest_folded(checker):
    (report,) = sample_reports(checker, SAMPLES[1], pack=TEST_PACK)
    text = render([report], "markdown", version=VERSION)
    rows = _table_rows(text)
    gaps = [r for r in report.results if r.is_gap]
    others = [r for r in report.results if not r.is_gap]
    assert len(rows) == len(report.results)
    assert all(("Missing" in row or "Partial" in row or "Not met" in row) for row in rows[:len(gaps)])
    # a failed check of no element is "Not met", not "Missing"; an element's gap is "Missing" or "Partial"
    for r in gaps:
        row = next(row for row in rows if f"`{r.rule}`" in row)
        assert ("Not met" in row) == (r.status == "missing" and not r.element), r.rule
    assert all(("Met" in row or "Not applicable" in row) for row in rows[len(gaps):])
    assert text.index("<details>") > text.index(rows[len(gaps) - 1])
    assert f"{len(others)} other elements" in text
    # Most severe gap first.
    assert "(error)" in rows[0] and "(info)" in rows[len(gaps) - 1]


def test_every_table_row_has_four_cells_even_with_pipes_in_the_text(checker):
    text = render([hostile_report(checker)], "markdown", version=VERSION)
    for row in _table_rows(text):
        cells = row.replace("\\|", "").split("|")
        assert len(cells) == 6, row  # leading and trailing empty strings around 4 cells


def test_hostile_text_is_inert(checker):
    text = render([hostile_report(checker)], "markdown", version=VERSION)
    assert "<script>" not in text and "<b>" not in text and "</td>" not in text
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; Co {{ config }}" in text
    assert "@" not in text.replace("&#64;", "")


@pytest.mark.parametrize(("raw", "escaped"), [
    ("a | b", "a \\| b"),
    ("[x](http://e)", "\\[x\\](http://e)"),
    ("<img src=x>", "&lt;img src=x&gt;"),
    ("**bold** _it_ `code`", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\`"),
    ("line\nbreak", "line break"),
    ("@team", "&#64;team"),
])
def test_md_escape(raw, escaped):
    assert md(raw) == escaped


def test_two_drafts_have_headings_of_their_own(checker):
    """A pull-request comment on two drafts read '## cydcheck: 10-K Item 1C' twice."""
    root = Path(__file__).parent.parent
    drafts = [checker.check_path(str(root / "samples" / name))[0]
              for name in ("draft-10k-1c-deficient.md", "draft-10k-1c-complete.md")]
    text = render(drafts, "markdown", version=VERSION)
    assert [ln for ln in text.splitlines() if ln.startswith("## ")] == [
        "## cydcheck: draft-10k-1c-deficient.md — 10-K Item 1C",
        "## cydcheck: draft-10k-1c-complete.md — 10-K Item 1C"]


def test_a_partial_gap_quotes_what_the_section_does_say(checker):
    """A reviewer pastes the gap row into a comment letter: 'your statement that ... does not address
    whether ...'. The row gave the rule's message and the missing prong, but not the sentence the section
    does state (the text report quotes it); it does now, with its place."""
    from conftest import whole_section
    text = ("Item 1C. Cybersecurity\n\nTo date, we have not experienced any cybersecurity incidents that have "
            "materially affected our business strategy, results of operations or financial condition.\n")
    report = checker.check_document(whole_section(text), "sk-106")
    (row,) = [r for r in _table_rows(render([report], "markdown", version=VERSION)) if "SK106-B2" in r]
    assert "Partial" in row and "Missing: prospective." in row
    assert "It says, line 3, col 1: “To date, we have not experienced any cybersecurity incidents" in row


def test_a_report_whose_gaps_are_all_waived_does_not_say_every_element_is_met(checker):
    """Counsel waived the one partial element and pasted the Markdown into the committee memo: it read "No open
    gaps: every element that applies is met." above a table listing it "Partial (waived)". The line now says
    what the other reports' conclusion says: disclosed or waived, how many waived, and what is marked for
    review."""
    (report,) = sample_reports(checker, SAMPLES[1], pack=TEST_PACK)
    for r in report.results:
        if r.is_gap:
            r.waived = {"justification": "accepted", "approved_by": "J. Doe"}
    text = render([report], "markdown", version=VERSION)
    assert "every element that applies is met" not in text
    line = next(ln for ln in text.splitlines() if "no open gap" in ln.lower())
    assert "waived" in line


def test_a_markdown_report_of_an_item_not_yet_required_says_why(checker):
    """The Markdown report of a 20-F for the year ended 31 March 2023 said 'Not yet required' and '–' where the
    reason (the period read from the cover) belongs."""
    out = render([not_yet_required_report(checker)], "markdown", version="0")
    assert "the fiscal period ended 2023-03-31, before 2023-12-15" in out


def test_the_pull_request_comment_says_why_the_item_applied(checker):
    """The Markdown report gave no word of the dates that made Item 1C apply, which text, JSON and HTML give."""
    doc = Document(text="Item 1C. Cybersecurity\n\nOur Board oversees cybersecurity risk.\n", source="d.md",
                   form="10-K", metadata={"period": "2024-09-30"})
    out = render([checker.check_document(doc)], "markdown")
    assert ("> **Applies:** Item 1C (Item 106) required: the fiscal period ended 2024-09-30, on or after "
            "2023-12-15") in out
