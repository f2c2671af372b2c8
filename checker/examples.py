"""Run the examples embedded in each rule: texts that must be met, partial or not addressed."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import engine
from .model import Document, Section
from .packs import Pack

_EXPECT = {"pass": ("met",), "partial": ("partial",), "fail": ("missing", "not_applicable")}


@dataclass
class ExampleOutcome:
    count: int = 0
    problems: list[str] = field(default_factory=list)


def example_document(text: str, pack: Pack) -> Document:
    first = pack.applies_to[0] if pack.applies_to else {}
    doc = Document(text=text, source="<example>", form=first.get("form"), item=first.get("item"))
    doc.section = Section(0, len(text), method="example")
    return doc


def run_examples(pack: Pack) -> ExampleOutcome:
    out = ExampleOutcome()
    for rule in pack.rules:
        if not rule.examples.get("pass") and not rule.examples.get("partial"):
            out.problems.append(f"{rule.id}: no example makes it fire (add examples.pass)")
        if not rule.examples.get("fail"):
            out.problems.append(f"{rule.id}: no example keeps it silent (add examples.fail)")
        for kind, texts in rule.examples.items():
            for n, text in enumerate(texts, 1):
                out.count += 1
                ctx = engine.prepare(pack, example_document(text, pack))
                status = engine.evaluate_rule(rule, ctx).status
                if status not in _EXPECT[kind]:
                    snippet = " ".join(text.split())[:90]
                    out.problems.append(f"{rule.id}: {kind} example {n} gave '{status}': \"{snippet}\"")
    return out
