"""One benchmark at a time on a machine.

Two runs at once measure each other (they share two cores), and both start their PostgreSQL
topology on the same database, which each drops and creates afresh (bench.cluster): the second
run kills the first one's servers' connections, and that run reports nobody connected rather
than an error. A second run therefore stops at once, saying which process holds the machine.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_PATH = Path(tempfile.gettempdir()) / "journeymap-bench.lock"


class MachineBusy(SystemExit):
    """Another benchmark holds the machine (a SystemExit: the command ends with its message)."""


@contextmanager
def machine_to_ourselves(lock_path: Path = LOCK_PATH) -> Iterator[None]:
    """Hold the machine's benchmark lock for the block, or raise MachineBusy. The kernel lets
    go of it when the process ends, however it ends."""
    with open(lock_path, "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            raise MachineBusy(
                f"another benchmark is running on this machine ({holder}); runs that overlap "
                "measure each other and share the PostgreSQL database: wait for it to finish"
            ) from None
        lock.seek(0)
        lock.truncate()
        lock.write(f"pid {os.getpid()}")
        lock.flush()
        yield
