"""A rule's logic in words, for `explain`: when it applies, what meets it (each of its parts), what meets
it in part, what fails it, and the vocabularies that veto it."""

from __future__ import annotations

from typing import Any

from .conditions import concepts_of

_MODEL = "the pack's learned sentence weights (docs/learned.md)"
_EITHER = (f"Met when the logic below holds, or when {_MODEL} find a sentence for the element (quoted as "
           "learned).")
# How a rule's verdict comes from the model's and its logic's, by its pack's combine mode (Pack.learned_modes)
MODE_WORDS = {
    "learned": f"Decided by {_MODEL}: met when the model's best sentence for the element reaches its "
               "threshold. The logic below is not evaluated, save to keep a partial verdict partial.",
    "either": _EITHER, "learned_then_rules": _EITHER, "rules_then_learned": _EITHER,
    "both": f"Met only when the logic below holds and {_MODEL} find a sentence for the element too.",
}


_UNIT_WORDS = {"sentence": "in one sentence", "paragraph": "in one paragraph", "section": "in the section"}


def _term(name: str) -> str:
    """A vocabulary's name as words: material_word -> 'material word'."""
    return name.replace("_", " ")


def _terms(names: Any, joiner: str = ", ") -> str:
    return joiner.join(_term(str(n)) for n in names)


def _vetoes(entries: Any) -> list[str]:
    """A clause's `none:` list as words: {concept, unless} as 'X (unless Y)', a set spread in place."""
    said: list[str] = []
    for entry in entries:
        if isinstance(entry, list):
            said += _vetoes(entry)
        elif isinstance(entry, dict):
            said.append(f"{_term(entry['concept'])} (unless {_terms(entry['unless'], ' or ')})")
        else:
            said.append(_term(str(entry)))
    return said


def _clause_words(unit: str, clause: dict[str, Any]) -> str:
    """One co-occurrence clause as a sentence an associate can follow."""
    said = [_UNIT_WORDS[unit]]
    if clause.get("all"):
        said.append(("names all of: " if len(clause["all"]) > 1 else "names ") + _terms(clause["all"], " + "))
    if clause.get("any"):
        said.append(("names one of: " if len(clause["any"]) > 1 else "names ") + _terms(clause["any"], " / "))
    if clause.get("ordered"):
        said.append("in that order")
    if clause.get("within_words"):
        said.append(f"within {clause['within_words']} words")
    about = clause.get("about")
    if about:
        said.append(f"the {_term(about['anchor'])} said of a {_terms(about['any'], ' / ')} (within "
                    f"{about['words']} words)")
    context = clause.get("context")
    if context:
        n = context["sentences"]
        near = "sentence before" if n == 1 else f"{n} sentences before"
        named = [_terms(context[k], " and " if k == "all" else " / ")
                 for k in ("all", "any") if context.get(k)]
        if named:
            said.append(f"with {' and '.join(named)} in it or the {near}")
        if context.get("none"):
            said.append(f"no {_terms(context['none'], ' / ')} in it or the {near}")
    if clause.get("topic"):
        said.append(f"in a paragraph about {_terms(clause['topic'], ' / ')} (or after one)")
    text = ", ".join(said)
    vetoes = _vetoes(clause.get("none", []))
    before = clause.get("before")
    if before and before.get("none"):
        vetoes.append(f"{_terms(before['none'], ' / ')} ahead of the {_term(before['anchor'])}")
    return text + (f"; not when it holds: {'; '.join(vetoes)}" if vetoes else "")


def _field_words(field: dict[str, Any]) -> str:
    """A `field` condition in words: each of its tests, joined ("is on or after X and before Y")."""
    name = field["name"]
    said = []
    if "equals" in field:
        said.append(f"is {field['equals']}")
    if "in" in field:
        said.append(f"is one of {', '.join(str(v) for v in field['in'])}")
    if "on_or_after" in field:
        said.append(f"is on or after {field['on_or_after']}")
    if "before" in field:
        said.append(f"before {field['before']}" if said else f"is before {field['before']}")
    if said:  # each test needs the value given: `exists: true` beside them says nothing more
        return f"the filing's {name} {' and '.join(said)}"
    return f"the filing {'gives' if field.get('exists', True) else 'does not give'} its {name}"


def condition_lines(cond: Any, depth: int = 0) -> list[tuple[int, str]]:
    """A rule's condition (its YAML) as (depth, words) lines: what it looks for, what vetoes it."""
    if not isinstance(cond, dict) or not cond:
        return []
    (key, value), = cond.items()
    if key in _UNIT_WORDS:
        return [(depth, _clause_words(key, value))]
    if key in ("all_of", "any_of"):
        if len(value) == 1:
            return condition_lines(value[0], depth)
        lead = "all of these:" if key == "all_of" else f"any one of these {len(value)}:"
        return [(depth, lead)] + [line for c in value for line in condition_lines(c, depth + 1)]
    if key == "not":
        return [(depth, "not this:"), *condition_lines(value, depth + 1)]
    if key == "field":
        return [(depth, _field_words(value))]
    if key == "learned":
        return [(depth, f"the learned model's best sentence for {value['element']} reaches its threshold")]
    if key == "fact":
        what = value.get("element") or value.get("concept") or "a cyd"
        flag = f" = {str(value['value']).lower()}" if "value" in value else ""
        return [(depth, f"{'a ' if what != 'a cyd' else ''}{what} tag{flag} in the filing's inline XBRL")]
    if key == "any_member":
        return [(depth, "for some incident member:"), *condition_lines(value, depth + 1)]
    return [(depth, f"{key}: {value}")]


def logic_sections(source: dict[str, Any]) -> list[tuple[str, list[tuple[int, str]]]]:
    """(heading, lines) for each part of a rule's logic: when it applies, what meets it (each part), what
    meets it in part, what fails it."""
    sections: list[tuple[str, list[tuple[int, str]]]] = []
    parts = [p["name"] for p in source.get("parts", [])]
    if parts:
        sections.append((f"{len(parts)} parts ({', '.join(parts)}): met when every part is, partly met when "
                         "some are", []))
    if source.get("applies_if"):
        sections.append(("Applies only when", condition_lines(source["applies_if"])))
    if source.get("match"):
        sections.append(("Met when", condition_lines(source["match"])))
    for part in source.get("parts", []):
        sections.append((f"Part '{part['name']}' met when", condition_lines(part["match"])))
    if source.get("partial"):
        sections.append(("Partly met when", condition_lines(source["partial"])))
    if source.get("fail_if"):
        sections.append(("Fails when", condition_lines(source["fail_if"])))
    return sections


def terms_used(source: dict[str, Any], notes: dict[str, str]) -> list[str]:
    """'name: what it is about' for each vocabulary the rule names that its pack describes."""
    names = concepts_of([source.get(k) for k in ("applies_if", "match", "partial", "fail_if")]
                        + [p["match"] for p in source.get("parts", [])])
    return [f"{_term(n)}: {notes[n]}" for n in sorted(names) if n in notes]
