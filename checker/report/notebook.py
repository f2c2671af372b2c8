"""A report as a Jupyter cell shows it (`Report._repr_html_`): a caption and one table row a finding, each
quote cut short, every input text escaped; the workpaper (`render(report, "html")`) is the full page."""

from __future__ import annotations

from html import escape

from ..model import Report, Result, coverage_text
from ..summary import UNFINISHED
from .context import distinct_evidence

QUOTE_CHARS = 160  # of a finding's first quote shown in its row


def _cut(text: str, limit: int = QUOTE_CHARS) -> str:
    """The text on one line, cut at `limit` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def _row(r: Result) -> str:
    """One finding's row: rule, element, status (and its marks), where its quotes are, the first quote."""
    quotes = distinct_evidence(r.evidence)
    status = UNFINISHED if r.error else r.status
    marks = "; ".join(filter(None, (r.review and "review", r.missing_parts and
                                    "lacks " + ", ".join(r.missing_parts))))
    more = f" (+{len(quotes) - 1})" if len(quotes) > 1 else ""
    quote = _cut(quotes[0].text) + more if quotes else ""
    cells = (r.rule, r.element or "", status + (f" ({marks})" if marks else ""),
             "; ".join(dict.fromkeys(e.where for e in quotes)), quote)
    return "<tr>" + "".join(f'<td style="text-align:left">{escape(c)}</td>' for c in cells) + "</tr>"


def render_cell(report: Report) -> str:
    """The report as a notebook cell's HTML: what was checked, then its findings in the pack's order."""
    doc = report.document
    what = " ".join(filter(None, (str(doc.metadata.get("issuer") or ""), doc.form or "",
                                  f"Item {doc.item}" if doc.item else "")))
    caption = (f"{doc.source}{f' ({what})' if what else ''}: {report.pack_id} {report.pack_version}, "
               f"{coverage_text(report.summary())}")
    head = "".join(f'<th style="text-align:left">{h}</th>' for h in
                   ("rule", "element", "status", "where", "evidence"))
    return (f'<table><caption style="text-align:left">{escape(caption)}</caption>'
            f"<tr>{head}</tr>{''.join(_row(r) for r in report.results)}</table>")
