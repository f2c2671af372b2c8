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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import CheckerError

MODEL_FORMAT = "cydcheck-learned"
MODEL_VERSION = 1
CONCEPTS_VERSION = 2  # a file whose model also reads the pack's concept hits (its `concepts` list)
MAX_MODEL_BYTES = 5_000_000
COMBINE_MODES = ("rules", "learned", "either", "both", "rules_then_learned")
EXPLAIN_TERMS = 5

_TOKEN = re.compile(r"[a-z0-9]+")
PREV = "<p>"  # prefix of the previous sentence's words (context features)
CONCEPT = "<c>"  # prefix of a concept of the pack matching in the sentence ("<c>mgmt_role")


def tokens(text: str) -> list[str]:
    """Lower-case words and numbers; punctuation, quotes and apostrophes separate them."""
    return _TOKEN.findall(text.lower())


def ngrams(words: Sequence[str]) -> Counter[str]:
    """Word 1-grams and 2-grams ("monitor", "reports to") with their counts."""
    grams: Counter[str] = Counter(words)
    grams.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return grams


def features(words: Sequence[str], previous: Sequence[str] = (), context: float = 0.0,
             concepts: Iterable[str] = ()) -> Counter[str]:
    """A sentence's n-grams and, when context > 0, the previous sentence's words prefixed with PREV (the
    subject carried over: "The CISO ..." then "She reports ..."), and the pack's concepts that match in
    it prefixed with CONCEPT."""
    grams = ngrams(words)
    if context and previous:
        grams.update(PREV + w for w in previous)
    grams.update(CONCEPT + c for c in concepts)
    return grams


def vectorise(counts: Mapping[str, int], idf: Mapping[str, float], context: float = 1.0,
              min_norm: float = 0.0) -> dict[str, float]:
    """Sublinear TF x IDF over the known n-grams (the previous sentence's words times context), divided by
    their L2 norm but by at least min_norm: a sentence with little known text keeps a small vector instead
    of one word's whole weight (empty when nothing is known)."""
    vec = {g: (1.0 + math.log(n)) * idf[g] * (context if g.startswith(PREV) else 1.0)
           for g, n in counts.items() if g in idf}
    norm = max(math.sqrt(sum(v * v for v in vec.values())), min_norm)
    return {g: v / norm for g, v in vec.items()} if norm else {}


@dataclass(frozen=True)
class Scoring:
    """How sentences are featurised and when one may carry an element (chosen by cross-validation)."""

    context: float = 0.0  # weight of the previous sentence's words (0: the sentence alone)
    min_norm: float = 0.0  # the L2 norm divides by at least this (see vectorise)
    min_terms: int = 0  # a sentence with fewer known n-grams of its own carries no element
    min_evidence: float = 0.0  # nor one whose n-grams add less than this to the element's logit over its bias

    def to_dict(self) -> dict[str, float | int]:
        return {"context": self.context, "min_norm": self.min_norm, "min_terms": self.min_terms,
                "min_evidence": self.min_evidence}


PLAIN = Scoring()  # each sentence alone, no gate: the first models' scoring
NO_EVIDENCE = -50.0  # the logit of an element a sentence cannot carry (score ~ 0)


def gate(margins: list[float], bias: Sequence[float], known: int, scoring: Scoring) -> list[float]:
    """The margins a sentence may claim: none with fewer than min_terms known n-grams of its own, and for
    each element only those its n-grams lift at least min_evidence above the bias (never the bias alone)."""
    if known < scoring.min_terms or not known:
        return [NO_EVIDENCE] * len(margins)
    floor = scoring.min_evidence
    return [m if m - b > floor else NO_EVIDENCE for m, b in zip(margins, bias, strict=True)]


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
class SentenceScore:
    """One sentence's (gated) logit for every element, and its known n-grams with their feature values
    and dense weights, kept so that explaining the sentence costs no second featurisation."""

    margins: list[float]
    grams: tuple[str, ...] = ()
    values: tuple[float, ...] = ()  # each known n-gram's feature value (before the norm)
    weights: tuple[Mapping[int, float], ...] = ()  # each known n-gram's weight by element index

    def explain(self, i: int, n: int = EXPLAIN_TERMS) -> tuple[str, ...]:
        """The n-grams that pushed element i's score up the most, strongest first."""
        parts = []
        for g, x, by_element in zip(self.grams, self.values, self.weights, strict=True):
            w = by_element.get(i)
            if w is not None and x * w > 0:
                parts.append((-x * w, g))
        return tuple(g for _, g in sorted(parts)[:n])


@dataclass(frozen=True)
class LearnedModel:
    """Per-element logistic weights over TF-IDF n-grams, with per-element thresholds chosen by CV."""

    path: str
    elements: tuple[str, ...]
    bias: tuple[float, ...]
    thresholds: tuple[float, ...]
    idf: Mapping[str, float]
    # n-gram -> ((element index, weight), ...)
    weights: Mapping[str, tuple[tuple[int, float], ...]]
    meta: Mapping[str, Any]
    scoring: Scoring = PLAIN
    # n-gram -> (idf, its (element, weight x idf) pairs, its weight by element): the one lookup per
    # n-gram that `section_scores` makes
    table: Mapping[str, tuple[float, tuple[tuple[int, float], ...], Mapping[int, float]]] = field(
        default_factory=dict)
    concepts: tuple[str, ...] = ()  # the pack's concepts whose hits are features (CONCEPT + name)

    def index(self, element: str) -> int | None:
        try:
            return self.elements.index(element)
        except ValueError:
            return None

    def threshold(self, element: str) -> float:
        i = self.index(element)
        return self.thresholds[i] if i is not None else 0.5

    def vector(self, text: str, previous: str = "") -> dict[str, float]:
        sc = self.scoring
        grams = features(tokens(text), tokens(previous), sc.context)
        return vectorise(grams, self.idf, sc.context, sc.min_norm)

    def margins(self, vec: Mapping[str, float]) -> list[float]:
        """The logit of every element for one sentence vector (ungated)."""
        out = list(self.bias)
        weights = self.weights
        for g, x in vec.items():
            for i, w in weights.get(g, ()):
                out[i] += w * x
        return out

    def gated(self, vec: Mapping[str, float]) -> list[float]:
        """The logits the sentence may claim (see `gate`)."""
        known = sum(1 for g in vec if not g.startswith(PREV))
        return gate(self.margins(vec), self.bias, known, self.scoring)

    def section_scores(self, texts: Sequence[str],
                       concepts: Sequence[Iterable[str]] | None = None) -> list[SentenceScore]:
        """Every sentence's gated logits, the previous sentence giving context: `gated(vector(text, prev))`
        for each, in one pass: one dictionary lookup per n-gram, whose few weights are summed before the
        norm divides them. concepts: per sentence, the names of the model's concepts that match in it."""
        table, bias, sc = self.table, self.bias, self.scoring
        log, get, width = math.log, table.get, len(bias)
        out = []
        previous: list[str] = []
        for k, text in enumerate(texts):
            words = _TOKEN.findall(text.lower())
            counts: Counter[str] = Counter(words)
            counts.update(map(" ".join, zip(words, words[1:], strict=False)))
            if concepts:
                counts.update(CONCEPT + c for c in concepts[k])
            acc = [0.0] * width
            sq = 0.0
            # the known n-grams (most are not: one comprehension drops them), in the counter's order
            hits = [(g, n, e) for (g, n), e in zip(counts.items(), map(get, counts), strict=True)
                    if e is not None]
            known = len(hits)
            if not known or known < sc.min_terms:  # `gate` would claim nothing: skip the arithmetic
                previous = words
                out.append(SentenceScore([NO_EVIDENCE] * width))
                continue
            values = []
            for _g, n, entry in hits:
                if n == 1:  # most n-grams: their weights come multiplied by their idf
                    v = entry[0]
                    for i, w in entry[1]:
                        acc[i] += w
                else:
                    tf = 1.0 + log(n)
                    v = tf * entry[0]
                    for i, w in entry[1]:
                        acc[i] += w * tf
                sq += v * v
                values.append(v)
            grams = [h[0] for h in hits]
            pairs = [h[2][2] for h in hits]
            if sc.context and previous:
                before = Counter(PREV + w for w in previous)
                for g, entry in zip(before, map(get, before), strict=True):
                    if entry is not None:
                        n = before[g]
                        tf = sc.context * (1.0 if n == 1 else 1.0 + log(n))
                        v = tf * entry[0]
                        sq += v * v
                        grams.append(g)
                        values.append(v)
                        pairs.append(entry[2])
                        for i, w in entry[1]:
                            acc[i] += w * tf
            previous = words
            norm = max(math.sqrt(sq), sc.min_norm)
            if not norm:
                out.append(SentenceScore([NO_EVIDENCE] * width))
                continue
            margins = [b + a / norm for b, a in zip(bias, acc, strict=True)]
            gated = gate(margins, bias, known, sc)
            out.append(SentenceScore(gated, tuple(grams), tuple(values), tuple(pairs)))
        return out

    def text_margins(self, text: str, previous: str = "") -> list[float]:
        """One sentence's gated logits (the previous sentence as context)."""
        return self.section_scores([previous, text] if previous else [text])[-1].margins

    def explain(self, element: str, vec: Mapping[str, float], n: int = EXPLAIN_TERMS) -> tuple[str, ...]:
        """The n-grams that pushed this sentence's score up the most, strongest first."""
        i = self.index(element)
        if i is None:
            return ()
        parts = []
        for g, x in vec.items():
            for j, w in self.weights.get(g, ()):
                if j == i and w * x > 0:
                    parts.append((-w * x, g))
        return tuple(g for _, g in sorted(parts)[:n])

    def score_text(self, element: str, text: str, previous: str = "") -> Scored:
        i = self.index(element)
        if i is None:
            return Scored(0.0)
        vec = self.vector(text, previous)
        return Scored(sigmoid(self.gated(vec)[i]), self.explain(element, vec))


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
        "version": CONCEPTS_VERSION if "concepts" in meta else MODEL_VERSION,
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
    version = data.get("version")
    if version not in (MODEL_VERSION, CONCEPTS_VERSION):
        raise bad(f"version {version!r} is not supported (expected {MODEL_VERSION} or {CONCEPTS_VERSION})")
    concepts = data.get("concepts", []) if version == CONCEPTS_VERSION else []
    if not (isinstance(concepts, list) and all(isinstance(c, str) and c for c in concepts)):
        raise bad("'concepts' must be a list of concept names")
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
    scoring = data.get("scoring", {})
    fields = Scoring().to_dict()
    if not (isinstance(scoring, dict) and set(scoring) <= set(fields)
            and all(isinstance(v, (int, float)) and v >= 0 for v in scoring.values())):
        raise bad(f"'scoring' must map some of {', '.join(fields)} to numbers >= 0")
    meta = {k: v for k, v in data.items() if k not in ("elements", "bias", "thresholds", "terms")}
    table = {g: (v, tuple((i, w * v) for i, w in weights.get(g, ())), dict(weights.get(g, ())))
             for g, v in idf.items()}
    return LearnedModel(name, tuple(elements), tuple(float(b) for b in bias),
                        tuple(float(t) for t in thresholds), idf, weights, meta,
                        Scoring(float(scoring.get("context", 0.0)), float(scoring.get("min_norm", 0.0)),
                                int(scoring.get("min_terms", 0)), float(scoring.get("min_evidence", 0.0))),
                        table, tuple(concepts))


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
    by_element: Mapping[str, str] = field(default_factory=dict)  # element -> its own combination
    # element -> concepts a sentence must not hold to be the model's evidence (the pack's `veto:` concepts
    # that every sentence clause of the element's rule applies, so a hedge never carries it either)
    vetoes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # element -> concepts of which the model's evidence sentence must hold one (the pack's `require:`: the
    # actor the element is about, e.g. the board for board oversight, management for management's roles)
    requires: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def mode(self, element: str | None) -> str:
        """The combination for a rule's element: its own when the pack names one, else the pack's."""
        return self.by_element.get(element or "", self.combine)
