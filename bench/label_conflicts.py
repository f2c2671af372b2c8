"""Labels that may contradict each other (run by hand): a sentence like one labelled as addressing an element,
standing in a record labelled as not addressing it. For the labelling team; the blind third is left out.

    python bench/label_conflicts.py [--overlap 0.6] [--corpus ../shared/corpus/labelled ...]

For each element, each "addressed" label's quote (of six words or more) is compared with every sentence of
each record labelled "not addressed": the share of the shorter side's word 3-grams that both hold. The best
pair at or over --overlap is printed per record, with both labels' confidence and reasons. A pair is a place
to look, not a verdict: the two sentences may differ in who does what (an officer's experience and an
outside firm's, in the same template).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker.evaluate import load_records, read_ids  # noqa: E402

CORPORA = [str(ROOT.parent / "shared" / "corpus" / d) for d in ("labelled", "labelled-2")]
BLIND = ROOT / "tests" / "data" / "validation-ids.txt"
_WORD = re.compile(r"[a-z]+")
_SENTENCE_END = re.compile(r"(?<=[.;:])\s+|\n+")


def grams(text: str, n: int = 3) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def conflicts(records: list[dict], overlap: float) -> list[tuple]:
    """(element, record, its confidence, its reason, overlap, other record, its confidence, its quote,
    the sentence) for each record labelled not addressed holding a sentence like an addressed one's quote."""
    out = []
    for element in sorted({e for r in records for e in r["labels"]}):
        quotes = [(r["id"], r.get("confidence", {}).get(element), quote, grams(quote))
                  for r in records if r["labels"].get(element) is True
                  for quote in [r.get("evidence", {}).get(element, "")]
                  if len(_WORD.findall(quote.lower())) >= 6]
        for r in records:
            if r["labels"].get(element) is not False:
                continue
            best = None
            for sentence in (s for s in _SENTENCE_END.split(r["text"]) if len(s) > 30):
                mine = grams(sentence)
                for other, confidence, quote, theirs in quotes:
                    if other == r["id"] or not mine or not theirs:
                        continue
                    share = len(mine & theirs) / min(len(mine), len(theirs))
                    if share >= overlap and (best is None or share > best[0]):
                        best = (share, other, confidence, quote, sentence)
            if best is not None:
                out.append((element, r["id"], r.get("confidence", {}).get(element),
                            r.get("evidence", {}).get(element, ""), *best))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", nargs="+", default=CORPORA)
    ap.add_argument("--overlap", type=float, default=0.6)
    args = ap.parse_args()
    blind = read_ids(str(BLIND))
    records = [r for c in args.corpus for r in load_records(c) if r["id"] not in blind]
    found = conflicts(records, args.overlap)
    for element, rid, conf, why, share, other, other_conf, quote, sentence in found:
        print(f"[{element}] not addressed: {rid} ({conf}): {why[:150]}\n"
              f"    its sentence: {sentence.strip()[:250]}\n"
              f"    addressed:    {other} ({other_conf}), overlap {share:.2f}: {quote.strip()[:200]}\n")
    print(f"{len(found)} pairs in {len(records)} records (the blind third left out)")


if __name__ == "__main__":
    main()
