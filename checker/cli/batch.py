"""`cydcheck batch`: check folders, globs and JSONL files in parallel into an output folder."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import batch as batch_mod
from ..gate import FAIL_ON
from ..listing import unread_warning
from ..report import RENDERERS
from ..report.terminal import one_line
from .common import JOBS_HELP, FormName, cap_jobs, note_backslash_names
from .config import require_folders, warn_shadowing


@click.command(short_help="Check many filings: JSON reports, summaries, a dashboard.")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--out", "out", required=True, type=click.Path(file_okay=False),
              help="Output folder: reports/, summary.csv (summary-excel.csv for Excel), summary.jsonl, "
                   "dashboard.html.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes (0: one per CPU). " + JOBS_HELP)
@click.option("--html", is_flag=True, help="Also write an HTML report per filing.")
@click.option("--force", is_flag=True, help="Check every input again, even those done by an earlier run.")
@click.option("--pack", "pack", default="auto", show_default=True,
              help="Pack id, path to a pack file, or 'auto' to choose per filing.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="Exit 1 when a filing has a gap at or above this severity.")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Extra folder of packs (searched before the built-in rules).")
@click.option("--form", default=None, type=FormName(),
              help="Override the form (10-K, 20-F, 8-K) of every input.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: on a terminal).")
def batch(inputs, out, jobs, html, force, pack, fail_on, rules_dirs, form, progress) -> None:
    """Check INPUTS (folders, glob patterns, files; JSONL files give one filing a line).

    Exit 2 when any input could not be checked (it is listed with its error in the summary),
    else 1 when a filing has a gap at or above --fail-on, else 0. A re-run with the same --out
    skips the filings already done unless --force.
    """
    require_folders([Path(d) for d in rules_dirs])
    warn_shadowing([Path(d) for d in rules_dirs])
    options = batch_mod.BatchOptions(out=Path(out), pack=pack, form=form, rules_dirs=tuple(rules_dirs),
                                     html=html, force=force, jobs=cap_jobs(jobs))
    show = progress if progress is not None else sys.stderr.isatty()
    if html and "html" not in RENDERERS:
        click.echo("cydcheck: note: no HTML renderer is installed; writing JSON reports only", err=True)
    result = batch_mod.run_batch(inputs, options, batch_mod.Progress() if show else None)
    note_backslash_names([out])
    for folder, unread in result.unread.items():  # no document is thought checked that was not
        click.echo(one_line(unread_warning(folder, unread)), err=True)
    if result.note:
        click.echo(f"cydcheck: note: {result.note}", err=True)
    # inputs, not filings: a JSON file of several records is one input and a row a record
    inputs = ("filing" if len(result.rows) == result.total else "input") + ("s" if result.total != 1 else "")
    rows = "" if len(result.rows) == result.total else f"of {len(result.rows)} filings "
    checked = result.checked - result.failed  # so that checked, already done and failed add up to the total
    click.echo(f"cydcheck: {result.total} {inputs}: {checked} checked, {result.skipped} already done, "
               f"{result.failed} failed, in {result.elapsed:.1f}s; summary {rows}in "
               f"{Path(out) / batch_mod.SUMMARY_CSV} (for Excel: {Path(out) / batch_mod.SUMMARY_EXCEL}); "
               f"{result.gate_text(fail_on)}", err=True)
    raise click.exceptions.Exit(result.exit_code(fail_on))
