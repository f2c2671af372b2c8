"""The HTML gap report: one self-contained page (inline CSS, no scripts, no external requests)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

from ..model import Report
from .context import STATUS_LABEL, ReportView, build_view
from .templating import environment

INDEX_PAGE = "index.html"


def _page_title(views: Sequence[ReportView]) -> str:
    if len(views) == 1:
        return f"Gap report: {views[0].title or views[0].document.source}"
    return f"Gap reports: {len(views)} documents"


def _render(template: str, **values) -> str:
    env = environment(html=True)
    env.globals["STATUS_LABEL"] = STATUS_LABEL
    return env.get_template(template).render(**values)


def render(reports: Sequence[Report], version: str = "", generated: str | None = None,
           waiver_notices: Sequence[Mapping[str, Any]] = (), **_options) -> str:
    """One page; with several documents, an index on top links each document's report below it.
    Waivers that expired or went stale are listed after the index (or the single report)."""
    if not reports:
        raise ValueError("no reports to render")
    several = len(reports) > 1
    views = [build_view(r, prefix=f"d{i}-" if several else "") for i, r in enumerate(reports, 1)]
    entries = [(f"#{v.prefix}report", v) for v in views]
    return _render("report.html.j2", views=views, entries=entries, version=version, generated=generated,
                   page_title=_page_title(views), notices=list(waiver_notices))


def page_name(number: int, report: Report) -> str:
    """A stable, filesystem-safe page name: position in the batch, then the input's name."""
    stem = PurePath(report.document.source).name or "input"
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "input"
    return f"{number:03d}-{slug[:80]}.html"


def render_pages(reports: Sequence[Report], version: str = "", generated: str | None = None,
                 waiver_notices: Sequence[Mapping[str, Any]] = (), **_options) -> dict[str, str]:
    """A folder's worth: one page per document plus index.html linking them (name -> HTML).
    Waiver notices concern the run, so they go on the index page."""
    pages: dict[str, str] = {}
    entries = []
    for number, report in enumerate(reports, 1):
        name = page_name(number, report)
        pages[name] = render([report], version=version, generated=generated)
        entries.append((name, build_view(report)))
    pages[INDEX_PAGE] = _render("index.html.j2", entries=entries, version=version, generated=generated,
                                page_title=f"Gap reports: {len(entries)} documents",
                                notices=list(waiver_notices))
    return pages
