"""docs/distributed.md, run: the documented Dask path on a local cluster of processes gives batch's rows."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from test_hardening_inputs import cydcheck_command

dask_bag = pytest.importorskip("dask.bag")
distributed = pytest.importorskip("dask.distributed")

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "filer-tagged-fy2024.jsonl"
RUN_SPECIFIC = ("key", "source", "report", "html")  # where the row came from and where its report went


def check_partition(lines):
    # As in docs/distributed.md: one Checker per partition.
    from checker import Checker
    from checker.batch import check_line

    checker = Checker()
    return [check_line(line, checker, source="edgar-2024") for line in lines if line.strip()]


def comparable(row: dict) -> dict:
    out = {k: v for k, v in row.items() if k not in RUN_SPECIFIC}
    out["id"] = row["source"].rsplit("#", 1)[-1]
    return out


@pytest.mark.skipif(not CORPUS.is_file(), reason="needs ../shared/corpus")
def test_dask_on_a_local_cluster_gives_the_rows_of_batch(tmp_path):
    corpus = tmp_path / "sections.jsonl"
    lines = CORPUS.read_text(encoding="utf-8").splitlines()[:500]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")

    done = subprocess.run([*cydcheck_command(), "batch", str(corpus), "--out", str(tmp_path / "out"), "--jobs", "2",
                           "--pack", "auto", "--no-progress"], capture_output=True, text=True, timeout=900)
    assert done.returncode in (0, 1), done.stderr
    batch_rows = [json.loads(x) for x in (tmp_path / "out" / "summary.jsonl").read_text().splitlines()]

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster):
        bag = dask_bag.read_text(str(corpus), blocksize="256KiB")
        assert bag.npartitions > 1
        rows = bag.map_partitions(check_partition).compute()

    assert len(rows) == len(batch_rows) == 500
    assert [comparable(r) for r in rows] == [comparable(r) for r in batch_rows]

    # the documented summaries: the same columns, in the same order, as batch's
    from checker.batch import pack_elements, write_summaries

    write_summaries(rows, tmp_path / "dask", elements=pack_elements())
    header = {name: (tmp_path / name / "summary.csv").read_text("utf-8").splitlines()[0] for name in ("out", "dask")}
    assert header["dask"] == header["out"]
