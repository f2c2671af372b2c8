"""Plain text and Markdown: the file's text as it is; line numbers are the file's lines."""

from __future__ import annotations

import re

from ..model import CheckerError, Document, SourceMap
from .cover import attach
from .decode import file_text, settled

# A line quoted in an e-mail reply or a Markdown block quote: its markers ("> ", "> > ", ">>")
_QUOTE_MARKERS = re.compile(r"^[ \t]*>[> \t]*", re.MULTILINE)


def unquote(text: str) -> str:
    """The text with each line's quote markers (a draft quoted in a Mail reply) blanked, offsets kept."""
    return _QUOTE_MARKERS.sub(lambda m: " " * len(m.group()), text) if ">" in text else text


def read(raw: bytes, source: str) -> list[Document]:
    own = file_text(raw, source)
    text, moves = settled(own)  # decode(raw, source, breaks=True), and where it moved the file's text
    text = unquote(text)
    if not text.strip():
        raise CheckerError("the file is empty", file=source)
    # the file's own text kept where the reader changed it, so a column counts the file's line; a whole
    # filing saved as text has its cover
    return [attach(Document(text=text, source=source, source_map=SourceMap(moves=moves),
                            source_text=own if moves else None))]
