"""Where the ops sockets send wait for the write path, so that a board's ops that arrive
together are applied together.

Every op goes through `apply_ops`, one call at a time: in the process's apply process
(boards.live.apply_process, `LIVE_APPLY_PROCESS`), else on the one database thread of the
process. While it applies a board's ops, the next ones for that board wait here; when it is
done they go in one call, and `apply_ops` puts runs of them in one transaction (one board lock,
one seq update, one commit). An op alone waits for nothing: batches form only when ops arrive
faster than they are applied, which is when their fixed cost matters.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from channels.db import database_sync_to_async
from django.conf import settings

from boards.live.apply_process import ApplyProcess
from boards.ops import AppliedOp, OpRequest, apply_ops

ApplyOps = Callable[[str, Sequence[OpRequest]], Awaitable[list[AppliedOp | Exception]]]


@dataclass
class _Waiting:
    requests: list[OpRequest] = field(default_factory=list)
    futures: list[asyncio.Future[AppliedOp]] = field(default_factory=list)


class OpBatcher:
    """One per event loop: a queue per board, drained by one task while it has ops."""

    def __init__(self, apply_process: ApplyProcess | None = None) -> None:
        self.apply_process = apply_process
        self._apply: ApplyOps = (
            apply_process.apply_ops if apply_process is not None else _apply_in_thread
        )
        self._waiting: dict[str, _Waiting] = {}
        self._draining: dict[str, asyncio.Task[None]] = {}

    def prepare(self) -> None:
        """Have the apply process running by the time a socket that just connected sends."""
        if self.apply_process is not None:
            self.apply_process.start()

    async def apply(self, board_id: str, request: OpRequest) -> AppliedOp:
        """The op applied, or the exception `apply_op` would raise for it alone."""
        future: asyncio.Future[AppliedOp] = asyncio.get_running_loop().create_future()
        waiting = self._waiting.setdefault(board_id, _Waiting())
        waiting.requests.append(request)
        waiting.futures.append(future)
        if board_id not in self._draining:
            self._draining[board_id] = asyncio.create_task(self._drain(board_id))
        # If the sender goes away meanwhile, its op is still applied: the drain owns it.
        return await future

    async def _drain(self, board_id: str) -> None:
        try:
            while waiting := self._waiting.pop(board_id, None):
                try:
                    outcomes = await self._apply(board_id, waiting.requests)
                except Exception as failure:
                    # apply_ops answers each op; what escapes it (the database gone while a
                    # failed run is examined, say) is the answer for every op of the call.
                    outcomes = [failure] * len(waiting.requests)
                for future, outcome in zip(waiting.futures, outcomes, strict=True):
                    if future.done():
                        continue
                    if isinstance(outcome, Exception):
                        future.set_exception(outcome)
                    else:
                        future.set_result(outcome)
        finally:
            del self._draining[board_id]


async def _apply_in_thread(
    board_id: str, requests: Sequence[OpRequest]
) -> list[AppliedOp | Exception]:
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
