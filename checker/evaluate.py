"""Score the checker against labelled records: per-element precision/recall/F1, gap-F1, disagreements."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import engine, ingest, parallel, sections
from .api import Checker
from .conditions.learned import best_scores
from .ingest import read_bytes
from .ingest.decode import decode
from .ingest.records import from_record
from .interval import LEVEL, Tally, interval
from .learned import COMBINE_MODES, combine
from .model import ADDRESSED, CheckerError, Document, Report
from .xbrl import labels_from_facts

EVIDENCE_CHARS = 240  # enough of a quote to judge a disagreement in a table


@dataclass(frozen=True)
class Prediction:
    """What the checker said about one element of one record, and the text it relied on."""

    addressed: bool
    evidence: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    score: float | None = None  # the learned model's best sentence score (eval --combinations)
    threshold: float = 0.5  # and its threshold for the element
    mode: str | None = None  # the pack's combination for the element (its own or the pack's)
    review: bool = False  # the checker marked the verdict for review (a close reading, or a review class)


@dataclass(frozen=True)
class Disagreement:
    record: str
    element: str
    kind: str  # "FP": the checker calls it addressed, the label does not; "FN": the reverse
    confidence: str
    evidence: str  # FP: the engine's evidence; FN: the label's evidence quote
    rules: tuple[str, ...] = ()
    review: bool = False  # FP: the checker marked the verdict for review

    def to_dict(self) -> dict[str, Any]:
        return {"record": self.record, "element": self.element, "kind": self.kind,
                "confidence": self.confidence, "evidence": self.evidence, "rules": list(self.rules),
                "review": self.review}


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def gap_f1(self) -> float:
        """F1 with "not addressed" as the positive class: the gaps found among the real gaps."""
        return 2 * self.tn / (2 * self.tn + self.fn + self.fp) if self.tn else 0.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn

    def to_dict(self, recall_only: bool) -> dict[str, Any]:
        d: dict[str, Any] = {"tp": self.tp, "fn": self.fn, "support": self.support,
                             "recall": round(self.recall, 4)}
        if not recall_only:
            d.update({"fp": self.fp, "tn": self.tn, "precision": round(self.precision, 4),
                      "f1": round(self.f1, 4)})
        return d


def metric(name: str) -> Callable[[Tally], float]:
    """A score of Counts by its name ("gap_f1", "f1", "recall"), read from a (tp, fp, fn, tn) tally."""
    return lambda t: getattr(Counts(*t), name)


@dataclass
class Evaluation:
    corpus: str
    records: int
    elements: dict[str, Counts]
    disagreements: list[Disagreement]
    recall_only: bool = False
    high_only: bool = False
    skipped_low: int = 0
    thresholds: dict[str, float] = field(default_factory=dict)
    tallies: list[Tally] = field(default_factory=list)  # per record: (tp, fp, fn, tn) over its elements
    resamples: int = 0  # bootstrap resamples behind `intervals` (0: none computed)
    marked: int = 0  # verdicts scored as addressed that the checker marked for review
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def micro(self) -> Counts:
        total = Counts()
        for c in self.elements.values():
            total.add(c)
        return total

    def element_score(self, c: Counts) -> float:
        return c.recall if self.recall_only else c.f1

    @property
    def macro(self) -> float:
        scores = [self.element_score(c) for c in self.elements.values()]
        return sum(scores) / len(scores) if scores else 0.0

    @property
    def headline(self) -> dict[str, float]:
        m = self.micro
        if self.recall_only:
            return {"recall": m.recall, "macro_recall": self.macro, "min_element": self.min_element}
        return {"micro_f1": m.f1, "gap_f1": m.gap_f1, "macro_f1": self.macro, "min_element": self.min_element}

    def bootstrap(self, resamples: int, seed: int = 0) -> None:
        """Set the interval of each pooled headline score (micro-F1 and gap-F1, or recall) over `resamples`
        resamples of the records: how far the score could move on another draw of filings like these."""
        names = {"recall": "recall"} if self.recall_only else {"micro_f1": "f1", "gap_f1": "gap_f1"}
        self.resamples = resamples
        self.intervals = {k: interval(self.tallies, metric(n), resamples, seed) for k, n in names.items()}

    @property
    def on_low_confidence(self) -> dict[str, int]:
        """The disagreements on labels the labeller marked low-confidence (judgment calls), by kind: a
        reader tells errors on clear labels from errors where the labeller hesitated."""
        low = [d.kind for d in self.disagreements if d.confidence == "low"]
        return {"gaps_missed": low.count("FP"), "false_alarms": low.count("FN")}

    @property
    def on_review(self) -> dict[str, int]:
        """The verdicts the checker marked for review, and how many of them the labels call gaps: how well the
        marks point a reader at the gaps reported met."""
        return {"marked": self.marked, "gaps_missed": sum(1 for d in self.disagreements if d.review)}

    @property
    def min_element(self) -> float:
        scores = [self.element_score(c) for c in self.elements.values()]
        return min(scores) if scores else 0.0

    def failures(self) -> list[str]:
        """Each threshold missed, as a sentence."""
        out = []
        head = self.headline
        names = {"min_micro_f1": "micro_f1", "min_gap_f1": "gap_f1", "min_recall": "recall",
                 "min_element_f1": "min_element"}
        for option, floor in sorted(self.thresholds.items()):
            key = names[option]
            if key not in head:
                raise CheckerError(f"--{option.replace('_', '-')} does not apply with --recall-only"
                                   if self.recall_only else
                                   f"--{option.replace('_', '-')} applies only with --recall-only")
            if head[key] < floor:
                out.append(f"{key} {head[key]:.3f} is below {floor:.3f}")
        return out

    def to_dict(self) -> dict[str, Any]:
        m = self.micro
        return {
            "corpus": self.corpus,
            "records": self.records,
            "mode": "recall-only" if self.recall_only else "full",
            "high_only": self.high_only,
            "skipped_low_confidence": self.skipped_low,
            "elements": {el: c.to_dict(self.recall_only) for el, c in sorted(self.elements.items())},
            "micro": m.to_dict(self.recall_only),
            "macro": round(self.macro, 4),
            **({} if self.recall_only else {"gap": {"f1": round(m.gap_f1, 4), "found": m.tn,
                                                    "gaps": m.tn + m.fp, "false_alarms": m.fn,
                                                    "on_low_confidence": self.on_low_confidence,
                                                    "on_review": self.on_review}}),
            "headline": {k: round(v, 4) for k, v in self.headline.items()},
            **({"intervals": {"resamples": self.resamples, "level": LEVEL,
                              **{k: [round(lo, 4), round(hi, 4)] for k, (lo, hi) in self.intervals.items()}}}
               if self.intervals else {}),
            "thresholds": dict(sorted(self.thresholds.items())),
            "failures": self.failures(),
            "disagreements": [d.to_dict() for d in self.disagreements],
        }


# ---------------------------------------------------------------- reading the corpus


def load_records(path: str) -> list[dict[str, Any]]:
    """Labelled records from a folder of .json files or one .jsonl file, in a stable order."""
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.iterdir() if f.suffix == ".json")
        records = [_parse(decode(read_bytes(str(f)), str(f)), str(f)) for f in files]
    elif p.suffix in (".jsonl", ".ndjson"):
        source = str(p)
        text = decode(read_bytes(source, max_bytes=2 * 1024**3), source)
        records = [_parse(line, source, n) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    elif p.exists():
        records = [_parse(decode(read_bytes(path), path), path)]
    else:
        raise CheckerError("no such file or folder", file=path)
    records = [r for r in records if r.get("labels")]
    if not records:
        raise CheckerError("no labelled records (objects with a 'labels' mapping)", file=path)
    for n, r in enumerate(records):
        _check_record(r, n, path)
        r.setdefault("id", f"record-{n + 1}")
    return records


def _check_record(record: dict[str, Any], n: int, path: str) -> None:
    """Labels are booleans ("false" is a true string); confidence and evidence map elements to text."""
    name = f"record {record.get('id', n + 1)}"
    where = record.get("_source", path)
    labels = record["labels"]
    if not isinstance(labels, dict):
        raise CheckerError(f"{name}: 'labels' must be a mapping of element to true/false", file=where)
    for element, value in labels.items():
        if not isinstance(value, bool):
            raise CheckerError(f"{name}: label '{element}' must be true or false, not {json.dumps(value)}",
                               file=where)
    for key in ("confidence", "evidence"):
        value = record.get(key)
        if value is not None and not (isinstance(value, dict)
                                      and all(isinstance(v, str) for v in value.values())):
            raise CheckerError(f"{name}: '{key}' must be a mapping of element to text", file=where)
def label_records(path: str) -> list[dict[str, Any]]:
    """Label records from the cyd tags of real filings: a folder of inline XBRL filings (.htm/.html),
    or a .jsonl of records already built from tags (corpus/filer-tagged-*.jsonl), read as it is."""
    folder = Path(path)
    if not folder.is_dir():
        return load_records(path)
    records = []
    for file in sorted(p for p in folder.iterdir() if p.suffix.lower() in (".htm", ".html")):
        for doc in ingest.load(str(file)):
            section = sections.locate(doc, sections.FORM_ITEMS.get((doc.form or "").upper()))
            doc = replace(doc, section=section, item=doc.item or section.item)
            record = labels_from_facts(doc)
            if record is not None:
                record["_source"] = str(file)
                records.append(record)
    if not records:
        raise CheckerError("no filing with cyd: inline XBRL facts in this folder", file=path)
    return records


def _parse(text: str, source: str, line: int | None = None) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CheckerError(f"invalid JSON: {exc.msg}", file=source, line=line or exc.lineno) from None
    if not isinstance(data, dict):
        raise CheckerError("a labelled record must be a JSON object", file=source, line=line)
    data.setdefault("_source", source if line is None else f"{source}:{line}")
    return data


# ---------------------------------------------------------------- predicting


def predictions_of(report: Report) -> dict[str, Prediction]:
    """Per element: addressed when any of its rules is met or partial (as the labels define it)."""
    out: dict[str, Prediction] = {}
    for r in report.results:
        if not r.element:
            continue
        prev = out.get(r.element, Prediction(False))
        if r.status in ADDRESSED:
            quotes = tuple(" ".join(e.text.split()) for e in r.evidence)
            prev = Prediction(True, prev.evidence + quotes, prev.rules + (r.rule,),
                              review=prev.review or bool(r.review))
        out[r.element] = prev
    return out


def predict(records: Sequence[dict[str, Any]], pack: str = "auto", jobs: int = 1,
            rules_dirs: Sequence[str] = (), scores: bool = False) -> list[dict[str, Prediction]]:
    """Run the checker on each record (its text, form and item), in parallel when jobs > 1.

    With scores, the rules run alone and each prediction also carries the learned model's best score,
    so every combination can be computed from one run (`combinations`)."""
    checker = Checker(extra_dirs=[Path(d) for d in rules_dirs], combine="rules" if scores else None)
    pack_ref: str | Path = Path(pack) if pack.endswith((".yaml", ".yml")) else pack
    return parallel.map_ordered(_predict_one, list(records), (checker, pack_ref, scores), jobs)


def document_of(record: dict[str, Any]) -> Document:
    """A labelled record (from load_records) as the document a check reads: its text, form and item."""
    return from_record({k: v for k, v in record.items() if k != "labels"}, record["_source"])


def _predict_one(state: tuple[Checker, str | Path, bool], record: dict[str, Any]) -> dict[str, Prediction]:
    checker, pack_ref, scores = state
    doc = document_of(record)
    report = checker.check_document(doc, pack_ref)
    preds = predictions_of(report)
    if scores:
        compiled = checker.pack(pack_ref if str(pack_ref) != "auto" else report.pack_id)
        if compiled.learned is not None:
            model = compiled.learned.model
            for el, s in best_scores(engine.prepare(compiled, report.document)).items():
                if el in preds:
                    preds[el] = replace(preds[el], score=s, threshold=model.threshold(el),
                                        mode=compiled.learned.mode(el))
    return preds


def combinations(records: Sequence[dict[str, Any]], predictions: Sequence[dict[str, Prediction]],
                 **kwargs: Any) -> dict[str, Evaluation]:
    """Score every way of combining the rules' verdicts with the model's (predictions made with scores),
    and, when the predictions carry the pack's own combination per element, that choice as "pack"."""
    out = {mode: score(records, combined_predictions(predictions, mode), **kwargs) for mode in COMBINE_MODES}
    if any(p.mode for preds in predictions for p in preds.values()):
        out["pack"] = score(records, combined_predictions(predictions), **kwargs)
    return out


def combined_predictions(predictions: Sequence[dict[str, Prediction]], mode: str | None = None,
                         by_element: Mapping[str, str] | None = None) -> list[dict[str, Prediction]]:
    """Each element's verdict under a combination: mode for every element (by_element's for those it
    names), or each prediction's own mode when mode is None. An element the model does not know is the
    rules' alone, as the engine treats it."""
    by_element = by_element or {}
    return [{el: p if p.score is None else
             replace(p, addressed=combine(by_element.get(el) or mode or p.mode or "rules", p.addressed,
                                          p.score >= p.threshold))
             for el, p in preds.items()} for preds in predictions]


def render_combinations(evs: Mapping[str, Evaluation]) -> str:
    """Per element F1 under each combination, side by side, then micro-F1, gap-F1 and the error counts."""
    modes = list(evs)
    first = evs[modes[0]]
    lines = [f"{first.corpus}: {first.records} records; F1 per element under each combination",
             f"{'element':<24} " + " ".join(f"{m:>18}" for m in modes)]
    for el in sorted(first.elements):
        lines.append(f"{el:<24} " + " ".join(f"{evs[m].elements[el].f1:>18.3f}" for m in modes))
    lines.append(f"{'micro':<24} " + " ".join(f"{evs[m].micro.f1:>18.3f}" for m in modes))
    lines.append(f"{'gap-F1':<24} " + " ".join(f"{evs[m].micro.gap_f1:>18.3f}" for m in modes))
    lines.append(f"{'false alarms':<24} " + " ".join(f"{evs[m].micro.fn:>18}" for m in modes))
    lines.append(f"{'gaps missed':<24} " + " ".join(f"{evs[m].micro.fp:>18}" for m in modes))
    lines.append("(either, rules_then_learned and learned_then_rules give the same verdicts; they differ in "
                 "the evidence shown"
                 + ("; pack: the pack's combination per element)" if "pack" in evs else ")"))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- scoring (pure)


def score(records: Iterable[dict[str, Any]], predictions: Iterable[dict[str, Prediction]], *,
          corpus: str = "", high_only: bool = False, recall_only: bool = False) -> Evaluation:
    """Compare predictions with labels. With recall_only, only positive labels are scored."""
    elements: dict[str, Counts] = {}
    disagreements: list[Disagreement] = []
    tallies: list[Tally] = []
    n = skipped = marked = 0
    for record, preds in zip(records, predictions, strict=True):
        n += 1
        mine = Counts()
        confidence = record.get("confidence") or {}
        evidence = record.get("evidence") or {}
        for el, gold in sorted(record["labels"].items()):
            conf = str(confidence.get(el, "high"))
            if high_only and conf == "low":
                skipped += 1
                continue
            if recall_only and not gold:
                continue
            pred = preds.get(el, Prediction(False))
            kind = ("tp" if pred.addressed else "fn") if gold else ("fp" if pred.addressed else "tn")
            marked += pred.review and pred.addressed
            for c in (elements.setdefault(el, Counts()), mine):
                setattr(c, kind, getattr(c, kind) + 1)
            if kind == "fn":
                disagreements.append(Disagreement(str(record["id"]), el, "FN", conf,
                                                  _clip(str(evidence.get(el, "")))))
            elif kind == "fp":
                disagreements.append(Disagreement(str(record["id"]), el, "FP", conf,
                                                  _clip(" | ".join(pred.evidence)), pred.rules, pred.review))
        tallies.append((mine.tp, mine.fp, mine.fn, mine.tn))
    return Evaluation(corpus, n, elements, disagreements, recall_only, high_only, skipped, tallies=tallies,
                      marked=marked)


Cell = tuple[str, bool, str]  # a label's element, value and confidence


def label_cells(records: Iterable[dict[str, Any]]) -> Counter[Cell]:
    """How many labels of each (element, value, confidence) the records hold: a part's composition."""
    return Counter((el, bool(gold), str((r.get("confidence") or {}).get(el, "high")))
                   for r in records for el, gold in r["labels"].items())


def at_composition(ev: Evaluation, own: Mapping[Cell, int], other: Mapping[Cell, int],
                   ) -> tuple[float, float, float]:
    """Expected gaps missed, false alarms and gap-F1 of another part whose labels (composition `other`) the
    checker got wrong as often, cell by cell, as it got ev's (composition `own`). A cell ev's records do not
    hold takes the error rate of ev's labels of the same value and confidence."""
    errors = Counter((d.element, d.kind == "FN", d.confidence) for d in ev.disagreements)
    pooled_errors, pooled = Counter[tuple[bool, str]](), Counter[tuple[bool, str]]()
    for cell, n in own.items():
        pooled[cell[1:]] += n
        pooled_errors[cell[1:]] += errors[cell]
    missed = alarms = 0.0
    for cell, n in other.items():
        rate = (errors[cell] / own[cell] if own.get(cell)
                else pooled_errors[cell[1:]] / pooled[cell[1:]] if pooled[cell[1:]] else 0.0)
        if cell[1]:
            alarms += n * rate
        else:
            missed += n * rate
    found = sum(n for cell, n in other.items() if not cell[1]) - missed
    return missed, alarms, 2 * found / (2 * found + missed + alarms) if found > 0 else 0.0


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EVIDENCE_CHARS else text[: EVIDENCE_CHARS - 1] + "…"


def read_ids(path: str) -> set[str]:
    """Record ids listed in a file, one a line; blank lines and '#' comments are skipped."""
    text = decode(read_bytes(path), path)
    return {line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")}


def select_records(records: list[dict[str, Any]], ids: set[str] | None = None,
                   exclude: set[str] | None = None) -> list[dict[str, Any]]:
    """The records whose id is in ``ids`` (all when None) and not in ``exclude``."""
    return [r for r in records
            if (ids is None or str(r.get("id")) in ids) and not (exclude and str(r.get("id")) in exclude)]


def evaluate(corpus: str | Sequence[str], *, pack: str = "auto", high_only: bool = False,
             recall_only: bool = False, jobs: int = 1, rules_dirs: Sequence[str] = (),
             ids: set[str] | None = None, exclude: set[str] | None = None) -> Evaluation:
    """Score the checker on one or more corpora, optionally narrowed to (or away from) a set of ids."""
    corpora = [corpus] if isinstance(corpus, str) else list(corpus)
    records = [r for c in corpora for r in load_records(c)]
    records = select_records(records, ids, exclude)
    if not records:
        raise CheckerError("no labelled record is left after --ids/--exclude-ids", file=corpora[0])
    return score(records, predict(records, pack, jobs, rules_dirs), corpus=" + ".join(corpora),
                 high_only=high_only, recall_only=recall_only)


# ---------------------------------------------------------------- rendering


def render_table(ev: Evaluation, disagreements: bool = True) -> str:
    lines = [f"{ev.corpus}: {ev.records} records" + (f", {ev.skipped_low} low-confidence labels skipped"
                                                     if ev.high_only else "")]
    if ev.recall_only:
        lines.append(f"{'element':<24} {'recall':>7} {'support':>8} {'tp':>6} {'fn':>5}")
        for el, c in sorted(ev.elements.items()):
            lines.append(f"{el:<24} {c.recall:>7.3f} {c.support:>8} {c.tp:>6} {c.fn:>5}")
        m = ev.micro
        lines.append(f"{'micro':<24} {m.recall:>7.3f} {m.support:>8} {m.tp:>6} {m.fn:>5}")
        lines.append(f"{'macro':<24} {ev.macro:>7.3f}")
    else:
        lines.append(f"{'element':<24} {'P':>6} {'R':>6} {'F1':>6} {'support':>8} "
                     f"{'tp':>5} {'fp':>4} {'fn':>4} {'tn':>4}")
        for el, c in sorted(ev.elements.items()):
            lines.append(_row(el, c))
        m = ev.micro
        lines.append(_row("micro", m))
        lines.append(f"{'macro':<24} {'':>6} {'':>6} {ev.macro:>6.3f}")
        lines.append(f"gap-F1 {m.gap_f1:.3f}: found {m.tn} of {m.tn + m.fp} gaps, {m.fn} false alarms")
        low = ev.on_low_confidence
        if any(low.values()):
            lines.append(f"on low-confidence labels: {low['gaps_missed']} of the {m.fp} gaps missed, "
                         f"{low['false_alarms']} of the {m.fn} false alarms")
        if ev.marked:
            lines.append(f"marked for review: {ev.marked} verdicts, {ev.on_review['gaps_missed']} of them "
                         f"among the {m.fp} gaps missed")
    head = ev.headline
    lines.append("  ".join(f"{k.replace('_', '-')} {v:.3f}" for k, v in head.items()))
    if ev.intervals:
        spans = [f"{k.replace('_', '-')} {lo:.3f} to {hi:.3f}" for k, (lo, hi) in ev.intervals.items()]
        lines.append(f"{LEVEL:.0%} interval over {ev.resamples:,} resamples of the {ev.records} records: "
                     + ", ".join(spans))
    for f in ev.failures():
        lines.append(f"THRESHOLD MISSED: {f}")
    if disagreements and ev.disagreements:
        lines.append("")
        lines.append(f"disagreements ({len(ev.disagreements)}): FP = checker says addressed, label says not "
                     "(engine evidence); FN = the reverse (label evidence)")
        for d in ev.disagreements:
            rules = f" [{', '.join(d.rules)}]" if d.rules else ""
            low = " (low confidence)" if d.confidence == "low" else ""
            marked = " (marked for review)" if d.review else ""
            lines.append(f"{d.kind} {d.record} {d.element}{low}{marked}{rules}: {d.evidence or '-'}")
    return "\n".join(lines) + "\n"


def _row(name: str, c: Counts) -> str:
    return (f"{name:<24} {c.precision:>6.3f} {c.recall:>6.3f} {c.f1:>6.3f} {c.support:>8} {c.tp:>5} "
            f"{c.fp:>4} {c.fn:>4} {c.tn:>4}")


def render_json(ev: Evaluation) -> str:
    return json.dumps(ev.to_dict(), indent=2, ensure_ascii=False) + "\n"
