"""The Form 8-K Item 1.05 filing deadline: business-day counting and the finding it produces."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from checker import deadline
from checker.deadline import BusinessCalendar, assess, due_date, filing_day
from checker.model import CheckerError, Document, Report

D = dt.date


def test_worked_example_thanksgiving() -> None:
    # regulation-notes §7: Wed 2025-11-26, Thanksgiving Thu 11-27 -> Fri, Mon, Tue, Wed 12-03.
    assert due_date(D(2025, 11, 26)) == D(2025, 12, 3)


def test_worked_example_saturday_and_juneteenth() -> None:
    # Sat 2025-06-14: Mon 06-16 is day 1; Juneteenth (Thu 06-19) is skipped -> Fri 06-20.
    assert due_date(D(2025, 6, 14)) == D(2025, 6, 20)


def test_plain_week_without_holidays() -> None:
    assert due_date(D(2025, 3, 3)) == D(2025, 3, 7)  # Mon -> Fri
    assert due_date(D(2025, 3, 6)) == D(2025, 3, 12)  # Thu -> Wed (weekend skipped)


def test_on_time_and_late_filings() -> None:
    on_time = assess("2025-11-26", "2025-12-03")
    assert on_time.on_time and on_time.late_by == 0
    late = assess("2025-11-26", "2025-12-05")
    assert not late.on_time and late.due == D(2025, 12, 3) and late.late_by == 2


def test_the_finding_names_the_holidays_its_count_passed_over() -> None:
    # counsel checking "due 2026-11-17" for a Tuesday 2026-11-10 determination saw no reason for the extra day:
    # the finding now names the holiday skipped (Veterans Day), in the note, the met basis and the late message
    note, met, late = (deadline.finding(assess("2026-11-10", filed)) for filed in (None, "2026-11-17", "2026-11-18"))
    assert note.message == "File by 5:30 p.m. ET on 2026-11-17. Not counted: Veterans Day, 2026-11-11."
    assert met.basis.endswith("determination of 2026-11-10. Not counted: Veterans Day, 2026-11-11.")
    assert late.message == ("Filed 1 business day after the 2026-11-17 deadline. Not counted: Veterans Day, "
                            "2026-11-11.")
    # a determination on a Saturday, and an SEC closure given, are named too; weekends alone add nothing
    saturday = deadline.finding(assess("2025-06-14", None))
    assert ("The day counted from, 2025-06-14, is no business day (a Saturday): the count begins on 2025-06-16. "
            "Not counted: Juneteenth National Independence Day, 2025-06-19.") in saturday.message
    closed = BusinessCalendar(closures=frozenset({D(2026, 12, 24)}))
    christmas = deadline.finding(assess("2026-12-22", None, closed), calendar=closed)
    assert christmas.message == ("File by 5:30 p.m. ET on 2026-12-30. Not counted: an SEC closure, 2026-12-24; "
                                 "Christmas Day, 2026-12-25.")
    assert deadline.finding(assess("2025-03-06", None)).message == "File by 5:30 p.m. ET on 2025-03-12."


def test_an_amendments_deadline_counts_from_the_information_not_the_materiality_determination(tmp_path, capsys) -> None:
    # an 8-K/A checked with --determined-on (the day the information it adds became available, as the note asks)
    # was told "determined 2026-12-01 ... four business days after the materiality determination", and its fix
    # to count "from the day the registrant determined the incident material": Instruction 2's clock is another
    from cli_helpers import run_main
    draft = tmp_path / "8-K-A.md"
    draft.write_text("Item 1.05 Material Cybersecurity Incidents.\n\nThis Amendment No. 1 on Form 8-K/A amends the "
                     "Current Report on Form 8-K filed on November 16, 2026. On November 10, 2026, the Company "
                     "determined that the ransomware incident was material. The threat actor exfiltrated the names "
                     "of 14,200 employees.\n", encoding="utf-8")
    report = _text_report(draft.read_text(encoding="utf-8"),
                          {"determined_on": "2026-12-01", "filed": "2026-12-04"})
    report.document.form = "8-K/A"
    (r,) = deadline.append_finding(report, ["8-K/A"]).results
    assert r.status == "met" and r.title.startswith("Filing deadline: information determined or available 2026-12-01")
    assert "the information it adds was determined or became available, 2026-12-01" in r.basis
    assert "materiality determination" not in r.basis and r.citation.startswith("Form 8-K Item 1.05, Instruction 2")
    assert r.guidance.startswith("An 8-K/A that adds what was not determined")
    _, out, _ = run_main(capsys, "check", str(draft), "--determined-on", "2026-12-01", "--filed-on", "2026-12-08",
                         "--no-examples")
    out = " ".join(out.split())
    assert "information determined or available 2026-12-01, due 2026-12-07" in out
    assert "Count four business days from the day the registrant determined the incident material" not in out
    # ... and --help says which day to give for an 8-K/A
    _, helped, _ = run_main(capsys, "check", "--help")
    assert "8-K/A: day the information it adds was determined or became available" in " ".join(helped.split())


def test_submission_after_530pm_is_filed_next_business_day() -> None:
    assert assess("2025-11-26", "2025-12-03T17:29").on_time
    late = assess("2025-11-26", "2025-12-03T17:45")
    assert late.filed == D(2025, 12, 4) and late.late_by == 1
    # ... and the finding says why the filing date is the next day (a lawyer's "filed 12-04?" on a 12-03 submission)
    assert deadline.finding(late).title == ("Filing deadline: determined 2025-11-26, due 2025-12-03, filed 2025-12-04 "
                                            "(submitted 2025-12-03 after 5:30 p.m. ET: EDGAR's next business day)")
    sunday = assess("2025-11-26", "2025-11-30")
    assert sunday.moved == "submitted 2025-11-30, a day EDGAR is closed" and sunday.on_time
    assert assess("2025-11-26", "2025-12-03T17:29").moved == ""
    # An aware time is read in New York: 22:00 UTC is 17:00 EST, still on time.
    assert assess("2025-11-26", "2025-12-03T22:00:00+00:00").on_time


def test_a_late_evening_determination_on_the_west_coast_counts_from_its_own_day() -> None:
    # --determined-on 2026-11-12T23:30-08:00 (a board meeting in California) was read in New York as 2026-11-13,
    # due 2026-11-19: a day later than the count from the day the board met; the earlier day is counted from
    assert assess("2026-11-12T23:30-08:00", None).determined == D(2026, 11, 12)
    assert assess("2026-11-12T23:30-08:00", None).due == D(2026, 11, 18)
    # ... and a London determination after midnight, still the day before in New York, from New York's day
    assert assess("2026-11-13T01:00+00:00", None).determined == D(2026, 11, 12)
    assert assess("2026-11-12T21:00", None).determined == D(2026, 11, 12)  # a time without offset: its day


def test_a_determination_date_named_with_the_wrong_weekday_is_marked_for_review() -> None:
    # "On Tuesday, November 11, 2026, the Board determined ..." (November 11, 2026 is a Wednesday, Veterans Day):
    # the deadline counted from the 11th as if nothing were amiss, though the draft's day or date is wrong
    text = ("Item 1.05 Material Cybersecurity Incidents.\n\nOn Friday, November 6, 2026, the Company detected "
            "ransomware. On Tuesday, November 11, 2026, the Board determined that the incident is material.\n")
    (r,) = deadline.append_finding(_text_report(text, {"filed": "2026-11-16"}), ["8-K"]).results
    assert r.status == "met" and "2026-11-11 is a Wednesday" in r.review and "a Tuesday" in r.review
    (given,) = deadline.append_finding(_text_report(text, {"determined_on": "2026-11-11"}), ["8-K"]).results
    assert "2026-11-11 is a Wednesday" in given.message
    # the right weekday, or none, says nothing
    right = text.replace("Tuesday, November 11", "Tuesday, November 10")
    (ok,) = deadline.append_finding(_text_report(right, {"filed": "2026-11-16"}), ["8-K"]).results
    assert ok.status == "met" and not ok.review


def test_a_determination_at_the_meeting_the_sentence_before_dates_is_dated_by_it() -> None:
    # "The Audit Committee met on November 10, 2026. At that meeting, it determined that the incident is material."
    # had its deadline "not checked: ... gives no date for it", though the draft dates the meeting
    text = ("Item 1.05 Material Cybersecurity Incidents.\n\nOn November 6, 2026, the Company detected ransomware. "
            "The Audit Committee held a special meeting on Tuesday, November 10, 2026. At that meeting, it "
            "determined that the incident is material.\n")
    (r,) = deadline.append_finding(_text_report(text, {"filed": "2026-11-17"}), ["8-K"]).results
    assert r.status == "met" and r.title.startswith("Filing deadline: determined 2026-11-10 (read from the text")
    # a sentence before that dates something else, with no "that meeting", dates nothing
    plain = text.replace("At that meeting, it", "The Company")
    (none,) = deadline.append_finding(_text_report(plain, {"filed": "2026-11-17"}), ["8-K"]).results
    assert none.status == "not_applicable" and "gives no date for it" in none.message


def test_a_cover_dated_after_the_determination_is_marked_for_review() -> None:
    # counsel's draft kept the cover's "Date of Report (Date of earliest event reported): November 12, 2026" of an
    # earlier turn, while its text dates the determination November 10: the deadline was met with nothing said
    text = ("Item 1.05 Material Cybersecurity Incidents.\n\nOn November 6, 2026, the Company detected ransomware. "
            "On November 10, 2026, the Company determined that the incident is material.\n")
    (r,) = deadline.append_finding(_text_report(text, {"filed": "2026-11-16", "period": "2026-11-12"}),
                                   ["8-K"]).results
    assert r.status == "met" and "2026-11-12, is later than the materiality determination of 2026-11-10" in r.review
    (given,) = deadline.append_finding(_text_report(text, {"determined_on": "2026-11-10", "period": "2026-11-12"}),
                                       ["8-K"]).results
    assert "date of report" in given.message
    # a cover dated on the determination, or on the detection before it, says nothing
    for period in ("2026-11-10", "2026-11-06"):
        (ok,) = deadline.append_finding(_text_report(text, {"filed": "2026-11-16", "period": period}),
                                        ["8-K"]).results
        assert ok.status == "met" and not ok.review, period


def test_a_determination_long_after_the_discovery_the_text_dates_is_marked_for_review() -> None:
    # Instruction 1: materiality is determined without unreasonable delay after discovery. A draft dating the
    # detection September 29 and the determination November 10 (29 business days on) was filed "on time" with
    # nothing said of the six weeks between
    text = ("Item 1.05 Material Cybersecurity Incidents.\n\nOn September 29, 2026, the Company detected "
            "unauthorized access to its billing systems. On November 10, 2026, the Company determined that the "
            "incident is material.\n")
    (r,) = deadline.append_finding(_text_report(text, {"filed": "2026-11-16"}), ["8-K"]).results
    assert r.status == "met" and "discovery 2026-09-29" in r.review and "Instruction 1" in r.review
    assert "29 business days before" in r.review
    # a Friday detection and a Tuesday determination (counsel's ransomware case) says nothing
    quick = text.replace("September 29, 2026", "November 6, 2026")
    (ok,) = deadline.append_finding(_text_report(quick, {"filed": "2026-11-16"}), ["8-K"]).results
    assert ok.status == "met" and not ok.review


def test_weekend_or_holiday_submission_is_filed_next_business_day() -> None:
    # Saturday 2025-12-06 -> Monday 12-08; Christmas Thursday 2025-12-25 -> Friday 12-26.
    assert filing_day(D(2025, 12, 6)) == D(2025, 12, 8)
    assert filing_day(D(2025, 12, 25)) == D(2025, 12, 26)
    # Friday after 5:30 p.m. ET -> Monday; the day before Thanksgiving after the cutoff -> Friday.
    assert filing_day(dt.datetime(2025, 12, 5, 18, 0)) == D(2025, 12, 8)
    assert filing_day(dt.datetime(2025, 11, 26, 17, 31)) == D(2025, 11, 28)
    # Determined Mon 2025-12-01, due Fri 12-05: a Saturday submission is filed on Monday, one day late.
    late = assess("2025-12-01", "2025-12-06")
    assert late.due == D(2025, 12, 5) and late.filed == D(2025, 12, 8) and late.late_by == 1
    assert not late.on_time


def test_sec_closures_are_configurable() -> None:
    # 2025-01-09 (day of mourning) is not a 5 U.S.C. 6103 holiday: closed only when configured.
    assert due_date(D(2025, 1, 7)) == D(2025, 1, 13)
    assert due_date(D(2025, 1, 7), BusinessCalendar(frozenset({D(2025, 1, 9)}))) == D(2025, 1, 14)
    assert due_date(D(2025, 1, 7), BusinessCalendar(executive_orders=True)) == D(2025, 1, 14)


def test_bad_dates_are_user_errors() -> None:
    with pytest.raises(CheckerError, match="not an ISO date"):
        assess("26/11/2025", None)
    with pytest.raises(CheckerError, match="is before the materiality determination"):
        assess("2025-11-26", "2025-11-20")


def _report(meta: dict) -> Report:
    doc = Document(text="x", source="s.json", form="8-K", item="1.05", metadata=meta)
    return Report(doc, "form-8k-105", "1", "t", [])


def test_finding_late_is_an_error_gap() -> None:
    report = deadline.append_finding(_report({"determined_on": "2025-06-14", "filed_on": "2025-06-23"}),
                                     ["8-K"])
    (r,) = report.results
    assert (r.rule, r.status, r.severity) == (deadline.RULE_ID, "missing", "error")
    assert r.is_gap and "1 business day after the 2025-06-20 deadline" in r.message


def test_finding_uses_record_filing_date_and_skips_other_packs() -> None:
    report = deadline.append_finding(_report({"determined_on": "2025-06-14", "filed": "2025-06-20"}), ["8-K"])
    assert [r.status for r in report.results] == ["met"]
    assert deadline.append_finding(_report({"determined_on": "2025-06-14"}), ["10-K"]).results == []
    (note,) = deadline.append_finding(_report({}), ["8-K"]).results
    assert (note.status, note.severity) == ("not_applicable", "info")
    assert note.title == "Filing deadline not checked: no materiality determination date"
    pending = deadline.append_finding(_report({"determined_on": "2025-06-14"}), ["8-K"]).results[0]
    assert pending.status == "not_applicable" and "2025-06-20" in pending.message


def test_no_filing_date_reads_as_such_not_filed_no_filing_date() -> None:
    (pending,) = deadline.append_finding(_report({"determined_on": "2025-06-14"}), ["8-K"]).results
    assert pending.title == "Filing deadline: determined 2025-06-14, due 2025-06-20, no filing date given"
    assert "filed no" not in pending.title


def _text_report(text: str, meta: dict) -> Report:
    doc = Document(text=text, source="s.md", form="8-K", item="1.05", metadata=meta)
    return Report(doc, "form-8k-105", "1", "t", [])


CCLD = ("Item 1.05 Material Cybersecurity Incidents.\n\nOn March 16, 2026, the Company experienced a "
        "disruption.\n\nAs of the date of this report, the incident has not had a material impact. On March "
        "24, 2026, the Company nevertheless determined that the incident is material in light of the "
        "sensitivity of the information.\n")


@pytest.mark.parametrize("text, day", [
    (CCLD, "2026-03-24"),
    ("Notwithstanding the foregoing, the Company determined the incident to be material on June 29, 2026 in "
     "light of the volume of information.", "2026-06-29"),
    ("On July 25, 2024, the Company determined that the cybersecurity incident has likely had a material "
     "impact on the Company's business operations.", "2024-07-25"),
    # Item 1.05 asks only for an incident the registrant determines material: deciding that it must be reported
    # under Item 1.05 is that determination, in the form's own words
    ("On March 20, 2026, the Company determined that disclosure under Item 1.05 of Form 8-K is required.",
     "2026-03-20"),
    ("On March 20, 2026, the Company concluded that the incident is reportable under Item 1.05.", "2026-03-20"),
    ("On March 20, 2026, management determined that the incident was required to be reported pursuant to Item "
     "1.05 of Form 8-K.", "2026-03-20"),
])
def test_the_determination_date_is_read_from_the_text(text: str, day: str) -> None:
    (r,) = deadline.append_finding(_text_report(text, {}), ["8-K"]).results
    assert r.rule == deadline.RULE_ID and r.status == "not_applicable"
    assert r.title.startswith(f"Filing deadline: determined {day} (read from the text, line ")


def test_the_stated_date_is_checked_against_the_filing_date_and_names_its_line() -> None:
    (r,) = deadline.append_finding(_text_report(CCLD, {"filed": "2026-04-01"}), ["8-K"]).results
    line = CCLD.splitlines()[4]  # where the date stands, as evidence is placed: line and column
    assert r.title == (f"Filing deadline: determined 2026-03-24 (read from the text, line 5, col "
                       f"{line.index('March 24, 2026') + 1}), due 2026-03-30, filed 2026-04-01")
    assert (r.status, r.severity) == ("missing", "error")


def test_a_deadline_read_from_the_text_quotes_the_determination_sentence() -> None:
    """The deadline finding quoted nothing, so a late 8-K's annotation, SARIF result and Word comment sat on the
    section's heading; it now quotes the sentence whose date it counts from, and is shown there."""
    from checker.report.context import offending
    from checker.report.github_out import annotations

    report = deadline.append_finding(_text_report(CCLD, {"filed": "2026-04-01"}), ["8-K"])
    (r,) = report.results
    (e,) = r.evidence
    assert e.text == ("On March 24, 2026, the Company nevertheless determined that the incident is material in "
                      "light of the sensitivity of the information.")
    assert CCLD[e.start:e.end] == e.text and e.line == 5 and offending(r) is e
    (annotation,) = annotations([report])
    assert ",line=5," in annotation and annotation.startswith("::error ")
    # a date given with the document and none in the text: nothing to quote
    (given,) = deadline.append_finding(_text_report("Item 1.05.\n\nWe found malware.", {
        "determined_on": "2026-03-24", "filed": "2026-04-01"}), ["8-K"]).results
    assert given.evidence == []


@pytest.mark.parametrize("text", [
    "The Company has not yet determined whether the incident is material. On May 1, 2026, it found malware.",
    "On May 1, 2026, the Company detected unauthorized access. The impact is to be determined.",
    "The Company determined that the incident is material.",  # no date
    # a determination that it is not material starts no clock (an Item 8.01 report, or the history of one)
    "On March 11, 2026, management determined that the incident was not material.",
    "On May 2, 2026, the Company determined that the incident did not have a material impact.",
    "On May 2, 2026, the Company determined that the incident isn't reasonably likely to be material.",
    # Item 1.05 named, but no determination that it applies
    "On May 2, 2026, the Company determined that disclosure under Item 1.05 is not required.",
    "On May 2, 2026, the Company determined the scope of the incident, described under Item 1.05 below.",
    "On May 2, 2026, the Company determined that the incident is not reportable under Item 1.05.",
    "On May 2, 2026, the Company determined the information required to be disclosed under Item 1.05(a).",
])
def test_no_determination_date_in_the_text_gives_the_not_checked_note(text: str) -> None:
    (r,) = deadline.append_finding(_text_report(text, {}), ["8-K"]).results
    assert r.title == "Filing deadline not checked: no materiality determination date"


def test_a_given_date_wins_over_the_text() -> None:
    (r,) = deadline.append_finding(_text_report(CCLD, {"determined_on": "2026-03-25"}), ["8-K"]).results
    assert r.title.startswith("Filing deadline: determined 2026-03-25, due")


AG = ("Item 1.05 Material Cybersecurity Incidents.\n\nOn June 3, 2026, the Company discovered that a nation-state "
      "threat actor had gained unauthorized access to its networks. On June 5, 2026, the Company determined that "
      "the incident was material. On June 8, 2026, the United States Attorney General determined, pursuant to "
      "Item 1.05(c) of Form 8-K, that disclosure of the incident posed a substantial risk to national security "
      "and notified the Commission in writing.\n")


def test_a_filing_within_the_attorney_generals_delay_the_text_states_is_not_late() -> None:
    # Item 1.05(c): the filing may be delayed up to 30 days after its due date (2026-06-11); "Filed 12 business
    # days after the deadline" was an error on a filing the rule allows
    (r,) = deadline.append_finding(_text_report(AG, {"filed": "2026-06-30"}), ["8-K"]).results
    assert (r.status, r.severity) == ("met", "error")
    assert "Attorney General" in r.basis and "2026-07-11" in r.basis
    assert r.review.startswith("Confirm that the Attorney General's written notice")
    # past the first 30 days: late, and the message says where the delay ended and what a later filing needs
    (late,) = deadline.append_finding(_text_report(AG, {"filed": "2026-07-20"}), ["8-K"]).results
    assert (late.status, late.severity) == ("missing", "error")
    assert "2026-07-11" in late.message and "2026-08-10" in late.message and "2026-10-09" in late.message
    # a request to the Attorney General, or a delay that is only possible, extends nothing
    for said in ("The Company has requested that the Attorney General determine whether disclosure poses a "
                 "substantial risk to national security.",
                 "The Company may delay the filing if the Attorney General determines that disclosure would pose "
                 "a substantial risk to national security."):
        text = AG.split(" On June 8")[0] + " " + said + "\n"
        (r,) = deadline.append_finding(_text_report(text, {"filed": "2026-06-30"}), ["8-K"]).results
        assert r.status == "missing", said


@pytest.mark.parametrize("said", [
    "On November 26, 2025, following its investigation of the unauthorized access discovered on November 20, "
    "2025, the Company determined that the incident is material.",
    "On November 26, 2025, the Company determined that the incident, which it first detected on November 20, "
    "2025, is material.",
    "After reviewing the attack that began on or about November 18, 2025, the Company determined on November 26, "
    "2025 that the incident is material.",
    # the event's verb reaches no further than its own clause
    "The Company identified the incident and on November 26, 2025 determined that it was material.",
    # a period's end is no determination date either
    "On November 26, 2025, the Company determined that the incident is material to its results for the quarter "
    "ending December 31, 2025.",
])
def test_the_incidents_own_dates_in_the_determination_sentence_do_not_start_the_clock(said: str) -> None:
    # the date nearest the verb was the detection date (2025-11-20): "due 2025-11-26, filed 6 business days late"
    # on a filing made on its due date, 2025-12-03
    (r,) = deadline.append_finding(_text_report(said, {"filed": "2025-12-03"}), ["8-K"]).results
    assert r.title.startswith("Filing deadline: determined 2025-11-26 (read from the text, line 1")
    assert r.status == "met"


@pytest.mark.parametrize("said", [
    "The Company determined that the incident, which it detected on November 20, 2025, is material.",
    "The Company determined that the incident is material to its results for the quarter ended September 30, 2025.",
])
def test_a_determination_sentence_dating_only_the_incident_is_not_its_date(said: str) -> None:
    (r,) = deadline.append_finding(_text_report(said, {"filed": "2025-12-03"}), ["8-K"]).results
    assert r.status == "not_applicable" and r.title.startswith("Filing deadline not checked")


@pytest.mark.parametrize("written", [
    "November 26th, 2025", "Nov. 26, 2025", "Nov 26, 2025", "26 November 2025", "26th of November, 2025",
    "11/26/2025", "Wednesday, November 26, 2025",
])
def test_the_determination_date_is_read_as_filers_write_dates(written: str) -> None:
    # "the text states none" for a date written with an ordinal, an abbreviated month, day first or in figures
    said = f"On {written}, the Company determined that the incident is material."
    (r,) = deadline.append_finding(_text_report(said, {"filed": "2025-12-04"}), ["8-K"]).results
    assert r.title.startswith("Filing deadline: determined 2025-11-26 (read from the text")
    assert r.status == "missing" and "2025-12-03" in r.message


def test_a_determination_date_without_a_year_takes_the_year_of_the_filing() -> None:
    said = "On December 30, the Company determined that the incident is material."
    (r,) = deadline.append_finding(_text_report(said, {"filed": "2026-01-06"}), ["8-K"]).results
    assert r.title.startswith("Filing deadline: determined 2025-12-30 (read from the text")
    assert r.status == "met"  # Tue 12-30: Wed 12-31, Fri 01-02, Mon 01-05, Tue 01-06 (New Year's Day skipped)
    # with no filing date to tell the year, the note says which sentence lacks it, not that the text states none
    (note,) = deadline.append_finding(_text_report(said, {}), ["8-K"]).results
    assert note.status == "not_applicable" and "the text states none" not in note.message
    assert "no year" in note.message and "line 1" in note.message


def test_a_stated_date_after_the_filing_date_is_named_not_called_absent() -> None:
    said = "On December 26, 2025, the Company determined that the incident is material."
    (r,) = deadline.append_finding(_text_report(said, {"filed": "2025-12-03"}), ["8-K"]).results
    assert r.status == "not_applicable" and "the text states none" not in r.message
    assert "2025-12-26" in r.message and "2025-12-03" in r.message


@pytest.mark.parametrize("about", ["on or about", "about", "in or around"])
def test_an_approximate_determination_date_is_marked_for_review(about: str) -> None:
    said = f"{about.capitalize()} November 26, 2025, the Company determined that the incident is material."
    (r,) = deadline.append_finding(_text_report(said, {"filed": "2025-12-03"}), ["8-K"]).results
    assert r.status == "met" and "exact" in r.review and about in r.review


@pytest.mark.parametrize("said", [
    "On June 8, 2026, the Attorney General informed the Company that disclosure of the incident did not pose a "
    "substantial risk to national security or public safety.",
    "The Attorney General notified the Company that it had not determined that disclosure poses a substantial "
    "risk to national security.",
    "The Company did not receive a determination by the Attorney General that disclosure poses a substantial "
    "risk to national security.",
    "Absent a determination by the Attorney General that disclosure would pose a substantial risk to national "
    "security, the Company is filing this report.",
    # a request alone extends nothing either (C&DIs 104B.01-.04): a late filing whose text only asked for the
    # determination was "Filed within the Attorney General's delay" (met)
    "The Company asked the Department of Justice to seek the Attorney General's determination that disclosure "
    "would pose a substantial risk to national security; that request is pending.",
    "The Company has submitted a request through the FBI for the Attorney General's determination that "
    "disclosure poses a substantial risk to national security.",
    "The Company is awaiting the Attorney General's written determination that disclosure poses a substantial "
    "risk to public safety.",
])
def test_an_attorney_general_refusal_or_a_request_is_no_delay(said: str) -> None:
    # "Filed within the Attorney General's delay" (met) on a late filing whose text says the AG found no risk,
    # or only that the company asked for the determination
    text = AG.split(" On June 8")[0] + " " + said + "\n"
    (r,) = deadline.append_finding(_text_report(text, {"filed": "2026-06-30"}), ["8-K"]).results
    assert r.status == "missing" and "Attorney General" not in r.message, said


def test_a_determination_the_company_asked_for_and_got_is_a_delay() -> None:
    granted = AG.replace("On June 8, 2026, the United States", "At the Company's request, on June 8, 2026, the")
    (g,) = deadline.append_finding(_text_report(granted, {"filed": "2026-06-30"}), ["8-K"]).results
    assert g.status == "met" and "Attorney General" in g.basis


def test_a_negation_in_the_sentence_before_leaves_the_attorney_generals_delay_standing() -> None:
    text = AG.replace(" On June 8", " The incident has not been contained. On June 8")
    (r,) = deadline.append_finding(_text_report(text, {"filed": "2026-06-30"}), ["8-K"]).results
    assert r.status == "met" and "Attorney General" in r.basis


@pytest.mark.parametrize("said, shown", [
    ("On December 26, 2025, the Company determined that the incident is material.", "after the filing date"),
    ("The Company determined that the incident is material.", "--determined-on"),
])
def test_the_terminal_says_why_the_deadline_was_not_checked(tmp_path, capsys, said, shown) -> None:
    # the text report showed only "Filing deadline not checked: no materiality determination date", not why
    # nor what to give
    from cli_helpers import run_main
    draft = tmp_path / "draft.md"
    draft.write_text("Item 1.05 Material Cybersecurity Incidents.\n\nOn November 20, 2025, a ransomware attack "
                     f"encrypted our systems. {said}\n", encoding="utf-8")
    _, out, _ = run_main(capsys, "check", str(draft), "--no-examples", "--filed-on", "2025-12-03")
    assert shown in " ".join(out.split())


def test_the_terminal_shows_the_amendments_own_clock_note(tmp_path, capsys) -> None:
    from cli_helpers import run_main
    draft = tmp_path / "draft.md"
    draft.write_text("This Amendment No. 1 on Form 8-K/A amends the Current Report on Form 8-K.\n\nItem 1.05 Material "
                     "Cybersecurity Incidents.\n\nAs previously disclosed, on November 26, 2025, the Company "
                     "determined that the ransomware incident was material.\n", encoding="utf-8")
    _, out, _ = run_main(capsys, "check", str(draft), "--no-examples")
    assert "which the text does not date: give that day as --determined-on" in " ".join(out.split())


FCC = ("Item 1.05 Material Cybersecurity Incidents.\n\nOn June 1, 2026, the Company detected unauthorized access to "
       "customer account records. On June 3, 2026, the Company determined that the incident was material. Pursuant "
       "to Item 1.05(d) of Form 8-K, the Company delayed this disclosure after notifying the United States Secret "
       "Service and the Federal Bureau of Investigation of the breach of customer proprietary network information "
       "under 47 CFR 64.2011, and notified the Commission by correspondence submitted to EDGAR.\n")


def test_a_filing_within_the_fcc_delay_the_text_states_is_not_late() -> None:
    # Item 1.05(d): a carrier may delay up to seven business days after its CPNI notification; the guidance said
    # so, yet a filing 5 business days after the 2026-06-09 due date was an error "Filed 5 business days after"
    (r,) = deadline.append_finding(_text_report(FCC, {"filed": "2026-06-16"}), ["8-K"]).results
    assert (r.status, r.severity) == ("met", "error")
    assert "Item 1.05(d)" in r.basis and "2026-06-18" in r.basis
    assert "64.2011" in r.review and "2026-06-09" in r.review
    # past seven business days after the due date no CPNI notification (made by then) can cover it
    (late,) = deadline.append_finding(_text_report(FCC, {"filed": "2026-06-22"}), ["8-K"]).results
    assert (late.status, late.severity) == ("missing", "error") and "2026-06-18" in late.message
    # a text with no Item 1.05(d) delay is late as ever
    plain = FCC.split(" Pursuant")[0] + "\n"
    (r,) = deadline.append_finding(_text_report(plain, {"filed": "2026-06-16"}), ["8-K"]).results
    assert r.status == "missing" and "1.05(d)" not in r.message


def test_the_not_checked_note_names_the_covers_date_of_report() -> None:
    # an 8-K whose text dates no determination: the cover's "Date of Report (Date of earliest event reported)"
    # is often the determination date, and the note says so instead of only "the text states none"
    text = "On May 1, 2026, the Company detected unauthorized access. The Company determined the incident is material."
    (r,) = deadline.append_finding(_text_report(text, {"period": "2026-05-04"}), ["8-K"]).results
    assert r.status == "not_applicable" and "2026-05-04" in r.message and "--determined-on" in r.message
    (plain,) = deadline.append_finding(_text_report(text, {}), ["8-K"]).results
    assert "cover" not in plain.message and plain.message.endswith("gives no date for it.")
    undetermined = "On May 1, 2026, the Company detected unauthorized access."
    (none,) = deadline.append_finding(_text_report(undetermined, {"period": "2026-05-04"}), ["8-K"]).results
    assert "the text states none; the cover dates the earliest event reported 2026-05-04" in none.message


@pytest.mark.parametrize("said", [
    "On [Date], 2025, the Company determined that the incident is material.",
    "Following its Board meeting, the Company determined that the incident is material.",
])
def test_an_undated_determination_is_named_not_called_absent(said: str) -> None:
    # "the text states none" on a draft whose determination sentence leaves its date blank
    (r,) = deadline.append_finding(_text_report(said, {"filed": "2025-12-03"}), ["8-K"]).results
    assert r.status == "not_applicable" and "the text states none" not in r.message
    assert "gives no date" in r.message and "line 1" in r.message


def test_an_amendment_that_states_no_determination_gets_the_amendments_note() -> None:
    # "give the date the incident was determined material" on an 8-K/A: that date, given, would time the
    # amendment from the original determination (Instruction 2 runs its clock from the information's date)
    text = "Since the Original Report, the Company has restored its systems and estimates costs of $5 million."
    doc = Document(text=text, source="s.md", form="8-K/A", item="1.05", metadata={"filed": "2025-06-20"})
    (r,) = deadline.append_finding(Report(doc, "form-8k-105", "1", "t", []), ["8-K/A"]).results
    assert r.title == "Filing deadline not checked: an amendment runs on its own clock"
    assert "Instruction 2" in r.message and "determined material (--determined-on" not in r.message


def test_a_given_date_the_text_contradicts_is_marked_for_review() -> None:
    # the given date wins, but a draft dating the determination otherwise was passed in silence
    (r,) = deadline.append_finding(_text_report(CCLD, {"determined_on": "2026-03-23", "filed": "2026-03-27"}),
                                   ["8-K"]).results
    assert r.status == "met" and "2026-03-24" in r.review and "2026-03-23" in r.review
    (late,) = deadline.append_finding(_text_report(CCLD, {"determined_on": "2026-03-20", "filed": "2026-03-27"}),
                                      ["8-K"]).results
    assert late.status == "missing" and "2026-03-24" in late.message
    (same,) = deadline.append_finding(_text_report(CCLD, {"determined_on": "2026-03-24", "filed": "2026-03-27"}),
                                      ["8-K"]).results
    assert same.status == "met" and not same.review


def test_a_determination_stated_elsewhere_in_the_8k_is_read_when_the_section_states_none() -> None:
    # an 8-K whose Item 7.01 says "on November 26, 2025, it determined that the ransomware incident is material"
    # while its Item 1.05 dates no determination: "the text states none"
    from checker.model import Section
    body = ("Item 1.05 Material Cybersecurity Incidents.\n\nOn November 20, 2025, a ransomware attack halted "
            "production.\n\n")
    other = ("Item 7.01 Regulation FD Disclosure.\n\nOn December 1, 2025, the Company issued a press release "
             "announcing that, on November 26, 2025, it determined that the ransomware incident is material.\n")
    doc = Document(text=body + other, source="s.txt", form="8-K", item="1.05", metadata={"filed": "2025-12-03"},
                   section=Section(0, len(body), "Item 1.05 Material Cybersecurity Incidents.", "1.05", "heading"))
    (r,) = deadline.append_finding(Report(doc, "form-8k-105", "1", "t", []), ["8-K"]).results
    assert r.status == "met" and r.title.startswith("Filing deadline: determined 2025-11-26 (read from the text")


def test_an_unfiled_drafts_note_gives_the_delays_the_text_states() -> None:
    # "File by 5:30 p.m. ET on 2026-06-11." only, on a draft stating the Attorney General's delay to 2026-07-11
    (r,) = deadline.append_finding(_text_report(AG, {}), ["8-K"]).results
    assert r.status == "not_applicable" and "2026-06-11" in r.message and "2026-07-11" in r.message
    (c,) = deadline.append_finding(_text_report(FCC, {}), ["8-K"]).results
    assert "2026-06-09" in c.message and "2026-06-18" in c.message and "Item 1.05(d)" in c.message


@pytest.mark.parametrize("said", [
    "In accordance with the Attorney General's determination under Item 1.05(c) that disclosure would pose a "
    "substantial risk to national security, the Company delayed this filing.",
    "The Company delayed this report in reliance on the U.S. Attorney General’s written determination that "
    "disclosure posed a substantial risk to public safety.",
])
def test_the_attorney_generals_determination_in_the_possessive_is_a_delay(said: str) -> None:
    # "Filed 12 business days after the deadline", an error, on a filing within the delay the text states
    text = AG.split(" On June 8")[0] + " " + said + "\n"
    (r,) = deadline.append_finding(_text_report(text, {"filed": "2026-06-30"}), ["8-K"]).results
    assert r.status == "met" and "Attorney General" in r.basis


@pytest.mark.parametrize("said", [
    # AT&T's 8-K of July 2024, as the Department of Justice acts for the Attorney General under Item 1.05(c)
    "On June 8, 2026, the U.S. Department of Justice determined that, under Item 1.05(c) of Form 8-K, a delay in "
    "providing public disclosure was warranted.",
    "On June 8, 2026, the Department of Justice (\"DOJ\") granted the Company's request for a delay of disclosure "
    "under Item 1.05(c).",
    "The Attorney General granted a delay of this report under Item 1.05(c) of Form 8-K.",
])
def test_the_department_of_justice_granting_the_delay_is_the_attorney_generals_delay(said: str) -> None:
    """A late 8-K whose text said the DOJ had determined a delay warranted under Item 1.05(c) was "Filed 12 business
    days after the deadline" (an error): the DOJ makes the Attorney General's determination."""
    text = AG.split(" On June 8")[0] + " " + said + "\n"
    (r,) = deadline.append_finding(_text_report(text, {"filed": "2026-06-30"}), ["8-K"]).results
    assert r.status == "met" and "Attorney General" in r.basis, said


ATT = ("On June 8, 2026, and again on July 7, 2026, the U.S. Department of Justice determined that, under Item "
       "1.05(c) of Form 8-K, a delay in providing public disclosure was warranted.")


def test_a_second_delay_the_text_states_runs_to_sixty_days() -> None:
    """AT&T's 8-K (July 2024) states two DOJ determinations ("On May 9, 2024, and again on June 5, 2024"); filed
    within the second delay it was late, "after ... the end of the first 30-day Attorney General delay". A further
    delay the sentence states now runs to 60 days after the due date (2026-06-11 + 60 = 2026-08-10)."""
    text = AG.split(" On June 8")[0] + " " + ATT + "\n"
    (r,) = deadline.append_finding(_text_report(text, {"filed": "2026-08-05"}), ["8-K"]).results
    assert (r.status, r.severity) == ("met", "error"), r.message
    assert "the 2 delays" in r.basis and "60 days to 2026-08-10" in r.basis
    (late,) = deadline.append_finding(_text_report(text, {"filed": "2026-08-20"}), ["8-K"]).results
    assert late.status == "missing"
    assert "after 2026-08-10, the end of the second" in late.message and "2026-10-09" in late.message
    assert "a second delay runs" not in late.message
    (pending,) = deadline.append_finding(_text_report(text, {}), ["8-K"]).results
    assert "2 delays under Item 1.05(c) the text states" in pending.message and "2026-08-10" in pending.message
    # the first delay's sentence promising further information states one delay, not two
    once = AG.replace("in writing.", "in writing, and the Company will provide further information.")
    (one,) = deadline.append_finding(_text_report(once, {"filed": "2026-08-05"}), ["8-K"]).results
    assert one.status == "missing" and "end of the first 30-day" in one.message


@pytest.mark.parametrize("said", [
    "The Company requested a delay from the Department of Justice under Item 1.05(c).",
    "The Department of Justice has not granted the Company's request for a delay under Item 1.05(c).",
    "The Department of Justice declined to determine that a delay under Item 1.05(c) was warranted.",
    "The Company notified the Department of Justice of the incident and is cooperating with its investigation.",
    "The DOJ informed the Company that no delay was warranted.",
])
def test_a_request_to_the_department_of_justice_or_its_refusal_is_no_delay(said: str) -> None:
    text = AG.split(" On June 8")[0] + " " + said + "\n"
    (r,) = deadline.append_finding(_text_report(text, {"filed": "2026-06-30"}), ["8-K"]).results
    assert r.status == "missing" and "Attorney General" not in r.message, said


def test_a_house_pack_naming_its_form_8k_still_gets_the_filing_deadline(tmp_path):
    """A house 8-K pack whose applies_to says `form: 8k` (as --form accepts it) matched no 8-K: its reports had
    no filing-deadline finding at all, so a late filing passed unremarked. The form is read as EDGAR writes it."""
    from checker.api import check

    house = tmp_path / "house-8k.yaml"
    house.write_text("pack: house-8k\ntitle: House 8-K\nversion: 0.0.1\nextends: form-8k-105\n"
                     "applies_to:\n  - {form: 8k, item: '1.05'}\n", encoding="utf-8")
    sample = json.loads((Path(__file__).resolve().parents[1] / "samples" / "ccld-2026-8k-105.json")
                        .read_text(encoding="utf-8"))
    report = check(sample["body_markdown"], pack=house, form="8-K",
                   metadata={"filed": "2026-04-10"})  # 12 business days after the determination
    deadline_ = [r for r in report.results if r.rule == deadline.RULE_ID]
    assert len(deadline_) == 1 and deadline_[0].status == "missing"


def test_a_late_filing_is_told_as_not_met_not_as_missing():
    """Read aloud, "MISSING 8K-GI-B1-DEADLINE Filing deadline: ... filed 2026-04-10" said the deadline was absent;
    a failed check that is no element of the disclosure is "NOT MET" (terminal) and "Not met" (HTML, Markdown)."""
    from checker.api import check
    from checker.report import markdown_out, text_out

    sample = json.loads((Path(__file__).resolve().parents[1] / "samples" / "ccld-2026-8k-105.json")
                        .read_text(encoding="utf-8"))
    report = check(sample["body_markdown"], pack="form-8k-105", form="8-K", metadata={"filed": "2026-04-10"})
    line = next(ln for ln in text_out.render([report], width=120).splitlines() if deadline.RULE_ID in ln)
    assert line.split()[:3] == ["NOT", "MET", deadline.RULE_ID]
    row = next(ln for ln in markdown_out.render([report]).splitlines() if f"`{deadline.RULE_ID}`" in ln)
    assert row.startswith("| ❌ Not met (error) |")


def test_the_deadline_is_found_once_in_a_joint_run_in_the_content_packs_report() -> None:
    # An inline XBRL 8-K with cyd tags gets the content pack's report and the cyd-tags one: a late filing was
    # one error in each (two SARIF alerts, "3 errors" where the filing had two); the tag report checks tags.
    from checker import Checker

    doc = Document(text=CCLD, source="s.md", form="8-K", item="1.05",
                   metadata={"determined_on": "2026-03-01", "filed_on": "2026-03-27"})
    checker = Checker()
    rules = {pack: [r.rule for r in checker.check_document(doc, pack).results]
             for pack in ("form-8k-105", "cyd-tags")}
    assert deadline.RULE_ID in rules["form-8k-105"]
    assert deadline.RULE_ID not in rules["cyd-tags"]
