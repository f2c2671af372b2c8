"""Choose a rule pack for a document: from its form/item, its section heading, or its text."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .model import Document

# Forms and items each built-in pack covers; checked in order.
_BY_FORM = (
    (("8-K", "8-K/A"), "form-8k-105"),
    (("20-F", "20-F/A"), "form-20f-16k"),
    (("10-K", "10-K/A", "10-KT"), "sk-106"),
)
_BY_ITEM = {"1.05": "form-8k-105", "16K": "form-20f-16k", "1C": "sk-106"}
_HEADINGS = (
    (regex.compile(r"(?i)\bitem\s*1\s*\.\s*05\b|material\s+cybersecurity\s+incidents?"), "form-8k-105", "1.05"),
    (regex.compile(r"(?i)\bitem\s*16\s*\.?\s*k\b"), "form-20f-16k", "16K"),
    (regex.compile(r"(?i)\bitem\s*1\s*\.?\s*c\b"), "sk-106", "1C"),
)
DEFAULT_PACK = "sk-106"


@dataclass(frozen=True)
class Choice:
    pack: str
    reason: str
    item: str | None = None


def choose_pack(document: Document, available: set[str]) -> Choice:
    form = (document.form or "").upper()
    for forms, pack in _BY_FORM:
        if form in forms and pack in available:
            return Choice(pack, f"form {form}")
    item = (document.item or "").upper()
    if item in _BY_ITEM and _BY_ITEM[item] in available:
        return Choice(_BY_ITEM[item], f"item {item}")
    head = document.text[:4000]
    for pattern, pack, it in _HEADINGS:
        m = pattern.search(head)
        if m and pack in available:
            return Choice(pack, f"heading '{m.group(0)}'", it)
    return Choice(DEFAULT_PACK, "no form or heading found: default pack")
