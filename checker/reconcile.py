"""Reconcile the filer's cyd flags with the content pack: a flag rule is never "agrees" when the content
pack does not accept the element's text (a flag on an Item 1A cross-reference is not a statement)."""

from __future__ import annotations

from .conditions.facts import FactCondition
from .model import Evidence, Fact, Report, Result
from .packs import Pack

EXCERPT = 160  # characters of the flagged text quoted in the finding


def flag_concepts(pack: Pack) -> dict[str, str]:
    """rule id -> the flag concept its applies_if selects (rules that judge a flag value)."""
    out = {}
    for rule in pack.rules:
        cond = rule.applies_if
        if isinstance(cond, FactCondition) and cond.concept and cond.value is not None:
            out[rule.id] = cond.concept
    return out


def flags(content: Report, tags: Report, tag_pack: Pack) -> None:
    """Turn each met flag rule of `tags` into a finding when `content` does not accept its element."""
    verdicts: dict[str, list[Result]] = {}
    for r in content.results:
        if r.element and r.status != "not_applicable":
            verdicts.setdefault(r.element, []).append(r)
    facts = tags.document.facts
    for rule_id, concept in flag_concepts(tag_pack).items():
        result = next((r for r in tags.results if r.rule == rule_id), None)
        if result is None or result.status != "met" or not result.element:
            continue
        judged = verdicts.get(result.element, [])
        if not judged or all(r.status == "met" for r in judged):
            continue
        flag = next((f for f in facts if f.concept == concept and f.kind == "flag"), None)
        if flag is None:
            continue
        _not_accepted(result, flag, judged, content, tags)


def _not_accepted(result: Result, flag: Fact, judged: list[Result], content: Report, tags: Report) -> None:
    value = "true" if flag.value else "false"
    excerpt = " ".join(flag.text.split())
    if len(excerpt) > EXCERPT:
        excerpt = excerpt[:EXCERPT - 1].rstrip() + "…"
    verdict = ", ".join(f"{r.rule} {r.status}" for r in judged)
    result.status = "missing"
    result.message = (f"The filer tagged {flag.concept} {value} on \"{excerpt}\", but the content pack "
                      f"({content.pack_id}) does not accept that text as the '{result.element}' statement "
                      f"({verdict}): a flag on text that does not make the statement cannot agree with it.")
    result.guidance = ("Make the statement the flag summarises in the section itself, and tag that text; "
                       "see the content pack's finding for the element.")
    if flag.start is not None and flag.end is not None:
        doc = tags.document
        where = tags.fact_locations.get(flag.fact_id or "")
        line = where.line if where else doc.line_of(flag.start)
        result.evidence = [Evidence(doc.text[flag.start:flag.end], flag.start, flag.end, line,
                                    location=where)]
