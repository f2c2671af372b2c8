"""`cydcheck eval`: measure the checker against labelled records and enforce accuracy thresholds."""

from __future__ import annotations

import json

import click

from ..evaluate import (
    combinations,
    evaluate,
    label_records,
    load_records,
    predict,
    read_ids,
    render_combinations,
    render_json,
    render_table,
    score,
    select_records,
)
from ..model import CheckerError
from ..output import refuse_overwriting_inputs
from .common import JOBS_HELP, cap_jobs, emit, output_format


@click.command("eval", short_help="Score the checker on labelled records (precision, recall).")
@click.argument("corpus", nargs=-1)
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default=None,
              help="table or json (default: json for a .json --output, else table).")
@click.option("-o", "--output", default=None,
              help="Write the result here (atomic) instead of standard output.")
@click.option("--pack", default="auto", show_default=True, help="Pack id or path; 'auto': chosen per record.")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Extra folder of packs (searched before the built-in rules).")
@click.option("--high-only", is_flag=True, help="Leave out labels marked low-confidence.")
@click.option("--recall-only", is_flag=True,
              help="Score positive labels only (filer-tagged records, whose negatives are unreliable).")
@click.option("--disagreements/--no-disagreements", default=True, show_default=True,
              help="List every disagreement in the table.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes. " + JOBS_HELP)
@click.option("--min-micro-f1", type=float, default=None, help="Exit 1 when micro-F1 is below this.")
@click.option("--min-gap-f1", type=float, default=None, help="Exit 1 when gap-F1 is below this.")
@click.option("--min-element-f1", type=float, default=None,
              help="Exit 1 when any element's F1 (its recall with --recall-only) is below this.")
@click.option("--min-recall", type=float, default=None, help="With --recall-only: exit 1 below this recall.")
@click.option("--filer-tags", default=None, metavar="FOLDER_OR_JSONL",
              help="Score recall on the filers' own cyd tags instead of CORPUS: a folder of inline XBRL "
                   "filings, or a .jsonl of records built from tags (implies --recall-only).")
@click.option("--ids", "ids_file", default=None, metavar="FILE",
              help="Score only the records whose ids this file lists (one a line, '#' comments).")
@click.option("--exclude-ids", "exclude_file", default=None, metavar="FILE",
              help="Leave out the records whose ids this file lists (e.g. the blind validation split).")
@click.option("--combinations", "show_combinations", is_flag=True,
              help="Score every combination of the rules with the pack's learned model (rules, learned, "
                   "either, both, rules_then_learned, learned_then_rules) side by side, from one prediction "
                   "run.")
@click.option("--bootstrap", "resamples", type=click.IntRange(0, 100_000), default=0, show_default=True,
              metavar="N",
              help="Also print the 95% interval of gap-F1 and micro-F1 (of recall, with --recall-only) "
                   "over N resamples of the records, drawn with replacement and seeded: how far the score "
                   "could move on another draw of filings like these. 1000 is usual; 0: none.")
def eval_cmd(corpus, fmt, output, pack, rules_dirs, high_only, recall_only, disagreements, jobs, min_micro_f1,
             min_gap_f1, min_element_f1, min_recall, filer_tags, ids_file, exclude_file,
             show_combinations, resamples) -> None:
    """Score the checker on CORPUS: folders of labelled JSON records or .jsonl files of them.

    An element counts as addressed when its status is met or partial. gap-F1 is F1 with
    "not addressed" as the positive class: how well the checker finds the gaps.
    """
    jobs = cap_jobs(jobs)
    fmt = output_format(fmt, output, "table")
    inputs = [*corpus, *(p for p in (filer_tags, ids_file, exclude_file) if p)]
    refuse_overwriting_inputs([output], inputs)  # before the run, not after minutes of it
    if show_combinations:
        if filer_tags or recall_only or resamples or not corpus:
            raise click.UsageError("--combinations needs a labelled CORPUS (not --filer-tags, --recall-only, "
                                   "--bootstrap)")
        records = select_records([r for c in corpus for r in load_records(c)],
                                 read_ids(ids_file) if ids_file else None,
                                 read_ids(exclude_file) if exclude_file else None)
        if not records:
            raise CheckerError("no labelled record is left after --ids/--exclude-ids", file=corpus[0])
        evs = combinations(records, predict(records, pack, jobs, rules_dirs, scores=True),
                           corpus=" + ".join(corpus), high_only=high_only)
        if fmt == "json":
            text = json.dumps({m: ev.to_dict() for m, ev in evs.items()}, indent=2, ensure_ascii=False) + "\n"
        else:
            text = render_combinations(evs)
        emit(text, output, inputs)
        return
    if filer_tags:
        # Tags say which elements a filer answered; an untagged element proves nothing: recall only.
        records = label_records(filer_tags)
        ev = score(records, predict(records, pack, jobs, rules_dirs), corpus=filer_tags, high_only=high_only,
                   recall_only=True)
    elif corpus:
        ev = evaluate(corpus, pack=pack, high_only=high_only, recall_only=recall_only, jobs=jobs,
                      rules_dirs=rules_dirs, ids=read_ids(ids_file) if ids_file else None,
                      exclude=read_ids(exclude_file) if exclude_file else None)
    else:
        raise click.UsageError("give a CORPUS or --filer-tags FOLDER_OR_JSONL")
    given = {"min_micro_f1": min_micro_f1, "min_gap_f1": min_gap_f1, "min_element_f1": min_element_f1,
             "min_recall": min_recall}
    ev.thresholds = {k: v for k, v in given.items() if v is not None}
    if resamples:
        ev.bootstrap(resamples)
    failures = ev.failures()  # raises a usage error for a threshold that does not fit the mode
    emit(render_json(ev) if fmt == "json" else render_table(ev, disagreements), output, inputs)
    raise click.exceptions.Exit(1 if failures else 0)
