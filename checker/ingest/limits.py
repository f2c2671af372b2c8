"""The input size limit every reader enforces: 50 MB, or $CYDCHECK_MAX_BYTES."""

from __future__ import annotations

import os
from collections.abc import Mapping

from ..model import CheckerError

MAX_INPUT_BYTES = 50 * 1024 * 1024
# A bomb guard: a Word archive whose parts, or a PDF whose streams, expand past this all told is refused.
MAX_UNPACKED = 200 * 1024 * 1024
MAX_BYTES_ENV = "CYDCHECK_MAX_BYTES"  # overrides the input size limit (bytes) for every command


def max_input_bytes(env: Mapping[str, str] = os.environ) -> int:
    """The input size limit: $CYDCHECK_MAX_BYTES when set, else 50 MB."""
    raw = env.get(MAX_BYTES_ENV, "").strip()
    if not raw:
        return MAX_INPUT_BYTES
    if not raw.isdigit() or int(raw) == 0:
        raise CheckerError(f"{MAX_BYTES_ENV} must be a positive whole number of bytes, not '{raw}'")
    return int(raw)


def limit_text(max_bytes: int) -> str:
    """The limit as the errors say it: "50 MB", or "100,000-byte" when it is no whole number of megabytes."""
    mib = 1024 * 1024
    return f"{max_bytes // mib} MB" if max_bytes % mib == 0 else f"{max_bytes:,}-byte"
