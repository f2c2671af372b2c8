"""The shipped peer examples: industries and size bands, the data file read once, examples chosen per gap."""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from .model import CheckerError, Document, Report

FORMAT = 1
DATA_FILE = Path(__file__).resolve().parent / "data" / "peer-examples.json.gz"
PER_GAP = 3  # examples shown under each gap and partial finding
IDEAL_WORDS = 35  # among equally fitting peers, the sentence nearest this length reads best
# SIC divisions (Standard Industrial Classification manual): letter, first and last 2-digit group, name
DIVISIONS = (("A", 1, 9, "Agriculture, forestry and fishing"), ("B", 10, 14, "Mining"),
             ("C", 15, 17, "Construction"), ("D", 20, 39, "Manufacturing"),
             ("E", 40, 49, "Transportation, communications and utilities"), ("F", 50, 51, "Wholesale trade"),
             ("G", 52, 59, "Retail trade"), ("H", 60, 67, "Finance, insurance and real estate"),
             ("I", 70, 89, "Services"), ("J", 91, 99, "Public administration"))
# public-float bands (US$): below the accelerated-filer floor, below large accelerated, below $10 billion
SIZES = (("micro", 0.0, 75e6), ("small", 75e6, 700e6), ("mid", 700e6, 10e9), ("large", 10e9, math.inf))
NO_PEER_PACKS = frozenset({"cyd-tags"})  # a tag finding asks for a tag, not for wording


def division(sic: str | int | None) -> str | None:
    """The SIC division letter of a 4-digit SIC code (None when absent or unknown)."""
    try:
        major = int(str(sic).strip()) // 100
    except ValueError:
        return None
    return next((letter for letter, lo, hi, _ in DIVISIONS if lo <= major <= hi), None)


def size_band(public_float: str | float | None) -> str | None:
    """The public-float band of a filer (None when the float is not given)."""
    try:
        value = float(public_float)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not value > 0 or math.isinf(value):
        return None
    return next(name for name, lo, hi in SIZES if lo <= value < hi)


def industry_of(value: str | None) -> str | None:
    """--industry: a division letter (A-J) or a 4-digit SIC code."""
    if not value:
        return None
    value = value.strip().upper()
    if value in {d[0] for d in DIVISIONS}:
        return value
    found = division(value) if value.isdigit() else None
    if found is None:
        raise CheckerError(f"the industry must be a SIC division letter (A-J) or a SIC code, not '{value}'")
    return found


def division_name(letter: str | None) -> str:
    return next((name for d, _, _, name in DIVISIONS if d == letter), "any industry")


@dataclass(frozen=True)
class Example:
    element: str
    rule: str
    text: str
    company: str
    form: str
    fiscal_year: int | None
    accession: str
    industry: str | None
    size: str | None

    def to_dict(self) -> dict[str, Any]:
        # The fields in order, as dataclasses.asdict gives them (its deep copy is not needed: all are plain)
        return {name: getattr(self, name) for name in _EXAMPLE_FIELDS}


_EXAMPLE_FIELDS = tuple(f.name for f in fields(Example))


def source_of(example: Mapping[str, Any]) -> str:
    """Where an example is from, as a reader cites it: company, form, fiscal year, accession number."""
    year = f" FY{example['fiscal_year']}" if example.get("fiscal_year") else ""
    company, form, accession = (example.get(k, "") for k in ("company", "form", "accession"))
    return f"{company}, {form}{year}, accession {accession}"


# ---------------------------------------------------------------- the data file


def load(path: Path = DATA_FILE) -> dict[str, Any]:
    """The peer examples file as data (one-line error naming the file when it is absent or not one)."""
    try:
        data = json.loads(gzip.decompress(path.read_bytes()))
    except FileNotFoundError:
        raise CheckerError("no peer examples: build them with `cydcheck peers build CORPUS.jsonl`",
                           file=str(path)) from None
    except (OSError, ValueError) as exc:
        raise CheckerError(f"not a peer examples file ({exc})", file=str(path)) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CheckerError(f"not a peer examples file of format {FORMAT}", file=str(path))
    return data


@dataclass(frozen=True)
class Library:
    """The examples of one data file by element (raw records), each element's list put best first on first
    use, for a reader with no industry or size known (plainest, nearest IDEAL_WORDS words: a fixed order).
    Each peer group's order (industry, size, form) is also kept once worked out: a batch of reports asks
    for the same few groups again and again."""

    pack: str
    raw: dict[str, list[dict[str, Any]]]
    _ordered: dict[str, tuple[Example, ...]] = field(default_factory=dict, compare=False, repr=False)
    _ranked: dict[tuple[str, str | None, str | None, str], tuple[Example, ...]] = field(
        default_factory=dict, compare=False, repr=False)

    def examples(self, element: str) -> tuple[Example, ...]:
        if element not in self._ordered:  # a report needs a few elements: only those are ordered
            self._ordered[element] = tuple(sorted((Example(**x) for x in self.raw.get(element, ())),
                                                  key=_plainness))
        return self._ordered[element]

    def ranked(self, element: str, industry: str | None, size: str | None,
               family: str) -> tuple[Example, ...]:
        """The element's examples for one peer group: same industry and size first, then same industry,
        same size, any; within each, the same form family first, then plainest first."""
        key = (element, industry, size, family)
        if key not in self._ranked:
            def rank(x: Example) -> tuple[int, int]:
                peer = ((0 if industry and x.industry == industry else 2)
                        + (0 if size and x.size == size else 1))
                return peer, int(bool(family) and x.form.upper().split("/")[0] != family)

            self._ranked[key] = tuple(sorted(self.examples(element), key=rank))  # stable: plainest first
        return self._ranked[key]


def library(data: dict[str, Any]) -> Library:
    raw: dict[str, list[dict[str, Any]]] = {}
    for x in data["examples"]:
        raw.setdefault(x["element"], []).append(x)
    return Library(str((data.get("pack") or {}).get("id") or ""), raw)


# Marks of a sentence that reads badly out of its filing: it starts inside a quote or a list, or leans
# on the sentence before it ("Additionally, ..."); keeps the spreadsheet's doubled quotes or a lost
# apostrophe ("the Companys"); runs on from a heading ("... and Strategy The Company has"), or ends on
# the number of the next list item.
_LEANS = frozenset("""additionally accordingly also although however further furthermore moreover therefore
thus this these that those such it they its their""".split())
_LEANS_PHRASES = ("in addition ", "as such ", "as a result ")
_RUN_ON = re.compile(r"[^.;:]{0,80}?[A-Za-z,]\s+(?:The|Our|We)\s")
_LIST_NUMBER = re.compile(r"(?:\b[ivx]{1,4}|\(?[a-z0-9]\)|[0-9])\.?[\"”]?\Z")


def scars(text: str) -> int:
    """How many marks of a badly cut sentence `text` carries (0 reads as written)."""
    words = text[:40].lower().replace(",", " ").split()
    marks = (
        not ("A" <= text[:1] <= "Z"),
        bool(words) and (words[0] in _LEANS or (" ".join(words[:3]) + " ").startswith(_LEANS_PHRASES)),
        _RUN_ON.match(text, 0, 100) is not None,
        '""' in text,
        "Companys" in text,
        _LIST_NUMBER.search(text, max(0, len(text) - 12)) is not None,
        text[-1:] not in ('.', '"', "”", ")"),
    )
    return sum(marks)


def _plainness(x: Example) -> tuple[int, int, str, str]:
    # ties go by a hash of the words: a fixed order that favours no letter of the alphabet
    digest = hashlib.sha256(x.text.encode("utf-8")).hexdigest()
    return scars(x.text), abs(len(x.text.split()) - IDEAL_WORDS), digest, x.accession


@lru_cache(maxsize=4)
def _cached(path: str, size: int, mtime_ns: int) -> Library:
    return library(load(Path(path)))


def shipped(path: Path = DATA_FILE) -> Library:
    """The data file read once per process (again only when it changes on disk)."""
    try:
        st = path.stat()
    except OSError:
        return _cached(str(path), -1, -1)  # load() names the file in its error
    return _cached(str(path), st.st_size, st.st_mtime_ns)


# ---------------------------------------------------------------- choosing


def choose(data: dict[str, Any] | Library, element: str, industry: str | None = None,
           size: str | None = None, n: int = 5, form: str | None = None,
           avoid: Collection[str] = ()) -> list[Example]:
    """The `n` examples for `element`: same industry and size first, then same industry, same size, any;
    within each, the same form (10-K, 20-F) first, then plainest first, one sentence per company until
    every company has had its turn. Sentences in `avoid` (shown under another gap) are left out."""
    lib = data if isinstance(data, Library) else library(data)
    family = (form or "").upper().split("/")[0]
    firsts: list[Example] = []
    seconds: list[Example] = []
    seen: set[str] = set()
    for x in lib.ranked(element, industry, size, family):
        if len(firsts) >= n:
            break
        if x.text in avoid:
            continue
        (seconds if x.company in seen else firsts).append(x)
        seen.add(x.company)
    return (firsts + seconds)[:n]


def share(data: dict[str, Any], industry: str | None = None,
          size: str | None = None) -> dict[str, tuple[int, int]]:
    """Per element: (peers whose own cyd tags mark it, peers) for that industry and size."""
    out: dict[str, tuple[int, int]] = {}
    for key, row in data["stats"].items():
        ind, band = key.split("/")
        if (industry and ind != industry) or (size and band != size):
            continue
        for element, (yes, total) in row.items():
            a, b = out.get(element, (0, 0))
            out[element] = (a + yes, b + total)
    return out


def peer_group(doc: Document) -> tuple[str | None, str | None]:
    """The document's industry (SIC division) and size (public-float band), where its input says them."""
    meta = doc.metadata
    return division(meta.get("sic")), size_band(meta.get("public_float"))


def attach(reports: Sequence[Report], lib: Library | None = None, n: int = PER_GAP,
           industry: str | None = None, size: str | None = None) -> list[Report]:
    """Put the best `n` peer examples on every open gap and partial finding that has an element, chosen
    for the document's industry and size (or those given), as plain data on the result. A stage between
    checking and rendering: renderers only show what is there. Met elements and tag findings get none."""
    lib = shipped() if lib is None else lib
    for report in reports:
        if report.pack_id in NO_PEER_PACKS:
            continue
        own_industry, own_size = peer_group(report.document)
        shown: set[str] = set()  # a sentence tagged for two elements is shown under one gap only
        for result in report.results:
            if not result.is_gap or result.waived is not None or not result.element:
                continue
            chosen = choose(lib, result.element, industry or own_industry, size or own_size, n,
                            report.document.form, shown)
            shown.update(x.text for x in chosen)
            result.peer_examples = [x.to_dict() for x in chosen]
    return list(reports)
