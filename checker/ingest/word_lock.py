"""Word's owner ("lock") files: '~$' and the name of a document open in Word, written beside it."""

from __future__ import annotations

from pathlib import Path

PREFIX = "~$"
_REPLACED = 2  # Word writes '~$' over at most the first two characters of the document's name


def is_word_lock(path: str | Path) -> bool:
    """Whether the file is named as Word names the owner file of a document open in it ('~$em 1C draft.docx'
    beside 'Item 1C draft.docx'): no draft, whatever its extension."""
    return Path(path).name.startswith(PREFIX)


def locked_document(path: str | Path) -> Path | None:
    """The document beside a Word owner file that it stands for (Word wrote '~$' over the first characters
    of its name, or before a short one): the one with the most characters replaced, or None."""
    lock = Path(path)
    rest = lock.name[len(PREFIX):]
    try:
        beside = [f for f in lock.parent.iterdir() if f.name.endswith(rest) and not is_word_lock(f)]
    except OSError:
        return None
    fits = [f for f in beside if len(f.name) - len(rest) <= _REPLACED and f.is_file()]
    return max(fits, key=lambda f: (len(f.name), f.name), default=None)


def lock_text(path: str | Path, look: bool = True) -> str:
    """What a Word owner file is, in a few words, naming the document open in Word (found beside it when
    `look`; else, for a file apart from its folder such as an upload, by the part of its name Word kept)."""
    document = locked_document(path) if look else None
    named = f"'{document}'" if document is not None else f"'…{Path(path).name[len(PREFIX):]}'"
    return f"Word's lock file of {named}, a document open in Word"
