"""Every veto of the Item 106 pack is needed: deleting any one term of a `none:` list changes an example.

A local check for sk-106 (form-20f-16k inherits its rules and examples); the generic sweep over every
pack may replace it. Only the mutated rule is recompiled, against the pack's compiled vocabularies.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from checker import engine
from checker.examples import example_document
from checker.packs import _compile_rule, builtin_rules_dir, load_pack, read_yaml

PACK = load_pack("sk-106")
RAW = read_yaml(builtin_rules_dir() / "sk-106.yaml")


def none_lists(node: Any, path: tuple = ()) -> Iterator[tuple[tuple, list[str]]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "none" and isinstance(value, list):
                yield path + (key,), value
            elif key != "examples":
                yield from none_lists(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from none_lists(value, path + (i,))


def deletions() -> Iterator[tuple[str, tuple, int, str]]:
    for rule in RAW["rules"]:
        for path, terms in none_lists(rule):
            for i, term in enumerate(terms):
                yield rule["id"], path, i, term


def statuses(raw_rule: dict) -> list[str]:
    rule = _compile_rule(raw_rule, set(PACK.vocabularies), "sk-106")
    return [engine.evaluate_rule(rule, engine.prepare(PACK, example_document(text, PACK))).status
            for texts in rule.examples.values() for text in texts]


def test_the_pack_has_vetoes_to_sweep():
    assert len(list(deletions())) >= 50


@pytest.mark.parametrize("rule_id,path,index,term", list(deletions()),
                         ids=lambda v: v if isinstance(v, str) else None)
def test_deleting_a_veto_term_changes_an_example(rule_id, path, index, term):
    raw = next(r for r in RAW["rules"] if r["id"] == rule_id)
    mutated = copy.deepcopy(raw)
    node = mutated
    for key in path[:-1]:
        node = node[key]
    del node["none"][index]
    assert statuses(mutated) != statuses(raw), f"{rule_id} {'/'.join(map(str, path))}: '{term}' vetoes no example"
