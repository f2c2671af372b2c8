"""Learned sentence weights: load a model file, featurise sentences, score them and explain a score.

The model is data (JSON): per n-gram its IDF and its weight for each element. A sentence is featurised as
word 1-2-grams with sublinear term frequency times IDF, L2-normalised over the n-grams the model knows;
its score for an element is the sigmoid of the dot product with that element's weights plus a bias.
Plain Python: no machine-learning library at run time. The checker asks only for each element's best
sentence (`SectionScores`): every sentence is scored at once for all elements by a bounded approximation
(one integer sum), and only the sentences that may be best get the exact arithmetic.
"""

from __future__ import annotations

import functools
import json
import math
import struct
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

import regex

from .model import CheckerError

MODEL_FORMAT = "cydcheck-learned"
MODEL_VERSION = 1
CONCEPTS_VERSION = 2  # a file whose model also reads the pack's concept hits (its `concepts` list)
MAX_MODEL_BYTES = 5_000_000
COMBINE_MODES = ("rules", "learned", "either", "both", "rules_then_learned", "learned_then_rules")
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


# American spellings -> their British forms (the ise/our/re/ence/ll/ogue/me endings), to read a British
# word as the American one the model was trained on: "programme" -> "program", "organisation" ->
# "organization", "centre" -> "center". Only endings that make no other word from an American one.
_BRITISH_FORMS = tuple((regex.compile(a), b) for a, b in (
    (r"^program(s?)$", r"programme\1"),
    (r"(?<=..)iz(e|ed|es|ing|ation|ations|ational|er|ers|able)$", r"is\1"),
    (r"(?<=..)yz(e|ed|es|ing|er|ers)$", r"ys\1"),
    (r"(?<=[a-z]{3})or(s|ed|ing|al|able|ably|ite|ites)?$", r"our\1"),
    (r"(cent|fib|theat|met|lit)er(s?)$", r"\1re\2"),
    (r"(?<=..)([fc])ense(s?)$", r"\1ence\2"),
    (r"(?<=..[aeiou])l(ing|ed|er|ers)$", r"ll\1"),
    (r"(?<=..)og(s?)$", r"ogue\1"),
    (r"(?<=..)dgment(s?)$", r"dgement\1"),
    (r"(?<=..)ll(ment|ments)$", r"l\1"),
    (r"(?<=..)(fulfill|enroll|instill)$", lambda m: m.group(1)[:-1]),
))


def british_spellings(vocabulary: Iterable[str]) -> dict[str, str]:
    """The British forms of the words of a model's vocabulary, each mapped to its American word; a form that
    is itself a word of the vocabulary is never mapped (it is read as itself)."""
    known = set(vocabulary)
    mapped: dict[str, str] = {}
    for word in known:
        for pattern, british in _BRITISH_FORMS:
            form = pattern.sub(british, word)
            if form != word and form not in known:
                mapped.setdefault(form, word)
    return mapped


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


def tf(count: int) -> float:
    """Sublinear term frequency: an n-gram counted n times weighs 1 + ln(n) times its weight."""
    return 1.0 if count == 1 else 1.0 + math.log(count)


def vectorise(counts: Mapping[str, int], idf: Mapping[str, float], context: float = 1.0,
              min_norm: float = 0.0) -> dict[str, float]:
    """Sublinear TF x IDF over the known n-grams (the previous sentence's words times context), divided by
    their L2 norm but by at least min_norm: a sentence with little known text keeps a small vector instead
    of one word's whole weight (empty when nothing is known)."""
    vec = {g: tf(n) * idf[g] * (context if g.startswith(PREV) else 1.0)
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
    if mode in ("either", "rules_then_learned", "learned_then_rules"):  # one verdict; the evidence differs
        return rules or learned
    raise ValueError(mode)


@dataclass(frozen=True)
class Scored:
    """One sentence's score for one element, and the n-grams that weighed most for it."""

    score: float
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class SentenceScore:
    """One sentence's (gated) logit for every element, and what explains them (`LearnedModel.explanation`)."""

    margins: list[float]
    model: LearnedModel = field(repr=False, compare=False)
    features: Features = field(repr=False, compare=False)

    def explain(self, i: int, n: int = EXPLAIN_TERMS) -> tuple[str, ...]:
        """The n-grams that pushed element i's score up the most, strongest first."""
        return self.model.explanation(self.features, i, n)


class Term:
    """A term the model knows, at one tf: what the one dictionary lookup per n-gram finds (at tf 1), or
    that term at the tf of a repeated n-gram or a context word (`at_tf`, for its row). Every number is
    computed here once: the logit adds `scaled` (weight x idf at tf 1, that times tf otherwise) and the
    norm `square`, both in the term's row; the explanation ranks `scaled` at tf 1 times the tf. Hashed by
    identity: the model has one Term per n-gram (and tf), so a sentence's terms are counted as looked up."""

    __slots__ = ("gram", "value", "square", "scaled", "row", "tfs")

    def __init__(self, gram: str, value: float, scaled: Mapping[int, float], width: int) -> None:
        self.gram = gram  # the n-gram as the weights file names it
        self.value = value  # its feature value before the norm: idf, or tf x idf
        self.square = value * value
        self.scaled = scaled  # element index -> what the element's logit adds for it (before the norm)
        self.row = pack_term(scaled, self.square, width)  # its lanes (see pack_term); None: they do not fit
        self.tfs: dict[float, Term] = {}  # the term at other tfs, made as met (at most MAX_TFS)


def at_tf(term: Term, tf: float, width: int) -> Term:
    """The term as a sentence that holds it with this tf counts it (made once per term and tf)."""
    got = term.tfs.get(tf)
    if got is None:
        got = Term(term.gram, tf * term.value, {i: w * tf for i, w in term.scaled.items()}, width)
        if len(term.tfs) < MAX_TFS:
            term.tfs[tf] = got
    return got


_ROW = attrgetter("row")  # read in C


@dataclass(slots=True)
class Features:
    """The terms of one sentence the model knows (see LearnedModel.featurise), each with its count."""

    counts: Counter[Term]  # its known words, (word, word) pairs and concepts, in order of first occurrence
    repeats: bool  # whether one of them occurs more than once (then it weighs 1 + ln(count))
    before: Counter[Term] | None = None  # the previous sentence's known words (PREV + word), for context


# The arithmetic of a sentence's scores is fixed point: each term's weight for each element (times its
# value, as the logit adds it) and its squared value, times 2^FRAC and rounded to integers, summed over the
# sentence's terms as integers (exact, in any order). A term's integers sit in one 64-bit lane each, plus
# OFFSET, in one Python integer (its row), so that a sentence's rows summed give every lane's sum at once in
# C; no lane can carry into the next while fewer than MAX_TERMS rows of numbers below TERM_LIMIT are summed.
# A sentence holding a term that does not fit is summed lane by lane instead: the same integers.
LANE_BITS = 64
FRAC = 30
OFFSET = 1 << 46
TERM_LIMIT = 1 << 45  # a term's |integer| in a lane must stay below this to be packed in a row
MAX_TERMS = 1 << 16  # a sentence with more terms is summed lane by lane (lane sums stay below 2^63)
MAX_TFS = 64  # a term's versions at tfs other than 1 kept (bounded memory)
_SCALE = float(1 << FRAC)


def fixed(x: float) -> int:
    """A number as the fixed-point arithmetic holds it: x times 2^FRAC, rounded to an integer."""
    return round(x * _SCALE)


def pack_term(scaled: Mapping[int, float], square: float, width: int) -> int | None:
    """A term's lanes as one integer: its fixed weights by element index (as the logit adds them), then its
    fixed squared value, each plus OFFSET; None when one does not fit a lane (see the arithmetic above)."""
    lanes = {i: fixed(w) for i, w in scaled.items()}
    lanes[width] = fixed(square)
    if not all(-TERM_LIMIT < x < TERM_LIMIT for x in lanes.values()):
        return None
    row = OFFSET * ((1 << (LANE_BITS * (width + 1))) - 1) // ((1 << LANE_BITS) - 1)  # OFFSET in each lane
    for i, x in lanes.items():
        row += x << (LANE_BITS * i)
    return row


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
    spelling: Mapping[str, str] = field(default_factory=dict)  # British form -> the model's word (see words)

    def index(self, element: str) -> int | None:
        try:
            return self.elements.index(element)
        except ValueError:
            return None

    def knows(self, element: str | None) -> bool:
        """Whether the model scores this element (a rule without one it does not)."""
        return element is not None and element in self.elements

    def threshold(self, element: str) -> float:
        i = self.index(element)
        return self.thresholds[i] if i is not None else 0.5

    def as_spelt_in(self, terms: tuple[str, ...], text: str) -> tuple[str, ...]:
        """The terms (n-grams of the model's words) with each word as the text spells it: "cybersecurity
        organization" is "cybersecurity organisation" for a sentence that writes it so."""
        if not self.spelling:
            return terms
        own = {self.spelling[w]: w for w in tokens(text) if w in self.spelling}
        if not own:
            return terms
        return tuple(" ".join(own.get(w, w) for w in t.split(" ")) for t in terms)

    def words(self, text: str) -> list[str]:
        """The text's tokens, a British spelling of a word the model knows read as that word."""
        spelling = self.spelling
        words = tokens(text)
        return [spelling.get(w, w) for w in words] if spelling else words

    def vector(self, text: str, previous: str = "") -> dict[str, float]:
        sc = self.scoring
        grams = features(self.words(text), self.words(previous), sc.context)
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
        """Each sentence's known n-grams with their counts (words, then (word, word) pairs, then concepts,
        each in order of first occurrence; one lookup each) and, when the model reads context, the previous
        sentence's known words (PREV + word)."""
        out = []
        previous: list[str] = []
        context, get = self.scoring.context, self.table.get
        for k, text in enumerate(texts):
            words = self.words(text)
            grams = chain(words, zip(words, words[1:], strict=False))
            if concepts:
                grams = chain(grams, [CONCEPT + c for c in concepts[k]])
            counts: Counter[Term] = Counter()
            counts.update(filter(None, map(get, grams)))  # one lookup each, counted in C
            f = Features(counts, len(counts) < counts.total())
            if context and previous:
                f.before = Counter(filter(None, map(get, [PREV + w for w in previous])))
            out.append(f)
            previous = words
        return out

    def weighted(self, f: Features) -> list[tuple[Term, float]]:
        """A sentence's known terms with their tfs: its own n-grams (in the counter's order), then the
        previous sentence's words (times the model's context weight)."""
        context = self.scoring.context
        return ([(e, tf(n)) for e, n in f.counts.items()]
                + [(e, context * tf(n)) for e, n in (f.before or {}).items()])

    def lane_sums(self, f: Features) -> list[int]:
        """A sentence's fixed-point sums (see the arithmetic above pack_term): per element the sum of its
        terms' fixed weights, then the sum of their fixed squared values. The rows summed in C when every
        one fits; else lane by lane, the same integers."""
        width = len(self.bias)
        n = len(f.counts) + len(f.before or ())
        if self.packed and n < MAX_TERMS:
            context = self.scoring.context
            try:
                total = sum(map(_ROW, f.counts))
                if f.repeats:  # a repeated term at 1 + ln(count) instead of 1
                    for e, count in f.counts.items():
                        if count > 1:
                            total += at_tf(e, tf(count), width).row - e.row
                for e, count in (f.before or {}).items():
                    total += at_tf(e, context * tf(count), width).row
            except TypeError:  # a term at some tf whose row does not fit (None)
                pass
            else:
                lanes = struct.unpack(f"<{width + 1}Q", total.to_bytes(8 * (width + 1), "little"))
                base = n * OFFSET
                return [x - base for x in lanes]
        sums = [0] * (width + 1)
        for term, x in self.weighted(f):
            for i, w in term.scaled.items():
                sums[i] += fixed(w * x)
            value = x * term.value
            sums[width] += fixed(value * value)
        return sums

    def sentence_margins(self, f: Features) -> list[float]:
        """A sentence's gated logit for every element: bias + (the sum of its terms' weights) / (the L2 norm
        of their values, but at least min_norm), in fixed point; no evidence (NO_EVIDENCE) with fewer known
        n-grams of its own than min_terms, nor for an element its n-grams lift by at most min_evidence."""
        width, sc = len(self.bias), self.scoring
        if not f.counts or len(f.counts) < sc.min_terms:
            return [NO_EVIDENCE] * width
        sums = self.lane_sums(f)
        norm = max(math.sqrt(sums[width] / _SCALE), sc.min_norm)
        if not norm:
            return [NO_EVIDENCE] * width
        scale, floor = 1.0 / (_SCALE * norm), sc.min_evidence
        return [b + lift if (lift := x * scale) > floor else NO_EVIDENCE
                for b, x in zip(self.bias, sums[:width], strict=True)]

    def explanation(self, f: Features, i: int, n: int = EXPLAIN_TERMS) -> tuple[str, ...]:
        """The n-grams of a sentence that pushed element i's score up the most (tf x idf x weight), strongest
        first, the first in sort order among equals; none for a sentence the gate gives nothing."""
        if not f.counts or len(f.counts) < self.scoring.min_terms:
            return ()
        # (-contribution, n-gram): the weight at tf 1 (term.scaled), times the tf of a repeated n-gram
        parts = [(-c if count == 1 else -c * tf(count), term.gram)
                 for term, count in f.counts.items() if (c := term.scaled.get(i, 0.0)) > 0]
        if f.before:  # the previous sentence's words, times the context weight
            weight = self.scoring.context
            parts += [(-c * weight * tf(count), term.gram)
                      for term, count in f.before.items() if (c := term.scaled.get(i, 0.0)) > 0]
        parts.sort()
        return tuple(g for _, g in parts[:n])

    def sentence_score(self, f: Features) -> SentenceScore:
        """One sentence's gated logits (`sentence_margins`), with what explains them."""
        return SentenceScore(self.sentence_margins(f), self, f)

    def section_scores(self, texts: Sequence[str],
                       concepts: Sequence[Iterable[str]] | None = None) -> list[SentenceScore]:
        """Every sentence's gated logits, the previous sentence giving context (`gated(vector(text, prev))`
        for each, in fixed point). concepts: per sentence, the model's concepts that match in it."""
        return [self.sentence_score(f) for f in self.featurise(texts, concepts)]

    def score_section(self, texts: Sequence[str],
                      concepts: Sequence[Iterable[str]] | None = None) -> SectionScores:
        """The section's sentences, ready to give each element's best one (see SectionScores)."""
        return SectionScores(self, self.featurise(texts, concepts))

    def text_score(self, text: str, previous: str = "") -> SentenceScore:
        """One sentence's gated logits, with what explains them (the previous sentence as context)."""
        return self.section_scores([previous, text] if previous else [text])[-1]

    def text_margins(self, text: str, previous: str = "") -> list[float]:
        """One sentence's gated logits (the previous sentence as context)."""
        return self.text_score(text, previous).margins

    def score_text(self, element: str, text: str, previous: str = "") -> Scored:
        """One sentence's score for an element and the n-grams that weighed most (the previous sentence as
        context)."""
        i = self.index(element)
        if i is None:
            return Scored(0.0)
        got = self.text_score(text, previous)
        return Scored(sigmoid(got.margins[i]), got.explain(i))


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
            and all(isinstance(x, (int, float)) and math.isfinite(x) for x in bias + thresholds)):
        raise bad("'elements', 'bias' and 'thresholds' must be lists of the same length, of finite numbers")
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
        if not math.isfinite(idf[g]) or not all(math.isfinite(w) for _, w in pw):
            raise bad(f"term {g!r}: not a finite number")
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
        scaled = {i: w * v for i, w in weights.get(g, ())}
        key = term_key(g)
        if isinstance(key, str):
            key = key[:1] + key[1:]  # a copy of our own, allocated here beside its term
        table[key] = Term(g, v, scaled, len(elements))
    packed = all(t.row is not None for t in table.values())  # else every sentence is summed lane by lane
    return LearnedModel(name, tuple(elements), tuple(float(b) for b in bias),
                        tuple(float(t) for t in thresholds), idf, weights, meta,
                        Scoring(float(scoring.get("context", 0.0)), float(scoring.get("min_norm", 0.0)),
                                int(scoring.get("min_terms", 0)), float(scoring.get("min_evidence", 0.0))),
                        table, tuple(concepts), packed, british_spellings(_words_of(idf)))


def _words_of(idf: Mapping[str, float]) -> Iterator[str]:
    """The words of a model's vocabulary, alone or in its pairs (not its context or concept features)."""
    return chain.from_iterable(g.split(" ") for g in idf if not g.startswith((PREV, CONCEPT)))


@functools.lru_cache(maxsize=16)
def model_elements(path: Path) -> frozenset[str]:
    """The elements a weights file scores, read without building the model (`explain` reads packs without
    compiling them); none when the file cannot be read, which compiling the pack reports."""
    try:
        if path.stat().st_size > MAX_MODEL_BYTES:
            return frozenset()
        elements = json.loads(path.read_text(encoding="utf-8")).get("elements", [])
    except (OSError, UnicodeDecodeError, ValueError, AttributeError):
        return frozenset()
    return frozenset(e for e in elements if isinstance(e, str)) if isinstance(elements, list) else frozenset()


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
    # element -> groups of concepts of which the model's evidence sentence must hold one whole (the pack's
    # `require:`: the actor the element is about, e.g. the board for board oversight, management for
    # management's roles; a lone concept is a group of one)
    requires: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    # element -> groups of concepts of which the evidence sentence itself must hold one whole, whatever the
    # sentence before it holds (the pack's `require_in_sentence:`: what the element is about, e.g. an
    # expertise detail for management's expertise, where `require:` carries the actor over)
    requires_here: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    # element -> (concept, concepts) pairs: a sentence holding the concept and none of the concepts is not the
    # model's evidence (the pack's `veto_by_element:` entries {concept, unless}: "the financial statements"
    # in a sentence that names no cyber matter)
    vetoes_unless: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=dict)
    # element -> groups of concepts of which the evidence sentence's paragraph, or the paragraph before it,
    # must hold one whole (the pack's `require_in_paragraph:`: the topic, cybersecurity, which a section
    # names in every paragraph or its heading, and a sentence of another matter never does)
    requires_paragraph: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    # a verdict the model alone carries, its sentence scoring less than this above the element's threshold,
    # is marked for review (the pack's `review_margin:`; 0: never)
    review_margin: float = 0.0
    # element -> (concept, unless, why) marks: a met verdict whose every quoted sentence holds the concept and
    # none of the unless concepts is marked for review with why (the pack's `review_by_element:`); the verdict
    # stands
    reviews: Mapping[str, tuple[tuple[str, tuple[str, ...], str], ...]] = field(default_factory=dict)
    # the ids of the rules the pack declaring the model has (None: every rule): a rule a pack extending it
    # adds (a house rule, stricter than the shipped one) is decided by its own match, though it names an
    # element the model scores, for the model was never trained on what it asks
    rules: frozenset[str] | None = None

    def mode(self, element: str | None) -> str:
        """The combination for a rule's element: its own when the pack names one, else the pack's."""
        return self.by_element.get(element or "", self.combine)

    def covers(self, rule_id: str) -> bool:
        """Whether the model and the review marks speak for this rule (one of the declaring pack's)."""
        return self.rules is None or rule_id in self.rules

    def rule_mode(self, rule_id: str, element: str | None) -> str:
        """The combination for a rule: its element's, or "rules" for a rule the model does not cover."""
        return self.mode(element) if self.covers(rule_id) else "rules"


class SectionScores:
    """A section's sentences under a model: every sentence's gated logits for every element (one integer sum
    a sentence, see `lane_sums`), each element's best sentence, and the n-grams that explain it."""

    def __init__(self, model: LearnedModel, features: list[Features]) -> None:
        self.model = model
        self.features = features
        self.margins = [model.sentence_margins(f) for f in features]
        self._ranked: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return len(self.features)

    def explain(self, k: int, i: int) -> tuple[str, ...]:
        """The n-grams of sentence k that pushed element i's score up the most, strongest first."""
        return self.model.explanation(self.features[k], i)

    def ranked(self, i: int) -> list[int]:
        """The sentences by their gated logit for element i, highest first, the first of equals first."""
        order = self._ranked.get(i)
        if order is None:
            column = list(map(itemgetter(i), self.margins))
            order = self._ranked[i] = sorted(range(len(column)), key=lambda k: -column[k])  # sort is stable
        return order
