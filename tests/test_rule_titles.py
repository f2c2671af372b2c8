"""Rule titles are noun phrases that stand alone: SARIF and GitHub messages read "<title> is not disclosed"."""

from __future__ import annotations

import pytest

from checker.packs import builtin_rules_dir, list_pack_ids

# A title that ends on one of these was cut mid-phrase ("... or are reasonably likely to").
DANGLING = {"to", "of", "or", "and", "the", "a", "an", "in", "on", "by", "for", "with", "is", "are"}
# A title that opens like a clause or a sentence does not read as "<title> is not disclosed".
CLAUSE_OPENERS = {"whether", "the", "a", "an", "each", "how"}
FINITE = (" is tagged", " are tagged", " agrees with", " is for ", " lies ", " says ", " speaks of ",
          " describes ", " names a", " gives a", " states an", " has its")


def _titles(checker):
    for pack_id in list_pack_ids([builtin_rules_dir()]):
        for rule in checker.pack(pack_id).rules:
            yield pytest.param(rule.title, id=f"{pack_id}:{rule.id}")


def test_every_built_in_rule_title_is_a_standalone_noun_phrase(checker):
    bad = []
    for param in _titles(checker):
        title = param.values[0]
        words = title.rstrip(".").split()
        if (words[-1].lower() in DANGLING or words[0].lower() in CLAUSE_OPENERS
                or any(f in f" {title} " for f in FINITE)):
            bad.append(f"{param.id}: {title}")
    assert not bad, "\n".join(bad)


def test_the_material_effect_title_is_whole(checker):
    rule = checker.pack("sk-106").rule("SK106-B2-MATERIAL-EFFECT")
    assert rule.title == "Material effect of cybersecurity risks, past or reasonably likely"
    assert not rule.title.endswith(" to")
