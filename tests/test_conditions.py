"""The condition types (checker.conditions): one table of kinds, the schema and `explain` agreeing with it."""

from __future__ import annotations

import pytest

from checker import conditions
from checker.packs import pack_schema
from checker.rule_words import condition_lines


def test_every_condition_kind_the_schema_takes_is_one_the_engine_builds():
    # the schema's keys and the builders were two lists: a kind added to the schema alone compiled with
    # KeyError (exit 3), one added to the builders alone was refused as an unknown key
    assert set(pack_schema()["$defs"]["condition"]["properties"]) == set(conditions.KINDS)


# one small body of each kind, as a pack writes it
BODIES = {
    "all_of": [{"sentence": {"all": ["board"]}}, {"sentence": {"all": ["cyber"]}}],
    "any_of": [{"sentence": {"all": ["board"]}}, {"sentence": {"all": ["cyber"]}}],
    "not": {"sentence": {"all": ["board"]}},
    "sentence": {"all": ["board"]},
    "paragraph": {"all": ["board"]},
    "section": {"all": ["board"]},
    "field": {"name": "form", "equals": "10-K"},
    "fact": {"element": "board_oversight"},
    "any_member": {"fact": {"element": "incident_nature"}},
    "learned": {"element": "board_oversight"},
}


@pytest.mark.parametrize("kind", sorted(conditions.KINDS))
def test_every_condition_kind_builds_and_is_said_in_words(kind):
    # a kind explain has no words for was printed as its YAML ("names_number: {}")
    assert kind in BODIES, f"add a body of '{kind}' to BODIES"
    cond = conditions.compile_condition({kind: BODIES[kind]}, {"board", "cyber"}, "test.yaml:1")
    assert hasattr(cond, "evaluate")
    lines = condition_lines({kind: BODIES[kind]})
    assert lines and not lines[0][1].startswith(f"{kind}:")



@pytest.mark.parametrize(("given", "written"), [("1.05", 1.05), ("1.05", "1.05"), (2024, "2024"), (2024, 2024),
                                                ("2024", 2024.0)])
def test_a_field_written_unquoted_in_yaml_compares_as_the_text_it_spells(given, written):
    # `equals: 1.05` (YAML reads a float) never equalled the item "1.05": the rule never applied, and explain
    # said "the filing's item is 1.05"
    from checker.conditions.base import Context
    from checker.model import Document, Segments

    doc = Document(text="x", form="8-K", item="1.05" if given == "1.05" else None,
                   metadata={"fiscal_year": given})
    name = "item" if given == "1.05" else "fiscal_year"
    ctx = Context(doc, "x", Segments((), ()), {})
    for body in ({"name": name, "equals": written}, {"name": name, "in": [written, "other"]}):
        assert conditions.compile_condition({"field": body}, set(), "t.yaml:1").evaluate(ctx).ok, body
    assert not conditions.compile_condition({"field": {"name": name, "equals": 3}}, set(), "t").evaluate(ctx).ok
