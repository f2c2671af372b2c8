"""Time what the learned model adds to checking a ~650-word section (run by hand; target < 1 ms).

    python bench/bench_learned.py [--words 650] [--repeat 200]

Takes the labelled sections closest to the word count, and for each prints the best-of-N time of the
sk-106 pack under combine=rules (no model) and under each other mode, and of the model alone
(featurising and scoring every sentence for every element, then explaining each element's best
sentence: what the engine adds when every rule asks the model), with the n-gram lookups it made.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from timing import best

from checker import engine
from checker.conditions.learned import best_sentence
from checker.learned import COMBINE_MODES, ngrams, tokens
from checker.model import Document, Section
from checker.packs import load_pack

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "labelled"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=650)
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--sections", type=int, default=3)
    args = ap.parse_args()
    pack = load_pack("sk-106")
    assert pack.learned is not None, "sk-106 has no learned block"
    texts = []
    for f in sorted(CORPUS.glob("*.json")):
        rec = json.loads(f.read_text(encoding="utf-8"))
        if str(rec.get("form", "")).startswith(("10-K", "20-F")):
            texts.append((abs(len(rec["text"].split()) - args.words), f.stem, rec["text"]))
    for _, name, text in sorted(texts)[: args.sections]:
        doc = Document(text=text, form="10-K", item="1C", section=Section(0, len(text)))

        def model_only(doc: Document = doc) -> None:
            ctx = engine.prepare(pack, doc)
            for element in ctx.learned.elements:
                best_sentence(ctx, element)

        ctx = engine.prepare(pack, doc)
        lookups = sum(len(ngrams(tokens(ctx.text[s.start:s.end]))) for s in ctx.segments.sentences)
        prep = best(lambda doc=doc: engine.prepare(pack, doc), args.repeat)
        print(f"{name}: {len(text.split())} words, {len(ctx.segments.sentences)} sentences, "
              f"{lookups} n-gram lookups; model alone {1000 * (best(model_only, args.repeat) - prep):.3f} ms")
        base = None
        for mode in COMBINE_MODES:
            p = replace(pack, learned=replace(pack.learned, combine=mode, by_element={}))
            t = best(lambda p=p, doc=doc: engine.evaluate(p, doc), max(20, args.repeat // 10))
            base = t if mode == "rules" else base
            extra = "" if mode == "rules" else f" (+{1000 * (t - base):.3f} ms)"
            print(f"  combine={mode:<20} {1000 * t:8.3f} ms{extra}")


if __name__ == "__main__":
    main()
