"""The chain behind each out-of-fold gap missed (run by hand; about 4 minutes on 2 cores).

    python bench/oof_chains.py mgmt_monitoring           # every fold's training records the element is not in
    python bench/oof_chains.py third_party_providers --depth 4

For each fold of bench/cv_pack.py (same folds, same learn flags) the fold's model is trained on the other
folds; then each record of the fold whose label says the element is absent is checked, and while the pack
still finds the element its evidence sentence is blanked and the record checked again. The sentences printed
are the chain between the record and the right verdict: a chain of one is a class one veto fixes; a chain of
several kinds needs a test that reaches them all. Only training records are read, never the blind third.
"""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import replace
from pathlib import Path

from cv_pack import BLIND, CORPUS, folds, train_fold

from checker.api import Checker
from checker.evaluate import document_of, load_records, read_ids


def chain(checker: Checker, record: dict, element: str, depth: int) -> list[str]:
    """The pack's evidence for the element, sentence after sentence, each blanked before the next check (the
    record read and its pack chosen as `cydcheck eval` does, so a 20-F record gets the 20-F pack)."""
    doc, out = document_of(record), []
    for _ in range(depth):
        results = checker.check_document(doc, "auto").results
        result = next((r for r in results if r.element == element), None)  # none where not yet required
        if result is None or result.status not in ("met", "partial") or not result.evidence:
            break
        e = result.evidence[0]
        out.append(f"[{e.source}{'' if e.score is None else f' {e.score:.2f}'}] {' '.join(e.text.split())}")
        doc = replace(doc, text=doc.text[:e.start] + " " * (e.end - e.start) + doc.text[e.end:])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("element")
    ap.add_argument("--depth", type=int, default=6, help="sentences to blank at most per record (default 6)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    blind = read_ids(str(BLIND))
    records = {r["id"]: r for d in ("labelled", "labelled-2") for r in load_records(str(CORPUS / d))}
    with tempfile.TemporaryDirectory() as tmp:
        for k, fold in enumerate(folds(args.folds, args.seed)):
            checker = Checker(extra_dirs=[train_fold(fold, blind, Path(tmp), k)])
            for rid in fold:
                if records[rid]["labels"].get(args.element) is False:
                    found = chain(checker, records[rid], args.element, args.depth)
                    if found:
                        print(f"== fold {k} {rid}: {len(found)} sentence(s)", *(f"   {s}" for s in found),
                              sep="\n", flush=True)


if __name__ == "__main__":
    main()
