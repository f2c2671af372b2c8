"""Time parsing and section locating on the largest whole filing (run by hand; target < 0.5 s for 5 MB).

    python bench/bench_locate.py [FILE.html] [--repeat N]

Prints the best of N runs for each stage on one core: HTML parse (lxml), text rendering (furniture
dropped, source map), section locating, and the full reader (which also reads inline XBRL facts).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from checker import sections
from checker.ingest import html
from checker.model import Document, SourceMap

FULL = Path(__file__).resolve().parents[1].parent / "shared" / "fullfilings"


def best(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?",
                    help="an .htm/.html filing (default: the largest in ../shared/fullfilings)")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    if args.file:
        path = Path(args.file)
    else:
        candidates = list(FULL.glob("*.htm*"))
        if not candidates:
            raise SystemExit(f"no filings in {FULL}; give a file")
        path = max(candidates, key=lambda p: p.stat().st_size)
    raw = path.read_bytes()
    mb = len(raw) / 1e6

    t_parse, root = best(lambda: html.parse_html(raw, str(path)), args.repeat)
    t_render, rendered = best(lambda: html.render(root), args.repeat)
    doc = Document(rendered.text, str(path), source_map=SourceMap(rendered.anchors, count_newlines=False))
    doc.form = html.dei_metadata(root).get("form")
    t_locate, section = best(lambda: sections.locate(doc), args.repeat)
    t_read, _ = best(lambda: html.read(raw, str(path)), args.repeat)

    total = t_parse + t_render + t_locate
    print(f"file      {path.name}  {mb:.2f} MB  ({len(rendered.text):,} chars of text)")
    print(f"section   Item {section.item} by {section.method}: {section.heading!r}, "
          f"{len(doc.text[section.start:section.end].split())} words")
    print(f"parse     {t_parse * 1000:7.1f} ms")
    print(f"render    {t_render * 1000:7.1f} ms")
    print(f"locate    {t_locate * 1000:7.1f} ms")
    print(f"total     {total * 1000:7.1f} ms  = {total / mb * 1000:.0f} ms/MB "
          f"-> {total / mb * 5:.2f} s for 5 MB (target < 0.5 s)")
    print(f"reader    {t_read * 1000:7.1f} ms  (html.read: parse + render + inline XBRL facts)")


if __name__ == "__main__":
    main()
