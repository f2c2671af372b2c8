"""Co-occurrence of concepts in one sentence, one paragraph or the whole section."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

import regex

from ..model import Match
from .base import FALSE, Context, Hit, Outcome, split_vetoes, topic_paragraphs

_WORD = regex.compile(r"[\w'’-]+")
_CLAUSE_BREAK = regex.compile(r"[;:()—–]|,\s+(and|but|or|while|whereas|which)\b")



@dataclass(frozen=True)
class ContextWindow:
    """Concepts that may sit in the sentences just before the one that matched."""

    sentences: int
    all: tuple[str, ...] = ()
    any: tuple[str, ...] = ()
    none: tuple[str, ...] = ()


@dataclass(frozen=True)
class SubjectVeto:
    """Vetoes that count only before the anchor term: in the subject position, ahead of the verb.

    "The Audit Committee receives reports on incidents" names the committee as the actor; in "the
    CISO monitors incidents and reports to the Audit Committee" the committee only receives. With
    `before: {none: [board], anchor: monitor_word}` the first is rejected and the second is not.
    A unit where the anchor does not occur is vetoed by a match anywhere in it. `object_words: N`
    extends the veto to the verb's object: the N words after the anchor, up to the next anchor or the end
    of the clause (a semicolon, colon, dash or bracket, or a comma and a conjunction). "Management reports
    to the Board" makes the board the receiver of a report, not the source of it; in "the CISO monitors
    incidents and reports to the Audit Committee" the committee is the second verb's object, not the first's.
    """

    none: tuple[str, ...]
    anchor: str
    object_words: int = 0


@dataclass(frozen=True)
class AboutWindow:
    """What the anchor term is about: one of these concepts within `words` words before or after it.

    "Risks from cybersecurity threats have not materially affected us" and "we did not experience any
    material cybersecurity incident" say it of a cyber risk, as subject or object; "we did not experience
    any material disruption from the shift to remote work, and we continue to evaluate cybersecurity" says
    it of something else, and the cyber words sit far from it. With `about: {anchor: past_statement, any:
    [cyber_event], words: 8}` the first two pass and the third does not.
    """

    anchor: str
    any: tuple[str, ...]
    words: int


@dataclass(frozen=True)
class Clause:
    scope: str  # sentence | paragraph | section
    all: tuple[str, ...] = ()
    any: tuple[str, ...] = ()
    none: tuple[str, ...] = ()
    ordered: bool = False
    within_words: int | None = None
    context: ContextWindow | None = None
    before: SubjectVeto | None = None
    about: AboutWindow | None = None
    # `none:` entries {concept, unless}: the concept vetoes a unit only where the unit holds none of the
    # others ("see Item 1A" bars a sentence unless it also states a fact: "see Item 1A; we have not
    # identified any incident that has materially affected us")
    none_unless: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # the topic: one of these concepts held by the unit's paragraph or the paragraph before it ("Our Chief
    # Executive Officer has more than 30 years of experience in the grocery industry" in a paragraph that
    # never names cybersecurity is no manager's cybersecurity expertise)
    topic: tuple[str, ...] = ()

    @classmethod
    def build(cls, kind: str, body: dict[str, Any], known: set[str], where: str) -> Clause:
        ctx = body.get("context")
        window = None
        if ctx:
            window = ContextWindow(ctx["sentences"], tuple(ctx.get("all", ())), tuple(ctx.get("any", ())),
                                   tuple(ctx.get("none", ())))
        before = body.get("before")
        veto = (SubjectVeto(tuple(before.get("none", ())), before["anchor"], before.get("object_words", 0))
                if before else None)
        about = body.get("about")
        window_about = AboutWindow(about["anchor"], tuple(about["any"]), about["words"]) if about else None
        plain, lifted = split_vetoes(body.get("none", ()))
        return cls(kind, tuple(body.get("all", ())), tuple(body.get("any", ())), plain,
                   bool(body.get("ordered", False)), body.get("within_words"), window, veto, window_about,
                   lifted, tuple(body.get("topic", ())))

    def units(self, ctx: Context) -> list[tuple[int, int, int]]:
        """(start, end, sentence index or -1) of each unit the clause is tried on."""
        return ctx.units(self.scope)

    def _candidates(self, ctx: Context) -> list[tuple[int, int, int]]:
        """The units that hold every `all` concept and one `any` concept: the only ones that can pass.

        Concepts are matched in the order, and under the same conditions, that trying every unit would
        match them (the second `all` concept only when some unit holds the first, and so on), so a
        vocabulary that runs out of time fails the same rule as before.
        """
        units = self.units(ctx)
        if self.scope == "section" or not units or not (self.all or self.any):
            return units
        keep: set[int] | None = None
        for concept in self.all:
            held = ctx.units_holding(concept, self.scope)
            keep = held if keep is None else keep & held
            if not keep:
                return []
        if self.any:
            held = set().union(*(ctx.units_holding(c, self.scope) for c in self.any))
            keep = held if keep is None else keep & held
        assert keep is not None
        return [units[i] for i in sorted(keep)]

    def evaluate(self, ctx: Context) -> Outcome:
        hits = []
        candidates = self._candidates(ctx)
        if self.topic and candidates:
            candidates = self._on_topic(ctx, candidates)
        for start, end, index in candidates:
            hit = self._try_unit(ctx, start, end, index)
            if hit is not None:
                hits.append(hit)
        return Outcome(True, tuple(hits)) if hits else FALSE

    def _on_topic(self, ctx: Context, units: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """The units whose paragraph, or the paragraph before it, holds a topic concept (for a section: all,
        when any paragraph does)."""
        near = topic_paragraphs(ctx, tuple((c,) for c in self.topic))
        if self.scope == "section":
            return units if near else []
        if self.scope == "sentence":
            sentences = ctx.segments.sentences
            return [u for u in units if sentences[u[2]].paragraph in near]
        starts = ctx.unit_starts("paragraph")
        return [u for u in units if bisect.bisect_right(starts, u[0]) - 1 in near]

    def _try_unit(self, ctx: Context, start: int, end: int, index: int) -> Hit | None:
        required = []
        for concept in self.all:
            found = ctx.matches_in(concept, start, end)
            if not found:
                return None
            required.append(found)
        optional: list[Match] = []
        if self.any:
            for concept in self.any:
                optional.extend(ctx.matches_in(concept, start, end))
            if not optional:
                return None
        for concept in self.none:
            if ctx.matches_in(concept, start, end):
                return None
        for concept, unless in self.none_unless:
            if ctx.matches_in(concept, start, end) and not any(ctx.matches_in(u, start, end) for u in unless):
                return None
        if self.before is not None and self._subject_vetoed(ctx, start, end):
            return None
        if self.ordered and not _in_order(required + ([optional] if optional else [])):
            return None
        if self.within_words is not None:
            groups = required + ([sorted(optional, key=lambda m: m.start)] if optional else [])
            if not _within_words(ctx.text, groups, self.within_words):
                return None
        chosen: list[Match] = [m for group in required for m in group] + optional
        if self.about is not None:
            near = self._about_match(ctx, start, end)
            if near is None:
                return None
            chosen.append(near)
        if self.context is not None:
            window_hit = self._context_matches(ctx, start, end, index)
            if window_hit is None:
                return None
            start, extra = window_hit
            chosen.extend(extra)
        # Each match once, in text order (matches of one text are equal when these three are).
        unique = {(m.start, m.end, m.concept): m for m in chosen}
        return Hit(start, end, tuple(unique[k] for k in sorted(unique)))

    def _subject_vetoed(self, ctx: Context, start: int, end: int) -> bool:
        veto = self.before
        assert veto is not None
        anchors = ctx.matches_in(veto.anchor, start, end)
        limit = anchors[0].start if anchors else end
        if anchors and veto.object_words:
            # the end of the N-th word after the anchor (or the unit's end when fewer remain), no further
            # than the next anchor: what follows a second verb is its object ("monitors incidents and
            # reports to the Audit Committee")
            stop = next((a.start for a in anchors[1:] if a.start >= anchors[0].end), end)
            # ... nor past the end of its clause: in "responsible for detecting and reporting incidents,
            # and our Board, which oversees ..." the board is a subject of its own (a comma alone ends an
            # opening phrase, not the clause: "At each meeting, the Audit Committee receives ...")
            brk = _CLAUSE_BREAK.search(ctx.text, anchors[0].end, stop)
            stop = brk.start() if brk else stop
            words = list(_WORD.finditer(ctx.text, anchors[0].end, stop))
            limit = words[veto.object_words - 1].end() if len(words) >= veto.object_words else stop
        return any(m.start < limit for c in veto.none for m in ctx.matches_in(c, start, end))

    def _about_match(self, ctx: Context, start: int, end: int) -> Match | None:
        """A match of an `about` concept within the word window of an anchor match, if any (linear in
        the unit's words: each window is found by bisection)."""
        about = self.about
        assert about is not None
        anchors = ctx.matches_in(about.anchor, start, end)
        near = sorted((m for c in about.any for m in ctx.matches_in(c, start, end)), key=lambda m: m.start)
        if not anchors or not near:
            return None
        spans = [w.span() for w in _WORD.finditer(ctx.text, start, end)]
        word_starts = [w[0] for w in spans]
        word_ends = [w[1] for w in spans]
        near_starts = [m.start for m in near]
        reach: list[Match] = []  # per position in near, the match reaching furthest among those up to it
        for m in near:
            reach.append(m if not reach or m.end > reach[-1].end else reach[-1])
        for a in anchors:
            # from the start of the N-th word before the anchor to the end of the N-th word after it
            first = bisect.bisect_left(word_starts, a.start)
            lo = word_starts[first - about.words] if first >= about.words else start
            after = bisect.bisect_right(word_ends, a.end) + about.words - 1
            hi = word_ends[after] if after < len(word_ends) else end
            j = bisect.bisect_left(near_starts, lo)
            if j < len(near) and near[j].start < hi:
                return near[j]  # starts inside the window
            if j and reach[j - 1].end > lo:
                return reach[j - 1]  # starts before it and runs into it
        return None

    def _context_matches(
        self, ctx: Context, start: int, end: int, index: int
    ) -> tuple[int, list[Match]] | None:
        win = self.context
        assert win is not None
        sentences = ctx.segments.sentences
        first = sentences[max(0, index - win.sentences)] if index >= 0 else None
        win_start = first.start if first is not None else start
        found: list[Match] = []
        for concept in win.all:
            ms = ctx.matches_in(concept, win_start, end)
            if not ms:
                return None
            found.append(ms[-1])  # the nearest mention before the sentence
        if win.any:
            anyfound = [m for c in win.any for m in ctx.matches_in(c, win_start, end)]
            if not anyfound:
                return None
            found.append(max(anyfound, key=lambda m: m.start))
        for concept in win.none:
            if ctx.matches_in(concept, win_start, end):
                return None
        earliest = min([m.start for m in found] + [start])
        if earliest < start and index >= 0:
            # Extend the evidence back to the sentence holding the earliest context term.
            starts = ctx.unit_starts("sentence")
            earliest = sentences[max(0, bisect.bisect_right(starts, earliest) - 1)].start
        return min(earliest, start), found


def _in_order(groups: list[list[Match]]) -> bool:
    pos = -1
    for group in groups:
        nxt = [m for m in group if m.start > pos]
        if not nxt:
            return False
        pos = min(m.start for m in nxt)
    return True


def _within_words(text: str, groups: list[list[Match]], limit: int) -> bool:
    """True when one match from every group fits in a span of at most `limit` words between them."""
    if len(groups) < 2:
        return True
    tagged = sorted((m.start, m.end, gi) for gi, group in enumerate(groups) for m in group)
    need = len(groups)
    for i, (s0, _e0, _g0) in enumerate(tagged):
        seen: dict[int, int] = {}
        for s1, e1, g1 in tagged[i:]:
            seen[g1] = max(seen.get(g1, 0), e1)
            if len(seen) == need:
                words = len(_WORD.findall(text, s0, s1))
                # words between the first term's start and the last term's start, minus the first term
                if words - 1 <= limit:
                    return True
                break
    return False
