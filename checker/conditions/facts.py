"""Conditions on the inline XBRL facts a filing carries (its own cyd: tags), and on the text they tag.

`fact` selects facts by concept, element id, kind, flag value, location and their own text (`where`).
`any_member` asks a question per incident: an 8-K reporting several incidents tells them apart with
members of MaterialCybersecurityIncidentAxis (Fact.member), and `any_member: <condition>` is true
when the condition holds for some member with the document's facts narrowed to that member's own
(facts outside any member are left out; the prose is the whole section as usual). "Every member"
is `not: {any_member: {not: ...}}`. As a `fail_if` it quotes the failing member's facts:

    fail_if:
      any_member: {all_of: [{fact: {element: incident_nature}}, {not: {fact: {element: incident_timing}}}]}

finds an incident whose nature is tagged but not its timing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..model import Document, Fact
from ..segment import segment
from ..vocab import normalise_for_matching
from .base import FALSE, Context, Hit, Outcome

LOCATIONS = ("inside", "outside")


@dataclass(frozen=True)
class FactCondition:
    """True when the document has a fact matching the selector (or, with exists: false, none).

    `where` is a condition evaluated on each selected fact's own text, as if that text were the
    whole section: `fact: {element: board_committee, where: {not: {sentence: ...}}, exists: false}`
    says "no board-committee tag whose text fails to name a committee". `location` keeps facts whose
    tagged text was found inside (or outside) the checked section; facts not found are neither.
    """

    concept: str | None = None
    element: str | None = None
    kind: str | None = None
    value: bool | None = None
    location: str | None = None
    where: Any = None
    exists: bool = True

    @classmethod
    def build(cls, kind: str, body: dict[str, Any], known: set[str], where: str) -> FactCondition:
        from . import compile_condition

        child = compile_condition(body["where"], known, where) if "where" in body else None
        return cls(body.get("concept"), body.get("element"), body.get("kind"), body.get("value"),
                   body.get("location"), child, body.get("exists", True))

    def _selects(self, fact: Fact, ctx: Context) -> bool:
        return ((self.concept is None or fact.concept == self.concept)
                and (self.element is None or fact.element == self.element)
                and (self.kind is None or fact.kind == self.kind)
                and (self.value is None or fact.value is self.value)
                and (self.location is None or _location(fact, ctx) == self.location)
                and (self.where is None or self.where.evaluate(fact_context(ctx, fact)).ok))

    def _hit(self, fact: Fact, ctx: Context) -> Hit:
        """The fact's span; for `location: outside`, its part outside the section (a text block that runs on
        from Item 1.05 into the forward-looking statements is quoted where it leaves the section)."""
        assert fact.start is not None and fact.end is not None
        start, end = ctx.document.span
        if self.location != "outside":
            return Hit(fact.start, fact.end)
        if fact.end > end:  # from the first word after the section
            rest = ctx.text[max(fact.start, end):fact.end]
            return Hit(fact.end - len(rest.lstrip()), fact.end)
        return Hit(fact.start, min(fact.end, start) if fact.end > start else fact.end)

    def evaluate(self, ctx: Context) -> Outcome:
        chosen = [f for f in ctx.document.facts if self._selects(f, ctx)]
        hits = tuple(self._hit(f, ctx) for f in chosen if f.start is not None and f.end is not None)
        if not self.exists:  # the facts it should not find are what a reviewer reads (Outcome.against)
            return Outcome(False, against=hits) if chosen else Outcome(True)
        if not chosen:
            return FALSE
        return Outcome(True, hits)


@dataclass(frozen=True)
class AnyMemberCondition:
    """True when the condition holds for some incident member, on that member's facts alone."""

    child: Any

    @classmethod
    def build(cls, kind: str, body: dict[str, Any], known: set[str], where: str) -> AnyMemberCondition:
        from . import compile_condition

        return cls(compile_condition(body, known, where))

    def evaluate(self, ctx: Context) -> Outcome:
        ok = False
        hits: list[Hit] = []
        for member in incident_members(ctx.document.facts):
            out = self.child.evaluate(member_context(ctx, member))
            if out.ok:
                ok = True
                hits.extend(out.hits)  # every member that satisfies it is evidence
        return Outcome(True, tuple(hits)) if ok else FALSE


def incident_members(facts: list[Fact]) -> list[str]:
    """The incident axis members the facts name, sorted (none for a single-incident filing)."""
    return sorted({f.member for f in facts if f.member})


def member_context(ctx: Context, member: str) -> Context:
    """The same prepared document and caches, with only the member's facts."""
    facts = [f for f in ctx.document.facts if f.member == member]
    return replace(ctx, document=replace(ctx.document, facts=facts))


def _location(fact: Fact, ctx: Context) -> str | None:
    if fact.start is None or fact.end is None:
        return None
    start, end = ctx.document.span
    return "inside" if start <= fact.start and fact.end <= end else "outside"


def fact_context(ctx: Context, fact: Fact) -> Context:
    """A context whose whole section is the fact's text, sharing the pack's vocabularies.

    Built once per fact and evaluation (kept on the parent context), so every rule that looks
    into the same tag reuses its segments and cached matches.
    """
    key = (fact.concept, fact.member, fact.text)
    sub = ctx.facts_view.get(key)
    if sub is None:
        doc = ctx.document
        text = fact.text
        sub_doc = Document(text=text, source=doc.source, form=doc.form, item=doc.item, metadata=doc.metadata)
        norm = normalise_for_matching(text)
        sub = Context(sub_doc, norm, segment(norm, 0, len(norm)), ctx.vocabularies)
        ctx.facts_view[key] = sub
    return sub
