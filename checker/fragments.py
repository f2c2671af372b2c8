"""Named pattern fragments: a pack's `fragments:` written once and named in its patterns as (?&name)."""

from __future__ import annotations

from collections.abc import Mapping

import regex

# "(?&name)" is the regex module's call of a named group; a pack's patterns use it for its fragments,
# which are spelled out in place (as a non-capturing group) before a pattern compiles.
REFERENCE = regex.compile(r"\(\?&([A-Za-z_]\w*)\)")
MAX_DEPTH = 8  # fragments naming fragments: deep enough for any pack, and a cycle stops here


class UnknownFragment(ValueError):
    """A pattern names a fragment the pack does not define (or the fragments name each other in a circle)."""


def expand(pattern: str, fragments: Mapping[str, str], depth: int = 0) -> str:
    """The pattern with each (?&name) of a defined fragment spelled out, fragments inside fragments too."""
    if "(?&" not in pattern:
        return pattern
    if depth > MAX_DEPTH:
        raise UnknownFragment("fragments name each other in a circle (or nest more than 8 deep)")

    def spelled(m: regex.Match[str]) -> str:
        name = m.group(1)
        if name in fragments:
            return f"(?:{expand(fragments[name], fragments, depth + 1)})"
        if f"(?P<{name}>" in pattern or f"(?<{name}>" in pattern:
            return m.group(0)  # the regex module's call of a group the pattern names (recursion)
        raise UnknownFragment(f"names fragment '{name}', which the pack does not define")

    return REFERENCE.sub(spelled, pattern)
