"""Map a function over items in worker processes, results in the items' order, a few chunks a worker.

Each worker gets a picklable `state` once (a fresh `Checker`, which loads its packs on first use, from the
compiled-pack cache) and calls `fn(state, item)` for its items. Workers are spawned, not forked: the
parent may hold threads or a loaded Hyperscan database, and spawn behaves alike on every platform. Ctrl-C
goes to the parent, which ends the pool.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

CHUNKS_PER_WORKER = 4  # a few chunks a worker: one slow chunk does not leave the others idle

# A pool initializer can hand its result to later tasks only through a per-process global.
_state: Any = None


def _init(state: Any) -> None:
    global _state
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends the pool
    _state = state


def _run(task: tuple[Callable[[Any, Any], Any], Sequence[Any]]) -> list[Any]:
    fn, chunk = task
    return [fn(_state, item) for item in chunk]


def chunked(items: Sequence[T], jobs: int) -> list[Sequence[T]]:
    """The items in order, cut into about CHUNKS_PER_WORKER chunks a worker."""
    size = max(1, -(-len(items) // (jobs * CHUNKS_PER_WORKER)))
    return [items[i:i + size] for i in range(0, len(items), size)]


def map_ordered(fn: Callable[[S, T], R], items: Sequence[T], state: S, jobs: int) -> list[R]:
    """[fn(state, item) for item in items], on `jobs` worker processes when jobs > 1 and there are at least
    two items a worker (else in this process). fn must be a module-level function; an exception in a
    worker is raised here, as the serial loop would raise it."""
    if jobs <= 1 or len(items) < 2 * jobs:
        return [fn(state, item) for item in items]
    with multiprocessing.get_context("spawn").Pool(jobs, _init, (state,)) as pool:
        return [r for part in pool.map(_run, [(fn, c) for c in chunked(items, jobs)]) for r in part]
