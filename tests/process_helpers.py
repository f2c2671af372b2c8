"""Process checks the worker tests share (Linux: they read /proc)."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie has ended; only its exit status waits for a reaper)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def kill_and_expect_workers_gone(parent: subprocess.Popen, workers: list[int], wait: float = 10.0) -> None:
    """SIGKILL the parent, then assert its workers end within `wait` seconds."""
    parent.send_signal(signal.SIGKILL)
    parent.wait(wait)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and any(alive(w) for w in workers):
        time.sleep(0.1)
    assert not any(alive(w) for w in workers)
