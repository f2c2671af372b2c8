"""Helpers shared by commands: writing output to a file or standard output."""

from __future__ import annotations

import sys

import click

from ..output import write_atomic


def emit(content: str, output: str | None) -> None:
    if output and output != "-":
        write_atomic(output, content)
    else:
        click.echo(content, nl=False)


def stdout_is_tty() -> bool:
    return sys.stdout.isatty()
