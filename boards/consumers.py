"""The board WebSocket, protocol v1 (docs/protocol.md).

One consumer per socket. It authenticates with the web session, registers with the board hub
before reading any state, answers `sync` with the missed ops or a snapshot, sends ops through
the one write path, and takes live frames from the hub already encoded.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import math
from typing import Any

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import translation
from django.utils.translation import gettext as _

from boards.live.access import actor_from_scope, language_from_scope, participant_on_board
from boards.live.batcher import get_batcher
from boards.live.control import board_group
from boards.live.direct import OutFrame
from boards.live.hub import get_hub
from boards.live.ratelimit import TokenBucket
from boards.live.writer import FrameWriter
from boards.models import Role
from boards.ops import AppliedOp, OpError, OpRequest, encode_frame
from boards.permissions import Actor
from boards.protocol import (
    CLOSE_FORBIDDEN,
    CLOSE_REMOVED,
    CLOSE_RESYNC,
    CLOSE_SERVER_ERROR,
    CLOSE_UNAUTHENTICATED,
    EDITING_MAX_CHARS,
    FRAMES_BURST,
    FRAMES_PER_SECOND,
    MAX_FRAME_BYTES,
    MAX_UNACKED_OPS,
    OPS_BURST,
    OPS_PER_SECOND,
    PROTOCOL_VERSION,
    ErrorCode,
    ErrorMessage,
    ParticipantData,
    PresenceEntry,
)
from boards.selectors import board_snapshot, ops_since

logger = logging.getLogger(__name__)


class BadMessage(Exception):
    def __init__(self, message: str, *, code: ErrorCode = "bad_message", op_id: Any = None):
        super().__init__(message)
        self.code: ErrorCode = code
        self.message = message
        self.op_id = op_id if isinstance(op_id, str) else None


def catch_up(
    board_id: str, since: int | None, viewer: str
) -> tuple[list[AppliedOp] | None, dict | None]:
    """The ops after `since`, or (when that is not possible or wanted) a snapshot, as the
    participant `viewer` may see them."""
    if since is not None:
        missed = ops_since(board_id, since, viewer=viewer)
        if missed is not None:
            return missed, None
    return None, dict(board_snapshot(board_id, viewer=viewer))


class BoardConsumer(AsyncWebsocketConsumer):
    participant: ParticipantData

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Channels' dispatch, without its `aclose_old_connections()` before every message.

        That call hops to a worker thread and back for each frame received: at a workshop's
        2,000 cursor frames a second it was an eighth of the server's CPU (make bench,
        profiled). This consumer reaches the database only through database_sync_to_async,
        which closes stale connections around each call itself."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self) -> None:
        self.board_id = str(self.scope["url_route"]["kwargs"]["board_id"])
        self.language = language_from_scope(self.scope)
        self.writer = FrameWriter(self.base_send)
        self.hub = get_hub()
        self.registered = False
        self.closed = False
        # Live ops wait until the client's first `sync` has told us what it has; during a
        # sync's database read they are held, then sent if the read did not include them.
        self.synced = False
        self.reading: list[tuple[int, OutFrame]] | None = None
        self.last_sent = 0
        self.acked = 0
        self.op_bucket = TokenBucket(rate=OPS_PER_SECOND, burst=OPS_BURST)
        self.frame_bucket = TokenBucket(rate=FRAMES_PER_SECOND, burst=FRAMES_BURST)
        get_batcher().prepare()

        found = await database_sync_to_async(actor_from_scope)(self.scope, self.board_id)
        if found is None:
            await self._refuse(CLOSE_UNAUTHENTICATED)
            return
        self.actor: Actor = found[0]
        participant = await database_sync_to_async(participant_on_board)(
            self.actor, found[1], self.board_id
        )
        if participant is None:
            await self._refuse(CLOSE_FORBIDDEN)
            return
        self.participant = participant

        group = board_group(self.board_id)
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups = [group]
        await self.hub.register(self.board_id, self)
        self.registered = True
        self.writer.take_frames(self._take_frame)
        await self.accept()
        seq = await database_sync_to_async(_board_seq)(self.board_id)
        self.hub.start_from(self.board_id, seq)
        self.writer.write_text(
            encode_frame(
                {
                    "type": "welcome",
                    "protocol": PROTOCOL_VERSION,
                    "board_id": self.board_id,
                    "seq": seq,
                    "you": participant,
                    "participants": await self.hub.participants(self.board_id),
                }
            )
        )
        await self.hub.announce(self.board_id, self)

    async def _refuse(self, code: int) -> None:
        # Accept first so the browser sees the code (a refused handshake is a bare HTTP 403).
        # Nothing about the board has been read, so nothing can leak.
        self.closed = True
        await self.accept()
        await self.close(code)

    async def disconnect(self, code: int) -> None:
        self.closed = True
        if self.registered:
            self.registered = False
            await self.hub.unregister(self.board_id, self)

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        """Channels' handler leaves the channel groups first and skips `disconnect` when that
        fails (Redis unreachable, or its pool full as a thousand sockets close together): the
        socket would stay in the hub, and its participant on the board for everyone. Here the
        hub lets go first, whatever the layer does; a group entry left behind expires
        (`group_expiry`), and a message sent to it meanwhile reaches no one."""
        try:
            await self.disconnect(message["code"])
        finally:
            for group in self.groups:
                try:
                    await self.channel_layer.group_discard(group, self.channel_name)
                except Exception:
                    logger.warning("could not leave channel group %s", group, exc_info=True)
        raise StopConsumer()

    # --- from the hub (synchronous, on the event loop) ----------------------------------

    def deliver_op(self, seq: int, frame: OutFrame) -> None:
        if self.closed:
            return
        if self.reading is not None:
            self.reading.append((seq, frame))
            return
        if not self.synced or seq <= self.last_sent:
            return
        self.last_sent = seq
        self.writer.write_frame(frame)
        if seq - self.acked > MAX_UNACKED_OPS:
            self.close_now(CLOSE_RESYNC)

    def deliver_text(self, frame: OutFrame) -> None:
        if not self.closed and self.synced:
            self.writer.write_frame(frame)

    def close_now(self, code: int) -> None:
        """Close from synchronous code; the hub forgets the socket when it disconnects."""
        if not self.closed:
            self.closed = True
            self.writer.write({"type": "websocket.close", "code": code})

    # --- from the client ----------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.closed:
            return
        with translation.override(self.language):
            try:
                await self._handle(text_data)
            except BadMessage as error:
                self._send_error(error.op_id, error.code, error.message)

    async def _handle(self, text: str | None) -> None:
        self._count_frame()
        if text is None:
            raise BadMessage(_("Frames must be JSON text."))
        if len(text) * 4 > MAX_FRAME_BYTES and len(text.encode()) > MAX_FRAME_BYTES:
            raise BadMessage(
                _("This message is too large (at most %(size)d KiB).")
                % {"size": MAX_FRAME_BYTES // 1024},
                code="too_large",
            )
        try:
            message = json.loads(text)
        except ValueError:
            raise BadMessage(_("This message is not valid JSON.")) from None
        if not isinstance(message, dict):
            raise BadMessage(_("A message must be a JSON object."))
        kind = message.get("type")
        if kind == "op":
            self._on_op(message)
        elif kind == "presence":
            self._on_presence(message)
        elif kind == "ping":
            self._on_ping(message)
        elif kind == "sync":
            await self._on_sync(message)
        else:
            raise BadMessage(_("Unknown message type."))

    def _count_frame(self) -> None:
        if not self.frame_bucket.take():
            raise BadMessage(_("Too many messages; slow down."), code="rate_limited")

    async def _on_sync(self, message: dict[str, Any]) -> None:
        since = message.get("since", "missing")
        if since is not None and not _is_int(since):
            raise BadMessage(_("“since” must be a seq number or null."))
        self.reading = []
        try:
            missed, snapshot = await database_sync_to_async(catch_up)(
                self.board_id, since, self.participant["id"]
            )
        finally:
            held, self.reading = self.reading, None
        if snapshot is not None:
            self.writer.write_text(encode_frame({"type": "snapshot", **snapshot}))
            self.last_sent = snapshot["seq"]
        else:
            assert missed is not None
            assert since is not None
            for applied in missed:
                self.writer.write_text(applied.frame)
            self.last_sent = max(since, missed[-1].seq) if missed else since
            self.writer.write_text(encode_frame({"type": "synced", "seq": self.last_sent}))
        # What was just sent counts as acknowledged: the lag limit is for the live stream.
        self.acked = self.last_sent
        self.synced = True
        for seq, frame in held:
            self.deliver_op(seq, frame)

    def _on_op(self, message: dict[str, Any]) -> None:
        """Send the op down the write path; its answer comes back to `_op_answered`. Nothing
        here waits: a socket's ops reach the batcher in the order they were read, and its next
        frames are read while the op is applied."""
        op_id, name, args = message.get("id"), message.get("op"), message.get("args", {})
        if not isinstance(op_id, str) or not isinstance(name, str) or not isinstance(args, dict):
            raise BadMessage(
                _("An op needs an “id” (UUID), an “op” name and “args” (an object)."), op_id=op_id
            )
        if not self.op_bucket.take():
            raise BadMessage(
                _("Too many changes at once; slow down."), code="rate_limited", op_id=op_id
            )
        request = OpRequest(self.actor, name, args, client_op_id=op_id, language=self.language)
        applying = get_batcher().submit(self.board_id, request)
        applying.add_done_callback(functools.partial(self._op_answered, op_id))

    def _op_answered(self, op_id: str, applying: asyncio.Future[AppliedOp]) -> None:
        if applying.cancelled():
            return  # the server is shutting down
        failure = applying.exception()
        if self.closed:
            return
        if isinstance(failure, OpError):
            self._send_error(op_id, failure.code, failure.message, failure.details, failure.current)
            return
        if failure is not None:
            # Whether the op committed is not known (the apply process died, the database went
            # away): close as a failing application would, and the client, reconnecting, sends
            # the op again under its id, which the server applies once.
            logger.error("op %s could not be applied", op_id, exc_info=failure)
            self.close_now(CLOSE_SERVER_ERROR)
            return
        applied = applying.result()
        # A new op reaches this socket through the hub like everyone else's: that is its ack.
        # A repeated id applied nothing; answer with the original op, unless the hub is about
        # to deliver it anyway.
        if applied.duplicate and (applied.seq <= self.last_sent or not self.synced):
            self.writer.write_text(applied.frame)

    def _on_presence(self, message: dict[str, Any]) -> None:
        self.hub.update_presence(self.board_id, self._presence_entry(message))

    def _presence_entry(self, message: dict[str, Any]) -> PresenceEntry:
        cursor, editing = message.get("cursor"), message.get("editing")
        if cursor is not None and not _is_cursor(cursor):
            raise BadMessage(_("“cursor” must be null or an object with numbers x and y."))
        if editing is not None and (not isinstance(editing, str) or len(editing) > 64):
            raise BadMessage(
                _("“editing” must be null or an id of at most %(n)d characters.")
                % {"n": EDITING_MAX_CHARS}
            )
        entry: PresenceEntry = {
            "id": self.participant["id"],
            "cursor": {"x": cursor["x"], "y": cursor["y"]} if cursor else None,
            "editing": editing,
        }
        self._add_view(entry, message)
        return entry

    def _add_view(self, entry: PresenceEntry, message: dict[str, Any]) -> None:
        """Where the participant looks (so others can follow) and, from a facilitator, a
        summon: everyone's view goes there."""
        if "viewport" in message:
            viewport = message["viewport"]
            if viewport is not None and not _is_cursor(viewport):
                raise BadMessage(_("“viewport” must be null or an object with numbers x and y."))
            entry["viewport"] = {"x": viewport["x"], "y": viewport["y"]} if viewport else None
        if "summon" in message:
            summon = message["summon"]
            if not _is_cursor(summon):
                raise BadMessage(_("“summon” must be an object with numbers x and y."))
            if not Role(self.participant["role"]).includes(Role.FACILITATOR):
                raise BadMessage(_("Only a facilitator can bring everyone."), code="forbidden")
            entry["summon"] = {"x": summon["x"], "y": summon["y"]}

    def _on_ping(self, message: dict[str, Any]) -> None:
        self._answer_ping(_ping_seq(message))

    def _answer_ping(self, seq: int) -> None:
        self.acked = max(self.acked, min(seq, self.last_sent))
        latest = self.hub.latest_seq(self.board_id)
        pong = encode_frame({"type": "pong", "seq": max(latest or 0, self.last_sent)})
        # Straight to the socket where the server allows it, like ops: every client pings every
        # few seconds, and through ASGI a pong costs as much as an op's copy.
        self.writer.write_frame(OutFrame(pong))

    def _take_frame(self, payload: bytes) -> bool:
        """An op, a cursor move or a ping, handled as its frame is read (boards.live.direct):
        what clients send while they work, so it skips the application queue and Channels'
        dispatch. Anything else, and a bad cursor move or ping, returns False and reaches
        `receive` the ASGI way, which handles it or says what is wrong in the participant's
        language. A bad op is answered here: an op that took the other path could be applied
        after a later one from the same socket."""
        try:
            if self.closed or len(payload) > MAX_FRAME_BYTES:
                return False
            # Syncs are parsed once, by `receive`: only what may be one of these is parsed here.
            if b'"op"' not in payload and b'"presence"' not in payload and b'"ping"' not in payload:
                return False
            try:
                message = json.loads(payload)
            except ValueError:
                return False
            if not isinstance(message, dict):
                return False
            kind = message.get("type")
            if kind == "op":
                self._take_op(message)
                return True
            if kind == "presence":
                entry = self._presence_entry(message)
                if not self.frame_bucket.take():
                    return False
                self.hub.update_presence(self.board_id, entry)
                return True
            if kind == "ping":
                seq = _ping_seq(message)
                if not self.frame_bucket.take():
                    return False
                self._answer_ping(seq)
                return True
            return False
        except BadMessage:
            return False
        except Exception:
            # This runs inside the connection's read: a bug here must not break the socket.
            logger.exception("frame from the fast lane went the ASGI way after an error")
            return False

    def _take_op(self, message: dict[str, Any]) -> None:
        with translation.override(self.language):
            try:
                self._count_frame()
                self._on_op(message)
            except BadMessage as error:
                self._send_error(error.op_id, error.code, error.message)

    def _send_error(
        self,
        op_id: str | None,
        code: ErrorCode,
        message: str,
        details: dict[str, Any] | None = None,
        current: dict[str, Any] | None = None,
    ) -> None:
        error: ErrorMessage = {"type": "error", "id": op_id, "code": code, "message": message}
        if details is not None:
            error["details"] = details
        if current is not None:
            error["current"] = current
        self.writer.write_text(encode_frame(error))

    # --- control messages from the channel layer ----------------------------------------

    async def live_disconnect(self, event: dict[str, Any]) -> None:
        if event.get("participant_id") == getattr(self, "participant", {}).get("id"):
            self.close_now(CLOSE_REMOVED)


def _board_seq(board_id: str) -> int:
    from boards.models import Board

    return Board.objects.values_list("seq", flat=True).get(pk=board_id)


def _ping_seq(message: dict[str, Any]) -> int:
    seq = message.get("seq")
    if not _is_int(seq):
        raise BadMessage(_("“seq” must be a seq number."))
    return seq


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_cursor(value: Any) -> bool:
    return isinstance(value, dict) and _is_number(value.get("x")) and _is_number(value.get("y"))


__all__ = ["BoardConsumer"]
