"""The golden findings: statuses and evidence spans of every labelled record, one line per record.

Regenerate (only for a deliberate rule or engine change, in its own commit):
    python tests/golden_findings.py --write
`tests/test_golden.py` compares the engine's findings with the committed file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
FOLDERS = ("labelled", "labelled-2")
GOLDEN = ROOT / "tests" / "data" / "golden-findings.tsv"


def records() -> list[tuple[str, Path]]:
    """(folder/file name, path) of every labelled record, in a stable order."""
    return [(f"{folder}/{p.name}", p) for folder in FOLDERS for p in sorted((SHARED / folder).glob("*.json"))]


def line_of(name: str, path: Path, checker) -> str:
    """One record's findings: pack, then rule=status[evidence start-end,...][error] for each rule."""
    from checker.ingest.records import from_record

    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("labels", None)
    report = checker.check_document(from_record(data, str(path)), "auto")
    cells = []
    for r in report.results:
        spans = ",".join(f"{e.start}-{e.end}" for e in r.evidence)
        cell = f"{r.rule}={r.status}[{spans}]"
        if r.missing_parts:
            cell += "-" + "+".join(r.missing_parts)
        if r.error:
            cell += "!error"
        cells.append(cell)
    return "\t".join([name, report.pack_id] + cells)


def lines() -> list[str]:
    from checker import Checker

    checker = Checker()
    return [line_of(name, path, checker) for name, path in records()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help=f"write {GOLDEN.relative_to(ROOT)}")
    args = ap.parse_args(argv)
    out = "\n".join(lines()) + "\n"
    if args.write:
        tmp = GOLDEN.with_suffix(".tmp")
        tmp.write_text(out, encoding="utf-8")
        tmp.replace(GOLDEN)
    else:
        sys.stdout.write(out)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
