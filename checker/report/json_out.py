"""JSON output: one object per input, or {"reports": [...]} for several (schemas/report.schema.json)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from json.encoder import encode_basestring as _quote  # the C string encoder (ensure_ascii=False)

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
    return dumps_indented(as_data(reports, **options)) + "\n"


def dumps_indented(value: object) -> str:
    """Exactly `json.dumps(value, indent=2, ensure_ascii=False)`, about 3x faster.

    With `indent` the standard library falls back to its pure-Python encoder; this builds the same
    text with the C string encoder and one list of parts.
    """
    out: list[str] = []
    _write(value, "\n", out)
    return "".join(out)


def _key(key: object) -> str:
    """A non-string key as json writes it ("true", "null", "1", "1.5")."""
    if key is None or isinstance(key, bool | int | float):
        return json.dumps(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _float(value: float) -> str:
    """A float as json writes it: its repr, or NaN / Infinity / -Infinity."""
    if value != value:
        return "NaN"
    if value in (_INF, -_INF):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


_INF = float("inf")


def _write(value: object, newline: str, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(_quote(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        out.append("{")
        first = True
        for key, item in value.items():
            out.append(inner if first else "," + inner)
            first = False
            out.append(_quote(key if isinstance(key, str) else _key(key)))
            out.append(": ")
            kind = type(item)
            if kind is str:  # the common leaves, written here rather than by another call
                out.append(_quote(item))
            elif kind is int:
                out.append(int.__repr__(item))
            elif item is None:
                out.append("null")
            elif kind is float:
                out.append(_float(item))
            elif kind is bool:
                out.append("true" if item else "false")
            else:
                _write(item, inner, out)
        out.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        out.append("[")
        for i, item in enumerate(value):
            out.append(inner if i == 0 else "," + inner)
            if type(item) is str:
                out.append(_quote(item))
            else:
                _write(item, inner, out)
        out.append(newline + "]")
    else:
        out.append(json.dumps(value, indent=2, ensure_ascii=False))  # raises TypeError as json would
