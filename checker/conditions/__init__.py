"""Match conditions: one module per condition type, compiled once when a pack is loaded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from .base import Context, Hit, Outcome

__all__ = ["Condition", "Context", "Hit", "Outcome", "compile_condition", "concepts_of"]


class Condition(Protocol):
    def evaluate(self, ctx: Context) -> Outcome: ...


def compile_condition(data: dict[str, Any], known_concepts: set[str], where: str) -> Condition:
    """Build a condition tree from its YAML form (already schema-validated)."""
    from . import clause, facts, field, learned, logic

    builders: dict[str, Callable[..., Condition]] = {
        "all_of": logic.AllOf.build,
        "any_of": logic.AnyOf.build,
        "not": logic.Not.build,
        "sentence": clause.Clause.build,
        "paragraph": clause.Clause.build,
        "section": clause.Clause.build,
        "field": field.FieldCondition.build,
        "fact": facts.FactCondition.build,
        "any_member": facts.AnyMemberCondition.build,
        "learned": learned.LearnedCondition.build,
    }
    (kind, body), = data.items()
    return builders[kind](kind, body, known_concepts, where)


def concepts_of(data: Any) -> set[str]:
    """Every vocabulary name a condition refers to (for reference checks)."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("all", "any", "none") and isinstance(value, list):
                found.update(v for v in value if isinstance(v, str))
            elif key == "anchor" and isinstance(value, str):
                found.add(value)
            else:
                found |= concepts_of(value)
    elif isinstance(data, list):
        for item in data:
            found |= concepts_of(item)
    return found
