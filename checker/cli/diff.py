"""`cydcheck diff OLD NEW`: elements that improved or regressed between two drafts; exit 1 on a regression."""

from __future__ import annotations

import json

import click

from .. import __version__
from ..diff import DraftDiff, diff_reports, render_text
from ..model import CheckerError
from ..output import refuse_overwriting_inputs
from .common import FormName, emit
from .config import (
    check_files,
    config_option,
    make_checker,
    pack_option,
    resolve,
    rules_dirs_option,
    settings_files,
)


def diff_files(old: str, new: str, cfg, form: str | None = None) -> list[DraftDiff]:
    """Check both drafts with one checker and pair their documents in order."""
    checker = make_checker(cfg)
    old_reports = check_files(cfg, [old], form, checker)
    new_reports = check_files(cfg, [new], form, checker)
    if len(old_reports) != len(new_reports):
        raise CheckerError(f"OLD has {len(old_reports)} documents and NEW has {len(new_reports)}; "
                           "diff compares drafts document by document", file=new)
    for o, n in zip(old_reports, new_reports, strict=True):
        if o.pack_id != n.pack_id:
            raise CheckerError(f"the drafts were checked with different packs ({o.pack_id} and {n.pack_id}); "
                               "choose one with --pack", file=n.document.source)
    return [diff_reports(o, n) for o, n in zip(old_reports, new_reports, strict=True)]


@click.command("diff")
@click.argument("old")
@click.argument("new")
@pack_option
@rules_dirs_option
@click.option("--form", default=None, type=FormName(),
              help="Override the form (10-K, 20-F, 8-K) of both drafts.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("-o", "--output", default=None, help="Write the diff here (atomic) instead of standard output.")
@click.option("--all", "show_all", is_flag=True, help="Also list the elements that did not change.")
@config_option
def diff(old, new, pack, rules_dirs, form, fmt, output, show_all, config_path) -> None:
    """Compare draft OLD with draft NEW: which elements improved or regressed (missing < partial < met).

    Exits 1 when any element regressed: the gate for a pull request that edits a draft."""
    cfg = resolve(config_path, pack=pack, rules_dirs=rules_dirs)
    refuse_overwriting_inputs([output], [old, new, *settings_files(cfg)])
    diffs = diff_files(old, new, cfg, form)
    if fmt == "json":
        data = {"diffs": [d.to_dict() for d in diffs], "tool": {"name": "cydcheck", "version": __version__}}
        content = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        content = render_text(diffs, show_unchanged=show_all)
    emit(content, output, [old, new, *settings_files(cfg)])
    raise click.exceptions.Exit(1 if any(d.has_regressions for d in diffs) else 0)
