"""Time the HTML (inline XBRL continuations) and .docx readers as the input doubles (run by hand).

    python bench/bench_inputs.py [--max-mb 50] [--kind html|docx|both]

For each size: megabytes read, seconds (best of --repeat), seconds per MB, the ratio to the previous
size (2.0 = linear when the input doubles) and, at the end, the log-log slope (1.0 = linear).
HTML: N facts all `continuedAt` one N-link chain (issue 13: 1,500 x 1,500 took 7 minutes). .docx:
numbered paragraphs; the size is the unpacked document.xml (CYDCHECK_MAX_BYTES is raised to fit).
The text reader's figures are bench/bench.py's.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the hostile-input generators

from hostile_inputs import big_docx, shared_chain_html  # noqa: E402
from timing import best  # noqa: E402

from checker.ingest import docx, html  # noqa: E402

MB = 1024 * 1024
HTML_BYTES_PER_PAIR = 420  # one fact plus one chain link, roughly
DOCX_XML_BYTES_PER_PARAGRAPH = 400


def _run(kind: str, max_mb: float, repeat: int) -> None:
    rows = []
    mb = 0.25
    while mb <= max_mb + 1e-9:
        if kind == "html":
            n = int(mb * MB / HTML_BYTES_PER_PAIR)
            raw = shared_chain_html(n, n)
            size = len(raw)
            seconds = best(lambda raw=raw: html.read(raw, "bench.html"), repeat)
        else:
            n = int(mb * MB / DOCX_XML_BYTES_PER_PARAGRAPH)
            raw = big_docx(n)
            with zipfile.ZipFile(io.BytesIO(raw)) as z:
                size = z.getinfo("word/document.xml").file_size
            os.environ["CYDCHECK_MAX_BYTES"] = str(max(size * 2, 50 * MB))
            seconds = best(lambda raw=raw: docx.read(raw, "bench.docx"), repeat)
        rows.append((size / MB, seconds))
        ratio = f"{seconds / rows[-2][1]:.2f}" if len(rows) > 1 else "-"
        print(f"{kind:5} {size / MB:8.2f} MB {seconds:8.3f} s {seconds / (size / MB):7.3f} s/MB  x{ratio}",
              flush=True)
        mb *= 2
    if len(rows) > 2:
        (x0, y0), (x1, y1) = rows[1], rows[-1]  # the first size is mostly fixed costs
        print(f"{kind:5} log-log slope {math.log(y1 / y0) / math.log(x1 / x0):.2f} (1.0 = linear)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-mb", type=float, default=8.0, help="largest input, doubling from 0.25 MB")
    ap.add_argument("--kind", choices=("html", "docx", "both"), default="both")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    for kind in ("html", "docx") if args.kind == "both" else (args.kind,):
        _run(kind, args.max_mb, args.repeat)


if __name__ == "__main__":
    main()
