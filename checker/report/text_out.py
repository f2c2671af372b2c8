"""The terminal summary: one line per rule, gaps with citation and guidance, coloured on a TTY."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from ..model import Report, coverage_text, tag_text

_MARK = {"met": "MET", "partial": "PARTIAL", "missing": "MISSING", "not_applicable": "N/A",
         "not_yet_required": "NOT DUE"}
_COLOUR = {"met": "32", "partial": "33", "missing": "31", "not_applicable": "90", "not_yet_required": "90"}


def _paint(text: str, status: str, colour: bool) -> str:
    return f"\x1b[{_COLOUR[status]}m{text}\x1b[0m" if colour else text


def _wrapped(text: str) -> list[str]:
    return [f"           {ln}" for ln in textwrap.wrap(text, 96)]


def _one(report: Report, colour: bool, verbose: bool) -> list[str]:
    doc = report.document
    lines = [f"{doc.source}: {doc.form or '?'} Item {doc.item or '?'} — pack {report.pack_id} "
             f"{report.pack_version}" + (f" ({report.pack_reason})" if report.pack_reason else "")]
    if doc.section is not None and doc.section.note:
        lines.append(f"  note: {doc.section.note}")
    for r in report.results:
        mark = _paint(f"{_MARK[r.status]:<8}", r.status, colour)
        waived = " [waived]" if r.waived is not None else ""
        lines.append(f"  {mark} {r.rule:<28} {r.title}{waived}")
        if r.status in ("missing", "partial") and r.waived is None:
            detail = r.message
            if r.missing_parts:
                detail += f" (missing: {', '.join(r.missing_parts)})"
            lines += _wrapped(f"{r.severity}: {detail} [{r.citation}]")
            if verbose:
                lines += _wrapped("fix: " + r.guidance)
        if r.status == "not_yet_required":
            lines += _wrapped(r.message)
        if r.error:
            lines.append(f"           engine error: {r.error}")
        if verbose:
            lines += [f"           filer tag: {tag_text(t)}" for t in report.tags_of(r)]
        if verbose and r.evidence:
            for e in r.evidence[:2]:
                quote = textwrap.shorten(e.text, 110, placeholder=" …")
                lines.append(f"           {e.where}: \"{quote}\"")
    s = report.summary()
    lines.append(f"  {s['met']} met, {s['partial']} partial, {s['missing']} missing, "
                 f"{s['not_applicable']} n/a — {coverage_text(s)}")
    return lines


def render(reports: Sequence[Report], colour: bool = False, verbose: bool = True, **_options) -> str:
    blocks = ["\n".join(_one(r, colour, verbose)) for r in reports]
    return "\n\n".join(blocks) + "\n"
