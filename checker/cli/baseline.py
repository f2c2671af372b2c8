"""`cydcheck baseline`: record the current gaps as waivers; and applying waivers during `check`."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import click

from ..baseline import (
    WaiverNotice,
    apply_waivers,
    dump_baseline,
    load_baseline,
    merge,
    own_comments,
    record,
    relative_file,
    today,
)
from ..config import Config
from ..ingest.decode import settings_text
from ..model import CheckerError, Report, counted
from ..output import refuse_overwriting_inputs, write_atomic
from ..report.terminal import one_line
from .common import FormName, expand_folders
from .config import check_files, config_option, pack_option, resolve, rules_dirs_option, settings_files


def waive(cfg: Config, reports: list[Report]) -> list[WaiverNotice]:
    """Apply the configured baseline (if there is one) to the reports; print and return the notices.

    The default baseline (.cydcheck-baseline.yaml beside the configuration) is optional; one named
    in the configuration or on the command line must exist.
    """
    path = Path(cfg["baseline"])
    if cfg.is_default("baseline") and not path.is_file():
        return []
    waivers = load_baseline(path)
    name = os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd().resolve()) else str(path)
    notices = apply_waivers(reports, waivers, path.resolve().parent, today(), baseline_name=name,
                            files_exist=True)
    for n in notices:
        click.echo(f"cydcheck: warning: {n.message}", err=True)
    return notices


def _parse_expires(value: str | None, on: date) -> date | None:
    """The --expires date; one already past would write waivers that never hold."""
    if value is None:
        return None
    try:
        until = date.fromisoformat(value)
    except ValueError:
        raise CheckerError(f"--expires must be a date (YYYY-MM-DD), not '{value}'") from None
    if until < on:
        raise CheckerError(f"--expires {until} is in the past (today is {on}); waivers would lapse at once")
    return until


@click.command("baseline", short_help="Record the current gaps as waivers in a baseline file.")
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--output", "output", default=None, type=click.Path(dir_okay=False),
              help="Baseline file to write (default: config 'baseline', else .cydcheck-baseline.yaml).")
@click.option("--justification", required=True,
              help="Why these gaps are accepted (recorded in each new waiver).")
@click.option("--approved-by", "approved_by", required=True, help="Who approved them.")
@click.option("--expires", default=None, metavar="DATE",
              help="Date (YYYY-MM-DD) after which the new waivers lapse (today or later).")
@click.option("--update", is_flag=True,
              help="Renew the waivers kept from the file: give them the --expires date (none: no expiry).")
@click.option("--fail-on-review/--no-fail-on-review", "fail_on_review", default=None,
              help="Also record the met elements marked for review, for runs with --fail-on-review "
                   "(default: config 'fail-on-review').")
@pack_option
@rules_dirs_option
@click.option("--form", default=None, type=FormName(),
              help="Override the form (10-K, 20-F, 8-K) of every input.")
@config_option
def baseline(files, output, justification, approved_by, expires, update, fail_on_review, pack, rules_dirs,
             form, config_path) -> None:
    """Record the current gaps of FILE(s) (or of the drafts in a folder) as waivers in a baseline file.

    Waivers already in the file keep their justification, approver and expiry (--update renews
    their expiry); waivers of the checked files that no longer match a gap are dropped; waivers of
    other files are kept.
    """
    if not justification.strip() or not approved_by.strip():
        raise CheckerError("--justification and --approved-by must not be empty")
    until = _parse_expires(expires, today())
    cfg = resolve(config_path, pack=pack, rules_dirs=rules_dirs, baseline=output,
                  fail_on_review=fail_on_review)
    path = Path(cfg["baseline"])
    base_dir = path.resolve().parent
    inputs = expand_folders(files, cfg["exclude"])[0]  # the files check would check
    # as given (`out/` names a folder); never over a draft or the configuration, said before reading it
    never = [*inputs, *settings_files(cfg, baseline=False)]
    refuse_overwriting_inputs([cfg["baseline"]], never)
    existing = load_baseline(path) if path.is_file() else []
    # with no waiver to keep them with, the comments of a file of none go
    loose = [] if existing or not path.is_file() else own_comments(settings_text(path.read_bytes(),
                                                                                 str(path)))
    reports = check_files(cfg, inputs, form)
    current = record(reports, base_dir, justification.strip(), approved_by.strip(), until,
                     reviews=cfg["fail-on-review"])
    checked = {relative_file(r.document.source, base_dir) for r in reports}
    merged = merge(existing, current, checked, renew=update, base_dir=base_dir)
    write_atomic(cfg["baseline"], dump_baseline(merged), never)
    kept_notes = {w.key for w in merged}
    dropped_notes = [(w.line, note) for w in existing if w.key not in kept_notes for note in w.notes]
    dropped_notes += [(n, c) for n, c, _ in loose]
    if dropped_notes:
        notes = "; ".join(f"line {n}: {c}" for n, c in dropped_notes)
        click.echo(one_line(f"cydcheck: warning: {path}: rewritten without the comments of the waivers it "
                            f"dropped (or of a file of none): {notes}"), err=True)
    kept_keys = {w.key for w in current} & {w.key for w in existing}
    kept = len(kept_keys)
    dropped = len(existing) - kept - (len(merged) - len(current))
    renewed = f", {kept} renewed" if update and kept else ""
    documents = counted(len(reports), "document")
    click.echo(f"{path}: {counted(len(current), 'waiver')} for {documents} "
               f"({len(current) - kept} new, {kept} kept{renewed}, {dropped} dropped; "
               f"{len(merged)} in the file)", err=True)
    lapsed = [w for w in merged if w.key in kept_keys and w.is_expired(today())]
    if lapsed and not update:
        click.echo(f"cydcheck: warning: {counted(len(lapsed), 'kept waiver')} "
                   "expired; re-run with --update (and a new --expires) to renew them", err=True)
