"""Before/after figures in one run: the same measurements on two source trees, interleaved, medians reported.

    python bench/compare.py          # before = e46a125, after = this tree
    python bench/compare.py --before REF --repeat 3 --growth-max-kb 5000
    python bench/compare.py --before HEAD~1 --only reused,latency   # one change's figures

Each measurement runs in a fresh process with the tree first on sys.path (`bench/measure.py`), so the
two trees never share state; runs alternate before/after and each figure is the median of --repeat
runs. The machine is shared: compare figures from one run only. The "after" tree's compiled-pack cache
lives in a temporary folder, warmed once (as a user's second run would find it); "cold, no cache"
empties it first.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEASURE = Path(__file__).resolve().parent / "measure.py"
BASE = "e46a125"  # main before the fifth round (a6ca067: the fourth, f25cdcf: the third, 59ef664: the first)


def tree_of(ref: str, where: Path) -> Path:
    """The source tree of a git ref, extracted (git archive) into a temporary folder."""
    out = where / ref
    out.mkdir()
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive, check=True)
    return out


def run(tree: Path, what: str, env: dict[str, str], *args: str) -> dict:
    done = subprocess.run([sys.executable, str(MEASURE), what, *args], cwd=tree,
                          env=env | {"PYTHONPATH": str(tree)}, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        err = done.stderr.strip()
        return {"error": err.splitlines()[-1] if err else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def median_of(results: list[dict]) -> dict:
    ok = [r for r in results if "error" not in r]
    if not ok:
        return results[0]
    return {k: round(statistics.median(r[k] for r in ok), 4) for k in ok[0]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default=BASE)
    ap.add_argument("--after", default=None, help="a git ref (default: this working tree)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--growth-max-kb", type=int, default=5000)
    ap.add_argument("--sections", type=int, default=1000, help="sections for `check`")
    ap.add_argument("--batch-sections", type=int, default=5000, help="sections for `batch --jobs 2`")
    ap.add_argument("--skip", default="", help="comma-separated measurements to leave out")
    ap.add_argument("--only", default="",
                    help="comma-separated measurements to run (default: all), each --repeat times")
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    only = set(filter(None, args.only.split(",")))
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        after = tree_of(args.after, where) if args.after else ROOT
        trees = {"before": tree_of(args.before, where), "after": after}
        cache = where / "cache"
        env = dict(os.environ, CYDCHECK_CACHE_DIR=str(cache))
        # An installed package has its bytecode compiled: let the warm-up runs write it for both trees.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for tree in trees.values():
            run(tree, "cold", env)  # warm the pack cache (and the bytecode)
        # (measurement, its arguments, repeats): the slow ones run once on a loaded machine.
        plan = [("version", (), args.repeat), ("cold", (), args.repeat), ("cold_nocache", (), args.repeat),
                ("latency", (), 1), ("latency_rules", (), 1), ("api_loop", (), 1), ("limit", (), 1),
                ("reused", (str(args.sections),), 1),
                ("cli_check", (str(args.sections),), 1), ("batch", (str(args.batch_sections),), 1),
                ("growth", (str(args.growth_max_kb),), 1)]
        table: dict[str, dict[str, dict]] = {}
        for what, extra, repeat in plan:
            if what in skip or (only and what not in only):
                continue
            runs: dict[str, list[dict]] = {"before": [], "after": []}
            for _ in range(args.repeat if only else repeat):
                for label, tree in trees.items():
                    if what == "cold_nocache":
                        for p in cache.glob("*.pack"):
                            p.unlink()
                    max_kb = extra if label == "after" else (str(min(args.growth_max_kb, 256)),)
                    runs[label].append(run(tree, what, env, *(max_kb if what == "growth" else extra)))
            table[what] = {label: median_of(rs) for label, rs in runs.items()}
            print(json.dumps({what: table[what]}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
