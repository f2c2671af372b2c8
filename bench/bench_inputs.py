"""Time the text, HTML (inline XBRL continuations), .docx and whole 8-K inputs as they double (by hand).

    python bench/bench_inputs.py [--max-mb 50] [--kind text|html|docx|word-copy|8k|all]

For each size: megabytes read, seconds (best of --repeat), seconds per MB, the ratio to the previous
size (2.0 = linear when the input doubles) and, at the end, the log-log slope (1.0 = linear).
HTML: N facts all `continuedAt` one N-link chain (issue 13: 1,500 x 1,500 took 7 minutes). .docx:
numbered paragraphs; the size is the unpacked document.xml (CYDCHECK_MAX_BYTES is raised to fit).
Word copy: the same .docx written again with 13 comments spread over it (`check -o x.docx`), each on a
sentence it must find in its paragraph.
Text: a draft whose Item 1C section repeats (each copy with its heading), read, its section located
and segmented into sentences: the stages before the rules, whose time has its own budget per document
(a 1 MB draft like this took 222 s to locate). 8-K: a whole 8-K saved as text (cover, Item 8.01, Item
9.01) whose Item 8.01 paragraph, worded as such reports are ("has not determined", "Item 9.01"), repeats:
read and checked, which is its cover, its item headings, the mentions of Item 1.05 and the sentences read
for a materiality determination (the engine does not run: the report is ITEM-NOT-REPORTED). Sizes double
from 0.25 MB; the last is --max-mb itself.
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
from test_hardening_output import DRAFT  # noqa: E402
from timing import best  # noqa: E402

from checker.api import Checker  # noqa: E402
from checker.ingest import docx, html, text  # noqa: E402
from checker.report.comments import Comment  # noqa: E402
from checker.report.docx_out import annotate  # noqa: E402
from checker.sections import locate  # noqa: E402
from checker.segment import segment  # noqa: E402

MB = 1024 * 1024
HTML_BYTES_PER_PAIR = 420  # one fact plus one chain link, roughly
DOCX_XML_BYTES_PER_PARAGRAPH = 342  # measured: 0.25 MB of paragraphs unpack to 0.21 MB at 400
COVER_8K = ("UNITED STATES\nSECURITIES AND EXCHANGE COMMISSION\n\nFORM 8-K\n\nCURRENT REPORT\n\nExample "
            "Logistics, Inc.\n\n(Exact name of registrant as specified in its charter)\n\nItem 8.01 Other "
            "Events.\n\n")
PARAGRAPH_801 = ("On May 1, 2025, the Company detected unauthorized activity on certain systems and "
                 "determined to take them offline. The Company has not determined that the incident is "
                 "reasonably likely to materially impact it; the exhibits are listed under Item 9.01.\n\n")


def _read_text(raw: bytes) -> int:
    doc = text.read(raw, "bench.txt")[0]
    section = locate(doc)
    return len(segment(doc.text[section.start:section.end]).sentences)


def _check_8k(raw: bytes, checker: Checker) -> str:
    return checker.check_document(text.read(raw, "bench-8k.txt")[0]).results[0].rule


def _spread_comments(raw: bytes, n: int = 13) -> list[Comment]:
    """n comments over the draft, each on the last 40 characters of a paragraph as the reader reads it."""
    doc = docx.read(raw, "bench.docx")[0]
    anchors = doc.source_map.anchors
    picks = anchors[:: max(1, len(anchors) // n)][:n]
    out = []
    for pos, number in picks:
        end = doc.text.find("\n\n", pos)
        out.append(Comment(number, ("bench",), doc.text[pos:end if end >= 0 else len(doc.text)][-40:]))
    return out


def _sizes(max_mb: float) -> list[float]:
    sizes = [0.25]
    while sizes[-1] * 2 < max_mb - 1e-9:
        sizes.append(sizes[-1] * 2)
    return [*sizes, max_mb] if max_mb > sizes[-1] + 1e-9 else sizes


def _run(kind: str, max_mb: float, repeat: int) -> None:
    rows = []
    for mb in _sizes(max_mb):
        if kind == "text":
            unit = "Item 1C. Cybersecurity\n\n" + DRAFT + "\n\n"
            raw = (unit * int(mb * MB / len(unit.encode("utf-8")))).encode("utf-8")
            size = len(raw)
            os.environ["CYDCHECK_MAX_BYTES"] = str(max(size * 2, 50 * MB))
            seconds = best(lambda raw=raw: _read_text(raw), repeat)
        elif kind == "8k":
            raw = (COVER_8K + PARAGRAPH_801 * int(mb * MB / len(PARAGRAPH_801)) + "Item 9.01 Financial "
                   "Statements and Exhibits.\n").encode("utf-8")
            size = len(raw)
            os.environ["CYDCHECK_MAX_BYTES"] = str(max(size * 2, 50 * MB))
            checker = Checker()
            assert _check_8k(raw, checker) == "ITEM-NOT-REPORTED"
            seconds = best(lambda raw=raw, c=checker: _check_8k(raw, c), repeat)
        elif kind == "html":
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
            if kind == "docx":
                seconds = best(lambda raw=raw: docx.read(raw, "bench.docx"), repeat)
            else:
                comments = _spread_comments(raw)
                seconds = best(lambda raw=raw, c=comments: annotate(raw, c, "bench.docx"), repeat)
        rows.append((size / MB, seconds))
        ratio = f"{seconds / rows[-2][1]:.2f}" if len(rows) > 1 else "-"
        print(f"{kind:9} {size / MB:8.2f} MB {seconds:8.3f} s {seconds / (size / MB):7.3f} s/MB  x{ratio}",
              flush=True)
    if len(rows) > 2:
        (x0, y0), (x1, y1) = rows[1], rows[-1]  # the first size is mostly fixed costs
        print(f"{kind:9} log-log slope {math.log(y1 / y0) / math.log(x1 / x0):.2f} (1.0 = linear)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-mb", type=float, default=8.0, help="largest input, doubling from 0.25 MB")
    ap.add_argument("--kind", choices=("text", "html", "docx", "word-copy", "8k", "all"), default="all")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    for kind in ("text", "html", "docx", "word-copy", "8k") if args.kind == "all" else (args.kind,):
        _run(kind, args.max_mb, args.repeat)


if __name__ == "__main__":
    main()
