"""Train learned sentence weights from labelled records: sentence labels from quotes, CV thresholds.

Development only: fitting needs scikit-learn (`pip install -e '.[learn]'`); the result is a plain JSON
weights file that `checker.learned` reads without it. Deterministic: records are taken in id order,
folds are assigned by a hash of the id, the solver has no randomness and numbers are rounded.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .conditions.learned import sentence_concepts
from .engine import prepare
from .learned import (
    CONCEPT,
    PLAIN,
    LearnedModel,
    Scoring,
    features,
    model_from_data,
    model_to_json,
    tokens,
    vectorise,
)
from .model import CheckerError, Document
from .packs import Pack
from .segment import segment
from .vocab import normalise_for_matching

FORMS = ("10-K", "20-F")  # Item 1C / 16K records; 8-K records have other elements
MIN_DF = 2
KEEP_PER_ELEMENT = 1500  # n-grams kept per element (by |weight|) when pruning
MIN_WEIGHT = 0.002
FOLDS = 5
OWN_TERMS = True  # refit each element on its own kept n-grams (see fit)
EXAMPLE_WEIGHT = 50.0  # a pack's hand-written example outweighs one corpus sentence: it is the spec
_ELLIPSIS = re.compile(r"\.\s*\.\s*\.|…|\[\s*\.\.\.\s*\]|\s\|\s")


@dataclass(frozen=True)
class TrainingSet:
    """Sentences of the training records with the elements each addresses, grouped by record."""

    elements: tuple[str, ...]
    record_ids: tuple[str, ...]
    sentences: tuple[str, ...]
    record_of: tuple[int, ...]  # sentence -> record index
    positive: tuple[frozenset[str], ...]  # sentence -> elements whose quote it carries
    labels: tuple[Mapping[str, bool], ...]  # record -> labels
    words: tuple[tuple[str, ...], ...] = ()  # sentence -> its tokens
    concepts: tuple[frozenset[str], ...] = ()  # sentence -> the pack's concepts matching in it (if used)

    def concepts_at(self, i: int) -> frozenset[str]:
        """The concepts matching in sentence i (none when training without concept features)."""
        return self.concepts[i] if self.concepts else frozenset()

    def previous(self, i: int) -> tuple[str, ...]:
        """The tokens of the sentence before i in the same record (none for a record's first)."""
        return self.words[i - 1] if i and self.record_of[i - 1] == self.record_of[i] else ()


def training_records(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """10-K / 20-F records with text, in id order (input order must not change the model)."""
    keep = [r for r in records if str(r.get("form", "")).upper().startswith(FORMS) and r.get("text")]
    return sorted(keep, key=lambda r: str(r["id"]))


def corpus_sha256(records: Sequence[dict[str, Any]]) -> str:
    """A hash of what training reads from each record: id, text, labels and evidence."""
    h = hashlib.sha256()
    for r in records:
        part = {k: r.get(k) for k in ("id", "text", "labels", "evidence")}
        h.update(json.dumps(part, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def sentence_texts(text: str) -> list[str]:
    """The sentences of a text, split as the engine splits a section."""
    norm = normalise_for_matching(text)
    return [norm[s.start:s.end] for s in segment(norm).sentences]


def quote_sentences(quote: str, sentences: Sequence[list[str]]) -> set[int]:
    """Indexes of the sentences a label quote comes from.

    Quotes may skip text ("...") and lose punctuation: each fragment is matched as a token sequence
    across the record (so it may span sentences); a fragment not found verbatim falls back to the
    sentence holding most of its words (at least 80% of them).
    """
    flat: list[str] = []
    owner: list[int] = []
    for i, words in enumerate(sentences):
        flat += words
        owner += [i] * len(words)
    joined = " " + " ".join(flat) + " "
    starts = _token_starts(flat)
    found: set[int] = set()
    for fragment in _ELLIPSIS.split(quote):
        words = tokens(fragment)
        if len(words) < 3:
            continue
        pos = joined.find(" " + " ".join(words) + " ")
        if pos >= 0:
            k = starts[pos]
            found.update(owner[k:k + len(words)])
            continue
        need = set(words)
        best, best_i = 0.0, -1
        for i, sent in enumerate(sentences):
            share = len(need & set(sent)) / len(need)
            if share > best:
                best, best_i = share, i
        if best >= 0.8 and len(need) >= 4:
            found.add(best_i)
    return found


def _token_starts(flat: Sequence[str]) -> dict[int, int]:
    """Character offset in ' '.join-with-leading-space -> token index."""
    out, pos = {}, 0
    for k, w in enumerate(flat):
        out[pos] = k
        pos += len(w) + 1
    return out


ConceptsOf = Callable[[str], list[frozenset[str]]]  # a text -> per sentence, the concepts matching in it


def pack_concepts(pack: Pack, names: Sequence[str] | None = None) -> tuple[tuple[str, ...], ConceptsOf]:
    """The pack's concepts (all its vocabularies unless named) and a function giving, per sentence of a
    text (split as `sentence_texts` splits it), those that match in it: the engine's own matching."""
    chosen = tuple(sorted(names if names is not None else pack.vocabularies))
    unknown = [c for c in chosen if c not in pack.vocabularies]
    if unknown:
        raise CheckerError(f"pack {pack.id} has no concept {unknown[0]!r}")

    def concepts_of(text: str) -> list[frozenset[str]]:
        ctx = prepare(pack, Document(text=text, source="<training>"))
        return [frozenset(c) for c in sentence_concepts(ctx, chosen)]

    return chosen, concepts_of


def build_training_set(records: Sequence[dict[str, Any]], concepts_of: ConceptsOf | None = None,
                       ) -> TrainingSet:
    elements = sorted({el for r in records for el in r["labels"]})
    sents: list[str] = []
    all_words: list[tuple[str, ...]] = []
    record_of: list[int] = []
    positive: list[frozenset[str]] = []
    concepts: list[frozenset[str]] = []
    for n, r in enumerate(records):
        texts = sentence_texts(r["text"])
        if concepts_of is not None:
            hits = concepts_of(r["text"])
            if len(hits) != len(texts):
                raise CheckerError(f"record {r['id']}: concepts for {len(hits)} sentences, not {len(texts)}")
            concepts += hits
        words = [tokens(t) for t in texts]
        pos: dict[int, set[str]] = {i: set() for i in range(len(texts))}
        for el, gold in r["labels"].items():
            quote = (r.get("evidence") or {}).get(el)
            if gold and isinstance(quote, str):
                for i in quote_sentences(quote, words):
                    pos[i].add(el)
        for i, t in enumerate(texts):
            sents.append(t)
            all_words.append(tuple(words[i]))
            record_of.append(n)
            positive.append(frozenset(pos[i]))
    return TrainingSet(tuple(elements), tuple(str(r["id"]) for r in records), tuple(sents),
                       tuple(record_of), tuple(positive), tuple(dict(r["labels"]) for r in records),
                       tuple(all_words), tuple(concepts))


def _sklearn() -> Any:
    try:
        import numpy
        import scipy.sparse
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise CheckerError("training needs scikit-learn: pip install -e '.[learn]'") from None
    return numpy, scipy.sparse, LogisticRegression


Example = tuple[str, str, bool]  # (element, text, addresses it): a pack's pass / fail example


def fit(ts: TrainingSet, rows: Sequence[int], c: float = 1.0, examples: Sequence[Example] = (),
        scoring: Scoring = PLAIN, own_terms: bool = OWN_TERMS,
        example_concepts: Sequence[frozenset[str]] = (),
        ) -> tuple[list[float], dict[str, float], dict[str, dict[int, float]]]:
    """Fit one logistic regression per element on the given sentences (and the pack's examples, each
    counted for its own element only), prune, refit on what is kept: with own_terms, each element on its
    own KEEP_PER_ELEMENT n-grams only (a sparse model: a few weights per n-gram instead of one for every
    element, so scoring a sentence costs a few multiplications per n-gram)."""
    numpy, sparse, LogisticRegression = _sklearn()
    counts = [features(ts.words[i], ts.previous(i), scoring.context, ts.concepts_at(i)) for i in rows]
    df: Counter[str] = Counter()
    for cnt in counts:
        df.update(cnt.keys())
    n = len(rows)
    idf = {g: math.log((1 + n) / (1 + d)) + 1.0 for g, d in sorted(df.items()) if d >= MIN_DF}
    counts += [features(tokens(text), (), 0.0, example_concepts[k] if example_concepts else ())
               for k, (_, text, _) in enumerate(examples)]

    def solve(vocab: dict[str, float], own: Sequence[set[str]] | None = None,
              ) -> tuple[list[str], list[float], Any]:
        terms = sorted(vocab)
        col = {g: j for j, g in enumerate(terms)}
        data, ind, ptr = [], [], [0]
        for cnt in counts:
            vec = vectorise(cnt, vocab, scoring.context, scoring.min_norm)
            for g in sorted(vec):
                ind.append(col[g])
                data.append(vec[g])
            ptr.append(len(ind))
        x = sparse.csr_matrix((numpy.array(data), numpy.array(ind), numpy.array(ptr)),
                              shape=(len(counts), len(terms)))
        bias, coefs = [], []
        for el in ts.elements:
            y = numpy.array([el in ts.positive[i] for i in rows] + [ok for _, _, ok in examples], dtype=int)
            weight = numpy.array([1.0] * n + [EXAMPLE_WEIGHT if e == el else 0.0 for e, _, _ in examples])
            if y.min() == y.max():  # no positive (or no negative) sentence: never addressed by the model
                bias.append(-10.0 if y.max() == 0 else 10.0)
                coefs.append(numpy.zeros(len(terms)))
                continue
            # liblinear's primal solver (trust-region Newton) has no randomness; balanced classes keep
            # the rare positive sentences from being drowned out
            lr = LogisticRegression(C=c, solver="liblinear", tol=1e-4, class_weight="balanced",
                                    random_state=0)
            if own is None:
                lr.fit(x, y, sample_weight=weight)
                bias.append(float(lr.intercept_[0]))
                coefs.append(lr.coef_[0])
                continue
            mine = [j for j, g in enumerate(terms) if g in own[len(bias)]]
            lr.fit(x[:, mine], y, sample_weight=weight)
            full = numpy.zeros(len(terms))
            full[mine] = lr.coef_[0]
            bias.append(float(lr.intercept_[0]))
            coefs.append(full)
        return terms, bias, coefs

    terms, _, coefs = solve(idf)
    keep: set[str] = set()
    own: list[set[str]] = []
    for w in coefs:
        order = sorted(range(len(terms)), key=lambda j: (-abs(w[j]), terms[j]))
        own.append({terms[j] for j in order[:KEEP_PER_ELEMENT] if w[j] != 0})
        keep.update(own[-1])
    idf = {g: idf[g] for g in sorted(keep)}
    terms, bias, coefs = solve(idf, own if own_terms else None)
    weights: dict[str, dict[int, float]] = {}
    for i, w in enumerate(coefs):
        for j, g in enumerate(terms):
            if abs(w[j]) >= MIN_WEIGHT:
                weights.setdefault(g, {})[i] = float(w[j])
    return bias, idf, weights


def to_model(ts: TrainingSet, bias: Sequence[float], idf: Mapping[str, float],
             weights: Mapping[str, Mapping[int, float]], thresholds: Sequence[float],
             meta: Mapping[str, Any], scoring: Scoring = PLAIN) -> tuple[str, LearnedModel]:
    """The weights file's text and the model read back from it (CV scores what ships, rounding included);
    trained with concept features, the file lists the concepts whose hits it kept."""
    if ts.concepts:
        meta = {**meta, "concepts": sorted(g[len(CONCEPT):] for g in idf if g.startswith(CONCEPT))}
    text = model_to_json(ts.elements, bias, thresholds, idf, weights, {**meta, "scoring": scoring.to_dict()})
    return text, model_from_data(json.loads(text), "<training>")


def best_scores(model: LearnedModel, ts: TrainingSet, records: Sequence[int]) -> dict[int, list[float]]:
    """Per record, the best sentence score of each element (each sentence after the one before it, as the
    checker scores a section)."""
    texts: dict[int, list[str]] = {r: [] for r in records}
    hits: dict[int, list[frozenset[str]]] = {r: [] for r in records}
    for i, text in enumerate(ts.sentences):
        if ts.record_of[i] in texts:
            texts[ts.record_of[i]].append(text)
            hits[ts.record_of[i]].append(ts.concepts_at(i))
    out = {}
    for r, sents in texts.items():
        scores = model.section_scores(sents, hits[r] if model.concepts else None)
        out[r] = [1.0 / (1.0 + math.exp(-max((s.margins[e] for s in scores), default=-50.0)))
                  for e in range(len(ts.elements))]
    return out


def fold_of(record_id: str, folds: int = FOLDS) -> int:
    return int(hashlib.sha256(record_id.encode("utf-8")).hexdigest(), 16) % folds


def out_of_fold_models(ts: TrainingSet, c: float, folds: int = FOLDS, examples: Sequence[Example] = (),
                       scoring: Scoring = PLAIN, example_concepts: Sequence[frozenset[str]] = (),
                       ) -> list[tuple[list[int], LearnedModel]]:
    """Per fold, its records and a model trained on the other folds (grouped by record)."""
    out = []
    fold = [fold_of(rid, folds) for rid in ts.record_ids]
    for k in range(folds):
        train = [i for i in range(len(ts.sentences)) if fold[ts.record_of[i]] != k]
        test = [r for r in range(len(ts.record_ids)) if fold[r] == k]
        if not test:
            continue
        bias, idf, weights = fit(ts, train, c, examples, scoring, example_concepts=example_concepts)
        _, model = to_model(ts, bias, idf, weights, [0.5] * len(ts.elements), {}, scoring)
        out.append((test, model))
    return out


def out_of_fold_scores(ts: TrainingSet, c: float, folds: int = FOLDS, examples: Sequence[Example] = (),
                       scoring: Scoring = PLAIN, example_concepts: Sequence[frozenset[str]] = (),
                       ) -> dict[int, list[float]]:
    """Each record's best sentence scores from a model trained on the other folds (grouped by record)."""
    out: dict[int, list[float]] = {}
    for test, model in out_of_fold_models(ts, c, folds, examples, scoring, example_concepts):
        out.update(best_scores(model, ts, test))
    return out


def choose_thresholds(ts: TrainingSet, oof: Mapping[int, Sequence[float]], passes: int = 3) -> list[float]:
    """Per-element thresholds that maximise the micro gap-F1 of out-of-fold scores (coordinate ascent from
    0.5; within a tie, the middle of the best run), the figure the checker is judged by."""
    grid = [round(0.01 * k, 2) for k in range(1, 100)]
    pairs = [[(oof[r][e], bool(ts.labels[r][el])) for r in sorted(oof) if el in ts.labels[r]]
             for e, el in enumerate(ts.elements)]

    def counts(e: int, t: float) -> tuple[int, int, int]:  # gaps found, false alarms, gaps missed
        found = sum(1 for s, gold in pairs[e] if s < t and not gold)
        alarms = sum(1 for s, gold in pairs[e] if s < t and gold)
        missed = sum(1 for s, gold in pairs[e] if s >= t and not gold)
        return found, alarms, missed

    chosen = [0.5] * len(ts.elements)
    for _ in range(passes):
        for e in range(len(ts.elements)):
            rest = [counts(k, chosen[k]) for k in range(len(ts.elements)) if k != e]
            tn, fn, fp = (sum(c[i] for c in rest) for i in range(3))
            scores = []
            for t in grid:
                f, a, m = counts(e, t)
                scores.append(round(2 * (tn + f) / (2 * (tn + f) + fn + a + fp + m), 6) if tn + f else 0.0)
            best = max(scores)
            run = [t for t, sc in zip(grid, scores, strict=True) if sc == best]
            chosen[e] = run[len(run) // 2]
    return chosen


def training_examples(examples: Sequence[Example], elements: Sequence[str]) -> list[Example]:
    """The examples a model of these elements trains on, in the order it trains on them."""
    return sorted(ex for ex in examples if ex[0] in elements)


def examples_digest(examples: Sequence[Example]) -> str:
    """The hash of the training examples a weights file records (`examples_sha256`)."""
    return hashlib.sha256(json.dumps(examples, ensure_ascii=False).encode("utf-8")).hexdigest()


def train(records: Sequence[dict[str, Any]], *, c: float = 1.0, folds: int = FOLDS,
          examples: Sequence[Example] = (), scoring: Scoring = PLAIN,
          progress: Callable[[str], None] = lambda s: None, concepts_of: ConceptsOf | None = None,
          ) -> tuple[str, TrainingSet, dict[int, list[float]]]:
    """Train on the records (already filtered to the training split) and a pack's examples: the weights
    file text, the training set and the out-of-fold best scores (for choosing a combination). With
    concepts_of (see `pack_concepts`), the concepts matching in a sentence are features too."""
    recs = training_records(records)
    if not recs:
        raise CheckerError("no 10-K/20-F record with text to train on")
    ts = build_training_set(recs, concepts_of)
    progress(f"{len(recs)} records, {len(ts.sentences)} sentences, "
             f"{sum(1 for p in ts.positive if p)} carrying a quote")
    examples = training_examples(examples, ts.elements)
    # an example is one row: every concept matching anywhere in it
    ex_concepts = [frozenset().union(*concepts_of(text)) for _, text, _ in examples] if concepts_of else []
    oof = out_of_fold_scores(ts, c, folds, examples, scoring, ex_concepts)
    thresholds = choose_thresholds(ts, oof)
    bias, idf, weights = fit(ts, list(range(len(ts.sentences))), c, examples, scoring,
                             example_concepts=ex_concepts)
    meta = {"corpus_sha256": corpus_sha256(recs), "trained_on": list(ts.record_ids),
            "examples": len(examples), "examples_sha256": examples_digest(examples),
            "example_weight": EXAMPLE_WEIGHT,
            "features": "word 1-2-grams (and the previous sentence's words times scoring.context"
                        + (", and <c> + each listed concept of the pack matching in the sentence"
                           if concepts_of else "") + "), sublinear tf, idf, l2 (at least scoring.min_norm)",
            "c": c, "folds": folds,
            "min_df": MIN_DF, "keep_per_element": KEEP_PER_ELEMENT}
    text, _ = to_model(ts, bias, idf, weights, thresholds, meta, scoring)
    return text, ts, oof

