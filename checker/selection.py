"""Which rules a run reports: ruff-style `select` and `disable` lists of rule ids or id prefixes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def _longest(rule: str, prefixes: Iterable[str]) -> int:
    """Length of the longest of `prefixes` that `rule` starts with (case-insensitive), -1 for none."""
    rule = rule.upper()
    return max((len(p) for p in prefixes if rule.startswith(p.upper())), default=-1)


@dataclass(frozen=True)
class RuleSelection:
    """`select` (empty: every rule) and `disable`, each a list of rule ids or prefixes ("SK106-C2").

    As in ruff, the more specific entry wins: `select SK106` with `disable SK106-C2` drops the C2
    rules, `select SK106-C2I-ROLES` with `disable SK106-C2` keeps that one rule. A tie disables.
    """

    select: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()

    def keeps(self, rule: str) -> bool:
        chosen = _longest(rule, self.select) if self.select else 0
        return chosen >= 0 and _longest(rule, self.disable) < chosen


def unmatched(entries: Iterable[str], rules: Iterable[str]) -> list[str]:
    """The entries (ids or prefixes) that name none of `rules`: most likely typos."""
    seen = [r.upper() for r in rules]
    return sorted(p for p in set(entries) if not any(r.startswith(p.upper()) for r in seen))
