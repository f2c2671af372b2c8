"""The fast JSON writer gives exactly what json.dumps(indent=2, ensure_ascii=False) gives."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker import check
from checker.report import json_out

SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text()
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                      | st.dictionaries(st.text() | st.integers() | st.booleans() | st.none() | st.floats(),
                                        inner, max_size=4), max_leaves=30)


@given(VALUES)
def test_same_text_as_the_standard_encoder(value):
    assert json_out.dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_same_report_text_and_same_errors():
    report = check("Our board oversees cybersecurity risk. The CISO reports to the Audit Committee.")
    data = json_out.as_data([report], version="x")
    assert json_out.render([report], version="x") == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    with pytest.raises(TypeError):
        json_out.dumps_indented({"a": object()})
    with pytest.raises(TypeError):
        json_out.dumps_indented({(1, 2): 1})
