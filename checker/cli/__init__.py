"""The `cydcheck` command line: a thin layer over the library; one module per command group."""

from __future__ import annotations

import errno
import importlib
import os
import shlex
import sys
from pathlib import Path
from typing import NoReturn

import click

from .. import __version__
from ..model import CheckerError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it

# name: (module, attribute, short help). A command's module is imported only when that command runs, so
# `--version`, `--help` and `check` do not load what `batch` or `eval` need. The short help is the one
# the command would give (tests/test_cli_startup.py keeps the two the same).
COMMANDS = {
    "baseline": ("baseline", "baseline", "Record the current gaps as waivers in a baseline file."),
    "batch": ("batch", "batch", "Check many filings: JSON reports, summaries, a dashboard."),
    "check": ("check", "check", "Check drafts or filings: each element met, partial or missing."),
    "config": ("config", "config_cmd", "Print the effective configuration and where it came from."),
    "diff": ("diff", "diff", "Compare two drafts: the elements improved or regressed."),
    "eval": ("eval", "eval_cmd", "Score the checker on labelled records (precision, recall)."),
    "explain": ("explain", "explain", "Explain a rule: requirement, citation, guidance, examples."),
    "extract": ("extract", "extract", "Print the Item 1C / 16K / 1.05 section found in a file."),
    "learn": ("learn", "learn", "Train learned sentence weights on labelled records."),
    "examples": ("peers", "examples", "How peers say an element: real sentences, with sources."),
    "peers": ("peers", "peers_group", "Build and summarise the peer examples."),
    "serve": ("serve", "serve", "Serve a local page: drop a draft, read its gap report."),
    "rules": ("rules", "rules", "Inspect, validate and test rule packs."),
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attr, _ = COMMANDS[cmd_name]
        return getattr(importlib.import_module(f"{__name__}.{module}"), attr)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None,
                                                                             list[str]]:
        """As click's; a file or folder given where a command belongs is told how to check it."""
        if args and args[0] not in COMMANDS and not args[0].startswith("-") and _is_path(args[0]):
            hint = f"cydcheck check {shlex.quote(args[0])}"
            raise click.UsageError(f"'{args[0]}' is not a command; to check it: {hint}")
        if args and args[0] not in COMMANDS and not args[0].startswith("-"):
            from ..suggest import nearest  # only for a misspelt command

            close = nearest(args[0], COMMANDS)
            raise click.UsageError(f"No such command '{args[0]}'."
                                   + (f" Did you mean '{close}'?" if close else " See `cydcheck --help`."))
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _is_path(arg: str) -> bool:
    """True when arg names an existing file or folder (a name too long or with a NUL names none)."""
    try:
        return Path(arg).exists()
    except (OSError, ValueError):
        return False


TOP_EPILOG = """\b
Examples:
  cydcheck check draft.docx                  # the gaps of a draft
  cydcheck check filings/ -o cydcheck.sarif  # a folder, SARIF for code scanning
  cydcheck explain material_effect           # what a rule asks for
  cydcheck rules list                        # the packs and their rules

\b
Exit codes:
  0  clean: no unwaived gap at or above --fail-on
  1  findings: an unwaived gap at or above --fail-on (diff: a regression)
  2  a bad option or input (said in one line on stderr)
  3  internal failure: a bug, please report it
  130  interrupted

Run `cydcheck COMMAND --help` for a command's options."""


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=TOP_EPILOG)
@click.version_option(__version__, prog_name="cydcheck")
def cli() -> None:
    """Check SEC cybersecurity disclosures (10-K Item 1C, 20-F Item 16K, 8-K Item 1.05)."""


# click 8.2 raises this for a group given no command (8.1 prints the help and exits 0 itself)
_NO_ARGS_IS_HELP: type[Exception] | tuple[()] = getattr(click.exceptions, "NoArgsIsHelpError", ())


def _one_line(text: object) -> str:
    # A file name may hold a newline or an escape sequence: one line, nothing the terminal acts on.
    from ..report.terminal import one_line  # only when there is an error: the renderers load late

    return one_line(text)


def _dashed_file_hint(exc: click.ClickException, args: list[str]) -> str:
    """For an unknown option that is a file's name ("-draft.md" read as the options -d -r ...): how to name
    it; else nothing."""
    if not isinstance(exc, click.NoSuchOption) or "--" in args:
        return ""
    name = next((a for a in args if a.startswith(exc.option_name) and _is_path(a)), None)
    if name is None:
        return ""
    return f" '{name}' is a file: to name it, write {shlex.quote('./' + name)} (or put -- before it)"


def _interrupted(exc: KeyboardInterrupt) -> NoReturn:
    """Ctrl-C: say so (with what the command kept, where it says) and exit 130."""
    click.echo("cydcheck: interrupted" + (f": {exc}" if str(exc) else ""), err=True)
    sys.exit(EXIT_INTERRUPTED)


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors are one line and exit 2; a crash never exits 0."""
    from .ascii_terminal import plain_terminal_streams

    sys.stdout, sys.stderr = plain_terminal_streams(sys.stdout, sys.stderr)
    try:
        code = cli.main(args=argv, prog_name="cydcheck", standalone_mode=False)
    except CheckerError as exc:
        click.echo(f"cydcheck: error: {_one_line(exc)}", err=True)
        sys.exit(EXIT_USAGE)
    except click.exceptions.Abort as exc:
        ctrl_c = exc.__cause__ or exc.__context__
        if isinstance(ctrl_c, KeyboardInterrupt):  # click wraps Ctrl-C in Abort
            _interrupted(ctrl_c)
        click.echo("cydcheck: aborted", err=True)
        sys.exit(EXIT_USAGE)
    except _NO_ARGS_IS_HELP as exc:  # `cydcheck`, `cydcheck rules`: the help, as it is, not on one line
        click.echo(exc.ctx.get_help() if exc.ctx else exc.format_message(), err=True)
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        ctx = getattr(exc, "ctx", None)  # a usage error: where the command's options are told
        where = f" (see `{ctx.command_path} --help`)" if isinstance(exc, click.UsageError) and ctx else ""
        message = exc.format_message() + _dashed_file_hint(exc, sys.argv[1:] if argv is None else argv)
        click.echo(f"cydcheck: error: {_one_line(message)}{where}", err=True)
        sys.exit(EXIT_USAGE)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt as exc:
        _interrupted(exc)
    except BrokenPipeError:
        sys.exit(EXIT_OK)
    except OSError as exc:
        if exc.errno != errno.ENAMETOOLONG or exc.filename is None:
            _internal_error(exc)
        # a name given (a long Windows path, accents two bytes each) that this system cannot hold
        click.echo(f"cydcheck: error: {_one_line(os.fsdecode(exc.filename))}: file name too long for this "
                   f"system", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: report, never exit 0
        _internal_error(exc)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def _internal_error(exc: BaseException) -> NoReturn:
    """A bug: said in one line, exit 3."""
    click.echo(f"cydcheck: internal error: {type(exc).__name__}: {_one_line(exc)} (please report this)",
               err=True)
    sys.exit(EXIT_INTERNAL)
