"""Draw the records of bench/helper_labelled.py's sets, anonymised, for helpers to label by hand.

    python bench/helper_draw.py a /tmp/draw-a      # the 88 fresh and 12 calibration records of set a
    python bench/helper_draw.py b /tmp/draw-b      # set b: 92 fresh and 8 calibration, no company of set a

Writes <out>/in/h1..h4/<anon>.json ({id, form, item, text}: no label, no filer tag, no company name), the
helpers' brief (<out>/PROMPT.md, bench/data/helper-prompt.md with its folder filled in) and <out>/map.json,
which the person running the draw keeps from the helpers: anon id -> record id, kind and helper. The draw is
the seeded one the committed labels came from; `--check` says whether bench/data/helper-labels.jsonl holds
exactly its records.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path
from typing import Any

from checker.evaluate import load_records, read_ids

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
BLIND = ROOT / "tests" / "data" / "validation-ids.txt"
DRAWS = {"a": (20261206, 88, 12, "r"), "b": (20261207, 92, 8, "s")}  # seed, fresh, calibration, id prefix


def _company(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower().replace("inc", "").replace("corp", ""))


def draw(which: str) -> list[tuple[str, dict[str, Any]]]:
    """The set's records as (kind, record), in the order the helpers were given them."""
    labelled = load_records(str(CORPUS / "labelled"))
    labelled2 = sorted(load_records(str(CORPUS / "labelled-2")), key=lambda r: r["id"])
    filer = [json.loads(line) for line in open(CORPUS / "filer-tagged-fy2024.jsonl", encoding="utf-8")]
    taken = labelled + labelled2
    used_ids = {r["id"] for r in labelled2}
    earlier: list[tuple[str, dict[str, Any]]] = draw("a") if which == "b" else []
    used_ids |= {r["id"] for _, r in earlier}
    names = {_company(r["company"]) for r in taken} | {_company(r["company"]) for _, r in earlier}
    accessions = {r.get("source", {}).get("accession") for r in taken}
    pool = sorted((r for r in filer if r["id"] not in used_ids and _company(r["company"]) not in names
                   and r["source"].get("accession") not in accessions), key=lambda r: r["id"])
    seed, n_fresh, n_calibration, _ = DRAWS[which]
    rng = random.Random(seed)
    fresh = rng.sample(pool, n_fresh)
    blind = read_ids(str(BLIND))
    given = {r["id"] for _, r in earlier}
    tuned = [r for r in labelled2 if r["id"] not in blind and r["id"] not in given]
    calibration = rng.sample(tuned, n_calibration)
    records = [("fresh", r) for r in fresh] + [("calibration", r) for r in calibration]
    rng.shuffle(records)
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", choices=sorted(DRAWS))
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--check", action="store_true", help="compare with bench/data/helper-labels.jsonl")
    args = parser.parse_args()
    records = draw(args.set)
    if args.check:
        with open(ROOT / "bench" / "data" / "helper-labels.jsonl", encoding="utf-8") as f:
            held = {(h["id"], h["kind"]) for h in map(json.loads, f) if h["set"] == args.set}
        drawn = {(r["id"], kind) for kind, r in records}
        print(f"set {args.set}: {len(drawn)} drawn, {len(held)} labelled, "
              + ("the same records" if drawn == held else "DIFFERENT records"))
        return
    if args.out is None:
        parser.error("give a folder to write the draw to, or --check")
    prefix = DRAWS[args.set][3]
    mapping = {}
    for i, (kind, r) in enumerate(records):
        helper, anon = i % 4 + 1, f"{prefix}{i + 1:03d}"
        folder = args.out / "in" / f"h{helper}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{anon}.json").write_text(json.dumps({"id": anon, "form": r["form"], "item": r["item"],
                                                         "text": r["text"]}, indent=1), encoding="utf-8")
        mapping[anon] = {"kind": kind, "id": r["id"], "helper": helper}
    (args.out / "map.json").write_text(json.dumps(mapping, indent=1), encoding="utf-8")
    prompt = (ROOT / "bench" / "data" / "helper-prompt.md").read_text(encoding="utf-8")
    (args.out / "PROMPT.md").write_text(prompt.replace("/work/l3/", f"{args.out}/"), encoding="utf-8")
    print(f"set {args.set}: {len(records)} records for 4 helpers in {args.out}")


if __name__ == "__main__":
    main()
