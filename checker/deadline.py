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
from .model import CheckerError, Document, Evidence, Report, Result
from .segment import paragraphs, sentence_spans

RULE_ID = "8K-GI-B1-DEADLINE"
CITATION = "Form 8-K Gen. Instr. B.1; Item 1.05(a); Reg S-T Rules 11, 13(a)(2) (17 CFR 232.11, 232.13)"
BUSINESS_DAYS = 4
EASTERN = ZoneInfo("America/New_York")
CUTOFF = dt.time(17, 30)  # a submission begun after 5:30 p.m. ET is filed the next business day
FORMS = frozenset({"8-K", "8-K/A"})
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# A month as filers write it: "November", "Nov.", "Nov", "Sept."
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_ORDINAL = r"(?:st|nd|rd|th)?"
# A date as filers write it: "November 26, 2025", "November 26th, 2025", "Nov. 26, 2025", "26 November 2025",
# "26th of November, 2025", "11/26/2025"; "November 26" alone has no year (group year is None).
_DATE = regex.compile(
    rf"\b(?:(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}){_ORDINAL}(?:,?\s+(?P<year>\d{{4}}))?"
    rf"|(?P<day>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?(?P<month>{_MONTH}),?\s+(?P<year>\d{{4}})"
    rf"|(?P<number>\d{{1,2}})/(?P<day>\d{{1,2}})/(?P<year>\d{{4}}))(?!\w)", regex.IGNORECASE)
# A date the incident's own events carry, not the determination ("the access discovered on November 20,
# 2025", "which it first detected on", "the attack that began on or about", "the Form 8-K filed on"), or a
# period's end ("the quarter ended September 30, 2025"): a few words after the verb, in its clause, none the
# determination's.
_EVENT_DATE = regex.compile(
    r"(?i)\b(?:discover|detect|identif|observ|occur|began|begun|start|commenc|notic|learn|became\s+aware"
    r"|experienc|launch|gain|deploy|encrypt|access|filed|report|disclos|announc|ended|ending|dated)\w*"
    r"(?:\s+(?!determin|conclu|deem|(?:and|but|then|while|later|thereafter|subsequently)\b)[\w.]+){0,4}\s+$")
# An approximate date ("on or about November 26, 2025"): the clock runs from the exact day.
_APPROXIMATE = regex.compile(r"(?i)\b(?:(?:on|in)\s+or\s+(?:about|around)|about|approximately|around)\s+$")
LOOK_BEFORE = 80  # characters before a date read for its event's verb or its hedge
# A determination dated by the sentence before it: "The Board met on November 10, 2026. At that meeting, it
# determined that the incident is material."
_ANAPHOR = regex.compile(r"(?i)\b(?:at|during|in|on|following|after)\s+(?:that|such|the|this)\s+"
                         r"(?:special\s+)?(?:meeting|date|day|call)\b|\bthe\s+same\s+day\b"
                         r"|\bthat\s+(?:day|date|evening|night)\b")
# The incident's discovery, as a filing dates it ("On September 29, 2026, the Company detected ...").
_DISCOVERY = regex.compile(r"(?i)\b(?:discover(?:ed|y)|detect(?:ed|ion)|identified|became\s+aware"
                           r"|first\s+learned)\b")
# Business days from discovery to determination past which Instruction 1's "without unreasonable delay" is
# worth a word (regulation-notes §7: "Discovery-to-determination > N business days (configurable, e.g. 10)").
DISCOVERY_TO_DETERMINATION = 10
# The weekday a text names with a date ("Tuesday, November 11, 2026"), read just before it.
_WEEKDAY = regex.compile(r"(?i)\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\W{0,3}$")
WEEKDAY_BEFORE = 14
# Item 1.05(c): the Attorney General's determination that disclosure poses a substantial risk to national
# security or public safety, as a filing states it ("the Attorney General determined ... national security");
# a request to the Attorney General, or a delay that may come, extends nothing (C&DIs 104B.01-.04).
_AG_DELAY = regex.compile(
    r"\bAttorney\s+General\W+(?:has\s+|had\s+)?(?:determined|found|concluded|notified|informed)\b"
    r"[^;\n]{0,240}?\b(?:national\s+security|public\s+safety)\b"
    # ... the delay granted, by the Attorney General or by the Department of Justice acting for it (AT&T's
    # 8-K of July 2024: "the U.S. Department of Justice determined that, under Item 1.05(c) of Form 8-K, a
    # delay in providing public disclosure was warranted")
    r"|\b(?:Attorney\s+General|(?:U\.\s*S\.\s+|United\s+States\s+)?Department\s+of\s+Justice|DOJ)\W+"
    r"(?:\([^)]{0,20}\)\W+)?(?:has\s+|had\s+)?(?:determined|found|concluded|granted|approved|authori[sz]ed)\b"
    r"[^;\n]{0,240}?(?:\bItem\s*1\.05\s*\(c\)|\bdelay\w*\b[^;\n]{0,120}?\b(?:warranted|granted|Item\s*1\.05)"
    r"|\b(?:national\s+security|public\s+safety)\b)"
    r"|\b(?:determination\s+(?:of|by)\s+the\s+(?:U\.\s*S\.\s+|United\s+States\s+)?Attorney\s+General\b"
    r"|Attorney\s+General[’']s\s+(?:written\s+)?determination\b)"
    r"[^;\n]{0,240}?\b(?:national\s+security|public\s+safety)\b", regex.IGNORECASE)
# A statement of no such determination or delay: "did not pose a substantial risk", "had not determined",
# "absent a determination by the Attorney General", "declined": read in the match and the few words before it.
_REFUSED = regex.compile(r"(?i)\b(?:not|no|never|neither|nor|without|absent|unless|declin\w*"
                            r"|den(?:y|ied|ial)|refus\w*|reject\w*)\b|n[’']t\b")
REFUSAL_BEFORE = 40  # characters before a stated delay read for its refusal, in its own sentence
# A determination the company only asked for or awaits ("asked the Department of Justice to seek the Attorney
# General's determination", "pending the Attorney General's determination"): the verb in the words just before
# it, no comma between ("At the Company's request, the Attorney General determined" is a delay granted).
_REQUESTED = regex.compile(r"(?i)\b(?:request\w*|ask\w*|seek\w*|sought|petition\w*|appl(?:y|ied|ying|ication)"
                           r"|pending|await\w*|submit\w*)\b[^,]*$")
AG_DELAYS = (30, 60, 120)  # days after the due date: a first delay, a second, a final (national security)
# A further delay the text states beside the first, in the delay's own sentence (AT&T's 8-K of July 2024: "On
# May 9, 2024, and again on June 5, 2024, the U.S. Department of Justice determined ..."): a second, on the
# Attorney General's further notice; a third or final one, for national security only.
_FURTHER = regex.compile(r"(?i)\bagain\b|\b(?:second|further|additional|another)\s+(?:\w+\s+){0,2}?"
                         r"(?:delay|determination|period|notice|extension)")
_FINAL = regex.compile(r"(?i)\b(?:third|final)\s+(?:\w+\s+){0,2}?(?:delay|determination|period|notice)")
# Item 1.05(d): a carrier subject to the FCC's CPNI breach rule (47 CFR 64.2011) may delay up to seven
# business days after its notice to the Secret Service and the FBI, having told the Commission in EDGAR
# correspondence by the due date, as a filing states it ("Pursuant to Item 1.05(d) ... delayed").
_CPNI = r"(?:customer\s+proprietary\s+network\s+information|CPNI)"
_FCC_DELAY = regex.compile(
    rf"\bItem\s*1\.05\s*\(d\)|\b64\.2011\b|\b{_CPNI}\b[^.;\n]{{0,200}}?\bdelay(?:s|ed|ing)?\b"
    rf"|\bdelay(?:s|ed|ing)?\b[^.;\n]{{0,200}}?\b{_CPNI}\b", regex.IGNORECASE)
# The notice is due within seven business days after the breach is found, and the delay must be known by the
# due date: this check takes seven business days after the due date as the latest a delayed filing can fall.
FCC_DELAY = 7
YEARS = (1900, 2199)  # dates outside these years are refused (9999-12-28 overflowed the arithmetic)


@cache
def _federal(year: int, executive_orders: bool) -> dict[dt.date, str]:
    """The federal holidays of a year, each with its name (the library's last, where it gives several)."""
    # "public" = the 5 U.S.C. 6103(a) holidays with their observed days; "government" adds the
    # closures ordered by the President (Christmas Eve, days of mourning) that also close the SEC.
    import holidays  # imported on first use: most checks have no 8-K deadline to count

    categories = ("public", "government") if executive_orders else ("public",)
    return {day: name.split("; ")[-1]
            for day, name in holidays.US(years=year, categories=categories, observed=True).items()}


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

    def closed_for(self, day: dt.date) -> str:
        """Why a weekday is no business day ("Veterans Day", "an SEC closure"); "" for a business day or a
        weekend day."""
        if day.weekday() >= 5:
            return ""
        if day in self.closures:
            return "an SEC closure"
        return _federal(day.year, self.executive_orders).get(day, "")

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


def determination_day(value: dt.date | dt.datetime) -> dt.date:
    """The day a determination counts from: a time given with its offset that falls on another day in New York
    than where it was made ("2026-11-12T23:30-08:00") counts from the earlier of the two days, never a later
    due date than either calendar gives."""
    if isinstance(value, dt.datetime) and value.tzinfo:
        return min(value.date(), as_day(value))
    return as_day(value)


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
    det_day = determination_day(parse_date(determined, "determined_on", source))
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


AMENDMENT_CITATION = f"Form 8-K Item 1.05, Instruction 2; {CITATION}"
AMENDMENT_GUIDANCE = ("An 8-K/A that adds what was not determined or was unavailable when the Item 1.05 8-K "
                      "was filed is due four business days after that information is determined or becomes "
                      "available (Item 1.05, Instruction 2; weekends and US federal holidays excluded, a "
                      "non-business day starting the count on the next business day), by 5:30 p.m. ET that "
                      "day; the original materiality determination does not start its clock. Determine the "
                      "information without unreasonable delay.")


def counted(d: Deadline, calendar: BusinessCalendar | None = None) -> str:
    """What the count of four business days passed over, for a reader checking it: a determination on a day
    EDGAR is closed, and the weekday holidays and closures skipped ("" when only weekends were)."""
    cal = calendar or BusinessCalendar()
    said = []
    if not cal.is_business_day(d.determined):
        why = cal.closed_for(d.determined) or d.determined.strftime("a %A")
        said.append(f"The day counted from, {d.determined.isoformat()}, is no business day ({why}): the "
                    f"count begins on {cal.next_business_day(d.determined).isoformat()}.")
    days = (d.determined + dt.timedelta(days=n) for n in range(1, (d.due - d.determined).days))
    skipped = [f"{why}, {day.isoformat()}" for day in days if (why := cal.closed_for(day))]
    if skipped:
        said.append(f"Not counted: {'; '.join(skipped)}.")
    return " ".join(said)


def finding(deadline: Deadline, read_from: str = "", delayed_at: str = "", note: str = "",
            carrier_at: str = "", calendar: BusinessCalendar | None = None,
            amendment: bool = False, delays: int = 1) -> Result:
    """The deadline as a Result: met when on time, a missing error when late, info when not yet filed.
    `read_from` says where the determination date came from when it was not given ("line 11"); `delayed_at`
    where the text states an Attorney General delay under Item 1.05(c) (`delays` of them), `carrier_at` a
    carrier's under Item
    1.05(d) (its seven business days counted on `calendar`); `note` what to confirm about the date (an
    approximate one, or one the text gives otherwise): a met verdict is then marked for review. With
    `amendment` (an 8-K/A under Instruction 2), the date counted from is the day the information it adds was
    determined or became available, and the finding says so."""
    d = deadline
    source = f" (read from the text, {read_from})" if read_from else ""
    moved = f" ({d.moved}: EDGAR's next business day)" if d.moved else ""
    filed = f"filed {d.filed.isoformat()}{moved}" if d.filed else "no filing date given"
    start = "information determined or available" if amendment else "determined"
    title = f"Filing deadline: {start} {d.determined}{source}, due {d.due}, {filed}"
    guidance = AMENDMENT_GUIDANCE if amendment else GUIDANCE
    citation = AMENDMENT_CITATION if amendment else CITATION
    counted_from = (f"the day the information it adds was determined or became available, {d.determined}"
                    if amendment else f"the materiality determination of {d.determined}")
    if d.filed is None:
        last = d.due + dt.timedelta(days=AG_DELAYS[delays - 1])
        stated = "delay" if delays == 1 else f"{delays} delays"
        allowed = (f"The Attorney General's {stated} under Item 1.05(c) the text states ({delayed_at}) allow"
                   f"{'s' if delays == 1 else ''} up to {last.isoformat()}." if delayed_at else "",
                  f"The Item 1.05(d) delay the text states ({carrier_at}) runs seven business days after the "
                  f"notice under 47 CFR 64.2011(b), at the latest to {_carrier_end(d, calendar).isoformat()}."
                  if carrier_at else "")
        due = _joined(f"File by 5:30 p.m. ET on {d.due.isoformat()}.", counted(d, calendar), *allowed, note)
        return Result(RULE_ID, None, title, "not_applicable", "info", citation, due, guidance, basis=due)
    if d.on_time:
        basis = (f"Filed {d.filed.isoformat()}, on or before {d.due.isoformat()}: four business days after "
                 f"{counted_from}.")
        basis = _joined(basis, counted(d, calendar))
        return Result(RULE_ID, None, title, "met", "error", citation, "Filed on time.", guidance, basis=basis,
                      review=note)
    days = "day" if d.late_by == 1 else "days"
    late = f"Filed {d.late_by} business {days} after the {d.due.isoformat()} deadline"
    if delayed_at:
        return _delayed(d, title, late, delayed_at, note, delays)
    if carrier_at:
        return _carrier_delayed(d, title, late, carrier_at, note, calendar)
    return Result(RULE_ID, None, title, "missing", "error", citation,
                  _joined(f"{late}.", counted(d, calendar), note), guidance)


def _joined(*sentences: str) -> str:
    """The sentences given, the empty ones left out."""
    return " ".join(s for s in sentences if s)


_DELAY_NAMES = ("the first 30-day", "the second, 60 days after the due date,",
                "the final, 120 days after the due date,")


def _delayed(d: Deadline, title: str, late: str, delayed_at: str, note: str = "", delays: int = 1) -> Result:
    """A late filing whose text states `delays` Attorney General delays (Item 1.05(c)): met within the last
    one's end (30, 60 or 120 days after the due date), marked for review; else late, with the dates a further
    delay would run to. `note` (what to confirm about the determination date) is added to either."""
    ends = [d.due + dt.timedelta(days=n) for n in AG_DELAYS]
    end = ends[delays - 1]
    assert d.filed is not None
    stated = "the delay" if delays == 1 else f"the {delays} delays"
    if d.filed <= end:
        basis = (f"Filed {d.filed.isoformat()}, after the {d.due.isoformat()} deadline but within the "
                 f"{AG_DELAYS[delays - 1]} days to {end.isoformat()} of {stated} under Item 1.05(c) the text "
                 f"states of the Attorney General ({delayed_at}).")
        return Result(RULE_ID, None, title, "met", "error", CITATION, "Filed within the Attorney General's "
                      "delay.", GUIDANCE, basis=basis,
                      review=_joined("Confirm that the Attorney General's written notice to the Commission "
                                     "covers the filing date: a request alone extends nothing.", note))
    further = [f"a second delay runs to {ends[1].isoformat()}"] if delays < 2 else []
    further += [f"a final one, for national security only, to {ends[2].isoformat()}"] if delays < 3 else []
    needs = (f" A later filing needs the Attorney General's further written notice ({'; '.join(further)}): "
             "if one was given, say so in the text; else file without further delay." if further else
             " No delay runs further: file without further delay.")
    return Result(RULE_ID, None, title, "missing", "error", CITATION, _joined(
                  f"{late}, and after {end.isoformat()}, the end of {_DELAY_NAMES[delays - 1]} Attorney "
                  f"General delay under Item 1.05(c) the text states ({delayed_at}).{needs}", note), GUIDANCE)


def _stated(pattern: regex.Pattern, doc: Document, requested: bool = False) -> int | None:
    """Where the checked text first states what `pattern` finds, not as a refusal or denial of it ("the
    Attorney General informed the Company that disclosure did not pose a substantial risk"), nor, with
    `requested`, as what the company only asked for or awaits."""
    text = doc.text
    for m in pattern.finditer(text, *doc.span):
        before = max(doc.span[0], m.start() - REFUSAL_BEFORE)
        before = max(before, *(text.rfind(end, before, m.start()) + 1 for end in (". ", ";", "\n")))
        if not _REFUSED.search(text, before, m.end()) and \
                not (requested and _REQUESTED.search(text, before, m.start())):
            return m.start()
    return None


def _carrier_end(d: Deadline, calendar: BusinessCalendar | None) -> dt.date:
    """The latest day an Item 1.05(d) delay can reach: seven business days after the due date."""
    return (calendar or BusinessCalendar()).add_business_days(d.due, FCC_DELAY)


def _carrier_delayed(d: Deadline, title: str, late: str, carrier_at: str, note: str,
                     calendar: BusinessCalendar | None) -> Result:
    """A late filing whose text states a carrier's delay under Item 1.05(d): met, marked for review, within
    seven business days after the due date (the latest its CPNI notice can leave it); else late."""
    end = _carrier_end(d, calendar)
    assert d.filed is not None
    if d.filed <= end:
        basis = (f"Filed {d.filed.isoformat()}, after the {d.due.isoformat()} deadline but by "
                 f"{end.isoformat()}, seven business days after it, under the Item 1.05(d) delay the text "
                 f"states ({carrier_at}).")
        review = ("Confirm that the filing is within seven business days after the notice to the Secret "
                  "Service and the FBI under 47 CFR 64.2011(b), and that the Commission was told of the "
                  f"delay in EDGAR correspondence by {d.due.isoformat()}.")
        return Result(RULE_ID, None, title, "met", "error", CITATION, "Filed within the Item 1.05(d) delay.",
                      GUIDANCE, basis=basis, review=_joined(review, note))
    return Result(RULE_ID, None, title, "missing", "error", CITATION, _joined(
                  f"{late}, and after {end.isoformat()}, seven business days after it, past any Item 1.05(d) "
                  f"delay the text states ({carrier_at}): file without further delay.", note), GUIDANCE)


def attorney_general_delay(doc: Document) -> int | None:
    """Where the checked text states the Attorney General's determination delaying it (Item 1.05(c)), not its
    refusal nor a request for it."""
    return _stated(_AG_DELAY, doc, requested=True)


def delays_stated(finder: Finder, at: int) -> int:
    """How many of Item 1.05(c)'s delays the sentence stating one at `at` gives: a third or final one, a
    further one ("and again on June 5"), else the first."""
    a, b = _sentence_at(finder, at) or (at, at)
    sentence = finder.doc.text[a:b]
    return 3 if _FINAL.search(sentence) else 2 if _FURTHER.search(sentence) else 1


def carrier_delay(doc: Document) -> int | None:
    """Where the checked text states a carrier's delay under Item 1.05(d) (the FCC's CPNI breach rule)."""
    return _stated(_FCC_DELAY, doc)


@dataclass(frozen=True)
class Stated:
    """A materiality determination the text dates: its day (None when the date gives no year and no filing
    date tells it), where the date stands, and the hedge that makes it approximate ("on or about"), if any."""

    day: dt.date | None
    offset: int
    written: str  # the date as the text writes it
    approximate: str = ""
    weekday: str = ""  # the weekday the text names with the date, where the date falls on another


def weekday_note(stated: Stated, where: str) -> str:
    """What to confirm when the text names the determination date with a weekday it does not fall on ("" when
    it names none, or the right one)."""
    if not stated.weekday or stated.day is None:
        return ""
    return (f"The text calls the determination date a {stated.weekday} (\"{stated.weekday}, "
            f"{stated.written}\", {where}), but {stated.day.isoformat()} is a {stated.day.strftime('%A')}: "
            "confirm the day, from which the four business days run.")


def cover_note(period: object, determined: dt.date) -> str:
    """What to confirm when the cover's date of report (the earliest event reported) is later than the
    determination the report dates ("" when it is not, or the cover gives no date)."""
    try:
        cover = dt.date.fromisoformat(str(period)) if period else None
    except ValueError:
        return ""
    if cover is None or cover <= determined:
        return ""
    return (f"The cover's date of report (date of earliest event reported), {cover.isoformat()}, is later "
            f"than the materiality determination of {determined.isoformat()}: the earliest event an Item "
            "1.05 8-K reports is no later than the determination; make the cover and the text agree.")


def approximate_note(stated: Stated, where: str) -> str:
    """What to confirm about a determination date the text gives only approximately ("on or about")."""
    assert stated.day is not None
    return (f"The text dates the determination only \"{stated.approximate}\" {stated.day.isoformat()} "
            f"({where}): confirm the exact day, from which the four business days run, and give it as "
            "--determined-on.")


def disagreement_note(given: dt.date, stated: Stated, where: str) -> str:
    """What to confirm when the text dates the determination otherwise than the date given."""
    assert stated.day is not None
    return (f"The text dates the determination {stated.day.isoformat()} ({where}), not {given.isoformat()} "
            "as given: make the text and the date agree before filing.")


def _day(m: regex.Match, filed: dt.date | None) -> dt.date | None:
    """The calendar day a date match names; a date without a year takes the latest such day on or before
    the filing date (None without one); None for a day no calendar has (February 30)."""
    month = int(m.group("number")) if m.group("number") else _MONTHS.index(m.group("month")[:3].lower()) + 1
    years = [int(m.group("year"))] if m.group("year") else \
        [filed.year, filed.year - 1] if filed is not None else []
    for year in years:
        try:
            day = dt.date(year, month, int(m.group("day")))
        except ValueError:
            return None
        if m.group("year") or filed is None or day <= filed:
            return day
    return None


def determination_in_text(doc: Document, filed: dt.date | None = None) -> Stated | None:
    """The materiality determination date the checked text states (its section first, then the rest of the
    filing): the date nearest the verb in the first sentence saying the company determined something material
    that dates it ("On March 24, 2026, the Company determined that the incident is material"), leaving out the
    dates of the incident's own events ("the access discovered on March 16, 2026"). `filed` gives a date
    written without a year its year. Where no such sentence dates it, the first of them, undated (day None,
    nothing written)."""
    text = doc.text
    undated = None
    # the section first; else the rest of the filing (an 8-K's Item 7.01 or 8.01 may date it)
    start, end = doc.span
    spans = [(start, end)] if (start, end) == (0, len(text)) else [(start, end), (0, start), (end, len(text))]
    for d in (d for span in spans for d in determinations(text, *span)):
        dates = [m for m in _DATE.finditer(text, d.start, d.end)
                 if not _EVENT_DATE.search(text, max(d.start, m.start() - LOOK_BEFORE), m.start())]
        m = min(dates, key=lambda m: abs(m.start() - d.verb)) if dates else None
        if m is None and _ANAPHOR.search(text, d.start, d.verb):
            m = _date_before(text, d.start)
        day = _day(m, filed) if m is not None else None
        if m is not None and not m.group("year") and filed is None:
            return Stated(None, m.start(), m.group())
        if m is None or day is None:
            undated = undated or Stated(None, d.start, "")
            continue
        lo = min(d.start, m.start())  # the sentence before, for a date taken from it
        hedge = _APPROXIMATE.search(text, max(lo, m.start() - LOOK_BEFORE), m.start())
        named = _WEEKDAY.search(text, max(lo, m.start() - WEEKDAY_BEFORE), m.start())
        weekday = named.group(1).capitalize() if named else ""
        return Stated(day, m.start(), m.group(), hedge.group().strip().lower() if hedge else "",
                      weekday if weekday != day.strftime("%A") else "")
    return undated


def _date_before(text: str, start: int) -> regex.Match | None:
    """The last date of the sentence before `start` in its paragraph, which a determination "at that meeting"
    or "on that date" takes as its own."""
    para = next((p for p in paragraphs(text, max(0, start - LOOK_BEFORE * 4), start + 1)
                 if p.start <= start <= p.end + 1), None)
    before = [span for span in sentence_spans(text, para.start, start) if span[1] <= start] if para else []
    if not before:
        return None
    dates = list(_DATE.finditer(text, *before[-1]))
    return dates[-1] if dates else None


def discovery_in_text(doc: Document, filed: dt.date | None = None) -> tuple[dt.date, int] | None:
    """The day the section first dates the incident's discovery (the date nearest the verb, in the first
    sentence that has both), and where that date stands."""
    text = doc.text
    for para in paragraphs(text, *doc.span):
        if _DISCOVERY.search(text, para.start, para.end) is None:
            continue
        for a, b in sentence_spans(text, para.start, para.end):
            verb = _DISCOVERY.search(text, a, b)
            dates = list(_DATE.finditer(text, a, b)) if verb is not None else []
            if verb is None or not dates:
                continue
            m = min(dates, key=lambda m: abs(m.start() - verb.start()))
            day = _day(m, filed)
            if day is not None:
                return day, m.start()
    return None


def delay_note(doc: Document, determined: dt.date, finder: Finder, filed: dt.date | None = None,
               calendar: BusinessCalendar | None = None) -> str:
    """What to be ready to explain when the text dates the discovery more than DISCOVERY_TO_DETERMINATION
    business days before the determination (Item 1.05, Instruction 1); "" otherwise."""
    found = discovery_in_text(doc, filed)
    if found is None or found[0] >= determined:
        return ""
    days = (calendar or BusinessCalendar()).business_days_between(found[0], determined)
    if days <= DISCOVERY_TO_DETERMINATION:
        return ""
    return (f"The text dates the discovery {found[0].isoformat()} ({finder.locate(found[1]).describe()}), "
            f"{days} business days before the materiality determination of {determined.isoformat()}: "
            "Instruction 1 to Item 1.05 asks for the determination without unreasonable delay after "
            "discovery; be ready to explain the time it took.")


def _sentence_at(finder: Finder, offset: int) -> tuple[int, int] | None:
    """The span of the sentence holding `offset`, as the rules' segmentation cuts it."""
    for para in finder.paragraphs:
        if para.start <= offset < para.end:
            return next(((a, b) for a, b in sentence_spans(finder.doc.text, para.start, para.end)
                         if a <= offset < b), None)
    return None


def _quoted(finder: Finder, offset: int) -> list[Evidence]:
    """The sentence holding `offset`, located as rule evidence is: the quote of a date read from the text, so
    a late filing's finding is shown at its determination, not at the section's heading."""
    span = _sentence_at(finder, offset)
    if span is None:
        return []
    a, b = span
    return [finder.evidence(Evidence(finder.doc.text[a:b], a, b, finder.doc.line_of(a)))]


def not_checked(why: str = "the text states none") -> Result:
    """The note on an 8-K report whose determination date is neither given nor read from the text (`why`)."""
    said = ("The deadline was not checked: give the date the incident was determined material "
            f"(--determined-on, or determined_on in a JSON record); {why}.")
    return Result(RULE_ID, None, "Filing deadline not checked: no materiality determination date",
                  "not_applicable", "info", CITATION, said, GUIDANCE, basis=said)


def amendment_not_checked(line: str = "") -> Result:
    """The note on an 8-K/A, whose text may recite the original determination (at `line`): not its start."""
    recited = f"The text states a materiality determination ({line}), but an" if line else "An"
    said = (f"{recited} 8-K/A that adds what was not determined or available at first is due four business "
            "days after that information is determined or becomes available (Item 1.05, Instruction 2), "
            "which the text does not date: give that day as --determined-on (determined_on in a JSON record) "
            "to check it.")
    return Result(RULE_ID, None, "Filing deadline not checked: an amendment runs on its own clock",
                  "not_applicable", "info", CITATION, said, GUIDANCE, basis=said)


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
    ag_at = attorney_general_delay(doc)
    delays = delays_stated(finder, ag_at) if ag_at is not None else 1
    delayed_at, carrier_at = (finder.locate(at).describe() if at is not None else ""
                              for at in (ag_at, carrier_delay(doc)))
    try:
        filed_day = filing_day(parse_date(filed, "filed_on", doc.source), calendar) if filed else None
    except CheckerError:
        filed_day = None  # a bad filing date is reported by assess, with the date given
    stated = determination_in_text(doc, filed_day)
    amendment = (doc.form or "").upper().endswith("/A")
    if meta.get("determined_on"):
        given = assess(meta["determined_on"], filed, calendar, doc.source)
        # the draft's own date disagreeing with the one given is a slip to mend (not in an 8-K/A, whose
        # given date is the amendment's, and whose text recites the original determination)
        differs = not amendment and stated is not None and stated.day not in (None, given.determined)
        note = disagreement_note(given.determined, stated, finder.locate(stated.offset).describe()) \
            if differs else ""
        if stated is not None and not amendment:
            note = _joined(note, weekday_note(stated, finder.locate(stated.offset).describe()))
        if not amendment:
            note = _joined(note, cover_note(meta.get("period"), given.determined),
                           delay_note(doc, given.determined, finder, filed_day, calendar))
        result = finding(given, delayed_at=delayed_at, note=note, carrier_at=carrier_at, calendar=calendar,
                         amendment=amendment, delays=delays)
        if stated is not None and not amendment and stated.day == given.determined:
            result.evidence = _quoted(finder, stated.offset)  # the text dates it as given: the sentence
        report.results.append(result)
        return report
    if amendment:
        recited = finder.locate(stated.offset).describe() if stated else ""
        report.results.append(amendment_not_checked(recited))
        return report
    period = meta.get("period")  # an 8-K's "Date of Report (Date of earliest event reported)"
    cover = (f"; the cover dates the earliest event reported {period}, often the determination: if it is, "
             "give that date" if period else "")
    if stated is None:
        report.results.append(not_checked(f"the text states none{cover}"))
        return report
    where = finder.locate(stated.offset).describe()
    if stated.day is None:
        report.results.append(not_checked(
            f"the text dates the determination \"{stated.written}\" ({where}), with no year, and no filing "
            "date tells it" if stated.written else
            f"the text says the incident was determined material ({where}) but gives no date for it{cover}"))
        return report
    if filed_day is not None and filed_day < stated.day:  # the text's date is not the one, or the filing's
        report.results.append(not_checked(f"the text dates the determination {stated.day.isoformat()} "
                                          f"({where}), after the filing date {filed_day.isoformat()}: one of "
                                          "the two is wrong"))
        return report
    note = _joined(approximate_note(stated, where) if stated.approximate else "", weekday_note(stated, where),
                   cover_note(period, stated.day), delay_note(doc, stated.day, finder, filed_day, calendar))
    result = finding(assess(stated.day, filed, calendar, doc.source), where, delayed_at, note, carrier_at,
                     calendar, delays=delays)
    result.evidence = _quoted(finder, stated.offset)
    report.results.append(result)
    return report
