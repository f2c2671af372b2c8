"""Vocabularies: named lists of patterns for one concept, compiled once, matched under a time limit."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .model import Match

DEFAULT_TIMEOUT = 2.0  # seconds one vocabulary may spend on one text
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ",
                              "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-", "\u00ad": "-"})


def normalise_for_matching(text: str) -> str:
    """Fold typographic quotes, dashes and no-break spaces, keeping every offset unchanged."""
    return text.translate(_APOSTROPHES)


def flexible_spaces(pattern: str) -> str:
    """Let a literal space in a pattern match any run of white space, so hard-wrapped text matches.

    Spaces inside a character class or after a backslash are left alone.
    """
    out: list[str] = []
    in_class = escaped = False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif ch == "[" and not in_class:
            in_class = True
            out.append(ch)
        elif ch == "]" and in_class:
            in_class = False
            out.append(ch)
        elif ch == " " and not in_class:
            out.append(r"\s+")
        else:
            out.append(ch)
    return "".join(out)


class PatternTimeout(Exception):
    """A vocabulary's patterns ran longer than the time limit on one text."""


@dataclass
class Vocabulary:
    name: str
    patterns: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    case_sensitive: bool = False
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        flags = regex.UNICODE | (0 if self.case_sensitive else regex.IGNORECASE)
        body = "|".join(f"(?:{flexible_spaces(p)})" for p in self.patterns)
        # Whole-word matching without \b, so a pattern may begin or end with punctuation.
        self._regex = regex.compile(rf"(?<![\w])(?:{body})(?![\w])", flags)
        self._exclude = (
            regex.compile("|".join(f"(?:{flexible_spaces(p)})" for p in self.exclude), flags)
            if self.exclude
            else None
        )

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        """Non-overlapping matches in text[start:end], minus those overlapping an exclusion."""
        end = len(text) if end is None else end
        try:
            found = [
                (m.start(), m.end())
                for m in self._regex.finditer(text, start, end, timeout=self.timeout)
                if m.end() > m.start()
            ]
            if found and self._exclude is not None:
                blocked = [
                    (m.start(), m.end())
                    for m in self._exclude.finditer(text, start, end, timeout=self.timeout)
                ]
                found = [f for f in found if not any(b0 < f[1] and f[0] < b1 for b0, b1 in blocked)]
        except TimeoutError as exc:
            raise PatternTimeout(
                f"vocabulary '{self.name}' exceeded the {self.timeout:g}s match time limit"
            ) from exc
        return [Match(self.name, a, b, text[a:b]) for a, b in found]


def compile_pattern_check(pattern: str, case_sensitive: bool = False) -> str | None:
    """Return an error message when a pattern does not compile, else None."""
    try:
        regex.compile(pattern, 0 if case_sensitive else regex.IGNORECASE)
    except regex.error as exc:
        return str(exc)
    return None
