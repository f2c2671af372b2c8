"""Match conditions: the kinds a pack's conditions name (KINDS), each compiled once when a pack is loaded."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, Protocol

from .base import Context, Hit, Outcome, entry_names, flat_vetoes

__all__ = ["KINDS", "Condition", "Context", "Hit", "Outcome", "compile_condition", "concepts_of",
           "sentence_vetoes"]


class Condition(Protocol):
    def evaluate(self, ctx: Context) -> Outcome: ...


# kind (the condition's key in a pack) -> (module of this package, class): the class's `build(kind, body,
# known_concepts, where)` compiles it. A kind added here is added to the schema's `$defs/condition` too, and
# said in words in checker/rule_words.py (tests/test_conditions.py holds the three together).
KINDS: dict[str, tuple[str, str]] = {
    "all_of": ("logic", "AllOf"),
    "any_of": ("logic", "AnyOf"),
    "not": ("logic", "Not"),
    "sentence": ("clause", "Clause"),
    "paragraph": ("clause", "Clause"),
    "section": ("clause", "Clause"),
    "field": ("field", "FieldCondition"),
    "fact": ("facts", "FactCondition"),
    "any_member": ("facts", "AnyMemberCondition"),
    "learned": ("learned", "LearnedCondition"),
}


def compile_condition(data: dict[str, Any], known_concepts: set[str], where: str) -> Condition:
    """Build a condition tree from its YAML form (already schema-validated)."""
    (kind, body), = data.items()
    module, name = KINDS[kind]
    built: Callable[..., Condition] = getattr(importlib.import_module(f"{__name__}.{module}"), name).build
    return built(kind, body, known_concepts, where)


def concepts_of(data: Any) -> set[str]:
    """Every vocabulary name a condition refers to (for reference checks)."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("all", "any", "none", "topic") and isinstance(value, list):
                # (a `none:` entry may be {concept, unless})
                found.update(n for entry in value for n in entry_names(entry))
            elif key == "anchor" and isinstance(value, str):
                found.add(value)
            else:
                found |= concepts_of(value)
    elif isinstance(data, list):
        for item in data:
            found |= concepts_of(item)
    return found


def sentence_vetoes(data: Any) -> tuple[str, ...]:
    """The vetoes (`none:` concepts) that every sentence clause of a condition applies: what no sentence
    the condition accepts may hold, whichever clause accepts it ("hedge" when each clause says
    `none: [hedge, ...]`; an entry {concept, unless} is no veto of every sentence). Clauses under a `not` are
    left out; no sentence clause, no vetoes."""
    found: list[set[str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "not":
                    continue
                if key == "sentence" and isinstance(value, dict):
                    found.append({v for v in flat_vetoes(value.get("none", ())) if isinstance(v, str)})
                else:
                    walk(value)

    walk(data)
    return tuple(sorted(set.intersection(*found))) if found else ()
