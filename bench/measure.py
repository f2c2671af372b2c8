"""One measurement of the tree on sys.path, printed as one JSON line (run by bench/compare.py)."""

from __future__ import annotations

import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
FILER = SHARED / "filer-tagged-fy2024.jsonl"
CLI = "import sys; from checker.cli import main; sys.argv[0] = 'cydcheck'; main()"
GOV = ("The Audit Committee of the Board of Directors oversees our cybersecurity risk management program, "
       "and our Chief Information Security Officer reports to it quarterly on third parties and vendors. ")


def sections(n: int, seed: int = 7) -> list[dict]:
    lines = FILER.read_text(encoding="utf-8").splitlines()
    random.Random(seed).shuffle(lines)
    return [json.loads(line) for line in lines[:n]]


def wall(argv: list[str], cwd: str | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
    return time.perf_counter() - started


def children_cpu() -> float:
    """CPU time (user + system) of the finished child processes so far."""
    t = os.times()
    return t.children_user + t.children_system


def children_system() -> float:
    """System (kernel) CPU time of the finished child processes so far: file creation, renames, syncs."""
    return os.times().children_system


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def latency(combine: str | None = None) -> dict:
    """A reused Checker over 300 real sections: p50 / p95 wall time, the CPU time, the exact-pattern calls and
    the vocabularies matched a section."""
    from checker import Checker, engine
    from checker.model import Document

    checker = Checker(combine=combine) if combine else Checker()
    checker.pack("sk-106")
    docs = [Document(text=rec["text"], form="10-K", item="1C") for rec in sections(300)]
    # Each document's DocumentMatches, to count its exact-pattern calls (regex attempts) afterwards.
    seen, prepare = [], engine.prepare
    engine.prepare = lambda pack, document: seen.append(ctx := prepare(pack, document)) or ctx
    times = []
    cpu = time.process_time()
    for doc in docs:
        started = time.perf_counter()
        checker.check_document(doc, "sk-106")
        times.append(time.perf_counter() - started)
    cpu = time.process_time() - cpu
    calls = sum(ctx.vocabularies.matches.match_calls for ctx in seen)
    matched = sum(len(ctx._cache) for ctx in seen)  # the vocabularies matched over the section
    return {"p50_ms": 1000 * pct(times, 0.5), "p95_ms": 1000 * pct(times, 0.95),
            "cpu_ms": 1000 * cpu / len(docs), "match_calls": calls / len(docs),
            "vocabularies": matched / len(docs)}


def latency_rules() -> dict:
    """The same with the pack's learned block off (combine: rules): the engine's own part."""
    return latency("rules")


def api_loop() -> dict:
    """`checker.check(text)` in a loop (wall and CPU), beside a reused Checker on the same texts (CPU).

    The loop runs over the texts twice: the first pass (`first_per_s`) also pays the process's warm-up
    (the peer examples ranked per element and group on first use, the model's table and the patterns
    first touched: 1-2 ms a call over the first 60); the second is the loop's steady rate (`per_s`,
    `cpu_per_s`), what a loop over many texts runs at, and is measured as the reused Checker is, after."""
    import checker
    from checker.api import shared_checker
    from checker.model import Document

    texts = [r["text"] for r in sections(60, seed=11)]
    checker.check(texts[0])  # the first call loads the pack
    rates = []
    for _ in range(2):
        started, cpu = time.perf_counter(), time.process_time()
        for t in texts:
            checker.check(t)
        rates.append((len(texts) / (time.perf_counter() - started), len(texts) / (time.process_time() - cpu)))
    reused = shared_checker()
    engine = time.process_time()
    for t in texts:
        reused.check_document(Document(text=t, source="<text>"), "sk-106")
    engine = time.process_time() - engine
    return {"per_s": rates[1][0], "cpu_per_s": rates[1][1], "first_per_s": rates[0][0],
            "reused_cpu_per_s": len(texts) / engine}


def reused(n: int = 1000) -> dict:
    """A reused Checker (no peer examples, no report) over the sections cli_check and batch read: CPU a
    section. What `cydcheck check` and `batch` add is the difference."""
    from checker import Checker
    from checker.model import Document

    checker = Checker()
    checker.pack("sk-106")
    docs = [Document(text=rec["text"], form="10-K", item="1C") for rec in sections(n, seed=3)]
    cpu = time.process_time()
    for doc in docs:
        checker.check_document(doc, "sk-106")
    cpu = time.process_time() - cpu
    return {"cpu_per_s": len(docs) / cpu, "cpu_ms": 1000 * cpu / len(docs)}


def _jsonl(n: int, folder: str) -> str:
    path = os.path.join(folder, f"sections-{n}.jsonl")
    with open(path, "w", encoding="utf-8") as fh:
        for rec in sections(n, seed=3):
            row = {"id": rec.get("id"), "text": rec["text"], "form": "10-K", "item": "1C"}
            fh.write(json.dumps(row) + "\n")
    return path


def cli_check(n: int = 1000) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = _jsonl(n, tmp)
        cpu = children_cpu()
        took = wall([sys.executable, "-c", CLI, "check", path, "--pack", "sk-106", "--format", "json",
                     "--output", os.path.join(tmp, "out.json")])
        cpu = children_cpu() - cpu
        assert os.path.exists(os.path.join(tmp, "out.json")), "no report written"
    return {"per_s": n / took, "cpu_per_s": n / cpu}


def batch(n: int = 1000) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = _jsonl(n, tmp)
        cpu, kernel = children_cpu(), children_system()
        took = wall([sys.executable, "-c", CLI, "batch", path, "--out", os.path.join(tmp, "out"),
                     "--jobs", "2", "--pack", "sk-106", "--no-progress"])
        cpu, kernel = children_cpu() - cpu, children_system() - kernel
        done = sum(f.endswith(".json") for f in os.listdir(os.path.join(tmp, "out", "reports")))
        assert done == n, f"{done} of {n} reports written"
    # cpu: all processes' CPU seconds (parent and both workers) per section; sys_ms: the kernel's part of
    # it (a report and a state marker created per filing: on some virtual disks each new file costs 0.5 ms)
    return {"per_s": n / took, "cpu_ms": 1000 * cpu / n, "sys_ms": 1000 * kernel / n}


def cold() -> dict:
    draft = str(Path.cwd() / "samples" / "draft-10k-1c-deficient.md")
    return {"s": wall([sys.executable, "-c", CLI, "check", draft])}


cold_nocache = cold


def version() -> dict:
    return {"s": wall([sys.executable, "-c", CLI, "--version"])}


def limit() -> dict:
    """Engine time over the time of one Hyperscan scan of all the pack's patterns (prefilter mode)."""
    import hyperscan

    from checker import Checker
    from checker.model import Document
    from checker.vocab import flexible_spaces

    checker = Checker()
    pack = checker.pack("sk-106")
    patterns = {flexible_spaces(p) for v in pack.vocabularies.values() for p in v.patterns + v.exclude}
    flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_ALLOWEMPTY
    usable = []
    for p in sorted(patterns):
        db = hyperscan.Database()
        try:
            db.compile(expressions=[p.encode()], flags=[flags])
            usable.append(p.encode())
        except hyperscan.error:
            continue
    db = hyperscan.Database()
    db.compile(expressions=usable, ids=list(range(len(usable))), elements=len(usable),
               flags=[flags] * len(usable))
    ratios, scans, engine = [], [], []
    for rec in sections(100, seed=5):
        text = rec["text"]
        data = text.encode("utf-8")
        started = time.perf_counter()
        db.scan(data, match_event_handler=lambda *a: None)
        scan_t = time.perf_counter() - started
        started = time.perf_counter()
        checker.check_document(Document(text=text, form="10-K", item="1C"), "sk-106")
        eng_t = time.perf_counter() - started
        ratios.append(eng_t / scan_t)
        scans.append(scan_t)
        engine.append(eng_t)
    return {"ratio": statistics.median(ratios), "scan_ms": 1000 * statistics.median(scans),
            "engine_ms": 1000 * statistics.median(engine), "patterns": len(usable), "of": len(patterns)}


def growth(max_kb: int = 5000) -> dict:
    """Check time by input size (1 KB to max_kb) for real text and repeated sentences; log-log slopes."""
    from checker import Checker
    from checker.engine import evaluate
    from checker.model import Document

    pack = Checker(timeout=1e9).pack("sk-106")
    real = "\n\n".join(r["text"] for r in sections(2000, seed=1))
    while len(real) < max_kb * 1000:
        real += "\n\n" + real
    out: dict[str, float] = {}
    for name, source in (("real", real), ("repeated", GOV * (max_kb * 1000 // len(GOV) + 1))):
        points = []
        kb = 1
        while kb <= max_kb:
            text = source[: kb * 1000]
            started = time.perf_counter()
            # The engine on the whole text (check_document would cut the first Item 1C out of it).
            evaluate(pack, Document(text=text, form="10-K", item="1C"))
            took = time.perf_counter() - started
            out[f"{name}_{kb}kb_ms"] = 1000 * took
            points.append((kb, took))
            kb = kb * 4 if kb * 4 <= max_kb or kb == max_kb else max_kb
            if points[-1][0] == max_kb:
                break
        big = [(math.log(k), math.log(t)) for k, t in points if k >= 16]
        if len(big) >= 2:
            mx, my = statistics.mean(x for x, _ in big), statistics.mean(y for _, y in big)
            slope = sum((x - mx) * (y - my) for x, y in big) / sum((x - mx) ** 2 for x, _ in big)
            out[f"{name}_slope"] = slope
    return out


if __name__ == "__main__":
    what, *rest = sys.argv[1:]
    print(json.dumps(globals()[what](*map(int, rest))))
