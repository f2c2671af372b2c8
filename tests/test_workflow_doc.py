"""docs/workflow.md as a user follows it: its walk-through run as written, its commands' options real."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import click

from checker.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "workflow.md"
WALKTHROUGH = "## Five minutes in a fresh repository"
_FENCE = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _section(title: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(title)
    end = text.find("\n## ", start + len(title))
    return text[start:end if end > 0 else None]


def _shell_blocks(text: str) -> list[str]:
    return [m.group(1) for m in _FENCE.finditer(text)]


def _run_walkthrough(tmp_path: Path) -> tuple[list[int], str, str]:
    """Both blocks in one shell, as a user types them; the exit code of each block is recorded."""
    blocks = _shell_blocks(_section(WALKTHROUGH))
    assert len(blocks) == 2
    script = "".join(f'{block}\necho "@@rc=$?"\n' for block in blocks)
    env = {**os.environ, "CYDCHECK": str(ROOT),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    env.pop("SOURCE_DATE_EPOCH", None)
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    codes = [int(c) for c in re.findall(r"^@@rc=(\d+)$", done.stdout, re.MULTILINE)]
    return codes, done.stdout, done.stderr


def test_the_walkthrough_runs_as_written(tmp_path):
    codes, out, err = _run_walkthrough(tmp_path)
    repo = tmp_path / "drafts-repo"
    assert codes == [1, 0], err
    first, after_first = out.split("@@rc=")[:2]
    # The text report on standard output ...
    assert "disclosures/fy2025-item-1c.md: 10-K Item 1C" in first
    assert "MISSING  SK106-B2-MATERIAL-EFFECT" in first
    assert "cydcheck: checked 1 file" in err
    # ... and every file the walk-through promises.
    sarif = json.loads((repo / "build" / "cydcheck.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    summary = (repo / "build" / "summary.md").read_text(encoding="utf-8")
    assert "cydcheck" in summary and "SK106-B2-MATERIAL-EFFECT" in summary
    assert not (repo / "-").exists()
    baseline = (repo / ".cydcheck-baseline.yaml").read_text(encoding="utf-8")
    assert baseline.count("file: disclosures/fy2025-item-1c.md") == 7 and "expires: 2099-12-31" in baseline
    # After the baseline every gap is waived: --quiet prints nothing.
    assert after_first.split("\n", 1)[1] == ""


def _commands(text: str) -> list[list[str]]:
    """Every `cydcheck ...` command in the document's shell blocks, continuation lines joined."""
    commands = []
    for block in _shell_blocks(text):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split(" #", 1)[0].strip()
            if line.startswith("cydcheck "):
                commands.append(shlex.split(line)[1:])
    return commands


def test_every_documented_command_uses_options_the_cli_has():
    commands = _commands(DOC.read_text(encoding="utf-8"))
    assert len(commands) >= 10
    for argv in commands:
        command, ctx = cli, click.Context(cli)
        # get_command, not .commands: the top-level group imports its commands lazily
        while isinstance(command, click.Group) and argv and command.get_command(ctx, argv[0]) is not None:
            command, argv = command.get_command(ctx, argv[0]), argv[1:]
        assert not isinstance(command, click.Group), argv
        known = {opt for p in command.params for opt in (*p.opts, *p.secondary_opts)}
        used = {a.split("=", 1)[0] for a in argv if a.startswith("-") and a != "-"}
        assert used <= known, (command.name, sorted(used - known))

