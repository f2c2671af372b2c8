"""Stable content fingerprints of findings: the same gap in a reflowed or moved draft keeps its fingerprint.

A finding is identified by its rule id plus what the finding is about:

- a finding with evidence (a `partial` element, or a met one) hashes the evidence texts, normalised so
  that line breaks, indentation, Markdown emphasis, typographic quotes/dashes and letter case do not
  matter. Reflowing or moving the paragraph keeps the fingerprint; rewording the evidence changes it
  (a reviewer approved *that* wording).
- a `missing` element has no evidence, so it hashes the document's identity instead: the issuer and
  form when the input carries them (JSON records, EDGAR filings), otherwise the input's file name
  (without its folder, so moving the drafts folder keeps the waivers).

Line numbers and offsets never enter a fingerprint. Used by waivers (baseline.py) and by any report
that needs a stable id for a finding (e.g. SARIF partialFingerprints).
"""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import PurePath

import regex

from .model import Document, Result
from .vocab import normalise_for_matching

FINGERPRINT_VERSION = "v1"
_MARKUP = regex.compile(r"[*_`>#]+")  # Markdown emphasis/quote/heading marks a reflow can add or move
_SPACE = regex.compile(r"\s+")


def normalise_text(text: str) -> str:
    """The text as a fingerprint sees it: NFKC, folded quotes/dashes, no markup, one space, casefolded."""
    folded = unicodedata.normalize("NFKC", normalise_for_matching(text)).casefold()
    return _SPACE.sub(" ", _MARKUP.sub(" ", folded)).strip()


def document_identity(document: Document) -> str:
    """Who and what the document is, without where it sits: issuer and form, else the file name (in NFC)."""
    issuer = document.metadata.get("issuer")
    if issuer:
        return f"issuer:{normalise_text(str(issuer))}|form:{(document.form or '').upper()}"
    return f"file:{unicodedata.normalize('NFC', PurePath(document.source.replace(chr(92), '/')).name)}"


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8", "surrogateescape"))  # a file name that is not UTF-8: its own bytes
        h.update(b"\x00")
    return h.hexdigest()[:24]


def result_fingerprint(result: Result, document: Document) -> str:
    """The fingerprint of one result (rule id + normalised evidence, or + document identity)."""
    texts = sorted({normalise_text(e.text) for e in result.evidence} - {""})
    if texts:
        return _digest(FINGERPRINT_VERSION, result.rule, "evidence", *texts)
    return _digest(FINGERPRINT_VERSION, result.rule, "document", document_identity(document))
