"""Options and helpers shared by commands: severity thresholds, output writing, exit codes."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from ..model import Report
from ..output import write_atomic

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
FAIL_ON = ("error", "warning", "info", "never")


def has_failures(reports: Sequence[Report], fail_on: str) -> bool:
    """True when any unwaived gap (or rule error) is at or above the --fail-on severity."""
    if fail_on == "never":
        return False
    floor = SEVERITY_RANK[fail_on]
    for report in reports:
        for r in report.results:
            if r.waived is not None:
                continue
            if (r.is_gap or r.error) and SEVERITY_RANK[r.severity] >= floor:
                return True
    return False


def emit(content: str, output: str | None) -> None:
    if output and output != "-":
        write_atomic(output, content)
    else:
        click.echo(content, nl=False)


def stdout_is_tty() -> bool:
    return sys.stdout.isatty()
