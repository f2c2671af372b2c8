"""Shared types passed between the stages: documents, spans, evidence, results and reports."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

STATUSES = ("met", "partial", "missing", "not_applicable", "not_yet_required")
SEVERITIES = ("error", "warning", "info")
ADDRESSED = frozenset({"met", "partial"})


class CheckerError(Exception):
    """A user-facing error: bad input, bad pack, bad option. Rendered as one line, exit 2."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return f"{where}{self.message}"


def counted(n: int, word: str, plural: str = "") -> str:
    """'1 rule', '2 rules': a count with its noun in the number it takes (`plural` where it is no `word` + s:
    'entries')."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


# What every report says of itself where a reader may take it for a sign-off (text, JSON, HTML, Markdown,
# SARIF, JUnit): a check of the elements the rules name, not an opinion on the disclosure.
DISCLAIMER = ("cydcheck checks whether the text addresses each element its rules name and quotes what it "
              "matched; it does not judge whether the disclosure is adequate, complete or accurate, and it "
              "is not legal advice.")

HIDDEN_PLACE = "in ix:hidden (not shown in the filing)"  # where a tag in the inline XBRL header is


def tag_text(tag: dict[str, Any]) -> str:
    """One filer tag in a line: "cyd:Concept (f-46) = false, p. 32, Risk management, para. 4"."""
    text = f"cyd:{tag['concept']}" + (f" ({tag['fact_id']})" if tag.get("fact_id") else "")
    if tag["kind"] == "flag":
        text += " = " + ("no readable value" if tag.get("value") is None else str(tag["value"]).lower())
    if tag.get("location"):
        text += f", {tag['location']['text']}"
    elif tag.get("hidden"):
        text += f", {HIDDEN_PLACE}"
    return text


def left_out_text(left_out: Sequence[LeftOut]) -> str:
    """The pack's rules a selection kept out of a report, as every format says it ("" when none was)."""
    if not left_out:
        return ""
    by: dict[str, list[str]] = {}
    for x in left_out:
        by.setdefault(x.setting, []).append(x.rule)
    groups = "; ".join(f"{', '.join(rules)} ({setting})" for setting, rules in by.items())
    n = len(left_out)
    return f"{counted(n, 'rule')} of the pack left out by the selection, not checked: {groups}"


def pdf_pages_text(doc: Document) -> str:
    """Which pages of a PDF its section's printed page numbers are, where they are not the PDF's own count (a
    viewer's page box takes that): "p. 31–32, printed on the pages, are PDF pages 3–4 (the viewer's page
    box)"; "" where they agree, a page shows no number ("[3]" is the PDF's own) or the input is no PDF."""
    where = doc.source_map
    if where.kind != "pdf" or not where.pages:
        return ""
    start, end = doc.span
    printed = [where.page_of(start) or "", where.page_of(max(start, end - 1)) or ""]
    counted = [doc.line_of(start), doc.line_of(max(start, end - 1))]
    if printed == [str(n) for n in counted] or any(label.startswith("[") for label in printed):
        return ""

    def span(first: object, last: object) -> str:
        """One page, or a first and a last."""
        return f"{first}" if first == last else f"{first}–{last}"

    return (f"p. {span(*printed)}, printed on the page{'s' if counted[1] > counted[0] else ''}, "
            f"{'are' if counted[1] > counted[0] else 'is'} PDF page{'s' if counted[1] > counted[0] else ''} "
            f"{span(*counted)} (the viewer's page box)")


def coverage_text(summary: dict[str, Any]) -> str:
    """"coverage 83%", or why there is none: a filing made before its item applied."""
    if summary.get("coverage") is None:
        if summary.get("not_yet_required"):
            return "not yet required: nothing was due"
        return "no rule applied: no coverage to report"
    return f"coverage {summary['coverage']:.0%}"


@dataclass(frozen=True)
class SourceMap:
    """Maps offsets in a document's text to lines (or paragraph numbers) of the user's file.

    `anchors` is a sorted list of (text_offset, source_line): the text from text_offset on
    came from source_line (and following lines, counted by newlines in the text when
    `count_newlines` is true, as for plain-text inputs).
    """

    anchors: tuple[tuple[int, int], ...] = ((0, 1),)
    count_newlines: bool = True
    unit: str = "line"  # "line" or "paragraph" (for .docx)
    # (text offset, label) where each page of a paginated filing starts: its printed number, or "[n]" (the
    # n-th page of the file) where it shows none.
    pages: tuple[tuple[int, str], ...] = ()
    kind: str = "text"  # what the text was read from: "text" (the file's own text), "html", "docx", "record"
    # Text offsets where a paragraph starts that the source itself marks as a heading (a Word heading style)
    # or as none (a Word list item): the locations take these over a paragraph's look (short, unpunctuated).
    headings: frozenset[int] = frozenset()
    not_headings: frozenset[int] = frozenset()
    # Plain text: (text offset, offset in the file's text) just after each place the reader changed it (an
    # invisible character dropped, a Unicode break written as newlines), to find a column in the file's line.
    moves: tuple[tuple[int, int], ...] = ()

    @cached_property
    def _move_starts(self) -> list[int]:
        return [m[0] for m in self.moves]

    def file_offset(self, offset: int) -> int:
        """Where an offset into the text falls in the file's text (Document.source_text, where it differs)."""
        i = bisect.bisect_right(self._move_starts, offset) - 1
        if i < 0:
            return offset
        at, was = self.moves[i]
        return was + offset - at

    @cached_property
    def _page_starts(self) -> list[int]:
        return [p[0] for p in self.pages]

    @cached_property
    def _anchor_starts(self) -> list[int]:
        return [a[0] for a in self.anchors]

    def page_of(self, offset: int) -> str | None:
        if not self.pages:
            return None
        i = bisect.bisect_right(self._page_starts, offset) - 1
        return self.pages[max(i, 0)][1]

    def marked_heading(self, offset: int) -> bool | None:
        """Whether the source marks the paragraph starting at `offset` as a heading; None: it does not say."""
        if offset in self.headings:
            return True
        return False if offset in self.not_headings else None

    def line_of(self, text: str, offset: int) -> int:
        i = max(0, bisect.bisect_right(self._anchor_starts, offset) - 1)
        base_offset, base_line = self.anchors[i]
        if self.count_newlines:
            return base_line + text.count("\n", base_offset, offset)
        return base_line


@dataclass(frozen=True)
class Fact:
    """One inline XBRL fact (cyd: taxonomy) read from the input."""

    concept: str  # local name, e.g. CybersecurityRiskBoardOfDirectorsOversightTextBlock
    kind: str  # "text" or "flag"
    text: str = ""  # the fact's text (text blocks) or the words it wraps (flags)
    value: bool | None = None  # flags only
    element: str | None = None  # our element id, where the taxonomy maps it
    member: str | None = None  # incident axis member, for 8-Ks with several incidents
    start: int | None = None  # offset of the tagged text in the document text, when it is there
    end: int | None = None
    fact_id: str | None = None  # the ix:nonNumeric element's id in the filing
    name: str = ""  # the name as the filing writes it (prefix:local), to name a misspelt or misplaced tag
    namespace: str | None = None  # the namespace that prefix is bound to (the prefix itself, undeclared)
    faults: tuple[str, ...] = ()  # what EDGAR rejects in its markup (a broken continuedAt chain ...)
    hidden: bool = False  # in ix:header (ix:hidden): a fact the filing does not show


@dataclass(frozen=True)
class Section:
    """The span of document text that is checked, and how it was found."""

    start: int
    end: int
    heading: str = ""
    item: str | None = None
    method: str = "whole-input"  # how it was located: whole-input, heading, record, ...
    note: str = ""


@dataclass
class Document:
    """One input: its text, where it came from and what it is."""

    text: str
    source: str = "<text>"
    form: str | None = None
    item: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    source_map: SourceMap = field(default_factory=SourceMap)
    section: Section | None = None
    sha256: str | None = None
    facts: list[Fact] = field(default_factory=list)  # inline XBRL facts, when the input has them
    # Facts named like a cyd element outside the cyd namespace (us-gaap:, a company prefix, a cyd prefix
    # bound to a wrong namespace): not cyd facts, so not in `facts`, but named in the cyd-tags report.
    stray_facts: list[Fact] = field(default_factory=list)
    # What the reader left out of the input, as the report's scope names it ("the filing's inline XBRL tags,
    # which a PDF does not carry").
    not_read: tuple[str, ...] = ()
    # The pages (1-based) that hold no text to read, only an image (a PDF's scanned pages): a section not
    # found may be on one of them
    pages_without_text: tuple[int, ...] = ()
    # The decoded file as given, where the document text is not it (HTML): to point into it (line, column).
    source_text: str | None = field(default=None, repr=False, compare=False)
    # What the command line set over what the input states (--form, --period ...), as given: a report names it
    given: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        """One line (a notebook shows it): what the input is and how long, not its text."""
        what = " ".join(filter(None, (self.metadata.get("issuer") and str(self.metadata["issuer"]), self.form,
                                      self.item and f"Item {self.item}")))
        return f"<Document {self.source!r}{f' ({what})' if what else ''}: {len(self.text):,} characters>"

    def line_of(self, offset: int) -> int:
        """The line of the input file (1-based) an offset into `text` falls on."""
        return self.source_map.line_of(self.text, offset)

    def set_given(self, form: str | None = None, metadata: dict[str, Any] | None = None) -> None:
        """Take the form and facts the command line gives over the input's own, and record them as given."""
        if form:
            self.form = self.given["form"] = form.upper()
        for key, value in (metadata or {}).items():
            self.metadata[key] = value
            self.given[key] = str(value)

    @property
    def span(self) -> tuple[int, int]:
        """The checked section's start and end offsets in `text` (all of it when no section was found)."""
        if self.section is None:
            return 0, len(self.text)
        return self.section.start, self.section.end


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int  # index of the paragraph it belongs to
    index: int  # index among all sentences of the section


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    index: int
    is_heading: bool = False


@dataclass(frozen=True)
class Segments:
    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Match:
    """One vocabulary term found in the text."""

    concept: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Location:
    """Where a quoted sentence is, as a reviewer finds it, and where it starts in the file given.

    `style` says how it reads: "page" (a paginated filing: "p. 41, Governance, para. 3"), "paragraph" (a
    Word draft: "Governance, para. 3") or "line" (text, Markdown, JSON records: "line 12, col 1").
    """

    line: int  # line of the file given (for a Word draft: its paragraph, as the file stores them)
    column: int | None = None  # 1-based column (in characters) on that line where the sentence starts
    # the same column counted in UTF-16 code units (VS Code, LSP) and in UTF-8 bytes (Vim, gcc)
    column_utf16: int | None = field(default=None, compare=False)
    column_bytes: int | None = field(default=None, compare=False)
    page: str | None = None  # printed page number, or "[n]" (the n-th page of the file) where none shows
    heading: str | None = None  # the nearest sub-heading above it inside the section
    paragraph: int | None = None  # 1-based, under the nearest sub-heading (or from the section's start)
    fact: str | None = None  # the cyd: concept of the inline XBRL fact that tags the sentence
    fact_id: str | None = None  # that fact's id in the filing
    style: str = "line"
    unit: str = "line"  # what `line` counts in the file given (SourceMap.unit): line, paragraph, PDF page

    def describe(self) -> str:
        """The place as a reviewer reads it; where nothing finer is known, `line` in the file's own unit."""
        if self.style == "line":
            return f"line {self.line}" + (f", col {self.column}" if self.column else "")
        parts = [f"p. {self.page}"] if self.page else []
        if self.heading:
            parts.append(self.heading)
        if self.paragraph:
            parts.append(f"para. {self.paragraph}")
        return ", ".join(parts) or f"{self.unit} {self.line}"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.describe(), "line": self.line}
        for key in ("column", "page", "heading", "paragraph", "fact", "fact_id"):
            value = getattr(self, key)
            if value is not None:
                d[key] = value
        return d


@dataclass(frozen=True)
class Evidence:
    """A quoted sentence (or span) that satisfied a rule: its text, offsets into the document, where it is."""

    text: str
    start: int
    end: int
    line: int
    matches: tuple[Match, ...] = ()
    part: str | None = None  # which part of a multi-part rule it satisfied
    source: str = "rules"  # "rules": matched by patterns; "learned": the model's best-scoring sentence
    score: float | None = None  # learned evidence: the sentence's score
    terms: tuple[str, ...] = ()  # learned evidence: the n-grams that weighed most
    location: Location | None = None  # set after evaluation (checker.locations)

    @property
    def learned_note(self) -> str:
        """How a reviewer tells learned evidence from a rule's: "learned, score 0.83: monitor, ciso"."""
        if self.source != "learned":
            return ""
        terms = f": {', '.join(self.terms)}" if self.terms else ""
        return f"learned, score {self.score or 0.0:.2f}{terms}"

    @property
    def where(self) -> str:
        """The location as a reviewer reads it: "p. 41, Governance, para. 3", "line 12, col 1"."""
        return self.location.describe() if self.location else f"line {self.line}"

    def to_dict(self) -> dict[str, Any]:
        """The evidence as plain data, as in the JSON report's `results[].evidence`."""
        d: dict[str, Any] = {"text": self.text, "start": self.start, "end": self.end, "line": self.line}
        if self.location is not None:
            d["location"] = self.location.to_dict()
        d["matched"] = [{"concept": m.concept, "text": m.text, "start": m.start, "end": m.end}
                        for m in self.matches]
        if self.part:
            d["part"] = self.part
        if self.source != "rules":
            d["source"] = self.source
            d["score"] = round(self.score or 0.0, 4)
            d["terms"] = list(self.terms)
        return d


def distinct_evidence(evidence: Sequence[Evidence]) -> list[Evidence]:
    """The evidence of one result with each passage once: a span inside another (the same sentence,
    or a sentence also quoted with its context) is folded into the wider one, its matched terms and
    part label merged, so a reader never sees the same words quoted twice. Order of first appearance."""
    kept: list[tuple[int, Evidence]] = []  # (position in `evidence`, evidence)
    for n, e in sorted(enumerate(evidence), key=lambda ne: (ne[1].start, -ne[1].end)):
        outer = next((i for i, (_, k) in enumerate(kept) if k.start <= e.start and e.end <= k.end), None)
        if outer is None:
            kept.append((n, e))
            continue
        first, k = kept[outer]
        parts = [p for p in dict.fromkeys((k.part, e.part)) if p]
        kept[outer] = (min(first, n), replace(k, matches=tuple(dict.fromkeys(k.matches + e.matches)),
                                              part=" + ".join(parts) or None))
    return [e for _, e in sorted(kept, key=lambda ne: ne[0])]


@dataclass
class Result:
    """One rule's finding: its status (STATUSES), severity, citation, what to write, the evidence quoted."""

    rule: str
    element: str | None
    title: str
    status: str
    severity: str
    citation: str
    message: str
    guidance: str
    evidence: list[Evidence] = field(default_factory=list)
    missing_parts: list[str] = field(default_factory=list)
    error: str | None = None  # an engine error for this rule (e.g. a pattern that timed out)
    waived: dict[str, Any] | None = None
    peer_examples: list[dict[str, Any]] = field(default_factory=list)  # peer_examples.attach fills it
    basis: str = ""  # a met finding that quotes nothing: what was checked (the rule's met_message)
    review: str = ""  # a met finding a reader should check before relying on it: why
    description: str = ""  # what the rule checks, from its pack (a tool's rule help; not in the JSON report)

    def __repr__(self) -> str:
        """One line: the rule, its element and status, and where its quotes are (not its guidance)."""
        where = ", ".join(dict.fromkeys(e.where for e in self.evidence))
        quotes = f", {counted(len(self.evidence), 'quote')} ({where})" if self.evidence else ""
        marks = "".join(f", {x}" for x in (self.review and "marked for review",
                                            self.error and "did not finish") if x)
        element = f" {self.element}" if self.element else ""
        return f"<Result {self.rule}{element}: {self.status}{quotes}{marks}>"

    @property
    def is_gap(self) -> bool:
        """Missing or partial: an element the section does not (fully) address."""
        return self.status in ("missing", "partial")

    def to_dict(self) -> dict[str, Any]:
        """The finding as plain JSON-ready data, as in the JSON report's `results`."""
        d: dict[str, Any] = {
            "rule": self.rule,
            "element": self.element,
            "title": self.title,
            "status": self.status,
            "severity": self.severity,
            "citation": self.citation,
            "evidence": [e.to_dict() for e in self.evidence],
        }
        if self.status in ("missing", "partial"):
            d["message"] = self.message
            d["guidance"] = self.guidance
        elif self.status == "not_yet_required":
            d["message"] = self.message  # why: the dates that show the item did not yet apply
        if self.basis:
            d["basis"] = self.basis
        if self.review:
            d["review"] = self.review
        if self.missing_parts:
            d["missing_parts"] = list(self.missing_parts)
        if self.error:
            d["error"] = self.error
        if self.waived is not None:
            d["waived"] = self.waived
        if self.peer_examples:
            d["peer_examples"] = [dict(x) for x in self.peer_examples]
        return d


@dataclass(frozen=True)
class LeftOut:
    """A pack's rule a run's selection (`select`, `disable`) kept out of the report, and which setting."""

    rule: str
    element: str | None
    title: str
    setting: str  # "disable: SK106-B2, in ./.cydcheck.yaml", "not in select: mgmt_roles, on the command line"

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "element": self.element, "title": self.title, "setting": self.setting}


def images_text(alts: tuple[str, ...]) -> str:
    """The section's images as the scope names them: how many, and each one's alt text."""
    said = "; ".join(f'"{alt}"' if alt else "none" for alt in alts)
    n = len(alts)
    return (f"{counted(n, 'image')} in the section, whose content was not read "
            f"(alt text: {said})")


@dataclass
class Report:
    """The findings of one document under one pack, in rule order; `to_dict()` is the JSON report."""

    document: Document
    pack_id: str
    pack_version: str
    pack_title: str
    results: list[Result]
    pack_reason: str = ""  # why this pack was chosen (form detection)
    section_location: Location | None = None  # where the section's heading is (checker.locations)
    fact_locations: dict[str, Location] = field(default_factory=dict)  # fact id -> where its text starts
    left_out: list[LeftOut] = field(default_factory=list)  # the pack's rules a selection kept from the report
    # the alt text ("" where none) of each image inside the section of an HTML filing (checker.locations)
    section_images: tuple[str, ...] = ()
    pack_sha256: str = ""  # Pack.digest: a hash of the pack files the check ran
    applies: str = ""  # whether the item applied to the filing, and why (applicability.statement)

    def __repr__(self) -> str:
        """One line (a notebook shows it): the pack, the input, the counts by status; not the section."""
        s = self.summary()
        tally = Counter("did not finish" if r.error else r.status.replace("_", " ") for r in self.results)
        counts = ", ".join(f"{n} {status}" for status, n in tally.items())
        review = f"; {len(self.marked_for_review)} marked for review" if self.marked_for_review else ""
        return (f"<Report {self.pack_id} {self.pack_version} of {self.document.source!r}: "
                f"{coverage_text(s)}; {counts or 'no result'}{review}>")

    def _repr_html_(self) -> str:
        """The findings as a small table, for a Jupyter cell (checker.report.notebook)."""
        from .report.notebook import render_cell

        return render_cell(self)

    @property
    def not_read(self) -> tuple[str, ...]:
        """What the check did not read: what the reader left out of the input, and the section's images."""
        return (*self.document.not_read, *([images_text(self.section_images)] if self.section_images else []))

    @property
    def marked_for_review(self) -> list[Result]:
        """The met findings marked for review (a close reading, or a review class), in rule order."""
        return [r for r in self.results if r.review]

    def summary(self) -> dict[str, Any]:
        """Counts by status, coverage (met 1, partial 0.5; None where no rule applied), gaps by severity."""
        counts = {s: 0 for s in STATUSES}
        for r in self.results:
            counts[r.status] += 1
        applicable = counts["met"] + counts["partial"] + counts["missing"]
        # nothing was due, no rule applied, or a selection kept none of those that did: no share to report
        score = (counts["met"] + 0.5 * counts["partial"]) / applicable if applicable else None
        gaps_by_severity = {s: 0 for s in SEVERITIES}
        for r in self.results:
            if r.is_gap and r.waived is None:
                gaps_by_severity[r.severity] += 1
        if not counts["not_yet_required"]:
            del counts["not_yet_required"]  # only a filing made before its item applied has one
        return {
            "total": len(self.results),
            **counts,
            "coverage": None if score is None else round(score, 4),
            "gaps_by_severity": gaps_by_severity,
        }

    def tags_of(self, result: Result) -> list[dict[str, Any]]:
        """The filer's own cyd facts for the result's element (plain data, as in the JSON report)."""
        if not result.element:
            return []
        return [self._tag(f) for f in self.document.facts if f.element == result.element]

    def _tag(self, fact: Fact) -> dict[str, Any]:
        d: dict[str, Any] = {"concept": fact.concept, "kind": fact.kind, "fact_id": fact.fact_id}
        if fact.kind == "flag":
            d["value"] = fact.value
        if fact.member:
            d["member"] = fact.member
        d["text"] = fact.text if len(fact.text) <= 300 else fact.text[:299].rstrip() + "…"
        if fact.hidden:
            d["hidden"] = True
        where = self.fact_locations.get(fact.fact_id or "")
        if where is not None:
            d["location"] = where.to_dict()
        return d

    def to_dict(self) -> dict[str, Any]:
        """The JSON report as plain data: document, pack, results and summary (docs/codebook.md)."""
        doc = self.document
        start, end = doc.span
        document: dict[str, Any] = {
            "source": doc.source,
            "form": doc.form,
            "item": doc.item,
        }
        for key in ("issuer", "cik", "period", "fiscal_year", "filed", "filed_on", "accepted", "accession",
                    "items"):
            value = doc.metadata.get(key)
            if value:  # text, as in the summary row (a record's fiscal year is a number), but the 8-K's items
                document[key] = value if isinstance(value, list) else str(value)
        if doc.sha256:
            document["sha256"] = doc.sha256
        if doc.given:  # set on the command line, not stated by the input: needed to re-run the check
            document["given"] = dict(sorted(doc.given.items()))
        if self.applies:  # whether the item applied, and why: the dates, or that none is known
            document["applies"] = self.applies
        if self.not_read:  # what was not read (exhibits, a PDF's missing XBRL, images), as the workpaper says
            document["not_read"] = list(self.not_read)
        document["section"] = {
            "start": start,
            "end": end,
            "line": doc.line_of(start),
            "heading": doc.section.heading if doc.section else "",
            "method": doc.section.method if doc.section else "whole-input",
        }
        if doc.section and doc.section.note:
            document["section"]["note"] = doc.section.note
        if self.section_location is not None:
            document["section"]["location"] = self.section_location.to_dict()
        if doc.facts:
            document["cyd_facts"] = len(doc.facts)
        from .fingerprint import result_fingerprint  # late: fingerprint reads the model

        results = []
        for r in self.results:
            d = r.to_dict()
            # the finding's stable id, as a waiver and SARIF's partialFingerprints name it (docs/workflow.md)
            d = {"rule": r.rule, "fingerprint": result_fingerprint(r, doc), **d}
            tags = self.tags_of(r)
            if tags:  # the filer's own tags for the element, beside our finding
                d["filer_tags"] = tags
            results.append(d)
        return {
            "document": document,
            "pack": {"id": self.pack_id, "version": self.pack_version, "title": self.pack_title,
                     "reason": self.pack_reason,
                     **({"sha256": self.pack_sha256} if self.pack_sha256 else {})},
            "results": results,
            "summary": self.summary(),
            **({"left_out": [x.to_dict() for x in self.left_out]} if self.left_out else {}),
        }
