"""`cydcheck peers build|stats` and `cydcheck examples ELEMENT`: how peers word each element."""

from __future__ import annotations

import difflib
import json
import os
import textwrap
from pathlib import Path

import click

from .. import peer_examples as peers
from ..model import CheckerError
from ..output import refuse_overwriting_inputs
from ..report.terminal import wrap
from ..shipped import installed
from .common import JOBS_HELP, FormName, cap_jobs, known_width
from .config import make_checker, resolve
from .explain import find_rule

SIZE_CHOICE = click.Choice([name for name, _, _ in peers.SIZES])


def _data(path: str | None) -> dict:
    return peers.load(Path(path) if path else peers.DATA_FILE)


OLD_COUNTS = "peers whose section our rules find addressing the element (an older file)"
data_option = click.option("--data", "data_path", default=None, type=click.Path(dir_okay=False),
                           help="Peer examples file (default: the one shipped in the package).")


def _element_named(name: str, known: list[str]) -> str:
    """The element `name` names: itself, or a rule's (as a report shows it: SK106-C2I-EXPERTISE, found as
    `explain` finds it); else an error with the near element, or why a known rule's element has none."""
    if name in known:
        return name
    try:
        _, rule, _ = find_rule(make_checker(resolve(None)), name, "auto")
    except CheckerError:
        rule = None
    if rule is not None and rule.element in known:
        return rule.element
    if rule is not None:
        raise CheckerError(f"no examples for '{name}': the peer examples cover the Item 106 elements (10-K "
                           f"Item 1C, 20-F Item 16K) only; `cydcheck explain {name}` shows the rule's own "
                           "examples")
    close = difflib.get_close_matches(name.casefold().replace("-", "_"), known, n=1, cutoff=0.8)
    hint = f" (did you mean {close[0]}?)" if close else ""
    raise CheckerError(f"no examples for element '{name}'{hint}; elements: {', '.join(known)}")


@click.group("peers", short_help="Build and summarise the peer examples.")
def peers_group() -> None:
    """Build and summarise the peer examples shipped with cydcheck."""


@peers_group.command("build", short_help="Rebuild the peer examples from a filer-tagged corpus.")
@click.argument("corpus", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", default=None,
              help="Where to write (default, in a checkout only: the file shipped in the package).")
@click.option("--jobs", default=min(2, os.cpu_count() or 1), show_default=True, type=click.IntRange(1, 64),
              help="Worker processes. " + JOBS_HELP)
def build(corpus, output, jobs) -> None:
    """Rebuild the peer examples from a filer-tagged corpus (.jsonl), e.g.
    ../shared/corpus/filer-tagged-fy2024.jsonl. The same corpus gives the same bytes."""
    from .. import peers as building  # the engine and the packs: only this command needs them

    if output is None and installed(peers.DATA_FILE.parent.parent):
        raise CheckerError(f"give -o FILE: the shipped peer examples, {peers.DATA_FILE}, belong to the "
                           "installed package; `cydcheck examples --data FILE` reads the one built")
    target = Path(output) if output else peers.DATA_FILE
    refuse_overwriting_inputs([target], [corpus])
    data = building.build(Path(corpus), jobs=cap_jobs(jobs))
    building.save(data, target)
    elements = sorted({x["element"] for x in data["examples"]})
    click.echo(f"{target}: {len(data['examples'])} examples for {len(elements)} elements from "
               f"{data['corpus']['records']} records (corpus sha256 {data['corpus']['sha256'][:12]}, "
               f"built {data['built']})")


@peers_group.command("stats", short_help="Share of peers whose own cyd tags mark each element.")
@click.option("--industry", default=None, help="SIC division letter (A-J) or a SIC code.")
@click.option("--size", type=SIZE_CHOICE, default=None, help="Public-float band.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@data_option
def stats(industry, size, fmt, data_path) -> None:
    """The share of peers (same industry and size) whose own cyd tags mark each element.

    Counted from the filers' tags in the corpus, not from our rules (whose recall is below 1)."""
    data = _data(data_path)
    division = peers.industry_of(industry)
    rows = peers.share(data, division, size)
    counts = str(data.get("stats_count") or OLD_COUNTS)
    if not rows:
        raise CheckerError("no peers of that industry and size in the corpus")
    if fmt == "json":
        click.echo(json.dumps({"industry": division, "size": size, "counts": counts, "elements": {
            e: {"addressed": a, "peers": n, "share": round(a / n, 4)} for e, (a, n) in sorted(rows.items())}},
            indent=2))
        return
    who = f"{peers.division_name(division)}, {size or 'any size'}"
    click.echo(f"Peers: {who} ({max(n for _, n in rows.values())} filings, {data['corpus']['name']})")
    click.echo(f"Share of {counts}:")
    for element, (a, n) in sorted(rows.items(), key=lambda kv: -kv[1][0] / kv[1][1]):
        click.echo(f"  {100 * a / n:5.1f}%  {element}  ({a} of {n})")


@click.command("examples", short_help="How peers say an element: real sentences, with sources.")
@click.argument("element")
@click.option("--industry", default=None, help="SIC division letter (A-J) or a SIC code.")
@click.option("--size", type=SIZE_CHOICE, default=None, help="Public-float band.")
@click.option("--n", "count", default=5, show_default=True, type=click.IntRange(1, 100),
              help="How many sentences to show.")
@click.option("--form", type=FormName(), default=None,
              help="Your form (10-K, 20-F): its filers' sentences first, as in its gap report.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@data_option
def examples(element, industry, size, count, form, fmt, data_path) -> None:
    """How peers say ELEMENT (e.g. board_oversight): real sentences, with their sources."""
    data = _data(data_path)
    element = _element_named(element, sorted({x["element"] for x in data["examples"]}))
    chosen = peers.choose(data, element, peers.industry_of(industry), size, count, form)
    if fmt == "json":
        click.echo(json.dumps([x.__dict__ for x in chosen], indent=2, ensure_ascii=False))
        return
    width = known_width(None)  # the terminal's (or COLUMNS): a braille display's 40 cells; a pipe: 100
    for x in chosen:
        click.echo(textwrap.fill(f"“{x.text}”", width or 100, subsequent_indent="  "))
        source = (f"— {x.company}, {x.form} FY{x.fiscal_year}, accession {x.accession} "
                  f"({peers.division_name(x.industry)}, {x.size or 'size not given'})")
        click.echo("\n".join(wrap(source, width, "  ", "    ")) + "\n")
