"""The Form 8-K filing deadline: four business days after the materiality determination (Gen. Instr. B.1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from zoneinfo import ZoneInfo

import regex

from .determination import determinations
from .locations import Finder
from .model import CheckerError, Document, Report, Result

RULE_ID = "8K-GI-B1-DEADLINE"
CITATION = "Form 8-K Gen. Instr. B.1; Item 1.05(a); Reg S-T Rules 11, 13(a)(2) (17 CFR 232.11, 232.13)"
BUSINESS_DAYS = 4
EASTERN = ZoneInfo("America/New_York")
CUTOFF = dt.time(17, 30)  # a submission begun after 5:30 p.m. ET is filed the next business day
FORMS = frozenset({"8-K", "8-K/A"})
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_DATE = regex.compile(r"\b(?P<month>" + "|".join(_MONTHS) + r")\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})\b",
                      regex.IGNORECASE)
# Item 1.05(c): the Attorney General's determination that disclosure poses a substantial risk to national
# security or public safety, as a filing states it ("the Attorney General determined ... national security");
# a request to the Attorney General, or a delay that may come, extends nothing (C&DIs 104B.01-.04).
_AG_DELAY = regex.compile(
    r"\bAttorney\s+General\W+(?:has\s+|had\s+)?(?:determined|found|concluded|notified|informed)\b"
    r"[^;\n]{0,240}?\b(?:national\s+security|public\s+safety)\b"
    r"|\bdetermination\s+(?:of|by)\s+the\s+(?:U\.\s*S\.\s+|United\s+States\s+)?Attorney\s+General\b"
    r"[^;\n]{0,240}?\b(?:national\s+security|public\s+safety)\b", regex.IGNORECASE)
AG_DELAYS = (30, 60, 120)  # days after the due date: a first delay, a second, a final (national security)
YEARS = (1900, 2199)  # dates outside these years are refused (9999-12-28 overflowed the arithmetic)


@cache
def _federal(year: int, executive_orders: bool) -> frozenset[dt.date]:
    # "public" = the 5 U.S.C. 6103(a) holidays with their observed days; "government" adds the
    # closures ordered by the President (Christmas Eve, days of mourning) that also close the SEC.
    import holidays  # imported on first use: most checks have no 8-K deadline to count

    categories = ("public", "government") if executive_orders else ("public",)
    return frozenset(holidays.US(years=year, categories=categories, observed=True))


@dataclass(frozen=True)
class BusinessCalendar:
    """EDGAR business days: not a weekend, not a US federal holiday, not a listed SEC closure.

    `executive_orders` also closes the days the `holidays` library lists as federal government
    closures by executive order; `closures` adds ad-hoc SEC closures (confirm each one against the
    SEC's announcement). Fewer closed days give an earlier, more cautious due date.
    """

    closures: frozenset[dt.date] = field(default_factory=frozenset)
    executive_orders: bool = False

    def is_business_day(self, day: dt.date) -> bool:
        if day.weekday() >= 5 or day in self.closures:
            return False
        return day not in _federal(day.year, self.executive_orders)

    def next_business_day(self, day: dt.date) -> dt.date:
        """The first business day strictly after `day`."""
        day += dt.timedelta(days=1)
        while not self.is_business_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_business_days(self, day: dt.date, count: int) -> dt.date:
        for _ in range(count):
            day = self.next_business_day(day)
        return day

    def business_days_between(self, start: dt.date, end: dt.date) -> int:
        """Business days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.business_days_between(end, start)
        n, day = 0, start
        while day < end:
            day = self.next_business_day(day)
            if day <= end:
                n += 1
        return n


def due_date(determined: dt.date, calendar: BusinessCalendar | None = None) -> dt.date:
    """Four business days after the determination (Day 0).

    When Day 0 is not a business day the period "shall begin to run on, and include, the first
    business day thereafter" (Gen. Instr. B.1): that day is day 1, which is what counting four
    business days from the determination date gives in both cases.
    """
    return (calendar or BusinessCalendar()).add_business_days(determined, BUSINESS_DAYS)


def filing_day(filed: dt.date | dt.datetime, calendar: BusinessCalendar | None = None) -> dt.date:
    """The EDGAR filing date of a submission: one begun after 5:30 p.m. ET, or on a closed day, moves on."""
    cal = calendar or BusinessCalendar()
    if isinstance(filed, dt.datetime):
        local = filed.astimezone(EASTERN) if filed.tzinfo else filed
        if local.time() > CUTOFF:
            return cal.next_business_day(local.date())
        filed = local.date()
    return filed if cal.is_business_day(filed) else cal.next_business_day(filed)


def moved_because(submitted: dt.date | dt.datetime, filed: dt.date) -> str:
    """Why EDGAR's filing date is not the day of the submission ("" when it is): after the cutoff, or a day
    EDGAR is closed."""
    day = as_day(submitted)
    if filed == day:
        return ""
    if isinstance(submitted, dt.datetime):
        local = submitted.astimezone(EASTERN) if submitted.tzinfo else submitted
        if local.time() > CUTOFF:
            return f"submitted {day.isoformat()} after 5:30 p.m. ET"
    return f"submitted {day.isoformat()}, a day EDGAR is closed"


def parse_date(value: object, name: str, source: str | None = None) -> dt.date | dt.datetime:
    """An ISO date (2025-11-26) or date-time (2025-11-26T18:05, with or without offset)."""
    if isinstance(value, dt.datetime | dt.date):
        return value
    text = str(value).strip()
    try:
        parsed = dt.date.fromisoformat(text) if len(text) == 10 else \
            dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        day = as_day(parsed)  # a time zone may move 0001-01-01 out of the calendar: OverflowError
    except (ValueError, OverflowError):
        raise CheckerError(f"{name}: not an ISO date (YYYY-MM-DD): {text!r}", file=source) from None
    if not YEARS[0] <= day.year <= YEARS[1]:
        # Counting business days walks the calendar: keep it to years a filing can have.
        raise CheckerError(f"{name}: the year must be between {YEARS[0]} and {YEARS[1]}: {text!r}",
                           file=source)
    return parsed


def as_day(value: dt.date | dt.datetime) -> dt.date:
    """The calendar day in New York of a date or date-time."""
    if isinstance(value, dt.datetime):
        return (value.astimezone(EASTERN) if value.tzinfo else value).date()
    return value


@dataclass(frozen=True)
class Deadline:
    determined: dt.date
    due: dt.date
    filed: dt.date | None
    late_by: int  # business days after the due date (0 when on time or not filed)
    moved: str = ""  # why the filing date is not the submission's day (moved_because), else ""

    @property
    def on_time(self) -> bool:
        return self.filed is not None and self.filed <= self.due


def assess(determined: object, filed: object | None, calendar: BusinessCalendar | None = None,
           source: str | None = None) -> Deadline:
    cal = calendar or BusinessCalendar()
    det_day = as_day(parse_date(determined, "determined_on", source))
    due = due_date(det_day, cal)
    if filed is None:
        return Deadline(det_day, due, None, 0)
    submitted = parse_date(filed, "filed_on", source)
    fday = filing_day(submitted, cal)
    if fday < det_day:
        raise CheckerError(f"the filing date {fday} (filed on) is before the materiality determination "
                           f"{det_day} (determined on): one of the two dates is wrong", file=source)
    late = cal.business_days_between(due, fday) if fday > due else 0
    return Deadline(det_day, due, fday, late, moved_because(submitted, fday))


def applies(forms: Iterable[str]) -> bool:
    return any(f.upper() in FORMS for f in forms)


GUIDANCE = ("Count four business days from the day the registrant determined the incident material "
            "(weekends and US federal holidays excluded; a determination on a non-business day starts "
            "the count on the next business day) and file by 5:30 p.m. ET that day. A late Item 1.05 "
            "8-K does not by itself breach Rule 10b-5 or cost Form S-3 eligibility, but file it "
            "without further delay; only an Attorney General determination under Item 1.05(c) or "
            "the FCC rule in Item 1.05(d) extends the deadline.")


def finding(deadline: Deadline, read_from: str = "", delayed_at: str = "") -> Result:
    """The deadline as a Result: met when on time, a missing error when late, info when not yet filed.
    `read_from` says where the determination date came from when it was not given ("line 11"); `delayed_at`
    where the text states an Attorney General delay under Item 1.05(c)."""
    d = deadline
    source = f" (read from the text, {read_from})" if read_from else ""
    moved = f" ({d.moved}: EDGAR's next business day)" if d.moved else ""
    filed = f"filed {d.filed.isoformat()}{moved}" if d.filed else "no filing date given"
    title = f"Filing deadline: determined {d.determined}{source}, due {d.due}, {filed}"
    guidance = GUIDANCE
    if d.filed is None:
        return Result(RULE_ID, None, title, "not_applicable", "info", CITATION,
                      f"File by 5:30 p.m. ET on {d.due.isoformat()}.", guidance)
    if d.on_time:
        basis = (f"Filed {d.filed.isoformat()}, on or before {d.due.isoformat()}: four business days after "
                 f"the materiality determination of {d.determined.isoformat()}.")
        return Result(RULE_ID, None, title, "met", "error", CITATION, "Filed on time.", guidance, basis=basis)
    days = "day" if d.late_by == 1 else "days"
    late = f"Filed {d.late_by} business {days} after the {d.due.isoformat()} deadline"
    if delayed_at:
        return _delayed(d, title, late, delayed_at)
    return Result(RULE_ID, None, title, "missing", "error", CITATION, f"{late}.", guidance)


def _delayed(d: Deadline, title: str, late: str, delayed_at: str) -> Result:
    """A late filing whose text states an Attorney General delay (Item 1.05(c)): met within its first 30 days,
    marked for review; else late, with the dates a further delay would run to."""
    first, second, final = (d.due + dt.timedelta(days=n) for n in AG_DELAYS)
    assert d.filed is not None
    if d.filed <= first:
        basis = (f"Filed {d.filed.isoformat()}, after the {d.due.isoformat()} deadline but within the 30 "
                 f"days to {first.isoformat()} of the Attorney General delay under Item 1.05(c) the text "
                 f"states ({delayed_at}).")
        return Result(RULE_ID, None, title, "met", "error", CITATION, "Filed within the Attorney General's "
                      "delay.", GUIDANCE, basis=basis,
                      review="Confirm that the Attorney General's written notice to the Commission covers "
                             "the filing date: a request alone extends nothing.")
    return Result(RULE_ID, None, title, "missing", "error", CITATION,
                  f"{late}, and after {first.isoformat()}, the end of the first 30-day Attorney General "
                  f"delay under Item 1.05(c) the text states ({delayed_at}). A later filing needs the "
                  f"Attorney General's further written notice (a second delay runs to {second.isoformat()}; "
                  f"a final one, for national security only, to {final.isoformat()}): if one was given, "
                  "say so in the text; else file without further delay.", GUIDANCE)


def attorney_general_delay(doc: Document) -> int | None:
    """Where the checked text states the Attorney General's determination delaying it (Item 1.05(c))."""
    m = _AG_DELAY.search(doc.text, *doc.span)
    return m.start() if m else None


def determination_in_text(doc: Document) -> tuple[dt.date, int] | None:
    """The materiality determination date the checked text states, and its offset: the date nearest the verb
    in the first sentence saying the company determined something material that has a date ("On March 24,
    2026, the Company determined that the incident is material")."""
    for d in determinations(doc.text, *doc.span):
        dates = list(_DATE.finditer(doc.text, d.start, d.end))
        if dates:
            m = min(dates, key=lambda m: abs(m.start() - d.verb))
            month = _MONTHS.index(m.group("month").lower()) + 1
            try:
                day = dt.date(int(m.group("year")), month, int(m.group("day")))
            except ValueError:
                continue
            return day, m.start()
    return None


def not_checked() -> Result:
    """The note on an 8-K report whose determination date is neither given nor stated in the text."""
    return Result(RULE_ID, None, "Filing deadline not checked: no materiality determination date",
                  "not_applicable", "info", CITATION,
                  "The deadline was not checked: give the date the incident was determined material "
                  "(--determined-on, or determined_on in a JSON record); the text states none.", GUIDANCE)


def amendment_not_checked(line: str) -> Result:
    """The note on an 8-K/A whose text recites the original determination: not the amendment's start."""
    return Result(RULE_ID, None, "Filing deadline not checked: an amendment runs on its own clock",
                  "not_applicable", "info", CITATION,
                  f"The text states a materiality determination ({line}), but an 8-K/A that adds what was "
                  "not determined or available at first is due four business days after that information is "
                  "determined or becomes available (Item 1.05, Instruction 2), which the text does not date: "
                  "give that day as --determined-on (determined_on in a JSON record) to check it.", GUIDANCE)


def append_finding(report: Report, forms: Iterable[str], calendar: BusinessCalendar | None = None) -> Report:
    """Add the deadline finding to an 8-K report: from the determination date given with the document,
    else the one the text states, else a note that the deadline was not checked.

    The filing date is `filed_on`, else the record's own filing date (`filed`).
    """
    doc = report.document
    if not applies(forms) or (doc.form and doc.form.upper() not in FORMS):
        return report  # a pack for several forms (cyd-tags) checking a 10-K has no 8-K deadline
    meta = doc.metadata
    filed = meta.get("filed_on") or meta.get("filed")
    finder = Finder(doc)  # places told as the evidence's are ("para. 3"), the paragraphs found once
    delay = attorney_general_delay(doc)
    delayed_at = finder.locate(delay).describe() if delay is not None else ""
    if meta.get("determined_on"):
        report.results.append(finding(assess(meta["determined_on"], filed, calendar, doc.source),
                                      delayed_at=delayed_at))
        return report
    stated = determination_in_text(doc)
    if stated is None:
        report.results.append(not_checked())
        return report
    day, offset = stated
    where = finder.locate(offset).describe()
    if (doc.form or "").upper().endswith("/A"):
        report.results.append(amendment_not_checked(where))
        return report
    try:
        deadline = assess(day, filed, calendar, doc.source)
    except CheckerError:  # a filing date before the stated determination: the text's date is not the one
        report.results.append(not_checked())
        return report
    report.results.append(finding(deadline, where, delayed_at))
    return report
