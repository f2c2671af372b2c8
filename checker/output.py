"""Write output files atomically: a temporary file beside the target, then a rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .model import CheckerError


def write_atomic(path: str | Path, content: str | bytes) -> None:
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise CheckerError("output folder does not exist", file=str(target))
    if target.is_dir():
        raise CheckerError("output path is a directory", file=str(target))
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates 0600; give the report the permissions a normal file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def refuse_overwriting_inputs(outputs: Iterable[str | None], inputs: Iterable[str]) -> None:
    """Stop before a run whose output path names one of its inputs: a typo must not replace the draft."""
    files = [Path(i) for i in inputs if i != "-" and Path(i).is_file()]
    for out in outputs:
        if out in (None, "-") or not Path(out).is_file():
            continue
        if any(os.path.samefile(out, f) for f in files):  # also catches symlinks and hard links
            raise CheckerError("output path is one of the input files; it would be overwritten",
                               file=str(out))
