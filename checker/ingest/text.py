"""Plain text and Markdown: the file's text as it is; line numbers are the file's lines."""

from __future__ import annotations

import re

from ..model import CheckerError, Document
from .cover import attach
from .decode import decode

# A line quoted in an e-mail reply or a Markdown block quote: its markers ("> ", "> > ", ">>")
_QUOTE_MARKERS = re.compile(r"^[ \t]*>[> \t]*", re.MULTILINE)


def unquote(text: str) -> str:
    """The text with each line's quote markers (a draft quoted in a Mail reply) blanked, offsets kept."""
    return _QUOTE_MARKERS.sub(lambda m: " " * len(m.group()), text) if ">" in text else text


def read(raw: bytes, source: str) -> list[Document]:
    text = unquote(decode(raw, source, breaks=True))
    if not text.strip():
        raise CheckerError("the file is empty", file=source)
    return [attach(Document(text=text, source=source))]  # a whole filing saved as text has its cover
