"""Worker processes: `checker.parallel` and `cydcheck check --jobs` give what one process gives."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error, run_main
from click.testing import CliRunner
from process_helpers import alive, kill_and_expect_workers_gone

from checker import parallel
from checker.cli import cli
from checker.cli.config import PARALLEL_FROM
from checker.model import CheckerError

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _square(offset: int, x: int) -> int:
    return x * x + offset


def _refuse(_state: None, x: int) -> int:
    if x == 7:
        raise CheckerError("seven is refused", file="numbers.txt", line=7)
    return x


def test_map_ordered_keeps_the_items_order_across_workers():
    items = list(range(37))
    assert parallel.map_ordered(_square, items, 1, jobs=2) == [x * x + 1 for x in items]
    assert parallel.map_ordered(_square, items, 1, jobs=1) == [x * x + 1 for x in items]


def test_chunks_cover_every_item_once_in_order():
    for n in (1, 7, 8, 9, 100, 1001):
        chunks = parallel.chunked(list(range(n)), 2)
        assert [x for c in chunks for x in c] == list(range(n))
        assert len(chunks) <= max(2 * parallel.CHUNKS_PER_WORKER, -(-n // parallel.MAX_CHUNK))
        assert max(map(len, chunks)) <= parallel.MAX_CHUNK


def test_an_error_in_a_worker_is_raised_in_the_parent_with_its_file_and_line():
    with pytest.raises(CheckerError) as raised:
        parallel.map_ordered(_refuse, list(range(20)), None, jobs=2)
    assert str(raised.value) == "numbers.txt:7: seven is refused"


def _records(path: Path, n: int) -> Path:
    """n real sections as JSONL records (the shipped samples, in turn, each with its own id)."""
    texts = [(SAMPLES / name).read_text(encoding="utf-8")
             for name in ("draft-10k-1c-deficient.md", "draft-10k-1c-complete.md")]
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"r{i}", "text": texts[i % 2], "form": "10-K", "item": "1C"}) + "\n")
    return path


def test_check_with_workers_writes_the_report_one_process_writes(tmp_path):
    src = _records(tmp_path / "many.jsonl", PARALLEL_FROM + 3)
    outs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"report-{jobs}.json"
        result = CliRunner().invoke(cli, ["check", str(src), "--pack", "sk-106", "--jobs", jobs, "--output",
                                          str(out)], catch_exceptions=False)
        assert result.exit_code == 1, result.output  # the deficient drafts have gaps
        outs[jobs] = out.read_bytes()
    assert outs["1"] == outs["2"]
    reports = json.loads(outs["2"])["reports"]
    assert [r["document"]["source"] for r in reports] == [f"{src}#r{i}" for i in range(PARALLEL_FROM + 3)]


def test_an_error_in_a_worker_fails_the_check_with_one_line(tmp_path, capsys):
    src = _records(tmp_path / "many.jsonl", PARALLEL_FROM)
    code, _, err = run_main(capsys, "check", str(src), "--pack", "no-such-pack", "--jobs", "2")
    assert_one_line_error(code, err, "no-such-pack", "unknown rule pack")


def test_check_starts_workers_only_for_enough_documents(tmp_path, monkeypatch):
    calls: list[int] = []

    def serial(fn, items, state, jobs):  # records the call, checks in this process
        calls.append(jobs)
        return [fn(state, item) for item in items]

    monkeypatch.setattr(parallel, "map_ordered", serial)
    monkeypatch.setattr("checker.cli.common.usable_cpus", lambda: 2)  # --jobs 2 is not capped on one CPU
    for n, want in ((PARALLEL_FROM - 1, []), (PARALLEL_FROM, [2])):
        calls.clear()
        src = _records(tmp_path / f"{n}.jsonl", n)
        CliRunner().invoke(cli, ["check", str(src), "--pack", "sk-106", "--jobs", "2", "--format", "json"],
                           catch_exceptions=False)
        assert calls == want
    calls.clear()
    CliRunner().invoke(cli, ["check", str(src), "--pack", "sk-106", "--jobs", "1", "-q"], catch_exceptions=False)
    assert calls == []


def _die(_state: object, _item: object) -> None:
    import os

    os._exit(9)  # as a worker killed by the system would end


def test_a_worker_that_dies_fails_the_map_instead_of_hanging():
    with pytest.raises(parallel.WorkerDied, match="--jobs 1"):
        parallel.map_ordered(_die, list(range(20)), None, jobs=2)


def test_a_killed_worker_ends_check_with_one_line(tmp_path, capsys, monkeypatch):
    from checker.cli import config

    src = _records(tmp_path / "many.jsonl", PARALLEL_FROM)
    monkeypatch.setattr("checker.cli.common.usable_cpus", lambda: 2)
    monkeypatch.setattr(config, "_check_packs", _die)
    code, _, err = run_main(capsys, "check", str(src), "--pack", "sk-106", "--jobs", "2")
    assert code == 2 and err.count("\n") == 1 and "worker process ended" in err and "Traceback" not in err


_PARENT = """
import os, sys, time
from pathlib import Path
from checker import parallel

def slow(folder, item):  # each worker says who it is, then works for a minute
    Path(folder, str(os.getpid())).touch()
    time.sleep(60)

if __name__ == "__main__":
    parallel.map_ordered(slow, list(range(4)), sys.argv[1], jobs=2)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process checks use /proc")
def test_killing_the_parent_of_a_map_ends_its_workers(tmp_path):
    script, folder = tmp_path / "parent.py", tmp_path / "workers"
    script.write_text(_PARENT, encoding="utf-8")
    folder.mkdir()
    parent = subprocess.Popen([sys.executable, str(script), str(folder)], stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(list(folder.iterdir())) < 2:
            time.sleep(0.1)
        workers = [int(p.name) for p in folder.iterdir()]
        assert len(workers) == 2 and all(alive(w) for w in workers)
        kill_and_expect_workers_gone(parent, workers)
    finally:
        parent.kill()
