"""The batch dashboard: a run's summary rows as one self-contained HTML page (element shares per pack, the
spread of coverage, the filings)."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from .. import __version__, applicability
from ..summary import UNFINISHED
from .templating import environment

CHART_WIDTH = 420  # pixels for a 100% bar
BAR_HEIGHT = 18
LABEL_WIDTH = 200
HIST_BINS = 10


@dataclass(frozen=True)
class ElementBar:
    element: str
    met: int
    partial: int
    applicable: int
    y: int

    @property
    def share(self) -> float:
        return (self.met + self.partial) / self.applicable if self.applicable else 0.0

    @property
    def met_width(self) -> float:
        return round(CHART_WIDTH * self.met / self.applicable, 1) if self.applicable else 0.0

    @property
    def partial_width(self) -> float:
        return round(CHART_WIDTH * self.partial / self.applicable, 1) if self.applicable else 0.0


@dataclass
class PackPanel:
    pack: str
    filings: int
    bars: list[ElementBar] = field(default_factory=list)
    versions: dict[str, None] = field(default_factory=dict)  # the rows' pack_version, in order met
    hashes: dict[str, None] = field(default_factory=dict)  # the rows' pack_sha256: the rules as they were

    @property
    def height(self) -> int:
        return len(self.bars) * (BAR_HEIGHT + 6) + 4


@dataclass(frozen=True)
class HistBin:
    label: str
    count: int
    x: int
    height: float


def _pack_panels(rows: Sequence[dict[str, Any]]) -> list[PackPanel]:
    panels: dict[str, PackPanel] = {}
    counts: dict[str, dict[str, list[int]]] = {}
    for row in rows:
        if row.get("error") or row["coverage"] is None:
            continue
        pack = row["pack"]
        panel = panels.setdefault(pack, PackPanel(pack, 0))
        panel.filings += 1
        panel.versions.setdefault(str(row.get("pack_version") or ""), None)
        panel.hashes.setdefault(str(row.get("pack_sha256") or ""), None)
        tally = counts.setdefault(pack, {})
        for element, status in row["elements"].items():
            met_partial_applicable = tally.setdefault(element, [0, 0, 0])
            if status in ("not_applicable", UNFINISHED):  # an unfinished rule has no verdict to share
                continue
            met_partial_applicable[2] += 1
            if status == "met":
                met_partial_applicable[0] += 1
            elif status == "partial":
                met_partial_applicable[1] += 1
    for pack, panel in panels.items():
        # a check that applied to no filing (an 8-K deadline without dates, everywhere) has no share to draw
        applied = [(element, tally) for element, tally in counts[pack].items() if tally[2]]
        for i, (element, (met, partial, applicable)) in enumerate(applied):
            panel.bars.append(ElementBar(element, met, partial, applicable, 2 + i * (BAR_HEIGHT + 6)))
    return [panels[p] for p in sorted(panels)]


HIST_BAR = 52  # pixels per histogram column, wide enough for its "90–100%" label


def _histogram(coverages: Sequence[float], height: int = 120, width: int = HIST_BAR) -> list[HistBin]:
    counts = [0] * HIST_BINS
    for c in coverages:
        counts[min(int(c * HIST_BINS), HIST_BINS - 1)] += 1
    top = max(counts) or 1
    step = 100 // HIST_BINS
    return [HistBin(f"{i * step}–{(i + 1) * step}%", n, i * (width + 4), round(height * n / top, 1))
            for i, n in enumerate(counts)]


# Why a filing has no coverage: the one result its report gives instead of the item's rules (in the filings
# table, and at more length in the note over the shares).
HELD = {applicability.RULE_ID: ("not yet required", "made before the item applied"),
        applicability.NOT_REPORTED_RULE: ("not reported", "an 8-K of other items"),
        applicability.NOT_AMENDED_RULE: ("not amended", "an amendment of other parts"),
        applicability.EXEMPT_RULE: ("exempt", "an asset-backed issuer's 10-K, which Item 106 does not "
                                              "apply to"),
        applicability.NOT_COVERED_RULE: ("not checked", "a form with no cybersecurity item cydcheck checks, "
                                                        "such as 6-K or 40-F")}
NO_RULE = ("no rule applied", "")


def _held(row: dict[str, Any]) -> tuple[str, str]:
    """Why a row has no coverage: a word or two, and what that means (HELD)."""
    return HELD.get(row.get("not_checked") or "", NO_RULE)


def dashboard_html(rows: Sequence[dict[str, Any]], notes: Sequence[str] = ()) -> str:
    """A self-contained HTML page: element shares per pack, coverage distribution, sortable filing list;
    `notes`: what the run did not check (documents of a type cydcheck does not read), one line each."""
    env = environment(html=True)
    checked = [r for r in rows if not r.get("error")]
    # Filings the item's rules do not apply to: left out of the shares and the coverage, counted by why.
    held = Counter(_held(r) for r in checked if r["coverage"] is None)
    coverages = [float(r["coverage"]) for r in checked if r["coverage"] is not None]
    # a report's HTML where --html wrote one: a reader following the link gets a page, not JSON
    filings = [dict(r, link=quote(r["html"] or r["report"]),
                    tags_link=quote(r.get("tags_html") or r.get("tags_report") or ""),
                    held=_held(r)[0] if r["coverage"] is None and not r.get("error") else "") for r in rows]
    return env.get_template("dashboard.html.j2").render(
        version=__version__,
        notes=notes,
        total=len(rows),
        checked=len(checked),
        failed=len(rows) - len(checked),
        held=[(f"{short} ({long})" if long else short, held[(short, long)])
              for short, long in (*HELD.values(), NO_RULE) if (short, long) in held],
        # filings with a met verdict marked for review (summary_row's "review")
        to_review=sum(1 for r in checked if r.get("review")),
        mean_coverage=statistics.fmean(coverages) if coverages else None,
        median_coverage=statistics.median(coverages) if coverages else None,
        panels=_pack_panels(rows),
        histogram=_histogram(coverages), hist_bar=HIST_BAR,
        chart_width=CHART_WIDTH, bar_height=BAR_HEIGHT, label_width=LABEL_WIDTH,
        filings=filings,
    )
