"""What the learned model adds to checking a section, in CPU time (run by hand; issue 19's target: < 1 ms).

    python bench/bench_learned.py                  # this tree: "learned model adds X ms a section (...)"
    python bench/bench_learned.py --before REF     # REF's tree and this one, alternating fresh processes
    python bench/bench_learned.py --modes          # per combination, on the labelled sections near 650 words
    python bench/bench_learned.py --model-part     # in a real check: the model's inference, and its gates

The figure: one reused `Checker` per setting over the 300 filer-tagged sections that bench/measure.py picks,
the sk-106 pack as shipped and with its learned block off (`combine="rules"`), each document checked under
both settings in turn (which one goes first alternating), CPU time (`time.process_time`) summed per setting
over a round; the model's cost is the difference, per section, the median over --rounds rounds. The same on
the filer-tagged sections of 600-700 words (the first --long of them in the same shuffled order).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "labelled"


def pick(n: int, long: int) -> tuple[list[dict], list[dict]]:
    """The n sections bench/measure.py times, and the first `long` of 600-700 words in the same order."""
    from measure import FILER, sections

    everything = sections(len(FILER.read_text(encoding="utf-8").splitlines()))
    near = [r for r in everything if 600 <= len(r["text"].split()) <= 700][:long]
    return everything[:n], near


def cost(records: list[dict], rounds: int) -> dict[str, float]:
    """CPU ms a section with the pack as shipped and with combine="rules", and their difference (medians
    over rounds; each document checked under both settings in turn, the order alternating)."""
    from checker import Checker
    from checker.model import Document

    shipped, rules = Checker(), Checker(combine="rules")
    docs = [Document(text=r["text"], form="10-K", item="1C") for r in records]
    for d in docs[:10]:  # load the packs, warm the caches
        shipped.check_document(d, "sk-106")
        rules.check_document(d, "sk-106")
    clock = time.process_time
    per_round = []
    for r in range(rounds):
        spent = {"shipped": 0.0, "rules": 0.0}
        for k, doc in enumerate(docs):
            order = (("shipped", shipped), ("rules", rules))
            for name, checker in order if (k + r) % 2 == 0 else order[::-1]:
                started = clock()
                checker.check_document(doc, "sk-106")
                spent[name] += clock() - started
        per_round.append({name: 1000 * t / len(docs) for name, t in spent.items()})
    out = {name: statistics.median(x[name] for x in per_round) for name in ("shipped", "rules")}
    out["adds"] = statistics.median(x["shipped"] - x["rules"] for x in per_round)
    out["words"] = statistics.median(len(r["text"].split()) for r in records)
    return out


def model_part(records: list[dict], rounds: int) -> tuple[float, float]:
    """CPU ms a section of the model's own work in a check as shipped, and of its gates: a reused Checker
    checks each section, and the time spent inside the engine's calls to the model (`best_sentence`) is
    summed, so the model meets the processor's cache as the rest of the check leaves it. Of that, the
    gates (`barred`: whether a sentence holds one of the pack's vetoes or lacks its required actors, asked
    of the sentences best first and read from the vocabularies' matches; `barred_sentences`, every sentence
    at once, in trees before the twenty-eighth stop) are timed apart: under `combine: learned` they are the
    first to ask for matches, so their figure holds the document's Hyperscan scan of the patterns a check
    reads (about 0.25 ms; checker.prefilter) that every check pays. The model's inference is the rest:
    featurising and scoring the sentences once, then each element's best sentence and its explanation.
    Medians of rounds."""
    from checker import Checker, engine
    from checker.conditions import learned
    from checker.model import Document

    checker = Checker()
    docs = [Document(text=r["text"], form="10-K", item="1C") for r in records]
    spent = {"model": 0.0, "gates": 0.0}

    def timer(f, name):  # noqa: ANN001, ANN202
        def timed(*args, **kwargs):  # noqa: ANN202
            started = time.process_time()
            try:
                return f(*args, **kwargs)
            finally:
                spent[name] += time.process_time() - started
        return timed

    gate = "barred" if hasattr(learned, "barred") else "barred_sentences"
    originals = (engine.best_sentence, getattr(learned, gate))
    engine.best_sentence = timer(originals[0], "model")
    setattr(learned, gate, timer(originals[1], "gates"))
    per_round = []
    try:
        for d in docs[:10]:
            checker.check_document(d, "sk-106")
        for _ in range(rounds):
            spent.update(model=0.0, gates=0.0)
            for doc in docs:
                checker.check_document(doc, "sk-106")
            model, gates = spent["model"] - spent["gates"], spent["gates"]
            per_round.append((1000 * model / len(docs), 1000 * gates / len(docs)))
    finally:
        engine.best_sentence = originals[0]
        setattr(learned, gate, originals[1])
    return statistics.median(x for x, _ in per_round), statistics.median(y for _, y in per_round)


def measure(n: int, long: int, rounds: int) -> dict[str, dict[str, float]]:
    real, near = pick(n, long)
    return {"sections": cost(real, rounds), "650_words": cost(near, rounds)}


def line(got: dict[str, dict[str, float]]) -> str:
    a, b = got["sections"], got["650_words"]
    return (f"learned model adds {a['adds']:.2f} ms a section ({b['adds']:.2f} ms on 650-word sections); "
            f"CPU a section, as shipped / rules only: {a['shipped']:.2f} / {a['rules']:.2f} ms "
            f"(650 words: {b['shipped']:.2f} / {b['rules']:.2f} ms)")


def before_after(ref: str, args: argparse.Namespace) -> None:
    """REF's tree and this one, each measured in fresh processes, alternating, --repeat times each."""
    from compare import tree_of

    with tempfile.TemporaryDirectory() as tmp:
        trees = {"before": tree_of(ref, Path(tmp)), "after": ROOT}
        got: dict[str, list[dict]] = {"before": [], "after": []}
        for _ in range(args.repeat):
            for name, tree in trees.items():
                cmd = [sys.executable, str(BENCH / "bench_learned.py"), "--json", "--sections",
                       str(args.sections), "--long", str(args.long), "--rounds", str(args.rounds)]
                env = os.environ | {"PYTHONPATH": f"{tree}{os.pathsep}{BENCH}"}
                done = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, check=True)
                got[name].append(json.loads(done.stdout.strip().splitlines()[-1]))
                print(f"{name}: {line(got[name][-1])}", flush=True)
    for name, runs in got.items():
        med = {part: {k: statistics.median(r[part][k] for r in runs) for k in runs[0][part]}
               for part in runs[0]}
        print(f"{name} ({ref if name == 'before' else 'this tree'}), medians of {len(runs)}: {line(med)}")


def modes(args: argparse.Namespace) -> None:
    """The pack per combination on the labelled sections nearest --words, and the model alone (score every
    sentence, then each element's best sentence, explained: what the engine adds when every rule asks)."""
    from timing import best

    from checker import engine
    from checker.conditions.learned import best_sentence
    from checker.learned import COMBINE_MODES
    from checker.model import Document, Section
    from checker.packs import load_pack

    pack = load_pack("sk-106")
    assert pack.learned is not None, "sk-106 has no learned block"
    texts = []
    for f in sorted(CORPUS.glob("*.json")):
        rec = json.loads(f.read_text(encoding="utf-8"))
        if str(rec.get("form", "")).startswith(("10-K", "20-F")):
            texts.append((abs(len(rec["text"].split()) - args.words), f.stem, rec["text"]))
    for _, name, text in sorted(texts)[: args.labelled]:
        doc = Document(text=text, form="10-K", item="1C", section=Section(0, len(text)))

        def model_only(doc: Document = doc) -> None:
            ctx = engine.prepare(pack, doc)
            for element in ctx.learned.elements:
                best_sentence(ctx, element)

        ctx = engine.prepare(pack, doc)
        prep = best(lambda doc=doc: engine.prepare(pack, doc), args.repeat_calls)
        print(f"{name}: {len(text.split())} words, {len(ctx.segments.sentences)} sentences; "
              f"model alone {1000 * (best(model_only, args.repeat_calls) - prep):.3f} ms")
        base = None
        for mode in COMBINE_MODES:
            p = replace(pack, learned=replace(pack.learned, combine=mode, by_element={}))
            t = best(lambda p=p, doc=doc: engine.evaluate(p, doc), max(20, args.repeat_calls // 10))
            base = t if mode == "rules" else base
            extra = "" if mode == "rules" else f" (+{1000 * (t - base):.3f} ms)"
            print(f"  combine={mode:<20} {1000 * t:8.3f} ms{extra}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sections", type=int, default=300)
    ap.add_argument("--long", type=int, default=100, help="sections of 600-700 words")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--before", metavar="REF", help="also measure this git ref's tree, alternating")
    ap.add_argument("--repeat", type=int, default=3, help="with --before: fresh processes per tree")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    ap.add_argument("--modes", action="store_true", help="per combination on labelled sections instead")
    ap.add_argument("--model-part", action="store_true",
                    help="only the model's own work in a check (this tree's API), CPU ms a section")
    ap.add_argument("--words", type=int, default=650)
    ap.add_argument("--labelled", type=int, default=3)
    ap.add_argument("--repeat-calls", type=int, default=200)
    args = ap.parse_args()
    sys.path.insert(0, str(BENCH))
    if args.modes:
        modes(args)
    elif args.model_part:
        real, near = pick(args.sections, args.long)
        (model, gates), (model650, gates650) = model_part(real, args.rounds), model_part(near, args.rounds)
        print(f"in a check as shipped, CPU a section: the model's inference {model:.2f} ms (650-word "
              f"sections: {model650:.2f} ms); its gates {gates:.2f} ms ({gates650:.2f} ms: the vocabularies' "
              f"matches they read, the document's one scan included)")
    elif args.before:
        before_after(args.before, args)
    else:
        got = measure(args.sections, args.long, args.rounds)
        print(json.dumps(got) if args.json else line(got))


if __name__ == "__main__":
    main()
