"""Map a function over items in worker processes, results in the items' order, a few chunks a worker.

Each worker gets a picklable `state` once (a fresh `Checker`, which loads its packs on first use, from the
compiled-pack cache) and calls `fn(state, item)` for its items. Workers are spawned, not forked: the
parent may hold threads or a loaded Hyperscan database, and spawn behaves alike on every platform. Ctrl-C
goes to the parent, which ends the pool; a worker that dies raises WorkerDied instead of leaving the
parent waiting, and the workers end when the parent does (`die_with_parent`, shared with `batch`).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from .model import CheckerError

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")


class WorkerDied(CheckerError):
    """A worker process ended before its work was done: one line, exit 2, as for an input the run
    could not check."""


WORKER_DIED = "a worker process ended before its work was done (killed, or out of memory?)"
CHUNKS_PER_WORKER = 4  # a few chunks a worker: one slow chunk does not leave the others idle
MAX_CHUNK = 32  # items a chunk at most: Ctrl-C waits for the running chunks only (a fraction of a second)

# A pool initializer can hand its result to later tasks only through a per-process global.
_state: Any = None


def _init(state: Any, parent: int) -> None:
    global _state
    become_worker(parent)
    _state = state


def become_worker(parent: int | None) -> None:
    """What a worker process does first: leave Ctrl-C to its parent (which ends the pool, or lets tasks
    finish), and end when the parent ends, if given."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is not None:
        die_with_parent(parent)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int) -> None:
    """End this worker when its parent (a batch, a check) ends, however it ends (SIGTERM, SIGKILL, a
    crash).

    On Linux the kernel sends SIGKILL when the parent dies (prctl PR_SET_PDEATHSIG); everywhere a
    daemon thread also checks once a second that the parent is still ours, and the parent may
    already be gone before either is in place.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl: the thread still watches
            pass
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="cydcheck-parent-watch").start()


def _watch_parent(parent: int, interval: float = 1.0) -> None:
    while os.getppid() == parent:
        time.sleep(interval)
    os._exit(1)


def _run(task: tuple[Callable[[Any, Any], Any], Sequence[Any]]) -> list[Any]:
    fn, chunk = task
    return [fn(_state, item) for item in chunk]


def chunked(items: Sequence[T], jobs: int) -> list[Sequence[T]]:
    """The items in order, cut into about CHUNKS_PER_WORKER chunks a worker, of MAX_CHUNK items at most."""
    size = max(1, min(MAX_CHUNK, -(-len(items) // (jobs * CHUNKS_PER_WORKER))))
    return [items[i:i + size] for i in range(0, len(items), size)]


def map_ordered(fn: Callable[[S, T], R], items: Sequence[T], state: S, jobs: int) -> list[R]:
    """[fn(state, item) for item in items], on `jobs` worker processes when jobs > 1 and there are at least
    two items a worker (else in this process). fn must be a module-level function; an exception in a
    worker is raised here, as the serial loop would raise it."""
    if jobs <= 1 or len(items) < 2 * jobs:
        return [fn(state, item) for item in items]
    # An executor, not a multiprocessing.Pool: a worker that dies (killed, out of memory) raises
    # BrokenProcessPool here at once, where a Pool would wait for its lost chunk for ever.
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_init,
                             initargs=(state, os.getpid())) as pool:
        try:
            return [r for part in pool.map(_run, [(fn, c) for c in chunked(items, jobs)]) for r in part]
        except BrokenProcessPool:
            raise WorkerDied(f"{WORKER_DIED}; run again with --jobs 1 to check in one process") from None
        except BaseException:  # Ctrl-C, or an error in one chunk: the queued chunks are not started
            pool.shutdown(wait=True, cancel_futures=True)
            raise
