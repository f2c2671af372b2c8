"""The HTML gap report: one self-contained page (inline CSS, no scripts, no external requests)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

from markupsafe import Markup

from ..model import HIDDEN_PLACE, Report
from ..output import safe_name
from .context import STATUS_LABEL, ReportView, build_view, report_headings, unchecked_text
from .templating import environment

INDEX_PAGE = "index.html"
INDEX_NAME = "All gap reports of this run"  # the link from each page of a folder back to its index
# An input's suffix, also before a record id ("x.jsonl#id", "x.json[2]").
_INPUT_SUFFIX = re.compile(r"\.(?:html?|md|markdown|txt|docx|pdf|json|jsonl|ndjson)(?=$|[#\[])",
                           re.IGNORECASE)


def _page_title(views: Sequence[ReportView]) -> str:
    if len({v.document.source for v in views}) == 1:  # one document, checked with one pack or several
        return f"Gap report: {views[0].title}"
    return f"Gap reports: {len({v.document.source for v in views})} documents"


def css_string(value: str) -> Markup:
    """`value` as the inside of a double-quoted CSS string: every character but letters, digits, space
    and plain punctuation escaped (\\HHHHHH ), so neither a quote nor "</style>" can leave it."""
    return Markup("".join(c if c.isalnum() and c.isascii() or c in " .,:;-_()" else f"\\{ord(c):06X} "
                          for c in str(value)))


def _render(template: str, **values) -> str:
    env = environment(html=True)
    env.globals["STATUS_LABEL"] = STATUS_LABEL
    env.globals["unchecked"] = unchecked_text
    env.globals["hidden_place"] = HIDDEN_PLACE
    env.filters["css_string"] = css_string
    return env.get_template(template).render(**values)


def render(reports: Sequence[Report], version: str = "", generated: str | None = None,
           waiver_notices: Sequence[Mapping[str, Any]] = (), checked: str | None = None,
           prepared_by: str | None = None, reviewed_by: str | None = None,
           up: tuple[str, str] | None = None, not_checked: Sequence[str] = (), **_options) -> str:
    """One page; with several documents, an index on top links each document's report below it.
    Waivers that expired or went stale are listed after the index (or the single report).

    As an audit workpaper the page carries the check time (`checked`, else `generated`), and the
    preparer and reviewer when given. `up`: the address and name of the page listing this one (a folder's
    index, a batch's dashboard), linked above the report. `not_checked`: what a folder held that was not
    checked, one line each."""
    if not reports:
        raise ValueError("no reports to render")
    several = len(reports) > 1
    views = [build_view(r, prefix=f"d{i}-" if several else "", by_severity=False)
             for i, r in enumerate(reports, 1)]
    entries = [(f"#{v.prefix}report", v) for v in views]
    headings = report_headings(views)
    # printed, each report's pages are headed by its own name (a named page each), not the whole page's
    # and footed by its pack and version
    pages = ([(v.prefix, f"Gap report: {h}", v.pack_named) for v, h in zip(views, headings, strict=True)]
             if several else [])
    return _render("report.html.j2", views=views, entries=entries, version=version, generated=generated,
                   page_title=_page_title(views), notices=list(waiver_notices), headings=headings,
                   pages=pages, up=up, pack=", ".join(dict.fromkeys(v.pack_named for v in views)),
                   not_checked=list(not_checked),
                   workpaper=_workpaper(checked or generated, prepared_by, reviewed_by))


def _workpaper(checked: str | None, prepared_by: str | None, reviewed_by: str | None) -> dict[str, Any]:
    """The sign-off block: when checked (ISO time, shown as date and time UTC), by and for whom."""
    shown = checked.replace("T", " ").removesuffix("Z")[:16] + " UTC" if checked else None
    return {"checked": checked, "checked_shown": shown, "prepared_by": prepared_by,
            "reviewed_by": reviewed_by}


def page_name(number: int, report: Report, with_pack: bool = False) -> str:
    """A stable, filesystem-safe page name: position in the batch, then the input's name without its
    suffix (filing.html gives 001-filing.html, not 001-filing.html.html), and with `with_pack` (its
    document has reports of other packs too) the pack's id: 001-filing.sk-106.html."""
    stem = _INPUT_SUFFIX.sub("", PurePath(report.document.source).name) or "input"
    slug = safe_name(stem) or "input"
    pack = f".{safe_name(report.pack_id)}" if with_pack else ""
    return f"{number:03d}-{slug[:80]}{pack}.html"


def render_pages(reports: Sequence[Report], version: str = "", generated: str | None = None,
                 waiver_notices: Sequence[Mapping[str, Any]] = (), checked: str | None = None,
                 prepared_by: str | None = None, reviewed_by: str | None = None,
                 not_checked: Sequence[str] = (), **_options) -> dict[str, str]:
    """A folder's worth: one page per document plus index.html linking them (name -> HTML).
    Waiver notices concern the run, so they go on the index page."""
    pages: dict[str, str] = {}
    entries = []
    per_document = Counter(r.document.source for r in reports)
    for number, report in enumerate(reports, 1):
        name = page_name(number, report, with_pack=per_document[report.document.source] > 1)
        pages[name] = render([report], version=version, generated=generated, checked=checked,
                             prepared_by=prepared_by, reviewed_by=reviewed_by, up=(INDEX_PAGE, INDEX_NAME))
        entries.append((name, build_view(report)))
    pages[INDEX_PAGE] = _render("index.html.j2", entries=entries, version=version, generated=generated,
                                page_title=f"Gap reports: {len(entries)} documents",
                                notices=list(waiver_notices), not_checked=list(not_checked),
                                workpaper=_workpaper(checked or generated, prepared_by, reviewed_by))
    return pages
