"""The server side of the apply process (boards.live.apply_worker): ops go out on a socket
pair, outcomes come back, and the ops that committed reach this process's hub.

One apply process per event loop (`LIVE_APPLY_PROCESS`, on by default). A server starts it as
it starts (`start_early`, from journeymap/asgi.py), because it takes about a second to be ready
(Python, Django, the database connection, `warm_up`): started with the first socket instead,
it made the first ops after a restart wait for it, and a restart is when every client
reconnects and resends what it had pending. Elsewhere (tests, a loop of its own) it starts with
the first socket that connects. Calls are answered in the order they were sent. If the process
dies, the calls it had are failed (their sockets close, and their clients resend on
reconnecting: the op ids make a resend of an op that did commit harmless), and the next call
starts a new one.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import socket
import subprocess
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from django.conf import settings

from boards.live.apply_worker import HEADER, encode_message
from boards.live.bus import publish_ops

if TYPE_CHECKING:
    from boards.ops import AppliedOp, OpRequest

logger = logging.getLogger(__name__)


class ApplyProcessGone(RuntimeError):
    """The apply process ended before it answered: whether the op committed is not known."""


class _Child:
    """The apply process as a `subprocess.Popen`, which, unlike asyncio's subprocesses, can
    start before any event loop runs (`start_early`)."""

    def __init__(self, popen: subprocess.Popen[bytes]) -> None:
        self._popen = popen

    @property
    def pid(self) -> int:
        return self._popen.pid

    @property
    def returncode(self) -> int | None:
        return self._popen.poll()

    def kill(self) -> None:
        self._popen.kill()

    async def wait(self) -> int:
        # Also what reaps it once it has ended (`_read_answers`), as asyncio's child watcher
        # would: a thread, because only Linux can watch a process from the event loop.
        return await asyncio.to_thread(self._popen.wait)


def _spawn(env: Mapping[str, str]) -> tuple[socket.socket, _Child]:
    """A new apply process, and this end of the socket pair it answers on."""
    ours, theirs = socket.socketpair()
    try:
        popen = subprocess.Popen(
            [sys.executable, "-m", "boards.live.apply_worker", str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            cwd=settings.BASE_DIR,
            env=env,
        )
    except BaseException:
        ours.close()
        raise
    finally:
        theirs.close()
    return ours, _Child(popen)


# Started by `start_early`, for the first ApplyProcess of the process that started it.
_early: tuple[int, socket.socket, _Child] | None = None


def start_early() -> None:
    """Start this server process's apply process now, before its event loop runs, so that it
    is ready by the time the first socket sends an op; the first ApplyProcess created with
    this process's environment takes it over."""
    global _early
    if settings.LIVE_APPLY_PROCESS and _early is None:
        ours, child = _spawn(os.environ)
        _early = (os.getpid(), ours, child)


def _take_early() -> tuple[socket.socket, _Child] | None:
    global _early
    early, _early = _early, None
    if early is None:
        return None
    started_by, ours, child = early
    if started_by != os.getpid():
        # This process was forked from the one that started it (a server that imports the
        # application, then forks its workers): it belongs to that one; this one starts its own.
        ours.close()
        return None
    return ours, child


class ApplyProcess:
    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        # The child's environment: this process's, unless a test points it elsewhere (and then
        # the process started early, with this process's, is not for it).
        self._env = dict(os.environ if env is None else env)
        self._may_take_early = env is None
        self._process: _Child | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._starting: asyncio.Task[None] | None = None
        # The task reading the answers, held so that it is not garbage-collected while it runs.
        self._reading: asyncio.Task[None] | None = None
        self._pending: dict[int, asyncio.Future[list[AppliedOp | Exception]]] = {}
        self._next_call = 0

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def returncode(self) -> int | None:
        return None if self._process is None else self._process.returncode

    def start(self) -> None:
        """Start the process in the background if it is not running (a socket connecting:
        it is ready by the time that socket sends an op)."""
        if self._writer is None and self._starting is None:
            self._starting = asyncio.get_running_loop().create_task(self._start())
            self._starting.add_done_callback(self._started)

    async def apply_ops(
        self, board_id: str, requests: Sequence[OpRequest]
    ) -> list[AppliedOp | Exception]:
        """`apply_ops(board_id, requests)`, run in the apply process."""
        return await self.send(board_id, requests)

    def send(
        self, board_id: str, requests: Sequence[OpRequest]
    ) -> asyncio.Future[list[AppliedOp | Exception]]:
        """The call written to the process now when it is running (no task: this is every
        op's way to the database), else once it has started; the future holds its outcomes."""
        self.start()
        if self._writer is None:
            return asyncio.ensure_future(self._send_once_started(board_id, requests))
        call_id = self._next_call = self._next_call + 1
        answer: asyncio.Future[list[AppliedOp | Exception]] = (
            asyncio.get_running_loop().create_future()
        )
        self._pending[call_id] = answer
        self._writer.write(encode_message((call_id, str(board_id), list(requests))))
        return answer

    async def _send_once_started(
        self, board_id: str, requests: Sequence[OpRequest]
    ) -> list[AppliedOp | Exception]:
        if self._starting is not None:
            await asyncio.shield(self._starting)
        if self._writer is None:
            raise ApplyProcessGone("the apply process ended as it started")
        return await self.send(board_id, requests)

    async def stop(self) -> None:
        if self._writer is not None:
            self._writer.close()
        if self._process is not None:
            await self._process.wait()

    # --- inside ---------------------------------------------------------------------------

    async def _start(self) -> None:
        early = _take_early() if self._may_take_early else None
        ours, self._process = early or _spawn(self._env)
        reader, self._writer = await asyncio.open_connection(sock=ours)
        self._reading = asyncio.get_running_loop().create_task(
            self._read_answers(reader, self._writer, self._process)
        )

    def _started(self, task: asyncio.Task[None]) -> None:
        self._starting = None
        if not task.cancelled() and task.exception() is not None:
            logger.error("could not start the apply process", exc_info=task.exception())

    async def _read_answers(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        process: _Child,
    ) -> None:
        try:
            while True:
                header = await reader.readexactly(HEADER.size)
                body = await reader.readexactly(HEADER.unpack(header)[0])
                self._answer(body)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # it closed its end: it is exiting
        except Exception:
            logger.exception("unreadable answer from the apply process")
            process.kill()
        finally:
            self._gone(writer)
            # Reaped once it has exited (it exits when its end of the pair closes).
            await process.wait()

    def _answer(self, body: bytes) -> None:
        call_id, outcomes, commits = pickle.loads(body)
        # Handed to this process's listeners (the hub) before the senders hear back, as when
        # the write path runs in this process: the hub delivers on the next turn of the loop,
        # before the senders resume.
        for ops in commits:
            publish_ops(ops)
        answer = self._pending.pop(call_id, None)
        if answer is not None and not answer.done():
            answer.set_result(outcomes)

    def _gone(self, writer: asyncio.StreamWriter) -> None:
        if self._writer is writer:
            self._writer = None
        writer.close()
        pending, self._pending = self._pending, {}
        if pending:
            logger.error("the apply process ended with %d calls unanswered", len(pending))
        for answer in pending.values():
            if not answer.done():
                answer.set_exception(ApplyProcessGone("the apply process ended"))
