"""Safari's web archives (.webarchive): a binary property list holding the page as it was downloaded."""

from __future__ import annotations

import importlib
import plistlib
from typing import Any

from ..model import CheckerError, Document

# What a page's main resource is, by its MIME type: the reader of its bytes
_READ_AS = {"text/html": "html", "application/xhtml+xml": "html", "text/xml": "html", "text/plain": "text",
            "application/pdf": "pdf"}
_VIEWER = "/ix?doc="  # EDGAR's inline XBRL viewer, a script that shows the filing named after it
_SAVE_AGAIN = "open the filing's .htm in Safari and save it (File > Save As: Web Archive or Page Source)"


def read(raw: bytes, source: str) -> list[Document]:
    """The documents of a web archive: those of the page it saved, read as that page's format is."""
    page = _page(_archive(raw, source), source)
    mime = str(page.get("WebResourceMIMEType") or "").lower()
    data = page.get("WebResourceData")
    if mime not in _READ_AS or not isinstance(data, bytes):
        raise CheckerError(f"a Safari web archive of a page of type {mime or 'unknown'}, which cydcheck does "
                           f"not read: {_SAVE_AGAIN}", file=source)
    return importlib.import_module(f"{__package__}.{_READ_AS[mime]}").read(data, source)


def _archive(raw: bytes, source: str) -> dict[str, Any]:
    """The archive's property list; a one-line error when it is none."""
    try:
        archive = plistlib.loads(raw)
    except (plistlib.InvalidFileException, ValueError, TypeError, KeyError, IndexError, OverflowError,
            RecursionError, MemoryError) as exc:
        why = exc.__class__.__name__
        raise CheckerError(f"not a Safari web archive (its property list cannot be read: {why}): "
                           f"{_SAVE_AGAIN}", file=source) from None
    if not isinstance(archive, dict) or not isinstance(archive.get("WebMainResource"), dict):
        raise CheckerError(f"not a Safari web archive (no main resource): {_SAVE_AGAIN}", file=source)
    return archive


def _page(archive: dict[str, Any], source: str) -> dict[str, Any]:
    """The resource holding the page: the main one, or for EDGAR's inline XBRL viewer the filing it shows."""
    main = archive["WebMainResource"]
    url = str(main.get("WebResourceURL") or "")
    if _VIEWER not in url:
        return main
    wanted = url.split(_VIEWER, 1)[1].split("#", 1)[0]
    frames = [f.get("WebMainResource") for f in archive.get("WebSubframeArchives") or []
              if isinstance(f, dict)]
    for resource in [*frames, *(archive.get("WebSubresources") or [])]:
        address = str(resource.get("WebResourceURL") or "") if isinstance(resource, dict) else ""
        if address and address.split("#")[0].endswith(wanted):
            return resource
    raise CheckerError("a Safari web archive of EDGAR's inline XBRL viewer, which does not hold the filing "
                       f"it shows: {_SAVE_AGAIN}", file=source)
