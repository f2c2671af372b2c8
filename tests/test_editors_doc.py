"""docs/editors.md as the engineer wiring an editor follows it: VS Code's problem matcher and Vim's errorformat,
as written there, parse what `check --format concise` prints and land on the sentence in each editor's unit."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from cli_helpers import run_main
from test_readme_doc import _command, _options

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
DRAFT = "Our CISO, [\u25cf], reports to the Audit Committee."
BEFORE = "\t\u201cWe\u201d \U0001f600 \u4e2d\u6587. "  # a tab, curly quotes, an emoji, CJK


def _block(lang: str, after: str) -> str:
    """The first fenced block of `lang` after the heading `after`."""
    start = DOC.index(after)
    return re.search(rf"^```{lang}\n(.*?)^```", DOC[start:], re.MULTILINE | re.DOTALL).group(1)


def _vim_regex(efm: str) -> list[tuple[re.Pattern[str], str]]:
    """Vim's errorformat entries (as :setlocal takes them) as regexes, with the type letter each gives."""
    out = []
    for entry in efm.replace("\\ ", " ").split(","):
        m = re.fullmatch(r"%f:%l:%c: %t(\w+): %m", entry)
        assert m, entry
        out.append((re.compile(rf"^([^:]+):(\d+):(\d+): (\w){m.group(1)}: (.*)$"), m.group(1)))
    return out


def _draft(tmp_path: Path) -> tuple[str, int]:
    """A deficient draft with a blank after BEFORE; the line the blank's sentence is on."""
    text = (ROOT / "samples" / "draft-10k-1c-deficient.md").read_text(encoding="utf-8")
    text = text.replace("Our IT team handles", BEFORE + DRAFT + " Our IT team handles")
    (tmp_path / "draft.md").write_text(text, encoding="utf-8")
    return text, next(i for i, s in enumerate(text.split("\n"), 1) if DRAFT in s)


def test_vscode_problem_matcher_as_documented_reads_every_line_and_lands_on_the_sentence(tmp_path, monkeypatch,
                                                                                           capsys):
    task = json.loads(_block("json", "## VS Code"))["tasks"][0]
    pattern = task["problemMatcher"]["pattern"]
    regexp = re.compile(pattern["regexp"])
    text, line = _draft(tmp_path)
    monkeypatch.chdir(tmp_path)
    args = [a.replace("${file}", "draft.md") for a in task["args"]]
    code, out, err = run_main(capsys, *args)
    assert code == 1 and err == ""
    found = [regexp.match(s) for s in out.splitlines()]
    assert found and all(found), out
    assert {m.group(pattern["severity"]) for m in found} <= {"error", "warning", "info"}
    blank = next(m for m in found if m.group(pattern["code"]) == "DRAFT-PLACEHOLDER")
    assert int(blank.group(pattern["line"])) == line
    utf16 = text.split("\n")[line - 1].encode("utf-16-le")[2 * (int(blank.group(pattern["column"])) - 1):]
    assert utf16.decode("utf-16-le").startswith(DRAFT)


def test_vim_errorformat_as_documented_reads_every_line_and_lands_on_the_byte(tmp_path, monkeypatch, capsys):
    block = _block("vim", "## Vim and Neovim")
    makeprg = re.search(r"makeprg=((?:\\ |\S)+)", block).group(1).replace("\\ ", " ")
    efm = _vim_regex(re.search(r"errorformat=((?:\\ |\S)+)", block).group(1))
    text, line = _draft(tmp_path)
    monkeypatch.chdir(tmp_path)
    argv = shlex.split(makeprg.replace("%", "draft.md"))
    assert argv[0] == "cydcheck"
    code, out, _ = run_main(capsys, *argv[1:])
    assert code == 1
    parsed = []
    for s in out.splitlines():
        m = next((m for rx, _ in efm if (m := rx.match(s))), None)
        assert m, s
        parsed.append(m)
    assert {m.group(4) for m in parsed} <= {"e", "w", "i"}
    blank = next(m for m in parsed if m.group(5).startswith("DRAFT-PLACEHOLDER"))
    assert int(blank.group(2)) == line
    raw = text.split("\n")[line - 1].encode("utf-8")
    assert raw[int(blank.group(3)) - 1:].startswith(DRAFT.encode("utf-8"))


def test_every_command_in_the_editors_doc_uses_options_the_cli_has():
    commands = re.findall(r"`(cydcheck [^`]+)`", DOC) + [
        line for block in re.findall(r"^```sh\n(.*?)^```", DOC, re.MULTILINE | re.DOTALL)
        for line in block.splitlines() if line.startswith("cydcheck ")]
    commands += ["cydcheck " + " ".join(json.loads(_block("json", "## VS Code"))["tasks"][0]["args"])]
    assert len(commands) >= 4
    for line in commands:
        argv = shlex.split(line.split(" <", 1)[0].replace("M-x compile RET ", ""))[1:]
        command, rest = _command(argv)
        used = {a for a in rest if a.startswith("-") and a != "-"}
        assert used <= _options(command), (line, sorted(used - _options(command)))
