"""Writing frames to one socket without an asyncio task per frame.

ASGI's `send` is a coroutine function, but Daphne's (and the test communicator's) never
suspends: it hands the frame to the transport and returns. Running the coroutine one step by
hand therefore delivers the frame at once, which is what lets the hub hand one ready frame to
hundreds of sockets in a plain loop. A server whose `send` does suspend still works: the
rest of that send, and every frame queued behind it, finish in one task, in order.

Frames many sockets receive (`OutFrame`: ops, presence) take the direct lane where the server
allows it (boards.live.direct), past the ASGI chain.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from boards.live.direct import OutFrame, direct_lane

Send = Callable[[dict[str, Any]], Coroutine[Any, Any, None]]

logger = logging.getLogger(__name__)


class FrameWriter:
    def __init__(self, send: Send) -> None:
        self._send = send
        self._direct = direct_lane(send)
        # Not None while a suspended send is being finished: later frames wait their turn.
        self._backlog: deque[dict[str, Any]] | None = None

    def write_text(self, text: str) -> None:
        self.write({"type": "websocket.send", "text": text})

    def write_frame(self, frame: OutFrame) -> None:
        """A frame shared by many sockets: written straight to the connection when possible."""
        if self._direct is not None and self._backlog is None and self._direct.write(frame.wire):
            return
        self.write_text(frame.text)

    def take_frames(self, handler: Callable[[bytes], bool]) -> bool:
        """Have the connection offer received text frames to `handler` as they are read
        (boards.live.direct); False when this server offers no such lane."""
        if self._direct is None:
            return False
        self._direct.take_frames(handler)
        return True

    def write(self, message: dict[str, Any]) -> None:
        if self._backlog is not None:
            self._backlog.append(message)
            return
        coroutine = self._send(message)
        try:
            yielded = coroutine.send(None)
        except StopIteration:
            return
        except Exception:
            # The peer is gone and the server refuses the frame (Daphne raises once the
            # transport has closed). The socket's disconnect removes it from the hub; the frame
            # has nowhere to go, and the hub must go on serving the board's other sockets.
            logger.debug("frame dropped for a socket that has closed", exc_info=True)
            return
        self._backlog = deque()
        asyncio.get_running_loop().create_task(self._finish(coroutine, yielded))

    async def _finish(self, coroutine: Coroutine[Any, Any, Any], yielded: Any) -> None:
        try:
            await _resume(coroutine, yielded)
            while self._backlog:
                await self._send(self._backlog.popleft())
        except Exception:
            logger.debug("frames dropped for a socket that has closed", exc_info=True)
        finally:
            self._backlog = None


async def _resume(coroutine: Coroutine[Any, Any, Any], yielded: Any) -> None:
    """Drive a coroutine that was started by hand, the way an asyncio Task would: wait for the
    future it yielded, then resume it (the coroutine reads the future's result itself)."""
    while True:
        if isinstance(yielded, asyncio.Future):
            await asyncio.wait({yielded})
        else:
            await asyncio.sleep(0)
        try:
            yielded = coroutine.send(None)
        except StopIteration:
            return
