"""Waivers: fingerprints that survive reflowing, baseline files, active/expired/stale waivers in `check`."""

from __future__ import annotations

import json
import textwrap
import unicodedata
from datetime import date
from pathlib import Path

import pytest
import yaml
from cli_helpers import plan_pack, run_main

from checker.api import Checker
from checker.baseline import (
    Waiver,
    apply_waivers,
    dump_baseline,
    load_baseline,
    parse_baseline,
    record,
    today,
)
from checker.fingerprint import normalise_text, result_fingerprint
from checker.gate import has_failures
from checker.model import CheckerError, Document

PACK = plan_pack("error")

# T-BOARD missing (no evidence: identity fingerprint); T-PLAN partial (evidence fingerprint).
DRAFT = """Item 1C. Cybersecurity

We maintain an incident response plan that covers ransomware, data theft and the outage of
our payment systems, and that names the people who decide whether an event is material.

We sell shoes.
"""


def reflow(text: str, width: int) -> str:
    paras = text.split("\n\n")
    return "\n\n".join(textwrap.fill(" ".join(p.split()), width) for p in paras) + "\n"


run = run_main


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "tiny.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / ".cydcheck.yaml").write_text("pack: tiny.yaml\n", encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "item-1c.md").write_text(DRAFT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check_text(text: str, source: str, tmp_path: Path):
    pack = tmp_path / "tiny.yaml"
    if not pack.exists():
        pack.write_text(PACK, encoding="utf-8")
    return Checker().check_document(Document(text=text, source=source), pack)


def statuses(report) -> dict[str, str]:
    return {r.rule: r.status for r in report.results}


# ---------------------------------------------------------------- fingerprints


def test_normalised_text_ignores_layout_case_markup_and_typography() -> None:
    assert normalise_text("We  **maintain**\n   an  “Incident” plan—") == normalise_text(
        'we maintain an "incident" plan-')


def test_fingerprints_survive_reflow_and_moving_but_not_rewording(tmp_path: Path) -> None:
    a = check_text(DRAFT, "drafts/item-1c.md", tmp_path)
    b = check_text("Preamble line.\n\n" + reflow(DRAFT, 38), "elsewhere/item-1c.md", tmp_path)
    assert statuses(a) == statuses(b) == {"T-BOARD": "missing", "T-PLAN": "partial"}
    fa = {r.rule: result_fingerprint(r, a.document) for r in a.results}
    fb = {r.rule: result_fingerprint(r, b.document) for r in b.results}
    assert fa == fb
    assert a.results[1].evidence[0].line != b.results[1].evidence[0].line  # lines moved, prints did not
    c = check_text(DRAFT.replace("covers ransomware", "addresses ransomware"), "drafts/item-1c.md", tmp_path)
    assert result_fingerprint(c.results[1], c.document) != fa["T-PLAN"]
    d = check_text(DRAFT, "drafts/other-draft.md", tmp_path)
    assert result_fingerprint(d.results[0], d.document) != fa["T-BOARD"]  # missing: the document's identity


def test_missing_element_of_a_filing_is_identified_by_issuer_and_form(tmp_path: Path) -> None:
    a = check_text(DRAFT, "a.json", tmp_path)
    a.document.metadata["issuer"] = "Acme Corp"
    a.document.form = "10-K"
    b = check_text(DRAFT, "renamed.json", tmp_path)
    b.document.metadata["issuer"] = "ACME  corp"
    b.document.form = "10-K"
    assert result_fingerprint(a.results[0], a.document) == result_fingerprint(b.results[0], b.document)


# ---------------------------------------------------------------- baseline files


def test_baseline_file_round_trips_and_is_deterministic(tmp_path: Path) -> None:
    report = check_text(DRAFT, str(tmp_path / "drafts" / "x.md"), tmp_path)
    waivers = record([report], tmp_path, "accepted for FY24", "J. Doe", date(2030, 1, 31))
    text = dump_baseline(waivers)
    assert text == dump_baseline(list(reversed(waivers)))
    assert "&id" not in text and "*id" not in text  # no YAML aliases for the shared date
    back = parse_baseline(text, "b.yaml")
    expected = sorted(waivers, key=lambda w: w.rule)
    assert [(w.rule, w.fingerprint, w.file, w.expires) for w in back] == [
        (w.rule, w.fingerprint, "drafts/x.md", date(2030, 1, 31)) for w in expected]
    assert back[0].line is not None


@pytest.mark.parametrize("entry, message", [
    ({"rule": "T-BOARD", "fingerprint": "ab", "approved_by": "x"}, "non-empty 'justification'"),
    ({"rule": "T-BOARD", "fingerprint": "ab", "justification": "y", "approved_by": " "}, "'approved_by'"),
    ({"rule": "T-BOARD", "fingerprint": "ab", "justification": "y", "approved_by": "x", "expires": "soon"},
     "'expires' must be a date"),
    ({"rule": "T-BOARD", "fingerprint": "ab", "justification": "y", "approved_by": "x", "aproved": "x"},
     "unknown waiver field 'aproved'"),
])
def test_bad_waiver_is_a_clear_error_with_its_line(entry: dict, message: str) -> None:
    text = yaml.safe_dump({"version": 1, "waivers": [entry]}, sort_keys=False)
    with pytest.raises(CheckerError) as exc:
        parse_baseline(text, "b.yaml")
    assert message in exc.value.message and exc.value.file == "b.yaml" and exc.value.line == 3


# ---------------------------------------------------------------- applying waivers


def _waiver(report, rule: str, expires: date | None = None, file: str | None = "x.md") -> Waiver:
    result = next(r for r in report.results if r.rule == rule)
    return Waiver(rule, result_fingerprint(result, report.document), "because", "J. Doe", expires, file=file)


def test_active_expired_and_stale_waivers(tmp_path: Path) -> None:
    report = check_text(DRAFT, str(tmp_path / "x.md"), tmp_path)
    active = _waiver(report, "T-PLAN", date(2030, 1, 1))
    expired = _waiver(report, "T-BOARD", date(2024, 12, 31))
    stale = Waiver("T-BOARD", "0" * 24, "old", "J. Doe", file="x.md")
    elsewhere = Waiver("T-BOARD", "1" * 24, "other draft", "J. Doe", file="other.md")
    waivers = [active, expired, stale, elsewhere]
    notices = apply_waivers([report], waivers, tmp_path, date(2025, 1, 1), "b.yaml")
    by_rule = {r.rule: r for r in report.results}
    assert by_rule["T-PLAN"].waived == {"justification": "because", "approved_by": "J. Doe",
                                        "expires": "2030-01-01", "fingerprint": active.fingerprint}
    assert by_rule["T-BOARD"].waived is None  # expired: reported again
    assert [(n.kind, n.waiver.fingerprint) for n in notices] == [("expired", expired.fingerprint),
                                                                 ("stale", stale.fingerprint)]
    assert "expired on 2024-12-31" in notices[0].message
    assert has_failures([report], "error")  # the expired one still fails
    # A waiver whose rule id no pack has (a typo) says so, with the id meant, not "no longer matches".
    typo = Waiver("T-BORD", active.fingerprint, "typo", "J. Doe", file="x.md")
    unknown = Waiver("SK999-NOTHING", active.fingerprint, "no such rule", "J. Doe", file="x.md")
    notices = apply_waivers([check_text(DRAFT, str(tmp_path / "x.md"), tmp_path)], [typo, unknown], tmp_path,
                            date(2025, 1, 1), "b.yaml")
    assert [n.kind for n in notices] == ["stale", "stale"]
    assert "names rule T-BORD, which no pack checked has (did you mean T-BOARD?)" in notices[0].message
    assert "names rule SK999-NOTHING" in notices[1].message and "rules list" in notices[1].message
    # On its expiry date a waiver still holds.
    report = check_text(DRAFT, str(tmp_path / "x.md"), tmp_path)
    assert not apply_waivers([report], [expired], tmp_path, date(2024, 12, 31))
    assert report.results[0].waived is not None


def test_all_gaps_waived_means_no_failure(tmp_path: Path) -> None:
    report = check_text(DRAFT, str(tmp_path / "x.md"), tmp_path)
    assert has_failures([report], "error")
    waivers = record([report], tmp_path, "ok", "J. Doe")
    assert apply_waivers([report], waivers, tmp_path, date(2025, 1, 1)) == []
    assert not has_failures([report], "error")
    assert report.summary()["gaps_by_severity"]["error"] == 0


def test_today_honours_source_date_epoch(monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01T00:00:00Z
    assert today() == date(2025, 1, 1)


# ---------------------------------------------------------------- through the CLI


def test_baseline_then_check_passes_and_no_waivers_shows_everything(project: Path, capsys) -> None:
    assert run(capsys, "check", "drafts/item-1c.md")[0] == 1
    code, _, err = run(capsys, "baseline", "drafts/item-1c.md", "--justification", "FY24 draft: counsel ok",
                       "--approved-by", "J. Doe", "--expires", "2099-12-31")
    assert code == 0 and "2 new" in err
    saved = load_baseline(project / ".cydcheck-baseline.yaml")
    assert {(w.rule, w.file, w.status) for w in saved} == {("T-BOARD", "drafts/item-1c.md", "missing"),
                                                          ("T-PLAN", "drafts/item-1c.md", "partial")}
    code, out, err = run(capsys, "check", "drafts/item-1c.md")
    assert code == 0 and err == ""
    assert out.count("[waived]") == 2
    code, out, _ = run(capsys, "check", "--format", "json", "drafts/item-1c.md")
    waived = {r["rule"]: r["waived"]["approved_by"] for r in json.loads(out)["results"] if "waived" in r}
    assert waived == {"T-BOARD": "J. Doe", "T-PLAN": "J. Doe"}
    code, out, _ = run(capsys, "check", "--no-waivers", "drafts/item-1c.md")
    assert code == 1 and "[waived]" not in out


def test_reflowed_draft_keeps_its_waivers(project: Path, capsys) -> None:
    run(capsys, "baseline", "drafts/item-1c.md", "--justification", "ok", "--approved-by", "J. Doe")
    draft = project / "drafts" / "item-1c.md"
    draft.write_text("\n\n" + reflow(DRAFT, 30), encoding="utf-8")
    code, _, err = run(capsys, "check", "drafts/item-1c.md")
    assert (code, err) == (0, "")


def test_fixed_gap_leaves_a_stale_waiver_and_new_gap_fails(project: Path, capsys) -> None:
    run(capsys, "baseline", "drafts/item-1c.md", "--justification", "ok", "--approved-by", "J. Doe")
    draft = project / "drafts" / "item-1c.md"
    # Board oversight added (T-BOARD waiver goes stale); the plan sentence reworded (new T-PLAN finding).
    draft.write_text(DRAFT.replace("We sell shoes.", "The board oversees cybersecurity risk.")
                     .replace("covers ransomware", "addresses ransomware"), encoding="utf-8")
    code, out, err = run(capsys, "check", "drafts/item-1c.md")
    assert code == 1
    assert "[waived]" not in out
    stale = [ln for ln in err.splitlines() if "no longer matches" in ln]
    assert len(stale) == 2 and any("T-BOARD" in ln for ln in stale) and any("T-PLAN" in ln for ln in stale)
    assert all(ln.startswith("cydcheck: warning: .cydcheck-baseline.yaml:") for ln in stale)


def test_expired_waiver_fails_again_with_a_warning(project: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "946684800")  # recorded on 2000-01-01 ...
    run(capsys, "baseline", "drafts/item-1c.md", "--justification", "ok", "--approved-by", "J. Doe",
        "--expires", "2001-01-01")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")  # ... checked today
    code, out, err = run(capsys, "check", "drafts/item-1c.md")
    assert code == 1 and "[waived]" not in out
    assert err.count("expired on 2001-01-01") == 2


def test_waivers_of_unchecked_files_are_not_stale_and_survive_a_rebaseline(project: Path, capsys) -> None:
    other = project / "drafts" / "other.md"
    other.write_text(DRAFT, encoding="utf-8")
    run(capsys, "baseline", "drafts/item-1c.md", "drafts/other.md", "--justification", "first",
        "--approved-by", "J. Doe")
    assert len(load_baseline(project / ".cydcheck-baseline.yaml")) == 3  # T-PLAN evidence is shared
    code, _, err = run(capsys, "check", "drafts/item-1c.md")
    assert (code, err) == (0, "")
    # Re-baselining one fixed draft: its stale waiver goes, approvals of the others are kept.
    fixed = DRAFT.replace("We sell shoes.", "The board oversees cyber risk.")
    (project / "drafts" / "item-1c.md").write_text(fixed, encoding="utf-8")
    code, _, err = run(capsys, "baseline", "drafts/item-1c.md", "--justification", "second",
                       "--approved-by", "K")
    assert code == 0 and "1 dropped" in err
    saved = load_baseline(project / ".cydcheck-baseline.yaml")
    assert sorted((w.rule, w.file, w.justification) for w in saved) == [
        ("T-BOARD", "drafts/other.md", "first"), ("T-PLAN", "drafts/item-1c.md", "first")]


def test_named_baseline_must_exist_and_bad_expiry_is_usage_error(project: Path, capsys) -> None:
    code, _, err = run(capsys, "check", "--baseline", "missing.yaml", "drafts/item-1c.md")
    assert code == 2 and "missing.yaml: baseline file not found" in err
    code, _, err = run(capsys, "baseline", "drafts/item-1c.md", "--justification", "x", "--approved-by", "y",
                       "--expires", "next year")
    assert code == 2 and "--expires" in err
    assert not (project / ".cydcheck-baseline.yaml").exists()


def test_an_expiry_date_in_the_past_is_refused(project: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796256000")  # 2026-12-03
    code, _, err = run(capsys, "baseline", "drafts/item-1c.md", "--justification", "x", "--approved-by", "y",
                       "--expires", "2026-03-31")
    assert code == 2
    assert err == ("cydcheck: error: --expires 2026-03-31 is in the past (today is 2026-12-03); "
                   "waivers would lapse at once\n")
    assert not (project / ".cydcheck-baseline.yaml").exists()
    code, _, _ = run(capsys, "baseline", "drafts/item-1c.md", "--justification", "x", "--approved-by", "y",
                     "--expires", "2026-12-03")  # today is still good: a waiver holds through its date
    assert code == 0


def test_update_renews_the_expiry_of_kept_waivers(project: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1740787200")  # 2025-03-01
    run(capsys, "baseline", "drafts/item-1c.md", "--justification", "FY25", "--approved-by", "J. Doe",
        "--expires", "2026-03-31")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796256000")  # 2026-12-03: both waivers have lapsed
    code, _, err = run(capsys, "check", "drafts/item-1c.md")
    assert code == 1 and err.count("expired on 2026-03-31") == 2
    # Without --update the approval is kept as it was, and the user is told how to renew it.
    code, _, err = run(capsys, "baseline", "drafts/item-1c.md", "--justification", "FY26", "--approved-by", "K",
                       "--expires", "2027-03-31")
    assert code == 0 and "0 new, 2 kept" in err and "--update" in err
    assert {w.expires for w in load_baseline(project / ".cydcheck-baseline.yaml")} == {date(2026, 3, 31)}
    code, _, err = run(capsys, "baseline", "drafts/item-1c.md", "--justification", "FY26", "--approved-by", "K",
                       "--expires", "2027-03-31", "--update")
    assert code == 0 and "2 kept, 2 renewed" in err and "warning" not in err
    saved = load_baseline(project / ".cydcheck-baseline.yaml")
    assert {w.expires for w in saved} == {date(2027, 3, 31)}
    assert {w.justification for w in saved} == {"FY25"}  # the reviewed reason stays; only the date moves
    code, out, err = run(capsys, "check", "drafts/item-1c.md")
    assert (code, err) == (0, "") and out.count("[waived]") == 2


# ---------------------------------------------------------------- --fail-on-review: a met to review fails until waived

ENGAGED = """Item 1C. Cybersecurity

In addition, the Company engaged a third-party vendor, along with an in-house system administrator, to service
the Company's information systems.
"""


def test_fail_on_review_fails_a_met_marked_for_review_until_its_reading_is_waived(tmp_path: Path, capsys,
                                                                                  monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "draft.md").write_text(ENGAGED, encoding="utf-8")
    only = ("--select", "SK106-B1III-PROVIDERS", "--fail-on", "warning")
    code, out, _ = run_main(capsys, "check", "draft.md", *only, "--format", "json")
    (result,) = json.loads(out)["results"]
    assert code == 0 and result["status"] == "met" and result["review"]  # met, marked: passes by default
    assert run_main(capsys, "check", "draft.md", *only, "--fail-on-review")[0] == 1
    assert run_main(capsys, "check", "draft.md", *only, "--fail-on-review", "--fail-on", "error")[0] == 0
    # a baseline recorded without the flag accepts gaps only: the mark still fails
    run_main(capsys, "baseline", "draft.md", "--justification", "ok", "--approved-by", "J. Doe")
    saved = load_baseline(tmp_path / ".cydcheck-baseline.yaml")
    assert saved and all(w.status != "met" for w in saved)  # the other rules' gaps only
    assert run_main(capsys, "check", "draft.md", *only, "--fail-on-review")[0] == 1
    # recorded with it, the reading is waived (its quote is the fingerprint) and the run passes
    code, _, err = run_main(capsys, "baseline", "draft.md", "--fail-on-review", "--justification",
                            "counsel read the sentence", "--approved-by", "J. Doe")
    (waiver,) = [w for w in load_baseline(tmp_path / ".cydcheck-baseline.yaml") if w.status == "met"]
    assert code == 0 and waiver.rule == "SK106-B1III-PROVIDERS" and "1 new" in err
    assert " waivers for 1 document (" in err  # not "1 documents"
    assert run_main(capsys, "check", "draft.md", *only, "--fail-on-review")[0] == 0
    assert run_main(capsys, "check", "draft.md", *only, "--fail-on-review", "--no-waivers")[0] == 1
    # a reworded sentence is a new reading: the waiver is stale and the mark fails again
    (tmp_path / "draft.md").write_text(ENGAGED.replace("to service", "to maintain"), encoding="utf-8")
    code, _, err = run_main(capsys, "check", "draft.md", *only, "--fail-on-review")
    assert code == 1 and "no longer matches" in err
    # and the configuration can ask for it
    (tmp_path / ".cydcheck.yaml").write_text("fail-on-review: true\n", encoding="utf-8")
    assert run_main(capsys, "check", "draft.md", *only)[0] == 1
    assert run_main(capsys, "check", "draft.md", *only, "--no-fail-on-review")[0] == 0


def test_no_output_replaces_the_baseline_or_the_configuration_the_run_reads(project: Path, capsys) -> None:
    """`check -f json -o .cydcheck-baseline.yaml` (meant: record the baseline) and `baseline -o .cydcheck.yaml`
    would replace a file the run reads with a report: refused before any work, as for a draft."""
    run(capsys, "baseline", "drafts/item-1c.md", "--justification", "ok", "--approved-by", "J. Doe")
    kept = {name: (project / name).read_bytes() for name in (".cydcheck-baseline.yaml", ".cydcheck.yaml")}
    code, _, err = run(capsys, "check", "drafts/item-1c.md", "-f", "json", "-o", ".cydcheck-baseline.yaml")
    assert code == 2 and ".cydcheck-baseline.yaml" in err and "overwritten" in err
    code, _, err = run(capsys, "check", "drafts/item-1c.md", "-f", "text", "-o", ".cydcheck.yaml")
    assert code == 2 and ".cydcheck.yaml" in err and "overwritten" in err
    code, _, err = run(capsys, "baseline", "drafts/item-1c.md", "--justification", "ok", "--approved-by", "J. Doe",
                       "-o", ".cydcheck.yaml")
    assert code == 2 and ".cydcheck.yaml" in err and "overwritten" in err
    code, _, err = run(capsys, "diff", "drafts/item-1c.md", "drafts/item-1c.md", "-o", ".cydcheck.yaml")
    assert code == 2 and ".cydcheck.yaml" in err and "overwritten" in err
    assert {name: (project / name).read_bytes() for name in kept} == kept


def test_waivers_of_a_renamed_draft_are_reported_and_dropped_by_a_rebaseline(project: Path, capsys) -> None:
    """A draft renamed after the baseline: its gaps fail again (the document changed name), and its old
    waivers, whose file is gone, are named as stale rather than kept unseen for ever."""
    run(capsys, "baseline", "drafts/item-1c.md", "--justification", "ok", "--approved-by", "J. Doe")
    (project / "drafts" / "item-1c.md").rename(project / "drafts" / "fy25-item-1c.md")
    code, _, err = run(capsys, "check", "drafts/")
    assert code == 1
    gone = [ln for ln in err.splitlines() if "drafts/item-1c.md" in ln]
    # the missing element's fingerprint held the file name: its waiver is gone with it; the partial one's
    # holds the evidence, which the renamed draft still quotes, so that waiver still holds
    assert len(gone) == 1 and "T-BOARD" in gone[0] and "no longer exists" in gone[0], err
    assert gone[0].startswith("cydcheck: warning: .cydcheck-baseline.yaml:")
    code, _, err = run(capsys, "baseline", "drafts/", "--justification", "renamed", "--approved-by", "J. Doe")
    assert code == 0 and "1 dropped" in err, err
    saved = load_baseline(project / ".cydcheck-baseline.yaml")
    assert {(w.rule, w.file, w.justification) for w in saved} == {
        ("T-BOARD", "drafts/fy25-item-1c.md", "renamed"), ("T-PLAN", "drafts/fy25-item-1c.md", "ok")}
    code, _, err = run(capsys, "check", "drafts/")
    assert code == 0 and "warning" not in err, err


def test_a_baseline_saved_on_windows_is_read(tmp_path: Path) -> None:
    # Re-saved in Notepad as "Unicode" (UTF-16) it was "cannot read baseline: 'utf-8' codec can't decode ...".
    text = "version: 1\r\nwaivers: []\r\n"
    for raw in (text.encode("utf-16"), b"\xef\xbb\xbf" + text.encode()):
        (tmp_path / "b.yaml").write_bytes(raw)
        assert load_baseline(tmp_path / "b.yaml") == []
    (tmp_path / "b.yaml").write_bytes(b"version: 1\r\n# Jos\xe9\r\nwaivers: []\r\n")
    with pytest.raises(CheckerError, match=r"b\.yaml:2: byte 0xE9 is not UTF-8") as exc:
        load_baseline(tmp_path / "b.yaml")
    assert exc.value.line == 2


def test_a_baseline_output_naming_the_draft_says_it_would_overwrite_the_draft(project: Path, capsys) -> None:
    """`baseline draft.md -o draft.md` (the draft named where the waivers file was meant) was stopped, but by
    the draft read as a baseline: "drafts/item-1c.md:3: malformed YAML", a message about a file counsel never
    meant as YAML. It now says the output is one of the input files, as check and diff do; the draft is kept."""
    before = (project / "drafts" / "item-1c.md").read_bytes()
    code, _, err = run(capsys, "baseline", "drafts/item-1c.md", "--justification", "ok", "--approved-by", "J. Doe",
                       "-o", "drafts/item-1c.md")
    assert code == 2
    assert "overwritten" in err and "YAML" not in err
    assert (project / "drafts" / "item-1c.md").read_bytes() == before


def test_a_rebaseline_keeps_the_comments_written_with_each_waiver(project: Path, capsys) -> None:
    """Counsel noted beside a waiver where it was approved ("# approved at the disclosure committee,
    2026-01-10"); the next `baseline` run rewrote the file, and the note was gone (later: gone with a warning).
    Each comment now stays with its waiver, on a line of its own above the entry, run after run; a '#' inside a
    quoted justification is no comment."""
    args = ("baseline", "drafts/item-1c.md", "--justification", "ok", "--approved-by", "J. Doe")
    run(capsys, *args)
    path = project / ".cydcheck-baseline.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "approved_by: J. Doe", "approved_by: J. Doe  # approved at the disclosure committee, 2026-01-10", 1)
    text = text.replace("justification: ok", "justification: 'see memo #4'", 1)
    second = text.index("- rule:", text.index("- rule:") + 1)
    text = text[:second] + "# the board section comes in the next turn\n" + text[second:]
    path.write_text(text + "# keep until the 10-K is filed\n", encoding="utf-8")
    before = {w.rule: w.notes for w in load_baseline(path)}
    assert sorted(n for notes in before.values() for n in notes) == [
        "# approved at the disclosure committee, 2026-01-10", "# keep until the 10-K is filed",
        "# the board section comes in the next turn"]
    for _ in range(2):
        code, _, err = run(capsys, *args)
        assert code == 0 and "warning" not in err
        assert {w.rule: w.notes for w in load_baseline(path)} == before
    rewritten = path.read_text(encoding="utf-8")
    assert "see memo #4" in rewritten and rewritten.count("#4") == 1
    # the note sits above its own waiver's entry
    for rule, notes in before.items():
        for note in notes:
            assert rewritten.index(note) < rewritten.index(f"- rule: {rule}")


def test_a_rebaseline_names_the_comments_of_the_waivers_it_drops(project: Path, capsys) -> None:
    """A waiver whose finding is gone (its sentence reworded) is dropped, and its note with it: said, with the
    note and its line, so it can be put back beside the new waiver."""
    args = ("baseline", "drafts/item-1c.md", "--justification", "ok", "--approved-by", "J. Doe")
    run(capsys, *args)
    path = project / ".cydcheck-baseline.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("rule: T-PLAN", "rule: T-PLAN  # partner sign-off pending", 1), encoding="utf-8")
    draft = project / "drafts" / "item-1c.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace("We maintain", "We keep"), encoding="utf-8")
    code, _, err = run(capsys, *args)
    assert code == 0
    warned = [ln for ln in err.splitlines() if "warning" in ln]
    assert len(warned) == 1 and "# partner sign-off pending" in warned[0] and "dropped" in warned[0]
    assert "partner sign-off" not in path.read_text(encoding="utf-8")


def test_today_is_the_utc_day_whatever_the_machine_s_time_zone(monkeypatch):
    """A waiver's expiry was judged by the machine's local day (date.fromtimestamp), so at 23:30 UTC on its
    last day a run in Tokyo called it expired and one in London did not: the same inputs gave other reports.
    The day is UTC's, as with SOURCE_DATE_EPOCH and the workpaper's "Checked on ... UTC"."""
    import time as time_module
    from datetime import datetime, timezone

    from checker import baseline

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    moment = datetime(2026, 3, 31, 23, 30, tzinfo=timezone.utc).timestamp()
    monkeypatch.setattr(baseline.time, "time", lambda: moment)
    import os

    before = os.environ.get("TZ")
    try:
        for zone in ("Asia/Tokyo", "America/Los_Angeles", "UTC"):
            os.environ["TZ"] = zone
            time_module.tzset()
            assert baseline.today() == date(2026, 3, 31), zone
    finally:  # the process's zone as it was, for the tests after this one
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time_module.tzset()


def test_a_waiver_file_written_with_windows_backslashes_is_the_same_file(project: Path, capsys) -> None:
    # A reviewer on Windows edited the baseline by hand ('file: drafts\other.md', as Explorer shows the path):
    # a rebaseline of the other draft dropped the waivers of drafts\other.md as 'no longer exists', losing
    # their approvals, and a check of drafts/ called them stale
    other = project / "drafts" / "other.md"
    other.write_text(DRAFT.replace("We sell shoes.", "We sell boots."), encoding="utf-8")
    run(capsys, "baseline", "drafts/item-1c.md", "drafts/other.md", "--justification", "first",
        "--approved-by", "J. Doe")
    path = project / ".cydcheck-baseline.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("file: drafts/", "file: drafts\\"), encoding="utf-8")
    assert {w.file for w in load_baseline(path)} == {"drafts/item-1c.md", "drafts/other.md"}
    code, _, err = run(capsys, "check", "drafts/")
    assert code == 0 and "warning" not in err and "(4 waived)" in err, err
    code, _, err = run(capsys, "baseline", "drafts/item-1c.md", "--justification", "second", "--approved-by", "K")
    assert code == 0 and "0 dropped" in err, err
    assert {w.file for w in load_baseline(path) if w.justification == "first"} >= {"drafts/other.md"}


def test_a_draft_named_with_accents_keeps_its_waivers_whichever_way_the_mac_spelt_its_name(project: Path,
                                                                                         capsys) -> None:
    """A baseline recorded from 'Résumé.md' dragged from Finder (decomposed: 'Re\u0301sume\u0301.md') matched
    nothing once the name was typed, or checked out by git on the CI runner (composed): the missing element's
    waiver was stale, its gap failed the run, and a rebaseline dropped the approval as 'no longer exists'."""
    finder, typed = unicodedata.normalize("NFD", "Résumé.md"), unicodedata.normalize("NFC", "Résumé.md")
    (project / "drafts" / "item-1c.md").rename(project / "drafts" / finder)
    code, _, err = run(capsys, "baseline", f"drafts/{finder}", "--justification", "ok", "--approved-by", "J. Doe")
    assert code == 0 and "2 new" in err, err
    code, _, err = run(capsys, "check", f"drafts/{typed}")  # this Mac: the name as typed finds the file
    assert (code, err) == (0, ""), err
    (project / "drafts" / finder).rename(project / "drafts" / typed)  # the CI runner's checkout
    for given in (f"drafts/{typed}", "drafts/", f"drafts/{finder}"):
        code, _, err = run(capsys, "check", given)
        assert code == 0 and "warning" not in err, (given, err)
    code, _, err = run(capsys, "baseline", "drafts/", "--justification", "later", "--approved-by", "K")
    assert code == 0 and "0 dropped" in err, err
    assert {w.justification for w in load_baseline(project / ".cydcheck-baseline.yaml")} == {"ok"}


def test_a_rebaseline_of_a_file_of_no_waivers_names_its_comments(project: Path, capsys) -> None:
    """A baseline of no waiver has nothing to keep a comment with: the rewrite names it."""
    (project / ".cydcheck-baseline.yaml").write_text("version: 1\nwaivers: []  # none yet, FY25\n", encoding="utf-8")
    code, _, err = run(capsys, "baseline", "drafts/item-1c.md", "--justification", "ok", "--approved-by", "J. Doe")
    assert code == 0 and "# none yet, FY25" in err and "warning" in err
