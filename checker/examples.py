"""Run the examples and tests embedded in each rule: texts that must be met, partial or not addressed."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from . import engine, sections
from .api import _item_of
from .conditions import concepts_of
from .conditions.base import Context
from .ingest import html
from .model import Document, Section
from .packs import Pack, Rule
from .rule_words import condition_lines
from .vocab import PatternTimeout

_EXPECT = {"pass": ("met",), "partial": ("partial",), "fail": ("missing", "not_applicable")}
SOURCE = "<example>"


@dataclass
class ExampleOutcome:
    count: int = 0
    passed: int = 0
    problems: list[str] = field(default_factory=list)
    # beside each problem: the rule's place in its pack and, for an example, the concepts its words name
    reasons: list[str] = field(default_factory=list)


def is_markup(text: str) -> bool:
    """An example written as an inline XBRL / HTML snippet rather than plain disclosure text."""
    return text.lstrip().startswith("<")


def example_document(text: str, pack: Pack) -> Document:
    """The document an example stands for: plain text is the whole section of the pack's first form;
    a snippet is read like a filing (its cyd facts and dei cover facts attached, its section located)."""
    first = pack.applies_to[0] if pack.applies_to else {}
    if not is_markup(text):
        doc = Document(text=text, source=SOURCE, form=first.get("form"), item=first.get("item"))
        doc.section = Section(0, len(text), method="example")
        return doc
    doc = html.read(text.encode("utf-8"), SOURCE)[0]
    form = doc.form or first.get("form")
    item = _item_of(pack, form)
    section = sections.locate(replace(doc, form=form), item)
    if section.start == section.end:  # a snippet without the item's heading is all section
        section = Section(0, len(doc.text), method="example")
    return replace(doc, form=form, item=doc.item or section.item or item, section=section)


def run_examples(pack: Pack) -> ExampleOutcome:
    """Every rule's examples, then its tests, as `check` runs them."""
    out = ExampleOutcome()
    for rule in pack.rules:
        where = rule.written_at(pack.path)  # an inherited rule's examples are in the pack it extends
        if not rule.examples.get("pass") and not rule.examples.get("partial"):
            out.problems.append(f"{rule.id}: no example makes it fire (add examples.pass)")
            out.reasons.append(where)
        if not rule.examples.get("fail"):
            out.problems.append(f"{rule.id}: no example keeps it silent (add examples.fail)")
            out.reasons.append(where)
        cases = [("", kind, texts) for kind, texts in rule.examples.items()]
        cases += [("test ", kind, texts) for kind, texts in rule.tests.items()]
        for label, kind, texts in cases:
            for n, text in enumerate(texts, 1):
                out.count += 1
                doc = example_document(text, pack)
                # as `check` runs it
                combine = pack.learned.rule_mode(rule.id, rule.element) if pack.learned else "rules"
                ctx = engine.prepare(pack, doc)
                status = engine.evaluate_rule(rule, ctx, combine).status
                if status in _EXPECT[kind]:
                    out.passed += 1
                else:
                    start, end = doc.span  # a snippet is quoted by its section's words, not its markup
                    snippet = " ".join(doc.text[start:end].split())[:90]
                    said = f"{rule.id}: {label}{kind} example {n} gave '{status}'"
                    out.problems.append(f"{said}: \"{snippet}\"")
                    unapplied = status == "not_applicable" and rule.source.get("applies_if")
                    why = applies_if_words(rule) if unapplied else concepts_named(rule, ctx)
                    out.reasons.append(f"{where}: {why}")
    return out


def applies_if_words(rule: Rule) -> str:
    """Why a rule's example was not applicable: its `applies_if` in words, and what an example gives."""
    said = "; ".join(words for _, words in condition_lines(rule.source["applies_if"])).replace(":;", ":")
    return (f"the rule does not apply to it: it applies only when {said} (a plain-text example gives its "
            "pack's form and item, no other field)")


def concepts_named(rule: Rule, ctx: Context) -> str:
    """Which of the concepts the rule's conditions name an example's words hold, and which they lack."""
    conditions = {k: v for k, v in rule.source.items() if k not in ("examples", "tests")}
    start, end = ctx.document.span
    held, lacked = [], []
    for name in sorted(concepts_of(conditions)):
        try:
            found = bool(ctx.vocabularies[name].find(ctx.text, start, end))
        except PatternTimeout:
            found = False
        (held if found else lacked).append(name)
    if not held:
        return f"the example names none of {_listed(lacked)}" if lacked else "the rule names no concept"
    return f"the example names {_listed(held)}" + (f"; not {_listed(lacked)}" if lacked else "")


def _listed(names: list[str], most: int = 8) -> str:
    """Names joined by commas, the first `most` of them and how many more."""
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return ", ".join(names[:most]) + more
