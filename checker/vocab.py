"""Vocabularies: named lists of patterns for one concept, compiled once, matched under a time limit."""

from __future__ import annotations

import time
from dataclasses import dataclass

import regex

try:  # the standard library's regex parser, used only to inspect how a pattern can begin
    import re._parser as _sre_parse  # Python 3.11+
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse  # type: ignore[no-redef]

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


_WORD_CATEGORIES = {_sre_parse.CATEGORY_WORD, _sre_parse.CATEGORY_DIGIT}
EXCLUSION_WINDOW = 250  # characters either side of a match in which an exclusion is looked for


def _starts_with_word_char(items) -> bool:
    """True when a parsed pattern can only begin with a word character (so a \\m anchor is exact)."""
    if not items:
        return False
    op, arg = items[0]
    if op is _sre_parse.LITERAL:
        return chr(arg).isalnum() or chr(arg) == "_"
    if op is _sre_parse.IN:
        for kind, value in arg:
            if kind is _sre_parse.LITERAL and (chr(value).isalnum() or chr(value) == "_"):
                continue
            if kind is _sre_parse.RANGE and all(chr(c).isalnum() for c in value):
                continue
            if kind is _sre_parse.CATEGORY and value in _WORD_CATEGORIES:
                continue
            return False
        return True
    if op is _sre_parse.SUBPATTERN:
        return _starts_with_word_char(list(arg[-1]))
    if op is _sre_parse.BRANCH:
        return all(_starts_with_word_char(list(branch)) for branch in arg[1])
    if op in (_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT):
        return arg[0] >= 1 and _starts_with_word_char(list(arg[2]))
    return False


def starts_with_word_char(pattern: str) -> bool:
    try:
        return _starts_with_word_char(list(_sre_parse.parse(pattern)))
    except Exception:  # noqa: BLE001 - regex-module syntax the stdlib parser does not know: be safe
        return False


def word_anchored(patterns: tuple[str, ...], whole_word: bool = True) -> str:
    """One alternation matching whole words only.

    Patterns that can only start with a word character get the fast start-of-word anchor \\m;
    the others (starting with punctuation, say) keep a look-behind. Same matches, less scanning.
    """
    flexible = [flexible_spaces(p) for p in patterns]
    words = [p for p in flexible if starts_with_word_char(p)]
    others = [p for p in flexible if not starts_with_word_char(p)]
    branches = []
    if words:
        branches.append(r"\m(?:" + "|".join(f"(?:{p})" for p in words) + ")")
    if others:
        branches.append(r"(?<![\w])(?:" + "|".join(f"(?:{p})" for p in others) + ")")
    return "(?:" + "|".join(branches) + ")" + (r"(?![\w])" if whole_word else "")


class PatternTimeout(Exception):
    """A vocabulary's patterns ran longer than the time limit on one text."""


@dataclass
class Vocabulary:
    name: str
    patterns: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    case_sensitive: bool = False
    timeout: float = DEFAULT_TIMEOUT
    # Included vocabularies keep their own exclusions (and case), so "risk management" excluded from
    # "management" does not veto "head of Security" coming from another included vocabulary.
    includes: tuple[Vocabulary, ...] = ()

    def __post_init__(self) -> None:
        flags = regex.UNICODE | (0 if self.case_sensitive else regex.IGNORECASE)
        # Whole-word matching without \b, so a pattern may begin or end with punctuation.
        self._regex = regex.compile(word_anchored(self.patterns), flags) if self.patterns else None
        # Exclusions start at a word boundary too, but may end mid-word ("onboard\\w*").
        self._exclude = (
            regex.compile(word_anchored(self.exclude, whole_word=False), flags) if self.exclude else None
        )

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        """Matches in text[start:end] (own patterns and included vocabularies), minus exclusions."""
        end = len(text) if end is None else end
        spans: set[tuple[int, int]] = set()
        for inc in self.includes:
            spans.update((m.start, m.end) for m in inc.find(text, start, end))
        try:
            if self._regex is not None:
                spans.update(
                    m.span() for m in self._regex.finditer(text, start, end, timeout=self.timeout)
                    if m.end() > m.start()
                )
            found = sorted(spans)
            if found and self._exclude is not None:
                if len(found) * 2 * EXCLUSION_WINDOW < end - start:
                    # Few matches: look for exclusions only around them.
                    deadline = time.monotonic() + self.timeout
                    found = [f for f in found if not self._excluded(text, f, start, end, deadline)]
                else:
                    blocked = [m.span() for m in self._exclude.finditer(text, start, end, overlapped=True,
                                                                         timeout=self.timeout)]
                    found = [f for f in found if not any(b0 < f[1] and f[0] < b1 for b0, b1 in blocked)]
        except TimeoutError as exc:
            raise PatternTimeout(
                f"vocabulary '{self.name}' exceeded the {self.timeout:g}s match time limit"
            ) from exc
        return [Match(self.name, a, b, text[a:b]) for a, b in found]


    def _excluded(self, text: str, span: tuple[int, int], start: int, end: int, deadline: float) -> bool:
        """Whether an exclusion overlaps the match; looked for only around it, not over the whole text."""
        assert self._exclude is not None
        lo, hi = max(start, span[0] - EXCLUSION_WINDOW), min(end, span[1] + EXCLUSION_WINDOW)
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        for m in self._exclude.finditer(text, lo, hi, overlapped=True, timeout=left):
            if m.start() >= span[1]:
                break
            if m.end() > span[0]:
                return True
        return False


# The regex compiler unrolls the minimum count of nested repeats: ((a{1000}){1000}){1000} would compile
# for minutes before any time limit applies. A pack may nest counts up to this product (~30 ms).
MAX_REPEAT_PRODUCT = 100_000
_REPEATS = {_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT, getattr(_sre_parse, "POSSESSIVE_REPEAT", None)}
_COUNT = regex.compile(r"\{(\d+)(?:,\d*)?\}")


def _repeat_product(items) -> int:
    """The largest product of nested minimum repeat counts in a parsed pattern."""
    best = 1
    for op, arg in items:
        if op in _REPEATS:
            best = max(best, max(arg[0], 1) * _repeat_product(arg[2]))
        elif op is _sre_parse.SUBPATTERN:
            best = max(best, _repeat_product(arg[-1]))
        elif op is _sre_parse.BRANCH:
            best = max([best] + [_repeat_product(b) for b in arg[1]])
        elif op in (_sre_parse.ASSERT, _sre_parse.ASSERT_NOT):
            best = max(best, _repeat_product(arg[1]))
        elif op is getattr(_sre_parse, "ATOMIC_GROUP", None):
            best = max(best, _repeat_product(arg))
        elif op is _sre_parse.GROUPREF_EXISTS:
            best = max([best] + [_repeat_product(b) for b in arg[1:] if b is not None])
    return best


def repeat_product(pattern: str) -> int:
    try:
        return _repeat_product(_sre_parse.parse(pattern))
    except Exception:  # noqa: BLE001 - regex-module syntax the stdlib parser does not know
        product = 1  # an upper bound: every count in the pattern, as if all were nested
        for m in _COUNT.finditer(pattern):
            product *= max(int(m.group(1)), 1)
        return product


def compile_pattern_check(pattern: str, case_sensitive: bool = False) -> str | None:
    """Return an error message when a pattern does not compile (or would take too long to), else None."""
    product = repeat_product(pattern)
    if product > MAX_REPEAT_PRODUCT:
        return f"nested repeat counts multiply to {product} (the limit is {MAX_REPEAT_PRODUCT})"
    try:
        regex.compile(pattern, 0 if case_sensitive else regex.IGNORECASE)
    except regex.error as exc:
        return str(exc)
    return None
