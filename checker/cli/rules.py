"""`cydcheck rules`: list, show, validate and test rule packs."""

from __future__ import annotations

from pathlib import Path

import click
import yaml

from ..examples import run_examples
from ..model import CheckerError, counted
from ..packs import load_pack, pack_files, read_yaml, replaced_names
from ..pattern_advice import pack_advice
from .common import complete_rules, exit_with_errors, known_width
from .config import config_option, make_checker, resolve, rules_dirs_option
from .explain import find_rule, rule_table


@click.group()
def rules() -> None:
    """Inspect, validate and test rule packs."""


# Every rules command reads the packs as `check` does: the configuration's `rules-dirs`, or `--rules-dir`.


@rules.command("list")
@rules_dirs_option
@config_option
def list_cmd(rules_dirs, config_path) -> None:
    """List the available packs and their rules."""
    checker = make_checker(resolve(config_path, rules_dirs=rules_dirs))
    broken: list[CheckerError] = []  # the packs that cannot be read: said after the list of the others
    click.echo(rule_table(checker, known_width(None) or 80, broken), nl=False)  # a pipe: 80, as a text report
    exit_with_errors(broken)


@rules.command("show", short_help="Show one rule as YAML.")
@click.argument("rule_id", shell_complete=complete_rules)
@click.option("--pack", default=None,
              help="Pack to show it from (default: the rule's own pack; the others holding it are named).")
@rules_dirs_option
@config_option
def show_cmd(rule_id, pack, rules_dirs, config_path) -> None:
    """Show one rule as YAML (its requirement, citation, guidance, match logic and examples)."""
    # found as `explain` finds it: ids in any case, the rule's own pack before the packs adapting it
    # (sk-106's rule, not form-20f-16k's copy with its 20-F citation), a near id suggested
    checker = make_checker(resolve(config_path, rules_dirs=rules_dirs))
    found, rule, also = find_rule(checker, rule_id, pack or "auto")
    click.echo(f"# pack {found.id}" + (f" (also in: {', '.join(also)})" if also else ""))
    click.echo(yaml.safe_dump(rule.source, sort_keys=False, allow_unicode=True, width=100), nl=False)


@rules.command("validate", short_help="Validate pack files against the schema and compile them.")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@rules_dirs_option
@config_option
def validate_cmd(paths, rules_dirs, config_path) -> None:
    """Validate pack files (or each .yaml/.yml pack in a folder) against the schema and compile them; warn of
    patterns that will not match what they seem to say (a space before an optional group)."""
    checker = make_checker(resolve(config_path, rules_dirs=rules_dirs))
    broken: list[CheckerError] = []  # each broken pack is said, and the others validated: one run mends all
    for p in [f for given in paths for f in _pack_files(given)]:
        try:
            pack = load_pack(Path(p), checker.extra_dirs)
        except CheckerError as exc:
            broken.append(exc)
            continue
        for advice in [*pack_advice(read_yaml(Path(p)), p), *replaced_names(Path(p), checker.extra_dirs)]:
            click.echo(str(advice), err=True)
        click.echo(f"{p}: ok ({pack.id} {pack.version}, {counted(len(pack.rules), 'rule')})")
    exit_with_errors(broken)


def _pack_files(given: str) -> list[str]:
    """The path given, or the pack files (.yaml, .yml) in the folder given, in name order."""
    folder = Path(given)
    if not folder.is_dir():
        return [given]
    found = [str(f) for f in pack_files(folder)]
    if not found:
        raise CheckerError("no pack file (.yaml, .yml) in it", file=given)
    return found


@rules.command("test", short_help="Run every rule's embedded examples and tests.")
@click.argument("packs", nargs=-1)
@rules_dirs_option
@config_option
def test_cmd(packs, rules_dirs, config_path) -> None:
    """Run every rule's embedded examples (of the PACKS given: ids, files or folders of them; else of every
    pack); fail rules that lack pass or fail examples."""
    checker = make_checker(resolve(config_path, rules_dirs=rules_dirs))
    refs = [f for given in packs for f in _pack_files(given)] if packs else sorted(checker.available())
    failed = passed = examples_failed = 0
    for ref in refs:
        compiled = checker.pack(Path(ref) if ref.endswith((".yaml", ".yml")) else ref)
        outcome = run_examples(compiled)
        passed += outcome.passed
        examples_failed += outcome.count - outcome.passed
        for problem, reason in zip(outcome.problems, outcome.reasons, strict=True):
            click.echo(f"FAIL {compiled.id} {problem}\n  {reason}")
        failed += len(outcome.problems)
        problems = counted(len(outcome.problems), "problem")
        click.echo(f"{compiled.id}: {counted(outcome.count, 'example')}, {problems}")
    # a rule without pass or fail examples is a problem but no example: say so, or the counts do not add up
    unexampled = failed - examples_failed
    split = (f" ({counted(examples_failed, 'example')}, {counted(unexampled, 'rule')} without examples of a "
             "kind)" if unexampled else "")
    click.echo(f"{passed} passed, {failed} failed{split}")
    raise click.exceptions.Exit(1 if failed else 0)
