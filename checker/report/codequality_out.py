"""GitLab Code Quality report: the open gaps (and met findings marked for review) as issues a merge request
shows beside its diff (`artifacts: reports: codequality:`, the Code Climate issue format GitLab reads)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from ..fingerprint import result_fingerprint
from ..model import Report, Result
from .context import gap_sentence, placed_findings, relative_path, review_message
from .json_out import dumps_indented

# cydcheck's severities as GitLab's (info, minor, major, critical, blocker): a required element missing
# is critical; a met finding to read again is minor
SEVERITY = {"error": "critical", "warning": "major", "info": "info"}
REVIEW = "minor"


def _issue(report: Report, r: Result, line: int, description: str, severity: str,
           root: str | None) -> dict[str, Any]:
    path = relative_path(report.document, root, composed=True)
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


def issues(reports: Sequence[Report], root: str | None = None) -> list[dict[str, Any]]:
    """One issue per open gap (or rule error), at the section's heading (or the sentence it rests on), and one
    per met finding marked for review, at its sentence; waived gaps are left out, as in the gate."""
    out = []
    for report in reports:
        for p in placed_findings(report):
            r = p.result
            if p.review:
                out.append(_issue(report, r, p.line, f"{r.rule}: {review_message(r)}", REVIEW, root))
            else:
                out.append(_issue(report, r, p.line, f"{r.rule}: {gap_sentence(r)}",
                                  SEVERITY.get(r.severity, "info"), root))
    return out


def render(reports: Sequence[Report], **options) -> str:
    return dumps_indented(issues(reports, options.get("root"))) + "\n"
