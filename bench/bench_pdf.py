"""Time reading PDFs and checking them, one core (run by hand; no target yet: a whole 10-K in about a second).

    python bench/bench_pdf.py [FILE.pdf | FOLDER ...]

For each PDF: its pages and size, the reader's time (the expansion guard, PDFium's lines, the paragraphs) and
the check's (section, packs, findings) with a warm checker. Without arguments: the test fixture. Whole filings
to try it on are made by printing ../shared/fullfilings/*.htm* to PDF (tests/fixtures/pdf/make_fixtures.py).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from checker import Checker
from checker.ingest import pdf

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "pdf" / "nvda-10k-2025-pages.pdf"


def main(args: list[str]) -> None:
    paths: list[Path] = []
    for a in args or [str(FIXTURE)]:
        p = Path(a)
        paths.extend(sorted(p.glob("*.pdf")) if p.is_dir() else [p])
    checker = Checker()
    checker.check_document(pdf.read(FIXTURE.read_bytes(), "warm-up")[0])
    total_read = total_check = 0.0
    print(f"{'file':42} {'pages':>5} {'MB':>6} {'read s':>7} {'check s':>7}  statuses")
    for path in paths:
        raw = path.read_bytes()
        t = time.perf_counter()
        (document,) = pdf.read(raw, str(path))
        read = time.perf_counter() - t
        t = time.perf_counter()
        report = checker.check_document(document)
        check = time.perf_counter() - t
        total_read, total_check = total_read + read, total_check + check
        pages = document.source_map.line_of(document.text, len(document.text))
        met = sum(r.status == "met" for r in report.results)
        print(f"{path.name[:42]:42} {pages:5d} {len(raw) / 1e6:6.2f} {read:7.2f} {check:7.2f}  "
              f"{met} met of {len(report.results)}")
    print(f"{len(paths)} PDFs: reading {total_read:.2f} s, checking {total_check:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
