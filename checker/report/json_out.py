"""JSON output: one object per input, or {"reports": [...]} for several (shape in schemas/report.schema.json)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..model import Report


def as_data(reports: Sequence[Report], **options) -> dict:
    tool = {"name": "cydcheck", "version": options.get("version", "")}
    if len(reports) == 1 and not options.get("always_list"):
        return {**reports[0].to_dict(), "tool": tool}
    return {"reports": [r.to_dict() for r in reports], "tool": tool}


def render(reports: Sequence[Report], **options) -> str:
    return json.dumps(as_data(reports, **options), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
