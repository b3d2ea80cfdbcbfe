"""Where the ops sockets send wait for the write path, so that a board's ops that arrive
together are applied together.

Every op goes through `apply_ops`, one call at a time per board: in the process's apply process
(boards.live.apply_process, `LIVE_APPLY_PROCESS`), else on the one database thread of the
process. While it applies a board's ops, the next ones for that board wait here; when it is
done they go in one call, and `apply_ops` puts runs of them in one transaction (one board lock,
one seq update, one commit). An op that finds its board idle goes at once: batches grow only
when ops arrive faster than they are applied, which is when their fixed cost matters.

It used to wait for the end of the event loop's turn, so that the ops read in that turn went
together; under a workshop's load that turn also reads cursor frames and writes presence
frames, which the first op of a quiet board need not wait for. The ops read while a call is
in flight go in the next one, so batches still form under load (docs/performance.md, step 33).

No task runs the queue: a call starts as its first op is submitted, and the next one from the
done callback of the call before it. An op is submitted synchronously (`submit`), so a
socket's ops join the queue in the order they were read, whichever path read them
(boards.consumers), and an op costs no task wake-up on its way to the apply process.
"""

from __future__ import annotations

import asyncio
import functools
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field

from channels.db import database_sync_to_async
from django.conf import settings

from boards.live.apply_process import ApplyProcess
from boards.ops import AppliedOp, OpRequest, apply_ops

Outcomes = list[AppliedOp | Exception]


@dataclass
class _Waiting:
    requests: list[OpRequest] = field(default_factory=list)
    futures: list[asyncio.Future[AppliedOp]] = field(default_factory=list)


class OpBatcher:
    """One per event loop: a queue per board, and at most one call in flight per board."""

    def __init__(self, apply_process: ApplyProcess | None = None) -> None:
        self.apply_process = apply_process
        self._waiting: dict[str, _Waiting] = {}
        # Boards with a call in flight or about to start: their new ops only join the queue.
        self._busy: set[str] = set()

    def prepare(self) -> None:
        """Have the apply process running by the time a socket that just connected sends."""
        if self.apply_process is not None:
            self.apply_process.start()

    def submit(self, board_id: str, request: OpRequest) -> asyncio.Future[AppliedOp]:
        """Queue the op; the future holds it applied, or the exception `apply_op` would raise
        for it alone. If whoever holds the future goes away, the op is still applied."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[AppliedOp] = loop.create_future()
        waiting = self._waiting.setdefault(board_id, _Waiting())
        waiting.requests.append(request)
        waiting.futures.append(future)
        if board_id not in self._busy:
            self._busy.add(board_id)
            self._start_next(board_id)
        return future

    async def apply(self, board_id: str, request: OpRequest) -> AppliedOp:
        return await self.submit(board_id, request)

    def _start_next(self, board_id: str) -> None:
        waiting = self._waiting.pop(board_id, None)
        if waiting is None:
            self._busy.discard(board_id)
            return
        call = self._call(board_id, waiting.requests)
        call.add_done_callback(functools.partial(self._answered, board_id, waiting))

    def _call(self, board_id: str, requests: Sequence[OpRequest]) -> asyncio.Future[Outcomes]:
        try:
            if self.apply_process is not None:
                return self.apply_process.send(board_id, requests)
            return asyncio.ensure_future(_apply_in_thread(board_id, requests))
        except Exception as failure:
            failed: asyncio.Future[Outcomes] = asyncio.get_running_loop().create_future()
            failed.set_exception(failure)
            return failed

    def _answered(self, board_id: str, waiting: _Waiting, call: asyncio.Future[Outcomes]) -> None:
        try:
            if call.cancelled():
                # The loop is closing under the call: no answer will come.
                for future in waiting.futures:
                    future.cancel()
                return
            if (failure := call.exception()) is not None:
                # apply_ops answers each op; what escapes it (the database gone while a failed
                # run is examined, say) is the answer for every op of the call.
                outcomes: Sequence[AppliedOp | BaseException] = [failure] * len(waiting.futures)
            else:
                outcomes = call.result()
            for future, outcome in zip(waiting.futures, outcomes, strict=True):
                if future.done():
                    continue  # its sender went away; the op was applied all the same
                if isinstance(outcome, BaseException):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)
        finally:
            # The ops that came in meanwhile go now, in one call.
            self._start_next(board_id)


async def _apply_in_thread(board_id: str, requests: Sequence[OpRequest]) -> Outcomes:
    return await database_sync_to_async(apply_ops)(board_id, requests)


_batchers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, OpBatcher] = (
    weakref.WeakKeyDictionary()
)


def get_batcher() -> OpBatcher:
    """The running loop's batcher (tests run one loop after another in one process)."""
    loop = asyncio.get_running_loop()
    batcher = _batchers.get(loop)
    if batcher is None:
        apply_process = ApplyProcess() if settings.LIVE_APPLY_PROCESS else None
        batcher = _batchers[loop] = OpBatcher(apply_process)
    return batcher
