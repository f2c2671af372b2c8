"""JSON output: one object per input, or {"reports": [...]} for several (schemas/report.schema.json)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..model import Report


def as_data(reports: Sequence[Report], **options) -> dict:
    tool = {"name": "cydcheck", "version": options.get("version", "")}
    if len(reports) == 1 and not options.get("always_list"):
        data = {**reports[0].to_dict(), "tool": tool}
    else:
        data = {"reports": [r.to_dict() for r in reports], "tool": tool}
    notices = options.get("waiver_notices") or []
    if notices:  # only when there are some: without them the shape is the same as ever
        data["waivers"] = [dict(n) for n in notices]
    return data


def render(reports: Sequence[Report], **options) -> str:
    return json.dumps(as_data(reports, **options), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
