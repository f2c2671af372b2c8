"""iCloud Drive's placeholders: '.NAME.icloud', a small property list standing for a file not downloaded."""

from __future__ import annotations

import re
from pathlib import Path

_PLACEHOLDER = re.compile(r"\.(.+)\.icloud", re.DOTALL)
_PLIST = b"bplist"  # a placeholder is a binary property list (the file's name, size and kind)
ADVICE = "download it in Finder (its cloud button) or with `brctl download`, then check it again"


def placeholder_of(path: str | Path) -> str | None:
    """The name of the file an iCloud Drive placeholder stands for ('.Q3.docx.icloud': 'Q3.docx'), or None."""
    found = _PLACEHOLDER.fullmatch(Path(path).name)
    return found.group(1) if found else None


def placeholder_beside(path: str | Path) -> Path | None:
    """The placeholder iCloud Drive keeps beside the place of a file it has not downloaded; None if none."""
    p = Path(path)
    beside = p.with_name(f".{p.name}.icloud")
    return beside if p.name and beside.is_file() else None


def is_placeholder(path: str | Path, head: bytes) -> bool:
    """The file is named and made as an iCloud Drive placeholder."""
    return placeholder_of(path) is not None and head.startswith(_PLIST)


def not_downloaded(name: str) -> str:
    """Why a file is not read when iCloud Drive holds it but this Mac does not yet, and what to do."""
    return f"'{name}' is in iCloud Drive but not downloaded to this Mac: {ADVICE}"
