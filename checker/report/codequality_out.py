"""GitLab Code Quality report: the open gaps (and met findings marked for review) as issues a merge request
shows beside its diff (`artifacts: reports: codequality:`, the Code Climate issue format GitLab reads)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from ..fingerprint import result_fingerprint
from ..gate import is_finding
from ..model import Evidence, Report, Result
from .context import gap_sentence, offending, repo_path, review_message, sort_results
from .json_out import dumps_indented

# cydcheck's severities as GitLab's (info, minor, major, critical, blocker): a required element missing
# is critical; a met finding to read again is minor
SEVERITY = {"error": "critical", "warning": "major", "info": "info"}
REVIEW = "minor"


def file_path(report: Report, root: str | None) -> str:
    """The input's path as GitLab links it: relative to the project's folder (`root`, where the job runs)
    when it was given absolute and lies inside it, with forward slashes."""
    path = PurePath(repo_path(report.document))
    if root and path.is_absolute() and path.is_relative_to(root):
        path = path.relative_to(root)
    return path.as_posix()


def _issue(report: Report, r: Result, line: int, description: str, severity: str,
           root: str | None) -> dict[str, Any]:
    path = file_path(report, root)
    # unique within the report and stable across runs: the finding's own fingerprint, in its file
    own = result_fingerprint(r, report.document)
    fingerprint = hashlib.sha256(f"{path}\0{own}".encode()).hexdigest()[:32]
    return {
        "type": "issue",
        "check_name": r.rule,
        "description": description,
        "content": {"body": f"{r.citation}. {r.guidance}".strip()},
        "categories": ["Compliance"],
        "severity": severity,
        "fingerprint": fingerprint,
        "location": {"path": path, "lines": {"begin": line}},
    }


def _line(e: Evidence) -> int:
    """The line of the input a quoted sentence starts on (its location's, where it was placed)."""
    return e.location.line if e.location else e.line


def issues(reports: Sequence[Report], root: str | None = None) -> list[dict[str, Any]]:
    """One issue per open gap (or rule error), at the section's heading (or the sentence it rests on), and one
    per met finding marked for review, at its sentence; waived gaps are left out, as in the gate."""
    out = []
    for report in reports:
        doc = report.document
        heading = report.section_location
        section_line = heading.line if heading else doc.line_of(doc.span[0])
        for r in sort_results(report.results):
            if r.review and r.evidence and not is_finding(r):
                out.append(_issue(report, r, _line(r.evidence[0]), f"{r.rule}: {review_message(r)}", REVIEW,
                                  root))
            elif r.waived is None and is_finding(r):
                e = offending(r)  # a gap that rests on a sentence is shown there
                out.append(_issue(report, r, section_line if e is None else _line(e),
                                  f"{r.rule}: {gap_sentence(r)}", SEVERITY.get(r.severity, "info"), root))
    return out


def render(reports: Sequence[Report], **options) -> str:
    return dumps_indented(issues(reports, options.get("root"))) + "\n"
