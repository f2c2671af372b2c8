"""The HTML gap report: content, links, self-containment, escaping, batch index, and snapshots."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from report_samples import (
    GENERATED,
    REVIEW_SAMPLE,
    SAMPLES,
    TEST_PACK,
    VERSION,
    HtmlSnapshot,
    hostile_report,
    not_yet_required_report,
    parse_html,
    sample_reports,
    steady,
)

from checker.model import CheckerError
from checker.report import html_out, render
from checker.report.context import STATUS_LABEL, generated_at


def _rows(dom):
    return [tr for tr in dom.iter("tr") if "data-rule" in tr.attrs]


@pytest.mark.parametrize("name", [*SAMPLES, REVIEW_SAMPLE])
def test_snapshot_real_sample(checker, snapshot, name):
    reports = sample_reports(checker, name)
    html = render(reports, "html", version=VERSION, generated=GENERATED)
    assert steady(html) == snapshot.use_extension(HtmlSnapshot)


def test_snapshot_batch_page(checker, snapshot):
    reports = sample_reports(checker)
    html = render(reports, "html", version=VERSION, generated=GENERATED)
    assert steady(html) == snapshot.use_extension(HtmlSnapshot)


def test_one_row_per_result_with_status_label_and_gaps_first(checker):
    (report,) = sample_reports(checker, SAMPLES[1], pack=TEST_PACK)
    dom = parse_html(render([report], "html", version=VERSION))
    rows = _rows(dom)
    assert sorted(tr.attrs["data-rule"] for tr in rows) == sorted(r.rule for r in report.results)
    by_rule = {r.rule: r for r in report.results}
    statuses = [tr.attrs["data-status"] for tr in rows]
    assert set(statuses) == {"met", "partial", "missing", "not_applicable"}
    for tr in rows:
        result = by_rule[tr.attrs["data-rule"]]
        status = result.status
        assert tr.attrs["data-status"] == status
        # The status is written out, not only coloured; a failed check of no element is "Not met", not "Missing"
        label = "Not met" if status == "missing" and not result.element else STATUS_LABEL[status]
        assert label in tr.text
    first_met = statuses.index("met")
    assert all(s in ("missing", "partial") for s in statuses[:first_met])
    assert statuses[-1] == "not_applicable"


def test_gaps_show_message_and_guidance_and_met_rows_quote_evidence(checker):
    (report,) = sample_reports(checker, SAMPLES[1], pack=TEST_PACK)
    dom = parse_html(render([report], "html", version=VERSION))
    by_rule = {tr.attrs["data-rule"]: tr for tr in _rows(dom)}
    for r in report.results:
        text = " ".join(by_rule[r.rule].text.split())
        if r.is_gap:
            assert " ".join(r.message.split()) in text
            assert "Guidance: " + " ".join(r.guidance.split()) in text
        else:
            assert "Guidance:" not in text
        for e in r.evidence:
            assert " ".join(e.text.split()) in text


def test_matched_terms_are_marked_inside_quotes(checker):
    (report,) = sample_reports(checker, SAMPLES[1], pack=TEST_PACK)
    dom = parse_html(render([report], "html", version=VERSION))
    board = next(r for r in report.results if r.rule == "T-BOARD")
    row = next(tr for tr in _rows(dom) if tr.attrs["data-rule"] == "T-BOARD")
    marked = {m.text.lower() for m in row.iter("mark")}
    assert marked == {m.text.lower() for e in board.evidence for m in e.matches}


def test_evidence_links_resolve_into_the_section_text_and_back(checker):
    (report,) = sample_reports(checker, SAMPLES[0])
    dom = parse_html(render([report], "html", version=VERSION))
    ids = {n.attrs["id"] for n in dom.iter() if n.attrs.get("id")}
    links = [a.attrs["href"] for a in dom.iter("a") if (a.attrs.get("href") or "").startswith("#")]
    assert links, "no in-page links"
    assert all(h[1:] in ids for h in links), [h for h in links if h[1:] not in ids]
    evidence_count = sum(len(r.evidence) for r in report.results)
    refs = [a for a in dom.iter("a") if a.has_class("ref")]
    assert len(refs) == evidence_count  # every quote has its anchor in the text


def _without_refs(node) -> str:
    return "".join(c if isinstance(c, str) else ("" if c.has_class("ref") else _without_refs(c))
                   for c in node.children)


def test_section_text_is_reproduced_whole(checker):
    (report,) = sample_reports(checker, SAMPLES[0])
    dom = parse_html(render([report], "html", version=VERSION))
    section = next(n for n in dom.iter("div") if n.has_class("section-text"))
    start, end = report.document.span
    assert _without_refs(section) == report.document.text[start:end]


def test_header_names_the_input_pack_and_tool(checker):
    (report,) = sample_reports(checker, SAMPLES[0])
    html = render([report], "html", version=VERSION, generated=GENERATED)
    header = " ".join(next(parse_html(html).iter("header")).text.split())
    doc = report.document
    for expected in ("GENERAL DYNAMICS CORPORATION", "10-K Item 1C", "2023-12-31", doc.source, doc.sha256,
                     report.pack_id, report.pack_version, f"cydcheck {VERSION}", "2024-05-01 12:00 UTC"):
        assert expected in header
    assert f'<time datetime="{GENERATED}">' in html
    assert "Checked on" not in render([report], "html", version=VERSION)


def test_self_contained_no_scripts_or_external_resources(checker):
    html = render(sample_reports(checker), "html", version=VERSION)
    dom = parse_html(html)
    assert not list(dom.iter("script"))
    assert not list(dom.iter("link"))
    assert not list(dom.iter("img"))
    for node in dom.iter():
        for attr in ("src", "href", "action"):
            value = node.attrs.get(attr)
            assert value is None or value.startswith("#"), (node.tag, attr, value)
    assert not re.search(r"url\(|@import|https?://", "".join(n.text for n in dom.iter("style")))
    assert "@media print" in html


def test_the_page_itself_forbids_scripts_and_outside_resources(checker):
    # Opened from a shared drive or a mail attachment there is no server to send a policy: the report (and
    # a folder's pages and index) declares its own, so text that ever escaped the escaping could run nothing.
    pages = [render(sample_reports(checker), "html", version=VERSION),
             render(sample_reports(checker, SAMPLES[0]), "html", version=VERSION),
             *html_out.render_pages(sample_reports(checker), version=VERSION).values()]
    assert len(pages) == 5
    for html in pages:
        metas = [m.attrs for m in parse_html(html).iter("meta")
                 if m.attrs.get("http-equiv", "").lower() == "content-security-policy"]
        assert len(metas) == 1
        policy = metas[0]["content"]
        assert "default-src 'none'" in policy and "script-src" not in policy
        assert "base-uri 'none'" in policy and "form-action 'none'" in policy


def test_accessible_structure(checker):
    dom = parse_html(render(sample_reports(checker, SAMPLES[0]), "html", version=VERSION))
    assert next(dom.iter("html")).attrs.get("lang") == "en"
    assert len(list(dom.iter("h1"))) == 1
    table = next(t for t in dom.iter("table") if t.has_class("elements"))
    assert list(table.iter("caption"))
    assert all(th.attrs.get("scope") == "col" for th in next(table.iter("thead")).iter("th"))
    assert all(any(th.attrs.get("scope") == "row" for th in tr.iter("th")) for tr in _rows(dom))


def test_hostile_text_is_inert(checker):
    report = hostile_report(checker)
    html = render([report], "html", version=VERSION)
    dom = parse_html(html)
    assert not list(dom.iter("script"))
    assert "<script>" not in html and "</td><td>x" not in html and "</table> quarterly" not in html
    # The text survives, readable, as text.
    section = next(n for n in dom.iter("div") if n.has_class("section-text"))
    assert "<script>alert(1)</script> {{ 7*7 }} </td><td>x" in section.text
    assert "{% raw %}" in section.text and "49" not in section.text
    assert "<b>Evil</b> & Co {{ config }}" in next(dom.iter("h1")).text
    assert len(_rows(dom)) == len(report.results)  # a </td> in the text did not add or break cells
    board = next(tr for tr in _rows(dom) if tr.attrs["data-rule"] == "T-BOARD")
    assert "<script>alert(1)</script> {{ 7*7 }} </td><td>x" in next(board.iter("blockquote")).text


def test_batch_page_has_an_index_linking_each_report(checker):
    reports = sample_reports(checker)
    dom = parse_html(render(reports, "html", version=VERSION))
    index = next(t for t in dom.iter("table") if t.has_class("index"))
    hrefs = [a.attrs["href"] for a in index.iter("a")]
    assert hrefs == ["#d1-report", "#d2-report"]
    articles = [a.attrs["id"] for a in dom.iter("article")]
    assert articles == ["d1-report", "d2-report"]
    assert len(_rows(dom)) == sum(len(r.results) for r in reports)
    ids = [n.attrs["id"] for n in dom.iter() if n.attrs.get("id")]
    assert len(ids) == len(set(ids)), "duplicate ids across reports"


def test_render_pages_writes_one_page_per_document_and_an_index(checker):
    reports = sample_reports(checker)
    pages = html_out.render_pages(reports, version=VERSION)
    assert set(pages) == {"index.html", "001-gd-2023-10k-1c.html", "002-unite-2024-10k-1c.html"}
    index = parse_html(pages["index.html"])
    assert [a.attrs["href"] for a in index.iter("a")] == ["001-gd-2023-10k-1c.html", "002-unite-2024-10k-1c.html"]
    page = parse_html(pages["002-unite-2024-10k-1c.html"])
    assert "UNITE ACQUISITION 2 CORP." in next(page.iter("h1")).text


def test_each_page_of_a_folder_leads_back_to_its_index(checker):
    """A screen reader's user who opened 002-unite... from index.html had no link back to it, nor to the
    other documents of the run: only the browser's Back. Each page names its index first, in a nav landmark,
    and a page on its own (no folder) has none."""
    pages = html_out.render_pages(sample_reports(checker), version=VERSION)
    page = pages["002-unite-2024-10k-1c.html"]
    nav = next(parse_html(page).iter("nav"))
    assert nav.attrs["aria-label"] == "Reports"
    assert [(a.attrs["href"], a.text) for a in nav.iter("a")] == [("index.html", "All gap reports of this run")]
    assert page.index("<nav") < page.index("<main>")
    assert "<nav" not in render(sample_reports(checker)[:1], "html", version=VERSION)


def test_waived_gap_is_labelled(checker):
    (report,) = sample_reports(checker, SAMPLES[1], pack=TEST_PACK)
    gap = next(r for r in report.results if r.status == "missing")
    gap.waived = {"justification": "Not relevant to a shell company", "approved_by": "A. Auditor"}
    dom = parse_html(render([report], "html", version=VERSION))
    row = next(tr for tr in _rows(dom) if tr.attrs["data-rule"] == gap.rule)
    assert "Waived" in row.text and "Not relevant to a shell company" in row.text


def test_generated_at_reads_source_date_epoch():
    assert generated_at({"SOURCE_DATE_EPOCH": "1714564800"}) == "2024-05-01T12:00:00Z"
    assert generated_at({}) is None
    with pytest.raises(CheckerError, match="SOURCE_DATE_EPOCH"):
        generated_at({"SOURCE_DATE_EPOCH": "yesterday"})


def test_missing_templates_folder_is_a_clear_error(checker, monkeypatch, tmp_path):
    monkeypatch.setenv("CYDCHECK_TEMPLATES_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(CheckerError, match="templates folder not found"):
        render(sample_reports(checker, SAMPLES[0]), "html")


def test_templates_dir_overrides_only_the_templates_it_holds(checker, monkeypatch, tmp_path):
    # README: "Templates live in templates/ (override with CYDCHECK_TEMPLATES_DIR)": a folder holding one
    # template (here the stylesheet) changes that one; the others are the shipped ones, not exit 3.
    (tmp_path / "report.css").write_text("body { color: #123456; }\n", encoding="utf-8")
    monkeypatch.setenv("CYDCHECK_TEMPLATES_DIR", str(tmp_path))
    page = render(sample_reports(checker, SAMPLES[0]), "html")
    assert "#123456" in page and "<h1" in page
    assert render(sample_reports(checker, SAMPLES[0]), "markdown").startswith("## cydcheck")


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_status_and_text_colours_meet_wcag_aa_contrast():
    from checker.report.templating import templates_dir

    css = (templates_dir() / "report.css").read_text(encoding="utf-8")
    var = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    pairs = [(f"{s}-fg", f"{s}-bg") for s in ("met", "partial", "missing", "na")]
    pairs += [("fg", "bg-soft"), ("muted", "bg-soft"), ("fg", "term-bg"), ("fg", "evidence-bg")]
    for fg, bg in pairs:
        assert _contrast(var[fg], var[bg]) >= 4.5, (fg, bg)
    assert _contrast(var["muted"], "#ffffff") >= 4.5


def test_overlapping_terms_make_one_mark():
    from checker.report.context import Piece, split

    text = "we conduct penetration testing."
    # "penetration testing" and "testing" overlap; offsets are absolute (the text starts at 100).
    pieces = split(text, 100, [(111, 130), (123, 130)])
    assert pieces == (Piece("we conduct "), Piece("penetration testing", term=True), Piece("."))


def test_evidence_outside_the_section_is_quoted_without_a_broken_link(checker):
    from dataclasses import replace

    from checker.model import Evidence

    (report,) = sample_reports(checker, SAMPLES[1], pack=TEST_PACK)
    doc = report.document
    outside = Evidence("Elsewhere in the filing.", doc.span[1] + 10, doc.span[1] + 34, 99)
    board = next(r for r in report.results if r.rule == "T-BOARD")
    board.evidence = [*board.evidence, outside]
    report = replace(report, document=replace(doc, text=doc.text + " " * 10 + outside.text))
    dom = parse_html(render([report], "html", version=VERSION))
    ids = {n.attrs["id"] for n in dom.iter() if n.attrs.get("id")}
    assert all(a.attrs["href"][1:] in ids for a in dom.iter("a") if a.attrs.get("href", "").startswith("#"))
    row = next(tr for tr in _rows(dom) if tr.attrs["data-rule"] == "T-BOARD")
    assert "Elsewhere in the filing." in row.text and "line 99" in row.text


def test_each_report_on_a_page_has_a_heading_of_its_own(checker):
    """Two drafts name no issuer: their headings were both '10-K Item 1C' (a screen reader's list of
    headings, the printed page's header), now each names its file; one document checked with two packs
    names the pack in each heading."""
    root = Path(__file__).parent.parent
    drafts = [checker.check_path(str(root / "samples" / name))[0]
              for name in ("draft-10k-1c-deficient.md", "draft-10k-1c-complete.md")]
    dom = parse_html(render(drafts, "html", version=VERSION))
    assert [h.text for h in dom.iter("h2") if h.attrs.get("id", "").endswith("-title")] == [
        "draft-10k-1c-deficient.md — 10-K Item 1C", "draft-10k-1c-complete.md — 10-K Item 1C"]
    one = parse_html(render(drafts[:1], "html", version=VERSION))
    assert next(one.iter("title")).text == "Gap report: draft-10k-1c-deficient.md — 10-K Item 1C"
    both = [drafts[0], checker.check_document(drafts[0].document, TEST_PACK)]
    dom = parse_html(render(both, "html", version=VERSION))
    headings = [h.text for h in dom.iter("h2") if h.attrs.get("id", "").endswith("-title")]
    assert headings == ["draft-10k-1c-deficient.md — 10-K Item 1C (sk-106)",
                        f"draft-10k-1c-deficient.md — 10-K Item 1C ({both[1].pack_id})"]


def test_printed_pages_carry_the_check_time_where_the_page_has_it(checker):
    (report,) = sample_reports(checker, SAMPLES[1])
    page = render([report], "html", version=VERSION, checked="2026-12-07T02:08:00Z")
    assert '@bottom-left { content: "cydcheck gap report · checked 2026-12-07 02:08 UTC"; }' in page


def test_index_links_to_one_document_s_reports_read_apart(checker):
    """A screen reader's list of links read 'NVIDIA CORP' twice for the two packs' reports: each link now
    ends with its pack, for the reader only (the row shows it in its own column)."""
    (draft,) = checker.check_path(str(Path(__file__).parent.parent / "samples" / "draft-10k-1c-deficient.md"))
    both = [draft, checker.check_document(draft.document, TEST_PACK)]
    dom = parse_html(render(both, "html", version=VERSION))
    index = next(t for t in dom.iter("table") if t.has_class("index"))
    names = [a.text for a in index.iter("a")]
    source = draft.document.source
    assert names == [f"{source} (sk-106)", f"{source} ({both[1].pack_id})"]
    assert all(s.has_class("visually-hidden") for a in index.iter("a") for s in a.iter("span"))
    alone = parse_html(render([draft, *sample_reports(checker, SAMPLES[1])], "html", version=VERSION))
    assert not [s for s in alone.iter("span") if s.has_class("visually-hidden")]


def test_the_workpaper_names_the_pack_by_the_hash_of_its_contents(checker):
    """An auditor's workpaper records the rules as they ran, not their version alone: the header gives the
    pack's SHA-256 beside the input's."""
    (report,) = sample_reports(checker, SAMPLES[0])
    assert len(report.pack_sha256) == 64
    page = render([report], "html", version=VERSION)
    assert f'<dt>Pack SHA-256</dt><dd><code class="hash">{report.pack_sha256}</code></dd>' in page


def test_a_report_of_an_item_not_yet_required_says_why(checker):
    """Counsel's HTML report of a 20-F for a year before Item 16K applied read 'All 0 applicable elements and
    checks are disclosed or waived' with an empty row: it did not say the period read from the cover, which
    alone decided that nothing was due."""
    dom = parse_html(render([not_yet_required_report(checker)], "html", version=VERSION, generated=GENERATED))
    [row] = _rows(dom)
    assert "the fiscal period ended 2023-03-31, before 2023-12-15" in row.text
    conclusion = next(n for n in dom.iter("p") if "Conclusion" in n.text)
    assert "not yet required" in conclusion.text and "2023-03-31" in conclusion.text
    assert "All 0 applicable" not in conclusion.text


def test_the_index_of_a_folder_of_reports_says_it_checks_elements_not_adequacy(checker):
    """The index page of `--output-dir` lists each document's coverage: it said nowhere, as each report now
    does, that a met element is one the text addresses, not an adequate disclosure, nor that it is no legal
    advice."""
    from checker.model import DISCLAIMER

    pages = html_out.render_pages(sample_reports(checker), version=VERSION)
    assert DISCLAIMER in " ".join(pages[html_out.INDEX_PAGE].split())


def test_per_file_pages_keep_the_accents_of_the_draft_s_name(checker):
    # `check drafts/ -o out/` named the page of "Société Générale 1C.DOCX" 002-Soci-t-G-n-rale-1C.html: a name
    # nobody would look for beside the draft (batch's reports keep the letters: Société-Générale-1C-....json)
    reports = sample_reports(checker)
    reports[0].document.source = "drafts/Société Générale 1C.DOCX"
    reports[1].document.source = "drafts/ACME 10-K Item 1C (v7) \u2013 FINAL \u2013 clean.docx"
    assert sorted(html_out.render_pages(reports)) == [
        "001-Société-Générale-1C.html", "002-ACME-10-K-Item-1C-v7-FINAL-clean.html", "index.html"]


def test_the_report_opens_with_what_is_missing_in_the_item_s_order_and_what_to_do(checker):
    """An audit committee chair reading the printed report met the input's SHA-256, the pack's hash and a
    conclusion in errors and warnings before learning what was missing, and the missing elements only in
    the table, by rule id and severity first. The report now opens with what was checked, the missing
    elements by name in the item's own order, and what to do next, in words; the table's gaps follow the
    same order."""
    (draft,) = checker.check_path(str(Path(__file__).parent.parent / "samples" / "draft-10k-1c-deficient.md"))
    page = render([draft], "html", version=VERSION)
    dom = parse_html(page)
    brief = next(s for s in dom.iter("section") if s.has_class("brief"))
    missing = [li.text.strip() for li in brief.iter("li")]
    gaps = [r for r in draft.results if r.is_gap]
    assert missing == [f"{r.title} ({r.citation})" for r in gaps]  # the pack's order, not severity's
    assert missing[3].startswith("Material effect")  # (b)(2) after (b)(1)(iii), though it is the error
    rows = [tr.attrs["data-rule"] for tr in _rows(dom)]
    assert rows[:len(gaps)] == [r.rule for r in gaps]  # the table's first rows, numbered alike
    text = " ".join(brief.text.split())
    assert "Next" in text and "Then check the text again" in text
    assert "7 of the 12 that apply" in text
    assert not re.search(r"SK106-|\berror\b|\bwarning\b|SHA-256|sk-106", text), text
    assert page.index('class="brief"') < page.index("SHA-256") < page.index("Scope and conclusion")


def test_a_report_with_nothing_missing_says_so_in_its_opening(checker):
    (draft,) = checker.check_path(str(Path(__file__).parent.parent / "samples" / "draft-10k-1c-complete.md"))
    brief = next(s for s in parse_html(render([draft], "html", version=VERSION)).iter("section")
                 if s.has_class("brief"))
    text = " ".join(brief.text.split())
    assert "nothing: every element that applies is addressed" in text and not list(brief.iter("li"))


def test_printed_without_the_rules_that_do_not_apply_the_page_still_names_them(checker):
    """Printed, the rows of rules that do not apply are left out and the caption said only how many
    ('Printed without the 2 rules that do not apply'): the binder's reader could not tell which. The
    printed note names them."""
    (report,) = sample_reports(checker, SAMPLES[1], pack=TEST_PACK)
    dom = parse_html(render([report], "html", version=VERSION))
    note = next(s for s in dom.iter("span") if s.has_class("print-note"))
    na = [r for r in report.results if r.status == "not_applicable"]
    assert na
    for r in na:
        assert r.title in note.text, r.title


def test_the_opening_counts_the_missing_among_the_rules_that_apply(checker):
    """Meta's cyd-tags report opened 'against the 48 elements ... Missing: 1 of 25': 25 was the rules that
    apply, unsaid, beside the 48 of the pack; the count now says 'of the 25 that apply'."""
    (report,) = sample_reports(checker, SAMPLES[1], pack=TEST_PACK)
    s = report.summary()
    assert s["not_applicable"] and s["missing"] + s["partial"]
    brief = next(x for x in parse_html(render([report], "html", version=VERSION)).iter("section")
                 if x.has_class("brief"))
    assert f"of the {s['met'] + s['partial'] + s['missing']} that apply" in " ".join(brief.text.split())


def test_a_folders_html_index_names_what_the_folder_held_that_was_not_checked(tmp_path: Path, capsys) -> None:
    """The index.html a colleague opens in Safari said '1 documents checked' and nothing of the CISO's draft
    still in iCloud Drive or the RTF beside it: only the terminal was told. Now it lists them, escaped."""
    import plistlib
    import shutil

    from cli_helpers import run_main
    from report_samples import ROOT

    folder = tmp_path / "FY2026 10-K"
    folder.mkdir()
    shutil.copy(ROOT / "samples" / "draft-10k-1c-complete.md", folder / "item-1c.md")
    (folder / "<img src=x onerror=alert(1)>.rtf").write_text("{\\rtf1 Item 1C}", encoding="utf-8")
    (folder / ".CISO draft v3.docx.icloud").write_bytes(plistlib.dumps({}, fmt=plistlib.FMT_BINARY))
    site = tmp_path / "site"
    code, _, err = run_main(capsys, "check", f"{folder}/", "-q", "-o", f"{site}/")
    assert code == 0, err
    index = (site / "index.html").read_text(encoding="utf-8")
    section = index[index.index('class="not-checked"'):]
    assert "CISO draft v3.docx" in section and "not downloaded" in section and "does not read" in section
    assert "&lt;img src=x" in section and "<img src" not in index
    code, out, _ = run_main(capsys, "check", f"{folder}/", "-q", "--format", "markdown")
    assert "Not checked" in out and "CISO draft v3.docx" in out and "<img" not in out
    code, out, _ = run_main(capsys, "check", str(folder / "item-1c.md"), "-q", "--format", "html")
    assert "not-checked" not in out  # a file named: nothing beside it was left out


def test_the_opening_first_says_what_the_reader_is_asked_to_decide_and_names_the_file_not_its_folder(
        checker, tmp_path):
    """The directors read the first screen of the emailed report on a phone: it opened on 'Checked the
    section ... of /Users/gc/Matters/Board/draft.md', a folder on the sender's computer, and told the drafter
    to add text and check again, never what the board was asked. It now opens with one sentence saying how
    many required elements are not addressed and what to ask for before approving, and names the file
    alone."""
    draft = tmp_path / "Matters" / "Board pack" / "draft-10k-1c-deficient.md"
    draft.parent.mkdir(parents=True)
    draft.write_bytes((Path(__file__).parent.parent / "samples" / "draft-10k-1c-deficient.md").read_bytes())
    (report,) = checker.check_path(str(draft))
    brief = next(s for s in parse_html(render([report], "html", version=VERSION)).iter("section")
                 if s.has_class("brief"))
    text = " ".join(brief.text.split())
    assert "Board pack" not in text and str(tmp_path) not in text
    assert "of draft-10k-1c-deficient.md, against" in text
    lead = next(p for p in brief.iter("p") if p.has_class("verdict"))
    said = " ".join(lead.text.split())
    assert said.startswith("7 of the 12 elements"), said
    assert "Before approving" in said and "not addressed" in said
    assert text.index(said) < text.index("Checked")
    (done,) = checker.check_path(str(Path(__file__).parent.parent / "samples" / "draft-10k-1c-complete.md"))
    lead = next(p for b in parse_html(render([done], "html", version=VERSION)).iter("section")
                if b.has_class("brief") for p in b.iter("p") if p.has_class("verdict"))
    assert " ".join(lead.text.split()).startswith("All 12 elements")


def test_one_document_checked_with_two_packs_is_headed_by_its_own_name(checker):
    """NVIDIA's filing, checked with its Item 1C pack and its cyd tags, opened on 'cydcheck gap reports /
    1 document (2 reports: one per pack)': the director's first screen named neither the company nor the
    form. A page of one document's reports is headed by that document."""
    (draft,) = checker.check_path(str(Path(__file__).parent.parent / "samples" / "draft-10k-1c-deficient.md"))
    both = [draft, checker.check_document(draft.document, TEST_PACK)]
    dom = parse_html(render(both, "html", version=VERSION))
    assert next(dom.iter("h1")).text == "draft-10k-1c-deficient.md — 10-K Item 1C"
    several = parse_html(render([draft, *sample_reports(checker, SAMPLES[1])], "html", version=VERSION))
    assert next(several.iter("h1")).text == "cydcheck gap reports"


def test_a_folder_s_pages_of_one_document_checked_with_two_packs_are_named_apart(checker):
    """A filing checked with its item's pack and its cyd tags gave '011-8k-0001493152-26-013239.html' and
    '012-8k-0001493152-26-013239.html': the assistant attaching one to the directors' email could not tell the
    Item 1.05 report from the tag check. Each page's name now ends with its pack where its document has two."""
    (draft,) = checker.check_path(str(Path(__file__).parent.parent / "samples" / "draft-10k-1c-deficient.md"))
    both = [draft, checker.check_document(draft.document, TEST_PACK)]
    names = [n for n in html_out.render_pages([*both, *sample_reports(checker, SAMPLES[0])], version=VERSION)
             if n != "index.html"]
    assert names == ["001-draft-10k-1c-deficient.sk-106.html", f"002-draft-10k-1c-deficient.{both[1].pack_id}.html",
                     "003-gd-2023-10k-1c.html"]


def test_the_opening_of_a_section_given_by_reference_says_so_before_it_counts(checker, tmp_path):
    """Wells Fargo's Item 1C incorporates its content by reference to the annual report: the opening told the
    directors '13 of the 13 elements and checks are not addressed ... ask for each to be addressed', the
    reason (the text is in another document, not checked) left for a note below the workpaper's hashes; its
    cyd-tags page opened '1 of the 1 elements and checks is not addressed'. The finding that explains the
    others now leads the opening, and a count of all is said as one."""
    draft = tmp_path / "item-1c.md"
    draft.write_text("# Item 1C. Cybersecurity\n\nThe information required by this Item 1C is incorporated herein "
                     "by reference to the section entitled \"Cybersecurity\" in our 2024 Annual Report to "
                     "Shareholders, filed as Exhibit 13.\n", encoding="utf-8")
    (report,) = checker.check_path(str(draft))
    lead = next(p for p in parse_html(render([report], "html", version=VERSION)).iter("p") if p.has_class("verdict"))
    said = " ".join(lead.text.split())
    assert said.startswith("Item 1C incorporates its content by reference to another document, which was not "
                           "checked."), said
    assert "None of the 13 elements and checks is addressed in the text" in said
    assert "13 of the 13" not in said


def test_a_page_of_one_document_s_reports_opens_with_each_verdict_before_the_index(checker):
    """Nucor's 8-K/A, checked with its Item 1.05 pack and its cyd tags: on a phone the first screen held the
    heading and the index of the two reports (figures, file paths, pack ids), the opening sentence of either
    report below the fold. Each report's opening sentence now comes first, named by what it checked."""
    (draft,) = checker.check_path(str(Path(__file__).parent.parent / "samples" / "draft-10k-1c-deficient.md"))
    both = [draft, checker.check_document(draft.document, TEST_PACK)]
    page = render(both, "html", version=VERSION)
    dom = parse_html(page)
    opening = next(d for d in dom.iter("div") if d.has_class("page-verdicts"))
    said = [" ".join(p.text.split()) for p in opening.iter("p")]
    assert len(said) == 2
    assert said[0].startswith(f"{both[0].pack_title}: 7 of the 12 elements"), said[0]
    assert said[1].startswith(f"{both[1].pack_title}: ")
    assert [a.attrs["href"] for a in opening.iter("a")] == ["#d1-report", "#d2-report"]
    assert page.index('class="page-verdicts"') < page.index('class="index cards"')
    several = render([draft, *sample_reports(checker, SAMPLES[1])], "html", version=VERSION)
    assert 'class="page-verdicts"' not in several  # documents apart: the index is their opening


def test_tables_read_as_cards_on_a_phone_keep_their_table_roles(checker):
    """Read as cards on a narrow screen (display: block), a table loses its table semantics in Safari: VoiceOver
    on the director's iPhone read the findings as loose text, no row or column named. The card tables state
    their roles, which a display does not take away."""
    (draft,) = checker.check_path(str(Path(__file__).parent.parent / "samples" / "draft-10k-1c-deficient.md"))
    both = [draft, checker.check_document(draft.document, TEST_PACK)]
    dom = parse_html(render(both, "html", version=VERSION))
    tables = [t for t in dom.iter("table") if t.has_class("cards")]
    assert {t.attrs["class"].split()[0] for t in tables} == {"index", "elements"}
    want = {"thead": "rowgroup", "tbody": "rowgroup", "tr": "row", "td": "cell"}
    for table in tables:
        assert table.attrs.get("role") == "table"
        for tag, role in want.items():
            cells = list(table.iter(tag))
            assert cells and all(c.attrs.get("role") == role for c in cells), (tag, cells[0].attrs)
        heads = list(table.iter("th"))
        assert all(h.attrs.get("role") == ("columnheader" if h.attrs["scope"] == "col" else "rowheader")
                   for h in heads)
