"""Evaluate a compiled pack against a document: one result per rule, with evidence."""

from __future__ import annotations

from .conditions import Context, Hit, Outcome
from .model import Document, Evidence, Report, Result
from .packs import Pack, Rule
from .segment import segment
from .vocab import PatternTimeout, normalise_for_matching

MAX_EVIDENCE = 5  # evidence sentences kept per rule: enough to review, short enough to read


def prepare(pack: Pack, document: Document) -> Context:
    start, end = document.span
    text = normalise_for_matching(document.text)
    return Context(document, text, segment(text, start, end), pack.vocabularies)


def evaluate(pack: Pack, document: Document, reason: str = "") -> Report:
    ctx = prepare(pack, document)
    results = [evaluate_rule(rule, ctx) for rule in pack.rules]
    return Report(document, pack.id, pack.version, pack.title, results, reason)


def _evidence(ctx: Context, hits: tuple[Hit, ...], part: str | None = None) -> list[Evidence]:
    doc = ctx.document
    out: dict[tuple[int, int], Evidence] = {}
    for h in hits:
        key = (h.start, h.end)
        if key in out:
            merged = tuple(sorted(set(out[key].matches) | set(h.matches), key=lambda m: (m.start, m.concept)))
            out[key] = Evidence(out[key].text, h.start, h.end, out[key].line, merged, part)
            continue
        matches = tuple(m.__class__(m.concept, m.start, m.end, doc.text[m.start:m.end]) for m in h.matches)
        out[key] = Evidence(doc.text[h.start:h.end], h.start, h.end, doc.line_of(h.start), matches, part)
    return [out[k] for k in sorted(out)]


def evaluate_rule(rule: Rule, ctx: Context) -> Result:
    result = Result(rule.id, rule.element, rule.title, "missing", rule.severity, rule.citation,
                    rule.message, rule.guidance)
    try:
        if rule.applies_if is not None and not rule.applies_if.evaluate(ctx).ok:
            result.status = "not_applicable"
            return result
        if rule.parts:
            outcomes = [(name, cond.evaluate(ctx)) for name, cond in rule.parts]
            evidence = [e for name, out in outcomes if out.ok for e in _evidence(ctx, out.hits, name)]
            result.missing_parts = [name for name, out in outcomes if not out.ok]
            satisfied = len(outcomes) - len(result.missing_parts)
            if satisfied == len(outcomes):
                result.status = "met"
            elif satisfied:
                result.status = "partial"
            result.evidence = _trim(evidence)
        else:
            assert rule.match is not None
            out: Outcome = rule.match.evaluate(ctx)
            if out.ok:
                result.status = "met"
                result.evidence = _trim(_evidence(ctx, out.hits))
        if result.status == "missing" and rule.partial is not None:
            out = rule.partial.evaluate(ctx)
            if out.ok:
                result.status = "partial"
                result.evidence = _trim(_evidence(ctx, out.hits))
    except PatternTimeout as exc:
        # A runaway pattern fails its rule loudly rather than hanging or passing silently.
        result.status = "missing"
        result.error = str(exc)
        result.evidence = []
    return result


def _trim(evidence: list[Evidence]) -> list[Evidence]:
    if len(evidence) <= MAX_EVIDENCE:
        return evidence
    # Keep the evidence with the most matched terms, then restore document order.
    best = sorted(evidence, key=lambda e: (-len(e.matches), e.start))[:MAX_EVIDENCE]
    return sorted(best, key=lambda e: e.start)
