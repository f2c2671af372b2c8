"""Decide whether findings fail a run: severity thresholds shared by check, batch and CI gates."""

from __future__ import annotations

from collections.abc import Iterable

from .model import SEVERITIES, Report, Result

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
FAIL_ON = (*SEVERITIES, "never")


def is_finding(result: Result, reviews: bool = False) -> bool:
    """A gap or a rule error; with reviews, also a met verdict marked for review (--fail-on-review): what a
    gate counts, and what a baseline records and its waivers match."""
    return result.is_gap or result.error is not None or (reviews and bool(result.review))


def has_failures(reports: Iterable[Report], fail_on: str, reviews: bool = False) -> bool:
    """True when any unwaived gap (or rule error) is at or above the --fail-on severity; with reviews
    (--fail-on-review), a met verdict marked for review counts as one until it is waived."""
    if fail_on == "never":
        return False
    floor = SEVERITY_RANK[fail_on]
    return any(
        r.waived is None and is_finding(r, reviews) and SEVERITY_RANK[r.severity] >= floor
        for report in reports
        for r in report.results
    )
