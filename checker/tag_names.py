"""Tags EDGAR cannot read as cyd facts: a misspelt cyd name, a cyd element's name in another namespace, or
a cyd fact whose markup is broken (its continuation chain, its context, its id)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from .locations import Finder
from .model import Document, Evidence, Fact, Report, Result
from .suggest import did_you_mean

RULE_ID = "CYD-TAG-NAME"
TITLE = "Every cyd tag names an element of the cyd taxonomy, in its namespace"
CITATION = "Rule 405 of Regulation S-T (17 CFR 232.405); EDGAR Filer Manual Vol. II 6.5"
GUIDANCE = ("Name each tag exactly as the cyd taxonomy does, with the prefix bound to the SEC's cyd "
            "namespace (xmlns:cyd=\"http://xbrl.sec.gov/cyd/2024\", or the year's version). A tag EDGAR "
            "cannot resolve to a cyd element is not read as one: the element it was meant for counts as "
            "untagged.")
SHOWN = 5  # tags named in the message; every one is quoted as evidence (up to MAX_QUOTED)
MAX_QUOTED = 10
CYD_EXAMPLE = "http://xbrl.sec.gov/cyd/2024"
MARKUP_RULE_ID = "CYD-TAG-MARKUP"
MARKUP_TITLE = "Every cyd tag's continuation chain, context and id resolve, and its flags agree"
MARKUP_CITATION = ("Rule 405 of Regulation S-T (17 CFR 232.405); Inline XBRL 1.1 (ix:continuation, "
                   "contextRef); EDGAR Filer Manual Vol. II 6.5")
MARKUP_GUIDANCE = ("Point each continuedAt at the id of an ix:continuation that no other fact's chain uses "
                   "and that does not lead back into its own chain; give each fact a contextRef the document "
                   "defines and an id no other element has; give a flag one value in each context. EDGAR's "
                   "inline XBRL validation rejects the filing otherwise, and a broken chain's text stops "
                   "where the chain breaks.")


def attach(report: Report) -> Report:
    """Add the finding to a located report (in place), each quote placed at its own tag: where tags overlap
    (a misspelt board block and the committee block around the same paragraph), the place names the tag
    the quote is for, not the tightest tag there."""
    findings = [r for r in (finding(report.document), markup_finding(report.document)) if r is not None]
    if findings:
        finder = Finder(report.document)
        tags = [f for f in report.document.facts + report.document.stray_facts if f.start is not None]
        by_span = {(f.start, f.end): f for f in reversed(tags)}
        for found in findings:
            found.evidence = [_placed(finder.evidence(e), by_span.get((e.start, e.end)))
                              for e in found.evidence]
            report.results.append(found)
    return report


def _placed(e: Evidence, fact: Fact | None) -> Evidence:
    if fact is None or e.location is None:
        return e
    # a cyd fact by its concept, as every place names one; a tag in another namespace by its prefixed name
    from .xbrl import is_cyd

    cyd = fact.namespace is None or is_cyd(fact.namespace)
    named = fact.concept if cyd else fact.name or fact.concept
    return replace(e, location=replace(e.location, fact=named, fact_id=fact.fact_id))


def finding(document: Document) -> Result | None:
    """One error naming every misspelt or misplaced cyd tag, each quoted where its text is; None if none."""
    from .xbrl import concepts  # late: xbrl loads lxml, which a check of a Markdown draft never needs

    misspelt = [f for f in document.facts if f.concept not in concepts()]
    stray = document.stray_facts
    if not misspelt and not stray:
        return None
    parts = [f"{_count(misspelt)} not in the cyd taxonomy: " + _names(misspelt, _meant)] if misspelt else []
    for namespace, facts in _by_namespace(stray):
        like = "a cyd element" if len(facts) == 1 else "cyd elements"
        parts.append(f"{_count(facts)} named like {like} in the namespace {namespace}, not the cyd "
                     f"taxonomy's ({_cyd_namespace(document)}): " + _names(facts, lambda f: ""))
    message = ("; ".join(parts) + ". EDGAR does not read such a tag as a cyd fact, so the element it was "
               "meant for counts as untagged.")
    return Result(RULE_ID, None, TITLE, "missing", "error", CITATION, message, GUIDANCE,
                  _quoted(document, misspelt + stray))


def markup_finding(document: Document) -> Result | None:
    """One error naming every cyd fact whose markup EDGAR rejects, with what is wrong; None if none."""
    broken = [f for f in document.facts if f.faults]
    if not broken:
        return None
    shown = "; ".join(f"{f.name or f.concept}{f' ({f.fact_id})' if f.fact_id else ''}: {', '.join(f.faults)}"
                      for f in broken[:SHOWN])
    more = f"; and {len(broken) - SHOWN} more" if len(broken) > SHOWN else ""
    message = f"{_count(broken)} tagged with markup EDGAR rejects: {shown}{more}."
    return Result(MARKUP_RULE_ID, None, MARKUP_TITLE, "missing", "error", MARKUP_CITATION, message,
                  MARKUP_GUIDANCE, _quoted(document, broken))


def _quoted(document: Document, facts: list[Fact]) -> list[Evidence]:
    """The located facts' text as evidence, up to MAX_QUOTED."""
    return [Evidence(document.text[f.start:f.end], f.start, f.end, document.line_of(f.start))
            for f in facts if f.start is not None and f.end is not None][:MAX_QUOTED]


def _count(facts: list[Fact]) -> str:
    return "1 fact is" if len(facts) == 1 else f"{len(facts)} facts are"


def _names(facts: list[Fact], hint: Callable[[Fact], str]) -> str:
    shown = ", ".join(f"{f.name or f.concept}{f' ({f.fact_id})' if f.fact_id else ''}{hint(f)}"
                      for f in facts[:SHOWN])
    return shown + (f" and {len(facts) - SHOWN} more" if len(facts) > SHOWN else "")


def _meant(fact: Fact) -> str:
    from .xbrl import concepts

    return did_you_mean(fact.concept, concepts())


def _by_namespace(facts: list[Fact]) -> Iterator[tuple[str, list[Fact]]]:
    groups: dict[str, list[Fact]] = {}
    for f in facts:
        groups.setdefault(f.namespace or "(undeclared)", []).append(f)
    yield from groups.items()


def _cyd_namespace(document: Document) -> str:
    """The cyd namespace the filing's own cyd facts use, else the 2024 one as an example."""
    used = (f.namespace for f in document.facts if f.namespace and f.namespace.startswith("http"))
    return next(used, CYD_EXAMPLE)
