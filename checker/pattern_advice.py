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
    return len(_top_level_alternatives(body)) > 1


# Every pattern must end before a non-word character (whole-word matching, docs/patterns.md), so a pattern
# that ends in a sign a word or a number follows ("\\$" before "2 million", "e-" before "mail") cannot match
# where its author meant it to. (A bare "$" is the end anchor, not a dollar sign.)
_ESCAPED_SIGNS = ("\\$", "\\-", "\\#", "\\@", "\\/", "\\(", "\\[")
_PLAIN_SIGNS = ("€", "£", "¥", "#", "@", "-", "/")


def ends_before_a_word(pattern: str) -> str | None:
    """The sign a pattern ends in when whole-word matching keeps it from matching before the word or number
    that follows ("paid \\$" never matches "paid $2 million"), or None; an alternative of the group the
    pattern ends with counts as an end ("under (Item|[\u201c\"])" never matches before "Risk"). Not for
    exclusions, which may end mid-word."""
    if pattern.endswith((" ", "\\s", "\\s+")) and not pattern.endswith("\\\\s"):
        return " "  # "requires our vendors to " never matches before "to give"
    for end in _ends(pattern.rstrip()):
        sign = _sign_at_end(end)
        if sign is not None:
            return sign
    return None


# An opening quote is always followed by what it quotes: "\u201cRisk Factors\u201d"
_OPENING_QUOTES = ("\u201c", "\u2018", "\u00ab", "\\u201c", "\\u2018", "\\u00ab")


def _sign_at_end(body: str) -> str | None:
    for sign in _ESCAPED_SIGNS:
        if body.endswith(sign) and not body.endswith("\\" + sign):
            return sign[1:]
    if body.endswith(_PLAIN_SIGNS) and not body.endswith("\\" + body[-1]):
        return body[-1]
    if body.endswith(_OPENING_QUOTES):
        return "\u201c"
    if body.endswith("]") and not body.endswith("\\]"):
        start = body.rfind("[")
        if start >= 0 and any(q in body[start:] for q in _OPENING_QUOTES):
            return "\u201c"
    return None


def _ends(pattern: str) -> list[str]:
    """The pattern, and each alternative of the group it ends with (and of that alternative's final group, and
    so on): the texts a match may end with."""
    out = [pattern]
    opened: list[int] = []
    start = None
    for i, ch in _structure(pattern):
        if ch == "(":
            opened.append(i)
        elif ch == ")" and opened:
            start = opened.pop()
            if i != len(pattern) - 1:
                start = None
    if start is None:  # the pattern does not end with a group's ")"
        return out
    body = pattern[start + 1:-1]
    if body.startswith("?:"):
        body = body[2:]
    for alternative in _top_level_alternatives(body):
        out += _ends(alternative.rstrip())
    return out


def _top_level_alternatives(body: str) -> list[str]:
    parts, depth, last = [], 0, 0
    for i, ch in _structure(body):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0:
            parts.append(body[last:i])
            last = i + 1
    parts.append(body[last:])
    return parts


def _structure(pattern: str) -> list[tuple[int, str]]:
    """Where the pattern's "(", ")" and "|" stand, neither escaped nor inside a character class."""
    out, escaped, in_class = [], False, False
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in "()|":
            out.append((i, ch))
    return out


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
