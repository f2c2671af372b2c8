"""README.md as a new user reads it: its commands' options real, what it says reads the configuration does."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click

from checker.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
_FENCE = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)
_INLINE = re.compile(r"(?<!`)`(cydcheck [^`]+)`")


def _command(argv: list[str]) -> tuple[click.Command, list[str]]:
    """The (sub)command an argument list names, and the arguments left for it."""
    command, ctx = cli, click.Context(cli)
    # get_command, not .commands: the top-level group imports its commands lazily
    while isinstance(command, click.Group) and argv and command.get_command(ctx, argv[0]) is not None:
        command, argv = command.get_command(ctx, argv[0]), argv[1:]
    return command, argv


def _options(command: click.Command) -> set[str]:
    return {opt for p in command.params for opt in (*p.opts, *p.secondary_opts)}


def _readme_commands() -> list[list[str]]:
    """Every `cydcheck ...` command of the README: its shell blocks (continuations joined) and inline spans."""
    lines = [line.split(" #", 1)[0].strip()
             for block in _FENCE.findall(README) for line in block.replace("\\\n", " ").splitlines()]
    lines += _INLINE.findall(README)
    return [shlex.split(line)[1:] for line in lines if line.startswith("cydcheck ") and line[9:10] != " "]


def test_every_readme_command_uses_options_the_cli_has():
    commands = _readme_commands()
    assert len(commands) >= 20
    for argv in commands:
        command, rest = _command(argv)
        if isinstance(command, click.Group):
            continue  # `cydcheck --version`
        used = {a.split("=", 1)[0] for a in rest if a.startswith("-") and a != "-"}
        assert used <= _options(command), (command.name, sorted(used - _options(command)))


def test_the_commands_said_to_read_the_configuration_file_read_it():
    """The README names which commands read `.cydcheck.yaml` and which do not: each reader takes --config."""
    said = re.search(r"The configuration file is read by (.*?); (.*?) read only their own\s+options", README, re.S)
    assert said, "the README says which commands read the configuration file"
    readers = re.findall(r"`([a-z]+(?: [a-z]+)?)`", said.group(1))
    others = re.findall(r"`([a-z]+)`", said.group(2))
    assert {"check", "batch"} <= set(readers) | set(others)
    for name in readers:
        command = _command(name.split())[0]
        ctx = click.Context(command)
        subcommands = ([command.get_command(ctx, sub) for sub in command.list_commands(ctx)]
                       if isinstance(command, click.Group) else [command])
        for sub in subcommands:
            assert "--config" in _options(sub), (name, sub.name)
    for name in others:
        assert "--config" not in _options(_command([name])[0]), name
