"""Where each vocabulary may match, from one multi-pattern scan (Hyperscan); exact matching only there.

At pack load each pattern is rewritten (with the standard library's regex parser) as a Hyperscan
expression over the scan bytes (below) that matches at least wherever the pattern matches, written
backwards. The document's bytes are scanned once, reversed, for all of them: the end of a reversed match
is where a match of the pattern may start, so the scan reports every such start and no other.
`checker.vocab.DocumentMatches` then runs the vocabulary's own `regex` only there: the findings are those
of a scan of the whole text, and the attempts are few (a pattern such as `(vendors?|suppliers?) (\\w+\\s+)
{0,6}(are|is) ... (required|assessed)` is tried only where its later words follow, not at every
"vendor").

The rewriting keeps what Hyperscan compiles quickly: each character, class or `\\w` becomes the set of
bytes it may scan as (case folded as `regex` folds it); a repeat of more than one round (`\\w+`,
`(\\w+\\s+){0,6}`, `[^.;]{0,80}?`) becomes any run of the bytes its rounds may hold; look-arounds and
`\\b` are left out; a construct it cannot express (a back-reference) ends the expression there, which
still bounds where a match may start. A pattern with nothing left (it may match nothing, or uses
`regex`-module syntax the parser does not know) is scanned whole on its own, apart from the rest of its
vocabulary; where it matches is added to the candidates.

Every pattern is matched from a word start or after a non-word character (`checker.vocab.word_anchored`)
and a vocabulary's patterns end before a non-word character, so the expressions say so too: "he" is
not looked for inside "the", nor "it" inside "security".

The scan bytes are one byte per character of the text: ASCII as is, white space (what `\\s` matches) as
a space, the four non-ASCII letters that `regex` matches with ASCII letters without case (U+0130 and
U+0131 with i and I, U+017F with s, U+212A with k) as those letters, anything else as "?". Offsets
therefore stay those of the text.
Without the optional `hyperscan` package (`pip install cydcheck[fast]`) `build` returns None and every
vocabulary is scanned whole: same findings, slower.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import regex

from .vocab import Candidates, Vocabulary, _sre_parse, flexible_spaces, parse, word_anchored

try:
    import hyperscan
except ImportError:  # pragma: no cover - exercised by the pure-regex path's tests instead
    hyperscan = None

# White space as `regex` sees it (\s), all of it scanned as " ".
_ASCII_WHITE = "\t\n\v\f\r"
_OTHER_WHITE = "\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200b))) + "\u2028\u2029\u202f\u205f\u3000"
WHITE_SPACE = _ASCII_WHITE + " " + _OTHER_WHITE
# The non-ASCII letters `regex` matches with ASCII ones without case, and white space: one byte each.
_FOLDS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_TO_SCAN = str.maketrans(_FOLDS | {c: " " for c in _OTHER_WHITE})
_ASCII_SPACE = bytes.maketrans(_ASCII_WHITE.encode(), b" " * len(_ASCII_WHITE))
_ZERO_WIDTH = {_sre_parse.AT, _sre_parse.ASSERT, _sre_parse.ASSERT_NOT}
_REPEATS = {_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT, getattr(_sre_parse, "POSSESSIVE_REPEAT", None)}
_CHARS = {_sre_parse.LITERAL, _sre_parse.NOT_LITERAL, _sre_parse.ANY, _sre_parse.IN}
_ATOMIC = getattr(_sre_parse, "ATOMIC_GROUP", None)
_CATEGORIES = {_sre_parse.CATEGORY_DIGIT: r"\d", _sre_parse.CATEGORY_NOT_DIGIT: r"\D",
               _sre_parse.CATEGORY_SPACE: r"\s", _sre_parse.CATEGORY_NOT_SPACE: r"\S",
               _sre_parse.CATEGORY_WORD: r"\w", _sre_parse.CATEGORY_NOT_WORD: r"\W"}
# Every character that scans as a byte other than "?": ASCII, the four folded letters, white space.
_PROBES = [chr(b) for b in range(128)] + list(_FOLDS) + list(_OTHER_WHITE)
_UNKNOWN = 0x3F  # the byte of a character scanned as "?"
_NOT_WORD = "[^0-9A-Z_a-z]"  # a byte no word character scans as ("?" may be one)


# `regex`-module syntax the standard library's parser takes for something else: a POSIX class
# ("[[:alpha:]]", read as a set of "[:alph" then "]") and a fuzzy constraint ("{e<=1}", read as text).
_REGEX_ONLY = regex.compile(r"\[:|\{(?!\d*,?\d*\})")


class _Unsupported(Exception):
    """A construct the scan cannot express: the expression ends before it."""


def _escape(char: str) -> str:
    return f"\\U{ord(char):08x}"


def _char_source(op, arg) -> tuple[str, bool]:
    """One character item as `regex` source, and whether it may match a character scanned as "?"."""
    if op is _sre_parse.LITERAL:
        return "[" + _escape(chr(arg)) + "]", arg >= 128
    if op is _sre_parse.NOT_LITERAL:
        return "[^" + _escape(chr(arg)) + "]", True
    if op is _sre_parse.ANY:
        return "(?s:.)", True
    negated = bool(arg) and arg[0][0] is _sre_parse.NEGATE
    parts, wide = [], negated
    for kind, value in arg[1:] if negated else arg:
        if kind is _sre_parse.LITERAL:
            parts.append(_escape(chr(value)))
            wide = wide or value >= 128
        elif kind is _sre_parse.RANGE:
            parts.append(_escape(chr(value[0])) + "-" + _escape(chr(value[1])))
            wide = wide or value[1] >= 128
        elif kind is _sre_parse.CATEGORY and value in _CATEGORIES:
            parts.append(_CATEGORIES[value])
            wide = wide or value is not _sre_parse.CATEGORY_SPACE
        else:
            raise _Unsupported(str(kind))
    return ("[^" if negated else "[") + "".join(parts) + "]", wide


@functools.lru_cache(maxsize=4096)
def _bytes_of(source: str, wide: bool, flags: int) -> frozenset[int]:
    """The scan bytes of the characters a one-character `regex` item matches (with the pattern's flags)."""
    item = regex.compile(source, flags)
    found = {scan_bytes(c)[0] for c in _PROBES if item.fullmatch(c)}
    return frozenset(found | {_UNKNOWN} if wide else found)


def _char_bytes(op, arg, flags: int) -> frozenset[int]:
    return _bytes_of(*_char_source(op, arg), flags)


def _byte_class(found: frozenset[int]) -> str:
    """A Hyperscan class of these bytes: letters and digits as themselves, runs as ranges."""
    def one(b: int) -> str:
        return chr(b) if chr(b).isalnum() else f"\\x{b:02x}"

    if len(found) == 1:
        return one(next(iter(found)))
    runs: list[list[int]] = []
    for b in sorted(found):
        if runs and b == runs[-1][1] + 1:
            runs[-1][1] = b
        else:
            runs.append([b, b])
    return "[" + "".join(one(a) if a == b else one(a) + one(b) if b == a + 1 else f"{one(a)}-{one(b)}"
                         for a, b in runs) + "]"


@dataclass(frozen=True)
class _Part:
    expr: str  # Hyperscan syntax over the scan bytes, written backwards
    width: int  # the fewest bytes it matches (white space counts nothing: runs are cut to one space)
    whole: bool  # False: ended early at something it cannot express, so nothing may follow it


def _sequence(items, flags: int) -> _Part:
    exprs, width = [], 0
    for op, arg in items:
        try:
            part = _item(op, arg, flags)
        except _Unsupported:
            return _Part("".join(reversed(exprs)), width, False)
        exprs.append(part.expr)
        width += part.width
        if not part.whole:
            return _Part("".join(reversed(exprs)), width, False)
    return _Part("".join(reversed(exprs)), width, True)


def _scoped(flags: int, group) -> int:
    """The flags inside a group: (?i:...) adds IGNORECASE; (?-i:...) keeps it (the scan then matches more)."""
    return flags | (regex.IGNORECASE if group[1] & _sre_parse.SRE_FLAG_IGNORECASE else 0)


def _group(expr: str) -> str:
    return f"(?:{expr})" if expr else ""


def _item(op, arg, flags: int) -> _Part:
    if op in _CHARS:
        found = _char_bytes(op, arg, flags)
        if not found:
            raise _Unsupported("an empty class")
        return _Part(_byte_class(found), 1, True)
    if op is _sre_parse.SUBPATTERN or op is _ATOMIC:
        items = arg if op is _ATOMIC else arg[-1]
        inner = _sequence(items, flags if op is _ATOMIC else _scoped(flags, arg))
        return _Part(_group(inner.expr), inner.width, inner.whole)
    if op is _sre_parse.BRANCH:
        branches = [_sequence(b, flags) for b in arg[1]]
        return _Part("(?:" + "|".join(b.expr for b in branches) + ")", min(b.width for b in branches),
                     all(b.whole for b in branches))
    if op in _REPEATS:
        low, high, body = arg
        inner = _sequence(body, flags)
        if high <= 1:
            if low == 0:
                return _Part(_group(inner.expr) + "?" if inner.expr else "", 0, inner.whole)
            return _Part(_group(inner.expr), inner.width, inner.whole)
        if not inner.whole:
            raise _Unsupported("a repeat of something it cannot express")
        # Any number of rounds: any run of the bytes the rounds may hold (cheap to compile, however
        # many rounds the pattern allows).
        found = _alphabet(body, flags)
        if low and inner.width:
            return _Part(_byte_class(found) + "+", 1, True)
        return _Part(_byte_class(found) + "*", 0, True)
    if op in _ZERO_WIDTH:
        return _Part("", 0, True)  # look-arounds and \b left out: the expression matches more
    raise _Unsupported(str(op))


def _alphabet(items, flags: int) -> frozenset[int]:
    """Every scan byte a match of these parsed items may hold."""
    out: set[int] = set()
    for op, arg in items:
        if op in _CHARS:
            out |= _char_bytes(op, arg, flags)
        elif op is _sre_parse.SUBPATTERN:
            out |= _alphabet(arg[-1], _scoped(flags, arg))
        elif op is _ATOMIC:
            out |= _alphabet(arg, flags)
        elif op is _sre_parse.BRANCH:
            for branch in arg[1]:
                out |= _alphabet(branch, flags)
        elif op in _REPEATS:
            out |= _alphabet(arg[2], flags)
        elif op not in _ZERO_WIDTH:
            raise _Unsupported(str(op))
    return frozenset(out)


def expression(pattern: str, case_sensitive: bool = False, whole_word: bool = True) -> str | None:
    """The pattern as the scan looks for it: a Hyperscan expression over the reversed scan bytes, the byte
    before the match included (a match begins after a non-word character). None when the pattern cannot
    be looked for that way (it is then scanned whole).

    The pattern is taken as a vocabulary compiles it (a space matches any run of white space); with
    `whole_word` the match must end before a non-word character, as a vocabulary's own patterns do.
    """
    if _REGEX_ONLY.search(pattern):
        return None  # the stdlib parser would read it, but not as `regex` does
    try:
        parsed = parse(flexible_spaces(pattern))
    except Exception:  # noqa: BLE001 - regex-module syntax the stdlib parser does not know: scan whole
        return None
    flags = regex.UNICODE | (0 if case_sensitive else regex.IGNORECASE)
    if parsed.state.flags & _sre_parse.SRE_FLAG_IGNORECASE:
        flags |= regex.IGNORECASE
    body = _sequence(list(parsed), flags)
    if body.width == 0:
        return None  # it may match nothing: no use as a filter
    # Backwards: the end of the match (then a non-word character), the body, the byte before the start.
    return (_NOT_WORD if whole_word and body.whole else "") + _group(body.expr) + _NOT_WORD


def scan_bytes(text: str) -> bytes:
    """The text as the scan sees it: one byte a character, so offsets are kept (see the module note)."""
    if not text.isascii():
        text = text.translate(_TO_SCAN)
    return text.encode("ascii", "replace").translate(_ASCII_SPACE)


_PER_PROCESS = ("_dbs", "_threads", "_seen")  # a Scanner's attributes the compiled-pack cache leaves out


class Scanner:
    """One pack's expressions in Hyperscan databases; `scan(text, start, end)` gives Candidates.

    The vocabularies named `first` (those a check reads as the pack is shipped) have a database of their
    own, scanned for every document; the rest are in a second one, scanned only for a document that asks
    for one of them (the rules a learned model decides, read by `eval --combinations`)."""

    def __init__(self, vocabularies: Mapping[str, Vocabulary], first: Iterable[str] = ()) -> None:
        expressions: dict[str, int] = {}
        # per vocabulary, for its patterns and its exclusions: (expression ids, the patterns without one
        # compiled as one alternation, or None)
        self._plans: dict[tuple, tuple[tuple[frozenset[int], Any], tuple[frozenset[int], Any]]] = {}
        for vocab in _all(vocabularies):
            flags = regex.UNICODE | (0 if vocab.case_sensitive else regex.IGNORECASE)
            plan = []
            for patterns, whole_word in ((vocab.patterns, True), (vocab.exclude, False)):
                ids: set[int] = set()
                rest: list[str] = []
                for p in patterns:
                    expr = expression(p, vocab.case_sensitive, whole_word)
                    if expr is None:
                        rest.append(p)
                    else:
                        ids.add(expressions.setdefault(expr, len(expressions)))
                plan.append((frozenset(ids),
                             regex.compile(word_anchored(tuple(rest), whole_word), flags) if rest else None))
            self._plans[_key(vocab)] = (plan[0], plan[1])
        self._expressions = sorted(expressions, key=expressions.get)
        # The expressions of the vocabularies read first, then the rest: one database each, the second
        # scanned only when a document asks for one of its vocabularies.
        ahead = frozenset(i for v in _all({n: vocabularies[n] for n in first if n in vocabularies})
                          for part in self._plans[_key(v)] for i in part[0])
        tiers = [ahead, frozenset(range(len(self._expressions))) - ahead]
        self._tiers = tuple(t for t in tiers if t) or (frozenset(),)
        self._dbs: list[Any] = [None] * len(self._tiers)
        self._broken: frozenset[int] = frozenset()  # expressions Hyperscan refused: scanned whole instead

    def __getstate__(self) -> dict[str, Any]:
        # The compiled-pack cache keeps the serialised databases: loading them takes microseconds,
        # compiling them about a second.
        state = {k: v for k, v in self.__dict__.items() if k not in _PER_PROCESS}
        state["_dbs"] = [None] * len(self._tiers)
        if hyperscan is not None and self._expressions:
            state["_db_bytes"] = [hyperscan.dumpb(self._database(t)) for t in range(len(self._tiers))]
            state["_broken"] = self._broken
        return state

    def ready(self) -> Scanner:
        """Compile (or load) the databases now, so no document's time budget pays for it."""
        if hyperscan is not None and self._expressions:
            for t in range(len(self._tiers)):
                self._database(t)
        return self

    def _database(self, tier: int) -> Any:
        saved = self.__dict__.pop("_db_bytes", None)
        if saved is not None:
            for t, blob in enumerate(saved):
                try:
                    db = hyperscan.loadb(blob, hyperscan.HS_MODE_BLOCK)
                    db.scratch = hyperscan.Scratch(db)  # a loaded database comes without one
                    self._dbs[t] = db
                except Exception:  # noqa: BLE001 - another Hyperscan version or CPU: compile it instead
                    self._dbs[t] = None
        if self._dbs[tier] is None:
            ids = [i for i in sorted(self._tiers[tier]) if i not in self._broken]
            try:
                self._dbs[tier] = self._compile(ids)
            except hyperscan.error:
                # One expression Hyperscan will not take: find which, and scan its vocabularies whole.
                self._broken = self._broken | {i for i in ids if not self._compiles(i)}
                self._dbs[tier] = self._compile([i for i in ids if i not in self._broken])
        return self._dbs[tier]

    def _compile(self, ids: list[int]) -> Any:
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        if not ids:  # Hyperscan compiles no empty database: one that never matches
            ids, expressions = [len(self._expressions)], [b"\\x00[^\\x00]\\x00"]
        else:
            expressions = [self._expressions[i].encode() for i in ids]
        db.compile(expressions=expressions, ids=ids, elements=len(ids), flags=[0] * len(ids))
        return db

    def _compiles(self, i: int) -> bool:
        try:
            self._compile([i])
        except hyperscan.error:
            return False
        return True

    def _scratch(self, tier: int) -> Any:
        """This thread's scratch space for a database: Hyperscan refuses one scratch used by two scans at
        once (ScratchInUseError), and `cydcheck serve` checks documents in several threads."""
        threads = self.__dict__.setdefault("_threads", threading.local())  # setdefault: atomic
        db = self._database(tier)
        mine = threads.__dict__.setdefault("scratch", {})
        entry = mine.get(tier)
        if entry is None or entry[0] is not db:
            entry = mine[tier] = (db, hyperscan.Scratch(db))
        return entry[1]

    def _plan(self, vocab: Vocabulary) -> tuple | None:
        """A vocabulary's plan, found by its content once and then by the object itself."""
        seen = self.__dict__.setdefault("_seen", {})  # id(vocab) -> (vocab, plan); setdefault: atomic
        entry = seen.get(id(vocab))
        if entry is None or entry[0] is not vocab:
            entry = seen[id(vocab)] = (vocab, self._plans.get(_key(vocab)))
        return entry[1]

    def scan(self, text: str, start: int, end: int) -> Callable[[Vocabulary], Candidates]:
        """The per-vocabulary candidate lookup for the text span: each database scanned once, when a
        vocabulary first needs it."""
        found: dict[int, list[int]] = {}  # expression id -> where its matches may start, last first
        unscanned = set(range(len(self._tiers))) if self._expressions and end > start else set()
        reversed_bytes: list[bytes] = []
        # A non-word byte either side, so a match may begin at the start and end at the end; reversed, a
        # match ends (at `to`) after the byte before where the pattern's match would start.
        base = end - start + 2 + start

        def hit(i: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
            starts = found.get(i)
            if starts is None:
                found[i] = [base - to]
            else:
                starts.append(base - to)

        def scanned(ids: frozenset[int]) -> None:
            for t in [t for t in unscanned if ids & self._tiers[t]]:
                unscanned.discard(t)
                if not reversed_bytes:
                    reversed_bytes.append(b"".join((b" ", scan_bytes(text[start:end]), b" "))[::-1])
                self._database(t).scan(reversed_bytes[0], match_event_handler=hit, scratch=self._scratch(t))

        known: dict[frozenset[int], list[int]] = {}  # vocabularies sharing expressions share positions

        def positions(ids: frozenset[int]) -> list[int] | None:
            out = known.get(ids)
            if out is None:
                if unscanned:
                    scanned(ids)  # compiles its database if need be, which finds what Hyperscan refuses
                if ids & self._broken:
                    return None
                common = found.keys() & ids
                if len(common) == 1:
                    out = found[next(iter(common))][::-1]  # reported in the order of their ends
                else:
                    merged: set[int] = set()
                    for i in common:
                        merged.update(found[i])
                    out = sorted(merged)
                known[ids] = out
            return out

        def lookup(vocab: Vocabulary) -> Candidates:
            plan = self._plan(vocab)
            if plan is None:  # a vocabulary this scanner was not built for: scan it whole
                return Candidates(None, None)
            (own, own_rest), (exc, exc_rest) = plan
            return Candidates(positions(own), positions(exc), own_rest, exc_rest)

        return lookup


def _key(vocab: Vocabulary) -> tuple:
    # Not id(): a pickled pack (the compiled-pack cache) comes back as new objects.
    return vocab.name, vocab.patterns, vocab.exclude


def _all(vocabularies: Mapping[str, Vocabulary]) -> list[Vocabulary]:
    seen: dict[int, Vocabulary] = {}
    stack = list(vocabularies.values())
    while stack:
        v = stack.pop()
        if id(v) not in seen:
            seen[id(v)] = v
            stack.extend(v.includes)
    return list(seen.values())


def available() -> bool:
    return hyperscan is not None


def build(vocabularies: Mapping[str, Vocabulary], first: Iterable[str] = ()) -> Scanner | None:
    """The pack's scanner (the vocabularies `first` in a database of their own), or None without Hyperscan
    (every vocabulary is then scanned whole)."""
    return Scanner(vocabularies, first) if hyperscan is not None else None
