"""What the human-facing renderers show of a Report: labels, ordering, highlighted quotes, paths, times."""

from __future__ import annotations

import os
import re
import textwrap
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import PurePath

from .. import builtin_checks
from ..gate import is_finding
from ..model import (
    CheckerError,
    Document,
    Evidence,
    Fact,
    Location,
    Match,
    Report,
    Result,
    counted,
    distinct_evidence,
    left_out_text,
)
from ..peer_examples import source_of
from ..summary import not_checked

STATUS_LABEL = {"met": "Met", "partial": "Partial", "missing": "Missing", "not_applicable": "Not applicable",
                "not_yet_required": "Not yet required"}
UNCHECKED_LABEL = "Not checked"  # the label of a rule that did not finish (a pattern over its time budget)
NOT_MET_LABEL = "Not met"  # a failed check that is no element of the disclosure (a late filing, a blank)


def status_label(result: Result) -> str:
    """The status a reader is told: a rule that did not finish is "Not checked" (no verdict), and a failed
    check that is no element of the disclosure (the filing deadline, a drafting blank, a missing section) is
    "Not met", not "Missing": read aloud, "Missing: Filing deadline ... filed 2026-03-20" says the deadline is
    absent, not that the filing was late."""
    if result.error:
        return UNCHECKED_LABEL
    if result.status == "missing" and not result.element:
        return NOT_MET_LABEL
    return STATUS_LABEL[result.status]
# Gaps first: a reviewer reads what needs work before what is fine.
STATUS_ORDER = {"missing": 0, "partial": 1, "met": 2, "not_applicable": 3, "not_yet_required": 4}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
TAG_EXCERPT = 160  # characters of a filer's text block quoted beside a finding
FLAG_LABEL = {True: "true", False: "false", None: "no readable value"}
# Closed-class words (pronouns, determiners) that a vocabulary may match to find a subject ("we", "our",
# "he"): they carry no requirement, so a quote does not mark them as matched terms.
FUNCTION_WORDS = frozenset("""
    i we us our ours ourselves you your he him his she her hers it its they them their theirs this that
    these those who whom whose which the a an such each itself themselves
""".split())
_HEADING = re.compile(r"^(#{1,6})[ \t]+\S[^\n]*", re.MULTILINE)  # a Markdown ATX heading line
_NON_BLANK = re.compile(r"\S")
# A record inside a .json/.jsonl input is named "<file>#<id>" or "<file>[<n>]" by the ingest readers.
_RECORD_SUFFIX = re.compile(r"^(?P<path>.+?\.(?:json|jsonl|ndjson))(?:#.*|\[\d+\])$", re.IGNORECASE)


@dataclass(frozen=True)
class Piece:
    """A run of quoted text, flagged when it is a matched vocabulary term."""

    text: str
    term: bool = False


@dataclass(frozen=True)
class Run:
    """A run of section text: the rows whose evidence covers it, and the evidence anchors starting here.
    In a Markdown heading line ("## Governance"), `heading` is its level and `marker` flags the "## "."""

    text: str
    rows: tuple[int, ...] = ()
    anchors: tuple[tuple[str, int], ...] = ()  # (html id, row number)
    heading: int = 0
    marker: bool = False


@dataclass(frozen=True)
class Quote:
    evidence: Evidence
    pieces: tuple[Piece, ...]
    anchor: str | None  # id of the evidence in the section text, None when it lies outside it


@dataclass(frozen=True)
class FilerTag:
    """One of the filer's own cyd: inline XBRL facts, as shown beside our finding for its element."""

    concept: str  # e.g. CybersecurityRiskBoardOfDirectorsOversightTextBlock
    kind: str  # "text" or "flag"
    excerpt: str  # the tagged words, shortened
    flag: str | None  # "true" / "false" / "no readable value" for flags, None for text blocks
    member: str | None  # incident axis member (8-Ks reporting several incidents)
    line: int | None  # where the tagged text is in the input, when it was found there
    where: str | None = None  # the same as a reviewer finds it ("p. 32, Governance, para. 5")
    fact_id: str | None = None  # the ix:nonNumeric's id in the filing
    hidden: bool = False  # in ix:hidden: shown nowhere in the filing


@dataclass(frozen=True)
class PeerQuote:
    """How a peer says the element (one of the result's peer examples): the sentence and its source."""

    text: str
    source: str  # company, form, fiscal year, accession number


def peer_quotes(result: Result) -> tuple[PeerQuote, ...]:
    """The peer examples put on a result before rendering (checker.peer_examples.attach), as shown."""
    return tuple(PeerQuote(" ".join(str(x.get("text", "")).split()), source_of(x))
                 for x in result.peer_examples)


@dataclass(frozen=True)
class Row:
    """One result as a table row: number, labels, quoted evidence, the filer's tags for its element and
    how peers say it."""

    number: int
    id: str  # html id of the row
    result: Result
    label: str
    quotes: tuple[Quote, ...]
    tags: tuple[FilerTag, ...] = ()
    peers: tuple[PeerQuote, ...] = ()

    @property
    def waived(self) -> bool:
        return self.result.waived is not None

    @property
    def open_gap(self) -> bool:
        """A gap nobody has waived: what the reader must act on."""
        return self.result.is_gap and self.result.waived is None

    @property
    def lines(self) -> tuple[int, ...]:
        return tuple(sorted({q.evidence.line for q in self.quotes}))

    @property
    def places(self) -> tuple[str, ...]:
        """Where the quotes are as a reviewer reads it ("p. 41, Governance, para. 3"), in order, once each."""
        if all(q.evidence.location is None or q.evidence.location.style == "line" for q in self.quotes):
            return ()  # text and records: the line numbers (`lines`) say it
        return tuple(dict.fromkeys(q.evidence.where for q in self.quotes))


@dataclass(frozen=True)
class ReportView:
    report: Report
    rows: tuple[Row, ...]  # gaps first (sort_results)
    section_text: tuple[Run, ...]
    section_line: int
    location_unit: str  # "line", "paragraph" or "PDF page"
    summary: dict
    prefix: str = ""  # html id prefix, so several reports can share one page

    @property
    def document(self) -> Document:
        return self.report.document

    @property
    def has_facts(self) -> bool:
        """The input carries cyd: inline XBRL facts, so the filer's tags are shown beside each element."""
        return bool(self.document.facts)

    @property
    def issuer(self) -> str:
        return str(self.document.metadata.get("issuer") or "")

    @property
    def form_item(self) -> str:
        doc = self.document
        form = doc.form or "Unknown form"
        return f"{form} Item {doc.item}" if doc.item else form

    @property
    def name(self) -> str:
        """Whose report this is: the issuer, else the input's file name, never the folder it sat in."""
        return self.issuer or PurePath(self.document.source).name

    @property
    def title(self) -> str:
        """Whose report this is, then the form and item (drafts name no issuer: two drafts' headings, a
        printed page's header, were each "10-K Item 1C" before the file's name was given)."""
        return f"{self.name} — {self.form_item}"

    @property
    def pack_named(self) -> str:
        """The rules checked against, as a printed page's footer names them: "sk-106 1.0.0"."""
        return f"{self.report.pack_id} {self.report.pack_version}"

    @property
    def open_gaps(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.open_gap)

    @property
    def checks(self) -> tuple[Row, ...]:
        """The rows of the findings given beside the pack's rules (section, placeholders, deadline)."""
        return tuple(r for r in self.rows if builtin_checks.find(r.result.rule) is not None)

    @property
    def counted(self) -> str:
        """What the rows are, counted: "12 elements", or "12 elements and 1 check of cydcheck's own"."""
        n, k = len(self.rows) - len(self.checks), len(self.checks)
        checks = f" and {counted(k, 'check')} of cydcheck's own" if k else ""
        return f"{counted(n, 'element')}{checks}"

    @property
    def conclusion(self) -> str:
        """One sentence a reviewer can sign under: what the check found, in counts."""
        s = self.summary
        applicable = s["met"] + s["partial"] + s["missing"]
        things = "elements and checks" if self.checks else "elements"
        gaps = self.open_gaps
        waived = sum(1 for r in self.rows if r.waived)
        waived_note = f" ({counted(waived, 'further gap')} waived)" if waived else ""
        marked = len(self.report.marked_for_review)
        review_note = (f" {marked} met element{'s are' if marked != 1 else ' is'} marked for review: read "
                       f"{'their quotes' if marked != 1 else 'its quote'} before relying on "
                       f"{'them' if marked != 1 else 'it'}." if marked else "")
        n = len(self.report.left_out)
        were = "rules of the pack were" if n != 1 else "rule of the pack was"
        left_note = f" {n} {were} left out by the selection and not checked (see the scope)." if n else ""
        if not_checked(self.report) and not applicable:  # nothing was due, or nothing applied: say why
            held = self.report.results[0]
            lead = "Nothing was due" if held.status == "not_yet_required" else "Nothing to check"
            return f"{lead}: {held.message}{review_note}{left_note}"
        if not gaps:
            return (f"All {applicable} applicable {things} are addressed in the text or waived; no open gap"
                    f"{waived_note}.{review_note}{left_note}")
        by = {sev: sum(1 for r in gaps if r.result.severity == sev) for sev in SEVERITY_ORDER}
        parts = ", ".join(counted(n, sev) for sev, n in by.items() if n)
        verb = "is" if len(gaps) == 1 else "are"
        return (f"{len(gaps)} of {applicable} applicable {things} {verb} not fully addressed ({parts})"
                f"{waived_note}; see the gaps listed first below.{review_note}{left_note}")

    @property
    def verdict(self) -> str:
        """The opening sentence for a reader who reads no further (a director): how much is not addressed
        and what to ask for before approving, in words, without severities or rule ids."""
        s = self.summary
        applicable = s["met"] + s["partial"] + s["missing"]
        things = "elements and checks" if self.checks else "elements"
        if not_checked(self.report) and not applicable:
            return self.conclusion
        gaps = len(self.open_gaps)
        if not gaps:
            waived = " or waived" if any(r.waived for r in self.rows) else ""
            return (f"All {applicable} {things} are addressed in the text{waived}. Whether each statement is "
                    "accurate and adequate is still the reader's judgement: this check does not make it.")
        # a finding of cydcheck's own (the section given by reference, blanks left) explains the rest
        why = "".join(f"{r.result.message} " for r in self.open_gaps if r in self.checks and r.result.message)
        fully = "fully " if s["partial"] else ""
        if applicable == 1:
            one = "check" if self.checks else "element"
            count = f"The one {one} that applies is not {fully}addressed in the text."
        elif gaps == applicable:
            count = f"None of the {applicable} {things} is {fully}addressed in the text."
        else:
            verb = "is" if gaps == 1 else "are"
            count = f"{gaps} of the {applicable} {things} {verb} not addressed in the text, or only partly."
        each = "it" if gaps == 1 else "each"
        return (f"{why}{count} Before approving the section, ask for {each} to be addressed, or for the "
                "reason it is left out.")

    @property
    def to_address(self) -> tuple[Result, ...]:
        """The open gaps as the report's opening lists them by name: the table's first rows, in its order."""
        return tuple(r.result for r in self.open_gaps)

    @property
    def next_step(self) -> str:
        """What to do next, in plain words, for a reader who will not open the table (an audit committee)."""
        marked = len(self.report.marked_for_review)
        confirm = (f" {counted(marked, 'element')} found {'is' if marked == 1 else 'are'} marked for review: "
                   "read the quoted sentence before relying on it." if marked else "")
        if not self.to_address:
            return ("Nothing is missing. Read the quoted sentences below to confirm that each one says what "
                    "the company does; the check does not judge whether the disclosure is adequate."
                    f"{confirm}")
        them = "it" if len(self.to_address) == 1 else "each"
        return (f"Add or revise the text for {them}: its row below says what is missing and how to write it. "
                f"Then check the text again.{confirm}")

    @property
    def scope_checked(self) -> str:
        """What was read: the section and its place in the input."""
        doc = self.document
        if doc.section is not None and doc.section.method == "missing":
            return (f"the whole input ({len(doc.text):,} characters) of {doc.source}, in which no section of "
                    "the item was found")
        start, end = doc.span
        heading = doc.section.heading if doc.section and doc.section.heading else ""
        last = doc.line_of(max(start, end - 1))
        where = (f"{self.location_unit}s {self.section_line}–{last}" if last > self.section_line
                 else f"{self.location_unit} {self.section_line}")
        what = f"the section “{heading}”" if heading else "the whole input"
        return f"{what} ({where}, {end - start:,} characters) of {doc.source}"

    @property
    def scope_not_checked(self) -> str:
        """What was not read: the rest of the input (risk factors, financial statements ...)."""
        doc = self.document
        start, end = doc.span
        text = doc.text
        left = left_out_text(self.report.left_out)
        also = "".join(f"; and {what}" for what in (*self.report.not_read, *([left] if left else [])))
        if doc.section is not None and doc.section.method == "missing":  # the whole filing was searched
            return f"documents the filing refers to{also}"
        if not (_NON_BLANK.search(text, 0, start) or _NON_BLANK.search(text, end)):  # only blanks around it
            return ("anything outside this text: other parts of the filing (such as the risk factors) and "
                    f"documents it refers to{also}")
        outside = len(text) - (end - start)
        return (f"the rest of the input ({outside:,} characters, such as the risk factors and financial "
                f"statements) and documents it refers to; text there does not satisfy an element{also}")


def offending(result: Result) -> Evidence | None:
    """The sentence a failing finding rests on, where it rests on one (a `fail_if` rule's, an incident
    determined material but reported under another item): the place to show the gap, not the heading."""
    return result.evidence[0] if result.status == "missing" and result.evidence else None


def gap_sentence(result: Result) -> str:
    """An open gap told in one message: what is not (or only partly) disclosed, the rule's message and the
    parts missing, or why a rule did not finish (GitHub's annotation, GitLab's issue, SARIF's result). A
    finding given beside the packs' rules (no element: the section, the placeholders) is a check that
    failed, not a disclosure."""
    r = result
    if r.error:  # no verdict: not a gap in the disclosure, a rule that did not finish
        return f"{r.title}: {unchecked_text(r)}"
    what = "only partly disclosed" if r.status == "partial" else "not disclosed"
    said = f"{r.title} is {what}." if r.element else f"Not met: {r.title}."
    missing = f" Missing: {', '.join(r.missing_parts)}." if r.missing_parts else ""
    return f"{said} {r.message}{missing}"


def unchecked_text(result: Result) -> str:
    """What a rule that did not finish says in place of its gap message: no verdict, and why."""
    return f"{UNCHECKED_LABEL}: {result.error}; this element's verdict is unknown."


def review_message(result: Result) -> str:
    """A met finding marked for review, told as one message (SARIF's review result, GitHub's notice)."""
    return f"{result.title} is met on a reading to check: {result.review}"


@dataclass(frozen=True)
class Place:
    """An open gap (or rule error), or a met finding marked for review, where a one-line view shows it."""

    result: Result
    review: bool  # a met verdict on a reading to check, not a gap
    line: int  # the line of the file given
    location: Location | None  # the place found (column, page, heading ...), where known


def placed_findings(report: Report) -> list[Place]:
    """The report's open gaps (or rule errors) at the section's heading, or at the sentence a gap rests on,
    and its met findings marked for review at their sentence, most severe first; waived gaps left out, as
    the gate leaves them (GitHub's annotations, GitLab's issues, the concise lines)."""
    doc = report.document
    heading = report.section_location
    section_line = heading.line if heading else doc.line_of(doc.span[0])
    places = []
    for r in sort_results(report.results):
        review = bool(r.review and r.evidence and not is_finding(r))
        if not review and (r.waived is not None or not is_finding(r)):
            continue
        e = r.evidence[0] if review else offending(r)  # a gap that rests on a sentence is shown there
        if e is None:
            places.append(Place(r, review, section_line, heading))
        else:
            places.append(Place(r, review, e.location.line if e.location else e.line, e.location))
    return places


# --column-unit: what a column counts, as each editor counts it, and the Location field that holds it
COLUMN_UNITS = {"character": "column", "utf-16": "column_utf16", "byte": "column_bytes"}


def column_in(where: Location | None, unit: str = "character") -> int | None:
    """The 1-based column of a location in `unit` (characters: Unicode code points; UTF-16 code units; UTF-8
    bytes), or None where no column is known."""
    if where is None:
        return None
    return getattr(where, COLUMN_UNITS[unit]) or where.column


def relative_path(doc: Document, root: str | None, composed: bool = False) -> str:
    """The input's path as an editor or GitLab links it: relative to `root` (the folder the command runs in)
    when it was given absolute and lies inside it, with forward slashes; `composed`: as a repository stores
    it (repo_path), for GitLab, where an editor opens the name as given."""
    path = PurePath(repo_path(doc) if composed else input_path(doc))
    if root and path.is_absolute() and path.is_relative_to(root):
        path = path.relative_to(root)
    return path.as_posix()


def sort_results(results: Sequence[Result], by_severity: bool = True) -> list[Result]:
    """Open gaps first (most severe first, or by status alone, missing before partial, with `by_severity`
    False: the item's own order, as a reader of the report wants it), then waived, met, not applicable; pack
    order within a group."""

    def key(r: Result) -> tuple[int, int, int]:
        open_gap = r.is_gap and r.waived is None
        severity = SEVERITY_ORDER.get(r.severity, 9) if open_gap and by_severity else 0
        return (0 if open_gap else 1, severity, STATUS_ORDER[r.status])

    return sorted(results, key=key)


def split(text: str, offset: int, terms: Sequence[tuple[int, int]]) -> tuple[Piece, ...]:
    """Cut text (which starts at `offset` in the document) into runs, flagging those inside a term span."""
    end = offset + len(text)
    cuts = sorted({offset, end} | {min(max(p, offset), end) for s in terms for p in s})
    pieces: list[Piece] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a == b:
            continue
        term = any(s < b and e > a for s, e in terms)
        chunk = text[a - offset:b - offset]
        if pieces and pieces[-1].term == term:
            pieces[-1] = Piece(pieces[-1].text + chunk, term)  # overlapping terms: one mark, not two
        else:
            pieces.append(Piece(chunk, term))
    return tuple(pieces)


def carries_requirement(match: Match) -> bool:
    """A matched term worth marking: not only pronouns and determiners ("We", "our", "He")."""
    words = re.findall(r"[\w'’]+", match.text.casefold())
    return any(w not in FUNCTION_WORDS for w in words)


def _terms(evidence: Evidence) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in evidence.matches
            if m.start < evidence.end and m.end > evidence.start and carries_requirement(m)]


def section_runs(doc: Document, rows: Sequence[Row]) -> tuple[Run, ...]:
    """The checked section's text cut where evidence starts or ends, each run knowing whose evidence it is."""
    start, end = doc.span
    spans = [(max(q.evidence.start, start), min(q.evidence.end, end), row.number, q.anchor)
             for row in rows for q in row.quotes if q.anchor]
    # (marker start, text start, line end, level) of each Markdown heading line in the section
    headings = [(m.start(), m.start() + len(m.group(0)) - len(m.group(0)[len(m.group(1)):].lstrip(" \t")),
                 m.end(), len(m.group(1))) for m in _HEADING.finditer(doc.text, start, end)]
    cuts = sorted({start, end} | {p for s in spans for p in s[:2]} | {p for h in headings for p in h[:3]})
    runs: list[Run] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a == b:
            continue
        covering = tuple(sorted({s[2] for s in spans if s[0] < b and s[1] > a}))
        anchors = tuple(sorted(((s[3], s[2]) for s in spans if s[0] == a), key=lambda x: (x[1], x[0])))
        level = next((h[3] for h in headings if h[0] <= a and b <= h[2]), 0)
        marker = any(h[0] <= a and b <= h[1] for h in headings)
        runs.append(Run(doc.text[a:b], covering, anchors, level, marker))
    return tuple(runs)


def filer_tags(doc: Document,
               locations: Mapping[str, Location] | None = None) -> dict[str, tuple[FilerTag, ...]]:
    """The document's cyd facts by element id, in document order, each fact once (nested or repeated
    facts with the same concept, member and text are one tag)."""
    by_element: dict[str, list[FilerTag]] = {}
    seen: set[tuple[str, str | None, str]] = set()
    for f in doc.facts:
        key = (f.concept, f.member, f.text)
        if f.element is None or key in seen:
            continue
        seen.add(key)
        by_element.setdefault(f.element, []).append(_tag(doc, f, (locations or {}).get(f.fact_id or "")))
    return {element: tuple(tags) for element, tags in by_element.items()}


def _tag(doc: Document, fact: Fact, where: Location | None = None) -> FilerTag:
    excerpt = textwrap.shorten(" ".join(fact.text.split()), TAG_EXCERPT, placeholder=" …")
    flag = FLAG_LABEL[fact.value] if fact.kind == "flag" else None
    line = doc.line_of(fact.start) if fact.start is not None else None
    if where is not None:
        line = where.line
    return FilerTag(fact.concept, fact.kind, excerpt, flag, fact.member, line,
                    where.describe() if where is not None else None, fact.fact_id, fact.hidden)


def build_view(report: Report, prefix: str = "", by_severity: bool = True) -> ReportView:
    """The report as its rows show it: open gaps first, most severe first, or in the item's own order with
    `by_severity` False (the HTML workpaper, read by people who know the item, not the gate)."""
    doc = report.document
    start, end = doc.span
    tags = filer_tags(doc, report.fact_locations)
    rows = []
    for number, result in enumerate(sort_results(report.results, by_severity), 1):
        quotes = []
        for k, e in enumerate(distinct_evidence(result.evidence), 1):
            inside = e.start < end and e.end > start
            anchor = f"{prefix}ev-{number}-{k}" if inside else None
            quotes.append(Quote(e, split(e.text, e.start, _terms(e)), anchor))
        rows.append(Row(number, f"{prefix}row-{number}", result, status_label(result), tuple(quotes),
                        tags.get(result.element or "", ()), peer_quotes(result)))
    return ReportView(
        report=report,
        rows=tuple(rows),
        section_text=section_runs(doc, rows),
        section_line=doc.line_of(start),
        location_unit=doc.source_map.unit,
        summary=report.summary(),
        prefix=prefix,
    )


def report_headings(views: Sequence[ReportView]) -> list[str]:
    """Each report's heading on a page of several: its title, and its pack where the page holds another
    report of the same document (one per pack), so no two read the same."""
    counts = Counter(v.document.source for v in views)
    return [f"{v.title} ({v.report.pack_id})" if counts[v.document.source] > 1 else v.title for v in views]


def input_path(doc: Document) -> str:
    """The user's file a document came from (without the record suffix of .json/.jsonl inputs)."""
    m = _RECORD_SUFFIX.match(doc.source)
    return m.group("path") if m else doc.source


def repo_path(doc: Document) -> str:
    """input_path as a repository stores it, for tools that find the file there (code scanning, GitLab,
    GitHub's annotations): composed (NFC), as git keeps names a Mac may give decomposed."""
    return unicodedata.normalize("NFC", input_path(doc))


def artifact_uri(path: str, flavour: type[PurePath] = PurePath) -> str:
    """A SARIF/GitHub-friendly URI reference: forward slashes, percent-encoded, file: URI when absolute (a
    Windows drive's kept as written: file:///C:/Users/...). `flavour` is the system's kind of path."""
    from urllib.parse import quote

    p = flavour(path)
    posix = p.as_posix()
    if p.drive and p.is_absolute() and not posix.startswith("/"):  # C:/Users/...
        posix = "/" + posix
    # a name that is not UTF-8: its own bytes, percent-encoded
    encoded = quote(os.fsencode(posix), safe="/:" if p.drive else "/")
    return "file://" + encoded if p.is_absolute() else encoded


def checked_at(env: Mapping[str, str], now: datetime | None = None) -> str:
    """The time of the check for the HTML workpaper: SOURCE_DATE_EPOCH when set, else now (UTC)."""
    fixed = generated_at(env)
    if fixed is not None:
        return fixed
    return (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")


def generated_at(env: Mapping[str, str]) -> str | None:
    """The report time from SOURCE_DATE_EPOCH (reproducible builds), or None to leave it out."""
    raw = env.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    try:
        stamp = datetime.fromtimestamp(int(raw), tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise CheckerError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not '{raw}'") from None
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
