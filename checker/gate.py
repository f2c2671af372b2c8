"""Decide whether findings fail a run: severity thresholds shared by check, batch and CI gates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .model import SEVERITIES, Report, Result, counted

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
FAIL_ON = (*SEVERITIES, "never")


def is_finding(result: Result, reviews: bool = False) -> bool:
    """A gap or a rule error; with reviews, also a met verdict marked for review (--fail-on-review): what a
    gate counts, and what a baseline records and its waivers match."""
    return result.is_gap or result.error is not None or (reviews and bool(result.review))


def fails(result: Result, fail_on: str) -> bool:
    """The finding reaches --fail-on: its severity does, or its rule did not finish (a rule not checked fails
    the run at any threshold but never, whatever its severity)."""
    return fail_on != "never" and (result.error is not None
                                   or SEVERITY_RANK[result.severity] >= SEVERITY_RANK[fail_on])


def has_failures(reports: Iterable[Report], fail_on: str, reviews: bool = False) -> bool:
    """True when any unwaived gap at or above the --fail-on severity, or any rule error, is open; with reviews
    (--fail-on-review), a met verdict marked for review counts as one until it is waived."""
    return any(
        r.waived is None and is_finding(r, reviews) and fails(r, fail_on)
        for report in reports
        for r in report.results
    )


def open_findings(reports: Iterable[Report], reviews: bool = False) -> list[Result]:
    """The unwaived findings of the reports (is_finding), in report order: what a run's tally counts."""
    return [r for report in reports for r in report.results if r.waived is None and is_finding(r, reviews)]


def tally(reports: Sequence[Report], fail_on: str, reviews: bool = False) -> str:
    """The run's open findings in a few words, and how many fail it: "7 open gaps (1 error, 6 warnings); 1 at
    or above --fail-on error: exit 1", or "no open gap"; the waived gaps are counted beside."""
    found = open_findings(reports, reviews)
    waived = sum(1 for report in reports for r in report.results if r.waived is not None)
    if not found:
        return "no open gap" + (f" ({waived} waived)" if waived else "")
    by_rank = sorted(SEVERITY_RANK, key=SEVERITY_RANK.__getitem__, reverse=True)  # error first
    counts = {s: sum(1 for r in found if r.severity == s) for s in by_rank}
    kinds = ", ".join(counted(n, s) for s, n in counts.items() if n)
    kinds += f"; {waived} waived" if waived else ""
    head = f"{counted(len(found), 'open gap')} ({kinds})"
    if fail_on == "never":
        return f"{head}; --fail-on never: exit 0"
    failing = sum(1 for r in found if fails(r, fail_on))
    return f"{head}; {failing} at or above --fail-on {fail_on}: exit {1 if failing else 0}"


def rule_counts(reports: Sequence[Report], reviews: bool = False) -> list[tuple[int, str, str, str]]:
    """(open findings, severity, rule id, title) of each rule with any, most first, then the more severe,
    then by id: what `check --statistics` prints."""
    counts: dict[str, tuple[int, str, str]] = {}
    for r in open_findings(reports, reviews):
        n, _, _ = counts.get(r.rule, (0, "", ""))
        counts[r.rule] = (n + 1, r.severity, r.title)
    return sorted(((n, sev, rule, title) for rule, (n, sev, title) in counts.items()),
                  key=lambda c: (-c[0], -SEVERITY_RANK[c[1]], c[2]))
