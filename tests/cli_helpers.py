"""Run the real `cydcheck` entry point in-process and capture what a user would see."""

from __future__ import annotations

import pytest

from checker.cli import main


def run_main(capsys, *args: str) -> tuple[int, str, str]:
    """Run checker.cli.main(args); return (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err
