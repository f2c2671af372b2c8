"""Read a filing's cyd: inline XBRL facts (text blocks, flags, incident members) and turn them into labels."""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

import yaml
from lxml import etree
from lxml import html as lxml_html

from .model import Document, Fact
from .suggest import nearest

CYD_NAMESPACE = "http://xbrl.sec.gov/cyd/"  # yearly versions: .../cyd/2024, .../cyd/2025
_CYD_VERSION = re.compile(r"http://xbrl\.sec\.gov/cyd/(\d{4})")  # the whole namespace: EDGAR knows no other
CYD_FIRST_YEAR = 2024  # the cyd taxonomy's first version: no cyd/2023 (or earlier) namespace exists
STRAY_CUTOFF = 0.9  # how close a name outside the cyd namespace must be to a cyd element's to be named
DEI_NAMESPACE = "http://xbrl.sec.gov/dei/"
INCIDENT_AXIS = "MaterialCybersecurityIncidentAxis"

# Elements that start a new block of text when rendered; the rest run inline.
_BLOCKS = frozenset("p div li tr h1 h2 h3 h4 h5 h6 table ul ol section blockquote article header footer "
                    "center dt dd pre".split())
_SKIP = frozenset({"exclude", "script", "style", "head", "title"})  # never part of a fact's text
_TRUE_FORMATS = frozenset({"fixed-true", "booleantrue"})
_FALSE_FORMATS = frozenset({"fixed-false", "booleanfalse"})
_TRUE_WORDS = frozenset({"true", "yes", "\u2612", "\u2611"})  # ballot box with X / check
_FALSE_WORDS = frozenset({"false", "no", "\u2610"})
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_ANCHOR_WORDS = 8  # words matched at each end of a fact's text to find it in the document text


@dataclass(frozen=True)
class Concept:
    """What one cyd: concept is: a text block or a flag, and the element id it answers."""

    name: str
    kind: str
    element: str | None


@cache
def concepts() -> dict[str, Concept]:
    """The cyd: concept table shipped in checker/data/cyd-concepts.yaml."""
    raw = resources.files("checker").joinpath("data/cyd-concepts.yaml").read_text(encoding="utf-8")
    table = yaml.safe_load(raw)
    return {name: Concept(name, spec["kind"], spec.get("element")) for name, spec in table.items()}


def concept_info(name: str) -> Concept:
    """A concept from the table; one from a later taxonomy version gets its kind from its name."""
    known = concepts().get(name)
    if known is not None:
        return known
    return Concept(name, "flag" if name.endswith("Flag") else "text", None)


@dataclass
class InlineXbrl:
    """What an inline XBRL document says about itself: its cyd facts and a few dei cover facts."""

    facts: list[Fact] = field(default_factory=list)
    dei: dict[str, str] = field(default_factory=dict)  # local name -> text, e.g. DocumentType -> 10-K
    period: str | None = None  # end date (ISO) of the document's own context
    # the cyd namespace used, e.g. http://xbrl.sec.gov/cyd/2024, where the tree keeps it (an HTML parser drops
    # the declarations of a document wrapped in EDGAR's <XBRL>)
    taxonomy: str | None = None
    stray: list[Fact] = field(default_factory=list)  # named like a cyd element, in another namespace


# ---------------------------------------------------------------- parsing


def _parse(raw: bytes | str) -> etree._Element | None:
    """Inline XBRL is XHTML; a file that is not well-formed is read leniently as HTML."""
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    if not data.strip():
        return None
    parser = etree.XMLParser(recover=True, huge_tree=True, resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        root = None
    if root is not None and any(_local(e) == "nonnumeric" for e in root.iter(etree.Element)):
        return root
    try:
        return lxml_html.fromstring(data)
    except (etree.ParserError, ValueError):
        return root


def _local(el: etree._Element) -> str:
    """Lower-case local name of an element, whether namespaced (XML) or prefixed (HTML parser)."""
    tag = el.tag
    return _local_name(tag) if isinstance(tag, str) else ""


@cache
def _local_name(tag: str) -> str:
    """A tag's lower-case local name (a filing has a few dozen distinct tags and tens of thousands of
    elements: each is split once)."""
    if tag.startswith("{"):
        tag = tag.rsplit("}", 1)[1]
    return tag.rsplit(":", 1)[-1].lower()


def _qname(el: etree._Element, value: str) -> tuple[str | None, str]:
    """Resolve a QName attribute value ("cyd:Foo") to (namespace or prefix, local name)."""
    prefix, _, local = value.rpartition(":")
    if not prefix:
        return None, local
    ns = el.nsmap.get(prefix) if hasattr(el, "nsmap") else None
    return ns or prefix, local


def _namespace(root: etree._Element, ns: str | None) -> str | None:
    """A namespace as the XML parser resolves it; the HTML parser leaves the prefix, declared on the root."""
    declared = ns if ns is None or ns.startswith("http") else root.get(f"xmlns:{ns}")
    return declared if declared and declared.startswith("http") else None


def is_cyd(ns: str | None) -> bool:
    """The namespace (or, undeclared, the prefix) is the SEC's cyd taxonomy's."""
    version = _CYD_VERSION.fullmatch(ns or "")
    return bool(ns) and (bool(version and int(version.group(1)) >= CYD_FIRST_YEAR) or ns == "cyd")


def _cyd_like(local: str) -> bool:
    """A name outside the cyd namespace that is a cyd element's, or nearly (a tag in the wrong namespace)."""
    return local in concepts() or nearest(local, concepts(), STRAY_CUTOFF) is not None


def _is_dei(ns: str | None) -> bool:
    return bool(ns) and (ns.startswith(DEI_NAMESPACE) or ns == "dei")


def _number(el: etree._Element) -> float | None:
    """The value of an ix:nonFraction: its digits times 10**scale, negative when sign="-"."""
    text = "".join(el.itertext())
    if "commadecimal" in (_attr(el, "format") or "").replace("-", "").lower():  # 1.234,5
        text = text.replace(".", "").replace(",", ".")
    digits = re.sub(r"[^0-9.]", "", text)
    try:
        value, scale = float(digits), int(_attr(el, "scale") or 0)
    except ValueError:
        return None
    if not -30 <= scale <= 30:  # no amount of money needs more; a hostile scale is not computed
        return None
    value *= 10.0 ** scale
    return -value if _attr(el, "sign") == "-" else value


def _attr(el: etree._Element, name: str) -> str | None:
    """An attribute by local name (the HTML parser lower-cases names and keeps prefixes)."""
    for key, value in el.attrib.items():
        if key.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower() == name.lower():
            return value
    return None


# ---------------------------------------------------------------- text


def _pieces(root: etree._Element, out: list[str]) -> None:
    """Rendered text of an element: block elements on their own lines, ix:exclude left out.

    Iterative (an explicit stack), so a fact nested thousands of spans deep is read, not a RecursionError.
    """
    stack: list[tuple[str, etree._Element]] = [("open", root)]
    while stack:
        step, el = stack.pop()
        if step == "tail":
            if el.tail:
                out.append(_SPACE.sub(" ", el.tail))
            continue
        name = _local(el)
        if step == "close":
            out.append("\n\n")
            continue
        if name in _SKIP or not isinstance(el.tag, str):
            continue
        if name == "br":
            out.append("\n")
            continue
        block = name in _BLOCKS
        if block:
            out.append("\n\n")
            stack.append(("close", el))
        elif name in ("td", "th"):
            out.append(" ")
        if el.text:
            out.append(_SPACE.sub(" ", el.text))
        for child in reversed(el):
            stack.append(("tail", child))
            stack.append(("open", child))


def render_text(elements: Iterable[etree._Element]) -> str:
    """The text of a run of elements (a fact and its continuations), with paragraph breaks kept."""
    parts: list[str] = []
    for el in elements:
        parts.append("\n\n")
        _pieces(el, parts)
    text = "".join(parts)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)  # no spaces around line breaks
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def normalise_space(text: str) -> str:
    """Text compared without regard to layout: every run of whitespace becomes one space."""
    return " ".join(text.split())


# ---------------------------------------------------------------- facts


def _flag_value(fmt: str | None, text: str) -> bool | None:
    local = (fmt or "").rpartition(":")[2].lower()
    if local in _TRUE_FORMATS:
        return True
    if local in _FALSE_FORMATS:
        return False
    word = text.strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    return None


def _chain(first: etree._Element, continuations: dict[str, etree._Element],
           claimed: dict[str, str], faults: list[str]) -> Iterator[etree._Element]:
    """A fact's element, then each ix:continuation its continuedAt chain names; `faults` gets what breaks it.

    A continuation belongs to one fact only (the Inline XBRL rule): one already in another fact's
    chain ends this chain, which also cuts cycles, and keeps the work linear when many facts name
    the same chain. `claimed` maps each continuation id taken to the fact id whose chain took it.
    """
    owner = _attr(first, "id") or "?"
    el: etree._Element | None = first
    while el is not None:
        yield el
        nxt = _attr(el, "continuedAt")
        if not nxt:
            return
        if nxt in claimed:
            circular = claimed[nxt] == owner
            faults.append(f"its continuation chain returns to {nxt} (a circular chain)" if circular
                          else f"its continuedAt {nxt} is already in fact {claimed[nxt]}'s chain")
            return
        claimed[nxt] = owner
        el = continuations.get(nxt)
        if el is None:
            faults.append(f"its continuedAt names {nxt}, which no ix:continuation has (the text stops there)")


def _in_header(el: etree._Element) -> bool:
    """The element is inside ix:header (its ix:hidden): a fact the filing does not show."""
    return any(_local(a) == "header" for a in el.iterancestors())


def _contexts(found: Iterable[etree._Element]) -> dict[str, tuple[str | None, str | None]]:
    """context id -> (incident axis member, period end date), of the document's context elements."""
    out: dict[str, tuple[str | None, str | None]] = {}
    for ctx in found:
        member = end = None
        for el in ctx.iter(etree.Element):
            name = _local(el)
            if name in ("explicitmember", "typedmember"):
                _ns, axis = _qname(el, _attr(el, "dimension") or "")
                if axis == INCIDENT_AXIS:
                    value = (el.text or "").strip() if name == "explicitmember" else normalise_space(
                        "".join(el.itertext()))
                    member = value.rpartition(":")[2] or value
            elif name in ("enddate", "instant"):
                end = (el.text or "").strip()[:10] or None
        cid = _attr(ctx, "id")
        if cid:
            out[cid] = (member, end)
    return out


def read_inline(raw: bytes | str) -> InlineXbrl | None:
    """Every cyd: fact of an inline XBRL document; None when the input is not inline XBRL."""
    root = _parse(raw)
    return None if root is None else inline_of(root)


def inline_of(root: etree._Element) -> InlineXbrl | None:
    """Every cyd: fact of a parsed inline XBRL document (an XML or an HTML parser's tree); None when it
    is not inline XBRL."""
    facts_el: list[tuple[str, etree._Element, str | None]] = []  # local name, element, namespace
    stray_el: list[tuple[str, etree._Element, str | None]] = []
    dei_el: list[tuple[str, etree._Element]] = []
    public_float: list[etree._Element] = []
    continuations: dict[str, etree._Element] = {}
    context_el: list[etree._Element] = []
    ids: list[str] = []  # of the ix:nonNumeric and ix:continuation elements, to find one given twice
    inline = False
    taxonomy = None
    for el in root.iter(etree.Element):
        name = _local(el)
        if name == "context":
            context_el.append(el)
        elif name == "continuation":
            cid = _attr(el, "id")
            if cid:
                continuations[cid] = el
                ids.append(cid)
        elif name == "nonnumeric":
            inline = True
            ids.append(_attr(el, "id") or "")
            ns, local = _qname(el, _attr(el, "name") or "")
            uri = _namespace(root, ns)  # the prefix's declared namespace, where the tree keeps it
            if is_cyd(uri or ns):
                facts_el.append((local, el, uri or ns))
                taxonomy = taxonomy or uri
            elif _is_dei(ns):
                dei_el.append((local, el))
            elif _cyd_like(local):
                stray_el.append((local, el, uri or ns))
        elif name in ("header", "nonfraction"):
            inline = True
            if name == "nonfraction" and _qname(el, _attr(el, "name") or "")[1] == "EntityPublicFloat":
                public_float.append(el)
    if not inline:
        return None
    contexts = _contexts(context_el)
    result = InlineXbrl(taxonomy=taxonomy)
    values = [v for v in map(_number, public_float) if v is not None]
    if values:  # a filer with several classes of stock may tag each: the largest stands for its size
        result.dei["EntityPublicFloat"] = f"{max(values):.0f}"
    for local, el in dei_el:
        value = normalise_space("".join(el.itertext()))
        if local == "AmendmentFlag":  # ixt:fixed-true, ixt:booleantrue: the value whatever the text shows
            flag = _flag_value(_attr(el, "format"), value)
            value = value if flag is None else str(flag).lower()
        result.dei.setdefault(local, value)
        if local == "DocumentType":
            result.period = contexts.get(_attr(el, "contextRef") or "", (None, None))[1]
    claimed: dict[str, str] = {}  # continuation id -> the fact whose chain took it
    repeated = {i for i, n in Counter(ids).items() if n > 1 and i}
    read = {"continuations": continuations, "claimed": claimed, "contexts": contexts, "repeated": repeated}
    result.facts = _with_inconsistent_flags([_fact(local, el, ns, **read) for local, el, ns in facts_el],
                                            [_attr(el, "contextRef") for _local, el, _ns in facts_el])
    result.stray = [_fact(local, el, ns, **read) for local, el, ns in stray_el]
    return result


def _with_inconsistent_flags(facts: list[Fact], context_refs: list[str | None]) -> list[Fact]:
    """The facts, a flag given another value by an earlier flag of its concept and context faulted (EDGAR
    rejects inconsistent duplicate facts)."""
    first: dict[tuple[str, str | None], Fact] = {}
    out = []
    for fact, ref in zip(facts, context_refs, strict=True):
        if fact.kind == "flag" and fact.value is not None:
            earlier = first.setdefault((fact.concept, ref), fact)
            if earlier.value is not fact.value:
                was = str(earlier.value).lower()
                other = f"{earlier.fact_id} ({was})" if earlier.fact_id else was
                fault = f"its value {str(fact.value).lower()} contradicts the flag in its context, {other}"
                fact = replace(fact, faults=(*fact.faults, fault))
        out.append(fact)
    return out


# A tag or an entity left in a text block's words: markup a tagging tool escaped twice ("&lt;p&gt;" in the
# source), which the filing shows as text. Only the tags and entities text blocks are made of:
# "<5 employees" is no tag.
_SHOWN_MARKUP = re.compile(
    r"</?(p|div|span|br|b|i|u|em|strong|table|tr|td|th|li|ul|ol|font|a|h[1-6])(\s[^<>]{0,200})?/?>"
    r"|&(nbsp|amp|lt|gt|quot|#\d{2,5}|#x[0-9a-f]{2,4});", re.IGNORECASE)


def _markup_faults(el: etree._Element, contexts: dict[str, tuple[str | None, str | None]],
                   repeated: set[str]) -> list[str]:
    """What EDGAR rejects in a fact's own attributes: an id another element has, a context the document does
    not define (looked for only where it defines some: a hand-cut filing may have none)."""
    faults = []
    fact_id = _attr(el, "id")
    if fact_id in repeated:
        faults.append(f"its id {fact_id} is another element's too")
    ref = _attr(el, "contextRef")
    if contexts and (ref or "") not in contexts:
        faults.append(f"its contextRef {ref} names no xbrli:context" if ref else "it has no contextRef")
    return faults


def _fact(local: str, el: etree._Element, namespace: str | None, continuations: dict[str, etree._Element],
          claimed: dict[str, str], contexts: dict[str, tuple[str | None, str | None]],
          repeated: set[str]) -> Fact:
    """One ix:nonNumeric read as a cyd fact: its text (continuations joined), flag value and member;
    `namespace` is its name's (or, where the tree keeps no declaration, its prefix)."""
    info = concept_info(local)
    faults = _markup_faults(el, contexts, repeated)
    text = render_text(_chain(el, continuations, claimed, faults))
    shown = _SHOWN_MARKUP.search(text) if info.kind == "text" else None
    if shown:
        faults.append(f"its text shows HTML markup as words ({shown.group(0)[:40]}): the markup was escaped "
                      "twice")
    member, _end = contexts.get(_attr(el, "contextRef") or "", (None, None))
    value = _flag_value(_attr(el, "format"), text) if info.kind == "flag" else None
    name = (_attr(el, "name") or "").strip()
    return Fact(local, info.kind, text, value, info.element, member, fact_id=_attr(el, "id"), name=name,
                namespace=namespace, faults=tuple(faults), hidden=_in_header(el))


def read_facts(raw: bytes | str) -> list[Fact]:
    """The cyd: facts of an inline XBRL document (none for any other input)."""
    found = read_inline(raw)
    return found.facts if found else []


# ---------------------------------------------------------------- offsets


SCAN_LIMIT = 64  # up to this many distinct word runs are each found by a regex scan; more use an index


def _pattern(words: Iterable[str]) -> re.Pattern[str]:
    # Words in order, anything that is not a word between them: layout and punctuation may differ. The
    # first word leads, so the search skips ahead to it (a leading (?<!\w) made it try every position:
    # 25x slower over a 10-K); after it, "no word character before it" is the same look-behind.
    first, *rest = (re.escape(w) for w in words)
    return re.compile(first + rf"(?<!\w{first})" + "".join(r"\W+" + w for w in rest) + r"(?!\w)")


class _WordIndex:
    """Finds runs of words in the text: where a fact's first or last words occur.

    A fact's words "in order, anything that is not a word between them" match exactly where k
    consecutive words (runs of \\w) of the text equal them. A filing with a few facts searches the
    text with a pattern per run, from where it is needed; one with many (1,500 facts were N x M
    searches) is split into words once and every run it asks for is looked up, so the work stays
    linear in the text plus the facts.
    """

    def __init__(self, text: str, wanted: Iterable[tuple[str, ...]]) -> None:
        self.text = text
        self.wanted = {g for g in wanted if g}
        self.indexed = len(self.wanted) > SCAN_LIMIT
        self._spans: dict[tuple[str, ...], list[tuple[int, int]]] | None = None
        self._patterns: dict[tuple[str, ...], re.Pattern[str]] = {}

    def _pattern(self, words: list[str]) -> re.Pattern[str]:
        key = tuple(words)
        if key not in self._patterns:
            self._patterns[key] = _pattern(key)
        return self._patterns[key]

    def spans(self, words: list[str]) -> list[tuple[int, int]]:
        """Every (start, end) of the run `words`, overlapping ones too, in text order (index mode)."""
        if self._spans is None:
            self._spans = self._index()
        return self._spans.get(tuple(words), [])

    def _index(self) -> dict[tuple[str, ...], list[tuple[int, int]]]:
        words, starts, ends = [], [], []
        for m in _WORD.finditer(self.text):
            words.append(m.group())
            starts.append(m.start())
            ends.append(m.end())
        out: dict[tuple[str, ...], list[tuple[int, int]]] = {}
        for k in {len(g) for g in self.wanted}:
            wanted = {g for g in self.wanted if len(g) == k}
            for i in range(len(words) - k + 1):
                gram = tuple(words[i:i + k])
                if gram in wanted:
                    out.setdefault(gram, []).append((starts[i], ends[i + k - 1]))
        return out

    def first(self, words: list[str], start: int, end: int) -> tuple[int, int] | None:
        """The first run of `words` lying within [start, end)."""
        if not self.indexed:
            m = self._pattern(words).search(self.text, start, end)
            return m.span() if m else None
        spans = self.spans(words)
        i = bisect.bisect_left(spans, start, key=lambda span: span[0])
        return spans[i] if i < len(spans) and spans[i][1] <= end else None  # later runs end later still

    def last(self, words: list[str], start: int, end: int) -> tuple[int, int] | None:
        """The last run of `words` lying within [start, end)."""
        if not self.indexed:
            found = None
            for m in self._pattern(words).finditer(self.text, start, end):
                found = m.span()
            return found
        spans = self.spans(words)
        i = bisect.bisect_right(spans, end, key=lambda span: span[1])
        return spans[i - 1] if i > 0 and spans[i - 1][0] >= start else None

    def in_blocks(self, words: list[str], blocks: list[tuple[int, int]]) -> tuple[int, int] | None:
        """The first place the words occur inside one of the blocks (sorted by start)."""
        if not self.indexed:
            return next((s for b in blocks if (s := self.first(words, *b))), None)
        starts = [b[0] for b in blocks]
        reach = list(itertools.accumulate((b[1] for b in blocks), max))  # furthest end of blocks so far
        for s, e in self.spans(words):
            j = bisect.bisect_right(starts, s)
            if j and reach[j - 1] >= e:
                return s, e
        return None


def _find(index: _WordIndex, fact_text: str, start: int, end: int) -> tuple[int, int] | None:
    """The tightest span from the fact's first words to its last words (a long block's opening words
    may also occur earlier, e.g. in the risk factors)."""
    words = _WORD.findall(fact_text)
    if not words:
        return None
    head_words = words[:_ANCHOR_WORDS]
    head = index.first(head_words, start, end)
    if head is None:
        return None
    if len(words) <= _ANCHOR_WORDS:
        return head
    tail = index.first(words[-_ANCHOR_WORDS:], head[0], end)
    if tail is None:
        # a chain whose continuation comes before its fact in the document (Inline XBRL allows it): the fact
        # is placed where its own element starts
        return head if index.first(words[-_ANCHOR_WORDS:], start, end) else None
    last_head = index.last(head_words, head[1], tail[0]) or head
    return last_head[0], tail[1]


def _in_blocks(index: _WordIndex, fact_text: str, blocks: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The first place the fact's words occur inside one of the located blocks (sorted by start)."""
    words = _WORD.findall(fact_text)
    return index.in_blocks(words, blocks) if words and blocks else None


def locate_facts(facts: list[Fact], text: str) -> list[Fact]:
    """Set start/end where a fact's text is found in the document text.

    Long text blocks are found on their own. A short fact (a flag around "Board", a timing block that
    is just a date) could match anywhere, so it is looked for inside the located long blocks first,
    where it usually sits, and elsewhere only when there are none.
    """
    def short(f: Fact) -> bool:
        return len(_WORD.findall(f.text)) < _ANCHOR_WORDS

    words = [_WORD.findall(f.text) for f in facts]
    index = _WordIndex(text, [tuple(w[:_ANCHOR_WORDS]) for w in words]
                       + [tuple(w[-_ANCHOR_WORDS:]) for w in words])
    placed: dict[int, tuple[int, int]] = {}
    for i, f in enumerate(facts):
        if not short(f):
            span = _find(index, f.text, 0, len(text))
            if span:
                placed[i] = span
    blocks = sorted({placed[i] for i in placed if facts[i].kind == "text"})
    for i, f in enumerate(facts):
        if not short(f):
            continue
        span = _in_blocks(index, f.text, blocks)
        if span is None and not blocks:
            span = _find(index, f.text, 0, len(text))
        if span:
            placed[i] = span
    return [replace(f, start=placed[i][0], end=placed[i][1]) if i in placed else f
            for i, f in enumerate(facts)]


def attach(document: Document, found: InlineXbrl | None) -> Document:
    """Fill a document read from HTML with its cyd facts and what the cover facts say (form, period)."""
    if found is None:
        return document
    document.facts = locate_facts(found.facts, document.text)
    document.stray_facts = locate_facts(found.stray, document.text)
    document.metadata.setdefault("inline_xbrl", True)
    if found.period:
        document.metadata.setdefault("period", found.period)
    form = document.form or found.dei.get("DocumentType")
    # an amendment may tag its form as the original's ("10-K") beside AmendmentFlag true
    if form and found.dei.get("AmendmentFlag", "").lower() == "true" and not form.upper().endswith("/A"):
        form = f"{form}/A"
    document.form = form
    if found.dei.get("EntityPublicFloat"):  # the filer's size, for its peer examples
        document.metadata.setdefault("public_float", found.dei["EntityPublicFloat"])
    return document


# ---------------------------------------------------------------- labels


def labels_from_facts(document: Document) -> dict[str, Any] | None:
    """A label record (the shape of corpus/filer-tagged-*.jsonl) from a document's own cyd tags.

    labels[element] is true for every element the filer tagged: a tag is the filer's statement that
    this text answers that element. Untagged elements are left out, not set false: many filers tag
    only some elements, so an absent tag is no evidence of silence. None when there are no cyd facts.
    """
    if not document.facts:
        return None
    start, end = document.span
    labels = {f.element: True for f in document.facts if f.element}
    flags = {f.concept: ("true" if f.value else "false") for f in document.facts
             if f.kind == "flag" and f.value is not None}
    record: dict[str, Any] = {
        "id": document.metadata.get("accession") or document.source,
        "form": document.form,
        "item": document.item,
        "text": document.text[start:end],
        "label_source": "filer cyd tags",
        "labels": dict(sorted(labels.items())),
        "flags": dict(sorted(flags.items())),
    }
    for key in ("issuer", "period", "filed"):
        if document.metadata.get(key):
            record[key] = document.metadata[key]
    return record
