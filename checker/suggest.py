"""The name a user most likely meant by a misspelt one ("did you mean ...?"), for every error offering one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def nearest(name: str, known: Iterable[str], cutoff: float = 0.75) -> str | None:
    """The known name closest to `name`, case aside, when it is close enough; else None."""
    by_fold = {k.casefold(): k for k in known}
    close = difflib.get_close_matches(name.casefold(), sorted(by_fold), n=1, cutoff=cutoff)
    return by_fold[close[0]] if close else None


def did_you_mean(name: str, known: Iterable[str], quote: str = "", cutoff: float = 0.75) -> str:
    """' (did you mean X?)' naming the known name nearest a misspelt one, or nothing."""
    close = nearest(name, known, cutoff)
    return f" (did you mean {quote}{close}{quote}?)" if close else ""
