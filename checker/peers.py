"""Building the peer examples: real sentences from filer-tagged filings that address each element."""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import engine, parallel
from .api import Checker
from .ingest.records import parse_json
from .model import ADDRESSED, CheckerError, Document, Section
from .output import write_atomic
from .packs import Pack
from .peer_examples import DATA_FILE, FORMAT, Example, division, size_band

PACK = "sk-106"
MIN_WORDS, MAX_WORDS = 15, 70
PER_GROUP = 5  # examples kept per element, industry and size
NEAR_DUPLICATE = 0.5  # word-trigram Jaccard similarity above which a sentence repeats a kept one
# An example is shown as how to say it: the learned model must read it alone as more likely than not to
# address the element, not merely above the element's threshold (0.16-0.34), which is tuned to find a
# section's best sentence, not to pick a clear one.
MIN_MODEL_SCORE = 0.5
# A sentence that sends the reader elsewhere is not an example of saying it.
CROSS_REFERENCE = re.compile(r"\b(see|refer to|discussed (in|under)|described (in|under)|"
                             r"set forth (in|under)|incorporated (herein )?by reference)\b[^.]{0,80}"
                             r"\b(Item|Part|Risk Factors|section|proxy statement)", re.I)
# Text the filer's tagged copy damaged reads badly as a model: a word split by a space ("no t materially",
# "o ur", "program s ,"): a lone lower-case letter other than "a", outside "(i)" and "system(s)".
SPLIT_WORD = re.compile(r"(?<![\w&'’.(-])(?!a\b)[b-z](?![\w'’.)-])")
_GENERIC_NAME_WORDS = frozenset("""inc incorporated corp corporation co company companies group holdings
holding ltd limited plc llc lp trust the and of de sa nv ag se international global industries financial
bancorp bank bancshares capital partners technologies technology systems services energy resources""".split())


# ---------------------------------------------------------------- building


def _section_document(text: str, form: str | None, item: str | None) -> Document:
    doc = Document(text=text, source="<peer>", form=form, item=item)
    doc.section = Section(0, len(text), method="record")
    return doc


def _name_words(text: str) -> set[str]:
    # words of three letters or more, lower-cased, possessives cut ("Acme's" is "acme")
    return {re.sub(r"['’]s$", "", w.lower()) for w in re.findall(r"[A-Za-z][A-Za-z&'’-]{2,}", text)}


def usable(sentence: str, pack: Pack, company: str = "") -> bool:
    """Length, no hedge, no cross-reference, no damaged text, no name of the filer the reader would have to
    strip."""
    words = sentence.split()
    if not MIN_WORDS <= len(words) <= MAX_WORDS or SPLIT_WORD.search(sentence):
        return False
    hedge = pack.vocabularies.get("hedge")
    if hedge is not None and hedge.find(sentence):
        return False
    if CROSS_REFERENCE.search(sentence):
        return False
    names = _name_words(company) - _GENERIC_NAME_WORDS
    # the corpus lost some apostrophes: "Ultrapars" is "Ultrapar's"
    return not (names | {n + "s" for n in names}) & _name_words(sentence)


def rules_only(pack: Pack) -> Pack:
    """The pack without its learned weights: an example must be one our rules accept by themselves."""
    return replace(pack, learned=None)


def model_agrees(sentence: str, element: str, pack: Pack) -> bool:
    """The pack's learned model, when it has one that knows the element, also reads this sentence alone
    as addressing it, at MIN_MODEL_SCORE or the element's threshold if higher: a second reader, so that a
    sentence the rules accept on a word of the element (a vendor-risk programme, or a list of risk areas
    naming privacy laws, under ERM integration) is not shown as how peers say it."""
    model = pack.learned.model if pack.learned is not None else None
    if model is None or not model.knows(element):
        return True
    return model.score_text(element, sentence).score >= max(MIN_MODEL_SCORE, model.threshold(element))


def accepted_alone(sentence: str, rule_id: str, pack: Pack, form: str | None = None) -> bool:
    """Our own rule (without the learned weights), given only this sentence as the section, finds the
    element met, every part of it (a one-prong material-effect sentence is partial alone: not a model of
    how to say it), and the learned model agrees."""
    first = pack.applies_to[0] if pack.applies_to else {}
    doc = _section_document(sentence, form or first.get("form"), first.get("item"))
    rule = pack.rule(rule_id)
    plain = rules_only(pack)
    return (engine.evaluate_rule(rule, engine.prepare(plain, doc)).status == "met"
            and model_agrees(sentence, rule.element or "", pack))


def record_candidates(record: dict[str, Any], pack: Pack) -> list[Example]:
    """The usable evidence sentences of one filer-tagged record (not yet checked alone: `select` does that
    only for the sentences it would keep)."""
    text = record.get("text") or ""
    doc = _section_document(text, record.get("form"), record.get("item"))
    report = engine.evaluate(rules_only(pack), doc)  # the rules' own evidence, not the model's
    labels = record.get("labels") or {}
    source = record.get("source") or {}
    out: list[Example] = []
    seen: set[tuple[str, str]] = set()  # (rule, sentence): one sentence may answer two elements
    for result in report.results:
        if not result.element or not labels.get(result.element) or result.status not in ADDRESSED:
            continue  # the filer must have tagged the element, and our rule must find it
        for e in result.evidence:
            sentence = " ".join(html.unescape(e.text).split())  # "R&amp;D" left in some tagged copies
            if (result.rule, sentence) in seen or not usable(sentence, pack, record.get("company", "")):
                continue
            seen.add((result.rule, sentence))
            out.append(Example(result.element, result.rule, sentence, record.get("company", ""),
                                   record.get("form", ""), record.get("fiscal_year"),
                                   source.get("accession", ""), division(record.get("sic")),
                                   size_band(record.get("pubfloatusd"))))
    return out


def _candidates_of(state: tuple[Checker, str], record: dict[str, Any]) -> list[Example]:
    checker, pack_ref = state
    return record_candidates(record, checker.pack(pack_ref))


def read_corpus(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if line.strip():
                record = parse_json(line, str(path), number)
                if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                    raise CheckerError("each line must be a record with a 'text' field",
                                       file=str(path), line=number)
                yield record


def _shingles(text: str) -> frozenset[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return frozenset(zip(words, words[1:], words[2:], strict=False))


def select(candidates: Iterable[Example], pack: Pack, per_group: int = PER_GROUP) -> list[Example]:
    """Per element, industry and size, the `per_group` examples nearest 35 words that our rule accepts
    on their own, near duplicates dropped."""
    ordered = sorted(candidates, key=lambda x: (x.element, x.industry or "~", x.size or "~",
                                                abs(len(x.text.split()) - 35), x.text, x.accession))
    kept: list[Example] = []
    by_element: dict[str, list[frozenset]] = {}
    counts: dict[tuple, int] = {}
    for x in ordered:
        group = (x.element, x.industry, x.size)
        if counts.get(group, 0) >= per_group:
            continue
        shingles = _shingles(x.text)
        previous = by_element.setdefault(x.element, [])
        if any(len(shingles & s) / max(1, len(shingles | s)) > NEAR_DUPLICATE for s in previous):
            continue
        if not accepted_alone(x.text, x.rule, pack, x.form):
            continue
        previous.append(shingles)
        counts[group] = counts.get(group, 0) + 1
        kept.append(x)
    return kept


def build_date(records: Sequence[dict[str, Any]], env: dict[str, str] | None = None) -> str:
    """SOURCE_DATE_EPOCH when set, else the corpus's latest filing date: the same corpus, the same file."""
    env = os.environ if env is None else env
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date().isoformat()
    return max((str(r.get("filed") or "") for r in records), default="")


def tag_stats(records: Iterable[dict[str, Any]]) -> dict[str, dict[str, list[int]]]:
    """Per "industry/size" group and element: [filers whose own tags (labels) mark the element, filers
    labelled for it]. The filers' word, not our rules', whose recall is below 1."""
    stats: dict[str, dict[str, list[int]]] = {}
    for record in records:
        labels = record.get("labels")
        if not isinstance(labels, dict):
            continue
        key = f"{division(record.get('sic')) or '-'}/{size_band(record.get('pubfloatusd')) or '-'}"
        row = stats.setdefault(key, {})
        for element, tagged in labels.items():
            if isinstance(tagged, bool):
                counts = row.setdefault(element, [0, 0])
                counts[0] += int(tagged)
                counts[1] += 1
    return {k: {e: stats[k][e] for e in sorted(stats[k])} for k in sorted(stats) if stats[k]}


def build(corpus: Path, pack_ref: str = PACK, jobs: int = 1) -> dict[str, Any]:
    """Read the corpus, check every record, choose the examples and count who tags what."""
    records = list(read_corpus(corpus))
    checker = Checker()
    outcomes = parallel.map_ordered(_candidates_of, records, (checker, pack_ref), jobs)
    pack = checker.pack(pack_ref)
    examples = select((x for found in outcomes for x in found), pack)
    return {
        "format": FORMAT,
        "built": build_date(records),
        "corpus": {"name": corpus.name, "sha256": hashlib.sha256(corpus.read_bytes()).hexdigest(),
                   "records": len(records)},
        "pack": {"id": pack.id, "version": pack.version},
        "examples": [asdict(x) for x in examples],
        "stats": tag_stats(records),
        "stats_count": "filers whose own cyd tags (the corpus labels) mark the element",
    }


def save(data: dict[str, Any], path: Path = DATA_FILE) -> None:
    """Gzipped JSON with sorted keys and no timestamp in the gzip header: byte-for-byte reproducible."""
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    write_atomic(path, gzip.compress(raw, compresslevel=9, mtime=0))
