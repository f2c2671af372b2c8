"""Every veto term of every shipped pack is pinned by an example: deleting it changes an example's outcome."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from veto_sweep import CorpusEffect, corpus_effects, main, render, shipped_packs, sweep, vetoes

ALL_VETOES = [v for p in shipped_packs() for v in vetoes(p)]




@pytest.fixture(scope="module")
def outcomes() -> dict[str, object]:
    return {o.veto.id: o for p in shipped_packs() for o in sweep(p)}


@pytest.mark.parametrize("veto", [pytest.param(v, id=v.id) for v in ALL_VETOES])
def test_deleting_the_veto_changes_an_example(veto, outcomes):
    outcome = outcomes[veto.id]
    assert outcome.caught, (
        f"deleting '{veto.term}' from {veto.rule} {veto.where} changes no example of the rule: add a fail "
        f"example (or a pass example of the rule's partial) that only '{veto.term}' rejects")


def test_every_shipped_pack_with_vetoes_is_swept():
    packs = {v.pack for v in ALL_VETOES}
    assert {"sk-106", "form-8k-105", "cyd-tags"} <= packs
    assert len(ALL_VETOES) >= 60


def test_no_shipped_pack_has_an_uncaught_veto(outcomes):
    assert outcomes and [o.veto.id for o in outcomes.values() if not o.caught] == []


def test_inherited_rules_are_swept_once():
    # form-20f-16k changes only citations and guidance of sk-106: its vetoes are sk-106's, swept there.
    assert vetoes("form-20f-16k") == []


PACK = """\
pack: toy
title: Toy
version: "1"
applies_to: [{form: 10-K, item: 1C}]
vocabularies:
  board: ['board']
  hedge: ['may']
  plan: ['will']
rules:
  - id: TOY-BOARD
    element: board_oversight
    title: Board
    citation: "x"
    severity: error
    message: m
    guidance: g
    match:
      sentence: {all: [board], none: [hedge, plan]}
    examples:
      pass: ["The board oversees risk."]
      fail: ["The board may oversee risk."]
"""


def test_sweep_tells_a_pinned_veto_from_an_unpinned_one(tmp_path: Path):
    path = tmp_path / "toy.yaml"
    path.write_text(PACK, encoding="utf-8")
    result = {o.veto.term: o for o in sweep(str(path))}
    assert result["hedge"].caught
    assert "fail example 1 gave 'met'" in result["hedge"].changed[0]
    assert not result["plan"].caught
    table = render(list(result.values()))
    assert "NOT CAUGHT" in table and "1 of 2 veto deletions caught" in table
    # The deletion is made on loaded data: the file is untouched.
    assert path.read_text(encoding="utf-8") == PACK


def test_sweep_script_exit_code_and_table(tmp_path: Path, capsys):
    path = tmp_path / "toy.yaml"
    path.write_text(PACK.replace('fail: ["The board may oversee risk."]',
                                 'fail: ["The board may oversee risk.", "The board will oversee risk."]'),
                    encoding="utf-8")
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert textwrap.dedent("""\
        toy           TOY-BOARD                    1/1""").strip() not in out  # two terms, not one
    assert "TOY-BOARD                    2/2" in out
    assert "2 of 2 veto deletions caught" in out


def test_corpus_effects_count_status_changes_against_labels(tmp_path: Path):
    hedged = {"id": "hedged", "form": "8-K", "item": "1.05",
              "text": "Item 1.05 Material Cybersecurity Incidents.\n\nOn May 2, 2026, a threat actor encrypted "
                      "certain servers. The Company believes the incident could have a material adverse effect on its "
                      "financial condition and results of operations.",
              "labels": {"incident_impact": False}}
    (tmp_path / "hedged.json").write_text(json.dumps(hedged), encoding="utf-8")
    effects = corpus_effects("form-8k-105", [str(tmp_path)])
    hedge = next(v for v in vetoes("form-8k-105")
                 if v.rule == "F8K-105A-IMPACT" and v.term == "hedge" and v.site[0] == "match"
                 and v.site[2] == 0)
    # Without the hedge veto the risk-factor sentence would count as the impact statement: one wrong status.
    assert effects[hedge.id] == CorpusEffect(changed=1, now_wrong=1, now_right=0)
    nature = next(v for v in vetoes("form-8k-105") if v.rule == "F8K-105A-NATURE")
    assert effects[nature.id] == CorpusEffect()
