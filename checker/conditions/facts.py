"""Conditions on the inline XBRL facts a filing carries (its own cyd: tags)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Fact
from .base import FALSE, Context, Hit, Outcome


@dataclass(frozen=True)
class FactCondition:
    concept: str | None = None
    element: str | None = None
    kind: str | None = None
    value: bool | None = None
    exists: bool = True

    @classmethod
    def build(cls, kind: str, body: dict[str, Any], known: set[str], where: str) -> FactCondition:
        return cls(body.get("concept"), body.get("element"), body.get("kind"), body.get("value"),
                   body.get("exists", True))

    def _selects(self, fact: Fact) -> bool:
        return ((self.concept is None or fact.concept == self.concept)
                and (self.element is None or fact.element == self.element)
                and (self.kind is None or fact.kind == self.kind)
                and (self.value is None or fact.value is self.value))

    def evaluate(self, ctx: Context) -> Outcome:
        chosen = [f for f in ctx.document.facts if self._selects(f)]
        if not self.exists:
            return FALSE if chosen else Outcome(True)
        if not chosen:
            return FALSE
        hits = tuple(Hit(f.start, f.end) for f in chosen if f.start is not None and f.end is not None)
        return Outcome(True, hits)
