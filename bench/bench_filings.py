"""Time whole EDGAR filings (HTML 10-Ks and 8-Ks) through reading and checking, CPU seconds (by hand).

    python bench/bench_filings.py [FOLDER] [--repeat 3]

For each .htm/.html file of FOLDER (default ../shared/fullfilings): the best of --repeat CPU times of
`ingest.load` (decode, parse, render, cover and cyd facts) and of `Checker.check_packs` (auto: the content
pack and the cyd tag pack), one warm checker; then the totals and the 10-Ks' medians. Only public entry
points are used, so the same script times an older checkout (PYTHONPATH=that checkout).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from checker import ingest
from checker.api import Checker

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "fullfilings"


def best_cpu(fn, repeat: int) -> tuple[float, object]:
    """The least CPU time of `repeat` calls, and the last call's result."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.process_time()
        out = fn()
        best = min(best, time.process_time() - t0)
    return best, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    files = sorted(p for p in args.folder.iterdir() if p.suffix.lower() in (".htm", ".html"))
    checker = Checker()
    checker.check_packs(ingest.load(str(files[0]))[0])  # packs compiled, modules imported
    rows = []
    print(f"{'filing':34s} {'MB':>5s} {'read ms':>8s} {'check ms':>9s}")
    for path in files:
        read_s, docs = best_cpu(lambda p=path: ingest.load(str(p)), args.repeat)
        check_s, _ = best_cpu(lambda d=docs: [checker.check_packs(x) for x in d], args.repeat)
        rows.append((path.name, path.stat().st_size / 1e6, read_s, check_s))
        print(f"{path.name[:34]:34s} {rows[-1][1]:5.2f} {read_s * 1000:8.1f} {check_s * 1000:9.1f}")
    tenk = [r for r in rows if "10-k" in r[0].lower() or "10k" in r[0].lower()]
    print(f"all {len(rows)}: read {sum(r[2] for r in rows):.2f} s, check {sum(r[3] for r in rows):.2f} s CPU")
    if tenk:
        print(f"10-Ks ({len(tenk)}): median read {statistics.median(r[2] for r in tenk) * 1000:.0f} ms, "
              f"median check {statistics.median(r[3] for r in tenk) * 1000:.0f} ms CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
