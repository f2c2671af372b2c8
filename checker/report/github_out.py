"""GitHub Actions output: `::error file=...,line=...::` annotations, plus a Markdown job summary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..model import Location, Report, coverage_text, tag_text
from ..output import Output
from . import markdown_out
from .context import gap_sentence, placed_findings, repo_path, review_message
from .terminal import safe

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    # The runner's own escaping rules for workflow command values (actions/toolkit, command.ts).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _log_line(text: str) -> str:
    """A plain log line the runner cannot read as a command: one line (a file name may hold a newline),
    not starting with '::'."""
    line = text.replace("\r", "\\r").replace("\n", "\\n")  # shown, not decoded: no %-escapes here
    return " " + line if line.startswith("::") else line


def _annotation(command: str, props: Mapping[str, str], message: str) -> str:
    prop_text = ",".join(f"{k}={_escape_property(v)}" for k, v in props.items())
    return f"::{command} {prop_text}::{_escape_data(message)}"


def _place(where: Location | None, line: int) -> dict[str, str]:
    """An annotation's line (and column, where known): of the location found, else the line given."""
    place = {"line": str(where.line if where else line)}
    if where is not None and where.column:
        place["col"] = str(where.column)
    return place


def annotations(reports: Sequence[Report]) -> list[str]:
    """One annotation per open gap (or rule error), most severe first within each document, and a notice per
    met finding marked for review, at its sentence."""
    lines = []
    for report in reports:
        for p in placed_findings(report):
            r = p.result
            props = {"file": repo_path(report.document), **_place(p.location, p.line),
                     "title": f"{r.rule}: {r.title}"}
            if p.review:  # met, on a reading to check
                lines.append(_annotation("notice", props, review_message(r)))
                continue
            message = f"{gap_sentence(r)} ({r.citation})\nGuidance: {r.guidance}"
            message += "".join(f"\nFiler tag: {tag_text(t)}" for t in report.tags_of(r))
            lines.append(_annotation(COMMAND[r.severity], props, message))
    return lines


def render(reports: Sequence[Report], **options) -> str:
    lines = annotations(reports)
    for report in reports:
        s = report.summary()
        counts = (f"{s['met']} met, {s['partial']} partial, {s['missing']} missing, "
                  f"{s['not_applicable']} n/a — {coverage_text(s)}")
        lines.append(_log_line(f"{report.document.source}: {counts}"))
    return safe("\n".join(lines) + "\n")  # no escape sequence reaches the CI log


def step_summary(reports: Sequence[Report], env: Mapping[str, str], **options) -> list[Output]:
    """The Markdown summary to append to $GITHUB_STEP_SUMMARY when the runner provides one (an
    output like any other: guarded against the inputs and committed with the run's other outputs)."""
    path = env.get("GITHUB_STEP_SUMMARY")
    return [Output(path, markdown_out.render(reports, **options), append=True)] if path else []

