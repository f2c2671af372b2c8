"""Learned sentence weights: load a model file, featurise sentences, score them and explain a score.

The model is data (JSON): per n-gram its IDF and its weight for each element. A sentence is featurised as
word 1-2-grams with sublinear term frequency times IDF, L2-normalised over the n-grams the model knows;
its score for an element is the sigmoid of the dot product with that element's weights plus a bias.
Plain Python: no machine-learning library at run time. The checker asks only for each element's best
sentence (`SectionScores`): every sentence is scored at once for all elements by a bounded approximation
(one integer sum), and only the sentences that may be best get the exact arithmetic.
"""

from __future__ import annotations

import json
import math
import struct
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import reduce
from itertools import chain, repeat
from operator import add, itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from .model import CheckerError

MODEL_FORMAT = "cydcheck-learned"
MODEL_VERSION = 1
CONCEPTS_VERSION = 2  # a file whose model also reads the pack's concept hits (its `concepts` list)
MAX_MODEL_BYTES = 5_000_000
COMBINE_MODES = ("rules", "learned", "either", "both", "rules_then_learned")
EXPLAIN_TERMS = 5

PREV = "<p>"  # prefix of the previous sentence's words (context features)
CONCEPT = "<c>"  # prefix of a concept of the pack matching in the sentence ("<c>mgmt_role")
# Bytes kept in a word (a-z, 0-9); every other byte becomes a space.
_WORD_BYTES = bytes(b if 48 <= b <= 57 or 97 <= b <= 122 else 32 for b in range(256))


def tokens(text: str) -> list[str]:
    """Lower-case words and numbers: the runs of a-z and 0-9 in the lower-cased text (the regular expression
    [a-z0-9]+); punctuation, quotes, apostrophes and any other character separate them. Four C string
    operations and a split: a non-ASCII character becomes '?', then a space."""
    return text.lower().encode("ascii", "replace").translate(_WORD_BYTES).decode("ascii").split()


def term_key(gram: str) -> Hashable:
    """An n-gram as the checker counts it: a word, a (word, word) pair, or a prefixed feature as it is."""
    if " " not in gram or gram.startswith((PREV, CONCEPT)):
        return gram
    return tuple(gram.split(" "))


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


def top_terms(terms: Iterable[tuple[str, float, Mapping[int, float]]], i: int,
              n: int = EXPLAIN_TERMS) -> tuple[str, ...]:
    """Of a sentence's known n-grams (each with its feature value and its weights by element), the n that
    pushed element i's score up the most, strongest first."""
    return ranked([(-x * w, g) for g, x, by_element in terms
                   if (w := by_element.get(i)) is not None and x * w > 0], n)


def ranked(parts: list[tuple[float, str]], n: int = EXPLAIN_TERMS) -> tuple[str, ...]:
    """The n-grams of the n largest contributions given as (-(feature value x weight), n-gram), the first
    n-gram in sort order first among equals."""
    parts.sort()
    return tuple(g for _, g in parts[:n])


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
        return top_terms(zip(self.grams, self.values, self.weights, strict=True), i, n)


class Term(NamedTuple):
    """A term the model knows, at one tf: what the one dictionary lookup per n-gram finds (at tf 1), or
    that term at the tf of a repeated n-gram or a context word (`at_tf`). Every number is computed here
    once, exactly as the sentence arithmetic used it: the logit adds `scaled` (weight x idf at tf 1, that
    times tf otherwise), the norm adds `square`, the explanation ranks `contribution`."""

    gram: str  # the n-gram as the weights file names it
    value: float  # its feature value before the norm: idf, or tf x idf
    square: float  # value x value
    scaled: Mapping[int, float]  # element index -> what the element's logit adds for it (before the norm)
    contribution: Mapping[int, float]  # element index -> value x weight (the explanation's ranking)
    weights: Mapping[int, float]  # element index -> its weight in the file
    row: int | None  # its lanes (see pack_term); None when they do not fit
    tfs: dict[float, Term]  # the term at other tfs, made as met (at most MAX_TFS)


def at_tf(term: Term, tf: float, width: int) -> Term:
    """The term as a sentence that holds it with this tf counts it (made once per term and tf)."""
    got = term.tfs.get(tf)
    if got is None:
        value = tf * term.value
        scaled = {i: w * tf for i, w in term.scaled.items()}
        got = Term(term.gram, value, value * value, scaled, {i: value * w for i, w in term.weights.items()},
                   term.weights, pack_term(scaled, value * value, width), {})
        if len(term.tfs) < MAX_TFS:
            term.tfs[tf] = got
    return got


_ROW = itemgetter(6)  # Term.row, read in C
_SQUARE = itemgetter(2)  # Term.square
_SCALED = itemgetter(3)  # Term.scaled
_CONTRIBUTION = itemgetter(4)  # Term.contribution
_GRAM = itemgetter(0)  # Term.gram


@dataclass(slots=True)
class Features:
    """One sentence's n-grams as the model counts them (see LearnedModel.featurise), with what the model
    knows of each."""

    counts: Counter[Hashable]  # words, (word, word) pairs and CONCEPT + name, each with its count
    entries: list[Term | None]  # what the model knows of each at tf 1 (None: nothing), in the counter's order
    total: int  # the sum of the counts (equal to len(counts) when no n-gram repeats)
    before: Counter[Hashable] | None = None  # the previous sentence's words (PREV + word), for context
    before_entries: list[Term | None] = field(default_factory=list)


@dataclass(slots=True)
class Terms:
    """A sentence's known terms at their tfs, in the order the arithmetic adds them (its own n-grams in the
    counter's order, then the previous sentence's words), and their norm."""

    terms: list[Term]
    known: int  # how many of the sentence's own n-grams (and concepts) the model knows
    norm: float | None = None  # the L2 norm of their values, but at least min_norm (once asked)


# The approximation (see SectionScores): a term's weight for each element, times 2^FRAC and rounded, plus
# OFFSET, in one 64-bit lane each; then lanes for the square of its feature value and the largest |weight|
# it has (both times 2^FRAC). A sentence's terms summed as one Python integer give every lane's sum at
# once, exactly (no lane can carry into the next, see MAX_TERMS).
LANE_BITS = 64
FRAC = 30
OFFSET = 1 << 46
TERM_LIMIT = 1 << 45  # a term's |weight| or squared value times 2^FRAC must stay below this to be packed
MAX_TERMS = 1 << 16  # a sentence with more terms gets the exact arithmetic (lane sums stay below 2^63)
MAX_TFS = 64  # a term's versions at tfs other than 1 kept (bounded memory)
_SCALE = float(1 << FRAC)
_U = 2.0 ** -53  # unit round-off of a float


def pack_term(scaled: Mapping[int, float], square: float, width: int) -> int | None:
    """A term's lanes as one integer (its weights by element index as the logit adds them, its squared
    value); None when a number does not fit a lane (then no sentence holding it is approximated)."""
    weights = [0.0] * width
    for i, w in scaled.items():
        weights[i] = w
    try:
        top = math.ceil(max(map(abs, weights), default=0.0) * _SCALE)
        sq = round(square * _SCALE)
        lanes = [round(w * _SCALE) + OFFSET for w in weights]
    except (ValueError, OverflowError):  # not a finite number
        return None
    if top >= TERM_LIMIT or not 0 <= sq < TERM_LIMIT:
        return None
    return int.from_bytes(struct.pack(f"<{width + 2}Q", *lanes, sq, top), "little")


def tolerance(terms: int, square: float, largest: float, norm: float, min_norm: float, bias: float) -> float:
    """A bound on |approximate - exact| for a sentence's logit over its bias (and for the gate's m - b): terms
    n-grams, lanes read as square (their squared values summed) and largest (their largest |weight| summed,
    rounded up); norm = max(sqrt(square), min_norm); bias the largest |bias|. The exact logit sums the same
    floats one by one (error at most ~ n u sum|x|, Higham); each lane rounds each term by at most half a
    unit of 2^-FRAC. Twice the sum of both, carried through the norm's square root and the division, plus
    a few roundings of each final operation. Infinite when the norm could be zero."""
    half = terms * 2.0 ** -(FRAC + 1)  # the lanes' rounding of the terms
    big = largest + half  # bounds |sum of any element's weights|
    err_acc = half + 2 * _U * big + 1.01 * terms * _U * big
    err_sq = half + 2 * _U * square + 1.01 * terms * _U * (square + half)
    root = math.sqrt(square)
    err_norm = min(math.sqrt(err_sq), err_sq / root if root else math.inf) + 4 * _U * (root + 1)
    low = max(norm - err_norm, min_norm)
    if low <= 0:
        return math.inf
    ratio = big / low
    return 2 * (err_acc / low + big * err_norm / (low * norm) + 8 * _U * (ratio + bias + 1))


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
    # term key (see term_key) -> the term at tf 1: the one lookup per n-gram that scoring makes
    table: Mapping[Hashable, Term] = field(default_factory=dict)
    concepts: tuple[str, ...] = ()  # the pack's concepts whose hits are features (CONCEPT + name)
    packed: bool = False  # every term has its row (else every sentence gets the exact arithmetic)

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

    def featurise(self, texts: Sequence[str],
                  concepts: Sequence[Iterable[str]] | None = None) -> list[Features]:
        """Each sentence's n-gram counts (words, then (word, word) pairs, then concepts, each in order of
        first occurrence) and, when the model reads context, the previous sentence's words (PREV + word)."""
        out = []
        previous: list[str] = []
        context, get = self.scoring.context, self.table.get
        for k, text in enumerate(texts):
            words = tokens(text)
            counts: Counter[Hashable] = Counter(chain(words, zip(words, words[1:], strict=False)))
            total = 2 * len(words) - 1 if words else 0
            if concepts:
                names = [CONCEPT + c for c in concepts[k]]
                counts.update(names)
                total += len(names)
            f = Features(counts, list(map(get, counts)), total)
            if context and previous:
                f.before = Counter(PREV + w for w in previous)
                f.before_entries = list(map(get, f.before))
            out.append(f)
            previous = words
        return out

    def terms(self, f: Features) -> Terms:
        """A sentence's known terms at their tfs, in the order the arithmetic adds them."""
        width, log = len(self.bias), math.log
        if len(f.counts) == f.total:  # no n-gram repeats: the terms at tf 1, picked in C
            terms: list[Term] = list(filter(None, f.entries))
        else:  # a repeated n-gram weighs 1 + ln(count) times its weight
            terms = [e if n == 1 else at_tf(e, 1.0 + log(n), width)
                     for n, e in zip(f.counts.values(), f.entries, strict=True) if e is not None]
        known = len(terms)
        if f.before:
            context = self.scoring.context
            terms += [at_tf(e, context * (1.0 if n == 1 else 1.0 + log(n)), width)
                      for n, e in zip(f.before.values(), f.before_entries, strict=True) if e is not None]
        return Terms(terms, known)

    def logit(self, t: Terms, i: int) -> float:
        """A sentence's exact gated logit for element i: bias + (its terms' weights for i, added one by one
        in order) / (the L2 norm of their values, added one by one in order, but at least min_norm); no
        evidence with fewer known n-grams of its own than min_terms, or a lift of at most min_evidence."""
        sc = self.scoring
        if not t.known or t.known < sc.min_terms:
            return NO_EVIDENCE
        if t.norm is None:
            t.norm = max(math.sqrt(reduce(add, map(_SQUARE, t.terms), 0.0)), sc.min_norm)
        if not t.norm:
            return NO_EVIDENCE
        acc = reduce(add, filter(None, map(dict.get, map(_SCALED, t.terms), repeat(i))), 0.0)  # in C
        bias = self.bias[i]
        m = bias + acc / t.norm
        return m if m - bias > sc.min_evidence else NO_EVIDENCE

    def explanation(self, t: Terms, i: int, n: int = EXPLAIN_TERMS) -> tuple[str, ...]:
        """The n-grams of a sentence that pushed element i's score up the most, strongest first (none for a
        sentence the gate gives nothing, as `sentence_score` keeps none)."""
        if not t.known or t.known < self.scoring.min_terms:
            return ()
        found = zip(map(dict.get, map(_CONTRIBUTION, t.terms), repeat(i)), map(_GRAM, t.terms), strict=False)
        return ranked([(-c, g) for c, g in found if c is not None and c > 0], n)

    def sentence_score(self, f: Features) -> SentenceScore:
        """One sentence's gated logits, exactly `gated(vector(text, previous))`, with what explains them."""
        t = self.terms(f)
        if not t.known or t.known < self.scoring.min_terms:  # `gate` would claim nothing: no arithmetic
            return SentenceScore([NO_EVIDENCE] * len(self.bias))
        margins = [self.logit(t, i) for i in range(len(self.bias))]
        return SentenceScore(margins, tuple(e.gram for e in t.terms), tuple(e.value for e in t.terms),
                             tuple(e.weights for e in t.terms))

    def section_scores(self, texts: Sequence[str],
                       concepts: Sequence[Iterable[str]] | None = None) -> list[SentenceScore]:
        """Every sentence's exact gated logits, the previous sentence giving context: `gated(vector(text,
        prev))` for each. concepts: per sentence, the names of the model's concepts that match in it."""
        return [self.sentence_score(f) for f in self.featurise(texts, concepts)]

    def score_section(self, texts: Sequence[str],
                      concepts: Sequence[Iterable[str]] | None = None) -> SectionScores:
        """The section's sentences, ready to give each element's best one (see SectionScores)."""
        return SectionScores(self, self.featurise(texts, concepts))

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
        if len({i for i, _ in pw}) < len(pw):
            raise bad(f"term {g!r}: an element index listed twice")
        if pw:
            weights[g] = pw
    scoring = data.get("scoring", {})
    fields = Scoring().to_dict()
    if not (isinstance(scoring, dict) and set(scoring) <= set(fields)
            and all(isinstance(v, (int, float)) and v >= 0 for v in scoring.values())):
        raise bad(f"'scoring' must map some of {', '.join(fields)} to numbers >= 0")
    meta = {k: v for k, v in data.items() if k not in ("elements", "bias", "thresholds", "terms")}
    table: dict[Hashable, Term] = {}
    # Commonest terms (lowest idf) first: their entries, keys and terms are allocated side by side, so the
    # few hundred a section mostly looks up share memory (and stay in the processor's cache) across sections.
    for g, v in sorted(idf.items(), key=lambda item: (item[1], item[0])):
        raw = dict(weights.get(g, ()))
        scaled = {i: w * v for i, w in raw.items()}
        contribution = {i: v * w for i, w in raw.items()}
        if contribution == scaled:  # the same numbers (x * y == y * x): one dict
            contribution = scaled
        row = pack_term(scaled, v * v, len(elements))
        key = term_key(g)
        if isinstance(key, str):
            key = key[:1] + key[1:]  # a copy of our own, allocated here beside its term
        table[key] = Term(g, v, v * v, scaled, contribution, raw, row, {})
    packed = all(t.row is not None for t in table.values())  # else no approximation: exact arithmetic
    return LearnedModel(name, tuple(elements), tuple(float(b) for b in bias),
                        tuple(float(t) for t in thresholds), idf, weights, meta,
                        Scoring(float(scoring.get("context", 0.0)), float(scoring.get("min_norm", 0.0)),
                                int(scoring.get("min_terms", 0)), float(scoring.get("min_evidence", 0.0))),
                        table, tuple(concepts), packed)


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


class SectionScores:
    """A section's sentences under a model, answering each element's best sentence exactly as the exact
    arithmetic over every sentence would (the same bits), doing that arithmetic only for the sentences that
    may be best.

    Every sentence is first approximated for all elements at once: its terms' packed rows (`pack_term`)
    summed as one integer and read back as lanes give each element's sum over the norm within `tolerance`
    of the exact one. A sentence whose approximation plus the tolerance stays below what another sentence
    surely reaches, or whose evidence is surely under the gate, cannot be the element's best; the others
    get the exact arithmetic for that element only (`LearnedModel.logit`)."""

    def __init__(self, model: LearnedModel, features: list[Features]) -> None:
        self.model = model
        self.terms = [model.terms(f) for f in features]
        self._logits: dict[tuple[int, int], float] = {}
        self._best: dict[tuple[int, frozenset[int]], tuple[int, float] | None] = {}
        self.gated: list[int] = []  # sentences with fewer known n-grams than min_terms: NO_EVIDENCE exactly
        # the other sentences: (index, approximate sum over the norm per element, its tolerance; inf when
        # the approximation cannot be trusted: the sentence is then always scored exactly)
        self.approximate: list[tuple[int, list[float], float]] = []
        width, sc = len(model.bias), model.scoring
        nbytes = (width + 2) * LANE_BITS // 8
        bias = max(map(abs, model.bias), default=0.0)
        untrusted = [0.0] * width
        for k, t in enumerate(self.terms):
            if not t.known or t.known < sc.min_terms:
                self.gated.append(k)
                continue
            n = len(t.terms)
            try:
                total = sum(map(_ROW, t.terms)) if model.packed and n < MAX_TERMS else None
            except TypeError:  # a term at some tf whose row does not fit
                total = None
            if total is None:
                self.approximate.append((k, untrusted, math.inf))
                continue
            lanes = memoryview(total.to_bytes(nbytes, "little")).cast("Q").tolist()
            square = lanes[width] / _SCALE
            norm = max(math.sqrt(square), sc.min_norm)
            tol = tolerance(n, square, lanes[width + 1] / _SCALE, norm, sc.min_norm, bias)
            if tol == math.inf:
                self.approximate.append((k, untrusted, math.inf))
                continue
            base, scale = n * OFFSET, 1.0 / (_SCALE * norm)
            self.approximate.append((k, [(x - base) * scale for x in lanes[:width]], tol))

    def __len__(self) -> int:
        return len(self.terms)

    def logit(self, k: int, i: int) -> float:
        """Sentence k's exact gated logit for element i, computed once."""
        got = self._logits.get((k, i))
        if got is None:
            got = self._logits[(k, i)] = self.model.logit(self.terms[k], i)
        return got

    def explain(self, k: int, i: int) -> tuple[str, ...]:
        """The n-grams of sentence k that pushed element i's score up the most, strongest first."""
        return self.model.explanation(self.terms[k], i)

    def best(self, i: int, excluded: frozenset[int] = frozenset()) -> tuple[int, float] | None:
        """The sentence with the highest gated logit for element i (the first of equals) and that logit,
        among the sentences not excluded (None when none is left): what `max` over every sentence's exact
        logits gives."""
        key = (i, excluded)
        if key in self._best:
            return self._best[key]
        floor, bias = self.model.scoring.min_evidence, self.model.bias[i]
        # the first sentence surely gated: its logit is NO_EVIDENCE exactly
        gated = next((k for k in self.gated if k not in excluded), None)
        lower = -math.inf  # what the best sentence surely reaches over the bias, once one surely passes
        open_ = []  # sentences that may be best, with what they may reach
        for k, d, tol in self.approximate:
            if k in excluded:
                continue
            x = d[i]
            if x + tol <= floor:  # surely under the gate
                if gated is None or k < gated:
                    gated = k
                continue
            if x - tol > floor and x - tol > lower:
                lower = x - tol
            open_.append((k, x + tol))
        found = (NO_EVIDENCE, -gated) if gated is not None else None
        # the best surely passes the gate (and beats NO_EVIDENCE): only the sentences that may reach it count
        surely = bias + lower > NO_EVIDENCE + 1.0
        for k, high in open_:
            if surely and high < lower:
                continue
            here = (self.logit(k, i), -k)
            if found is None or here > found:
                found = here
        got = self._best[key] = (-found[1], found[0]) if found is not None else None
        return got
