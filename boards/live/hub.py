"""The board hub: this process's sockets of each board, and the one place ops reach them.

An op leaves the write path once, already encoded (`AppliedOp.frame`). The hub publishes it
once per board (to Redis when REDIS_URL is set, else straight to its own loop), and each
process hands the ready text to every local socket of that board: no JSON per recipient, no
database, no channel-layer message per op. Presence is coalesced per board and flushed at a
tick: each process shares its own participants' entries with the others, and every socket gets
one presence frame per tick however many processes serve the board. See DESIGN.md, "Fan-out:
the hot path", and docs/protocol.md.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from django.conf import settings

from boards.live.backends import Backend, LocalBackend, Publication, RedisBackend
from boards.live.direct import OutFrame
from boards.ops.pipeline import encode_frame
from boards.protocol import PRESENCE_TICK_SECONDS, ParticipantData, PresenceEntry

if TYPE_CHECKING:
    from boards.ops.pipeline import AppliedOp

logger = logging.getLogger(__name__)

# How long a board waits for a missing seq before delivering what came after it. Ops are
# published after commit by whichever thread or process applied them, so two ops close in
# time can arrive swapped; past this wait the sockets see a gap and clients repair it by sync.
GAP_WAIT_SECONDS = 0.25
MAX_HELD_OPS = 1000
# A tick's presence frame goes to this many sockets per turn of the event loop. It is the
# largest frame a board sends (every participant's cursor: about 13 KB at 200), ten times a
# second to every socket, and written to all of them at once it held the loop for several
# milliseconds: an op arriving meanwhile, from a client or from Redis, waited behind it. In
# turns, an op waits for one turn at most. Presence has no order to keep with the ops.
PRESENCE_SOCKETS_PER_TURN = 16


@dataclass(frozen=True)
class PrivateFrame:
    """An op only one participant may see: their sockets get `frame`; the others get the
    op's hidden stand-in (boards.ops.hooks)."""

    audience: str
    frame: str


class LiveSocket(Protocol):
    """What the hub needs of a socket (the board consumer, or a benchmark's stand-in)."""

    participant: ParticipantData

    def deliver_op(self, seq: int, frame: OutFrame) -> None: ...

    def deliver_text(self, frame: OutFrame) -> None: ...


@dataclass(eq=False)
class Room:
    """One board's local sockets, its op ordering state and its pending presence."""

    board_id: str
    sockets: set[LiveSocket] = field(default_factory=set)
    # How many local sockets each participant has here (a participant may open two tabs).
    members: dict[str, int] = field(default_factory=dict)
    delivered_seq: int | None = None
    held: dict[int, tuple[str, PrivateFrame | None]] = field(default_factory=dict)
    gap_timer: asyncio.TimerHandle | None = None
    # This process's participants' entries since the last tick (to share with other processes),
    # and what the next tick shows the local sockets: those plus other processes' entries.
    pending_presence: dict[str, PresenceEntry] = field(default_factory=dict)
    outgoing_presence: dict[str, PresenceEntry] = field(default_factory=dict)
    # The next turn of a presence frame still going out (`BoardHub._presence_turn`).
    presence_turn: asyncio.Handle | None = None


class BoardHub:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.rooms: dict[str, Room] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self._flush_handle: asyncio.TimerHandle | None = None

    # --- sockets ------------------------------------------------------------------------

    async def register(self, board_id: str, socket: LiveSocket) -> None:
        """Add a socket to its board, subscribed to the board's ops once this returns: call it
        before reading the state the socket is sent, so no op falls in between."""
        self._bind_loop()
        room = self.rooms.get(board_id)
        if room is None:
            room = self.rooms[board_id] = Room(board_id)
        room.sockets.add(socket)
        await self.backend.sync_subscription(board_id)
        participant = socket.participant
        room.members[participant["id"]] = room.members.get(participant["id"], 0) + 1
        if room.members[participant["id"]] == 1:
            await self.backend.presence_add(board_id, participant)

    async def announce(self, board_id: str, socket: LiveSocket) -> None:
        """Tell the board that the socket's participant arrived (after its `welcome`)."""
        if self.rooms.get(board_id) is not None:
            frame = encode_frame({"type": "join", "participant": socket.participant})
            await self.backend.broadcast(board_id, frame)

    async def unregister(self, board_id: str, socket: LiveSocket) -> None:
        room = self.rooms.get(board_id)
        if room is None or socket not in room.sockets:
            return
        room.sockets.discard(socket)
        participant_id = socket.participant["id"]
        room.members[participant_id] -= 1
        if room.members[participant_id] == 0:
            del room.members[participant_id]
            room.pending_presence.pop(participant_id, None)
            room.outgoing_presence.pop(participant_id, None)
            if await self.backend.presence_remove(board_id, participant_id):
                await self.broadcast_leave(board_id, participant_id)
        if not room.sockets and self.rooms.get(board_id) is room:
            del self.rooms[board_id]
            if room.gap_timer is not None:
                room.gap_timer.cancel()
            if room.presence_turn is not None:
                room.presence_turn.cancel()
            await self.backend.sync_subscription(board_id)

    async def broadcast_leave(self, board_id: str, participant_id: str) -> None:
        frame = encode_frame({"type": "leave", "participant_id": participant_id})
        await self.backend.broadcast(board_id, frame)

    async def participants(self, board_id: str) -> list[ParticipantData]:
        return await self.backend.presence_list(board_id)

    def has_board(self, board_id: str) -> bool:
        return board_id in self.rooms

    def latest_seq(self, board_id: str) -> int | None:
        room = self.rooms.get(board_id)
        return None if room is None else room.delivered_seq

    # --- ops ----------------------------------------------------------------------------

    def publish(self, ops: Sequence[AppliedOp]) -> None:
        """The write path's listener, with the ops of one commit; runs in whatever thread
        committed them."""
        self.backend.publish_ops(self, [_publication(applied) for applied in ops])

    def deliver(
        self, board_id: str, seq: int, frame: str, private: PrivateFrame | None = None
    ) -> None:
        """Hand an op frame to the board's local sockets, in seq order, each seq once."""
        room = self.rooms.get(board_id)
        if room is None:
            return
        last = room.delivered_seq
        if last is not None and seq <= last:
            return
        # A new room waits for the board's seq (`start_from`) before it delivers anything:
        # the first op to arrive need not be the next one.
        if last is None or seq > last + 1:
            room.held[seq] = (frame, private)
            if len(room.held) > MAX_HELD_OPS:
                self._release_held(room)
            elif room.gap_timer is None and self.loop is not None:
                room.gap_timer = self.loop.call_later(GAP_WAIT_SECONDS, self._release_held, room)
            return
        self._send_op(room, seq, frame, private)
        self._send_following(room, seq)

    def start_from(self, board_id: str, seq: int) -> None:
        """The board's seq, read by a socket after it registered: the room's ops are the ones
        after it. Only a new room's first reading counts; what it held that the reading
        already covers is dropped, the rest goes out in order."""
        room = self.rooms.get(board_id)
        if room is None or room.delivered_seq is not None:
            return
        room.delivered_seq = seq
        for covered in [held for held in room.held if held <= seq]:
            del room.held[covered]
        self._send_following(room, seq)

    def _send_following(self, room: Room, seq: int) -> None:
        """After `seq` went out: the held ops that follow it without a gap."""
        while room.held:
            following = room.held.pop(seq + 1, None)
            if following is None:
                break
            seq += 1
            self._send_op(room, seq, *following)
        if not room.held and room.gap_timer is not None:
            room.gap_timer.cancel()
            room.gap_timer = None

    def _release_held(self, room: Room) -> None:
        room.gap_timer = None
        for seq in sorted(room.held):
            self._send_op(room, seq, *room.held[seq])
        room.held.clear()

    def _send_op(self, room: Room, seq: int, frame: str, private: PrivateFrame | None) -> None:
        room.delivered_seq = seq
        # Framed once for every socket of the board (boards.live.direct).
        shared = OutFrame(frame)
        if private is None:
            for socket in list(room.sockets):
                socket.deliver_op(seq, shared)
            return
        own = OutFrame(private.frame)
        for socket in list(room.sockets):
            mine = socket.participant["id"] == private.audience
            socket.deliver_op(seq, own if mine else shared)

    def deliver_text(self, board_id: str, frame: str) -> None:
        """Hand a frame without a seq (presence, join, leave) to the board's local sockets."""
        room = self.rooms.get(board_id)
        if room is not None:
            shared = OutFrame(frame)
            for socket in list(room.sockets):
                socket.deliver_text(shared)

    # --- presence -----------------------------------------------------------------------

    def update_presence(self, board_id: str, entry: PresenceEntry) -> None:
        """Remember a participant's cursor; the board hears of it at the next tick, merged with
        everyone else's, so a fast mouse costs one entry per tick, not one broadcast per move."""
        room = self.rooms.get(board_id)
        if room is None or self.loop is None:
            return
        _merge_entry(room.pending_presence, entry)
        self._arm_flush()

    def merge_remote_presence(self, board_id: str, entries: list[PresenceEntry]) -> None:
        """Other processes' entries of one tick: shown to the local sockets at the next tick,
        in the same frame as this process's own."""
        room = self.rooms.get(board_id)
        if room is None or self.loop is None:
            return
        for entry in entries:
            _merge_entry(room.outgoing_presence, entry)
        self._arm_flush()

    def _arm_flush(self) -> None:
        if self._flush_handle is None and self.loop is not None:
            self._flush_handle = self.loop.call_later(PRESENCE_TICK_SECONDS, self._flush_presence)

    def _flush_presence(self) -> None:
        self._flush_handle = None
        for room in list(self.rooms.values()):
            if room.pending_presence:
                local = list(room.pending_presence.values())
                room.pending_presence.clear()
                self.backend.share_presence(room.board_id, local)
                for entry in local:
                    _merge_entry(room.outgoing_presence, entry)
            if room.outgoing_presence:
                frame = encode_frame(
                    {"type": "presence", "participants": list(room.outgoing_presence.values())}
                )
                room.outgoing_presence.clear()
                self._send_presence(room, OutFrame(frame))

    def _send_presence(self, room: Room, frame: OutFrame) -> None:
        if room.presence_turn is not None:
            # The last tick's frame has not reached everyone yet (a loop this busy is rare):
            # this one, newer, goes to every socket instead.
            room.presence_turn.cancel()
            room.presence_turn = None
        self._presence_turn(room, frame, list(room.sockets), 0)

    def _presence_turn(
        self, room: Room, frame: OutFrame, sockets: list[LiveSocket], start: int
    ) -> None:
        room.presence_turn = None
        end = start + PRESENCE_SOCKETS_PER_TURN
        for socket in sockets[start:end]:
            if socket in room.sockets:
                socket.deliver_text(frame)
        if end < len(sockets) and self.loop is not None:
            room.presence_turn = self.loop.call_soon(self._presence_turn, room, frame, sockets, end)

    # --- lifecycle ----------------------------------------------------------------------

    def _bind_loop(self) -> None:
        loop = asyncio.get_running_loop()
        if self.loop is loop:
            return
        # A new event loop (each test has its own; a server has one): whatever was bound to
        # the old loop is gone with it.
        self.rooms.clear()
        self._flush_handle = None
        self.loop = loop
        self.backend.bind(self, loop)


def _merge_entry(entries: dict[str, PresenceEntry], entry: PresenceEntry) -> None:
    """Keep a participant's latest entry of the tick; a summon is said once, so a cursor move
    later in the same tick must not drop it."""
    earlier = entries.get(entry["id"])
    if earlier is not None and "summon" in earlier and "summon" not in entry:
        entry = {**entry, "summon": earlier["summon"]}
    entries[entry["id"]] = entry


_hub: BoardHub | None = None
_hub_lock = threading.Lock()


def get_hub() -> BoardHub:
    """This process's hub, created on first use with the backend the settings ask for."""
    global _hub
    if _hub is None:
        with _hub_lock:
            if _hub is None:
                backend: Backend = (
                    RedisBackend(settings.REDIS_URL) if settings.REDIS_URL else LocalBackend()
                )
                _hub = BoardHub(backend)
    return _hub


def reset_hub() -> None:
    """Forget the hub (tests switch between the embedded and the Redis backend)."""
    global _hub
    with _hub_lock:
        _hub = None


def on_ops_applied(ops: Sequence[AppliedOp]) -> None:
    get_hub().publish(ops)


def _publication(applied: AppliedOp) -> Publication:
    if applied.audience is None:
        return Publication(applied.board_id, applied.seq, applied.frame)
    private = PrivateFrame(applied.audience, applied.frame)
    return Publication(applied.board_id, applied.seq, applied.hidden().frame, private)
