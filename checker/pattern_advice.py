"""Advice on pack patterns that compile but do not match what their authors meant (`rules validate`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# A literal space is one run of white space or more (docs/patterns.md), so a space before an optional
# group is needed even when the group is absent: "update (information)?" never matches "update." and
# "a (big)? dog" needs two runs of spaces without "big". The space belongs inside the group.
_SPACE_BEFORE_OPTIONAL = re.compile(r" (\((?:\?:)?)((?:[^()]|\([^()]*\))*\)[?*])(?=$| (?![?*]))")


@dataclass(frozen=True)
class Advice:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: warning: {self.message}"


def space_before_optional_group(pattern: str) -> str | None:
    """The pattern with its space moved into the optional group it stands before, or None when it has no
    such space: "update (information)?" -> "update( information)?"."""
    if not _SPACE_BEFORE_OPTIONAL.search(pattern):
        return None
    return _SPACE_BEFORE_OPTIONAL.sub(_into_group, pattern)


def _into_group(m: re.Match[str]) -> str:
    opening, rest = m.group(1), m.group(2)
    if _has_top_level_bar(rest[:-2]):  # "a (b|c)* d": the space before every alternative
        return f"(?: {opening}{rest[:-1]}){rest[-1]}"
    return f"{opening} {rest}"


def _has_top_level_bar(body: str) -> bool:
    depth, escaped, in_class = 0, False, False
    for ch in body:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
    return False


# Every pattern must end before a non-word character (whole-word matching, docs/patterns.md), so a pattern
# that ends in a sign a word or a number follows ("\\$" before "2 million", "e-" before "mail") cannot match
# where its author meant it to. (A bare "$" is the end anchor, not a dollar sign.)
_ESCAPED_SIGNS = ("\\$", "\\-", "\\#", "\\@", "\\/", "\\(", "\\[")
_PLAIN_SIGNS = ("€", "£", "¥", "#", "@", "-", "/")


def ends_before_a_word(pattern: str) -> str | None:
    """The sign a pattern ends in when whole-word matching keeps it from matching before the word or number
    that follows ("paid \\$" never matches "paid $2 million"), or None. Not for exclusions, which may end
    mid-word."""
    if pattern.endswith((" ", "\\s", "\\s+")) and not pattern.endswith("\\\\s"):
        return " "  # "requires our vendors to " never matches before "to give"
    body = pattern.rstrip()
    for sign in _ESCAPED_SIGNS:
        if body.endswith(sign) and not body.endswith("\\" + sign):
            return sign[1:]
    if body.endswith(_PLAIN_SIGNS) and not body.endswith("\\" + body[-1]):
        return body[-1]
    return None


def pack_advice(data: Any, name: str) -> list[Advice]:
    """Advice on the patterns and exclusions of one pack file's own vocabularies (as read_yaml gives them)."""
    vocabularies = data.get("vocabularies") if isinstance(data, dict) else None
    if not isinstance(vocabularies, dict):
        return []
    lines = getattr(vocabularies, "key_lines", {})
    out = []
    for vname, spec in vocabularies.items():
        found = spec if isinstance(spec, list) else [*spec.get("patterns", []), *spec.get("exclude", [])]
        for pattern in found:
            fixed = space_before_optional_group(pattern) if isinstance(pattern, str) else None
            if fixed is not None:
                out.append(Advice(name, lines.get(vname), f"vocabulary '{vname}': {pattern!r} needs the "
                                  f"space before its optional group even without the group; write {fixed!r}"))
        own = spec if isinstance(spec, list) else spec.get("patterns", [])
        for pattern in own:
            sign = ends_before_a_word(pattern) if isinstance(pattern, str) else None
            if sign is not None:
                out.append(Advice(name, lines.get(vname),
                                  f"vocabulary '{vname}': {pattern!r} ends in {sign!r}, and a pattern must "
                                  "end before a non-word character, so it cannot match where a word or "
                                  f"number follows the {sign!r}; end it with what follows"))
    return out
