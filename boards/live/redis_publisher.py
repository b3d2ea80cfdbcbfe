"""PUBLISH from the threads that commit ops: each thread on a Redis connection of its own.

A committed op is on its way to the board's other participants only once its PUBLISH is on
the wire, and the thread that committed it waits for Redis's answer before it applies the next
ops. Through redis-py's client, each commit also borrowed a connection from a pool (checking
with a system call that nothing was left unread on it), built a pipeline and ran it under the
client's retry policy. With 50 ms between commits, as at a workshop's pace, a PUBLISH and its
reply took 0.32 ms that way and 0.21 ms here, 0.09 ms of it until the command is on the wire
(docs/performance.md, step 33). A thread keeps its connection for as long as it lives;
redis-py's `Connection` still does the connecting, the health check, the encoding of commands
and the parsing of replies.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import redis


class RedisPublisher:
    def __init__(self, url: str, **connection_options: object) -> None:
        # The pool is only a factory here: it turns the URL and options into a connection.
        self._factory = redis.ConnectionPool.from_url(url, **connection_options)
        self._local = threading.local()

    def publish(self, messages: Sequence[tuple[str, bytes]]) -> None:
        """PUBLISH each `(channel, message)` in order, in one write, and wait for the replies.
        A connection that fails is dropped and the messages sent once more on a new one: a
        message that had reached Redis comes twice, which subscribers drop by its seq."""
        try:
            self._publish_once(messages)
        except (redis.ConnectionError, redis.TimeoutError):
            self._publish_once(messages)

    def _publish_once(self, messages: Sequence[tuple[str, bytes]]) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self._factory.make_connection()
        try:
            connection.send_packed_command(
                connection.pack_commands(
                    [("PUBLISH", channel, message) for channel, message in messages]
                )
            )
            for _ in messages:
                connection.read_response()
        except BaseException:
            # Replies may be left unread on it: never reuse it.
            connection.disconnect()
            self._local.connection = None
            raise

    def close(self) -> None:
        """Close the calling thread's connection (others close as their threads end)."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.disconnect()
            self._local.connection = None
