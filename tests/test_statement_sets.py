"""The shipped packs on the statement sets of bench/data (written apart from the packs) do not fall back."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from checker import Checker

SENTENCES = Path(__file__).resolve().parent.parent / "bench" / "sentences.py"

# Per set, as measured with the packs as shipped (bench/README.md): statements found of those that address
# their element, distractors rejected of those that do not. A rule change may raise these, never lower
# them; a set marked "not read" in bench/sentences.py was only ever scored, so its figure says whether
# the classes found in the read ones generalise.
FLOORS = {
    "1c-1": (141, 144, 69, 72),
    # (1c-2, 1c-4 and 1c-28, the first and last unread, gave up one or two distractors each when the weights were
    # retrained on the eighteenth stop's corrected segmentation, which found 6 statements more on the sets and 27
    # filer-tagged sections more and lost nothing on the tuned part or out of fold: re-based on that trade)
    "1c-2": (142, 144, 70, 72),
    "1c-3": (161, 168, 93, 96),
    "1c-4": (156, 168, 93, 96),
    "1c-5": (163, 168, 91, 96),
    "1c-6": (163, 168, 92, 96),
    "1c-7": (161, 168, 92, 96),
    "1c-8": (161, 168, 92, 96),
    "1c-9": (156, 168, 91, 96),
    "1c-10": (151, 168, 91, 96),
    "1c-11": (164, 168, 86, 96),
    "1c-12": (166, 168, 93, 96),
    "1c-13": (161, 168, 91, 96),
    "1c-14": (158, 168, 87, 96),
    "1c-15": (153, 168, 91, 96),
    "1c-16": (120, 120, 67, 72),
    "1c-17": (160, 168, 90, 96),
    "1c-18": (159, 168, 95, 96),
    "1c-20": (159, 168, 86, 96),
    "1c-21": (152, 168, 90, 96),
    "1c-22": (166, 168, 83, 96),
    "1c-23": (148, 168, 92, 96),
    "1c-24": (164, 168, 82, 96),
    # (1c-25 and 1c-32, unread, gave 2 and 1 distractors to the providers rule deciding after the model at the
    # seventeenth stop, which found 11 more statements on the unread sets and lost none: the floors were re-based
    # on that measured trade, the rows not read)
    "1c-25": (168, 168, 82, 96),
    "1c-26": (166, 168, 83, 96),
    "1c-27": (163, 168, 95, 96),
    # (1c-28, unread, gave one statement about management's reports to the board and won a distractor when the
    # sentence had to say that something passes to the board, require_in_sentence: info_flow, at the nineteenth
    # stop; the unread sets won 9 distractors and lost this one statement, the row not read)
    "1c-28": (165, 168, 93, 96),
    "1c-29": (167, 168, 88, 96),
    "1c-30": (167, 168, 95, 96),
    "1c-31": (157, 168, 82, 96),
    "1c-32": (165, 168, 80, 96),
    "1c-33": (130, 140, 80, 84),
    "1c-34": (153, 168, 80, 96),
    "1c-35": (161, 168, 83, 96),
    "1c-36": (158, 168, 83, 96),
    "1c-37": (58, 60, 46, 52),
    "1c-38": (165, 168, 86, 96),
    "1c-39": (161, 168, 82, 96),
    "1c-40": (94, 96, 63, 64),
    "1c-41": (115, 120, 73, 84),
    "1c-19": (162, 168, 96, 96),
    "8k-1": (60, 60, 24, 24),
    "8k-2": (80, 80, 31, 32),
    "8k-3": (79, 80, 29, 32),
    "8k-4": (48, 48, 51, 56),
    "8k-5": (64, 64, 44, 48),
    "8k-6": (36, 36, 18, 18),
    "8k-7": (20, 20, 11, 12),
    "8k-8": (20, 20, 11, 12),
    "8k-9": (61, 62, 43, 46),
    "8k-10": (46, 46, 47, 50),
    "8k-11": (55, 56, 29, 30),
    "8k-12": (30, 30, 17, 18),
    "8k-13": (79, 80, 58, 60),
    "8k-14": (34, 34, 18, 18),
    "8k-15": (100, 100, 58, 60),
    "8k-16": (35, 36, 18, 18),
    "8k-17": (19, 20, 27, 32),
    "8k-18": (99, 100, 69, 70),
    "8k-19": (58, 60, 22, 28),
    "8k-20": (98, 100, 68, 70),
    "8k-21": (56, 56, 25, 28),
    "8k-22": (97, 100, 68, 70),
    "8k-23": (99, 100, 66, 70),
    "8k-24": (100, 100, 68, 70),
    "8k-25": (100, 100, 68, 70),
    "8k-26": (83, 84, 49, 52),
    "8k-27": (100, 100, 63, 70),
    "8k-28": (100, 100, 67, 70),
    "8k-29": (99, 100, 68, 70),
    "8k-30": (80, 80, 52, 52),
    "8k-31": (90, 90, 57, 58),
    "8k-32": (100, 100, 65, 70),
    "8k-33": (80, 80, 50, 50),
    "8k-34": (78, 80, 46, 50),
    "8k-35": (80, 80, 45, 50),
    "8k-36": (80, 80, 47, 50),
    "8k-38": (80, 80, 46, 50),
    "8k-39": (78, 80, 44, 50),
    "8k-40": (79, 80, 49, 50),
    "8k-41": (78, 80, 49, 50),
    "8k-42": (79, 80, 48, 50),
    "8k-43": (72, 80, 45, 50),
    "8k-44": (80, 80, 49, 50),
    "8k-45": (80, 80, 50, 50),
    "8k-46": (80, 80, 48, 50),
    "8k-47": (80, 80, 49, 50),
    "8k-48": (80, 80, 50, 50),
    "8k-49": (80, 80, 44, 50),
    "8k-50": (80, 80, 48, 50),
    "8k-51": (80, 80, 44, 50),
    "8k-52": (77, 80, 44, 50),
    "8k-37": (80, 80, 45, 50),
}


def _bench_sentences():
    spec = importlib.util.spec_from_file_location("bench_sentences", SENTENCES)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def measured() -> dict[str, tuple[int, int, int, int]]:
    bench = _bench_sentences()
    checker = Checker()
    out = {}
    for name, rows in bench.sets():
        out[name] = bench.totals(bench.per_element(bench.score(rows, name.split("-")[0], checker)))
    return out


def test_every_set_has_a_floor(measured):
    assert sorted(measured) == sorted(FLOORS)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_the_packs_do_not_fall_back_on_a_statement_set(measured, name):
    found, addressing, rejected, other = measured[name]
    floor_found, floor_addressing, floor_rejected, floor_other = FLOORS[name]
    assert (addressing, other) == (floor_addressing, floor_other), "the set itself changed"
    assert found >= floor_found, f"{name}: {found} of {addressing} statements found, was {floor_found}"
    assert rejected >= floor_rejected, f"{name}: {rejected} of {other} distractors rejected, was {floor_rejected}"
