"""Helpers shared by commands: listing the inputs, writing output to a file or standard output."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import ingest
from ..batch import walk_folder
from ..model import CheckerError
from ..output import write_atomic


def emit(content: str, output: str | None) -> None:
    if output and output != "-":
        write_atomic(output, content)
    else:
        click.echo(content, nl=False)


def stdout_is_tty() -> bool:
    return sys.stdout.isatty()


def expand_folders(args: tuple[str, ...]) -> tuple[list[str], int]:
    """The inputs with each folder replaced by the known input files under it (as batch walks them:
    hidden and git-ignored paths left out); also how many folders there were."""
    files: list[str] = []
    folders = 0
    for arg in args:
        if arg != "-" and Path(arg).is_dir():
            folders += 1
            found = walk_folder(Path(arg))
            if not found:
                raise CheckerError(f"no input files ({' '.join(sorted(ingest.READERS))}) in this folder",
                                   file=arg)
            files += [str(f) for f in found if str(f) not in files]
        elif arg not in files:
            files.append(arg)
    return files, folders
