"""`cydcheck config`, and applying the configuration to a run (shared by check, baseline, diff, explain)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from .. import ingest
from ..api import Checker
from ..config import COMMAND_LINE, Config, load_config, native_path
from ..model import CheckerError, Document, LeftOut, Report, Result
from ..packs import shadowing
from ..selection import RuleSelection, unmatched
from ..suggest import did_you_mean
from .common import complete_packs, rule_names

# From this many documents, `check --jobs` uses worker processes: fewer do not repay their start (about
# 0.3 s a worker: the imports and the packs from the compiled-pack cache).
PARALLEL_FROM = 100

config_option = click.option(
    "--config", "config_path", default=None, type=click.Path(dir_okay=False),
    help="Configuration file (default: the nearest .cydcheck.yaml or pyproject.toml [tool.cydcheck]).")


def rules_dirs_option(f: Callable) -> Callable:
    return click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(file_okay=False),
                        help="Extra folder of packs, searched before the built-in ones (default: config).")(f)


def pack_option(f: Callable) -> Callable:
    return click.option("--pack", "pack", default=None, shell_complete=complete_packs,
                        help="Pack id, path to a pack file, or 'auto' (default: config, else auto).")(f)


def resolve(config_path: str | None, **cli_values: Any) -> Config:
    """The configuration file's settings with the command-line values (those given) on top."""
    return load_config(config_path).override(**cli_values)


def settings_files(cfg: Config, baseline: bool = True) -> list[Path]:
    """The files a run reads besides its inputs: the configuration file and (with `baseline`) the waivers
    file, when there is one; no output of the run may replace them."""
    files = [cfg.file] if cfg.file is not None else []
    waivers = Path(cfg["baseline"])
    return files + ([waivers] if baseline and waivers.is_file() else [])


def make_checker(cfg: Config, **options: Any) -> Checker:
    """The checker of the configured rule folders (`options`: Checker's others), their stand-ins warned of."""
    extra = [Path(d) for d in cfg["rules-dirs"]]
    require_folders(extra)
    warn_shadowing(extra)
    return Checker(extra_dirs=extra, **options)


def require_folders(extra: Sequence[Path]) -> None:
    """Fail on a rules folder that does not exist: passed over, its house packs would go unread in silence."""
    for folder in extra:
        if not folder.is_dir():
            hint = " (a path written on Windows? write it with '/')" if "\\" in str(folder) else ""
            raise CheckerError(f"rules folder not found{hint}", file=str(folder))


def warn_shadowing(extra: Sequence[Path]) -> None:
    """Warn of each pack of the rule folders that stands in for a built-in one of the same name: a house
    `sk-106.yaml` would replace the shipped pack in every run, silently."""
    for path, name in shadowing(list(extra)):
        click.echo(f"cydcheck: warning: {path} stands in for the built-in pack '{name}' (a rules folder is "
                   f"searched first): every '--pack {name}' and 'extends: {name}' reads it; to build on the "
                   f"built-in pack, name the file otherwise and write 'extends: {name}' in it", err=True)


def pack_ref(cfg: Config) -> str | Path:
    pack = str(cfg["pack"])
    if pack.endswith((".yaml", ".yml")):
        path = Path(pack)
        # A pack path from a configuration file is relative to that file's folder.
        if not path.is_absolute() and cfg.file is not None and cfg.source("pack") != "command line":
            home = cfg.file.resolve().parent
            path = home / native_path(pack, home)
        return path
    return pack


def check_files(cfg: Config, files: Sequence[str], form: str | None = None, checker: Checker | None = None,
                metadata: dict[str, Any] | None = None, packs: Sequence[str] = (),
                jobs: int = 1, stdin_name: str | None = None) -> list[Report]:
    """Check every input with the configured pack (or each of `packs`, one report per pack); keep the
    results of the selected rules only.

    `form` overrides every input's form; `metadata` is added to every document's metadata. With jobs > 1
    and at least PARALLEL_FROM documents, they are checked in that many worker processes (same reports,
    same order). Standard input ('-') is named `stdin_name` where given (--stdin-filename)."""
    return [r for found in check_documents(cfg, files, form, checker, metadata, packs, jobs, stdin_name)
            for r in found]


def check_documents(cfg: Config, files: Sequence[str], form: str | None = None,
                    checker: Checker | None = None, metadata: dict[str, Any] | None = None,
                    packs: Sequence[str] = (), jobs: int = 1,
                    stdin_name: str | None = None) -> list[list[Report]]:
    """check_files, its reports kept together by document: an inline XBRL filing gives two (its section's
    and its cyd tags'), where a draft of the same section gives one."""
    checker = checker or make_checker(cfg)
    refs = tuple(pack_ref(cfg.override(pack=p)) for p in packs) if packs else (pack_ref(cfg),)
    chosen = selection(cfg)
    docs = []
    unreadable: list[CheckerError] = []
    for path in files:
        try:
            loaded = ingest.load(path, stdin_name=stdin_name)
        except CheckerError as exc:  # read on: every file that stops the run is named in its one line
            unreadable.append(exc)
            continue
        for doc in loaded:
            doc.set_given(form, metadata)
            docs.append(doc)
    if unreadable:
        raise unreadable_error(unreadable)
    if jobs > 1 and len(docs) >= PARALLEL_FROM:  # each worker loads its own packs: a fresh Checker
        from .. import parallel  # late: a check of a few drafts never loads multiprocessing

        checked = parallel.map_ordered(_check_packs, docs, (replace(checker, _packs={}), refs), jobs)
    else:
        checked = [_check_packs((checker, refs), doc) for doc in docs]
    reports: list[Report] = []
    seen: set[tuple[str, str | None]] = set()
    for found in checked:
        for report in found:
            seen.update((r.rule, r.element) for r in report.results)
            keep_selected(cfg, chosen, report)
            reports.append(report)
    if not (cfg["select"] or cfg["disable"]):  # no selection to look up: no outline read, no schema loaded
        return checked
    seen.update(builtin_names())  # asked of every input, though reported only where they find something
    # and the rules of every pack used, run or not: a filing made before its item applied runs none of them,
    # yet a selection of them names rules of the pack it was checked with
    chosen_ids = sorted({rep.pack_id for rep in reports} & checker.available())  # what "auto" chose
    seen.update(rule_names([r for r in refs if str(r) != "auto"] + chosen_ids, checker.extra_dirs))
    for key in ("select", "disable"):
        unknown = unmatched(cfg[key], seen)
        if unknown and reports:
            click.echo(f"cydcheck: warning: {cfg.source(key)}: '{key}' names no rule of the packs used: "
                       f"{', '.join(u + did_you_mean(u, _names(seen)) for u in unknown)}", err=True)
    if reports and not any(chosen.keeps(rule, element) for rule, element in seen):
        # nothing left to check would pass any gate: say so and fail, rather than report 0 gaps
        raise CheckerError(empty_selection(cfg))
    return checked


def unreadable_error(errors: Sequence[CheckerError], most: int = 5) -> CheckerError:
    """The one error of a run some of whose inputs could not be read: the error itself for one, else each
    file's (the first `most`) on one line, said to have stopped the whole run."""
    if len(errors) == 1:
        return errors[0]
    more = f"; and {len(errors) - most} more" if len(errors) > most else ""
    return CheckerError(f"{len(errors)} inputs could not be read, so none was checked: "
                        + "; ".join(str(e) for e in errors[:most]) + more)


def keep_selected(cfg: Config, chosen: RuleSelection, report: Report) -> None:
    """Keep the report's results of the selected rules; each other rule is named as left out, and why."""
    kept: list[Result] = []
    for r in report.results:
        if chosen.keeps(r.rule, r.element):
            kept.append(r)
        else:
            why = setting(cfg, chosen, r.rule, r.element)
            report.left_out.append(LeftOut(r.rule, r.element, r.title, why))
    report.results = kept


def document_checker(cfg: Config, checker: Checker) -> Callable[[Document], list[Report]]:
    """One document checked as `check` checks it: the configured pack (with the cyd tag pack where 'auto'
    adds it), the configured selection kept (`serve` checks each upload so)."""
    refs, chosen = (pack_ref(cfg),), selection(cfg)

    def check_one(doc: Document) -> list[Report]:
        reports = checker.check_packs(doc, refs)
        for report in reports:
            keep_selected(cfg, chosen, report)
        return reports

    return check_one


def builtin_names() -> set[tuple[str, str | None]]:
    """The built-in findings as (rule id, element) pairs: a selection may name them."""
    from .. import builtin_checks  # late: only when a selection is looked up

    return {(c.id, None) for c in builtin_checks.CHECKS}


def _names(pairs: set[tuple[str, str | None]]) -> set[str]:
    """The rule ids and element ids of (rule, element) pairs."""
    return {name for pair in pairs for name in pair if name}


def empty_selection(cfg: Config, pairs: set[tuple[str, str | None]] = frozenset()) -> str:
    """The error for a selection that keeps no rule, naming the rule or element meant where one is near."""
    hints = "".join(did_you_mean(e, _names(pairs)) for e in cfg["select"]) if pairs else ""
    return (f"the selection (select: {', '.join(cfg['select']) or 'every rule'}; disable: "
            f"{', '.join(cfg['disable']) or 'none'}) keeps no rule of the packs used: nothing was checked"
            f"{hints} (see `cydcheck rules list`)")


def refuse_empty_selection(cfg: Config, checker: Checker, packs: Sequence[str] = ()) -> None:
    """Before any input is read: a selection that keeps no rule of any pack the run could use (every `select`
    entry a typo) is the usage error check_documents would give after checking every input."""
    if not cfg["select"]:
        return
    refs = [*sorted(checker.available()), *(pack_ref(cfg.override(pack=p)) for p in packs), pack_ref(cfg)]
    pairs = rule_names([r for r in refs if str(r) != "auto"], checker.extra_dirs)
    chosen = selection(cfg)
    if not any(chosen.keeps(rule, element) for rule, element in pairs):
        raise CheckerError(empty_selection(cfg, pairs))


def selection(cfg: Config) -> RuleSelection:
    """The configuration's `select` and `disable`."""
    return RuleSelection(tuple(cfg["select"]), tuple(cfg["disable"]))


def setting(cfg: Config, chosen: RuleSelection, rule: str, element: str | None) -> str:
    """Which setting left the rule out, and where it was set: "disable: SK106-B2, in ./.cydcheck.yaml"."""
    entry = chosen.reason(rule, element)
    key = "disable" if entry else "select"
    source = cfg.source(key)
    where = "on the command line" if source == COMMAND_LINE else f"in {source}"
    return f"disable: {entry}, {where}" if entry else f"not in select: {', '.join(chosen.select)}, {where}"


def _check_packs(state: tuple[Checker, tuple[str | Path, ...]], doc: Document) -> list[Report]:
    checker, refs = state
    return checker.check_packs(doc, refs)


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@click.command("config", short_help="Print the effective configuration and where it came from.")
@config_option
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def config_cmd(config_path, fmt) -> None:
    """Print the effective configuration and where each value came from."""
    cfg = load_config(config_path)
    rows = cfg.as_rows()
    if fmt == "json":
        data = {"file": str(cfg.file) if cfg.file else None,
                "settings": {k: {"value": v, "source": s} for k, v, s in rows}}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"# configuration file: {cfg.file if cfg.file else 'none found (defaults only)'}")
    width = max(len(f"{k} = {_show(v)}") for k, v, _ in rows)
    for key, value, source in rows:
        click.echo(f"{f'{key} = {_show(value)}':<{width}}  # {source}")
