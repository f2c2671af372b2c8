"""cydcheck: check SEC cybersecurity disclosures (Item 1C, 16K, 1.05) against YAML rule packs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Checker", "CheckerError", "Document", "Evidence", "Report", "Result", "check", "render",
           "__version__"]

if TYPE_CHECKING:
    from .api import Checker, check
    from .model import CheckerError, Document, Evidence, Report, Result
    from .report import render


def __getattr__(name: str) -> Any:
    # Imported on first use, so `cydcheck --version` does not load the engine.
    if name in ("Checker", "check"):
        from . import api

        return getattr(api, name)
    if name == "render":  # the report package (and its renderers) loads only when a report is written
        from .report import render

        return render
    if name in __all__:
        from . import model

        return getattr(model, name)
    raise AttributeError(f"module 'checker' has no attribute {name!r}")
