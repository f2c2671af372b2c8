"""Benchmark the checker: pack load, per-section latency, the regex limit, length scaling, throughput, memory.

Run by hand (figures depend on the machine and its load):
    python bench/bench.py                 # labelled corpus + synthetic corpus of 10,000 sections
    python bench/bench.py --quick         # fewer samples, 1,000-section batch
    python bench/bench.py --profile       # also a cProfile of the 2,000-word sections
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import multiprocessing
import os
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import regex

from checker import Checker
from checker.batch import BatchOptions, check_record, run_batch
from checker.ingest import records
from checker.model import Document, Section
from checker.packs import Pack, load_pack
from checker.segment import segment
from checker.vocab import normalise_for_matching

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
TARGETS = {"p50_2000_ms": 5.0, "limit_ratio": 3.0, "scaling_2p": 1.8, "peak_mb": 300.0}


# ---------------------------------------------------------------- inputs


def load_labelled(folder: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def load_sentence_runs(path: Path, limit: int, seed: int) -> list[list[str]]:
    """Sentences of real filer-tagged sections, kept in their order per section (sampled, seeded)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    random.Random(seed).shuffle(lines)
    runs = []
    for line in lines[:limit]:
        text = json.loads(line)["text"]
        segs = segment(text)
        runs.append([text[s.start:s.end] for s in segs.sentences])
    return runs


def real_lengths(path: Path) -> list[int]:
    return [len(json.loads(line)["text"].split()) for line in path.read_text(encoding="utf-8").splitlines()]


def synthetic_section(runs: list[list[str]], words: int, rng: random.Random) -> str:
    """About `words` words: runs of real sentences from random sections, 4 sentences a paragraph."""
    out: list[str] = []
    count = 0
    while count < words:
        run = rng.choice(runs)
        if not run:
            continue
        start = rng.randrange(len(run))
        for sentence in run[start:start + rng.randint(3, 12)]:
            out.append(sentence)
            count += len(sentence.split())
            if count >= words:
                break
    paragraphs = [" ".join(out[i:i + 4]) for i in range(0, len(out), 4)]
    return "Item 1C. Cybersecurity\n\n" + "\n\n".join(paragraphs) + "\n"


def as_document(text: str, form: str = "10-K", item: str = "1C") -> Document:
    doc = Document(text=text, source="<bench>", form=form, item=item)
    doc.section = Section(0, len(text), method="record")
    return doc


# ---------------------------------------------------------------- the limit


def limit_regex(pack: Pack) -> regex.Pattern:
    """Every distinct pattern of the pack (and its exclusions) in one alternation, matched as whole words."""
    parts: dict[str, None] = {}  # vocabularies that include others repeat patterns: count each once
    for v in pack.vocabularies.values():
        for p in v.patterns + v.exclude:
            parts.setdefault(f"(?:{p})" if not v.case_sensitive else f"(?-i:{p})")
    return regex.compile(rf"(?<![\w])(?:{'|'.join(parts)})(?![\w])", regex.UNICODE | regex.IGNORECASE)


def limit_pass(rx: regex.Pattern, text: str) -> int:
    return sum(1 for _ in rx.finditer(normalise_for_matching(text)))


# ---------------------------------------------------------------- measuring


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


@dataclass
class Latency:
    words: int
    n: int
    p50_ms: float
    p95_ms: float
    limit_p50_ms: float
    ratio: float  # median over sections of engine time / limit time


def measure_latency(checker: Checker, pack: Pack, rx: regex.Pattern, texts: list[str]) -> Latency:
    engine_t, limit_t, ratios = [], [], []
    checker.check_document(as_document(texts[0]), pack.id)  # warm caches
    for text in texts:
        e = timed(lambda t=text: checker.check_document(as_document(t), pack.id))
        lim = timed(lambda t=text: limit_pass(rx, t))
        engine_t.append(e)
        limit_t.append(lim)
        ratios.append(e / lim if lim else float("inf"))
    words = round(statistics.mean(len(t.split()) for t in texts))
    return Latency(words, len(texts), 1000 * pct(engine_t, 0.5), 1000 * pct(engine_t, 0.95),
                   1000 * pct(limit_t, 0.5), statistics.median(ratios))


def growth(checker: Checker, pack: Pack, runs: list[list[str]], sizes: Sequence[int], per_size: int,
           seed: int) -> tuple[list[tuple[int, float, float]], float]:
    """(words, engine ms per 1,000 words, limit ms per 1,000 words) per size, and the log-log slope."""
    import math

    rng = random.Random(seed)
    rx = limit_regex(pack)
    rows, xs, ys = [], [], []
    for size in sizes:
        texts = [synthetic_section(runs, size, rng) for _ in range(per_size)]
        words = statistics.mean(len(t.split()) for t in texts)
        e = statistics.median(timed(lambda t=t: checker.check_document(as_document(t), pack.id))
                              for t in texts)
        lim = statistics.median(timed(lambda t=t: limit_pass(rx, t)) for t in texts)
        rows.append((round(words), 1e6 * e / words, 1e6 * lim / words))
        xs.append(math.log(words))
        ys.append(math.log(e))
    mx, my = statistics.mean(xs), statistics.mean(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    return rows, slope


# Throughput workers: each process builds its own Checker once (as batch mode does).
_bench_checker: Checker | None = None


def _init(_: int) -> None:
    global _bench_checker
    _bench_checker = Checker()
    _bench_checker.pack("sk-106")


def _check_one(record: dict) -> float:
    assert _bench_checker is not None
    return check_record(record, _bench_checker, "sk-106").summary()["coverage"]


def throughput(recs: list[dict], jobs: int) -> float:
    """Sections per second over in-memory records on `jobs` processes (pool start-up excluded)."""
    if jobs == 1:
        _init(0)
        return len(recs) / timed(lambda: [_check_one(r) for r in recs])
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(jobs, initializer=_init, initargs=(0,)) as pool:
        pool.map(_check_one, recs[: jobs * 2], chunksize=1)  # wait until every worker has its Checker
        return len(recs) / timed(lambda: pool.map(_check_one, recs, chunksize=8))


def measure_batch(jsonl: Path, jobs: int) -> dict:
    """Run `cydcheck batch` in a fresh process; report its wall time and peak RSS (parent and workers)."""
    with tempfile.TemporaryDirectory() as out:
        proc = subprocess.run([sys.executable, __file__, "--measure-batch", str(jsonl), out, str(jobs)],
                              check=True, capture_output=True, text=True)
    return json.loads(proc.stdout)


def _measure_batch_child(jsonl: str, out: str, jobs: int) -> None:
    elapsed = timed(lambda: run_batch([jsonl], BatchOptions(out=Path(out), pack="sk-106", jobs=jobs)))
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    peaks = {"parent_mb": _own_peak_kb() / 1024, "worker_mb": children_kb / 1024}
    print(json.dumps({"elapsed": elapsed, **peaks}))


def _own_peak_kb() -> int:
    """Peak RSS of this process image. ru_maxrss would also count the pre-exec parent (a Linux quirk)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


# ---------------------------------------------------------------- the report


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=SHARED / "labelled")
    ap.add_argument("--filer-tagged", type=Path, default=SHARED / "filer-tagged-fy2024.jsonl")
    ap.add_argument("--sections", type=int, default=10_000, help="synthetic corpus size for the batch run")
    ap.add_argument("--quick", action="store_true", help="fewer samples and a 1,000-section batch")
    ap.add_argument("--profile", action="store_true", help="cProfile the 2,000-word sections")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--measure-batch", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.measure_batch:
        _measure_batch_child(args.measure_batch[0], args.measure_batch[1], int(args.measure_batch[2]))
        return
    sections = 1000 if args.quick else args.sections
    samples = {500: 200, 2000: 100, 8000: 30} if not args.quick else {500: 50, 2000: 30, 8000: 8}
    print(f"cydcheck bench — {os.cpu_count()} CPUs visible, load average {os.getloadavg()[0]:.1f} "
          "(shared machine: figures are noisy)")

    # Pack load and compile.
    loads = [timed(lambda: load_pack("sk-106")) for _ in range(5)]
    pack = load_pack("sk-106")
    n_patterns = sum(len(v.patterns) + len(v.exclude) for v in pack.vocabularies.values())
    print(f"\npack sk-106 {pack.version}: {len(pack.rules)} rules, {len(pack.vocabularies)} vocabularies, "
          f"{n_patterns} patterns")
    print(f"  load+compile: median {1000 * statistics.median(loads):.0f} ms, min {1000 * min(loads):.0f} ms")
    checker = Checker()
    checker.pack("sk-106")
    rx = limit_regex(pack)

    # Labelled corpus.
    labelled = load_labelled(args.corpus)
    docs = [records.from_record(r, "labelled") for r in labelled]
    lat = measure_latency(checker, pack, rx, [d.text for d in docs])
    print(f"\nlabelled corpus: {len(docs)} sections, mean {lat.words} words")
    print(f"  per section p50 {lat.p50_ms:.1f} ms, p95 {lat.p95_ms:.1f} ms; "
          f"limit p50 {lat.limit_p50_ms:.1f} ms; engine/limit {lat.ratio:.1f}x")
    t_all = timed(lambda: [checker.check_document(d, "auto") for d in docs])
    print(f"  whole corpus (pack auto): {t_all:.2f} s = {len(docs) / t_all:.0f} sections/s on 1 process")

    # Synthetic sections by length.
    runs = load_sentence_runs(args.filer_tagged, 1500, args.seed)
    rng = random.Random(args.seed)
    print("\nsynthetic sections (real sentences from the filer-tagged corpus):")
    print(f"  {'words':>6} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'limit p50':>10} {'engine/limit':>13}")
    results = {}
    for size, n in samples.items():
        texts = [synthetic_section(runs, size, rng) for _ in range(n)]
        lat = measure_latency(checker, pack, rx, texts)
        results[size] = lat
        print(f"  {lat.words:>6} {lat.n:>4} {lat.p50_ms:>8.1f} {lat.p95_ms:>8.1f} {lat.limit_p50_ms:>10.1f}"
              f" {lat.ratio:>12.1f}x")

    sizes = (250, 500, 1000, 2000, 4000, 8000, 16000)
    rows, slope = growth(checker, pack, runs, sizes, 5 if args.quick else 12, args.seed + 1)
    print("\ncost by length (median; ms per 1,000 words — flat means linear):")
    for words, e, lim in rows:
        print(f"  {words:>6} words: engine {e:6.1f}  limit {lim:6.1f}")
    print(f"  log-log slope of engine time vs words: {slope:.2f} (1.0 = linear)")

    # Peak memory: one 8,000-word check under tracemalloc, and the batch run below (RSS).
    big = synthetic_section(runs, 8000, rng)
    tracemalloc.start()
    checker.check_document(as_document(big), pack.id)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"\ntracemalloc peak while checking one 8,000-word section: {peak / 2**20:.1f} MB")

    # Synthetic corpus with the real length distribution: throughput and the batch run.
    lengths = real_lengths(args.filer_tagged)
    corpus = [{"id": f"syn-{i}", "form": "10-K", "item": "1C",
               "text": synthetic_section(runs, rng.choice(lengths), rng)} for i in range(sections)]
    words = statistics.mean(len(r["text"].split()) for r in corpus)
    tp_recs = corpus[: min(len(corpus), 600 if args.quick else 2000)]
    print(f"\nload average before the throughput runs: {os.getloadavg()[0]:.1f}")
    tp1 = throughput(tp_recs, 1)
    tp2 = throughput(tp_recs, 2)
    print(f"throughput on {len(tp_recs)} synthetic sections (mean {words:.0f} words, real length mix):")
    print(f"  1 process {tp1:.1f}/s, 2 processes {tp2:.1f}/s: scaling {tp2 / tp1:.2f}x")
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "synthetic.jsonl"
        jsonl.write_text("".join(json.dumps(r) + "\n" for r in corpus), encoding="utf-8")
        del corpus
        b = measure_batch(jsonl, 2)
    print(f"\ncydcheck batch --jobs 2 over {sections} synthetic sections (JSON report per section):")
    print(f"  {b['elapsed']:.1f} s = {sections / b['elapsed']:.1f} sections/s; peak RSS parent "
          f"{b['parent_mb']:.0f} MB, largest worker {b['worker_mb']:.0f} MB")

    peak_mb = max(b["parent_mb"], b["worker_mb"])
    p50 = results[2000].p50_ms
    ratio = results[2000].ratio
    print("\ntargets:")
    for name, value, target, ok in (
        ("p50, 2,000-word section", f"{p50:.1f} ms", "< 5 ms", p50 < TARGETS["p50_2000_ms"]),
        ("engine / limit, 2,000 words", f"{ratio:.1f}x", "<= 3x", ratio <= TARGETS["limit_ratio"]),
        ("throughput, 2 vs 1 process", f"{tp2 / tp1:.2f}x", ">= 1.8x", tp2 / tp1 >= TARGETS["scaling_2p"]),
        (f"peak memory, {sections} sections", f"{peak_mb:.0f} MB", "< 300 MB", peak_mb < TARGETS["peak_mb"]),
        ("cost linear in length", f"slope {slope:.2f}", "~1.0", slope < 1.15),
    ):
        print(f"  {'met ' if ok else 'MISS'} {name:<32} {value:>10}  (target {target})")

    if args.profile:
        texts = [synthetic_section(runs, 2000, rng) for _ in range(30)]
        prof = cProfile.Profile()
        prof.enable()
        for t in texts:
            checker.check_document(as_document(t), pack.id)
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(15)
        print("\ncProfile, 30 sections of 2,000 words, by own time:")
        print(buf.getvalue())


if __name__ == "__main__":
    main()
