"""Time and memory of reading an EDGAR complete submission whose exhibits dwarf the filing (run by hand).

    python bench/bench_submission.py [--mb 400]

Wraps the Meta 10-K fixture (tests/fixtures/submission) with MB megabytes of uuencoded graphics after it, as
a large filer's full-submission.txt carries, and prints the time to read it, the process's peak memory, and
the time to hash the same file alone (the floor: every byte is read once).
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import tempfile
import time
from pathlib import Path

from checker import ingest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "submission" / "meta-10k-2024-full-submission.txt"
LINE = b"M" + b"A" * 60 + b"\n"  # one uuencoded line


def write(path: Path, megabytes: int) -> None:
    head, tail = FIXTURE.read_bytes().split(b"<DOCUMENT>\n<TYPE>EX-21.1", 1)
    graphic = (b"<DOCUMENT>\n<TYPE>GRAPHIC\n<SEQUENCE>9\n<FILENAME>g.jpg\n<DESCRIPTION>\n<TEXT>\n"
               + b"begin 644 g.jpg\n" + LINE * (1024 * 1024 // len(LINE)) + b"end\n</TEXT>\n</DOCUMENT>\n")
    with path.open("wb") as fh:
        fh.write(head)
        for _ in range(megabytes):
            fh.write(graphic)
        fh.write(b"<DOCUMENT>\n<TYPE>EX-21.1" + tail)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=400, help="megabytes of graphics after the 10-K")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "full-submission.txt"
        write(path, args.mb)
        size = path.stat().st_size / 1e6
        start = time.perf_counter()
        (doc,) = ingest.load(str(path))
        read = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
        floor = time.perf_counter() - start
    assert digest.hexdigest() == doc.sha256
    print(f"{size:.0f} MB submission: read in {read:.2f} s (hashing alone {floor:.2f} s), "
          f"peak memory {peak:.0f} MB; {len(doc.text):,} characters of text; {doc.not_read[0]}")


if __name__ == "__main__":
    main()
