"""Vocabularies: named lists of patterns for one concept, compiled once, matched under a time limit."""

from __future__ import annotations

import bisect
import functools
import math
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import regex

try:  # the standard library's regex parser, used only to inspect how a pattern can begin
    import re._parser as _sre_parse  # Python 3.11+
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse  # type: ignore[no-redef]

from .model import Match

DEFAULT_TIMEOUT = 2.0  # seconds one vocabulary may spend on one text
BUDGET_CHARS = 1_000_000  # characters of section one time budget covers; a longer one gets more
BUDGET_EVERY = 64  # attempts of linear-time patterns between two checks of the document's time budget
_FOLDED = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ",
           "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-", "\u00ad": "-"}


# A character reference left in text extracted from HTML ("Audit &amp; Risk Committee", "&#8217;").
_REFERENCE = regex.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,7});")


def _referenced(m: regex.Match[str]) -> str:
    """The character a reference stands for, padded with spaces to the reference's length; a name HTML
    does not define is left as written."""
    import html  # only for a text that holds a reference (html.entities is a large table)

    ref = m.group()
    char = html.unescape(ref)
    return char + " " * (len(ref) - 1) if len(char) == 1 else ref


def normalise_for_matching(text: str) -> str:
    """Fold typographic quotes, dashes and no-break spaces, and read the character references that text
    extracted from HTML keeps ("Audit &amp; Risk" as "Audit &     Risk": its ";" is no list break, its
    "amp" no word), keeping every offset unchanged."""
    if "&" in text:
        text = _REFERENCE.sub(_referenced, text)
    # One str.replace per character folded: str.translate looks every character of a text that is not
    # ASCII up in its table (28 ms for a 10-K's 0.5 MB against 0.4 ms).
    for char, folded in _FOLDED.items():
        if char in text:
            text = text.replace(char, folded)
    return fold_width(text)


# Full-width ASCII ("Ｉｔｅｍ　１６Ｋ．", "ＣＩＳＯ", "２５ years", "［●］": typed with a Japanese
# IME), the ideographic space and the Japanese brackets a drafter marks a blank or a note with
# ("【●】", "〔要確認〕"), each one character as its ASCII twin.
_FULL_WIDTH = regex.compile("[\uff01-\uff5e\u3000\u3010\u3011\u3014\u3015]")
_HALF_WIDTH = {**{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}, 0x3000: 0x20,
               0x3010: 0x5B, 0x3011: 0x5D, 0x3014: 0x5B, 0x3015: 0x5D}


def fold_width(text: str) -> str:
    """Full-width ASCII, the ideographic space and Japanese brackets as ASCII, offsets unchanged."""
    return text.translate(_HALF_WIDTH) if _FULL_WIDTH.search(text) else text


def flexible_spaces(pattern: str) -> str:
    """A pattern as a vocabulary compiles it. A literal space matches any run of white space, so hard-wrapped
    text matches; an optional space (" ?", " *") any run or none ("web ?sites", "(key)? ?risks"). A word's
    American -ize or -yze matches the British -ise or -yse too ("utiliz\\w*" matches "utilising",
    "organization" "organisation", "analyzed" "analysed"), so a pack written in one spelling reads both.

    Spaces inside a character class or after a backslash, and the name of a group or subroutine ("(?&name)"),
    are left alone.
    """
    out: list[str] = []
    in_class = escaped = False
    chars = iter(enumerate(pattern))
    for i, ch in chars:
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
            if pattern[i + 1:i + 2] in ("?", "*"):
                out.append(r"\s*")
                next(chars)  # the quantifier is in \s*
            else:
                out.append(r"\s+")
        elif ch == "(" and pattern[i + 1:i + 2] == "?" and not in_class:
            end = _GROUP_NAME.match(pattern, i)  # "(?&name)", "(?P<name>", "(?P=name)": copied as they are
            out.append(pattern[i:end.end()] if end else ch)
            for _ in range(len(end.group(0)) - 1 if end else 0):
                next(chars)
        elif ch in "iy" and not in_class and pattern[i - 2:i - 1] != "\\" and _AMERICAN_Z.match(pattern, i):
            out.append(ch + "[sz]")
            next(chars)  # the z is in [sz]
        else:
            out.append(ch)
    return "".join(out)


_GROUP_NAME = regex.compile(r"\(\?(?:&|P[<=>]|<(?![=!]))\w+")
# -ize/-yze inside a word: a letter before it (escaped letters excluded by the caller's loop), a letter, a
# group or an escape after it ("organiz(e|ation)", "utiliz\\w*"); not a word ending in z ("quiz")
_AMERICAN_Z = regex.compile(r"(?<=[a-z])[iy]z(?=[a-z(\\[])")


_REPEATS = {_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT, getattr(_sre_parse, "POSSESSIVE_REPEAT", None)}
@functools.lru_cache(maxsize=8192)
def parse(pattern: str):
    """The standard library's parse of a pattern, kept: pack loading inspects each pattern several times.

    Callers only read the result. Raises what the parser raises (not cached).
    """
    return _sre_parse.parse(pattern)


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
        return _starts_with_word_char(list(parse(pattern)))
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


MAX_UNBOUNDED = 4  # unbounded repeats (+, *, {n,}) a pattern may hold and still run without a time limit
_MAXREPEAT = _sre_parse.MAXREPEAT
_WHITE_RUN = list(_sre_parse.parse(r"\s"))
_ONE_CHAR = {_sre_parse.LITERAL, _sre_parse.NOT_LITERAL, _sre_parse.IN, _sre_parse.ANY}


def _unbounded(items) -> int:
    """How many unbounded repeats a parsed pattern holds, or -1 when its cost can grow faster than the text.

    That is the case with a back-reference, or a repeat of more than 3 rounds of anything but one
    character (`(a+)+`, `(a|a)+`, `(\\w+ )*`): those can backtrack exponentially; a bounded run of
    words, `(\\w+\\s+){0,12}`, is allowed. Without them a match attempt at one
    position costs at most a small power of the text it reads.
    """
    count = 0
    for op, arg in items:
        if op in (_sre_parse.GROUPREF, _sre_parse.GROUPREF_EXISTS):
            return -1
        if op in _REPEATS and arg[1] <= 16 and _word_then_space(list(arg[2])):
            count += 1  # (\\w+\\s+){0,4}: each round takes one word and the space after it
        elif op in _REPEATS and (arg[1] == _MAXREPEAT or arg[1] > 3):
            # Many rounds of anything but one character ((a|a)+, (a+)+) can backtrack exponentially.
            body = list(arg[2])
            if len(body) != 1 or body[0][0] not in _ONE_CHAR:
                return -1
            count += 0 if body == _WHITE_RUN or arg[1] != _MAXREPEAT else 1
        elif op in _REPEATS:
            inner = _unbounded(arg[2])
            if inner < 0:
                return -1
            count += inner * max(arg[1], 1)
        elif op is _sre_parse.SUBPATTERN:
            inner = _unbounded(arg[-1])
            if inner < 0:
                return -1
            count += inner
        elif op is _sre_parse.BRANCH:
            inner = [_unbounded(b) for b in arg[1]]
            if min(inner) < 0:
                return -1
            count += max(inner)
        elif op in (_sre_parse.ASSERT, _sre_parse.ASSERT_NOT):
            if _unbounded(arg[1]) != 0:
                return -1
        elif op is getattr(_sre_parse, "ATOMIC_GROUP", None):
            inner = _unbounded(arg)
            if inner < 0:
                return -1
            count += inner
    return count


def _word_then_space(items) -> bool:
    """A word-run then a space-run (`\\w+\\s+`, `[\\w-]+\\s+`): repeating it cannot overlap itself."""
    if len(items) == 1 and items[0][0] is _sre_parse.SUBPATTERN:
        items = list(items[0][1][-1])
    if len(items) != 2 or any(op not in _REPEATS or arg[0] < 1 for op, arg in items):
        return False
    word, space = list(items[0][1][2]), list(items[1][1][2])
    if space != _WHITE_RUN or len(word) != 1 or word[0][0] is not _sre_parse.IN:
        return False
    return all(kind is not _sre_parse.NEGATE and value is not _sre_parse.CATEGORY_SPACE
               for kind, value in word[0][1])


def runs_in_linear_time(pattern: str) -> bool:
    """Whether a pattern keeps the fast path: matched at candidates with no per-call time limit.

    Its match attempts cost a bounded power of the text: no back-references, no repeat of more than 3
    around an unbounded repeat, at most MAX_UNBOUNDED unbounded repeats, standard `re` syntax.
    Other patterns still work; each attempt then pays for a time limit.
    """
    try:
        n = _unbounded(parse(flexible_spaces(pattern)))
    except Exception:  # noqa: BLE001 - regex-module syntax the stdlib parser does not know
        return False
    return 0 <= n <= MAX_UNBOUNDED


class PatternTimeout(Exception):
    """A vocabulary's patterns ran past the document's match time budget."""


@dataclass
class Vocabulary:
    name: str
    patterns: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    case_sensitive: bool = False
    timeout: float = DEFAULT_TIMEOUT  # the time budget of a standalone find(); a pack's checks share one
    # Included vocabularies keep their own exclusions (and case), so "risk management" excluded from
    # "management" does not veto "head of Security" coming from another included vocabulary.
    includes: tuple[Vocabulary, ...] = ()
    # An abbreviation the text defines right after a match ("Enterprise Risk Management Committee (ERMC)")
    # matches too, wherever the text uses it (see `defined_aliases`).
    aliases: bool = False

    def __post_init__(self) -> None:
        flags = regex.UNICODE | (0 if self.case_sensitive else regex.IGNORECASE)
        # Whole-word matching without \b, so a pattern may begin or end with punctuation.
        self._regex = regex.compile(word_anchored(self.patterns), flags) if self.patterns else None
        # Exclusions start at a word boundary too, but may end mid-word ("onboard\\w*").
        self._exclude = (
            regex.compile(word_anchored(self.exclude, whole_word=False), flags) if self.exclude else None
        )
        # Whether match attempts may skip the per-call time limit (the document budget still applies).
        self._linear = all(runs_in_linear_time(p) for p in self.patterns)
        self._linear_exclude = all(runs_in_linear_time(p) for p in self.exclude)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        """Matches in text[start:end] (own patterns and included vocabularies), minus exclusions."""
        return DocumentMatches(self.timeout).find(self, text, start, end)

    def starts(self, text: str, start: int = 0, end: int | None = None) -> list[int] | None:
        """Where a match may start: not known without a prefilter's scan (see DocumentMatches.starts)."""
        return None


@dataclass(frozen=True)
class Candidates:
    """Where a vocabulary's own patterns and exclusions may start, from one multi-pattern scan.

    `None` means "anywhere": the patterns are run over the text. `patterns_rest` and `exclude_rest` are
    the patterns with no literal start, compiled as one alternation: where they match is a candidate too.
    """

    patterns: list[int] | None
    exclude: list[int] | None
    patterns_rest: regex.Pattern | None = None
    exclude_rest: regex.Pattern | None = None


def document_budget(timeout: float, chars: int) -> float:
    """The time all patterns together may take on a section of `chars` characters: the pack's timeout, and
    as much again per million characters past the first, so a long input is checked, not timed out, and a
    runaway pattern is still stopped in time linear in what it reads."""
    return timeout * max(1.0, chars / BUDGET_CHARS)


class DocumentMatches:
    """The matches of vocabularies in one document, each found once, all under one time budget.

    An included vocabulary is served from this cache to every vocabulary that includes it. The budget
    (seconds) covers every pattern run for the document together; once it is spent the vocabulary being
    matched, and any not yet matched, raise PatternTimeout. `scan(text, start, end)` optionally returns
    a function giving each vocabulary's Candidates (see checker.prefilter): exact matching then runs
    only at those positions, with the same results as a scan of the whole text.
    """

    def __init__(self, budget: float = DEFAULT_TIMEOUT, scan=None) -> None:
        self.budget = budget
        # CPU time of this thread, not the wall clock: a filing checked beside other work (a batch's second
        # worker, another program) waits for the CPU without spending its budget, so a loaded machine
        # changes no finding. (A pattern's own call is still limited by the `regex` module's wall clock.)
        self._deadline = time.thread_time() + budget
        self._scan = scan
        self._found: dict[tuple[int, str, int, int], list[Match]] = {}
        self._spans: dict[tuple[int, str, int, int], list[tuple[int, int]]] = {}
        self._candidates: dict[tuple[str, int, int], object] = {}
        self.match_calls = 0  # exact-pattern calls made (counted for tests and the bench)

    def _left(self, vocab: Vocabulary) -> float:
        left = self._deadline - time.thread_time()
        if left <= 0:
            raise PatternTimeout(f"vocabulary '{vocab.name}' exceeded the {self.budget:g}s match time limit")
        return left

    def find(self, vocab: Vocabulary, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        end = len(text) if end is None else end
        key = (id(vocab), text, start, end)
        found = self._found.get(key)
        if found is None:
            name, spans = vocab.name, self.spans(vocab, text, start, end)
            found = self._found[key] = [Match(name, a, b, text[a:b]) for a, b in spans]
        return found

    def spans(self, vocab: Vocabulary, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """The (start, end) of each match, in order: what `find` returns, without the Match objects."""
        key = (id(vocab), text, start, end)
        found = self._spans.get(key)
        if found is None:
            try:
                found = self._find(vocab, text, start, end)
            except TimeoutError as exc:
                self._deadline = -math.inf  # a call ran out of the time left: the budget is spent
                raise PatternTimeout(
                    f"vocabulary '{vocab.name}' exceeded the {self.budget:g}s match time limit"
                ) from exc
            self._spans[key] = found
        return found

    def _find(self, vocab: Vocabulary, text: str, start: int, end: int) -> list[tuple[int, int]]:
        cands = self._candidates_of(vocab, text, start, end)
        # Own matches come in order and apart (leftmost first, each after the previous one's end).
        found = self._own(vocab, text, start, end, cands) if vocab._regex is not None else []
        if vocab.includes:
            spans = set(found)
            for inc in vocab.includes:
                spans.update(self.spans(inc, text, start, end))
            found = sorted(spans)
        if found and vocab._exclude is not None:
            found = self._without_excluded(vocab, text, found, start, end, cands)
        if found and vocab.aliases:
            self._left(vocab)
            found = with_aliases(text, found, start, end)
        return found

    def starts(self, vocab: Vocabulary, text: str, start: int, end: int | None = None) -> list[int] | None:
        """Where in text[start:end] a match of the vocabulary may start, sorted, from the prefilter's scan
        alone (its own candidates and its included vocabularies'); None where only matching tells: no scan,
        patterns with no literal start, or aliases (an abbreviation the text defines may be used anywhere).
        A match starts only at one of these; most of them start none."""
        end = len(text) if end is None else end
        if vocab.aliases:
            return None
        out: list[int] = []
        if vocab._regex is not None:
            cands = self._candidates_of(vocab, text, start, end)
            if cands is None or cands.patterns is None or cands.patterns_rest is not None:
                return None
            out = cands.patterns
        for inc in vocab.includes:
            more = self.starts(inc, text, start, end)
            if more is None:
                return None
            out = sorted(set(out).union(more))
        return out

    def _candidates_of(self, vocab: Vocabulary, text: str, start: int, end: int) -> Candidates | None:
        if self._scan is None:
            return None
        key = (text, start, end)
        lookup = self._candidates.get(key)
        if lookup is None:
            lookup = self._candidates[key] = self._scan(text, start, end)
        return lookup(vocab)

    def _own(self, vocab: Vocabulary, text: str, start: int, end: int,
             cands: Candidates | None) -> list[tuple[int, int]]:
        assert vocab._regex is not None
        if cands is None or cands.patterns is None:
            left = self._left(vocab)
            self.match_calls += 1
            return [m.span() for m in vocab._regex.finditer(text, start, end, timeout=left)
                    if m.end() > m.start()]
        positions = cands.patterns
        if cands.patterns_rest is not None:
            positions = self._with_rest(vocab, positions, cands.patterns_rest, text, start, end)
        # The same matches as finditer: the leftmost match at or after the end of the previous one.
        out: list[tuple[int, int]] = []
        after = start
        match = vocab._regex.match
        if vocab._linear:
            # Each attempt costs a bounded power of the text it reads: the budget is checked every
            # BUDGET_EVERY attempts instead of paying a time limit (and a clock read) on every one.
            tried = 0
            for pos in positions:
                if pos < after:
                    continue
                if not tried % BUDGET_EVERY:
                    self._left(vocab)
                tried += 1
                m = match(text, pos, end)
                if m is not None:
                    span = m.span()
                    if span[1] > pos:
                        out.append(span)
                        after = span[1]
            self.match_calls += tried
            return out
        for pos in positions:
            if pos < after:
                continue
            left = self._left(vocab)
            self.match_calls += 1
            m = match(text, pos, end, timeout=left)
            if m is not None and m.end() > m.start():
                out.append(m.span())
                after = m.end()
        return out

    def _with_rest(self, vocab: Vocabulary, positions: list[int], rest: regex.Pattern, text: str,
                   start: int, end: int) -> list[int]:
        """The candidates plus every position where a pattern without a literal start matches."""
        left = self._left(vocab)
        self.match_calls += 1
        found = [m.start() for m in rest.finditer(text, start, end, overlapped=True, timeout=left)]
        return sorted(set(positions).union(found)) if found else positions

    def _without_excluded(self, vocab: Vocabulary, text: str, found: list[tuple[int, int]], start: int,
                          end: int, cands: Candidates | None) -> list[tuple[int, int]]:
        """The matches no exclusion overlaps: exclusions are looked for only near matches, then swept."""
        assert vocab._exclude is not None
        hits: list[tuple[int, int]] = []
        positions = None if cands is None else cands.exclude
        for lo, hi in _windows(found, start, end):
            if positions is None:
                left = self._left(vocab)
                self.match_calls += 1
                hits.extend(m.span() for m in vocab._exclude.finditer(text, lo, hi, overlapped=True,
                                                                      timeout=left))
                continue
            near = positions[bisect.bisect_left(positions, lo):bisect.bisect_left(positions, hi)]
            if cands is not None and cands.exclude_rest is not None:
                near = self._with_rest(vocab, near, cands.exclude_rest, text, lo, hi)
            for pos in near:
                left = self._left(vocab)
                self.match_calls += 1
                m = vocab._exclude.match(text, pos, hi) if vocab._linear_exclude else \
                    vocab._exclude.match(text, pos, hi, timeout=left)
                if m is not None:
                    hits.append(m.span())
        return overlap_free(found, hits)


# The abbreviation a text defines right after a term: "Information Security Officer (ISO)", "Enterprise Risk
# Management Committee (the “ERMC”)": two to ten capitals, digits or "&", in parentheses.
_DEFINED = regex.compile(r"[ \t]*\([ \t]*(?:the[ \t]+|our[ \t]+|its[ \t]+)?[\"'“”‘’]?"
                         r"([A-Z][A-Z0-9&]{1,9})[\"'“”‘’]?[ \t]*\)")
_TITLE_WORDS = regex.compile(r"[\w&]+")
_SKIPPED = frozenset({"of", "and", "the", "for", "to", "on", "in"})  # passed over, as is "&..."
ALIAS_TITLE_CHARS = 120  # how far before a match its full title may begin
MAX_ALIASES = 50  # abbreviations kept per vocabulary and document (a section defines a handful): bounded work
# How far after a match its definition may reach: "(the “ERMC”)" with spaces, well under this. The bound is
# also what keeps each try constant: `regex` looks ahead for a pattern's required "(" up to the end it is
# given, so a try up to the end of a long text without one costs the whole rest of the text.
DEFINITION_CHARS = 64


def abbreviates(alias: str, text: str, a: int, b: int) -> bool:
    """Whether the alias is the initials of the words that end at b, from the match's start (a) or before:
    "CDIO" for "Chief Digital and Information Officer", "ERMC" for "Enterprise Risk Management Committee"
    matched from "Risk"; not "IT" for "Director of Information Technology" (two of its words only)."""
    low = max(0, a - ALIAS_TITLE_CHARS)
    words = [(m.start(), m.group()) for m in _TITLE_WORDS.finditer(text, low, b)]
    i, j = len(alias) - 1, len(words) - 1
    while i >= 0 and j >= 0:
        start, word = words[j]
        if word[0].upper() == alias[i]:
            i -= 1
            if i < 0:
                return start <= a
        elif word.lower() not in _SKIPPED and word[0] != "&":  # "&" (an "&amp;" arrives decoded as "&")
            return False
        j -= 1
    return False


def defined_aliases(text: str, found: list[tuple[int, int]]) -> tuple[set[str], list[tuple[int, int]]]:
    """The abbreviations the text defines right after these matches (see `abbreviates`), at most MAX_ALIASES,
    and the spans of the definitions."""
    aliases: set[str] = set()
    definitions: list[tuple[int, int]] = []
    for a, b in found:
        m = _DEFINED.match(text, b, min(len(text), b + DEFINITION_CHARS))
        if m is None:
            continue
        alias = m.group(1)
        if (alias in aliases or len(aliases) < MAX_ALIASES) and abbreviates(alias, text, a, b):
            aliases.add(alias)
            definitions.append(m.span())
    return aliases, definitions


def with_aliases(text: str, found: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The matches and every use of an abbreviation the text defines for one of them (not a use followed by
    a number, "/", "-" or ":": "ISO 27001" and "ISO/IEC" are standards, not the Information Security
    Officer)."""
    aliases, definitions = defined_aliases(text, found)
    if not aliases:
        return found
    names = "|".join(regex.escape(x) for x in sorted(aliases, key=lambda x: (-len(x), x)))
    uses = regex.compile(rf"(?<![\w&])(?:{names})(?![\w&])(?![ \t]*(?:[-/:]|\d))")
    taken = sorted(found + definitions)  # a use inside a match or a definition is not another one
    spans = list(found)
    for m in uses.finditer(text, start, end):
        i = bisect.bisect_right(taken, (m.start(), len(text) + 1)) - 1
        if i < 0 or taken[i][1] <= m.start():
            spans.append(m.span())
    return sorted(spans)


class DocumentVocabularies(Mapping):
    """A pack's vocabularies bound to one document's DocumentMatches: `[name].find(...)` is cached."""

    def __init__(self, vocabularies: Mapping[str, Vocabulary], matches: DocumentMatches) -> None:
        self._vocabularies = vocabularies
        self.matches = matches

    def __getitem__(self, name: str) -> _Bound:
        return _Bound(self._vocabularies[name], self.matches)

    def __iter__(self) -> Iterator[str]:
        return iter(self._vocabularies)

    def __len__(self) -> int:
        return len(self._vocabularies)


@dataclass(frozen=True)
class _Bound:
    vocabulary: Vocabulary
    matches: DocumentMatches

    @property
    def name(self) -> str:
        return self.vocabulary.name

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        return self.matches.find(self.vocabulary, text, start, end)

    def starts(self, text: str, start: int = 0, end: int | None = None) -> list[int] | None:
        return self.matches.starts(self.vocabulary, text, start, end)


def _windows(found: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The stretches within EXCLUSION_WINDOW characters of a match, merged where they touch."""
    out: list[tuple[int, int]] = []
    for a, b in found:
        lo, hi = max(start, a - EXCLUSION_WINDOW), min(end, b + EXCLUSION_WINDOW)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def overlap_free(found: list[tuple[int, int]], blocked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of `found` that no span of `blocked` overlaps, in O((n + m) log m).

    Spans overlap when b0 < f1 and f0 < b1 (an empty blocked span inside a match counts). With the
    blocked spans sorted by start, those starting before f1 are a prefix; f is blocked when the
    furthest end in that prefix passes f0.
    """
    if not blocked:
        return list(found)
    blocked = sorted(blocked)
    starts = [b0 for b0, _ in blocked]
    reach, furthest = [], -1
    for _, b1 in blocked:
        furthest = max(furthest, b1)
        reach.append(furthest)
    out = []
    for f0, f1 in found:
        i = bisect.bisect_left(starts, f1)
        if i == 0 or reach[i - 1] <= f0:
            out.append((f0, f1))
    return out


# The regex compiler unrolls every minimum repeat count: ((a{1000}){1000}){1000} would compile for
# minutes before any time limit applies, and so would 80 a{99999} in a row. A pattern (and all the
# patterns of a vocabulary together, which compile as one alternation) may expand to this many units.
MAX_PATTERN_UNITS = 100_000  # about 0.15 s of compiling
_COUNT = regex.compile(r"\{(\d+)(?:,\d*)?\}")


def _units(items) -> int:
    """The size of a parsed pattern once its repeats are unrolled: a sequence adds, a repeat multiplies."""
    total = 0
    for op, arg in items:
        if op in _REPEATS:
            total += max(arg[0], 1) * _units(arg[2])
        elif op is _sre_parse.SUBPATTERN:
            total += _units(arg[-1])
        elif op is _sre_parse.BRANCH:
            total += sum(_units(b) for b in arg[1])
        elif op in (_sre_parse.ASSERT, _sre_parse.ASSERT_NOT):
            total += _units(arg[1])
        elif op is getattr(_sre_parse, "ATOMIC_GROUP", None):
            total += _units(arg)
        elif op is _sre_parse.GROUPREF_EXISTS:
            total += sum(_units(b) for b in arg[1:] if b is not None)
        else:
            total += 1
    return total


@functools.lru_cache(maxsize=4096)
def pattern_units(pattern: str) -> int:
    """An estimate of what compiling a pattern costs (unrolled size), cheap to compute before compiling."""
    try:
        return _units(parse(pattern))
    except Exception:  # noqa: BLE001 - regex-module syntax the stdlib parser does not know
        # An upper bound: every count in the pattern, as if all were nested, times its length.
        product = 1
        for m in _COUNT.finditer(pattern):
            product *= max(int(m.group(1)), 1)
        return product * max(len(pattern), 1)


def pattern_units_check(pattern: str) -> str | None:
    """An error message when a pattern alone would compile too long (too many units), else None."""
    units = pattern_units(pattern)
    if units <= MAX_PATTERN_UNITS:
        return None
    # a long alternation has no repeat count to blame
    what = "repeat counts expand it to" if _COUNT.search(pattern) else "it compiles to"
    return f"{what} {units} units (the limit is {MAX_PATTERN_UNITS})"


def compile_pattern_check(pattern: str, case_sensitive: bool = False) -> str | None:
    """Return an error message when a pattern does not compile (or would take too long to), else None."""
    problem = pattern_units_check(pattern)
    if problem:
        return problem
    try:
        regex.compile(pattern, 0 if case_sensitive else regex.IGNORECASE)
    except regex.error as exc:
        return str(exc)
    return None


def vocabulary_units_check(patterns: list[str]) -> str | None:
    """An error message when a vocabulary's patterns together (one alternation) would compile too long."""
    units = sum(pattern_units(p) for p in patterns)
    if units > MAX_PATTERN_UNITS:
        return f"its patterns together expand to {units} units (the limit is {MAX_PATTERN_UNITS})"
    return None
