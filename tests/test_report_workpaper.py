"""The HTML report as an audit workpaper: check date, sign-off, scope, conclusion, headings, page names."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from cli_helpers import run_main
from report_samples import SAMPLES, VERSION, parse_html, sample_reports

from checker.model import Document
from checker.report import html_out, render
from checker.report.context import build_view, checked_at
from checker.report.html_out import css_string

ROOT = Path(__file__).resolve().parent.parent
DEFICIENT = ROOT / "samples" / "draft-10k-1c-deficient.md"
COMPLETE = ROOT / "samples" / "draft-10k-1c-complete.md"


def _facts(html: str) -> dict[str, str]:
    dom = parse_html(html)
    header = next(dom.iter("header"))
    names = [" ".join(n.text.split()) for n in header.iter("dt")]
    values = [" ".join(n.text.split()) for n in header.iter("dd")]
    return dict(zip(names, values, strict=True))


def test_the_check_date_is_shown_and_source_date_epoch_fixes_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796331600")  # 2026-12-03T21:00:00Z
    out = tmp_path / "r.html"
    code, _, err = run_main(capsys, "check", str(DEFICIENT), "--format", "html", "--output", str(out),
                            "--fail-on", "never")
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert _facts(html)["Checked on"] == "2026-12-03 21:00 UTC"
    assert '<time datetime="2026-12-03T21:00:00Z">' in html
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    before = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    run_main(capsys, "check", str(DEFICIENT), "--format", "html", "--output", str(out), "--fail-on", "never")
    shown = _facts(out.read_text(encoding="utf-8"))["Checked on"]
    when = datetime.strptime(shown, "%Y-%m-%d %H:%M UTC").replace(tzinfo=timezone.utc)
    assert before <= when <= datetime.now(timezone.utc)  # the time of the run


def test_checked_at_is_now_without_source_date_epoch():
    now = datetime(2026, 12, 3, 19, 5, 7, tzinfo=timezone.utc)
    assert checked_at({}, now) == "2026-12-03T19:05:07Z"
    assert checked_at({"SOURCE_DATE_EPOCH": "1714564800"}, now) == "2024-05-01T12:00:00Z"


def test_prepared_and_reviewed_by_from_options_and_config(tmp_path, capsys, monkeypatch):
    out = tmp_path / "r.html"
    run_main(capsys, "check", str(DEFICIENT), "--format", "html", "--output", str(out), "--fail-on", "never",
             "--prepared-by", "A. Preparer", "--reviewed-by", "R. Reviewer")
    facts = _facts(out.read_text(encoding="utf-8"))
    assert (facts["Prepared by"], facts["Reviewed by"]) == ("A. Preparer", "R. Reviewer")
    (tmp_path / ".cydcheck.yaml").write_text("prepared-by: C. Config\nreviewed_by: D. Config\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run_main(capsys, "check", str(DEFICIENT), "--format", "html", "--output", "r.html", "--fail-on", "never",
             "--reviewed-by", "E. Cli")
    facts = _facts(out.read_text(encoding="utf-8"))
    assert (facts["Prepared by"], facts["Reviewed by"]) == ("C. Config", "E. Cli")
    run_main(capsys, "check", str(DEFICIENT), "--format", "text", "--fail-on", "never")  # others ignore them


def test_without_sign_off_names_no_empty_rows(checker):
    html = render(sample_reports(checker, SAMPLES[0]), "html", version=VERSION)
    assert "Prepared by" not in html and "Reviewed by" not in html and "Checked on" not in html


def test_scope_names_what_was_checked_the_pack_and_what_was_not(checker):
    (report,) = sample_reports(checker, SAMPLES[0])
    dom = parse_html(render([report], "html", version=VERSION))
    scope = next(s for s in dom.iter("section") if s.has_class("scope"))
    text = " ".join(scope.text.split())
    assert "Checked" in text and report.document.source in text
    assert f"{report.pack_id} version {report.pack_version}" in text
    assert "Not checked" in text and "risk factors" in text
    assert "Conclusion:" in text


def test_conclusion_counts_open_gaps_by_severity(checker):
    [deficient] = checker.check_path(str(DEFICIENT))
    assert build_view(deficient).conclusion == (
        "7 of 12 applicable elements are not fully addressed (1 error, 6 warnings); see the gaps listed "
        "first below.")
    [complete] = checker.check_path(str(COMPLETE))
    assert build_view(complete).conclusion == "All 12 applicable elements are addressed in the text or waived; no open gap."
    gap = next(r for r in deficient.results if r.status == "missing" and r.severity == "error")
    gap.waived = {"justification": "x", "approved_by": "y"}
    assert build_view(deficient).conclusion.startswith("6 of 12 applicable elements are not fully addressed "
                                                       "(6 warnings) (1 further gap waived)")


def test_scope_of_a_whole_filing_counts_the_text_left_out(checker):
    doc_text = "Item 1A. Risk Factors\n\nWe face risks.\n\nItem 1C. Cybersecurity\n\nOur board oversees.\n\nItem 2."
    report = checker.check_document(Document(text=doc_text, source="f.txt", form="10-K"), "sk-106")
    view = build_view(report)
    start, end = report.document.span
    assert f"{len(doc_text) - (end - start):,} characters" in view.scope_not_checked


def test_scope_of_a_section_with_only_blank_lines_around_it_counts_nothing_left_out(checker):
    # the deficient draft ends with a newline the section does not take: not "1 characters, such as the
    # risk factors"
    [report] = checker.check_path(str(DEFICIENT))
    start, end = report.document.span
    assert len(report.document.text) > end - start and not report.document.text[end:].strip()
    assert build_view(report).scope_not_checked.startswith("anything outside this text")


def test_markdown_headings_in_the_section_text_render_as_headings(checker):
    [report] = checker.check_path(str(DEFICIENT))
    dom = parse_html(render([report], "html"))
    section = next(n for n in dom.iter("div") if n.has_class("section-text"))
    headings = [n for n in section.iter("span") if n.has_class("md-heading")]
    assert [(" ".join(h.text.split()), h.attrs["aria-level"]) for h in headings][:2] == [
        ("Item 1C. Cybersecurity", "3"), ("Risk Management and Strategy", "4")]
    marks = [n for n in section.iter("span") if n.has_class("md-mark")]
    assert marks and all(m.attrs.get("aria-hidden") == "true" and m.text.strip("# ") == "" for m in marks)
    # The marks stay in the text (copying it keeps it whole) but are not displayed.
    assert ".section-text .md-mark { display: none; }" in render([report], "html")


def test_per_file_pages_are_not_named_html_html(checker):
    reports = sample_reports(checker)
    reports[0].document.source = "filings/nvda-10-k.html"
    reports[1].document.source = "records/all.jsonl#abc-1"
    assert sorted(html_out.render_pages(reports)) == ["001-nvda-10-k.html", "002-all-abc-1.html", "index.html"]


def test_the_page_title_runs_in_the_print_header_safely():
    escaped = str(css_string('ACME "Corp" </style><script>x</script> — 10-K'))
    assert '"' not in escaped and "<" not in escaped and ">" not in escaped
    assert escaped.startswith("ACME \\000022 Corp\\000022  \\00003C ")


def test_a_finding_of_cydchecks_own_is_counted_as_a_check_not_as_an_element(checker):
    text = COMPLETE.read_text(encoding="utf-8").replace("more than 20 years of", "[●] years of")
    view = build_view(checker.check_document(Document(text=text, source="draft.md"), "sk-106"))
    assert [r.result.rule for r in view.checks] == ["DRAFT-PLACEHOLDER"]
    assert view.counted == "12 elements and 1 check of cydcheck's own"
    assert view.conclusion.startswith("1 of 13 applicable elements and checks is not fully addressed (1 error)")
    page = render([view.report], "html")
    assert "12 elements and 1 check of cydcheck's own, each with its citation" in page.replace("&#39;", "'")
    plain = build_view(checker.check_document(Document(text=COMPLETE.read_text(encoding="utf-8"), source="d.md"),
                                              "sk-106"))
    assert (plain.counted, plain.checks) == ("12 elements", ())


@pytest.mark.parametrize(("text", "said"), [
    ("Item 1C. Cybersecurity.\n\nOmitted pursuant to General Instruction J of Form 10-K.\n",
     "Nothing to check: Item 1C is not required of this registrant"),
    ("FORM 10-K/A\n(Amendment No. 1)\n\nPART III\n\nItem 10. Directors.\n\nText.\n\nItem 11. Executive "
     "Compensation.\n\nText.\n\nItem 12. Ownership.\n\nText.\n", "Nothing to check: This 10-K/A has no Item 1C"),
])
def test_a_filing_nothing_applied_to_concludes_why_not_all_zero_elements_disclosed(checker, text, said):
    """An asset-backed issuer's 10-K, or a 10-K/A of Part III, concluded "All 0 applicable elements and checks
    are disclosed or waived; no open gap": a workpaper's conclusion that says nothing of why."""
    report = checker.check_document(Document(text=text, source="x.txt", form="10-K/A" if "10-K/A" in text
                                             else "10-K"), "auto")
    assert build_view(report).conclusion.startswith(said)
