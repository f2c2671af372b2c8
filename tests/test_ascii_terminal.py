"""A terminal whose locale is ASCII only (LC_ALL=C): reports and errors it can show, not UTF-8 it garbles."""

from __future__ import annotations

import io
import locale

import pytest

from checker.cli import ascii_terminal
from checker.cli.ascii_terminal import ascii_text, plain_terminal_streams


class _Tty(io.BytesIO):
    def isatty(self) -> bool:
        return True


def _streams(tty: bool) -> tuple[io.TextIOWrapper, io.BytesIO]:
    raw = _Tty() if tty else io.BytesIO()
    return io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape"), raw


@pytest.fixture
def ascii_locale(monkeypatch) -> None:
    monkeypatch.setattr(locale, "nl_langinfo", lambda item: "ANSI_X3.4-1968", raising=False)


def test_report_punctuation_and_accents_are_spelt_in_ascii() -> None:
    text = "r\u00e9sum\u00e9.md: 10-K Item 1C \u2014 \u201cWe\u2019ve\u201d \u2026 \u00b6 \u2713 \u4e2d \udce9"
    assert ascii_text(text) == "resume.md: 10-K Item 1C -- \"We've\" ... P. v ? \udce9"


def test_the_markdown_report_s_status_marks_are_spelt() -> None:
    assert ascii_text("\u2705 5 met \u00b7 \U0001f7e1 0 partial \u00b7 \u274c 7 missing \u00b7 \u2796 0") == (
        "v 5 met * ~ 0 partial * x 7 missing * - 0")


def test_a_terminal_of_an_ascii_locale_is_written_ascii(ascii_locale) -> None:
    # Under LC_ALL=C Python writes UTF-8 (its UTF-8 mode): the terminal showed "â€”" for an em dash.
    (out, out_raw), (err, err_raw) = _streams(tty=True), _streams(tty=False)
    new_out, new_err = plain_terminal_streams(out, err, env={})
    new_out.write("Q3 Draft (John\u2019s edits) r\u00e9sum\u00e9.md \u2014 pack\n")
    new_out.buffer.write("bytes \u2026 too\n".encode())  # click writes a report as bytes
    new_out.flush()
    assert out_raw.getvalue() == b"Q3 Draft (John's edits) resume.md -- pack\nbytes ... too\n"
    assert new_err is err  # a pipe or a file keeps its UTF-8: a saved report is the same everywhere
    assert err_raw.getvalue() == b""


def test_a_utf8_locale_or_pythonioencoding_keeps_utf8(monkeypatch) -> None:
    out, err = _streams(tty=True)[0], _streams(tty=True)[0]
    monkeypatch.setattr(locale, "nl_langinfo", lambda item: "UTF-8", raising=False)
    assert plain_terminal_streams(out, err, env={}) == (out, err)
    monkeypatch.setattr(locale, "nl_langinfo", lambda item: "ANSI_X3.4-1968", raising=False)
    assert plain_terminal_streams(out, err, env={"PYTHONIOENCODING": "utf-8"}) == (out, err)
    assert ascii_terminal.locale_is_ascii({})
