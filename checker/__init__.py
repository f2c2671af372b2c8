"""cydcheck: check SEC cybersecurity disclosures (Item 1C, 16K, 1.05) against YAML rule packs."""

from .api import Checker, check
from .model import CheckerError, Document, Evidence, Report, Result

__version__ = "0.1.0"
__all__ = ["Checker", "CheckerError", "Document", "Evidence", "Report", "Result", "check", "__version__"]
