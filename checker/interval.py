"""Bootstrap intervals of a score: records resampled with replacement, to tell a change from a draw."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

Tally = tuple[int, int, int, int]  # one record's (tp, fp, fn, tn) over its scored elements
LEVEL = 0.95


def interval(tallies: Sequence[Tally], metric: Callable[[Tally], float], resamples: int,
             seed: int = 0) -> tuple[float, float]:
    """The central LEVEL interval of `metric` over `resamples` resamples of the records (each drawn with
    replacement, as many as there are), by percentiles. Seeded: the same inputs give the same interval."""
    if not tallies:
        _check(resamples)
        return (0.0, 0.0)
    rng = random.Random(seed)
    return _central([metric(_draw(tallies, rng)) for _ in range(_check(resamples))])


def difference(first: Sequence[Tally], second: Sequence[Tally], metric: Callable[[Tally], float],
               resamples: int, seed: int = 0) -> tuple[float, float]:
    """The interval of metric(first) - metric(second) for two independent sets of records (a tuned part and
    a held-out one), each resampled on its own."""
    rng = random.Random(seed)
    return _central([metric(_draw(first, rng)) - metric(_draw(second, rng))
                     for _ in range(_check(resamples))])


def _check(resamples: int) -> int:
    if resamples < 1:
        raise ValueError("resamples must be at least 1")
    return resamples


def _draw(tallies: Sequence[Tally], rng: random.Random) -> Tally:
    """The pooled tally of len(tallies) records drawn with replacement."""
    tp = fp = fn = tn = 0
    for a, b, c, d in map(tallies.__getitem__, rng.choices(range(len(tallies)), k=len(tallies))):
        tp += a
        fp += b
        fn += c
        tn += d
    return tp, fp, fn, tn


def _central(values: list[float]) -> tuple[float, float]:
    values.sort()
    tail = (1.0 - LEVEL) / 2
    return values[_rank(tail, len(values))], values[_rank(1.0 - tail, len(values))]


def _rank(q: float, n: int) -> int:
    """The index of the q-quantile in n sorted values (nearest rank)."""
    return min(n - 1, max(0, round(q * (n - 1))))
