"""Batch mode: summaries and exit codes over good and bad inputs, resume, interruption, the dashboard."""

from __future__ import annotations

import csv
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.api import check as check_text
from checker.batch import (
    DASHBOARD,
    SUMMARY_CSV,
    SUMMARY_JSONL,
    BatchOptions,
    Task,
    check_line,
    check_record,
    expand_inputs,
    pack_elements,
    progress_line,
    run_batch,
    write_summaries,
)
from checker.cli import cli
from checker.model import CheckerError
from checker.summary import summary_row

# A pack of our own, so the expected statuses do not depend on the shipped rules.
PACK = """\
pack: batch-test
title: Batch test pack
version: 0.0.1
applies_to:
  - {form: 10-K, item: 1C}
vocabularies:
  cyber: ['cyber\\w*']
  board: ['board']
  assess: ['assess\\w*']
rules:
  - id: T-BOARD
    element: board_oversight
    title: Board oversight
    citation: "test"
    severity: error
    message: Say how the board oversees cyber risk.
    guidance: Name the board.
    match:
      sentence: {all: [board, cyber]}
  - id: T-ASSESS
    element: risk_process
    title: Risk assessment
    citation: "test"
    severity: warning
    message: Describe the assessment process.
    guidance: Describe it.
    match:
      sentence: {all: [assess, cyber]}
"""

BOTH = "Item 1C. Cybersecurity\n\nOur board oversees cybersecurity risk. We assess cyber threats yearly.\n"
BOARD_ONLY = "Item 1C. Cybersecurity\n\nOur board oversees cybersecurity risk.\n"
HOSTILE = "<script>alert('x')</script> & <b>Sons</b>"


@pytest.fixture()
def pack(tmp_path: Path) -> Path:
    p = tmp_path / "batch-test.yaml"
    p.write_text(PACK, encoding="utf-8")
    return p


@pytest.fixture()
def inputs(tmp_path: Path) -> Path:
    """A folder of good and bad filings, as a user would point batch at."""
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "good.txt").write_text(BOTH, encoding="utf-8")
    (d / "sub" / "gap.md").write_text(BOARD_ONLY, encoding="utf-8")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (d / "empty.txt").write_text("  \n", encoding="utf-8")
    (d / "notes.png").write_bytes(b"\x89PNG")  # not a known input type: not listed
    records = [
        {"id": "r1", "company": "Good Corp", "form": "10-K", "text": BOTH},
        {"id": "r2", "company": HOSTILE, "form": "10-K", "text": BOARD_ONLY},
    ]
    lines = [json.dumps(r) for r in records]
    lines.insert(1, "{not json")
    (d / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["batch", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def read_csv(out: Path) -> dict[str, dict[str, str]]:
    with open(out / SUMMARY_CSV, newline="", encoding="utf-8") as fh:
        return {Path(r["key"]).name: r for r in csv.DictReader(fh)}


def test_the_summary_names_the_elements_marked_for_review(tmp_path: Path) -> None:
    # a real 10-K section (labelled/) whose committee and monitoring verdicts the model alone carries, close to
    # its thresholds; the other section has none
    inputs = tmp_path / "in"
    inputs.mkdir()
    fixtures = Path(__file__).resolve().parent / "fixtures"
    for name in ("reports/rkt-2023-10k-1c.json", "reports/gd-2023-10k-1c.json"):
        (inputs / Path(name).name).write_bytes((fixtures / name).read_bytes())
    out = tmp_path / "out"
    code, output = run_cli(str(inputs), "--out", str(out), "--jobs", "1")
    assert code in (0, 1), output
    rows = read_csv(out)
    assert rows["rkt-2023-10k-1c.json"]["review"] == "board_committee mgmt_monitoring"
    assert rows["rkt-2023-10k-1c.json"]["board_committee"] == "met" and rows["gd-2023-10k-1c.json"]["review"] == ""
    # the dashboard counts the filings with marks and names the elements in its table, as the summary does
    page = (out / DASHBOARD).read_text(encoding="utf-8")
    assert "<b>1</b>with verdicts to review" in page
    rkt = page[page.index('rkt-2023-10k-1c.json</a>'):]
    assert "<td>board_committee mgmt_monitoring</td>" in rkt[:rkt.index("</tr>")]


def test_batch_over_good_and_bad_files(inputs: Path, pack: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = run_cli(str(inputs), "--out", str(out), "--pack", str(pack), "--jobs", "1")
    assert code == 2, output  # some inputs failed
    rows = read_csv(out)
    assert sorted(rows) == ["binary.txt", "empty.txt", "gap.md", "good.txt",
                            "records.jsonl:1", "records.jsonl:2", "records.jsonl:3"]
    good, gap = rows["good.txt"], rows["gap.md"]
    assert (good["board_oversight"], good["risk_process"], good["coverage"]) == ("met", "met", "1.0")
    assert (gap["board_oversight"], gap["risk_process"], gap["coverage"]) == ("met", "missing", "0.5")
    assert gap["worst"] == "warning" and good["worst"] == "" and good["error"] == ""
    assert "binary" in rows["binary.txt"]["error"] and "binary.txt" in rows["binary.txt"]["error"]
    assert "empty" in rows["empty.txt"]["error"]
    assert rows["records.jsonl:2"]["error"].endswith(":2: invalid JSON: Expecting property name enclosed "
                                                     "in double quotes")
    assert rows["records.jsonl:3"]["issuer"] == HOSTILE
    assert rows["records.jsonl:1"]["source"].endswith("records.jsonl#r1")
    for name in ("good.txt", "gap.md", "records.jsonl:1", "records.jsonl:3"):
        report = json.loads((out / rows[name]["report"]).read_text(encoding="utf-8"))
        assert report["pack"]["id"] == "batch-test"
        assert report["summary"]["coverage"] == float(rows[name]["coverage"])
    for name in ("binary.txt", "empty.txt", "records.jsonl:2"):
        assert rows[name]["report"] == "" and rows[name]["coverage"] == ""
    jsonl = [json.loads(line) for line in (out / SUMMARY_JSONL).read_text(encoding="utf-8").splitlines()]
    assert [Path(r["key"]).name for r in jsonl] == ["binary.txt", "empty.txt", "good.txt",
                                                    "records.jsonl:1", "records.jsonl:2", "records.jsonl:3",
                                                    "gap.md"]


@pytest.mark.parametrize(("files", "fail_on", "expected"), [
    (["good.txt"], "error", 0),
    (["gap.md"], "error", 0),  # its only gap is a warning
    (["gap.md"], "warning", 1),
    (["gap.md", "binary.txt"], "never", 2),  # an unreadable input wins over --fail-on
])
def test_exit_code(tmp_path: Path, pack: Path, files: list[str], fail_on: str, expected: int) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(BOTH, encoding="utf-8")
    (d / "gap.md").write_text(BOARD_ONLY, encoding="utf-8")
    (d / "binary.txt").write_bytes(b"\x00\x00")
    code, _ = run_cli(*[str(d / f) for f in files], "--out", str(tmp_path / "out"), "--pack", str(pack),
                      "--fail-on", fail_on, "--jobs", "1")
    assert code == expected


def test_globs_and_missing_inputs_are_rows_not_crashes(inputs: Path, pack: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_batch([str(inputs / "*.txt"), str(inputs / "nothing-*.md"), str(inputs / "gone.txt")],
                       BatchOptions(out=out, pack=str(pack)))
    keys = [Path(r["key"]).name for r in result.rows]
    assert keys == ["binary.txt", "empty.txt", "good.txt", "nothing-*.md", "gone.txt"]
    errors = {Path(r["key"]).name: r["error"] for r in result.rows}
    assert "no files match" in errors["nothing-*.md"] and "no such file" in errors["gone.txt"]
    assert errors["good.txt"] == "" and result.failed == 4 and result.exit_code("error") == 2


def test_output_folder_inside_input_folder_is_not_an_input(inputs: Path, pack: Path) -> None:
    out = inputs / "results"
    first = run_batch([str(inputs)], BatchOptions(out=out, pack=str(pack), force=True))
    second = run_batch([str(inputs)], BatchOptions(out=out, pack=str(pack), force=True))
    assert first.total == second.total == 7


def test_rerun_skips_done_filings_and_retries_failed_ones(inputs: Path, pack: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    options = BatchOptions(out=out, pack=str(pack))
    first = run_batch([str(inputs)], options)
    assert (first.checked, first.skipped, first.failed) == (7, 0, 3)
    report = out / next(r["report"] for r in first.rows if r["key"].endswith("good.txt"))
    written = report.stat().st_mtime_ns

    second = run_batch([str(inputs)], options)
    assert (second.checked, second.skipped) == (3, 4)  # only the failed inputs are tried again
    assert report.stat().st_mtime_ns == written
    assert second.rows == first.rows  # the summary still lists every filing

    (inputs / "sub" / "gap.md").write_text(BOTH + "\nMore.\n", encoding="utf-8")  # a changed input is redone
    third = run_batch([str(inputs)], options)
    assert third.checked == 4
    assert next(r for r in third.rows if r["key"].endswith("gap.md"))["coverage"] == 1.0

    forced = run_batch([str(inputs)], BatchOptions(out=out, pack=str(pack), force=True))
    assert (forced.checked, forced.skipped) == (7, 0)
    assert report.stat().st_mtime_ns != written


def test_a_rerun_skips_a_filing_whose_name_is_not_utf8(pack: Path, tmp_path: Path) -> None:
    # The state file keeps such a name's own bytes; it was read back with U+FFFD in their place, so a
    # re-run never found the filing done and checked it again every time.
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9.md")).write_text(BOTH, encoding="utf-8")
    (folder / "plain.md").write_text(BOTH, encoding="utf-8")
    options = BatchOptions(out=tmp_path / "out", pack=str(pack))
    assert run_batch([str(folder)], options).checked == 2
    again = run_batch([str(folder)], options)
    assert (again.checked, again.skipped) == (0, 2)


def test_interrupted_run_leaves_no_partial_file(inputs: Path, pack: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    options = BatchOptions(out=out, pack=str(pack))
    calls = []

    def interrupt(done: int, total: int, skipped: int) -> None:
        calls.append(done)
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch([str(inputs)], options, interrupt)
    leftovers = [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    assert not (out / SUMMARY_CSV).exists()
    for p in (out / "reports").iterdir():
        json.loads(p.read_text(encoding="utf-8"))  # every report that exists is complete
    resumed = run_batch([str(inputs)], options)
    assert resumed.skipped >= 1 and resumed.total == 7 and (out / SUMMARY_CSV).is_file()


def test_two_processes_give_the_same_outputs(inputs: Path, pack: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    run_batch([str(inputs)], BatchOptions(out=one, pack=str(pack), jobs=1))
    run_batch([str(inputs)], BatchOptions(out=two, pack=str(pack), jobs=2))
    for name in (SUMMARY_CSV, SUMMARY_JSONL, DASHBOARD):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


class TagChecker(HTMLParser):
    """Fails on a closing tag that does not close the innermost open element."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "rect", "col", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs) -> None:
        self.scripts += tag == "script"
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs) -> None:
        pass

    def handle_endtag(self, tag) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()


def test_dashboard_is_well_formed_and_escapes_hostile_names(inputs: Path, pack: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch([str(inputs)], BatchOptions(out=out, pack=str(pack)))
    page = (out / DASHBOARD).read_text(encoding="utf-8")
    parser = TagChecker()
    parser.feed(page)
    parser.close()
    assert parser.stack == [] and parser.scripts == 1  # only the sorting script
    assert HOSTILE not in page and "<b>Sons</b>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;Sons&lt;/b&gt;" in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")  # self-contained
    # Element shares: board_oversight is met in all 4 checked filings, risk_process in 2 of 4.
    assert "board_oversight: 4 met, 0 partly met, of 4" in page
    assert "risk_process: 2 met, 0 partly met, of 4" in page
    for row in json.loads("[" + ",".join((out / SUMMARY_JSONL).read_text().splitlines()) + "]"):
        if row["report"]:
            assert f'href="{row["report"]}"' in page


def test_default_pack_rows_have_one_status_per_element(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "draft.txt").write_text(BOTH, encoding="utf-8")
    result = run_batch([str(d)], BatchOptions(out=tmp_path / "out"))
    (row,) = result.rows
    assert row["pack"] and row["elements"] and row["error"] == ""
    assert set(row["elements"].values()) <= {"met", "partial", "missing", "not_applicable"}
    report = check_text(BOTH, pack=row["pack"])
    statuses = [r.status for r in report.results]
    assert [row[k] for k in ("met", "partial", "missing", "not_applicable")] == [
        statuses.count(k) for k in ("met", "partial", "missing", "not_applicable")]
    assert row["met"] > 0 and row["missing"] > 0  # BOTH meets some rules and misses others


def test_check_record_is_a_pure_function_of_the_record(checker) -> None:
    record = {"id": "x", "company": "Co", "form": "10-K", "text": BOTH}
    a = summary_row(check_record(record, checker, source="s"))
    b = summary_row(check_record(dict(record), checker, source="s"))
    assert a == b and a["source"] == "s#x" and a["issuer"] == "Co"


def test_expand_inputs_dedupes_and_splits_jsonl(inputs: Path, tmp_path: Path) -> None:
    tasks = expand_inputs([str(inputs), str(inputs / "good.txt")])
    keys = [Path(t.key).name for t in tasks]
    assert keys.count("good.txt") == 1
    assert [t.line for t in tasks if t.line is not None] == [1, 2, 3]
    assert len({t.slug for t in tasks}) == len(tasks)


def test_progress_line() -> None:
    line = progress_line(60, 100, 10, 10.0, width=10)
    assert line.startswith("[######....] 60/100") and "5.0/s" in line and "ETA 8s" in line
    assert "ETA --" in progress_line(5, 100, 5, 1.0)  # nothing checked yet: no rate, no ETA


def test_progress_line_fits_a_narrow_terminal() -> None:
    """At 40 columns (a braille display's) the 28-wide bar made a 52-column line: it wrapped, and each redraw
    (a carriage return goes back to the start of the wrapped part only) left a line behind."""
    assert all(len(progress_line(n, 7000, 0, 10.0, columns=40)) < 40 for n in (0, 120, 7000))
    assert progress_line(120, 7000, 0, 10.0, columns=40).startswith("[")  # a shorter bar still
    assert progress_line(120, 7000, 0, 10.0, columns=24) == "120/7000  12.0/s  ETA 9m33s "  # no bar
    assert progress_line(60, 100, 10, 10.0, columns=200).startswith("[" + "#" * 16 + "." * 12 + "]")


def test_check_line_for_map_style_engines(pack: Path, tmp_path: Path) -> None:
    """The Dask/Spark recipe of docs/distributed.md: one row per line, bad lines included, then summaries."""
    from checker import Checker

    checker = Checker()
    lines = [json.dumps({"id": "a", "form": "10-K", "text": BOTH}), "{broken", json.dumps({"id": "b"})]
    rows = [check_line(text, checker, pack, "part-0.jsonl", n) for n, text in enumerate(lines, 1)]
    assert rows[0]["coverage"] == 1.0 and rows[0]["key"] == "part-0.jsonl:1" and rows[0]["error"] == ""
    assert rows[1]["error"].startswith("part-0.jsonl:2: invalid JSON")
    assert "no text field" in rows[2]["error"]
    write_summaries(rows, tmp_path)
    assert (tmp_path / SUMMARY_CSV).read_text(encoding="utf-8").count("\n") == 4


def test_check_line_without_line_numbers_keys_rows_by_record_id(pack: Path) -> None:
    """docs/distributed.md's recipe passes no line (read_text does not know it): the codebook's `key` is still
    unique within the run, the source and the record's id, not one key for every row of the source."""
    from checker import Checker

    checker = Checker()
    lines = [json.dumps({"id": i, "form": "10-K", "text": BOTH}) for i in ("a", "b")]
    rows = [check_line(text, checker, pack, source="edgar-2024") for text in lines]
    assert [r["key"] for r in rows] == ["edgar-2024#a", "edgar-2024#b"]
    assert check_line("{broken", checker, pack, source="edgar-2024")["key"] == "edgar-2024"


def test_summary_csv_defuses_formula_cells():
    from checker.summary import FIXED_COLUMNS, summary_csv

    row = {c: None for c in FIXED_COLUMNS}
    row.update({"issuer": "=HYPERLINK(\"http://x\")", "source": "a.json", "elements": {"risk_process": "met"}})
    lines = summary_csv([row]).splitlines()
    assert "'=HYPERLINK" in lines[1]
    assert "a.json" in lines[1] and not lines[1].startswith("'")


def _three_filings(tmp_path: Path) -> Path:
    folder = tmp_path / "three"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(BOTH + f"\n{name}\n", encoding="utf-8")
    return folder


def test_pending_files_are_not_synced_one_by_one_but_once_before_the_commit(tmp_path, pack, monkeypatch):
    import os

    calls = {"fsync": 0, "sync": 0}
    real_fsync = os.fsync

    def counting_fsync(fd):
        calls["fsync"] += 1
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", counting_fsync)
    monkeypatch.setattr(os, "sync", lambda: calls.__setitem__("sync", calls["sync"] + 1))
    result = run_batch([str(_three_filings(tmp_path))], BatchOptions(out=tmp_path / "out", pack=str(pack)))
    assert result.checked == 3
    # the four summaries (summary.csv, its Excel copy, summary.jsonl, the dashboard), the state file and the
    # summaries' hashes are fsynced by the commit; the 3 reports and the state journal are not, one sync
    assert calls == {"fsync": 6, "sync": 1}


def test_a_resumed_batch_checks_again_a_pending_report_whose_size_is_not_the_recorded_one(tmp_path, pack):
    folder = _three_filings(tmp_path)
    out = tmp_path / "out"
    options = BatchOptions(out=out, pack=str(pack))

    def interrupt(done: int, total: int, skipped: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch([str(folder)], options, interrupt)
    reports = sorted((out / ".cydcheck-pending" / "reports").iterdir())
    assert len(reports) == 2
    reports[0].write_bytes(b"")  # what a power cut can leave of a file written but never synced
    resumed = run_batch([str(folder)], options)
    assert (resumed.checked, resumed.skipped) == (2, 1)
    for row in resumed.rows:
        assert json.loads((out / row["report"]).read_text(encoding="utf-8"))["summary"]["met"] == 2


def test_without_a_disk_sync_each_pending_file_is_fsynced_before_the_commit(tmp_path, pack, monkeypatch):
    import os

    calls = {"fsync": 0}
    real_fsync = os.fsync

    def counting_fsync(fd):
        calls["fsync"] += 1
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", counting_fsync)
    monkeypatch.delattr(os, "sync")  # as on a system without sync(2)
    result = run_batch([str(_three_filings(tmp_path))], BatchOptions(out=tmp_path / "out", pack=str(pack)))
    # 3 reports, then the commit's state file, 4 summaries and their hashes (the pending journal is not
    # committed)
    assert result.checked == 3 and calls["fsync"] == 3 + 1 + 4 + 1


def test_chunks_are_small_enough_that_every_worker_gets_several():
    from checker.batch import MAX_CHUNK, chunk_size

    assert chunk_size(5000, 2) == MAX_CHUNK
    assert chunk_size(100, 2) == 6  # 16 chunks for 2 workers
    assert chunk_size(7, 2) == 1 and chunk_size(0, 1) == 1


def test_chunked_workers_give_every_row_in_input_order(tmp_path, pack):
    lines = [json.dumps({"id": f"r{i}", "form": "10-K", "text": BOTH if i % 3 else BOARD_ONLY})
             for i in range(40)]
    lines[17] = "{not json"
    (tmp_path / "many.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    one = run_batch([str(tmp_path / "many.jsonl")], BatchOptions(out=tmp_path / "one", pack=str(pack), jobs=1))
    two = run_batch([str(tmp_path / "many.jsonl")], BatchOptions(out=tmp_path / "two", pack=str(pack), jobs=2))
    assert [r["key"].rsplit(":", 1)[1] for r in two.rows] == [str(n) for n in range(1, 41)]
    assert (two.checked, two.failed) == (one.checked, one.failed) == (40, 1)
    for name in (SUMMARY_CSV, SUMMARY_JSONL, DASHBOARD):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    assert sorted(p.name for p in (tmp_path / "two" / "reports").iterdir()) == sorted(
        p.name for p in (tmp_path / "one" / "reports").iterdir())


def _interrupted_after_two(folder: Path, options: BatchOptions) -> None:
    def interrupt(done: int, total: int, skipped: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch([str(folder)], options, interrupt)


def test_state_lines_go_to_one_journal_a_chunk_and_are_committed_as_one_state_file(tmp_path, pack):
    folder = _three_filings(tmp_path)
    out = tmp_path / "out"
    options = BatchOptions(out=out, pack=str(pack))
    _interrupted_after_two(folder, options)
    journals = list((out / ".cydcheck-pending" / "state").iterdir())
    assert len(journals) == 1 and journals[0].suffix == ".jsonl"  # one new file for two filings
    assert len(journals[0].read_text(encoding="utf-8").splitlines()) == 2
    assert not (out / "state" / "state.jsonl").exists()  # nothing committed yet
    resumed = run_batch([str(folder)], options)
    assert (resumed.checked, resumed.skipped) == (1, 2)
    lines = (out / "state" / "state.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["key"] for line in lines) == sorted(r["key"] for r in resumed.rows)
    assert list((out / ".cydcheck-pending" / "state").iterdir()) == []
    assert run_batch([str(folder)], options).skipped == 3


def test_a_journal_line_cut_short_by_a_kill_is_passed_over(tmp_path, pack):
    folder = _three_filings(tmp_path)
    out = tmp_path / "out"
    options = BatchOptions(out=out, pack=str(pack))
    _interrupted_after_two(folder, options)
    (journal,) = (out / ".cydcheck-pending" / "state").iterdir()
    text = journal.read_text(encoding="utf-8")
    journal.write_text(text[:len(text) - 40], encoding="utf-8")  # the second line loses its end
    resumed = run_batch([str(folder)], options)
    assert (resumed.checked, resumed.skipped) == (2, 1)
    for row in resumed.rows:
        assert json.loads((out / row["report"]).read_text(encoding="utf-8"))["summary"]["met"] == 2


def test_of_a_keys_state_lines_the_latest_counts(tmp_path):
    from checker.batch import read_state

    pending = tmp_path / ".cydcheck-pending" / "state"
    pending.mkdir(parents=True)
    (pending / "b.jsonl").write_text(json.dumps({"key": "k", "at": 1, "n": "old"}) + "\n", encoding="utf-8")
    (pending / "a.jsonl").write_text(json.dumps({"key": "k", "at": 2, "n": "new"}) + "\n{cut",
                                     encoding="utf-8")
    (pending / "c.jsonl.cydcheck-x.tmp").write_text(json.dumps({"key": "k", "at": 3}), encoding="utf-8")
    states = read_state(tmp_path)
    assert states[tmp_path / ".cydcheck-pending"]["k"]["n"] == "new" and states[tmp_path] == {}


def test_the_state_of_inputs_not_in_this_run_is_kept(tmp_path, pack):
    folder = _three_filings(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / "d.txt").write_text(BOTH, encoding="utf-8")
    options = BatchOptions(out=tmp_path / "out", pack=str(pack))
    assert run_batch([str(folder)], options).checked == 3
    assert run_batch([str(other)], options).checked == 1
    again = run_batch([str(folder)], options)
    assert (again.checked, again.skipped) == (0, 3)
    lines = (tmp_path / "out" / "state" / "state.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4


def test_pending_files_get_a_normal_files_permissions(tmp_path, pack):
    import os

    old = os.umask(0o027)
    try:
        run_batch([str(_three_filings(tmp_path))], BatchOptions(out=tmp_path / "out", pack=str(pack)))
    finally:
        os.umask(old)
    files = [*(tmp_path / "out" / "reports").iterdir(), *(tmp_path / "out" / "state").iterdir()]
    assert len(files) == 5  # 3 reports, the state file, the summaries' hashes
    assert {oct(f.stat().st_mode & 0o777) for f in files} == {oct(0o640)}


def test_a_run_after_a_commit_killed_midway_sweeps_every_temporary_and_leaves_none(tmp_path, pack):
    import os

    from checker.output import TEMP_MARK, temp_name

    folder = _three_filings(tmp_path)
    out = tmp_path / "out"
    options = BatchOptions(out=out, pack=str(pack))
    _interrupted_after_two(folder, options)
    # what a kill -9 in the commit's renames leaves: some reports already in place (a second name of the
    # pending file), temporaries of others, a backup of the dashboard
    staged = sorted((out / ".cydcheck-pending" / "reports").iterdir())
    os.link(staged[0], out / "reports" / staged[0].name)
    for f in staged:
        os.link(f, temp_name(out / "reports" / f.name))
    (out / ".dashboard.html.cydcheck-ab_12xyz.tmp").write_text("old", encoding="utf-8")
    (out / "state" / ".state.jsonl.cydcheck-0123456789ab.tmp").write_text("{}", encoding="utf-8")
    mine = [out / "reports" / ".x.json.cydcheck-mine.tmp", out / ".notes.txt.cydcheck-0123456789ab.tmp"]
    for f in mine:  # a user's, not named as cydcheck names its temporaries (or not of a file batch writes)
        f.write_text("keep", encoding="utf-8")
    resumed = run_batch([str(folder)], options)
    assert (resumed.checked, resumed.skipped) == (1, 2)
    left = sorted(p.relative_to(out).as_posix() for p in out.rglob(f"*{TEMP_MARK}*.tmp"))
    assert left == [p.relative_to(out).as_posix() for p in reversed(mine)]
    assert all(f.read_text(encoding="utf-8") == "keep" for f in mine)
    for row in resumed.rows:
        assert json.loads((out / row["report"]).read_text(encoding="utf-8"))["summary"]["met"] == 2


def test_a_recursive_pattern_lists_each_real_file_once_through_link_loops(tmp_path, pack):
    d = tmp_path / "lg"
    (d / "a").mkdir(parents=True)
    (d / "a" / "f.txt").write_text(BOTH, encoding="utf-8")
    (d / "a" / "up").symlink_to("..")  # a loop: lg/a/up/a/up/...
    (d / "b").symlink_to("a")  # a second name of a folder
    (d / "a" / "same.txt").symlink_to("f.txt")  # a second name of a file
    (d / ".hidden").mkdir()
    (d / ".hidden" / "h.txt").write_text(BOTH, encoding="utf-8")  # a wildcard matches no hidden name
    (d / "c").mkdir()
    (d / "c" / "g.txt").write_text(BOTH, encoding="utf-8")
    pattern = str(d / "**" / "*.txt")
    assert [t.path for t in expand_inputs([pattern])] == [str(d / "a" / "f.txt"), str(d / "c" / "g.txt")]
    assert [t.path for t in expand_inputs([str(d / "*" / "g.txt")])] == [str(d / "c" / "g.txt")]
    assert [t.path for t in expand_inputs([str(d / ".hidden" / "*.txt")])] == [str(d / ".hidden" / "h.txt")]
    code, out = run_cli(pattern, "--out", str(tmp_path / "out"), "--pack", str(pack), "--jobs", "1")
    assert code == 0 and "2 filings: 2 checked" in out


def test_a_users_filing_under_out_reports_is_an_input_and_only_what_a_run_wrote_is_left_out(tmp_path, pack):
    out = tmp_path / "ow"
    (out / "reports").mkdir(parents=True)
    (out / "state").mkdir()
    (out / "reports" / "zoom.txt").write_text(BOTH, encoding="utf-8")  # the user's own filings
    (out / "state" / "notes.md").write_text(BOARD_ONLY, encoding="utf-8")
    (out / "unfi.txt").write_text(BOTH, encoding="utf-8")
    first = run_batch([str(out)], BatchOptions(out=out, pack=str(pack)))
    assert sorted(Path(r["key"]).name for r in first.rows) == ["notes.md", "unfi.txt", "zoom.txt"]
    assert first.note == ""
    second = run_batch([str(out)], BatchOptions(out=out, pack=str(pack)))  # its reports named by the state
    # its 3 reports, the dashboard and the 3 lines each of summary.jsonl and state/state.jsonl
    assert (second.total, second.skipped) == (3, 3) and "10 inputs left out as this run's own" in second.note
    (out / "state" / "state.jsonl").unlink()  # an earlier run's reports without their state lines
    third = run_batch([str(out)], BatchOptions(out=out, pack=str(pack)))
    assert (third.total, third.checked, third.failed) == (3, 3, 0)


def test_documents_a_folder_holds_that_cydcheck_does_not_read_are_named_on_stderr_and_the_dashboard(tmp_path, pack):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(BOTH, encoding="utf-8")
    html = "<!DOCTYPE html><html><body>Item 1C</body></html>"
    for name in ("filing.doc", "filing.rtf", "filing.xml", "filing.zip", "filing.htm.gz", "sheet.xlsx"):
        (d / name).write_bytes(b"x")
    (d / "0001020859-25-000036").write_text("\n " + html, encoding="utf-8")  # no suffix, HTML inside
    (d / "draft_no_ext").write_bytes(b"PK\x03\x04 a .docx saved without its suffix")
    # (an HTML filing opening with a comment, as EDGAR's generators write them: the reader's test, not a shorter one)
    (d / "0001020859-25-000037").write_text("<!-- Generated by Workiva -->\n" + html, encoding="utf-8")
    for name, data in (("README", b"notes"), ("logo.png", b"\x89PNG"), ("site.css", b"a{}"), ("app.js", b"1")):
        (d / name).write_bytes(data)  # clutter: passed over in silence
    out = tmp_path / "out"
    code, err = run_cli(str(d), "--out", str(out), "--pack", str(pack), "--jobs", "1", "--no-progress")
    assert code == 0 and "cydcheck: 1 filing: 1 checked" in err
    warning = next(line for line in err.splitlines() if "not checked" in line)
    assert warning.startswith(f"cydcheck: warning: not checked in {d}: 9 documents of a type cydcheck does not read")
    page = (out / DASHBOARD).read_text(encoding="utf-8")
    assert f"Not checked in {d}: 9 documents of a type cydcheck does not read" in page
    assert "README" not in warning + page and "logo.png" not in warning + page
    with open(out / SUMMARY_CSV, newline="", encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == 1  # the summary lists filings: its columns are unchanged
    # check names the same documents
    result = CliRunner().invoke(cli, ["check", "-q", str(d), "-f", "json", "-o", str(tmp_path / "r.json")])
    assert result.exit_code in (0, 1) and f"not checked in {d}: 9 documents" in result.output


def test_batch_runs_the_content_pack_only_on_a_tagged_filing_as_the_readme_says(tmp_path):
    tagged = Path(__file__).parent / "fixtures" / "xbrl" / "unfi-8k-2025-item105.html"
    result = run_batch([str(tagged)], BatchOptions(out=tmp_path / "out"))
    assert [r["pack"] for r in result.rows] == ["form-8k-105"] and result.failed == 0
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    batch_section = readme[readme.index("## Batch mode"):readme.index("## Exit codes")]
    assert "not\nthe `cyd-tags` report that `check --pack auto` adds" in batch_section


def test_dashboard_sorts_from_the_keyboard_and_names_its_table(inputs: Path, pack: Path, tmp_path: Path) -> None:
    """Each column heading of the filings table is a button (a keyboard user's Tab reaches it, Enter sorts;
    the headings were plain cells with a click handler, 'Click a column heading to sort'), headers have
    their scope, each row is headed by its filing, and the page has a main landmark and the table a caption."""
    out = tmp_path / "out"
    run_batch([str(inputs)], BatchOptions(out=out, pack=str(pack)))
    page = (out / DASHBOARD).read_text(encoding="utf-8")
    start = page.index('<table id="filings">')
    table = page[start:page.index("</table>", start)]
    head = table[table.index("<thead>"):table.index("</thead>")]
    assert head.count('<th scope="col"') == len(re.findall(r"<th[ >]", head)) == head.count('<button type="button"') == 12
    assert "<caption>" in table and "<main>" in page and "</main>" in page
    body = table[table.index("<tbody>"):]
    assert body.count('<th scope="row">') == body.count("<tr") > 0
    assert 'th.querySelector("button").addEventListener("click"' in page
    assert "Click a column heading" not in page


def test_dashboard_charts_give_their_figures_to_a_screen_reader(inputs: Path, pack: Path, tmp_path: Path) -> None:
    """A chart with role="img" is read as its label alone: the share of filings meeting each element and the
    coverage histogram were out of a screen reader's reach. Each chart is followed by a table of its
    figures, visually hidden, one row a bar."""
    out = tmp_path / "out"
    run_batch([str(inputs)], BatchOptions(out=out, pack=str(pack)))
    page = (out / DASHBOARD).read_text(encoding="utf-8")
    hidden = re.findall(r'<table class="visually-hidden">(.*?)</table>', page, re.DOTALL)
    charts = re.findall(r'<svg [^>]*role="img"', page)
    assert len(hidden) == len(charts) == 2  # the test pack's panel and the histogram
    shares, bins = hidden
    assert re.search(r'<th scope="row">board_oversight</th><td>4</td><td>0</td><td>4</td><td>100%</td>', shares)
    assert re.search(r'<th scope="row">risk_process</th><td>2</td><td>0</td><td>4</td><td>50%</td>', shares)
    assert shares.count('<th scope="row">') == page.count("<g>", 0, page.index("<h2>Coverage")) == 2
    assert bins.count('<th scope="row">') == 10 and ".visually-hidden {" in page


def test_batch_summary_carries_each_filings_cyd_tag_findings(tmp_path):
    """A night's filings in one summary: the row stays the content report, and says what the filing's cyd
    tags report found (worst, the rules with gaps, the report). A misspelt tag was a silent pass: the row
    was the content pack's alone, identical to the untouched filing's, exit 0."""
    xbrl = Path(__file__).parent / "fixtures" / "xbrl"
    good = tmp_path / "in" / "meta-good.html"
    bad = tmp_path / "in" / "meta-misspelt.html"
    good.parent.mkdir()
    raw = (xbrl / "meta-10k-2024-item1c.html").read_bytes()
    good.write_bytes(raw)
    bad.write_bytes(raw.replace(b"cyd:CybersecurityRiskBoardOfDirectorsOversight",
                                b"cyd:CybersecurityRiskBoardOfDirectorOversight"))
    out = tmp_path / "out"
    result = run_batch([str(good), str(bad)], BatchOptions(out=out, jobs=1))
    rows = {Path(r["source"]).name: r for r in result.rows}
    assert {r["pack"] for r in rows.values()} == {"sk-106"}
    assert rows["meta-good.html"]["tags_worst"] != "error"
    assert rows["meta-misspelt.html"]["tags_worst"] == "error"
    assert "CYD-TAG-NAME" in rows["meta-misspelt.html"]["tags_gaps"].split()
    tags = json.loads((out / rows["meta-misspelt.html"]["tags_report"]).read_text(encoding="utf-8"))
    assert tags["pack"]["id"] == "cyd-tags"
    header = (out / "summary.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"tags_worst", "tags_gaps", "tags_report"} <= set(header)
    assert result.exit_code("error") == 1
    assert run_batch([str(good)], BatchOptions(out=tmp_path / "out2", jobs=1)).rows[0]["tags_report"]
    dashboard = (out / "dashboard.html").read_text(encoding="utf-8")
    assert f'<a href="{rows["meta-misspelt.html"]["tags_report"]}">error</a>: ' in dashboard


def test_with_html_the_dashboard_links_each_cyd_tags_report_as_a_page(tmp_path):
    """batch --html wrote each filing's content report as HTML but its cyd-tags report only as JSON, and the
    dashboard's "cyd tags" link ('error: CYD-TAG-NAME') opened that JSON: a screen reader read braces and
    quotes where the content report's link gave a gap report."""
    raw = (Path(__file__).parent / "fixtures" / "xbrl" / "meta-10k-2024-item1c.html").read_bytes()
    bad = tmp_path / "in" / "meta-misspelt.html"
    bad.parent.mkdir()
    bad.write_bytes(raw.replace(b"cyd:CybersecurityRiskBoardOfDirectorsOversight",
                                b"cyd:CybersecurityRiskBoardOfDirectorOversight"))
    out = tmp_path / "out"
    [row] = run_batch([str(bad)], BatchOptions(out=out, jobs=1, html=True)).rows
    assert row["tags_html"] == row["tags_report"].removesuffix(".json") + ".html"
    page = (out / row["tags_html"]).read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'data-rule="CYD-TAG-NAME"' in page
    dashboard = (out / "dashboard.html").read_text(encoding="utf-8")
    assert f'<a href="{row["tags_html"]}">error</a>: ' in dashboard
    for page in (row["html"], row["tags_html"]):  # each report leads back to the dashboard
        assert '<nav class="up" aria-label="Reports"><a href="../dashboard.html">The batch dashboard</a></nav>' \
            in (out / page).read_text(encoding="utf-8")
    assert run_batch([str(bad)], BatchOptions(out=tmp_path / "plain", jobs=1)).rows[0]["tags_html"] == ""


def test_dashboard_draws_no_bar_for_a_check_that_applied_to_no_filing() -> None:
    """The 8-K deadline, without dates in any filing, is not applicable everywhere: it was drawn as a bar
    '8K-GI-B1-DEADLINE 0% of 0'. Only what applied to a filing has a share."""
    from checker.report.dashboard import _pack_panels

    rows = [{"pack": "form-8k-105", "coverage": 1.0, "error": "",
             "elements": {"incident_nature": "met", "8K-GI-B1-DEADLINE": "not_applicable"}},
            {"pack": "form-8k-105", "coverage": 0.0, "error": "",
             "elements": {"incident_nature": "missing", "8K-GI-B1-DEADLINE": "not_applicable"}}]
    (panel,) = _pack_panels(rows)
    assert [(b.element, b.met, b.applicable) for b in panel.bars] == [("incident_nature", 1, 2)]


def test_summary_names_the_prong_a_partly_met_element_lacks(tmp_path):
    """The reviewer sorting a year's filings for the staff's first comment theme (a materiality statement with
    only its past prong): the summary said 'partial' for either prong. A last column names the parts a partly
    met element lacks ("material_effect: prospective"), in the CSV and the JSON lines."""
    only_past = tmp_path / "only-past.md"
    only_past.write_text("Item 1C. Cybersecurity\n\nTo date, we have not experienced any cybersecurity incidents "
                         "that have materially affected our business strategy, results of operations or financial "
                         "condition.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_batch([str(only_past)], BatchOptions(out=out, jobs=1))
    assert result.rows[0]["missing_parts"] == "material_effect: prospective"
    (row,) = csv.DictReader((out / SUMMARY_CSV).read_text(encoding="utf-8").splitlines())
    assert row["material_effect"] == "partial" and row["missing_parts"] == "material_effect: prospective"
    assert json.loads((out / SUMMARY_JSONL).read_text(encoding="utf-8"))["missing_parts"] \
        == "material_effect: prospective"


def test_report_names_keep_a_file_names_accents_and_cjk() -> None:
    """A filing named in French or Japanese keeps its name in its report's file name: "énergie.json" gave
    "nergie-….json" and "ソニー 20-F.json" gave "20-F-….json", which named no company."""
    assert Task(key="/f/énergie.json", path="/f/énergie.json").slug.startswith("énergie-")
    assert Task(key="/f/ソニー 20-F.json", path="/f/ソニー 20-F.json").slug.startswith("ソニー-20-F-")
    decomposed = "e\u0301nergie.json"  # as macOS file systems give the name: the same slug as composed
    assert Task(key="/g/" + decomposed, path="/g/" + decomposed).slug.startswith("énergie-")
    assert Task(key="/f/a<b>:c?.htm", path="/f/a<b>:c?.htm").slug.startswith("a-b-c-")


def test_each_summary_row_names_its_pack_by_the_hash_of_its_contents(tmp_path):
    """A year's summary kept as evidence says which rules ran, not their version alone: `pack_sha256`, the
    report's own `pack.sha256`, in both summaries."""
    draft = tmp_path / "in" / "draft.md"
    draft.parent.mkdir()
    draft.write_text("Item 1C. Cybersecurity\n\nOur Board oversees cybersecurity risk.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_batch([str(draft.parent)], BatchOptions(out=out, jobs=1))
    (row,) = result.rows
    report = json.loads((out / row["report"]).read_text(encoding="utf-8"))
    assert len(report["pack"]["sha256"]) == 64 and row["pack_sha256"] == report["pack"]["sha256"]
    with open(out / "summary.csv", encoding="utf-8", newline="") as fh:
        assert next(csv.DictReader(fh))["pack_sha256"] == report["pack"]["sha256"]


def test_a_worker_killed_on_one_filing_gives_that_filing_an_error_row_and_the_run_goes_on(tmp_path, pack,
                                                                                          monkeypatch):
    """A worker of --jobs 2 killed mid-run (the kernel's out-of-memory killer) ended the whole run as
    'internal error: BrokenProcessPool ... (please report this)', exit 3, with no summary; now the filings
    its chunk held are checked again one at a time, and the one that kills its worker gets an error row."""
    import checker.batch as batch_mod

    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(40):
        (folder / f"f{n:02}.txt").write_text(BOTH + f"\nfiling {n}\n", encoding="utf-8")
    real = batch_mod.check_task

    def dies_on_f17(task, checker, options):
        if Path(task.path).name == "f17.txt":
            os._exit(9)  # as a worker the kernel killed
        return real(task, checker, options)

    monkeypatch.setattr(batch_mod, "check_task", dies_on_f17)
    monkeypatch.setattr("checker.cli.batch.cap_jobs", lambda jobs: jobs)  # two workers on a one-CPU machine too
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(folder), "--out", str(out), "--jobs", "2", "--pack", str(pack)])
    assert result.exit_code == 2, result.output
    with open(out / "summary.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [Path(r["key"]).name for r in rows] == [f"f{n:02}.txt" for n in range(40)]
    failed = [r for r in rows if r["error"]]
    assert [Path(r["key"]).name for r in failed] == ["f17.txt"]
    assert "f17.txt: a worker process ended before its work was done" in failed[0]["error"]
    assert all(r["coverage"] == "1.0" for r in rows if not r["error"])
    assert "internal error" not in result.output and "1 failed" in result.stderr


def test_ctrl_c_says_how_many_filings_are_kept_for_the_next_run(tmp_path, pack, capsys, monkeypatch):
    """Ctrl-C after two of three filings said only 'cydcheck: interrupted', with no summary.csv written:
    nothing told the researcher that the two were kept and that the same command goes on from them."""
    from cli_helpers import run_main

    import checker.batch as batch_mod

    class CtrlCAfterTwo(batch_mod.Progress):
        def __call__(self, done: int, total: int, skipped: int) -> None:
            if done == 2:
                raise KeyboardInterrupt

    monkeypatch.setattr(batch_mod, "Progress", CtrlCAfterTwo)
    folder, out = _three_filings(tmp_path), tmp_path / "out"
    code, _, err = run_main(capsys, "batch", str(folder), "--out", str(out), "--jobs", "1", "--pack", str(pack),
                            "--progress")
    assert code == 130
    assert err.splitlines()[-1] == ("cydcheck: interrupted: 2 filings checked in this run are kept; run the same "
                                    "command again to go on from them (summary.csv is written when a run ends)")
    monkeypatch.undo()
    code, _, err = run_main(capsys, "batch", str(folder), "--out", str(out), "--jobs", "1", "--pack", str(pack))
    assert "1 checked, 2 already done" in err


def test_a_run_says_its_summary_leaves_out_the_filings_of_earlier_runs_into_the_same_out(tmp_path, pack, capsys):
    """Folder A, then folder B into one --out: summary.csv held B's rows alone, A's four gone from it without a
    word while their reports stayed in reports/; the second run now says so, and how to list them again."""
    from cli_helpers import run_main

    first, second, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    for folder, names in ((first, "pqrs"), (second, "t")):
        folder.mkdir()
        for name in names:
            (folder / f"{name}.txt").write_text(BOTH + f"\n{name}\n", encoding="utf-8")
    run_main(capsys, "batch", str(first), "--out", str(out), "--jobs", "1", "--pack", str(pack))
    code, _, err = run_main(capsys, "batch", str(second), "--out", str(out), "--jobs", "1", "--pack", str(pack))
    assert code == 0 and len(read_csv(out)) == 1
    assert (f"cydcheck: note: 4 inputs checked by earlier runs into {out} are not among this run's, so not in "
            "its summary (give them with these to list them: they are not checked again)") in err
    code, _, err = run_main(capsys, "batch", str(first), str(second), "--out", str(out), "--jobs", "1",
                            "--pack", str(pack))
    assert len(read_csv(out)) == 5 and "earlier runs" not in err and "0 checked, 5 already done" in err


def test_a_run_with_unreadable_inputs_still_counts_its_gaps_and_says_where_the_errors_are(tmp_path, pack, capsys):
    """3,064 inputs, 4 unreadable: the last line said '4 inputs not checked: exit 2' and no more, so the
    count of filings with gaps was lost, and nothing said where the four errors were to be read."""
    from cli_helpers import run_main

    folder = _three_filings(tmp_path)
    (folder / "gap.md").write_text(BOARD_ONLY, encoding="utf-8")
    (folder / "broken.json").write_text("{", encoding="utf-8")
    code, _, err = run_main(capsys, "batch", str(folder), "--out", str(tmp_path / "out"), "--jobs", "1",
                            "--pack", str(pack), "--fail-on", "warning")  # gap.md's gap is a warning
    assert code == 2
    assert err.splitlines()[-1].endswith(
        "; 1 input not checked (summary.csv's error column says why); 1 filing with a gap at or above "
        "--fail-on warning: exit 2")


def test_the_tally_counts_an_unreadable_input_once_not_as_checked_and_failed(tmp_path, pack, capsys):
    """'3064 filings: 3064 checked, 0 already done, 4 failed': the four were counted among the checked too,
    so the parts summed to 3,068; now checked, already done and failed add up to the inputs."""
    from cli_helpers import run_main

    folder = _three_filings(tmp_path)
    (folder / "broken.json").write_text("{", encoding="utf-8")
    _, _, err = run_main(capsys, "batch", str(folder), "--out", str(tmp_path / "out"), "--jobs", "1",
                         "--pack", str(pack))
    assert "cydcheck: 4 filings: 3 checked, 0 already done, 1 failed, in " in err
    _, _, err = run_main(capsys, "batch", str(folder), "--out", str(tmp_path / "out"), "--jobs", "1",
                         "--pack", str(pack))
    assert "cydcheck: 4 filings: 0 checked, 3 already done, 1 failed, in " in err  # tried again, failed again


def test_the_dashboard_names_the_tool_and_each_packs_version_and_hash(tmp_path, pack):
    """The dashboard, kept in a replication package, named the packs by id alone and cydcheck's version
    only in a <meta> tag: a reader of the page could not tell which rules made its shares."""
    result = run_batch([str(_three_filings(tmp_path))], BatchOptions(out=tmp_path / "out", pack=str(pack)))
    row = result.rows[0]
    page = (tmp_path / "out" / "dashboard.html").read_text(encoding="utf-8")
    from checker import __version__

    assert f"Checked by cydcheck {__version__}" in page
    assert (f"<h3>Pack {row['pack']} (3 filings)</h3>\n<p class=\"note\">Version {row['pack_version']}; pack "
            f"files' SHA-256: <code>{row['pack_sha256']}</code></p>") in page


def test_the_dashboard_says_its_shares_are_of_elements_found_not_adequate_disclosure(tmp_path, pack):
    """A corpus dashboard ranks filings by coverage: read as a league table of compliance, it said nowhere that
    a met element is one the text addresses, not an adequate disclosure, nor that it is no legal advice."""
    from checker.model import DISCLAIMER

    run_batch([str(_three_filings(tmp_path))], BatchOptions(out=tmp_path / "out", pack=str(pack), html=True))
    page = (tmp_path / "out" / "dashboard.html").read_text(encoding="utf-8")
    assert DISCLAIMER in " ".join(page.split())


def test_the_dashboard_s_column_notes_are_text_not_only_tooltips(checker):
    """What the 'cyd tags' and 'To review' columns mean was in their headings' tooltips only: on paper, and
    for a reader without a mouse, it was nowhere. The table's caption now says it."""
    from report_samples import parse_html, sample_reports

    from checker.report.dashboard import dashboard_html

    dom = parse_html(dashboard_html([summary_row(r) for r in sample_reports(checker)]))
    table = next(t for t in dom.iter("table") if t.attrs.get("id") == "filings")
    caption = " ".join(next(table.iter("caption")).text.split())
    for button in table.iter("button"):
        if "title" in button.attrs:
            assert button.attrs["title"] in caption, button.text
    assert "To review:" in caption and "cyd tags:" in caption


def test_the_dashboard_promises_sorting_only_where_its_script_runs(checker):
    """Opened in Outlook's attachment preview (scripts off), the dashboard's caption still said 'a column
    heading is a button that sorts by it': the director tapped a heading and nothing happened. The sentence is
    hidden until the script that sorts shows it; the column notes stay text."""
    from report_samples import parse_html, sample_reports

    from checker.report.dashboard import dashboard_html

    page = dashboard_html([summary_row(r) for r in sample_reports(checker)])
    table = next(t for t in parse_html(page).iter("table") if t.attrs.get("id") == "filings")
    caption = next(table.iter("caption"))

    def shown(node) -> str:
        return "".join(c if isinstance(c, str) else "" if "hidden" in c.attrs else shown(c) for c in node.children)

    assert "sorts" not in shown(caption) and "To review:" in shown(caption)
    assert "sorts" in caption.text  # there, for the script to show
    assert ".hidden = false" in page[page.index("<script>"):]


def test_the_last_line_names_the_summary_excel_opens_as_written(tmp_path, pack, capsys):
    """The run's last line named only summary.csv; double-clicked in Excel it showed 'SociÃ©tÃ©' for
    'Société' and lost the CIKs' zeros, while summary-excel.csv beside it was never mentioned."""
    from cli_helpers import run_main

    _, _, err = run_main(capsys, "batch", str(_three_filings(tmp_path)), "--out", str(tmp_path / "out"),
                         "--jobs", "1", "--pack", str(pack))
    last = err.splitlines()[-1]
    assert f"summary in {tmp_path / 'out' / SUMMARY_CSV} (for Excel: {tmp_path / 'out' / 'summary-excel.csv'})" \
        in last


def test_a_summary_edited_in_excel_is_not_overwritten_by_the_next_run(tmp_path, pack, capsys):
    """The analyst typed the partner's comments into summary-excel.csv and saved it in Excel; next quarter's
    run into the same --out replaced it without a word (its header still looked like ours). The run now stops
    naming the file (exit 2) and leaves it as saved; once it is moved away, the run goes on."""
    from cli_helpers import assert_one_line_error, run_main

    folder, out = _three_filings(tmp_path), tmp_path / "out"
    args = ("batch", str(folder), "--out", str(out), "--jobs", "1", "--pack", str(pack))
    run_main(capsys, *args)
    excel = out / "summary-excel.csv"
    edited = excel.read_bytes().replace(b"\r\n", b",partner: fine\r\n")
    excel.write_bytes(edited)
    code, _, err = run_main(capsys, *args)
    assert_one_line_error(code, err, str(excel), "changed since cydcheck batch wrote it")
    assert excel.read_bytes() == edited
    excel.rename(tmp_path / "tracker.csv")
    code, _, err = run_main(capsys, *args)
    assert code in (0, 1) and excel.exists(), err
    assert run_main(capsys, *args)[0] in (0, 1)  # its own untouched summaries are replaced as ever


def test_a_batch_whose_log_is_redirected_into_the_folder_it_walks_leaves_the_log_out(tmp_path):
    """`cydcheck batch . --out out/ > log.txt`: the shell made log.txt (empty) before the walk, which listed it
    as a failed filing ("the file is empty") and exited 2 with every filing checked."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    (tmp_path / "draft.md").write_text((root / "samples" / "draft-10k-1c-deficient.md").read_text(encoding="utf-8"),
                                       encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(root)}
    with (tmp_path / "log.txt").open("w") as log:
        done = subprocess.run([sys.executable, "-m", "checker", "batch", ".", "--out", str(tmp_path / "out"),
                               "--no-progress", "--jobs", "1"], stdout=log, stderr=subprocess.STDOUT,
                              cwd=tmp_path, env=env, timeout=180, check=False)
    said = (tmp_path / "log.txt").read_text(encoding="utf-8")
    assert done.returncode == 1, said
    rows = list(csv.DictReader((tmp_path / "out" / "summary.csv").open(encoding="utf-8")))
    assert [r["source"] for r in rows] == ["draft.md"]
    assert "left out as this run's own outputs" in said and "log.txt" in said


def test_a_record_without_text_is_named_by_its_id_where_no_line_is_given(pack: Path) -> None:
    """In a notebook loop (check_record) or a map-style engine (check_line without a line) two records without
    text both said "edgar-2024: JSON record has an empty text field": neither named, one key for two rows."""
    from checker import Checker
    from checker.batch import check_record

    checker = Checker()
    lines = [json.dumps({"id": i, "form": "10-K", "text": ""}) for i in ("x", "y")]
    rows = [check_line(text, checker, pack, source="edgar-2024") for text in lines]
    assert [r["key"] for r in rows] == ["edgar-2024#x", "edgar-2024#y"]
    assert rows[0]["error"] == "edgar-2024#x: JSON record has an empty text field"
    with pytest.raises(CheckerError, match="^<record>#cyd-1: JSON record has no text field"):
        check_record({"id": "cyd-1", "form": "10-K"}, checker, pack)
    numbered = check_line(lines[0], checker, pack, source="part-0.jsonl", line=4)
    assert numbered["key"] == "part-0.jsonl:4" and numbered["error"].startswith("part-0.jsonl:4: ")


def test_the_summary_columns_compile_no_pack(tmp_path, monkeypatch):
    # a fresh install (no pack cache yet, or a read-only HOME) spent 6 s a content pack compiling sk-106,
    # the 20-F and the 8-K pack only to list their elements, before checking anything
    import checker.api
    from checker.api import Checker, adds_deadline
    from checker.deadline import RULE_ID
    from checker.detect import CONTENT_PACKS

    expected: list[str] = []
    for ref in CONTENT_PACKS:
        pack = Checker().pack(ref)
        expected += [r.element or r.id for r in sorted(pack.rules, key=lambda r: r.element is None)]
        expected += [RULE_ID] if adds_deadline(pack) else []

    def no_compiling(*args, **kwargs):
        raise AssertionError("a pack was compiled")

    monkeypatch.setattr(checker.api, "load_pack", no_compiling)
    assert pack_elements() == list(dict.fromkeys(expected))
    own = tmp_path / "batch-test.yaml"
    own.write_text(PACK, encoding="utf-8")
    assert pack_elements(own) == ["board_oversight", "risk_process"]
