"""Conditions on document metadata (form, item, dates), for rules that apply only sometimes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import CheckerError
from ..suggest import nearest
from .base import FALSE, Context, Outcome

# The fields the readers and the command line give a document (README: `applies_if`). A pack may name any
# other field a JSON record carries; a name a letter or two from one of these is taken for a misspelling.
KNOWN_FIELDS = ("form", "item", "period", "filed", "filed_on", "determined_on", "fiscal_year", "inline_xbrl",
                "sic", "smaller_reporting_company", "issuer", "cik", "accession")


def _lookup(ctx: Context, name: str) -> Any:
    doc = ctx.document
    if name == "form":
        return doc.form
    if name == "item":
        return doc.item
    return doc.metadata.get(name)


@dataclass(frozen=True)
class FieldCondition:
    name: str
    spec: tuple[tuple[str, Any], ...]

    @classmethod
    def build(cls, kind: str, body: dict[str, Any], known: set[str], where: str) -> FieldCondition:
        spec = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in body.items() if k != "name")
        name = body["name"]
        close = nearest(name, KNOWN_FIELDS, cutoff=0.8) if name not in KNOWN_FIELDS else None
        if close is not None:  # else the rule would never (or always) apply, and nothing would say why
            raise CheckerError(f"{where}: field '{name}' is no field cydcheck reads (did you mean "
                               f"'{close}'?); a field of your own records may have any name not this close "
                               "to one")
        return cls(name, spec)

    def evaluate(self, ctx: Context) -> Outcome:
        value = _lookup(ctx, self.name)
        for op, arg in self.spec:
            if op == "exists" and bool(value not in (None, "")) != arg:
                return FALSE
            if op == "equals" and _norm(value) != _norm(arg):
                return FALSE
            if op == "in" and _norm(value) not in {_norm(a) for a in arg}:
                return FALSE
            # ISO dates compare correctly as strings; a missing date satisfies neither bound.
            if op == "on_or_after" and (not value or str(value)[:10] < arg):
                return FALSE
            if op == "before" and (not value or str(value)[:10] >= arg):
                return FALSE
        return Outcome(True)


def _norm(value: Any) -> Any:
    """A value as compared: text stripped and upper-cased, a number as the text it spells (YAML reads an
    unquoted `equals: 1.05` as a float, an item is "1.05"; a record's fiscal year may be 2024 or "2024")."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    return value.strip().upper() if isinstance(value, str) else value
