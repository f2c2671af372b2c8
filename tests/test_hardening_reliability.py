"""Issue 13: never lose a user's file, never pass a gate silently, bounded time and memory, one-line errors.

Every hostile input is generated here (tests/hostile_inputs.py for the larger ones); nothing big is committed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hostile_inputs import nested_span_html, shared_chain_html
from process_helpers import kill_and_expect_workers_gone
from test_batch import BOTH, PACK
from test_hardening_inputs import assert_one_line_error, run_cli
from test_hardening_output import DRAFT
from test_ingest import W_NS, _para, _run, make_docx

from checker import batch as batch_mod
from checker import output
from checker.batch import BatchOptions, run_batch
from checker.ingest import docx, html, load
from checker.model import CheckerError
from checker.report.markdown_out import code
from checker.summary import summary_csv

EPOCH = "1714564800"


@pytest.fixture(autouse=True)
def _quiet(monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def _state(paths: list[Path]) -> dict[str, tuple[bytes, int]]:
    return {str(p): (p.read_bytes(), p.stat().st_mtime_ns) for p in paths}


def _record(text: str = DRAFT, **extra) -> str:
    return json.dumps({"body_markdown": text, "document": {"doc_type": "10-K"}, **extra})


# ---------------------------------------------------------------- data loss: an output replaces an input


def test_an_html_folder_output_may_not_replace_an_input_inside_it(tmp_path, capsys):
    filings = tmp_path / "filings"
    filings.mkdir()
    index = filings / "index.html"
    index.write_text("<html><body>" + "".join(f"<p>{p}</p>" for p in DRAFT.split("\n\n")) + "</body></html>")
    before = _state([index])
    code_, _, err = run_cli(["check", str(index), "--format", "html", "--output", str(filings)], capsys)
    assert_one_line_error(code_, err, str(filings), "one of the input files")
    assert _state([index]) == before and sorted(p.name for p in filings.iterdir()) == ["index.html"]


def test_baseline_and_eval_may_not_replace_their_input(tmp_path, capsys):
    rec = tmp_path / "rec.json"
    rec.write_text(_record(), encoding="utf-8")
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "a", "form": "10-K", "item": "1C", "text": DRAFT,
                                  "labels": {"board_oversight": True}}) + "\n", encoding="utf-8")
    before = _state([rec, corpus])
    code_, _, err = run_cli(["baseline", str(rec), "--output", str(rec), "--justification", "x",
                             "--approved-by", "y"], capsys)
    assert_one_line_error(code_, err, str(rec), "one of the input files")
    code_, _, err = run_cli(["eval", str(corpus), "--output", str(corpus)], capsys)
    assert_one_line_error(code_, err, str(corpus), "one of the input files")
    folder = tmp_path / "labelled"
    folder.mkdir()
    (folder / "r1.json").write_text(corpus.read_text(encoding="utf-8"), encoding="utf-8")
    inside = _state([folder / "r1.json"])
    code_, _, err = run_cli(["eval", str(folder), "--output", str(folder / "r1.json")], capsys)
    assert_one_line_error(code_, err, "r1.json", "one of the input files")  # a file inside an input folder
    assert _state([rec, corpus]) == before and _state([folder / "r1.json"]) == inside


def test_batch_never_overwrites_its_own_input_summary(tmp_path, capsys):
    corp = tmp_path / "corp"
    corp.mkdir()
    summary = corp / "summary.jsonl"
    summary.write_text(_record() + "\n", encoding="utf-8")
    before = _state([summary])
    code_, _, err = run_cli(["batch", str(summary), "--out", str(corp), "--jobs", "1"], capsys)
    # A records file where batch writes its summary is not one of its outputs: the run stops before writing.
    assert code_ == 2 and "not written by cydcheck batch" in err and "summary.jsonl" in err and err.count("\n") == 1
    assert _state([summary]) == before


def test_a_run_that_fails_on_its_second_output_keeps_the_first(tmp_path, capsys, monkeypatch):
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT, encoding="utf-8")
    a = tmp_path / "a.json"
    a.write_text("the previous report", encoding="utf-8")
    (tmp_path / "b.xml").mkdir()  # the second output cannot be written: a folder is in the way
    args = ["check", str(draft), "--fail-on", "never", "--format", "json", "--output", str(a),
            "--format", "junit", "--output", str(tmp_path / "b.xml")]
    code_, _, err = run_cli(args, capsys)
    assert_one_line_error(code_, err, "b.xml", "directory")
    assert a.read_text(encoding="utf-8") == "the previous report"
    # The rename of the second output fails after the first was renamed: the first is put back.
    calls = []
    real_replace = os.replace

    def replace_twice(src, dst):
        calls.append(dst)
        if len([c for c in calls if not str(Path(c).name).startswith(".")]) == 2:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_twice)
    code_, _, err = run_cli(["check", str(draft), "--fail-on", "never", "--format", "json", "--output", str(a),
                             "--format", "sarif", "--output", str(tmp_path / "new" / "c.sarif")], capsys)
    assert_one_line_error(code_, err, "c.sarif", "the disk is full")
    assert a.read_text(encoding="utf-8") == "the previous report"
    assert not (tmp_path / "new").exists()  # the folder made for the run is gone too
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.xml", "draft.md"]


@pytest.mark.parametrize("err_no, phrase", [(30, "read-only file system"), (13, "permission denied"),
                                            (28, "the disk is full")])
def test_system_errors_writing_an_output_are_one_line_errors(tmp_path, capsys, monkeypatch, err_no, phrase):
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT, encoding="utf-8")

    def refuse(*args, **kwargs):
        raise OSError(err_no, os.strerror(err_no))

    monkeypatch.setattr(output.tempfile, "mkstemp", refuse)
    code_, _, err = run_cli(["check", str(draft), "--format", "json", "--output", str(tmp_path / "r.json")], capsys)
    assert_one_line_error(code_, err, "r.json", phrase)


def test_missing_output_folders_are_created_and_the_extension_names_the_format(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("draft.md").write_text(DRAFT, encoding="utf-8")
    code_, out, err = run_cli(["check", "draft.md", "--fail-on", "never", "--output", "build/r.html",
                               "--output", "build/deep/r.sarif", "--output", "-"], capsys)
    assert code_ == 0, err
    assert Path("build/r.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert json.loads(Path("build/deep/r.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert "coverage" in out  # '-' is standard output, in text
    code_, _, err = run_cli(["check", "draft.md", "--output", "r.xlsx"], capsys)
    assert code_ == 2 and "cannot tell the format" in err and "--format" in err
    # .docx and .pdf name a format, a copy of the input with the findings: a Markdown draft has none to copy
    code_, _, err = run_cli(["check", "draft.md", "--output", "r.docx"], capsys)
    assert code_ == 2 and "a copy of each Word draft" in err and not Path("r.docx").exists()
    code_, _, err = run_cli(["check", "draft.md", "--output", "r.pdf"], capsys)
    assert code_ == 2 and "a copy of each PDF: check .pdf files" in err and not Path("r.pdf").exists()


def test_configured_dash_output_is_standard_output(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("draft.md").write_text(DRAFT, encoding="utf-8")
    Path(".cydcheck.yaml").write_text('format: [text, sarif]\noutput: ["-", build/cydcheck.sarif]\n'
                                      "fail-on: never\n", encoding="utf-8")
    code_, out, err = run_cli(["check", "draft.md"], capsys)
    assert code_ == 0, err
    assert "coverage" in out and Path("build/cydcheck.sarif").is_file() and not Path("-").exists()
    code_, out, _ = run_cli(["config", "--format", "json"], capsys)
    assert code_ == 0
    assert json.loads(out)["settings"]["output"]["value"][0] == "-"
    code_, out, _ = run_cli(["config"], capsys)
    assert 'output = ["-", "' in out and "/build/cydcheck.sarif" in out


# ---------------------------------------------------------------- silent passes


def test_batch_checks_inputs_inside_out_and_says_what_it_leaves_out(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("filings").mkdir()
    Path("filings/a.txt").write_text(BOTH, encoding="utf-8")
    Path("filings/b.txt").write_text(BOTH, encoding="utf-8")
    Path("extra.md").write_text(BOTH, encoding="utf-8")
    code_, _, err = run_cli(["batch", "filings", "extra.md", "--out", ".", "--jobs", "1", "--fail-on",
                             "never"], capsys)
    assert code_ == 0 and "3 filings" in err, err
    code_, _, err = run_cli(["batch", "**/*.json", "state/*", "extra.md", "--out", ".", "--jobs", "1",
                             "--fail-on", "never"], capsys)
    assert code_ == 0, err
    # reports/*.json and the lines of state/state.jsonl of the first run (a record each), and
    # state/summaries.json (the summaries' hashes): 3 + 3 + 1
    assert "note: 7 inputs left out as this run's own outputs" in err and "1 filing:" in err


def test_a_resumed_batch_redoes_filings_when_a_pack_file_changes(tmp_path):
    pack = tmp_path / "rules" / "house.yaml"
    pack.parent.mkdir()
    pack.write_text(PACK, encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(BOTH, encoding="utf-8")
    options = BatchOptions(out=tmp_path / "out", pack=str(pack))
    assert run_batch([str(tmp_path / "in")], options).checked == 1
    assert run_batch([str(tmp_path / "in")], options).skipped == 1
    pack.write_text(PACK.replace("severity: warning", "severity: error"), encoding="utf-8")  # same path and id
    again = run_batch([str(tmp_path / "in")], options)
    assert (again.checked, again.skipped) == (1, 0)
    (tmp_path / "rules" / "base.yaml").write_text(PACK.replace("batch-test", "base"), encoding="utf-8")
    assert run_batch([str(tmp_path / "in")], options).checked == 1  # a file its extends could name


@pytest.mark.parametrize("record, phrase", [
    ({"labels": {"board_oversight": "false"}}, "must be true or false"),
    ({"labels": {"board_oversight": "no"}}, "must be true or false"),
    ({"labels": {"board_oversight": True}, "confidence": "high"}, "'confidence' must be a mapping"),
    ({"labels": {"board_oversight": True}, "evidence": ["a quote"]}, "'evidence' must be a mapping"),
])
def test_eval_labels_must_be_booleans(tmp_path, capsys, record, phrase):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "r1", "form": "10-K", "item": "1C", "text": DRAFT, **record}) + "\n",
                      encoding="utf-8")
    code_, _, err = run_cli(["eval", str(corpus)], capsys)
    assert_one_line_error(code_, err, "c.jsonl", phrase)


# ---------------------------------------------------------------- bounded time and memory


def test_continuation_chains_are_rendered_once_linear_text():
    """1,500 facts continuedAt one 1,500-link chain: each chain's text appears once (it was 1,500 times)."""
    sizes = {}
    for n in (750, 1500):
        started = time.perf_counter()
        doc = html.read(shared_chain_html(n, n), "chain.html")[0]
        sizes[n] = (sum(len(f.text) for f in doc.facts), time.perf_counter() - started)
        assert len(doc.facts) == n and all(f.start is not None for f in doc.facts)
        assert doc.facts[0].text.count("Part ") == n and all("Part " not in f.text for f in doc.facts[1:])
    assert 1.8 < sizes[1500][0] / sizes[750][0] < 2.2  # the facts' text doubles with the input, no more
    assert sizes[1500][1] < 30  # was 7 minutes and 924 MB


def test_a_fact_nested_a_thousand_spans_deep_is_read():
    doc = html.read(nested_span_html(1000), "deep.html")[0]
    assert doc.facts and doc.facts[0].text.startswith("The Board of Directors oversees")


def _numbering(fmt: str, start: str, ilvl: str = "0") -> str:
    return (f'<w:numbering xmlns:w="{W_NS}"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="{ilvl}">'
            f'<w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="%1."/></w:lvl>'
            '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')


def test_docx_numbering_with_huge_start_or_level_is_quick():
    started = time.perf_counter()
    raw = make_docx([_para(_run("The Board oversees risk."), (1, 0))] * 3, _numbering("upperRoman", "1" + "0" * 15))
    doc = docx.read(raw, "roman.docx")[0]
    assert doc.text.startswith("2147483647. The Board")  # capped, and past MMMCMXCIX shown as a decimal
    raw = make_docx([_para(_run("The Board oversees risk."), (1, 50_000_000))] * 3, _numbering("decimal", "1"))
    assert docx.read(raw, "deep.docx")[0].text.startswith("The Board")  # not a Word level: no label
    assert time.perf_counter() - started < 5  # were 120 s and 37 s


@pytest.mark.parametrize("where", ["start", "ilvl", "paragraph"])
def test_docx_non_integer_numbering_is_a_one_line_error(tmp_path, capsys, where):
    numbering = _numbering("decimal", "x1" if where == "start" else "1", "one" if where == "ilvl" else "0")
    level = "1.5" if where == "paragraph" else "0"
    para = (f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="1"/></w:numPr></w:pPr>'
            f'{_run("The Board oversees risk.")}</w:p>')
    path = tmp_path / "draft.docx"
    path.write_bytes(make_docx([para], numbering))
    code_, _, err = run_cli(["check", str(path)], capsys)
    assert_one_line_error(code_, err, "draft.docx", "is not a whole number")


def test_docx_xml_counts_against_the_input_limit(tmp_path, monkeypatch):
    # A highly repetitive document.xml packs small (under the zip-bomb ratio) but unpacks past the limit.
    raw = make_docx([_para(_run("The Board oversees cybersecurity risk. " * 20))] * 2000, None)
    monkeypatch.setenv("CYDCHECK_MAX_BYTES", str(len(raw) * 50))
    path = tmp_path / "big.docx"
    path.write_bytes(raw)
    with pytest.raises(CheckerError, match="refusing to unpack word/document.xml"):
        load(str(path))


def test_reading_stops_at_the_limit_for_devices_and_pipes(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CYDCHECK_MAX_BYTES", "100000")
    code_, _, err = run_cli(["check", "/dev/zero"], capsys)
    assert_one_line_error(code_, err, "/dev/zero", "larger than the 100,000-byte limit")
    fifo = tmp_path / "endless.txt"
    os.mkfifo(fifo)
    written = []

    def endless():
        try:
            with open(fifo, "wb") as fh:
                while True:
                    fh.write(b"The Board oversees cybersecurity. " * 1000)
                    written.append(1)
        except (BrokenPipeError, OSError):
            pass

    writer = threading.Thread(target=endless, daemon=True)
    writer.start()
    code_, _, err = run_cli(["check", str(fifo)], capsys)
    assert_one_line_error(code_, err, "endless.txt", "larger than the 100,000-byte limit")
    writer.join(5)
    assert not writer.is_alive() and len(written) < 20  # the reader stopped; the writer saw the pipe close


# ---------------------------------------------------------------- errors that are the user's


@pytest.mark.parametrize("args, phrase", [
    (["--determined-on", "9999-12-28"], "the year must be between"),
    (["--determined-on", "2026-03-02", "--filed-on", "0001-01-01T00:00+05:00"], "not an ISO date"),
    (["--closed-on", "0001-01-01"], "the year must be between"),
])
def test_dates_that_overflow_are_usage_errors(tmp_path, capsys, args, phrase):
    draft = tmp_path / "ev.md"
    draft.write_text("# Item 1.05 Material Cybersecurity Incidents\n\nWe found a material incident.\n")
    code_, _, err = run_cli(["check", str(draft), "--form", "8-K", *args], capsys)
    assert code_ == 2 and phrase in err and err.count("\n") == 1, err


@pytest.mark.parametrize("field", ["body_markdown", "id", "issuer"])
def test_lone_surrogates_in_a_record_are_one_line_errors(tmp_path, capsys, field):
    record = {"body_markdown": DRAFT, "id": "r1", "issuer": "Co"}
    record[field] = record[field][:10] + "\ud800" + record[field][10:]
    path = tmp_path / "rec.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")  # json.dumps escapes it as \ud800
    code_, _, err = run_cli(["check", str(path), "--format", "json"], capsys)
    assert_one_line_error(code_, err, "rec.jsonl", "lone surrogate")


@pytest.mark.parametrize("kind", ["pack", "config", "baseline"])
def test_a_list_as_a_yaml_key_is_a_one_line_error(tmp_path, capsys, monkeypatch, kind):
    monkeypatch.chdir(tmp_path)
    Path("draft.md").write_text(DRAFT, encoding="utf-8")
    bad = "? [a, b]\n: 1\n"
    args = ["check", "draft.md"]
    if kind == "pack":
        Path("house.yaml").write_text(PACK + bad, encoding="utf-8")
        args += ["--pack", "house.yaml"]
        name = "house.yaml"
    elif kind == "config":
        Path(".cydcheck.yaml").write_text(bad, encoding="utf-8")
        name = ".cydcheck.yaml"
    else:
        Path(".cydcheck-baseline.yaml").write_text("version: 1\n" + bad, encoding="utf-8")
        name = ".cydcheck-baseline.yaml"
    code_, _, err = run_cli(args, capsys)
    assert_one_line_error(code_, err, name, "a key must be a name, not a list")


# ---------------------------------------------------------------- concurrency and signals


def test_a_second_batch_on_the_same_out_waits_its_turn_and_temporaries_are_ours_only(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "a.txt").write_text(BOTH, encoding="utf-8")
    (out / "notes.tmp").write_text("mine", encoding="utf-8")
    (out / ".draft.md.tmp").write_text("the user's editor", encoding="utf-8")
    (out / f".summary.csv{output.TEMP_MARK}deadbeef.tmp").write_text("a killed run's", encoding="utf-8")
    holder = batch_mod.lock_out(out)  # another run holds the folder
    try:
        code_, _, err = run_cli(["batch", str(tmp_path / "a.txt"), "--out", str(out), "--jobs", "1"], capsys)
        assert_one_line_error(code_, err, str(out), "another cydcheck batch")
        assert (out / f".summary.csv{output.TEMP_MARK}deadbeef.tmp").exists()  # not swept while another run lives
    finally:
        holder.close()
    code_, _, err = run_cli(["batch", str(tmp_path / "a.txt"), "--out", str(out), "--jobs", "1",
                             "--fail-on", "never"], capsys)
    assert code_ == 0, err
    names = {p.name for p in out.iterdir()}
    assert {"notes.tmp", ".draft.md.tmp"} <= names and f".summary.csv{output.TEMP_MARK}deadbeef.tmp" not in names


def test_ctrl_c_exits_130(tmp_path, capsys, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(batch_mod, "run_batch", interrupted)
    (tmp_path / "a.txt").write_text(BOTH, encoding="utf-8")
    code_, _, err = run_cli(["batch", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out")], capsys)
    assert code_ == 130 and "interrupted" in err


def test_jobs_are_capped_at_the_cpu_count(tmp_path, capsys, monkeypatch):
    seen = {}

    def record(inputs, options, progress=None):
        seen["jobs"] = options.jobs
        return batch_mod.BatchResult(rows=[])

    monkeypatch.setattr(batch_mod, "run_batch", record)
    code_, _, err = run_cli(["batch", "x", "--out", str(tmp_path / "out"), "--jobs", "100"], capsys)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert code_ == 0 and seen["jobs"] == min(100, cpus) and f"capped at {cpus}" in err
    code_, out, _ = run_cli(["batch", "--help"], capsys)
    assert "At most the CPU count" in " ".join(out.split())


_PARENT = """
import os, sys, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from checker.batch import BatchOptions, init_worker
opts = BatchOptions(out=Path(sys.argv[1]))
with ProcessPoolExecutor(2, initializer=init_worker, initargs=(opts, os.getpid())) as pool:
    list(pool.map(abs, [0, 0]))  # the workers are up and initialised
    print(" ".join(str(p.pid) for p in pool._processes.values()), flush=True)
    time.sleep(60)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process checks use /proc")
def test_killing_the_batch_parent_ends_its_workers(tmp_path):
    parent = subprocess.Popen([sys.executable, "-c", _PARENT, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(p) for p in parent.stdout.readline().split()]
        assert len(workers) == 2 and all(Path(f"/proc/{w}").exists() for w in workers)
        kill_and_expect_workers_gone(parent, workers)
    finally:
        parent.kill()


# ---------------------------------------------------------------- injection


def test_markdown_code_spans_hold_any_backtick_run():
    for value in ("x`` ![i](https://e.test/i.png) @octocat ``", "```` a", "`", "a ` b `` c"):
        span = code(value)
        fence = span[: len(span) - len(span.lstrip("`"))]
        runs = [len(r) for r in __import__("re").findall("`+", value)]
        assert len(fence) > max(runs) and span.endswith(fence) and value in span


def test_markdown_report_keeps_a_hostile_id_in_its_span(tmp_path, capsys):
    rec = tmp_path / "rec.json"
    hostile = "x`` ![i](https://e.test/i.png) [l](https://e.test) @octocat ``"
    rec.write_text(_record(id=hostile), encoding="utf-8")
    code_, out, _ = run_cli(["check", str(rec), "--format", "markdown", "--fail-on", "never"], capsys)
    assert code_ == 0
    line = next(ln for ln in out.splitlines() if "octocat" in ln and ln.startswith("Source"))
    assert "``` " in line and "![i]" in line.split("```")[1]  # the image is inside the triple-backtick span


def test_csv_header_cells_are_defused():
    rows = [{"key": "k", "source": "s", "elements": {"=HYPERLINK(\"https://e.test\")": "met", "+1": "missing"}}]
    header = summary_csv(rows).splitlines()[0]
    assert "'=HYPERLINK" in header and ",'+1" in header


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_no_escape_sequences_reach_text_or_github_output(tmp_path, capsys, fmt):
    osc8 = "\x1b]8;;https://e.test\x07click\x1b]8;;\x07"
    osc52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
    path = tmp_path / "draft\x1b]8;;e.test\x07x\x1b]8;;\x07.md"
    path.write_text(DRAFT.replace("The CISO", f"The {osc52}CISO{osc8}"), encoding="utf-8")
    rec = tmp_path / "rec.json"
    rec.write_text(_record(DRAFT + osc52, id=f"id{osc8}", issuer=f"Co{osc52}"), encoding="utf-8")
    code_, out, _ = run_cli(["check", str(path), str(rec), "--format", fmt, "--fail-on", "never", "--color"],
                            capsys)
    assert code_ == 0
    assert "]8;;" not in out and "]52;" not in out and "\x07" not in out
    assert all(seq in ("\x1b[3", "\x1b[9", "\x1b[0") for seq in
               (out[i:i + 3] for i in range(len(out)) if out[i] == "\x1b"))  # only our colours


BIDI = ("\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f", "\u061c")


@pytest.mark.parametrize("fmt", ["text", "github", "html", "markdown"])
def test_no_bidirectional_override_from_a_file_name_reaches_any_report(tmp_path, capsys, fmt):
    # "report\u202egnp.exe.md" shows on a terminal as "reportdm.exe.png": the text a reviewer reads must be
    # the name as it is stored, as the readers already make a document's own text
    path = tmp_path / "report\u202egnp.exe\u2066x\u2069.md"
    path.write_text(DRAFT, encoding="utf-8")
    code_, out, _ = run_cli(["check", str(path), "--format", fmt, "--fail-on", "never"], capsys)
    assert code_ == 0 and "reportgnp.exex.md" in out
    assert not [c for c in BIDI if c in out]


def test_no_bidirectional_override_from_a_file_name_reaches_an_error_line(tmp_path, capsys):
    missing = tmp_path / "gone\u202etxt.md"
    code_, _, err = run_cli(["check", str(missing)], capsys)
    assert code_ == 2 and "gonetxt.md" in err and not [c for c in BIDI if c in err]


INVISIBLE = ("\u200b", "\u00ad", "\ufeff", "\u2060", "\u200d")


@pytest.mark.parametrize("char", INVISIBLE)
def test_invisible_characters_read_the_same_in_every_input_kind(tmp_path, char):
    hidden = DRAFT.replace("Board", f"Bo{char}ard").replace("CISO", f"CI{char}SO").replace(
        "Officer", f"Offi{char}cer")
    paragraphs = hidden.split("\n\n")
    files = {
        "a.txt": hidden.encode(),
        "a.md": hidden.encode(),
        "a.json": _record(hidden).encode(),
        "a.docx": make_docx([_para(_run(p.replace("\n", " "))) for p in paragraphs], numbering=None),
        "a.html": ("<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>").encode(),
    }
    from checker import Checker

    checker = Checker()
    clean = {r.rule: r.status for r in checker.check_document(
        load(str(_write(tmp_path / "clean.md", DRAFT.encode())))[0], "sk-106").results}
    for name, data in files.items():
        doc = load(str(_write(tmp_path / name, data)))[0]
        assert char not in doc.text, name
        statuses = {r.rule: r.status for r in checker.check_document(doc, "sk-106").results}
        assert statuses == clean, name


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_the_word_index_locates_facts_where_the_pattern_search_does(monkeypatch):
    """Many facts use the word index, few the pattern search: on real filings both place every fact alike."""
    from conftest import shared_path

    from checker import xbrl

    filings = sorted(shared_path("fullfilings").glob("*.htm*"))[:6]
    for path in filings:
        raw = path.read_bytes()
        searched = [(f.concept, f.start, f.end) for f in html.read(raw, path.name)[0].facts]
        monkeypatch.setattr(xbrl, "SCAN_LIMIT", 0)
        indexed = [(f.concept, f.start, f.end) for f in html.read(raw, path.name)[0].facts]
        monkeypatch.setattr(xbrl, "SCAN_LIMIT", 64)
        assert indexed == searched, path.name
