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


def assert_one_line_error(code: int, err: str, name: str, phrase: str) -> None:
    """Exit 2 and exactly one stderr line, 'cydcheck: error: ...', naming the file and saying the phrase."""
    assert code == 2, err
    assert err.startswith("cydcheck: error: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert name in err and phrase in err
    assert "Traceback" not in err


def board_pack(pack: str, title: str, rule: str, applies_to: bool = False) -> str:
    """A one-rule pack: a sentence naming the board meets board oversight (error)."""
    scope = "applies_to: [{form: 10-K, item: 1C}]\n" if applies_to else ""
    return (f'pack: {pack}\ntitle: {title}\nversion: "1"\n{scope}vocabularies:\n  board: [\'board\']\nrules:\n'
            f'  - id: {rule}\n    element: board_oversight\n    title: Board\n    citation: "106(c)(1)"\n'
            "    severity: error\n    message: Missing.\n    guidance: Add it.\n"
            "    match: {sentence: {all: [board]}}\n")


def plan_pack(board_severity: str = "error") -> str:
    """A two-rule pack: board oversight, and a tested incident response plan in two parts."""
    return PLAN_PACK.replace("severity: BOARD", f"severity: {board_severity}")


PLAN_PACK = r"""
pack: tiny
title: Tiny test pack
version: "1"
applies_to: [{form: 10-K, item: 1C}]
vocabularies:
  board: ['board']
  cyber: ['cyber\w*']
  plan: ['incident\s+response\s+plan']  # \s+: a reflowed draft breaks lines anywhere
  tested: ['tested', 'exercised']
rules:
  - id: T-BOARD
    title: Board oversight
    citation: "test (c)(1)"
    severity: BOARD
    message: No board oversight.
    guidance: Say how the board oversees cyber risk.
    match: {sentence: {all: [board, cyber]}}
  - id: T-PLAN
    title: Tested incident response plan
    citation: "test (b)(1)"
    severity: error
    message: No tested plan.
    guidance: Say that the plan exists and is tested.
    parts:
      - {name: plan, match: {sentence: {any: [plan]}}}
      - {name: tested, match: {sentence: {all: [plan, tested]}}}
"""
