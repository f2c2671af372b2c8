"""Concise output, `file:line:col: severity: RULE message`: one line a finding, which an editor's problem
matcher, Vim's errorformat and Emacs's compilation-mode parse; and `check --stdin-filename` for a buffer."""

from __future__ import annotations

import re
from pathlib import Path

from cli_helpers import run_main
from report_samples import REVIEW_SAMPLE, SAMPLES, hostile_report, sample_reports

from checker.report import render

ROOT = Path(__file__).resolve().parent.parent
DEFICIENT = ROOT / "samples" / "draft-10k-1c-deficient.md"
COMPLETE = ROOT / "samples" / "draft-10k-1c-complete.md"

# VS Code's problemMatcher regexp as docs/editors.md gives it, and Vim's `%f:%l:%c: %t%*[^:]: %m` as a regex
PROBLEM_MATCHER = re.compile(r"^(.+?):(\d+):(\d+): (error|warning|info): (.*)$")
VIM = re.compile(r"^([^:]+):(\d+):(\d+): ([ewi])[a-z]*: (.*)$")

# a line of a draft with everything an editor counts differently before the sentence: a tab, curly quotes,
# an emoji (two UTF-16 code units, four bytes) and CJK characters (three bytes each)
BEFORE = "\tWe said \u201chi\u201d \U0001f600 \u4e2d\u6587\u4e2d\u6587. "
BLANK = "Our CISO, [\u25cf], reports to the Audit Committee."


def weird_draft(tmp_path: Path) -> tuple[Path, int, int]:
    """The complete sample with a blank put after BEFORE on one line, saved with a BOM and CRLF line ends;
    the line and the 1-based column (in characters) where the blank's sentence starts."""
    text = COMPLETE.read_text(encoding="utf-8").replace(
        "Our Board of Directors oversees our risk", BEFORE + BLANK + " Our Board of Directors oversees our risk")
    path = tmp_path / "weird.md"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    line = next(i for i, s in enumerate(text.split("\n"), 1) if BLANK in s)
    return path, line, len(BEFORE) + 1


def test_one_line_per_open_gap_and_review_mark_that_editors_parse(checker):
    reports = sample_reports(checker, *SAMPLES, REVIEW_SAMPLE)
    lines = render(reports, "concise").splitlines()
    gaps = [r for rep in reports for r in rep.results if r.waived is None and (r.is_gap or r.error)]
    marks = [r for rep in reports for r in rep.results if r.review and r.evidence and not (r.is_gap or r.error)]
    assert gaps and marks and len(lines) == len(gaps) + len(marks)
    for line in lines:
        m = PROBLEM_MATCHER.match(line)
        assert m and VIM.match(line), line
        assert m.group(1).endswith(".json") and int(m.group(2)) >= 1 and int(m.group(3)) >= 1
    assert sum(" info: " in line and "reading to check" in line for line in lines) == len(marks)


def test_under_fail_on_review_a_review_mark_prints_at_its_rules_severity(checker):
    # `check --fail-on-review -f concise`: the marks fail the run, yet each printed as 'info', which VS Code's
    # problems list and Vim's quickfix treat as nothing to act on
    reports = sample_reports(checker, REVIEW_SAMPLE)
    marks = {r.rule: r.severity for rep in reports for r in rep.results
             if r.review and r.evidence and not (r.is_gap or r.error)}
    assert marks
    for fails, expected in ((False, lambda rule: "info"), (True, lambda rule: marks[rule])):
        gate = {"fail_on": "error", "fail_on_review": fails, "failed": fails}
        printed = [line for line in render(reports, "concise", gate=gate).splitlines() if "reading to check" in line]
        assert len(printed) == len(marks)
        for line in printed:
            m = PROBLEM_MATCHER.match(line)
            assert m and m.group(4) == expected(m.group(5).split()[0]), line


def test_a_sentence_is_pointed_at_by_its_character_column_after_tabs_emoji_and_cjk(checker, tmp_path,
                                                                                     monkeypatch, capsys):
    path, line, column = weird_draft(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_main(capsys, "check", "weird.md", "-f", "concise", "--no-examples")
    assert code == 1
    found = [m for m in map(PROBLEM_MATCHER.match, out.splitlines()) if m and "DRAFT-PLACEHOLDER" in m.group(5)]
    assert [(m.group(1), int(m.group(2)), int(m.group(3))) for m in found] == [("weird.md", line, column)]
    raw = path.read_bytes().decode("utf-8-sig").split("\r\n")[line - 1]
    assert raw[column - 1:].startswith(BLANK)  # the file's own line, from that character


def test_an_absolute_path_inside_the_working_folder_is_printed_relative(tmp_path, monkeypatch, capsys):
    draft = tmp_path / "drafts" / "10-k.md"
    draft.parent.mkdir()
    draft.write_bytes(DEFICIENT.read_bytes())
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(capsys, "check", str(draft), "-f", "concise", "-q")
    assert code == 1 and out and err == ""
    assert all(line.startswith("drafts/10-k.md:1:1: ") for line in out.splitlines()), out


def test_a_clean_draft_prints_nothing_and_exits_0(capsys):
    code, out, err = run_main(capsys, "check", str(COMPLETE), "-f", "concise", "-q")
    assert (code, out, err) == (0, "", "")


def test_a_hostile_file_name_and_text_stay_one_line_a_finding(checker):
    report = hostile_report(checker)
    text = render([report], "concise")
    assert "\x1b" not in text and "\x07" not in text
    lines = text.splitlines()
    assert lines and all(PROBLEM_MATCHER.match(line) for line in lines)
    assert len(lines) == sum(1 for r in report.results if r.waived is None and (r.is_gap or r.error))


def test_stdin_is_named_by_stdin_filename_and_read_as_its_suffix_says(monkeypatch, capsys):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(DEFICIENT.read_bytes())))
    code, out, err = run_main(capsys, "check", "-", "--stdin-filename", "drafts/10-k.md", "-f", "concise")
    assert code == 1, err
    assert out and all(line.startswith("drafts/10-k.md:1:1: ") for line in out.splitlines()), out
    docx = ROOT / "samples" / "draft-10k-1c-deficient.docx"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(docx.read_bytes())))
    code, out, err = run_main(capsys, "check", "-", "--stdin-filename", "draft.docx", "-f", "concise")
    assert code == 1 and out.startswith("draft.docx:"), err


def test_stdin_filename_without_standard_input_is_a_usage_error(capsys):
    code, _, err = run_main(capsys, "check", str(DEFICIENT), "--stdin-filename", "x.md")
    assert code == 2 and "--stdin-filename" in err and "'-'" in err


def test_column_unit_counts_as_each_editor_does(tmp_path, monkeypatch, capsys):
    """Vim's quickfix takes a column as a byte index, VS Code as UTF-16 code units: with curly quotes, an
    emoji and CJK before a sentence, a character column sent either editor a few places off."""
    path, line, _ = weird_draft(tmp_path)
    monkeypatch.chdir(tmp_path)
    raw = path.read_bytes().decode("utf-8-sig").split("\r\n")[line - 1]
    in_unit = {"character": raw, "utf-16": raw.encode("utf-16-le"), "byte": raw.encode("utf-8")}
    width = {"character": 1, "utf-16": 2, "byte": 1}
    for unit, encoded in in_unit.items():
        code, out, _ = run_main(capsys, "check", "weird.md", "-f", "concise", "--column-unit", unit, "-q")
        m = next(m for m in map(PROBLEM_MATCHER.match, out.splitlines()) if "DRAFT-PLACEHOLDER" in m.group(5))
        at = (int(m.group(3)) - 1) * width[unit]
        rest = encoded[at:] if unit == "character" else encoded[at:].decode(
            "utf-16-le" if unit == "utf-16" else "utf-8")
        assert rest.startswith(BLANK), (unit, rest[:30])
