"""A Markdown summary for a pull-request comment or a CI job summary: a short status table, gaps first."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from ..model import Report, left_out_text, pdf_pages_text, tag_text
from .context import STATUS_LABEL, build_view, offending, report_headings, unchecked_text
from .templating import environment

SYMBOL = {"met": "✅", "partial": "🟡", "missing": "❌", "not_applicable": "➖", "not_yet_required": "➖"}
# Characters that Markdown (GitHub flavour) would read as formatting, links, tables or mentions.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#!])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "&#64;"}
QUOTE_WIDTH = 120  # characters of a quote shown in a cell: the sentence is found by its place


def md(value: object) -> str:
    """Escape text from the input so it reads literally in a table cell: no HTML, links, mentions or pipes."""
    text = " ".join(str(value).split())  # one line: a newline would end the table row
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return "".join(_ENTITIES.get(ch, ch) for ch in text)


def code(value: object, cell: bool = True) -> str:
    """An inline code span that survives backticks and pipes in the value.

    The fence is one backtick longer than the longest run in the value, so no run can close it
    (a fixed double backtick let "x`` ![img](...) ``" out); inside, Markdown acts on nothing. In a table
    `cell` a pipe is escaped (GitHub ends the cell at it even in a code span); elsewhere the escape shows.
    """
    text = " ".join(str(value).split())
    text = text.replace("|", "\\|") if cell else text
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    if not longest:
        return f"`{text}`"
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"  # the spaces let a value start or end with a backtick


def short(value: object, width: int = QUOTE_WIDTH) -> str:
    """A quote cut to fit a table cell, on a word boundary."""
    return textwrap.shorten(" ".join(str(value).split()), width, placeholder=" …")


def render(reports: Sequence[Report], version: str = "", heading_level: int = 2,
           waiver_notices: Sequence[Mapping[str, Any]] = (), not_checked: Sequence[str] = (),
           **_options) -> str:
    env = environment(html=False)
    env.filters["md"] = md
    env.filters["code"] = code
    env.filters["short"] = short
    views = [build_view(r) for r in reports]
    return env.get_template("markdown.md.j2").render(
        views=views, headings=report_headings(views), version=version, symbol=SYMBOL, label=STATUS_LABEL,
        hashes="#" * heading_level,
        notices=list(waiver_notices), not_checked=list(not_checked), tag_text=tag_text,
        left_out_text=left_out_text, pdf_pages_text=pdf_pages_text, offending=offending,
        unchecked=unchecked_text)
