"""`cydcheck check`: check disclosures against a pack and render the findings."""

from __future__ import annotations

from pathlib import Path

import click

from .. import __version__, deadline
from ..api import Checker
from ..model import CheckerError
from ..report import RENDERERS, render
from .common import FAIL_ON, emit, has_failures, stdout_is_tty


def pair_outputs(formats: tuple[str, ...], outputs: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """Pair each --format with its --output (in order); unpaired formats go to stdout."""
    formats = formats or ("text",)
    if len(outputs) > len(formats):
        raise CheckerError("more --output paths than --format options")
    pairs = [(f, outputs[i] if i < len(outputs) else None) for i, f in enumerate(formats)]
    if sum(1 for _, o in pairs if o in (None, "-")) > 1:
        raise CheckerError("only one format can go to standard output; give --output for the others")
    return pairs


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--pack", "pack", default="auto", show_default=True,
              help="Pack id, path to a pack file, or 'auto' to choose from the form/heading.")
@click.option("--format", "formats", multiple=True, type=click.Choice(sorted(RENDERERS), case_sensitive=False),
              help="Output format; repeat for several (pair each with --output).")
@click.option("--output", "outputs", multiple=True, help="Write the matching --format here (atomic).")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="Exit 1 when a gap at or above this severity is found.")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Extra folder of packs (searched before the built-in rules).")
@click.option("--form", default=None, help="Override the form (10-K, 20-F, 8-K) of every input.")
@click.option("--color/--no-color", default=None, help="Colour the text summary (default: on a terminal).")
@click.option("--determined-on", default=None, metavar="DATE",
              help="8-K: day the incident was determined material (YYYY-MM-DD): checks the deadline.")
@click.option("--filed-on", default=None, metavar="DATE",
              help="8-K: filing date (YYYY-MM-DD, or a date-time: after 5:30 p.m. ET is the next day).")
@click.option("--closed-on", "closed_on", multiple=True, metavar="DATE",
              help="An extra day the SEC was closed (repeatable), for the 8-K deadline.")
@click.option("--executive-closures", is_flag=True,
              help="Also count federal closures by executive order (e.g. Christmas Eve) as closed.")
def check(files, pack, formats, outputs, fail_on, rules_dirs, form, color, determined_on, filed_on, closed_on,
          executive_closures) -> None:
    """Check FILE(s) (.txt .md .json .jsonl, '-' for stdin) and report which elements are met."""
    pairs = pair_outputs(tuple(f.lower() for f in formats), outputs)
    closures = frozenset(deadline.as_day(deadline.parse_date(d, "--closed-on")) for d in closed_on)
    dates = {k: v for k, v in (("determined_on", determined_on), ("filed_on", filed_on)) if v}
    for name, value in dates.items():
        deadline.parse_date(value, "--" + name.replace("_", "-"))  # a bad date is a usage error up front
    checker = Checker(extra_dirs=[Path(d) for d in rules_dirs],
                      calendar=deadline.BusinessCalendar(closures, executive_closures))
    pack_ref: str | Path = Path(pack) if pack.endswith((".yaml", ".yml")) else pack
    reports = []
    from .. import ingest

    for path in files:
        for doc in ingest.load(path):
            if form:
                doc.form = form.upper()
            doc.metadata.update(dates)
            reports.append(checker.check_document(doc, pack_ref))
    for fmt, out in pairs:
        colour = color if color is not None else (out in (None, "-") and stdout_is_tty())
        emit(render(reports, fmt, colour=colour, version=__version__), out)
    raise click.exceptions.Exit(1 if has_failures(reports, fail_on) else 0)
