"""`cydcheck diff OLD NEW`: elements that improved or regressed between two drafts; exit 1 on a regression."""

from __future__ import annotations

import json

import click

from .. import __version__
from ..diff import DraftDiff, diff_reports, render_markdown, render_text
from ..model import CheckerError
from ..output import refuse_overwriting_inputs
from ..report.terminal import safe
from .common import FormatChoice, FormName, emit, known_width, output_format
from .config import (
    check_documents,
    config_option,
    make_checker,
    pack_option,
    resolve,
    rules_dirs_option,
    settings_files,
)


def diff_files(old: str, new: str, cfg,
               form: str | None = None) -> tuple[list[DraftDiff], list[dict[str, str]]]:
    """Check both drafts with one checker and pair their documents in order, and each document's reports by
    pack: the diffs, and the reports one side alone has (a tagged filing's cyd-tags report beside the draft
    it was made from), which are not compared."""
    checker = make_checker(cfg)
    old_docs = check_documents(cfg, [old], form, checker)
    new_docs = check_documents(cfg, [new], form, checker)
    if len(old_docs) != len(new_docs):
        raise CheckerError(f"OLD has {len(old_docs)} documents and NEW has {len(new_docs)}; "
                           "diff compares drafts document by document", file=new)
    diffs: list[DraftDiff] = []
    alone: list[dict[str, str]] = []
    for olds, news in zip(old_docs, new_docs, strict=True):
        by_pack = {r.pack_id: r for r in news}
        pairs = [(o, by_pack[o.pack_id]) for o in olds if o.pack_id in by_pack]
        if not pairs:
            raise CheckerError(f"the drafts were checked with different packs ({olds[0].pack_id} and "
                               f"{news[0].pack_id}); choose one with --pack", file=news[0].document.source)
        paired = {o.pack_id for o, _n in pairs}
        diffs += [diff_reports(o, n) for o, n in pairs]
        alone += [{"side": side, "source": r.document.source, "pack": r.pack_id}
                  for side, reports in (("OLD", olds), ("NEW", news))
                  for r in reports if r.pack_id not in paired]
    return diffs, alone


def _not_compared(alone: list[dict[str, str]]) -> str:
    """A line per report one side alone has: what it is, and how to see it."""
    return "".join(f"\n{a['side']} {a['source']}: its {a['pack']} report has no counterpart in the other "
                   f"draft, so it is not compared (see `cydcheck check {a['source']}`)\n" for a in alone)


@click.command("diff", short_help="Compare two drafts: the elements improved or regressed.")
@click.argument("old")
@click.argument("new")
@pack_option
@rules_dirs_option
@click.option("--form", default=None, type=FormName(),
              help="Override the form (10-K, 20-F, 8-K) of both drafts.")
@click.option("-f", "--format", "fmt", type=FormatChoice(["text", "json", "markdown"]), default=None,
              help="text, json or markdown (default: json for a .json --output, markdown for a .md one, else "
                   "text); markdown: a "
                   "table per pair of drafts, for a letter or a review.")
@click.option("-o", "--output", default=None, help="Write the diff here (atomic) instead of standard output.")
@click.option("--all", "show_all", is_flag=True, help="Also list the elements that did not change.")
@config_option
def diff(old, new, pack, rules_dirs, form, fmt, output, show_all, config_path) -> None:
    """Compare draft OLD with draft NEW: which elements improved or regressed (missing < partial < met).

    Exits 1 when any element regressed: the gate for a pull request that edits a draft."""
    cfg = resolve(config_path, pack=pack, rules_dirs=rules_dirs)
    refuse_overwriting_inputs([output], [old, new, *settings_files(cfg)])
    chosen = output_format(fmt, output, "text", ("json", "markdown"))
    diffs, alone = diff_files(old, new, cfg, form)
    if chosen == "json":
        data = {"diffs": [d.to_dict() for d in diffs], "not_compared": alone,
                "tool": {"name": "cydcheck", "version": __version__}}
        content = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    elif chosen == "markdown":
        content = render_markdown(diffs, show_unchanged=show_all) + _not_compared(alone)
    else:
        # wrapped to the terminal's width (or COLUMNS); a file or a pipe gets a line a change
        content = (render_text(diffs, show_unchanged=show_all, width=known_width(output))
                   + safe(_not_compared(alone)))
    emit(content, output, [old, new, *settings_files(cfg)])
    raise click.exceptions.Exit(1 if any(d.has_regressions for d in diffs) else 0)
