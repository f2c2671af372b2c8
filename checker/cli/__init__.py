"""The `cydcheck` command line: a thin layer over the library; one module per command group."""

from __future__ import annotations

import sys

import click

from .. import __version__
from ..model import CheckerError
from . import baseline as baseline_cmd
from . import batch as batch_cmd
from . import check as check_cmd
from . import config as config_cmd
from . import diff as diff_cmd
from . import eval as eval_cmd
from . import explain as explain_cmd
from . import extract as extract_cmd
from . import peers as peers_cmd
from . import rules as rules_cmd
from . import serve as serve_cmd  # light: the web framework is imported when `serve` runs

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cydcheck")
def cli() -> None:
    """Check SEC cybersecurity disclosures (10-K Item 1C, 20-F Item 16K, 8-K Item 1.05)."""


cli.add_command(check_cmd.check)
cli.add_command(batch_cmd.batch)
cli.add_command(rules_cmd.rules)
cli.add_command(eval_cmd.eval_cmd)
cli.add_command(config_cmd.config_cmd)
cli.add_command(baseline_cmd.baseline)
cli.add_command(diff_cmd.diff)
cli.add_command(explain_cmd.explain)
cli.add_command(extract_cmd.extract)
cli.add_command(serve_cmd.serve)
cli.add_command(peers_cmd.peers_group)
cli.add_command(peers_cmd.examples)


def _one_line(text: object) -> str:
    # A file name may hold a newline; the error stays one line for scripts that read stderr by line.
    return str(text).replace("\r", "\\r").replace("\n", "\\n")


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors are one line and exit 2; a crash never exits 0."""
    try:
        code = cli.main(args=argv, prog_name="cydcheck", standalone_mode=False)
    except CheckerError as exc:
        click.echo(f"cydcheck: error: {_one_line(exc)}", err=True)
        sys.exit(EXIT_USAGE)
    except click.exceptions.Abort:
        click.echo("cydcheck: aborted", err=True)
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        click.echo(f"cydcheck: error: {_one_line(exc.format_message())}", err=True)
        sys.exit(EXIT_USAGE)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("cydcheck: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(EXIT_OK)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: report, never exit 0
        click.echo(f"cydcheck: internal error: {type(exc).__name__}: {_one_line(exc)} (please report this)",
                   err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
