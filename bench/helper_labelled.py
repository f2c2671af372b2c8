"""The checker on fresh real sections labelled by helpers from LABELING.md; the helpers against the labeller.

    python bench/helper_labelled.py --set b             # scores of set b, with 95% intervals
    python bench/helper_labelled.py --set a --disagreements    # and each of set a's fresh disagreements

bench/data/helper-labels.jsonl holds one line per record: its id, its `set` ("a": 88 fresh records drawn with
seed 20261206; "b": 92 more, seed 20261207, read by nobody: its figures only), `kind` ("fresh": from
filer-tagged-fy2024.jsonl, no company of labelled/, labelled-2/ or the other set; "calibration": a record of
labelled-2/'s tuned two-thirds, given to the helpers unmarked among the fresh ones), the helper who
labelled it, and labels, evidence and confidence in labelled/'s shape. The texts are read from
../shared/corpus, where they stand. Helpers saw LABELING.md, requirements.md and the text only: no
checker, no label, no filer tag.

Prints, first, how the helpers' labels agree with the labeller's on the calibration records (the
helpers scored as if they were a checker: what their labels are worth as a yardstick); then the checker
on the fresh records against the helpers' labels, all and high-confidence only, with each element.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from checker.evaluate import Prediction, load_records, predict, render_table, score

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
LABELS = ROOT / "bench" / "data" / "helper-labels.jsonl"


def texts() -> dict[str, dict[str, Any]]:
    """Every record the helpers may have labelled, by id: the filer-tagged sections and labelled-2/."""
    out: dict[str, dict[str, Any]] = {}
    with open(CORPUS / "filer-tagged-fy2024.jsonl", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            out[r["id"]] = r
    for r in load_records(str(CORPUS / "labelled-2")):
        out[r["id"]] = r
    return out


def records(kind: str, sets: set[str]) -> list[dict[str, Any]]:
    """The helper-labelled records of one kind in the sets named, with their text and the helpers' labels."""
    source = texts()
    out = []
    with open(LABELS, encoding="utf-8") as f:
        for line in f:
            h = json.loads(line)
            if h["kind"] == kind and h["set"] in sets:
                r = source[h["id"]]
                out.append({"id": h["id"], "company": r["company"], "form": r["form"], "item": r["item"],
                            "text": r["text"], "labels": h["labels"], "evidence": h["evidence"],
                            "confidence": h["confidence"], "labeller": r.get("labels"),
                            "_source": str(LABELS)})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["a", "b", "both"], default="b", help="which set (b: never read)")
    parser.add_argument("--disagreements", action="store_true", help="list the fresh records' disagreements")
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    sets = {"a", "b"} if args.set == "both" else {args.set}
    if args.disagreements and "b" in sets:
        parser.error("set b is read only by its figures: --disagreements takes --set a")
    calibration = records("calibration", sets)
    # The labeller's labels as truth, the helpers' as predictions.
    truth = [{**r, "labels": r["labeller"], "confidence": {}} for r in calibration]
    said = [{el: Prediction(bool(v)) for el, v in r["labels"].items()} for r in calibration]
    ev = score(truth, said, corpus="helpers against the labeller (calibration)")
    print(render_table(ev, disagreements=False))

    fresh = records("fresh", sets)
    predictions = predict(fresh, jobs=args.jobs)
    for high_only in (False, True):
        ev = score(fresh, predictions, corpus="checker against the helpers (fresh)", high_only=high_only)
        ev.bootstrap(args.resamples)
        lo, hi = ev.intervals["gap_f1"]
        print()
        print(render_table(ev, disagreements=args.disagreements and not high_only))
        print(f"gap-F1 {ev.micro.gap_f1:.3f} (95% interval {lo:.3f} to {hi:.3f})")


if __name__ == "__main__":
    main()
