"""Holding a database lock from another connection, to see what waits for it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def held_in_another_thread(take_lock: Callable[[], object]) -> Iterator[threading.Event]:
    """Run `take_lock()` in a transaction on a thread of its own (so on a connection of its
    own) and keep that transaction open until the block ends. Yields an event set once the
    lock is held."""
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                take_lock()
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        yield locked
    finally:
        release.set()
        holder.join()
