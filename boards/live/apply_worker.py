"""The apply process: the write path for one server process's board sockets, run beside it.

A server process runs its event loop (every socket's frames, the fan-out, the presence tick)
and, until this module, the write path in a database thread of the same process. The two
share one interpreter lock: an op waited for the loop to let go of it before it could start,
and again after each of its database calls, 6-12 ms for the slowest edits of a 200-person
workshop for 1-2 ms of work (docs/performance.md). Here `apply_ops` runs in a process of its
own, with an interpreter of its own, and the loop only sends the op and reads the outcome.

The same `apply_ops` as everywhere: nothing about what an op does changes, only where it runs.
Started by boards.live.apply_process as `python -m boards.live.apply_worker <fd>` with one end
of a socket pair; it answers one call at a time, in order, and exits when the server's end of
the pair closes (the server stopped, or died). Messages both ways are pickles behind a length:
the pair is private to the two processes, nothing else can write to it.
"""

from __future__ import annotations

import logging
import os
import pickle
import socket
import struct
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from boards.ops import AppliedOp

logger = logging.getLogger(__name__)

HEADER = struct.Struct("!I")
# The database connection is checked (and replaced when broken or older than CONN_MAX_AGE) at
# most this often, and after a call that failed in the database: the check is a round trip of
# its own, which a busy board's every call need not pay.
CHECK_SECONDS = 1.0


def encode_message(message: object) -> bytes:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(body)) + body


def _read_exactly(sock: socket.socket, size: int) -> bytes | None:
    chunks: list[bytes] = []
    while size:
        chunk = sock.recv(min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def read_message(sock: socket.socket) -> Any:
    """The next message, or None once the other end has closed."""
    header = _read_exactly(sock, HEADER.size)
    if header is None:
        return None
    body = _read_exactly(sock, HEADER.unpack(header)[0])
    return None if body is None else pickle.loads(body)


def portable(outcome: object) -> object:
    """The outcome as it can cross to the server: an exception that cannot be pickled becomes
    a RuntimeError saying what it was (the server treats both the same way)."""
    if not isinstance(outcome, Exception):
        return outcome
    try:
        pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return RuntimeError(f"{type(outcome).__name__}: {outcome}")
    return outcome


def serve(sock: socket.socket) -> None:
    """Answer calls `(call id, board id, requests)` with `(call id, outcomes, commits)` until
    the server goes: `outcomes` as `apply_ops` returns them, `commits` the ops of each
    transaction that committed, for the server's hub to deliver (embedded defaults only: with
    REDIS_URL this process publishes them to Redis itself, as any process that applies ops)."""
    from django.conf import settings
    from django.db import DatabaseError, close_old_connections

    from boards.live.bus import add_op_listener
    from boards.ops import OpError, apply_ops

    commits: list[Sequence[AppliedOp]] = []
    if not settings.REDIS_URL:
        add_op_listener(commits.append)
    check_connection, last_check = True, 0.0
    while (call := read_message(sock)) is not None:
        call_id, board_id, requests = call
        if check_connection or time.monotonic() - last_check > CHECK_SECONDS:
            close_old_connections()
            last_check = time.monotonic()
        try:
            outcomes: list[Any] = apply_ops(board_id, requests)
        except Exception as failure:
            outcomes = [failure] * len(requests)
        check_connection = any(isinstance(o, DatabaseError) for o in outcomes)
        for outcome in outcomes:
            if isinstance(outcome, Exception) and not isinstance(outcome, OpError):
                # Its traceback stays here: the server only learns what it was.
                logger.error("op failed on board %s", board_id, exc_info=outcome)
        for applied in (op for ops in commits for op in ops):
            # Encoded here, once (cached on the op, pickled with it): not on the server's loop.
            _ = applied.frame
        sock.sendall(encode_message((call_id, [portable(o) for o in outcomes], list(commits))))
        commits.clear()


def warm_up() -> None:
    """Do before the first call what the first call would otherwise do (60-70 ms of it on the
    benchmark machine), then take it all out of the cyclic collector's reach, as the server
    does (journeymap.heap)."""
    from django.conf import settings
    from django.db import DatabaseError, connection
    from django.utils import translation

    import boards.ops  # noqa: F401  (the write path and every op's handler)
    from boards.live.hub import get_hub
    from journeymap.heap import freeze_startup_objects

    try:
        connection.ensure_connection()
    except DatabaseError:
        # The first call connects, or fails with the database's own error as any op would.
        logger.warning("the apply process could not connect to the database yet", exc_info=True)
    # The hub's backend: with REDIS_URL, the Redis client that publishes what commits.
    get_hub()
    # A refusal is worded in its sender's language.
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Unknown operation “%(name)s”.")
    freeze_startup_objects()


def main(argv: list[str]) -> None:
    sock = socket.socket(fileno=int(argv[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "journeymap.settings")
    try:
        import django

        django.setup()
        warm_up()
        serve(sock)
    except KeyboardInterrupt:
        # Ctrl-C reaches the whole process group; the server says goodbye for both.
        pass


if __name__ == "__main__":
    main(sys.argv)
