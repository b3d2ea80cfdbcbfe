"""Ready-made WebSocket frames written straight to a connection, past the ASGI send chain.

One board op reaches hundreds of sockets. Through ASGI, each copy travels through Channels'
session wrapper, Daphne's reply dispatch, a UTF-8 encode, autobahn's framing and Twisted's
deferred write with two epoll updates: about 85 us of server CPU per copy on the benchmark
machine, most of what a fan-out costs (docs/performance.md). A frame from server to client is
not masked, so its bytes are the same for every recipient: the hub frames an op once
(`OutFrame.wire`) and, where this module can reach the connection, each copy is one `send()`
on the socket, as the `websockets` library's own broadcast does.

The same connection also hands this module the frames its client sends (`take_frames`): a
board's clients mostly send cursor moves, ten a second each, and the consumer can handle those
synchronously as they are read instead of through Daphne's application queue, a task wake-up
and Channels' dispatch for each (about half of the server's cost per cursor frame). Ops take
the same lane, so that they leave for the write path as they are read.

Only Daphne's connections are reached, through the `send` callable Daphne hands the application
(wrapped by Channels' session middleware). Anything else, and any connection that is not plainly
open and idle, goes the ASGI way. tests/live/test_direct_lane.py checks that a real Daphne takes
this lane, so an upgrade that moves these internals fails a test instead of slowing down quietly.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from websockets.frames import Frame, Opcode

logger = logging.getLogger(__name__)


@dataclass(eq=False)
class OutFrame:
    """One text frame for many sockets: its text for the ASGI path, its wire bytes (framed
    once, on first use) for the direct one."""

    text: str

    @cached_property
    def wire(self) -> bytes:
        return Frame(Opcode.TEXT, self.text.encode()).serialize(mask=False)


class DaphneLane:
    """Writes frames to one Daphne WebSocket connection: to the socket at once when nothing is
    queued before them (no epoll update, no deferred write), else behind what is queued, so
    frames keep their order whichever path wrote them."""

    def __init__(self, protocol: Any) -> None:
        self._protocol = protocol
        self._open_state = protocol.STATE_OPEN
        self._ground_state = protocol.SEND_STATE_GROUND

    def write(self, wire: bytes) -> bool:
        """Send the frame; False when this connection must take the ASGI path instead (not
        open yet or any more, or autobahn is in the middle of a message of its own)."""
        protocol = self._protocol
        if (
            protocol.state != self._open_state
            or protocol.send_state != self._ground_state
            or protocol.send_queue
        ):
            return False
        transport = protocol.transport
        if transport is None or transport.disconnecting or not transport.connected:
            return False
        if getattr(transport, "TLS", False) or not _buffer_empty(transport):
            transport.write(wire)
            return True
        try:
            sent = transport.socket.send(wire)
        except BlockingIOError:
            sent = 0
        except OSError:
            # The peer has gone; Twisted sees it on its next read and the socket disconnects.
            logger.debug("frame dropped for a connection that has closed", exc_info=True)
            return True
        if sent < len(wire):
            transport.write(wire[sent:])
        return True

    def take_frames(self, handler: Callable[[bytes], bool]) -> None:
        """Offer every text frame the client sends to `handler` first, as it is read (UTF-8
        already checked by autobahn). When it returns False the frame goes on to the
        application the ASGI way, as it would have without this lane."""
        protocol = self._protocol
        asgi_on_message = protocol.onMessage

        def on_message(payload: bytes, is_binary: bool) -> None:
            if not is_binary and not protocol.muted:
                # Daphne's keep-alive reads this: any frame from the client shows it is there.
                protocol.last_ping = time.time()
                if handler(payload):
                    return
            asgi_on_message(payload, is_binary)

        # autobahn calls `self.onMessage` for each complete message: an instance attribute
        # takes the place of Daphne's method for this connection only.
        protocol.onMessage = on_message


def _buffer_empty(transport: Any) -> bool:
    # Twisted's FileDescriptor: bytes waiting for the next doWrite live in `dataBuffer` (from
    # `offset` on) and `_tempDataBuffer`.
    return not transport._tempDataLen and transport.offset == len(transport.dataBuffer)


def direct_lane(send: Any) -> DaphneLane | None:
    """The direct lane behind an ASGI `send`, when it leads to a Daphne WebSocket connection
    whose frames this module can write; None otherwise (other servers, test communicators)."""
    target = send
    # Channels' session middleware keeps the server's send as `real_send`.
    for _ in range(4):
        inner = getattr(getattr(target, "__self__", None), "real_send", None)
        if inner is None:
            break
        target = inner
    if not isinstance(target, functools.partial) or not target.args:
        return None
    if getattr(target.func, "__name__", "") != "handle_reply":
        return None
    try:
        from daphne.ws_protocol import WebSocketProtocol
    except ImportError:
        return None
    protocol = target.args[0]
    if not isinstance(protocol, WebSocketProtocol):
        return None
    return DaphneLane(protocol)
