"""Combinators over conditions: all_of, any_of, not (which keeps what it found, as `against`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .base import FALSE, Context, Outcome


@dataclass(frozen=True)
class _Group:
    children: tuple[Any, ...]

    @classmethod
    def build(cls, kind: str, body: list[dict], known: set[str], where: str):
        from . import compile_condition

        return cls(tuple(compile_condition(c, known, where) for c in body))


@dataclass(frozen=True)
class AllOf(_Group):
    def evaluate(self, ctx: Context) -> Outcome:
        hits = []
        for child in self.children:
            out = child.evaluate(ctx)
            if not out.ok:
                return Outcome(False, against=out.against) if out.against else FALSE
            hits.extend(out.hits)
        return Outcome(True, tuple(hits))


@dataclass(frozen=True)
class AnyOf(_Group):
    def evaluate(self, ctx: Context) -> Outcome:
        # Every satisfied branch contributes evidence, so a reviewer sees all support.
        hits = []
        against = []
        ok = False
        for child in self.children:
            out = child.evaluate(ctx)
            if out.ok:
                ok = True
                hits.extend(out.hits)
            else:
                against.extend(out.against)
        return Outcome(True, tuple(hits)) if ok else Outcome(False, against=tuple(against))


@dataclass(frozen=True)
class Not:
    child: Any

    @classmethod
    def build(cls, kind: str, body: dict, known: set[str], where: str) -> Not:
        from . import compile_condition

        return cls(compile_condition(body, known, where))

    def evaluate(self, ctx: Context) -> Outcome:
        out = self.child.evaluate(ctx)
        return Outcome(False, against=out.hits) if out.ok else Outcome(True)
