"""Which rules a run reports: ruff-style `select` and `disable` lists of rule ids, id prefixes or element
ids."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def _longest(rule: str, element: str | None, entries: Iterable[str]) -> int:
    """How specifically `entries` name the rule, -1 for not at all (case-insensitive): the longest entry the
    rule's id starts with, or, for an entry that is the rule's element id ("material_effect", as reports
    print it beside the rule), the whole id's length: an element names its rules as exactly as their ids."""
    return _naming(rule, element, entries)[0]


def _naming(rule: str, element: str | None, entries: Iterable[str]) -> tuple[int, str]:
    """_longest, and the entry that names the rule so specifically ("" for none)."""
    rule, element = rule.upper(), (element or "").upper()
    return max(((len(rule) if element and e.upper() == element else len(e), e)
                for e in entries if rule.startswith(e.upper()) or (element and e.upper() == element)),
               default=(-1, ""))


@dataclass(frozen=True)
class RuleSelection:
    """`select` (empty: every rule) and `disable`, each a list of rule ids, prefixes ("SK106-C2") or element
    ids ("mgmt_roles").

    As in ruff, the more specific entry wins: `select SK106` with `disable SK106-C2` drops the C2
    rules, `select SK106-C2I-ROLES` with `disable SK106-C2` keeps that one rule. A tie disables.
    """

    select: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()

    def keeps(self, rule: str, element: str | None = None) -> bool:
        chosen = _longest(rule, element, self.select) if self.select else 0
        return chosen >= 0 and _longest(rule, element, self.disable) < chosen

    def reason(self, rule: str, element: str | None = None) -> str:
        """The `disable` entry that leaves a rule out, or "" where no `select` entry names it."""
        chosen = _longest(rule, element, self.select) if self.select else 0
        return _naming(rule, element, self.disable)[1] if chosen >= 0 else ""


def split_entries(values: Iterable[str]) -> tuple[str, ...]:
    """`select` or `disable` entries as given, each value also a comma-separated list as in ruff
    ("SK106-B2,SK106-C2"); blank entries dropped."""
    return tuple(e.strip() for v in values for e in v.split(",") if e.strip())


def unmatched(entries: Iterable[str], rules: Iterable[tuple[str, str | None]]) -> list[str]:
    """The entries that name none of `rules` ((id, element) pairs): most likely typos."""
    seen = list(rules)
    return sorted(e for e in set(entries) if not any(_longest(r, el, (e,)) >= 0 for r, el in seen))
