"""Load rule packs: safe YAML with line numbers, JSON Schema validation, extends, compilation."""

from __future__ import annotations

import copy
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

import yaml

from . import pack_cache, prefilter
from .conditions import Condition, compile_condition, concepts_of, sentence_vetoes
from .conditions.base import entry_names, split_vetoes
from .detect import form_named
from .fragments import UnknownFragment, expand
from .ingest.decode import settings_text
from .learned import LearnedSpec, load_model, model_elements
from .model import CheckerError
from .pattern_advice import Advice
from .shipped import shipped_folder
from .suggest import did_you_mean, nearest
from .vocab import (
    DEFAULT_TIMEOUT,
    Vocabulary,
    compile_pattern_check,
    pattern_units_check,
    vocabulary_units_check,
)

MAX_PACK_BYTES = 2_000_000
# YAML aliases can make a small file expand to millions of nodes (a "billion laughs" of conditions), and
# validation and compilation walk every one. 40x the largest shipped pack.
MAX_PACK_NODES = 100_000
MAX_EXTENDS_DEPTH = 8


def builtin_rules_dir() -> Path:
    """$CYDCHECK_RULES_DIR, else the shipped `rules/` folder (see shipped_folder)."""
    env = os.environ.get("CYDCHECK_RULES_DIR")
    if env:
        return Path(env)
    return shipped_folder(Path(__file__).resolve().parent, "rules")


@dataclass
class Rule:
    id: str
    element: str | None
    title: str
    citation: str
    severity: str
    message: str
    guidance: str
    match: Condition | None
    parts: list[tuple[str, Condition]]
    partial: Condition | None
    applies_if: Condition | None
    examples: dict[str, list[str]]
    description: str = ""
    # Regression cases `cydcheck rules test` runs with the examples; unlike examples, never training rows of
    # a pack's learned model (an element its rules decide can be pinned without moving the model).
    tests: dict[str, list[str]] = field(default_factory=dict)
    fail_if: Condition | None = None
    partial_message: str = ""
    met_message: str = ""  # what a met finding with nothing to quote says was checked
    line: int | None = None
    file: str | None = None  # the pack file the rule is written in, where another than the pack's (extends)
    source: dict[str, Any] = field(default_factory=dict)  # the rule's YAML, for `rules show`

    def written_at(self, pack_path: str) -> str:
        """Where the rule is written: its file (the extended pack's for an inherited rule) and line."""
        written = self.file or pack_path
        return f"{written}:{self.line}" if self.line else written


@dataclass(frozen=True)
class Group:
    """Rules that together answer one requirement: when none is addressed, each gap takes `severity` (never a
    lower one) and `message` after its own."""

    rules: tuple[str, ...]
    severity: str
    message: str


@dataclass
class Pack:
    id: str
    title: str
    version: str
    path: str
    applies_to: list[dict[str, str]]
    detect: list[str]
    vocabularies: dict[str, Vocabulary]
    rules: list[Rule]
    description: str = ""
    extends: str | None = None
    disabled: tuple[str, ...] = ()  # the rules of the packs it extends that it (or one between) switches off
    learned: LearnedSpec | None = None  # learned sentence weights and how they combine with the rules
    # for reading (explain): why a met verdict may be marked for review, by rule id (the rules the model
    # speaks for), from its learned block's review_margin, combinations and review_by_element
    review_notes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # for reading (explain): how the learned model's verdict combines with each rule's, by rule id (the rules
    # whose element the model knows), and what each vocabulary that says so is about
    learned_modes: dict[str, str] = field(default_factory=dict)
    concept_notes: dict[str, str] = field(default_factory=dict)
    timeout: float = DEFAULT_TIMEOUT  # seconds all patterns together may take on one document
    scanner: Any = None  # a checker.prefilter.Scanner, or None: every vocabulary scanned whole
    # SHA-256 of the files it was built from, in the order read (itself, its weights, what it extends): the
    # rules as they ran, which `version` alone does not tell; "" for a pack compiled from data in memory
    digest: str = ""
    groups: tuple[Group, ...] = ()  # rules that together answer one requirement

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise CheckerError(f"no rule '{rule_id}' in pack '{self.id}'")


# ---------------------------------------------------------------- YAML with line numbers


class LineDict(dict):
    """A mapping that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]
    origin: str | None = None  # the pack file it was read from, where a pack extending that one holds it


class LineList(list):
    """A sequence that remembers the line of each item (an error names a pattern's line, not its list's)."""

    item_lines: list[int]


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when built: 5x faster
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, list | dict):  # `? [a, b]`: a list or mapping as a key is unhashable
            kind = "list" if isinstance(key, list) else "mapping"
            raise CheckerError(f"a key must be a name, not a {kind}", line=key_node.start_mark.line + 1)
        if key in out:
            raise CheckerError(f"duplicate key '{key}'", line=key_node.start_mark.line + 1)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[str(key)] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(item, deep=True) for item in node.value)
    out.item_lines = [item.start_mark.line + 1 for item in node.value]
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# An unquoted date (`on_or_after: 2023-12-15`) is the text it spells: a pack compares dates as ISO text, and
# YAML's datetime.date would meet the schema's "string" with Python's words for it
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_scalar)


_DOUBLE_QUOTED = re.compile(r'"([^"\n]*\\[^"\n]*)"')  # a "..." holding a backslash
# what a backslash escape in double quotes turned into (YAML and TOML alike), to show the value as written
_ESCAPED = {"\f": "\\f", "\r": "\\r", "\n": "\\n", "\t": "\\t", "\b": "\\b", "\a": "\\a", "\v": "\\v",
            "\x00": "\\0", "\x1b": "\\e"}


def escape_advice(written: str) -> str:
    """What to write instead of a double-quoted value whose backslashes (a Windows path, `C:\\Users\\...`)
    YAML and TOML read as escapes: the value in single quotes."""
    return (f"in double quotes a backslash starts an escape (\\U, \\f, \\n ...): write it in single quotes "
            f"('{written}') or with '/'")


def quoted_backslash(line: str) -> str | None:
    """The first double-quoted value of a YAML or TOML line that holds a backslash, as written; else None."""
    found = _DOUBLE_QUOTED.search(line)
    return found.group(1) if found else None


def as_written(value: str) -> str:
    """A value read from double quotes with its control characters shown as the escapes that made them."""
    return "".join(_ESCAPED.get(c, c) for c in value)


def parse_yaml(text: str, name: str) -> Any:
    """Safe-load YAML text, keeping line numbers; errors name the file and line."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except CheckerError as exc:
        raise CheckerError(exc.message, file=name, line=exc.line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = (exc.problem or exc.context or "malformed YAML").strip()
        if line is not None and _tab_indented(text, line):  # libyaml's words for it do not say "tab"
            problem = "a tab indents this line (YAML indents with spaces)"
        elif line is not None and (written := quoted_backslash(_line_of(text, line))) is not None:
            problem = f"{problem}: {escape_advice(written)}"  # "C:\\Users\\..." is no string in double quotes
        raise CheckerError(f"malformed YAML: {problem}", file=name, line=line) from None
    except yaml.YAMLError as exc:
        raise CheckerError(f"malformed YAML: {exc}", file=name) from None


def _line_of(text: str, line: int) -> str:
    """The 1-based line of the text ('' past its end)."""
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _tab_indented(text: str, line: int) -> bool:
    """Whether a tab is in the white space that begins the 1-based line of the text."""
    row = _line_of(text, line)
    return "\t" in row[:len(row) - len(row.lstrip())]


def read_yaml(path: Path) -> Any:
    name = str(path)
    try:
        if path.is_dir():
            raise CheckerError("is a directory, not a rule pack", file=name)
        if path.stat().st_size > MAX_PACK_BYTES:
            raise CheckerError(f"rule pack larger than {MAX_PACK_BYTES} bytes", file=name)
        raw = settings_text(path.read_bytes(), name)
    except FileNotFoundError:
        raise CheckerError("rule pack not found", file=name) from None
    except OSError as exc:
        raise CheckerError(f"cannot read rule pack: {exc.strerror}", file=name) from None
    return pack_yaml(raw, name)


def pack_yaml(raw: str, name: str) -> Any:
    """A pack's YAML text parsed, held to the size and alias limits of a pack file."""
    if len(raw.encode("utf-8")) > MAX_PACK_BYTES:
        raise CheckerError(f"rule pack larger than {MAX_PACK_BYTES} bytes", file=name)
    data = parse_yaml(raw, name)
    if _expanded_size(data, MAX_PACK_NODES) > MAX_PACK_NODES:
        raise CheckerError(f"rule pack expands to more than {MAX_PACK_NODES} YAML nodes (aliases nested too "
                           "deeply?)", file=name)
    return data


def _expanded_size(data: Any, limit: int) -> int:
    """Nodes in the data as a walk sees them (an alias counts each time it is used), stopping past limit."""
    seen, stack = 0, [data]
    while stack and seen <= limit:
        node = stack.pop()
        seen += 1
        if isinstance(node, dict):
            stack.extend(node.values())
            seen += len(node)
        elif isinstance(node, list):
            stack.extend(node)
    return seen


def _line_at(data: Any, path: list[Any]) -> int | None:
    """The line of the deepest mapping key or sequence item on a JSON path."""
    line = getattr(data, "line", None)
    node = data
    for key in path:
        if isinstance(node, LineDict) and isinstance(key, str):
            line = node.key_lines.get(key, line)
        elif isinstance(node, LineList) and isinstance(key, int) and 0 <= key < len(node.item_lines):
            line = node.item_lines[key]
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        line = getattr(node, "line", line)
    return line


# ---------------------------------------------------------------- validation


@cache
def pack_schema() -> dict[str, Any]:
    text = resources.files("checker").joinpath("schemas/pack.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def validate_pack_data(data: Any, name: str) -> None:
    if not isinstance(data, dict):
        raise CheckerError("a rule pack must be a YAML mapping", file=name, line=1)
    import jsonschema  # only when a pack is compiled, not when it comes from the compiled-pack cache

    validator = jsonschema.Draft202012Validator(pack_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.path))))
    if errors:
        best = jsonschema.exceptions.best_match
        err = _typo_error(errors) or _branch_error(best(errors), best)
        path = list(err.absolute_path)
        where = "/".join(str(p) for p in path) or "(top level)"
        rule = _rule_id_on_path(data, path)
        rule_note = f" (rule {rule})" if rule not in (None, "None") else ""
        unknown = _unknown_key(err.validator, err.instance, err.schema)
        line = _line_at(data, path)
        if unknown is not None:  # a typo in a key: named at its own line, with the key meant
            line = getattr(err.instance, "key_lines", {}).get(unknown[0], line)
        message = _unknown_key_message(*unknown) if unknown else _short(err.message)
        if err.instance is None and err.validator in ("oneOf", "anyOf", "type"):
            message = "no value (an empty key)"
        elif err.validator in ("minLength", "pattern") and not str(err.instance).strip():
            message = "blank: write the words a report shows, or leave the key out"
        elif err.validator == "type" and err.validator_value == "string" and isinstance(err.instance,
                                                                                      int | float):
            # `version: 1.10` is the number 1.1, `title: yes` is true: YAML's reading, not the author's
            what = "it as true or false" if isinstance(err.instance, bool) else f"{err.instance} as a number"
            message += f": YAML reads {what}: put the value in quotes to write text"
        elif err.validator == "pattern" and err.schema.get("description"):  # what the pattern asks, in words
            message = f"'{err.instance}' is not {err.schema['description']}"
        raise CheckerError(f"schema: {where}{rule_note}: {message}", file=name, line=line)


def _typo_error(errors: list[Any]) -> Any | None:
    """The first error, branches of a one-of included, of an unknown key close to a known one: a typo, which
    is also why a key is missing or no shape fits ('pattern:' for 'patterns:' in a vocabulary)."""
    queue = list(errors)
    while queue:
        err = queue.pop(0)
        unknown = _unknown_key(err.validator, err.instance, err.schema)
        if unknown and nearest(unknown[0], unknown[1], cutoff=0.6):
            return err
        queue.extend(err.context or [])
    return None


def _branch_error(err: Any, best_match: Callable[[Any], Any]) -> Any:
    """For a value that fits none of a one-of's shapes, the error of the shape of its own type (a typo in a
    vocabulary's mapping, not "is not valid under any of the given schemas"); else the error itself."""
    while err.validator in ("oneOf", "anyOf") and err.context:
        typed = [e for e in err.context if not (e.validator == "type" and e.path == err.path)]
        if not typed:
            break
        err = best_match(typed)
    return err


def _unknown_key(validator: str, instance: Any, schema: Any) -> tuple[str, list[str]] | None:
    """The first key a closed mapping does not know, and the keys it knows, when the error is one."""
    if validator != "additionalProperties" or not isinstance(instance, dict) or not isinstance(schema, dict):
        return None
    known = sorted(schema.get("properties", {}))
    extra = [str(k) for k in instance if k not in known]
    return (extra[0], known) if extra and known else None


def _unknown_key_message(key: str, known: list[str]) -> str:
    """'unknown key 'citaton' (did you mean 'citation'?)', or the known keys where none is close."""
    close = nearest(key, known, cutoff=0.6)
    hint = f"did you mean '{close}'?" if close else f"known: {', '.join(known)}"
    return f"unknown key '{key}' ({hint})"


def _quoted(pattern: str, width: int = 80) -> str:
    """A pattern quoted for an error line as its author wrote it (`\\s`, not repr's `\\\\s`; repr only where
    it holds a character that would not print): its first `width` characters, and its length when cut."""
    shown = pattern[:width]
    quoted = f"'{shown}'" if shown.isprintable() else repr(shown)
    return quoted if len(pattern) <= width else f"{quoted}... ({len(pattern)} characters)"


def _short(message: str) -> str:
    return message if len(message) < 200 else message[:197] + "..."


def _rule_id_on_path(data: dict, path: list[Any]) -> str | None:
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        try:
            return str(data["rules"][path[1]].get("id"))
        except (IndexError, AttributeError, TypeError):
            return None
    return None


# ---------------------------------------------------------------- resolution and compilation


def find_pack_path(ref: str, search_dirs: list[Path], base_dir: Path | None = None) -> Path:
    """A pack reference is a path to a .yaml file or the id of a pack in the search folders (else the file
    of that name in base_dir, the folder of the pack that names it)."""
    candidate = Path(ref)
    if ref.endswith((".yaml", ".yml")) or os.sep in ref or "/" in ref:
        if not candidate.is_absolute() and base_dir is not None and not candidate.exists():
            candidate = base_dir / candidate
        return candidate
    for folder in search_dirs:
        for path in sorted(folder.rglob("*.y*ml")):
            if path.stem == ref:
                return path
        for path in sorted(folder.rglob("*.y*ml")):
            try:
                head = path.read_text(encoding="utf-8")[:4000]
            except (OSError, UnicodeDecodeError):
                continue
            if f"pack: {ref}\n" in head:
                return path
    beside = [base_dir / f"{ref}{ext}" for ext in (".yaml", ".yml")] if base_dir is not None else []
    for path in beside:
        if path.is_file():
            return path
    ids = sorted(list_pack_ids(search_dirs))
    close = nearest(ref, ids, cutoff=0.6)
    hint = f"did you mean {close}? " if close else ""
    raise CheckerError(f"unknown rule pack '{ref}' ({hint}known: {', '.join(ids) or 'none'})")


def pack_files(folder: Path) -> list[Path]:
    """The pack files (.yaml, .yml) directly in a folder, in name order."""
    return sorted(p for p in folder.glob("*.y*ml") if p.is_file())


def list_pack_ids(search_dirs: list[Path]) -> list[str]:
    ids = []
    for folder in search_dirs:
        if folder.is_dir():
            ids.extend(p.stem for p in pack_files(folder))
    return ids


def shadowing(extra_dirs: list[Path]) -> list[tuple[Path, str]]:
    """The pack files of the extra folders that stand in for a built-in pack of the same name (found first,
    so `--pack sk-106`, `auto` and every `extends: sk-106` read them), with the name."""
    builtin = set(list_pack_ids([builtin_rules_dir()]))
    builtin_real = builtin_rules_dir().resolve()
    return [(path, path.stem) for folder in extra_dirs if folder.is_dir() and folder.resolve() != builtin_real
            for path in pack_files(folder) if path.stem in builtin]


def _inherited(rule: dict[str, Any], base_name: str) -> LineDict:
    """A copy of a base pack's rule, still knowing the file and line it is written at (`origin`, `line`): a
    failing example of it is found there, not in the pack that extends it."""
    out = LineDict(rule)
    out.line = getattr(rule, "line", 0)
    out.key_lines = dict(getattr(rule, "key_lines", {}))
    out.origin = getattr(rule, "origin", None) or base_name
    return out


def _merge(base: dict[str, Any], child: dict[str, Any], name: str, base_name: str) -> dict[str, Any]:
    """Apply a child pack (extends) on top of its resolved base (read from base_name, which its errors name:
    a pack of a rules folder may stand in for the built-in one the child means)."""
    whose = f"; the extended pack is {base_name}"
    merged = dict(child)
    for key in ("vocabularies", "fragments"):  # the child's entries replace the base's of the same name
        entries = dict(base.get(key, {}))
        entries.update(child.get(key, {}))
        merged[key] = entries
    rules = [_inherited(r, base_name) for r in base.get("rules", [])]
    ids = {r["id"] for r in rules}
    for rule_id in child.get("disable", []):
        if rule_id not in ids:
            hint = did_you_mean(rule_id, ids)
            raise CheckerError(f"disable: no rule '{rule_id}' in the extended pack{hint}{whose}", file=name,
                               line=_line_at(child, ["disable"]))
    rules = [r for r in rules if r["id"] not in set(child.get("disable", []))]
    if "disable" in child or "disable" in base:  # every rule switched off along the chain (explain reads it)
        merged["disable"] = [*base.get("disable", []), *child.get("disable", [])]
    overrides = child.get("overrides", {})
    for rule_id, changes in overrides.items():
        if rule_id not in ids:
            hint = did_you_mean(rule_id, ids)
            raise CheckerError(f"overrides: no rule '{rule_id}' in the extended pack{hint}{whose}", file=name,
                               line=_line_at(child, ["overrides", rule_id]))
        for r in rules:
            if r["id"] == rule_id:
                r.update(changes)
    for r in child.get("rules", []):
        if r["id"] in ids:
            raise CheckerError(f"rule '{r['id']}' is already defined by the extended pack (use overrides)"
                               f"{whose}", file=name, line=getattr(r, "line", None))
    merged["rules"] = rules + list(child.get("rules", []))
    if "learned" in base:
        merged.setdefault("learned", base["learned"])
    if "groups" in base:
        merged.setdefault("groups", base["groups"])
    merged.setdefault("applies_to", base.get("applies_to", []))
    merged.setdefault("detect", base.get("detect", []))
    return merged


def _resolve(path: Path, search_dirs: list[Path], chain: tuple[Path, ...],
             prov: pack_cache.Provenance | None = None, given: Any = None,
             name: str | None = None) -> dict[str, Any]:
    """The pack at `path` (or its data `given`, read as if it were there) validated, its `extends` applied."""
    name = name or str(path)
    real = path.resolve()
    if real in chain:
        cycle = " -> ".join(p.name for p in chain + (real,))
        raise CheckerError(f"extends cycle: {cycle}", file=name)
    if len(chain) > MAX_EXTENDS_DEPTH:
        raise CheckerError("extends chain too deep", file=name)
    data = read_yaml(path) if given is None else given
    if prov is not None:
        prov.files.append(path)
    validate_pack_data(data, name)
    if "learned" in data:  # the weights file sits beside the pack naming it (an extending pack inherits it)
        model = path.parent / data["learned"]["model"]
        if not model.resolve().is_relative_to(real.parent):
            raise CheckerError("learned: the model must be a file in the pack's folder", file=name,
                               line=_line_at(data, ["learned"]))
        data["learned"]["model"] = str(model)
        if prov is not None:  # a compiled pack carries the weights: a new weights file is a new pack
            prov.files.append(model)
    if "extends" not in data:
        for key in ("overrides", "disable"):
            if key in data:  # without a base they would be ignored, and the author would not know
                raise CheckerError(f"'{key}' needs 'extends' (a pack to change)", file=name,
                                   line=_line_at(data, [key]))
        return _learned_scope(data)
    # Every problem with the base is reported at this pack's `extends:` line, where the fix goes.
    line = _line_at(data, ["extends"])
    allowed = [d.resolve() for d in search_dirs] + [real.parent]
    try:
        base_path = find_pack_path(data["extends"], search_dirs, base_dir=path.parent)
    except CheckerError as exc:
        raise CheckerError(f"extends: {exc.message}", file=name, line=line) from None
    base_real = base_path.resolve()
    if not any(base_real.is_relative_to(a) for a in allowed):
        raise CheckerError(f"extends '{data['extends']}' points outside the rule folders", file=name,
                           line=line)
    if base_real in chain + (real,):
        cycle = " -> ".join(p.name for p in chain + (real, base_real))
        raise CheckerError(f"extends cycle: {cycle}", file=name, line=line)
    if not base_path.is_file():
        raise CheckerError(f"extends '{data['extends']}': no such rule pack file", file=name, line=line)
    if prov is not None:
        prov.lookups.append((data["extends"], str(path.parent), str(base_path)))
    base = _resolve(base_path, search_dirs, chain + (real,), prov)
    merged = _merge(base, data, name, str(base_path))
    return _learned_scope(merged) if "learned" in data else merged


# The key of a resolved `learned:` block that names the rules of the pack declaring it (LearnedSpec.rules);
# no pack writes it (the schema has no such key), so it is no setting.
LEARNED_RULES = "_rules"


def _learned_scope(data: dict[str, Any]) -> dict[str, Any]:
    """The resolved data of a pack that declares a model, its `learned:` block naming the pack's rules: the
    rules a pack extending it adds are its own, which the model does not speak for."""
    if "learned" not in data:
        return data
    data["learned"][LEARNED_RULES] = [r["id"] for r in data.get("rules", [])]
    return data


def _learned_rules(spec: dict[str, Any]) -> frozenset[str] | None:
    """The rules a resolved `learned:` block speaks for (None: every rule, as for data not resolved here)."""
    return frozenset(spec[LEARNED_RULES]) if LEARNED_RULES in spec else None


def _spelled_fragments(data: dict[str, Any], name: str) -> dict[str, str]:
    """Each fragment spelled out (the fragments it names in place) and compiled on its own, used or not, so
    that its error is told at its own line (one no vocabulary names yet, or named only by packs extending this
    one, is checked too); the vocabularies' patterns are spelled out against these, each fragment once."""
    fragments = data.get("fragments", {})
    spelled = {}
    for fname, text in fragments.items():
        try:
            spelled[fname] = expand(text, fragments)
        except UnknownFragment as exc:
            raise CheckerError(f"fragment '{fname}' {exc}", file=name,
                               line=_line_at(data, ["fragments", fname])) from None
        problem = compile_pattern_check(spelled[fname], False)
        if problem:
            raise CheckerError(f"fragment '{fname}': invalid regular expression {_quoted(text)}: {problem}",
                               file=name, line=_line_at(data, ["fragments", fname]))
    return spelled


def _compile_vocabularies(data: dict[str, Any], name: str, timeout: float) -> dict[str, Vocabulary]:
    raw = data.get("vocabularies", {})
    fragments = _spelled_fragments(data, name)
    out: dict[str, Vocabulary] = {}

    def build(vname: str, seen: tuple[str, ...]) -> Vocabulary:
        if vname in seen:
            raise CheckerError(f"vocabulary include cycle: {' -> '.join(seen + (vname,))}", file=name,
                               line=_line_at(data, ["vocabularies", vname]))
        if vname in out:
            return out[vname]
        spec = raw[vname] if isinstance(raw[vname], dict) else {"patterns": raw[vname]}
        try:
            patterns, exclude = ([expand(p, fragments) for p in spec.get(key, [])]
                                 for key in ("patterns", "exclude"))
        except UnknownFragment as exc:
            raise CheckerError(f"vocabulary '{vname}': a pattern {exc}", file=name,
                               line=_line_at(data, ["vocabularies", vname])) from None
        case = bool(spec.get("case_sensitive", False))
        listed = [(key, i, pat) for key, found in (("patterns", patterns), ("exclude", exclude))
                  for i, pat in enumerate(found)]

        def refuse(key: str, i: int, pat: str, problem: str) -> NoReturn:
            where = ["vocabularies", vname] + ([i] if isinstance(raw[vname], list) else [key, i])
            raise CheckerError(f"vocabulary '{vname}': invalid regular expression {_quoted(pat)}: {problem}",
                               file=name, line=_line_at(data, where))

        # the cheap size checks first, each pattern's then the vocabulary's, so that no pattern of a
        # vocabulary too large to compile is compiled before it is refused
        for key, i, pat in listed:
            problem = pattern_units_check(pat)
            if problem:
                refuse(key, i, pat, problem)
        for group in (patterns, exclude):
            problem = vocabulary_units_check(group)
            if problem:
                raise CheckerError(f"vocabulary '{vname}': {problem}", file=name,
                                   line=_line_at(data, ["vocabularies", vname]))
        for key, i, pat in listed:
            problem = compile_pattern_check(pat, case)
            if problem:
                refuse(key, i, pat, problem)
        includes = []
        for inc in spec.get("include", []):
            if inc not in raw:
                hint = did_you_mean(inc, raw, quote="'")
                raise CheckerError(f"vocabulary '{vname}' includes unknown vocabulary '{inc}'{hint}",
                                   file=name, line=_line_at(data, ["vocabularies", vname]))
            includes.append(build(inc, seen + (vname,)))
        out[vname] = Vocabulary(vname, tuple(patterns), tuple(exclude), case, timeout, tuple(includes),
                                bool(spec.get("aliases", False)))
        return out[vname]

    for vname in raw:
        build(vname, ())
    return {vname: out[vname] for vname in raw}


def compile_rule(r: dict[str, Any], known: set[str], name: str) -> Rule:
    """Compile one rule's YAML against the vocabulary names of its pack."""
    line = getattr(r, "line", None)
    missing = sorted(concepts_of({k: v for k, v in r.items() if k != "examples"}) - known)
    if missing:
        hint = did_you_mean(missing[0], known, quote="'")
        raise CheckerError(f"rule {r['id']}: unknown vocabulary '{missing[0]}'{hint}", file=name, line=line)
    where = f"{name}:{line}"
    named: set[str] = set()
    for i, part in enumerate(r.get("parts", [])):  # a partial verdict names the parts it lacks
        if part["name"] in named:
            raise CheckerError(f"rule {r['id']}: two parts named '{part['name']}'", file=name,
                               line=_line_at(r, ["parts", i]) or line)
        named.add(part["name"])

    def comp(cond: Any) -> Condition | None:
        return compile_condition(cond, known, where) if cond is not None else None

    parts = [(p["name"], compile_condition(p["match"], known, where)) for p in r.get("parts", [])]
    return _rule(r, comp, parts)


def _rule(r: dict[str, Any], comp: Callable[[Any], Condition | None],
          parts: list[tuple[str, Condition]]) -> Rule:
    """A rule from its YAML, its conditions made by comp (none for an outline)."""
    return Rule(
        id=r["id"],
        element=r.get("element"),
        title=r["title"],
        citation=r["citation"],
        severity=r["severity"],
        message=r["message"].strip(),
        guidance=r["guidance"].strip(),
        match=comp(r.get("match")),
        parts=parts,
        partial=comp(r.get("partial")),
        applies_if=comp(r.get("applies_if")),
        examples={k: list(v) for k, v in r.get("examples", {}).items()},
        description=r.get("description", "").strip(),
        tests={k: list(v) for k, v in r.get("tests", {}).items()},
        fail_if=comp(r.get("fail_if")),
        partial_message=r.get("partial_message", "").strip(),
        met_message=" ".join(r.get("met_message", "").split()),
        line=getattr(r, "line", None),
        file=getattr(r, "origin", None),
        source=_plain(r),
    )


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    return obj


def load_pack(
    ref: str | Path, extra_dirs: list[Path] | None = None, timeout: float = DEFAULT_TIMEOUT,
    cache: pack_cache.Setting = True,
) -> Pack:
    """Load, validate and compile a pack given by id or path (from the compiled-pack cache when current;
    `cache`: True, the environment's folder; False, none read or written; else that folder)."""
    search_dirs = list(extra_dirs or []) + [builtin_rules_dir()]
    path = Path(ref if isinstance(ref, Path) else find_pack_path(ref, search_dirs))
    variant = f"prefilter={prefilter.available()}"  # a pack built without Hyperscan is not reused with it
    kept = path.is_file() and pack_cache.folder_of(cache) is not None
    key = pack_cache.entry_key(path, search_dirs, timeout, variant) if kept else None
    if key is not None:
        cached = pack_cache.load(key, lambda r, base: find_pack_path(r, search_dirs, base_dir=base), cache)
        if isinstance(cached, Pack):
            return cached
    prov = pack_cache.Provenance()
    pack = compile_pack(_resolve(path, search_dirs, (), prov), str(path), timeout)
    pack.digest = pack_cache.contents_digest(prov.files)
    if key is not None:
        pack_cache.store(key, prov, pack, cache)
    return pack


def load_pack_source(source: str | Mapping[str, Any], name: str = "<pack>",
                     extra_dirs: list[Path] | None = None, timeout: float = DEFAULT_TIMEOUT) -> Pack:
    """Compile a pack given as YAML text or as its data (a dict, copied, never changed), not read from a
    file: its `extends` and learned model are found as a pack file's in the current folder are. Not cached."""
    search_dirs = list(extra_dirs or []) + [builtin_rules_dir()]
    if isinstance(source, str):
        data = pack_yaml(source, name)
    elif isinstance(source, Mapping):
        data = copy.deepcopy(dict(source))
    else:
        raise CheckerError(f"a rule pack is YAML text or a mapping, not {type(source).__name__}", file=name)
    return compile_pack(_resolve(Path.cwd() / name, search_dirs, (), given=data, name=name), name, timeout)


def load_pack_data(ref: str | Path, extra_dirs: list[Path] | None = None) -> tuple[dict[str, Any], str]:
    """A pack's validated YAML with its `extends` applied, and the file name errors should carry."""
    search_dirs = list(extra_dirs or []) + [builtin_rules_dir()]
    path = ref if isinstance(ref, Path) else find_pack_path(ref, search_dirs)
    return _resolve(Path(path), search_dirs, ()), str(path)


def replaced_names(path: Path, extra_dirs: list[Path]) -> list[Advice]:
    """The vocabularies and fragments of a pack that extends another named as one of the base's: they replace
    it for the base's rules too (docs/workflow.md), which a house pack rarely means (`rules validate`)."""
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("extends"), str):
        return []
    search_dirs = list(extra_dirs) + [builtin_rules_dir()]
    base_path = find_pack_path(data["extends"], search_dirs, base_dir=path.parent)
    base = _resolve(base_path, search_dirs, (path.resolve(),))
    out = []
    for key, kind in (("vocabularies", "vocabulary"), ("fragments", "fragment")):
        own = data.get(key) if isinstance(data.get(key), dict) else {}
        for vname in own:
            if vname in base.get(key, {}):
                out.append(Advice(str(path), _line_at(data, [key, vname]),
                                  f"{kind} '{vname}' replaces the {kind} of that name of {base_path}, for "
                                  f"its rules too; give a house {kind} a name of its own (house_{vname}) "
                                  "unless that is meant"))
    return out


def compile_pack(data: dict[str, Any], name: str, timeout: float = DEFAULT_TIMEOUT) -> Pack:
    """Compile resolved pack data (from `load_pack_data`, possibly edited, e.g. by the veto sweep)."""
    vocab = _compile_vocabularies(data, name, timeout)
    for i, pat in enumerate(data.get("detect", [])):  # not run (see the schema), but no broken pattern either
        problem = compile_pattern_check(pat, False)
        if problem:
            raise CheckerError(f"detect: invalid regular expression {_quoted(pat)}: {problem}", file=name,
                               line=_line_at(data, ["detect", i]))
    seen: dict[str, int | None] = {}
    rules = []
    for r in data.get("rules", []):
        if r["id"] in seen:
            raise CheckerError(f"duplicate rule id '{r['id']}' (first at line {seen[r['id']]})", file=name,
                               line=getattr(r, "line", None))
        seen[r["id"]] = getattr(r, "line", None)
        rules.append(compile_rule(r, set(vocab), name))
    learned = None
    if "learned" in data:
        spec = data["learned"]
        model = load_model(Path(spec["model"]))
        by_element = spec.get("combine_by_element", {})
        unknown = sorted(set(by_element) - set(model.elements))
        if unknown:
            raise CheckerError(f"learned: combine_by_element names '{unknown[0]}', an element the model does "
                               f"not know", file=name, line=_line_at(data, ["learned"]))
        for r in data.get("rules", []):  # a misspelt element would find no sentence anywhere, silently
            for element, line in _learned_conditions(r):
                if element not in model.elements:
                    hint = (did_you_mean(str(element), model.elements, quote="'")
                            or f" (it scores {', '.join(model.elements)})")
                    raise CheckerError(f"rule {r['id']}: learned: element '{element}' is not one the model "
                                       f"scores{hint}", file=name,
                                       line=line or getattr(r, "line", None))
        unknown_veto = sorted(set(spec.get("veto", ())) - set(vocab))
        if unknown_veto:
            raise CheckerError(f"learned: veto names '{unknown_veto[0]}', not a vocabulary of the pack",
                               file=name, line=_line_at(data, ["learned"]))
        # every entry a group (a lone name is a group of one): the engine reads one shape
        requires, requires_here, requires_paragraph = (
            {el: tuple((n,) if isinstance(n, str) else tuple(n) for n in names)
             for el, names in spec.get(key, {}).items()}
            for key in ("require", "require_in_sentence", "require_in_paragraph"))
        for key in ("require", "require_in_sentence", "require_in_paragraph", "veto_by_element",
                    "review_by_element"):
            given = spec.get(key, {})
            unknown = sorted({el for el in given if el not in model.elements}
                             | {c for names in given.values() for c in _names(names) if c not in vocab})
            if unknown:
                raise CheckerError(f"learned: {key} names '{unknown[0]}', neither an element of the model "
                                   "nor a vocabulary of the pack", file=name,
                                   line=_line_at(data, ["learned"]))
        vetoes = _rule_vetoes(rules, set(spec.get("veto", ())))
        vetoes_unless: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {}
        for el, entries in spec.get("veto_by_element", {}).items():
            named, lifted = split_vetoes(entries)
            plain = set(vetoes.get(el, ())) | set(named)
            if plain:
                vetoes[el] = tuple(sorted(plain))
            if lifted:
                vetoes_unless[el] = lifted
        reviews = {el: tuple((m["concept"], tuple(m.get("unless", ())), m["why"]) for m in marks)
                   for el, marks in spec.get("review_by_element", {}).items()}
        learned = LearnedSpec(model, spec.get("combine", "rules"), dict(by_element), vetoes, requires,
                              requires_here, vetoes_unless, requires_paragraph,
                              float(spec.get("review_margin", 0.0)), reviews, _learned_rules(spec))
    elif any(_uses_learned(r.source) for r in rules):
        raise CheckerError("a rule uses a 'learned' condition but the pack has no 'learned: {model: ...}'",
                           file=name, line=next(r.line for r in rules if _uses_learned(r.source)))
    return replace(_pack(data, name, rules), vocabularies=vocab, learned=learned, timeout=timeout,
                   scanner=prefilter.build(vocab, first=read_first(rules, learned)))


def _applies(entry: dict[str, Any]) -> dict[str, str]:
    """An `applies_to` entry with its form as EDGAR writes it ("8k" -> "8-K", "Form 20-F" -> "20-F"), as
    --form reads it: a house pack's "8K" would otherwise match no 8-K, its filing deadline unchecked."""
    form = entry.get("form")
    return {**entry, "form": form_named(form) or form} if isinstance(form, str) else dict(entry)


def _groups(data: dict[str, Any], name: str, ids: set[str]) -> tuple[Group, ...]:
    """The pack's groups, each naming rules it has (a rule switched off leaves its group)."""
    groups = []
    for n, g in enumerate(data.get("groups", [])):
        for rule_id in g["rules"]:
            if rule_id not in ids and rule_id not in set(data.get("disable", ())):
                raise CheckerError(f"groups: no rule '{rule_id}'{did_you_mean(rule_id, ids)}", file=name,
                                   line=_line_at(data, ["groups", n]))
        kept = tuple(r for r in g["rules"] if r in ids)
        groups.append(Group(kept, g["severity"], " ".join(g["message"].split())))
    return tuple(groups)


def _pack(data: dict[str, Any], name: str, rules: list[Rule]) -> Pack:
    """The pack's own fields from its resolved data, with these rules (no vocabulary, model or scanner)."""
    return Pack(
        id=data["pack"],
        title=data["title"],
        version=str(data["version"]),
        path=name,
        applies_to=[_applies(a) for a in data.get("applies_to", [])],
        detect=list(data.get("detect", [])),
        vocabularies={},
        rules=rules,
        description=str(data.get("description", "")).strip(),
        extends=data.get("extends"),
        disabled=tuple(data.get("disable", ())),
        groups=_groups(data, name, {r.id for r in rules}),
        review_notes=_review_notes(data.get("learned") or {}, rules),
        learned_modes=_learned_modes(data.get("learned") or {}, rules),
        concept_notes={name: " ".join(v["description"].split())
                       for name, v in data.get("vocabularies", {}).items()
                       if isinstance(v, dict) and v.get("description")},
    )


def _learned_modes(learned: dict[str, Any], rules: list[Rule]) -> dict[str, str]:
    """How the model's verdict combines with each rule's (docs/learned.md), by rule id: the rules the learned
    block speaks for whose element the model knows."""
    if not learned or "model" not in learned:
        return {}
    default, by_element = learned.get("combine", "rules"), learned.get("combine_by_element", {})
    known = model_elements(Path(learned["model"]))
    covered = _learned_rules(learned)
    return {r.id: by_element.get(r.element, default) for r in rules
            if r.element in known and (covered is None or r.id in covered)}


def _review_notes(learned: dict[str, Any], rules: list[Rule]) -> dict[str, tuple[str, ...]]:
    """Why a met verdict may be marked for review, by rule id, as the pack's learned block says (see Pack):
    the review margin where the model knows the rule's element and its combination lets the model carry a
    verdict alone (not "rules" nor "both"), then the element's review classes. A house rule the model does
    not speak for (its element one the model never scored, or a rule added by a pack extending the model's)
    gets neither."""
    if not learned:
        return {}
    margin = float(learned.get("review_margin", 0.0))
    note = (f"the model alone carries it, its sentence less than {margin:.2f} above the element's threshold",)
    classes = {el: tuple(m["why"] for m in marks)
               for el, marks in learned.get("review_by_element", {}).items()}
    modes = _learned_modes(learned, rules)
    covered = _learned_rules(learned)

    def notes_for(rule: Rule) -> tuple[str, ...]:
        alone = margin > 0 and modes.get(rule.id, "rules") not in ("rules", "both")
        return (note if alone else ()) + classes.get(rule.element, ())

    return {r.id: notes_for(r) for r in rules if r.element and (covered is None or r.id in covered)}


def load_outline(ref: str | Path, extra_dirs: list[Path] | None = None) -> Pack:
    """A pack as its rules describe themselves, for reading (`explain`, `rules list`, `rules show`): read,
    schema-validated and resolved like load_pack, but no pattern, condition or model is compiled, so it
    cannot check a document (its rules have no conditions and it has no vocabularies)."""
    data, name = load_pack_data(ref, extra_dirs)
    return _pack(data, name, [_rule(r, lambda cond: None, []) for r in data.get("rules", [])])


def model_decides(rule: Rule, combine: str, known: bool) -> bool:
    """Whether the learned model gives the rule's verdict alone, its match not evaluated: under "learned",
    for a rule with one match and nothing partial, when the model knows its element (`known`)."""
    plain = rule.match is not None and not rule.parts and rule.partial is None  # one match, nothing partial
    return combine == "learned" and known and plain


def read_first(rules: list[Rule], learned: LearnedSpec | None) -> frozenset[str]:
    """The vocabularies a check reads as the pack stands: every rule's applies_if and fail_if; its match,
    parts and partial unless the model decides its verdict alone; the model's concepts and gates (its
    vetoes and required actors) and its review marks (asked of every met verdict of their element). The
    prefilter scans them first, the rest only for a document that asks for them."""
    names: set[str] = set()
    if learned:
        names.update(learned.model.concepts, *learned.vetoes.values(),
                     *(group for required in (learned.requires, learned.requires_here,
                                              learned.requires_paragraph)
                       for groups in required.values() for group in groups),
                     *((concept, *unless) for entries in learned.vetoes_unless.values()
                       for concept, unless in entries),
                     *((concept, *unless) for marks in learned.reviews.values()
                       for concept, unless, _ in marks))
    for rule in rules:
        known = learned is not None and learned.model.knows(rule.element)
        decides = learned is not None and model_decides(rule, learned.rule_mode(rule.id, rule.element), known)
        read = ("applies_if", "fail_if") + (() if decides else ("match", "parts", "partial"))
        names |= concepts_of([rule.source.get(k) for k in read])
    return frozenset(names)


def _names(entries: Any) -> list[str]:
    """The concept names of a pack's `require:` or `veto_by_element:` list as written (a `require:` entry
    is a name or a group of names, a `veto_by_element:` entry a name or {concept, unless})."""
    return [n for entry in entries for n in entry_names(entry)]


def _rule_vetoes(rules: list[Rule], listed: set[str]) -> dict[str, tuple[str, ...]]:
    """Per element, the listed vetoes that every sentence clause of its rules applies (see
    sentence_vetoes): the model may not quote what the element's own rule would never accept."""
    per_element: dict[str, set[str]] = {}
    for rule in rules:
        if rule.element and listed:
            found = set(sentence_vetoes([rule.source.get("match"), rule.source.get("parts")])) & listed
            per_element[rule.element] = per_element.get(rule.element, found) & found
    return {el: tuple(sorted(v)) for el, v in per_element.items() if v}


def _uses_learned(data: Any) -> bool:
    """Whether a rule (its YAML) has a `learned` condition."""
    return bool(_learned_conditions(data))


def _learned_conditions(data: Any) -> list[tuple[Any, int | None]]:
    """The element each `learned` condition of a rule's YAML names, with the line of its `learned:` key
    (None where the YAML kept no lines)."""
    found: list[tuple[Any, int | None]] = []
    if isinstance(data, dict):
        if "learned" in data:
            body = data["learned"]
            found.append((body.get("element") if isinstance(body, dict) else None,
                          getattr(data, "key_lines", {}).get("learned")))
        for k, v in data.items():
            if k not in ("examples", "tests"):
                found += _learned_conditions(v)
    elif isinstance(data, list):
        for v in data:
            found += _learned_conditions(v)
    return found
