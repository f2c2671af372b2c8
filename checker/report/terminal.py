"""Text bound for a terminal or a CI log: no escape sequence or control character but our own colours."""

from __future__ import annotations

import re
import textwrap

from ..ingest.decode import BIDI_CONTROLS, ESCAPE_SEQUENCE

# Our colours (text_out._paint): SGR foreground codes and reset, nothing else.
_OWN_COLOUR = r"\x1b\[(?:3[0-7]|90|0)m"
# Any other escape sequence (the readers' definition, ingest.decode.ESCAPE_SEQUENCE), then the
# control characters themselves (C0 but tab and newline, DEL, C1), and the bidirectional controls that
# the readers drop from a document's text (a file name "report\u202egnp.exe" shows as "reportexe.png").
_ESCAPES = re.compile(rf"(?P<own>{_OWN_COLOUR})|{ESCAPE_SEQUENCE}|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
                      f"|[{BIDI_CONTROLS}]")


def safe(text: str, keep_colour: bool = False) -> str:
    """The text with every escape sequence, control character and bidirectional control removed (tab and
    newline stay); with keep_colour, our own colour codes stay too."""
    return _ESCAPES.sub(lambda m: m.group() if keep_colour and m.group("own") else "", text)


def one_line(text: object) -> str:
    """A message for stderr: newlines shown as \\n (scripts read errors by line) and no escape
    sequence (a file name may hold an OSC 52 clipboard write or an OSC 8 link)."""
    return safe(str(text).replace("\r", "\\r").replace("\n", "\\n"))


def wrap(text: str, width: int | None, first: str = "", rest: str = "") -> list[str]:
    """The text as lines of at most `width` columns (a word longer than a line kept whole), the first indented
    by `first`, the others by `rest`; one line when `width` is None."""
    if width is None:
        return [first + text]
    return textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest,
                         break_on_hyphens=False, break_long_words=False) or [first.rstrip()]
