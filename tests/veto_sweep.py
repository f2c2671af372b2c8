"""Veto sweep: delete each term of each rule's `none:` lists in turn and see whether an example notices.

A veto term (`none: [hedge]`) is only pinned down if some embedded example (or test) of its rule changes
outcome when the term is deleted: a fail example that only that term rejects. Run by hand for the table:

    python tests/veto_sweep.py              # every shipped pack
    python tests/veto_sweep.py form-8k-105  # one pack
    python tests/veto_sweep.py --corpus ../shared/corpus/labelled  # and what each deletion changes there

The deletions are made in the loaded pack data (after `extends`), never in the file, and the examples
are run by `checker.examples.run_examples`, the machinery of `cydcheck rules test`. A rule a derived
pack inherits with the same logic and examples is swept once, in the pack that defines it.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from checker import engine  # noqa: E402
from checker.api import Checker  # noqa: E402
from checker.evaluate import load_records  # noqa: E402
from checker.examples import run_examples  # noqa: E402
from checker.ingest.records import from_record  # noqa: E402
from checker.model import ADDRESSED  # noqa: E402
from checker.packs import (  # noqa: E402
    builtin_rules_dir,
    compile_pack,
    compile_rule,
    list_pack_ids,
    load_pack_data,
)

# The parts of a rule that decide outcomes; a derived pack's rule equal to its base's in all of them is
# the base's rule (only its citation or wording changed).
LOGIC_KEYS = ("match", "partial", "parts", "applies_if", "fail_if", "examples", "tests")


@dataclass(frozen=True)
class Veto:
    """One term of one `none:` list of one rule, and where the list sits in the rule's YAML."""

    pack: str
    rule: str
    site: tuple[Any, ...]  # keys from the rule mapping down to the `none` list
    index: int
    term: str

    @property
    def where(self) -> str:
        return "/".join(str(k) for k in self.site)

    @property
    def id(self) -> str:
        return f"{self.pack}:{self.rule}:{self.where}:{self.term}"


@dataclass(frozen=True)
class Outcome:
    veto: Veto
    changed: tuple[str, ...]  # the example problems the deletion caused (none: the deletion went unnoticed)

    @property
    def caught(self) -> bool:
        return bool(self.changed)


def shipped_packs() -> list[str]:
    return list_pack_ids([builtin_rules_dir()])


def veto_sites(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], list[str]]]:
    """Every `none:` list in a rule's YAML (match, partial, parts, applies_if, fail_if, context windows)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("examples", "tests"):
                continue
            if key == "none" and isinstance(value, list):
                yield from _veto_lists(value, path + (key,))
            else:
                yield from veto_sites(value, path + (key,))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from veto_sites(item, path + (i,))


def _veto_lists(terms: list[Any], path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], list[Any]]]:
    """A `none:` list and the sets nested in it (a YAML anchor's list: deleting a term there deletes it wherever
    the set is named, as editing the anchor would)."""
    yield path, terms
    for i, item in enumerate(terms):
        if isinstance(item, list):
            yield from _veto_lists(item, path + (i,))


def without(rule_data: dict[str, Any], site: tuple[Any, ...], index: int) -> dict[str, Any]:
    """A copy of the rule's YAML with one veto term deleted."""
    mutated = copy.deepcopy(rule_data)
    node: Any = mutated
    for key in site:
        node = node[key]
    del node[index]
    return mutated


def _base_rules(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    if not data.get("extends"):
        return {}
    base, _ = load_pack_data(data["extends"], [builtin_rules_dir()])
    return {r["id"]: r for r in base.get("rules", [])}


def _inherited(rule: dict[str, Any], base: dict[str, dict[str, Any]]) -> bool:
    other = base.get(rule["id"])
    return other is not None and all(rule.get(k) == other.get(k) for k in LOGIC_KEYS)


def vetoes(pack_ref: str) -> list[Veto]:
    """Every veto term the pack itself defines (not those of rules inherited unchanged)."""
    data, _ = load_pack_data(pack_ref)
    base = _base_rules(data)
    out = []
    for rule in data.get("rules", []):
        if _inherited(rule, base):
            continue
        for site, terms in veto_sites(rule):
            out.extend(Veto(data["pack"], rule["id"], site, i, term) for i, term in enumerate(terms)
                       if not isinstance(term, list))
    return out


def sweep(pack_ref: str) -> list[Outcome]:
    """Delete each veto term of the pack in turn and run its rule's examples against the deletion."""
    data, name = load_pack_data(pack_ref)
    # The vetoes are the rules' own: sweep them with the rules alone (a pack's learned model, combined
    # with the rules by `learned: {combine: ...}`, would answer for a rule whose veto was deleted).
    pack = replace(compile_pack(data, name), learned=None)
    rules = {r["id"]: r for r in data.get("rules", [])}
    known = set(pack.vocabularies)
    baseline = {r.id: set(run_examples(replace(pack, rules=[r])).problems) for r in pack.rules}
    out = []
    for veto in vetoes(pack_ref):
        mutated = compile_rule(without(rules[veto.rule], veto.site, veto.index), known, name)
        problems = run_examples(replace(pack, rules=[mutated])).problems
        out.append(Outcome(veto, tuple(p for p in problems if p not in baseline[veto.rule])))
    return out


@dataclass(frozen=True)
class CorpusEffect:
    """What deleting a veto does on labelled records: statuses changed, and labels newly missed or met."""

    changed: int = 0
    now_wrong: int = 0
    now_right: int = 0


def corpus_effects(pack_ref: str, corpora: list[str]) -> dict[str, CorpusEffect]:
    """Per veto of the pack: evaluate its rule with and without the term on every record checked with
    the pack (or a pack extending it), the document prepared once as `Checker.check_document` does."""
    data, name = load_pack_data(pack_ref)
    # The vetoes are the rules' own: sweep them with the rules alone (a pack's learned model, combined
    # with the rules by `learned: {combine: ...}`, would answer for a rule whose veto was deleted).
    pack = replace(compile_pack(data, name), learned=None)
    rules = {r["id"]: r for r in data.get("rules", [])}
    checker = Checker()
    labelled = []
    for record in (r for corpus in corpora for r in load_records(corpus)):
        doc = from_record({k: v for k, v in record.items() if k != "labels"}, record["_source"])
        chosen, doc, _ = checker.resolve(doc)
        if pack.id in (chosen.id, chosen.extends):
            labelled.append((record["labels"], engine.prepare(chosen, doc)))
    out = {}
    for veto in vetoes(pack_ref):
        original = pack.rule(veto.rule)
        mutated = compile_rule(without(rules[veto.rule], veto.site, veto.index), set(pack.vocabularies), name)
        changed = wrong = right = 0
        for labels, ctx in labelled:
            before = engine.evaluate_rule(original, ctx).status
            after = engine.evaluate_rule(mutated, ctx).status
            if before == after:
                continue
            changed += 1
            label = labels.get(original.element or "")
            if isinstance(label, bool) and (before in ADDRESSED) != (after in ADDRESSED):
                wrong += (before in ADDRESSED) == label
                right += (after in ADDRESSED) == label
        out[veto.id] = CorpusEffect(changed, wrong, right)
    return out


def render(outcomes: list[Outcome], effects: dict[str, CorpusEffect] | None = None) -> str:
    """One line per deletion, then per rule the terms caught of the terms swept."""
    corpus_head = " corpus: changed/now wrong/now right" if effects is not None else ""
    lines = [f"{'pack':<13} {'rule':<28} {'where':<28} {'term':<22} {'caught by':<60}{corpus_head}"]
    for o in outcomes:
        v = o.veto
        by = o.changed[0].split(": ", 1)[1][:60] if o.caught else "NOT CAUGHT"
        corpus = ""
        if effects is not None:
            e = effects[v.id]
            corpus = f" {e.changed:>3} /{e.now_wrong:>3} /{e.now_right:>3}"
        lines.append(f"{v.pack:<13} {v.rule:<28} {v.where:<28} {v.term:<22} {by:<60}{corpus}")
    lines.append("")
    per_rule: dict[tuple[str, str], list[Outcome]] = {}
    for o in outcomes:
        per_rule.setdefault((o.veto.pack, o.veto.rule), []).append(o)
    lines.append(f"{'pack':<13} {'rule':<28} caught/terms")
    for (pack, rule), group in per_rule.items():
        lines.append(f"{pack:<13} {rule:<28} {sum(o.caught for o in group)}/{len(group)}")
    caught = sum(o.caught for o in outcomes)
    lines.append(f"{caught} of {len(outcomes)} veto deletions caught by an example")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    corpora = [argv[i + 1] for i, a in enumerate(argv) if a == "--corpus" and i + 1 < len(argv)]
    packs = [a for i, a in enumerate(argv) if a != "--corpus" and (i == 0 or argv[i - 1] != "--corpus")]
    packs = packs or shipped_packs()
    outcomes = [o for p in packs for o in sweep(p)]
    effects = {k: v for p in packs for k, v in corpus_effects(p, corpora).items()} if corpora else None
    print(render(outcomes, effects))
    if effects is not None:
        idle = [k for k, e in effects.items() if not e.changed]
        print(f"{len(effects) - len(idle)} of {len(effects)} vetoes change a status on {', '.join(corpora)}")
    return 0 if all(o.caught for o in outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
