"""Plain text and Markdown: the file's text as it is; line numbers are the file's lines."""

from __future__ import annotations

from ..model import CheckerError, Document
from .cover import attach
from .decode import decode


def read(raw: bytes, source: str) -> list[Document]:
    text = decode(raw, source)
    if not text.strip():
        raise CheckerError("the file is empty", file=source)
    return [attach(Document(text=text, source=source))]  # a whole filing saved as text has its cover
