"""The tuned part against the blind third, each with its interval, and their difference (by hand, at the end).

    python bench/blind_gap.py                  # 2,000 resamples, 2 workers
    python bench/blind_gap.py --resamples 5000

Scores labelled/ and the tuned two-thirds of labelled-2/ together, then the blind third
(tests/data/validation-ids.txt), with the packs as shipped, and prints for each its gap-F1 and micro-F1
with the 95% interval over resamples of its records, and how many verdicts the checker marked for review
with how many of those are gaps it missed (counts only); then the interval of tuned minus blind, each part
resampled on its own. The same on the labels the labeller was sure of (high confidence only): the part of
the difference that is not a matter of judgment calls. Last, what the blind third would score if the
checker erred on its labels, cell by cell (element, value, confidence), as often as on the tuned part's:
the share of the difference that the blind third's composition alone explains (its labels are counted,
never its errors). Only scores are printed, never a blind record or its errors: the blind third stays
blind, but each run is a look at it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from checker.evaluate import (
    Evaluation,
    at_composition,
    label_cells,
    load_records,
    metric,
    predict,
    read_ids,
    score,
    select_records,
)
from checker.interval import LEVEL, difference

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
BLIND = ROOT / "tests" / "data" / "validation-ids.txt"
METRICS = {"gap_f1": "gap-F1", "f1": "micro-F1"}  # Counts properties, and their names in print


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    records = [r for d in ("labelled", "labelled-2") for r in load_records(str(CORPUS / d))]
    predictions = dict(zip((r["id"] for r in records), predict(records, jobs=args.jobs), strict=True))
    blind_ids = read_ids(str(BLIND))
    parts = {"tuned": select_records(records, exclude=blind_ids), "blind": select_records(records, blind_ids)}
    evs = {}
    for name, part in parts.items():
        ev = evs[name] = score(part, [predictions[r["id"]] for r in part], corpus=name)
        ev.bootstrap(args.resamples)
        print(f"{name:<6} {ev.records:>4} records  {_scores(ev)}  micro-F1 {ev.micro.f1:.3f}  "
              f"marked for review {ev.on_review['marked']} "
              f"({ev.on_review['gaps_missed']} of them gaps missed)")
    _differences(evs, METRICS, args.resamples)
    sure = {}
    for name, part in parts.items():
        ev = sure[name] = score(part, [predictions[r["id"]] for r in part], corpus=name, high_only=True)
        ev.bootstrap(args.resamples)
        print(f"{name:<6} high-confidence labels only ({ev.skipped_low} low-confidence left out)  "
              f"{_scores(ev)}")
    _differences(sure, {"gap_f1": "gap-F1 on high-confidence labels"}, args.resamples)
    cells = {name: label_cells(part) for name, part in parts.items()}
    missed, alarms, expected = at_composition(evs["tuned"], cells["tuned"], cells["blind"])
    print(f"the tuned part's error rates, cell by cell (element, value, confidence), at the blind third's "
          f"composition: gap-F1 {expected:.3f} ({missed:.1f} gaps missed, {alarms:.1f} false alarms "
          f"expected); the composition explains {evs['tuned'].micro.gap_f1 - expected:.3f} of the gap-F1 "
          "difference")


def _scores(ev: Evaluation) -> str:
    """A part's gap-F1 with its interval and its errors."""
    lo, hi = ev.intervals["gap_f1"]
    return (f"gap-F1 {ev.micro.gap_f1:.3f} ({lo:.3f} to {hi:.3f}; {ev.micro.fp} gaps missed, "
            f"{ev.micro.fn} false alarms)")


def _differences(evs: dict[str, Evaluation], metrics: dict[str, str], resamples: int) -> None:
    """Tuned minus blind for each metric, with its interval (each part resampled on its own)."""
    for attr, label in metrics.items():
        point = getattr(evs["tuned"].micro, attr) - getattr(evs["blind"].micro, attr)
        lo, hi = difference(evs["tuned"].tallies, evs["blind"].tallies, metric(attr), resamples)
        print(f"tuned minus blind, {label}: {point:.3f} ({LEVEL:.0%} interval {lo:.3f} to {hi:.3f}, "
              f"{resamples:,} resamples of each part)")


if __name__ == "__main__":
    main()
