"""Learned sentence weights: load a model file, featurise sentences, score them and explain a score.

The model is data (JSON): per n-gram its IDF and its weight for each element. A sentence is featurised as
word 1-2-grams with sublinear term frequency times IDF, L2-normalised over the n-grams the model knows;
its score for an element is the sigmoid of the dot product with that element's weights plus a bias.
Plain Python: no machine-learning library at run time.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import CheckerError

MODEL_FORMAT = "cydcheck-learned"
MODEL_VERSION = 1
MAX_MODEL_BYTES = 5_000_000
COMBINE_MODES = ("rules", "learned", "either", "both", "rules_then_learned")
EXPLAIN_TERMS = 5

_TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    """Lower-case words and numbers; punctuation, quotes and apostrophes separate them."""
    return _TOKEN.findall(text.lower())


def ngrams(words: Sequence[str]) -> Counter[str]:
    """Word 1-grams and 2-grams ("monitor", "reports to") with their counts."""
    grams: Counter[str] = Counter(words)
    grams.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return grams


def vectorise(counts: Mapping[str, int], idf: Mapping[str, float]) -> dict[str, float]:
    """Sublinear TF x IDF over the known n-grams, L2-normalised (empty when none is known)."""
    vec = {g: (1.0 + math.log(n)) * idf[g] for g, n in counts.items() if g in idf}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {g: v / norm for g, v in vec.items()} if norm else {}


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def combine(mode: str, rules: bool, learned: bool) -> bool:
    """Whether an element is addressed under a combination of the rules' and the model's verdicts."""
    if mode == "rules":
        return rules
    if mode == "learned":
        return learned
    if mode == "both":
        return rules and learned
    if mode in ("either", "rules_then_learned"):  # the same verdict; they differ in the evidence shown
        return rules or learned
    raise ValueError(mode)


@dataclass(frozen=True)
class Scored:
    """One sentence's score for one element, and the n-grams that weighed most for it."""

    score: float
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class LearnedModel:
    """Per-element logistic weights over TF-IDF n-grams, with per-element thresholds chosen by CV."""

    path: str
    elements: tuple[str, ...]
    bias: tuple[float, ...]
    thresholds: tuple[float, ...]
    idf: Mapping[str, float]
    # n-gram -> ((element index, weight), ...): one lookup per n-gram scores every element at once
    weights: Mapping[str, tuple[tuple[int, float], ...]]
    meta: Mapping[str, Any]
    # n-gram -> (idf, its weights): the one lookup per n-gram that `text_margins` makes
    table: Mapping[str, tuple[float, tuple[tuple[int, float], ...]]] = field(default_factory=dict)

    def index(self, element: str) -> int | None:
        try:
            return self.elements.index(element)
        except ValueError:
            return None

    def threshold(self, element: str) -> float:
        i = self.index(element)
        return self.thresholds[i] if i is not None else 0.5

    def vector(self, text: str) -> dict[str, float]:
        return vectorise(ngrams(tokens(text)), self.idf)

    def margins(self, vec: Mapping[str, float]) -> list[float]:
        """The logit of every element for one sentence vector."""
        out = list(self.bias)
        weights = self.weights
        for g, x in vec.items():
            for i, w in weights.get(g, ()):
                out[i] += w * x
        return out

    def text_margins(self, text: str) -> list[float]:
        """The logit of every element for one sentence's text: `margins(vector(text))` in one pass
        (the contributions are summed before the L2 norm divides them)."""
        words = _TOKEN.findall(text.lower())
        grams: Counter[str] = Counter(words)
        grams.update([f"{a} {b}" for a, b in zip(words, words[1:], strict=False)])
        table = self.table
        acc = [0.0] * len(self.bias)
        sq = 0.0
        log = math.log
        for g, n in grams.items():
            entry = table.get(g)
            if entry is None:
                continue
            v = entry[0] if n == 1 else (1.0 + log(n)) * entry[0]
            sq += v * v
            for i, w in entry[1]:
                acc[i] += w * v
        if not sq:
            return list(self.bias)
        norm = math.sqrt(sq)
        return [b + a / norm for b, a in zip(self.bias, acc, strict=True)]

    def explain(self, element: str, vec: Mapping[str, float], n: int = EXPLAIN_TERMS) -> tuple[str, ...]:
        """The n-grams that pushed this sentence's score up the most, strongest first."""
        i = self.index(element)
        if i is None:
            return ()
        parts = []
        for g, x in vec.items():
            for j, w in self.weights.get(g, ()):
                if j == i and w > 0:
                    parts.append((-w * x, g))
        return tuple(g for _, g in sorted(parts)[:n])

    def score_text(self, element: str, text: str) -> Scored:
        i = self.index(element)
        if i is None:
            return Scored(0.0)
        vec = self.vector(text)
        return Scored(sigmoid(self.margins(vec)[i]), self.explain(element, vec))


def model_to_json(elements: Sequence[str], bias: Sequence[float], thresholds: Sequence[float],
                  idf: Mapping[str, float], weights: Mapping[str, Mapping[int, float]],
                  meta: Mapping[str, Any]) -> str:
    """The weights file's text: sorted keys, rounded numbers, so the same model gives the same bytes."""
    terms = {}
    for g in sorted(idf):
        pairs = []
        for i, w in sorted(weights.get(g, {}).items()):
            pairs += [i, round(w, 4)]
        terms[g] = [round(idf[g], 4), pairs]
    data = {
        "format": MODEL_FORMAT,
        "version": MODEL_VERSION,
        **{k: meta[k] for k in sorted(meta)},
        "elements": list(elements),
        "bias": [round(b, 4) for b in bias],
        "thresholds": [round(t, 4) for t in thresholds],
        "terms": terms,
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":")) + "\n"


def model_from_data(data: Any, name: str) -> LearnedModel:
    def bad(why: str) -> CheckerError:
        return CheckerError(f"learned model: {why}", file=name)

    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        raise bad(f"not a {MODEL_FORMAT} weights file")
    if data.get("version") != MODEL_VERSION:
        raise bad(f"version {data.get('version')!r} is not supported (expected {MODEL_VERSION})")
    elements, bias, thresholds = data.get("elements"), data.get("bias"), data.get("thresholds")
    if not (isinstance(elements, list) and isinstance(bias, list) and isinstance(thresholds, list)
            and len(elements) == len(bias) == len(thresholds)
            and all(isinstance(e, str) for e in elements)
            and all(isinstance(x, (int, float)) for x in bias + thresholds)):
        raise bad("'elements', 'bias' and 'thresholds' must be lists of the same length")
    terms = data.get("terms")
    if not isinstance(terms, dict):
        raise bad("'terms' must be a mapping of n-gram to [idf, [element index, weight, ...]]")
    idf: dict[str, float] = {}
    weights: dict[str, tuple[tuple[int, float], ...]] = {}
    for g, entry in terms.items():
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], (int, float))
                and isinstance(entry[1], list) and len(entry[1]) % 2 == 0):
            raise bad(f"term {g!r}: expected [idf, [element index, weight, ...]]")
        idf[g] = float(entry[0])
        pairs = entry[1]
        pw = tuple((pairs[k], float(pairs[k + 1])) for k in range(0, len(pairs), 2))
        if any(not isinstance(i, int) or not 0 <= i < len(elements) for i, _ in pw):
            raise bad(f"term {g!r}: element index out of range")
        if pw:
            weights[g] = pw
    meta = {k: v for k, v in data.items() if k not in ("elements", "bias", "thresholds", "terms")}
    table = {g: (v, weights.get(g, ())) for g, v in idf.items()}
    return LearnedModel(name, tuple(elements), tuple(float(b) for b in bias),
                        tuple(float(t) for t in thresholds), idf, weights, meta, table)


def load_model(path: Path) -> LearnedModel:
    """Read a weights file; a missing, oversized or malformed file is a one-line error naming it."""
    name = str(path)
    try:
        if path.stat().st_size > MAX_MODEL_BYTES:
            raise CheckerError(f"learned model larger than {MAX_MODEL_BYTES} bytes", file=name)
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CheckerError("learned model not found", file=name) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CheckerError(f"cannot read learned model: {exc}", file=name) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CheckerError(f"learned model: invalid JSON: {exc.msg}", file=name, line=exc.lineno) from None
    return model_from_data(data, name)


@dataclass(frozen=True)
class LearnedSpec:
    """A pack's `learned:` block: the model it uses and how its verdict combines with the rules'."""

    model: LearnedModel
    combine: str = "rules"
