"""Where each vocabulary may match, from one multi-pattern scan (Hyperscan); exact matching only there.

At pack load each pattern is expanded (with the standard library's regex parser) into the literal
strings every one of its matches must begin with ("board", "boa" for "boards?", "cis"/"chi" for
"CISO|chief ..."). One Hyperscan scan of the document finds every occurrence of every literal of every
vocabulary and exclusion; `checker.vocab.DocumentMatches` then runs the vocabulary's own `regex` only at
those positions. Every match begins at a candidate, so the findings are those of a scan of the whole
text. A pattern that has no such literal start (it may begin with `\\w`, `.`, a class of many characters,
or use `regex`-module syntax the parser does not know) is scanned whole on its own, apart from the rest of
its vocabulary (`(\\w+\\s+){0,2}forum` alone is a quick search for "forum"; in the vocabulary's alternation
it cost every position of the text); where it matches is added to the candidates.

Every pattern is matched from a word start or after a non-word character (`checker.vocab.word_anchored`),
so a literal that begins with a word character is a candidate only after a non-word character: "he" is
not a candidate inside "the", nor "in " inside "within ".

Literals are matched without case on a one-byte-per-character copy of the text: ASCII as is, white space
(what `\\s` matches) as a space, the four non-ASCII letters that `regex` matches with ASCII letters
without case (U+0130 and U+0131 with i and I, U+017F with s, U+212A with k) as those letters, anything
else as "?". Offsets therefore stay those of the text.
Without the optional `hyperscan` package (`pip install cydcheck[fast]`) `build` returns None and every
vocabulary is scanned whole: same findings, slower.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Callable, Mapping
from typing import Any

import regex

from .vocab import Candidates, Vocabulary, _sre_parse, flexible_spaces, parse, word_anchored

try:
    import hyperscan
except ImportError:  # pragma: no cover - exercised by the pure-regex path's tests instead
    hyperscan = None

MAX_LITERAL = 10  # characters of a literal start looked for: longer ones add little selectivity
MAX_LITERALS = 64  # literal starts one pattern may expand to before it is scanned whole instead
MAX_CLASS = 10  # characters a [class] may hold and still be expanded (\d is ten)
# White space as `regex` sees it (\s), all of it scanned as " ", so "a\s+board" can look for "a ".
_ASCII_WHITE = "\t\n\v\f\r"
_OTHER_WHITE = "\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200b))) + "\u2028\u2029\u202f\u205f\u3000"
WHITE_SPACE = _ASCII_WHITE + " " + _OTHER_WHITE
_CLASSES = {_sre_parse.CATEGORY_SPACE: " ", _sre_parse.CATEGORY_DIGIT: "0123456789"}
# The non-ASCII letters `regex` matches with ASCII ones without case, and white space: one byte each.
_FOLDS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_TO_SCAN = str.maketrans(_FOLDS | {c: " " for c in _OTHER_WHITE})
_ASCII_SPACE = bytes.maketrans(_ASCII_WHITE.encode(), b" " * len(_ASCII_WHITE))
_ZERO_WIDTH = {_sre_parse.AT, _sre_parse.ASSERT, _sre_parse.ASSERT_NOT}
_REPEATS = {_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT, getattr(_sre_parse, "POSSESSIVE_REPEAT", None)}

Expansion = list[tuple[str, bool]]  # (literal start, whether the literal may be extended by what follows)


def _as_scanned(char: str) -> str:
    """A character of a pattern as the scan sees it: white space as one space."""
    return " " if char in WHITE_SPACE else char


def _item(op, arg) -> Expansion | None:
    """The literal starts of one parsed item, or None when it can begin with too many characters."""
    if op is _sre_parse.LITERAL:
        return [(_as_scanned(chr(arg)), True)] if arg < 128 else None
    if op is _sre_parse.IN:
        chars: list[str] = []
        for kind, value in arg:
            if kind is _sre_parse.LITERAL:
                chars.append(chr(value))
            elif kind is _sre_parse.RANGE and value[1] - value[0] < MAX_CLASS:
                chars.extend(chr(c) for c in range(value[0], value[1] + 1))
            elif kind is _sre_parse.CATEGORY and value in _CLASSES:
                chars.extend(_CLASSES[value])
            else:
                return None  # a negated class, \w, or a wide range
        chars = list(dict.fromkeys(_as_scanned(c) for c in chars))
        if not 0 < len(chars) <= MAX_CLASS or not all(c.isascii() for c in chars):
            return None
        return [(c, True) for c in chars]
    if op is _sre_parse.SUBPATTERN:
        return _sequence(list(arg[-1]))
    if op is _sre_parse.BRANCH:
        out: Expansion = []
        for branch in arg[1]:
            exp = _sequence(list(branch))
            if exp is None:
                return None
            out.extend(exp)
        return out
    if op in _REPEATS:
        body = _sequence(list(arg[2]))
        if body is None:
            return None
        if body == [(" ", True)]:  # a run of white space is one space in the scan (see squeeze)
            return [(" ", True), ("", True)] if arg[0] == 0 else [(" ", True)]
        # At most once (x?): what follows it follows the body. More: the repeat may go on, so what
        # follows is not known.
        starts = body if arg[1] == 1 else [(s, False) for s, _ in body]
        return starts + [("", True)] if arg[0] == 0 else starts
    if op in _ZERO_WIDTH:
        return [("", True)]  # consumes nothing: the literal goes on with what follows
    return None


def _sequence(items) -> Expansion | None:
    """The literal starts of a sequence of parsed items."""
    state: Expansion = [("", True)]
    for op, arg in items:
        if not any(open_ and len(s) < MAX_LITERAL for s, open_ in state):
            break
        exp = _item(op, arg)
        if exp is None:
            return [(s, False) for s, _ in state]  # what was built so far; "" means no literal start
        grown: Expansion = []
        for s, open_ in state:
            if not open_ or len(s) >= MAX_LITERAL:
                grown.append((s, False))
            else:  # two white-space runs in a row are one run: one space in the scan
                grown.extend((s + (t[1:] if s.endswith(" ") and t.startswith(" ") else t), more)
                             for t, more in exp)
        grown = list(dict.fromkeys(grown))
        if len(grown) > MAX_LITERALS:
            return [(s, False) for s, _ in state]
        state = grown
    return state


def literal_starts(pattern: str) -> set[str] | None:
    """Lower-case ASCII literals, one of which begins every match of the pattern; None when there are none.

    The pattern is taken as a vocabulary compiles it (a space matches any run of white space).
    """
    try:
        parsed = parse(flexible_spaces(pattern))
    except Exception:  # noqa: BLE001 - regex-module syntax the stdlib parser does not know: scan whole
        return None
    exp = _sequence(list(parsed))
    if not exp:
        return None
    starts = {s[:MAX_LITERAL].lower() for s, _ in exp}
    if "" in starts or not all(s.isascii() for s in starts):
        return None
    # "i", "s" and "k" also stand for the non-ASCII letters that match them (see _TO_SCAN).
    # A literal that extends another adds no candidate: "board" already covers "boards".
    return {s for s in starts if not any(s != t and s.startswith(t) for t in starts)}


def _vocabulary_starts(patterns: tuple[str, ...]) -> tuple[set[str], tuple[str, ...]]:
    """The literal starts of a vocabulary's patterns, and the patterns that have none (scanned whole)."""
    out: set[str] = set()
    rest: list[str] = []
    for p in patterns:
        starts = literal_starts(p)
        if starts is None:
            rest.append(p)
        else:
            out |= starts
    return out, tuple(rest)


def scan_bytes(text: str) -> bytes:
    """The text as the scan sees it: one byte a character, so offsets are kept (see the module note)."""
    if not text.isascii():
        text = text.translate(_TO_SCAN)
    return text.encode("ascii", "replace").translate(_ASCII_SPACE)


class Scanner:
    """One pack's literal starts in one Hyperscan database; `scan(text, start, end)` gives Candidates."""

    def __init__(self, vocabularies: Mapping[str, Vocabulary]) -> None:
        literals: dict[str, int] = {}
        # per vocabulary, for its patterns and its exclusions: (literal ids, the patterns without one
        # compiled as one alternation, or None)
        self._plans: dict[tuple, tuple[tuple[tuple[int, ...], Any], tuple[tuple[int, ...], Any]]] = {}
        for vocab in _all(vocabularies):
            flags = regex.UNICODE | (0 if vocab.case_sensitive else regex.IGNORECASE)
            plan = []
            for patterns, whole_word in ((vocab.patterns, True), (vocab.exclude, False)):
                starts, rest = _vocabulary_starts(patterns)
                ids = frozenset(literals.setdefault(s, len(literals)) for s in starts)
                plan.append((ids, regex.compile(word_anchored(rest, whole_word), flags) if rest else None))
            self._plans[_key(vocab)] = (plan[0], plan[1])
        self._literals = sorted(literals, key=literals.get)
        self._db: Any = None

    def __getstate__(self) -> dict[str, Any]:
        # The compiled-pack cache keeps the serialised database: loading it takes microseconds,
        # compiling it tens of milliseconds.
        state = {k: v for k, v in self.__dict__.items() if k not in ("_db", "_threads")} | {"_db": None}
        if hyperscan is not None and self._literals:
            state["_db_bytes"] = hyperscan.dumpb(self._database())
        return state

    def _database(self) -> Any:
        saved = self.__dict__.pop("_db_bytes", None)
        if self._db is None and saved is not None:
            try:
                db = hyperscan.loadb(saved, hyperscan.HS_MODE_BLOCK)
                db.scratch = hyperscan.Scratch(db)  # a loaded database comes without one
                self._db = db
            except Exception:  # noqa: BLE001 - another Hyperscan version or CPU: compile it instead
                self._db = None
        if self._db is None:
            db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            expressions = ["".join(f"\\x{ord(c):02x}" for c in lit).encode() for lit in self._literals]
            db.compile(expressions=expressions, ids=list(range(len(expressions))), elements=len(expressions),
                       flags=[hyperscan.HS_FLAG_CASELESS] * len(expressions))
            self._db = db
        return self._db

    def _scratch(self, db: Any) -> Any:
        """This thread's scratch space for the database: Hyperscan refuses one scratch used by two scans at
        once (ScratchInUseError), and `cydcheck serve` checks documents in several threads."""
        threads = self.__dict__.setdefault("_threads", threading.local())  # setdefault: atomic
        if getattr(threads, "db", None) is not db:
            threads.db, threads.scratch = db, hyperscan.Scratch(db)
        return threads.scratch

    def scan(self, text: str, start: int, end: int) -> Callable[[Vocabulary], Candidates]:
        """Find every literal once; return the per-vocabulary candidate lookup for this text span."""
        ends: dict[int, list[int]] = {}  # literal id -> where its hits end (squeezed offsets)
        where = Squeezed(b"")
        if self._literals and end > start:
            where = squeeze(scan_bytes(text[start:end]))

            def found(lit: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
                hits = ends.get(lit)
                if hits is None:
                    ends[lit] = [to]
                else:
                    hits.append(to)

            db = self._database()
            db.scan(where.data, match_event_handler=found, scratch=self._scratch(db))
        literals, data = self._literals, where.data
        hit = frozenset(ends)
        starts: dict[int, list[int]] = {}  # literal id -> where its hits start in the text
        known: dict[frozenset[int], list[int]] = {}  # vocabularies sharing literals share their positions

        def literal_starts(i: int) -> list[int]:
            out = starts.get(i)
            if out is None:
                lit = literals[i]
                n = len(lit)
                if _WORD_BYTE[ord(lit[0])]:
                    # A literal that begins with a word character begins a word (see the module note).
                    # Checked here: Hyperscan's \b made its database 60 times slower to compile.
                    hits = [to - n for to in ends[i] if to == n or not _WORD_BYTE[data[to - n - 1]]]
                else:
                    hits = [to - n for to in ends[i]]
                out = starts[i] = [p + start for p in where.starts(hits, lit[0] == " ")]
            return out

        def positions(ids: frozenset[int]) -> list[int]:
            out = known.get(ids)
            if out is None:
                common = hit & ids
                if len(common) == 1:
                    out = sorted(literal_starts(next(iter(common))))  # each once: distinct ends
                else:
                    merged: set[int] = set()
                    for i in common:
                        merged.update(literal_starts(i))
                    out = sorted(merged)
                known[ids] = out
            return out

        def lookup(vocab: Vocabulary) -> Candidates:
            plan = self._plans.get(_key(vocab))
            if plan is None:  # a vocabulary this scanner was not built for: scan it whole
                return Candidates(None, None)
            (own, own_rest), (exc, exc_rest) = plan
            return Candidates(positions(own), positions(exc), own_rest, exc_rest)

        return lookup


_RUN = re.compile(rb"  +")
_WORD_BYTE = bytes(int(chr(b).isascii() and (chr(b).isalnum() or chr(b) == "_")) for b in range(256))


class Squeezed:
    """The scanned bytes with every run of white space cut to one space, and the way back to offsets.

    A pattern's `\\s+` is then one space in its literal starts, so they go on past it ("risk man" for
    "risk management" instead of "risk "). `pieces` holds (squeezed offset, original offset) where
    each stretch begins.
    """

    def __init__(self, data: bytes, pieces: list[tuple[int, int]] | None = None, size: int = 0) -> None:
        self.data = data
        self.size = size or len(data)
        self._sq = [a for a, _ in pieces] if pieces else []
        self._orig = [b for _, b in pieces] if pieces else []

    def starts(self, squeezed: list[int], run: bool) -> list[int]:
        """The original offsets of literal hits starting at these squeezed offsets. A literal that begins
        with white space may begin anywhere in the run (a match may start after a space): each offset."""
        if not self._sq:
            return squeezed
        out = []
        for s in squeezed:
            k = bisect.bisect_right(self._sq, s) - 1
            o = self._orig[k] + s - self._sq[k]
            if run:
                k2 = bisect.bisect_right(self._sq, s + 1) - 1
                after = self._orig[k2] + s + 1 - self._sq[k2] if s + 1 < len(self.data) else self.size
                out.extend(range(o, after))
            else:
                out.append(o)
        return out


def squeeze(data: bytes) -> Squeezed:
    """The bytes with runs of spaces cut to one (see Squeezed)."""
    if b"  " not in data:
        return Squeezed(data)
    parts, pieces, pos, sq = [], [(0, 0)], 0, 0
    for m in _RUN.finditer(data):
        a, b = m.span()
        parts.append(data[pos:a + 1])
        sq += a + 1 - pos
        pos = b
        pieces.append((sq, b))
    parts.append(data[pos:])
    return Squeezed(b"".join(parts), pieces, len(data))


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


def build(vocabularies: Mapping[str, Vocabulary]) -> Scanner | None:
    """The pack's scanner, or None without Hyperscan (every vocabulary is then scanned whole)."""
    return Scanner(vocabularies) if hyperscan is not None else None


