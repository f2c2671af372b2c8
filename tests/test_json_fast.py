"""The fast JSON writers (orjson where installed, else ours) give exactly what
json.dumps(indent=2, ensure_ascii=False) gives, but null for NaN and the infinities (valid JSON)."""

from __future__ import annotations

import contextlib
import datetime
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker import check
from checker.report import json_out

SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text()
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                      | st.dictionaries(st.text() | st.integers() | st.booleans() | st.none() | st.floats(),
                                        inner, max_size=4), max_leaves=30)
WRITERS = ["orjson", "ours"] if json_out.orjson is not None else ["ours"]


@contextlib.contextmanager
def writer(name: str) -> Iterator[None]:
    saved = json_out.orjson
    json_out.orjson = saved if name == "orjson" else None
    try:
        yield
    finally:
        json_out.orjson = saved


def valid(value: object) -> object:
    """The value with NaN and the infinities as None (what the writers put as null)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: valid(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [valid(v) for v in value]
    return value


def standard(value: object) -> str:
    return json.dumps(valid(value), indent=2, ensure_ascii=False)


@given(VALUES)
def test_same_text_as_the_standard_encoder(value):
    for name in WRITERS:
        with writer(name):
            assert json_out.dumps_indented(value) == standard(value), name


@pytest.mark.parametrize("name", WRITERS)
def test_floats_are_written_as_python_writes_them(name):
    floats = [1e-7, 0.00001, 1.5212603486793025e-05, 1e16, 1.2345678901234568e+16, 3e20, -0.0, 0.1, 5e-324,
              1.7976931348623157e308, 123456789.125]
    value = {"f": floats, "one": 1e-05, "nested": [{"x": 2.5e-300}], "s": "1e-05: 1e-5, 0.00001", "n": math.nan}
    with writer(name):
        assert json_out.dumps_indented(value) == standard(value)
        assert json_out.dumps_indented(1e-05) == "1e-05"


@dataclass
class Point:
    x: int


class Name(str):
    pass


@pytest.mark.parametrize("name", WRITERS)
def test_what_json_refuses_is_refused_and_what_it_takes_is_written_alike(name):
    with writer(name):
        for bad in ({"a": object()}, {(1, 2): 1}, {"p": Point(1)}, {"d": datetime.date(2025, 1, 1)}):
            with pytest.raises(TypeError):
                json_out.dumps_indented(bad)
        for good in ({"big": 2 ** 70}, {2: "a", None: "b", True: "c"}, {"n": Name("x")}, [Name("y")]):
            assert json_out.dumps_indented(good) == standard(good)


def test_same_report_text():
    report = check("Our board oversees cybersecurity risk. The CISO reports to the Audit Committee.")
    data = json_out.as_data([report], version="x")
    for name in WRITERS:
        with writer(name):
            assert json_out.render([report], version="x") == standard(data) + "\n"


@pytest.mark.skipif(json_out.orjson is None, reason="orjson is not installed")
def test_orjson_writes_a_report_and_our_writer_takes_what_it_writes_otherwise(monkeypatch):
    report = check("Our board oversees cybersecurity risk. The CISO reports to the Audit Committee.")
    data = json_out.as_data([report], version="x")
    calls: list[object] = []
    ours = json_out._write
    monkeypatch.setattr(json_out, "_write", lambda value, *a: calls.append(value) or ours(value, *a))
    assert json_out.dumps_indented(data) == standard(data) and calls == []  # orjson alone
    assert json_out.dumps_indented({"x": 1e-05}) == '{\n  "x": 1e-05\n}' and len(calls) == 1
