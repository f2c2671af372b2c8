"""Evaluate a compiled pack against a document: one result per rule, with evidence."""

from __future__ import annotations

import bisect
from dataclasses import replace

from . import placeholders, prefilter
from .conditions import Context, Hit, Outcome
from .conditions.learned import best_sentence
from .model import ADDRESSED, SEVERITIES, CheckerError, Document, Evidence, Match, Report, Result
from .packs import Group, Pack, Rule, model_decides
from .segment import segment
from .vocab import (
    DocumentMatches,
    DocumentVocabularies,
    PatternTimeout,
    document_budget,
    normalise_for_matching,
)

MAX_EVIDENCE = 5  # evidence sentences kept per rule: enough to review, short enough to read
# The rules keep about 1.2 kB per sentence while they run: an Item 1C, 16K or 1.05 section holds tens to
# hundreds of sentences (a whole 10-K read as one, thousands), but 45 MB of one-letter paragraphs hold 15
# million, which would take 18 GB. A section past this is refused before any rule runs.
MAX_SECTION_SENTENCES = 50_000


def prepare(pack: Pack, document: Document) -> Context:
    start, end = document.span
    # A note to the draft ("[Note to draft: confirm ...]") is no disclosure: the rules never read it.
    text = placeholders.masked(normalise_for_matching(document.text), start, end)
    # One match cache and one time budget for every pattern the document's rules run.
    scan = pack.scanner.ready().scan if pack.scanner is not None and prefilter.available() else None
    units = segment(text, start, end)
    if len(units.sentences) > MAX_SECTION_SENTENCES:
        raise CheckerError(f"the section holds {len(units.sentences):,} sentences (the limit is "
                           f"{MAX_SECTION_SENTENCES:,}): no disclosure is that long; check the section alone",
                           file=document.source)
    matches = DocumentMatches(document_budget(pack.timeout, end - start), scan)
    vocabularies = DocumentVocabularies(pack.vocabularies, matches)
    return Context(document, text, units, vocabularies,
                   learned=pack.learned.model if pack.learned else None, gates=pack.learned)


def evaluate(pack: Pack, document: Document, reason: str = "") -> Report:
    ctx = prepare(pack, document)
    spec = pack.learned
    results = [evaluate_rule(rule, ctx, spec.rule_mode(rule.id, rule.element) if spec else "rules")
               for rule in pack.rules]
    if spec is not None and spec.reviews:
        results = [_marked(result, ctx, spec.reviews.get(result.element or "", ()) if spec.covers(result.rule)
                           else ()) for result in results]
    for group in pack.groups:
        results = _grouped(results, group)
    return Report(document, pack.id, pack.version, pack.title, results, reason, pack_sha256=pack.digest)


def _grouped(results: list[Result], group: Group) -> list[Result]:
    """Where none of a group's rules is addressed (each finished, none met or partly met), each of their gaps
    takes the group's severity (never a lower one) and its message after its own; else the results as they
    are."""
    mine = [r for r in results if r.rule in group.rules]
    if not mine or any(r.error or r.status != "missing" for r in mine):
        return results
    return [replace(r, severity=min(r.severity, group.severity, key=SEVERITIES.index),  # the graver
                    message=f"{r.message} {group.message}") if r.rule in group.rules else r for r in results]


def _marked(result: Result, ctx: Context, marks: tuple[tuple[str, tuple[str, ...], str], ...]) -> Result:
    """A met verdict whose every quoted sentence holds one of the element's review classes (a concept, none of
    its unless concepts) is marked for review with the first such class's reason; the verdict stands. A
    verdict already marked keeps its mark, and a concept that ran out of time marks nothing."""
    if not marks or result.review or result.status not in ADDRESSED or not result.evidence:
        return result
    starts = ctx.unit_starts("sentence")
    why = ""
    try:
        for e in result.evidence:
            k = bisect.bisect_right(starts, e.start) - 1
            held = k >= 0 and next((w for concept, unless, w in marks if ctx.holds(concept, "sentence", k)
                                    and not any(ctx.holds(c, "sentence", k) for c in unless)), "")
            if not held:
                return result
            why = why or held
    except PatternTimeout:
        return result
    result.review = f"{why}: read it before relying on it"
    return result


def _evidence(ctx: Context, groups: list[tuple[tuple[Hit, ...], str | None]],
              skip: set[tuple[int, int]] | None = None) -> list[Evidence]:
    """The evidence kept for these hits: one item per span (spans in skip left out), quoting the user's
    text, a span found for several parts naming them all; at most MAX_EVIDENCE, with their line numbers.
    Items, and their matches in the user's characters, are built for the kept spans only."""
    spans: dict[tuple[int, int], list] = {}  # span -> [matches (normalised text), part, hit]
    for hits, part in groups:
        for h in hits:
            key = (h.start, h.end)
            prev = spans.get(key)
            if prev is None:
                spans[key] = [h.matches, part, h]
            else:
                prev[0] = _union(prev[0], h.matches)
                prev[1] = _join_parts(prev[1], part)
    keys = sorted(k for k in spans if not skip or k not in skip)
    if len(keys) > MAX_EVIDENCE:
        # Keep the evidence with the most matched terms, then restore document order.
        best = sorted(keys, key=lambda k: (-len(spans[k][0]), k[0]))[:MAX_EVIDENCE]
        keys = sorted(best, key=lambda k: k[0])  # stable: spans that start together keep that order
    doc = ctx.document
    text = doc.text
    same = text == ctx.text  # nothing was normalised: the matches already quote the user's characters
    out = []
    for key in keys:
        matches, part, h = spans[key]
        # Matches were found in the normalised text: quote the user's own characters.
        quoted = matches if same else tuple(Match(m.concept, m.start, m.end, text[m.start:m.end])
                                            for m in matches)
        if h.score is not None:  # a learned condition's sentence: say so, with its score and terms
            out.append(Evidence(text[key[0]:key[1]], key[0], key[1], doc.line_of(key[0]), quoted, part,
                                source="learned", score=h.score, terms=h.terms))
        else:
            out.append(Evidence(text[key[0]:key[1]], key[0], key[1], doc.line_of(key[0]), quoted, part))
    return out


def _join_parts(a: str | None, b: str | None) -> str | None:
    if not a or not b or b in a.split(", "):
        return a or b
    return f"{a}, {b}"


def evaluate_rule(rule: Rule, ctx: Context, combine: str = "rules") -> Result:
    """A rule's result; with a learned model and a combination other than "rules", the model's verdict on
    the rule's element is combined with the rules' (a tripped fail_if is a veto the model cannot lift).

    Under "learned", a rule with one match and no partial has its verdict from the model alone whatever
    its match gives (met or missing, the model's sentence as evidence), so the match is not evaluated.
    Under "learned_then_rules" (the verdicts of "either") the match is evaluated only where the model finds
    nothing."""
    model = ctx.learned
    known = model is not None and model.knows(rule.element)
    decides = model_decides(rule, combine, known)
    first = combine == "learned_then_rules" and known  # the model first, the rules where it finds nothing
    result = _evaluate_rules(rule, ctx, match=not (decides or first))
    if combine == "rules" or not rule.element or result.error or result.status == "not_applicable":
        return result
    if combine == "rules_then_learned" and result.status in ADDRESSED:
        return result  # the model is asked only about what the rules call missing
    if combine == "both" and result.status not in ADDRESSED:
        return result  # missing by the rules is missing under "both": the model is not asked
    if result.status == "missing" and result.evidence:
        return result  # fail_if tripped: its sentences are the evidence
    if not known:
        return result
    try:
        hit = best_sentence(ctx, rule.element)
    except PatternTimeout as exc:  # a concept the model's gates read ran out of time: fail loudly
        result.error = str(exc)
        return _judged(result, "missing", [])
    if first:
        if hit is not None:
            return _met_by_model(result, ctx, hit)
        # still "missing" here, unless a rule with no match was met because its fail_if did not trip (errors,
        # n/a and a tripped fail_if returned above)
        return _matched(rule, ctx, result) if result.status == "missing" else result
    rules_ok = result.status in ADDRESSED
    if rules_ok and combine in ("both", "either"):
        if hit is None:
            return result if combine == "either" else _judged(result, "missing", [])
        return _with_learned(result, ctx, hit)
    if hit is not None and combine == "learned" and result.status == "partial":
        return _with_learned(result, ctx, hit)  # the rules still know which prong is missing
    if hit is not None and combine in ("learned", "either", "rules_then_learned"):
        return _met_by_model(result, ctx, hit)
    if not rules_ok:
        return result  # missing either way: keep what the rules say is missing
    return _judged(result, "missing", [])


def _judged(result: Result, status: str, evidence: list[Evidence]) -> Result:
    """The rules' result with the combined verdict, set in place: evaluate_rule built it for this call, so no
    copy is needed."""
    result.status, result.evidence, result.missing_parts = status, evidence, []
    return result


def _met_by_model(result: Result, ctx: Context, hit: Hit) -> Result:
    """Met on the model's sentence alone, no rule quoting anything: marked for review when the sentence scores
    less than the pack's review margin above the element's threshold (out of fold, such verdicts are gaps
    far more often than stronger ones: docs/learned.md)."""
    _judged(result, "met", _evidence(ctx, [((hit,), None)]))
    margin = ctx.gates.review_margin if ctx.gates is not None else 0.0
    if not margin or hit.score is None:
        return result
    threshold = ctx.learned.threshold(result.element or "")
    if hit.score < threshold + margin:
        result.review = (f"the model alone reads the sentence as meeting it, close to its threshold (score "
                         f"{hit.score:.2f}, threshold {threshold:.2f}): read it before relying on it")
    return result


def _with_learned(result: Result, ctx: Context, hit: Hit) -> Result:
    """The rules' status and evidence, then the model's best sentence (unless a rule already quotes it)."""
    spans = {(e.start, e.end) for e in result.evidence}
    result.evidence = result.evidence + _evidence(ctx, [((hit,), None)], spans)
    return result


def _evaluate_rules(rule: Rule, ctx: Context, match: bool = True) -> Result:
    """The rule's own result: applies_if, fail_if, then (unless match is False) its match or parts and
    its partial."""
    result = Result(rule.id, rule.element, rule.title, "missing", rule.severity, rule.citation,
                    rule.message, rule.guidance, description=" ".join(rule.description.split()))
    try:
        if rule.applies_if is not None and not rule.applies_if.evaluate(ctx).ok:
            result.status = "not_applicable"
            return result
        if rule.fail_if is not None:
            tripped = rule.fail_if.evaluate(ctx)
            if tripped.ok:
                # The sentences that trip the rule are its evidence: the reviewer sees what to change.
                result.evidence = _evidence(ctx, [(tripped.hits, None)])
                return result
            if rule.match is None and not rule.parts:
                result.status = "met"
                result.basis = rule.met_message  # nothing to quote: what was checked
                return result
    except PatternTimeout as exc:
        return _timed_out(result, exc)
    return _matched(rule, ctx, result) if match else result


def _matched(rule: Rule, ctx: Context, result: Result) -> Result:
    """The rule's match or parts, then its partial, into the result its gates left undecided."""
    try:
        if rule.parts:
            outcomes = [(name, cond.evaluate(ctx)) for name, cond in rule.parts]
            evidence = _evidence(ctx, [(out.hits, name) for name, out in outcomes if out.ok])
            result.missing_parts = [name for name, out in outcomes if not out.ok]
            satisfied = len(outcomes) - len(result.missing_parts)
            if satisfied == len(outcomes):
                result.status = "met"
            elif satisfied:
                result.status = "partial"
            result.evidence = evidence
        else:
            assert rule.match is not None
            out: Outcome = rule.match.evaluate(ctx)
            if out.ok:
                result.status = "met"
                result.evidence = _evidence(ctx, [(out.hits, None)])
            elif out.against:  # a `not` found what it forbids: those sentences are where the gap is
                result.evidence = _evidence(ctx, [(out.against, None)])
        if result.status == "missing" and rule.partial is not None:
            out = rule.partial.evaluate(ctx)
            if out.ok:
                result.status = "partial"
                result.evidence = _evidence(ctx, [(out.hits, None)])
        if result.status == "partial" and rule.partial_message:
            result.message = rule.partial_message
    except PatternTimeout as exc:
        return _timed_out(result, exc)
    return result


def _timed_out(result: Result, exc: PatternTimeout) -> Result:
    """A runaway pattern fails its rule loudly rather than hanging or passing silently."""
    result.status = "missing"
    result.error = str(exc)
    result.evidence = []
    return result


def _union(a: tuple[Match, ...], b: tuple[Match, ...]) -> tuple[Match, ...]:
    return tuple(sorted(set(a) | set(b), key=lambda m: (m.start, m.end, m.concept)))
