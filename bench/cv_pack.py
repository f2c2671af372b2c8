"""The shipped line scored out of fold on the training records (run by hand; about 5 minutes on 2 cores).

    python bench/cv_pack.py              # the pack as shipped, its model retrained per fold
    python bench/cv_pack.py --c 4        # the same with another regularisation (any `cydcheck learn` flag)

`cydcheck eval` on labelled/ and the tuned two-thirds of labelled-2/ scores a model on the records it was
trained on. Here the training records (never the blind third) are split into --folds folds, grouped by
record with a fixed seed; for each fold a copy of rules/ gets a weights file trained by `cydcheck learn`
(the flags of docs/learned.md, plus any given after `--`) on the other folds, and `cydcheck eval --rules-dir`
scores the fold under every combination, the pack's own line included (its gates apply, as in a check).
The folds' errors are pooled: gap-F1 per combination, gaps missed and false alarms, then the same per element
and combination (which combination an element's rule and model do best under). The rules' column is in-sample
(they were written on these records); the model's and the pack's are not.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from checker.evaluate import read_ids
from checker.learned import COMBINE_MODES

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
BLIND = ROOT / "tests" / "data" / "validation-ids.txt"
LEARN_FLAGS = ["--min-norm", "6", "--min-terms", "5", "--min-evidence", "0.5"]
MODES = (*COMBINE_MODES, "pack")  # every combination `eval --combinations` scores, then the pack's own line


def folds(n: int, seed: int) -> list[list[str]]:
    """The training records' ids (labelled/ and labelled-2/ but the blind third) in n folds."""
    every = {json.loads(p.read_text(encoding="utf-8"))["id"]
             for d in ("labelled", "labelled-2") for p in (CORPUS / d).glob("*.json")}
    ids = sorted(every - read_ids(str(BLIND)))
    random.Random(seed).shuffle(ids)
    return [sorted(ids[k::n]) for k in range(n)]


CORPORA = [str(CORPUS / "labelled"), str(CORPUS / "labelled-2")]


def train_fold(fold: list[str], blind: set[str], tmp: Path, k: int, extra: Sequence[str] = ()) -> Path:
    """A copy of rules/ in tmp, its weights learned from the training records outside the fold."""
    excluded, pack = tmp / f"excluded-{k}.txt", tmp / f"rules-{k}"
    excluded.write_text("\n".join(sorted(blind | set(fold))) + "\n", encoding="utf-8")
    shutil.copytree(ROOT / "rules", pack)
    subprocess.run(["cydcheck", "learn", *CORPORA, "--exclude-ids", str(excluded), "--output",
                    str(pack / "sk-106.learned.json"), "--pack", str(pack / "sk-106.yaml"), *LEARN_FLAGS,
                    *extra], check=True, capture_output=True)
    return pack


def fold_errors(fold: list[str], blind: set[str], tmp: Path, k: int,
                extra: list[str]) -> tuple[int, list[int], list[int], dict[str, dict[str, tuple[int, int]]]]:
    """Train on every training record outside the fold, score the fold (one `eval --combinations` run): its
    gaps, per combination the gaps missed and the false alarms, and per combination and element the same."""
    scored = tmp / f"fold-{k}.txt"
    scored.write_text("\n".join(fold) + "\n", encoding="utf-8")
    pack = train_fold(fold, blind, tmp, k, extra)
    done = subprocess.run(["cydcheck", "eval", *CORPORA, "--ids", str(scored), "--rules-dir", str(pack),
                           "--combinations", "--format", "json"], check=True, capture_output=True, text=True)
    by_mode = json.loads(done.stdout)
    gaps = [by_mode[m]["gap"] for m in MODES]
    # an element's fp is a gap reported met (missed), its fn an addressed element reported missing
    elements = {m: {name: (e["fp"], e["fn"]) for name, e in by_mode[m]["elements"].items()} for m in MODES}
    return (gaps[0]["gaps"], [g["gaps"] - g["found"] for g in gaps], [g["false_alarms"] for g in gaps],
            elements)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("learn", nargs="*", help="more `cydcheck learn` flags (after --), e.g. -- --c 4")
    args = ap.parse_args()
    blind = read_ids(str(BLIND))
    total, missed, alarms = 0, [0] * len(MODES), [0] * len(MODES)
    elements: dict[tuple[str, str], list[int]] = {}  # (element, combination): [gaps missed, false alarms]
    with tempfile.TemporaryDirectory() as tmp:
        for k, fold in enumerate(folds(args.folds, args.seed)):
            gaps, m, a, by_element = fold_errors(fold, blind, Path(tmp), k, args.learn)
            total += gaps
            for mode, per in by_element.items():
                for name, (fp, fn) in per.items():
                    errors = elements.setdefault((name, mode), [0, 0])
                    errors[0] += fp
                    errors[1] += fn
            missed = [x + y for x, y in zip(missed, m, strict=True)]
            alarms = [x + y for x, y in zip(alarms, a, strict=True)]
            print(f"fold {k}: {len(fold)} records, {gaps} gaps; pack: {m[-1]} missed, {a[-1]} false alarms",
                  flush=True)
    flags = " ".join(LEARN_FLAGS + args.learn)
    print(f"out of fold, {args.folds} folds (seed {args.seed}), learn flags {flags}:")
    for mode, m, a in zip(MODES, missed, alarms, strict=True):
        tp = total - m
        print(f"  {mode:<20} gap-F1 {2 * tp / (2 * tp + m + a):.3f}  "
              f"({m} of {total} gaps missed, {a} false alarms)")
    print("errors per element and combination (gaps missed / false alarms; the pack's line last):")
    print(f"  {'':<24}" + "".join(f"{mode[:12]:>13}" for mode in MODES))
    for name in sorted({name for name, _ in elements}):
        cells = [elements.get((name, mode), [0, 0]) for mode in MODES]
        if any(fp or fn for fp, fn in cells):
            print(f"  {name:<24}" + "".join(f"{f'{fp} / {fn}':>13}" for fp, fn in cells))


if __name__ == "__main__":
    main()
