"""Live protocol v1: every frame that crosses the board WebSocket, as TypedDicts.

`docs/protocol.md` explains each message with an example; `frontend/src/protocol.ts` mirrors
these types as discriminated unions, and `tests/test_protocol_types.py` keeps the two in step.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

from boards.wire import BoardData, CardData, LaneData, PersonaData, StageData

PROTOCOL_VERSION = 1

# WebSocket close codes (4000-4999 are the application's own).
CLOSE_UNAUTHENTICATED = 4401  # no session, or the session expired
CLOSE_FORBIDDEN = 4403  # the participant has no access to this board (or it does not exist)
CLOSE_RESYNC = 4408  # the socket fell too far behind: reconnect and `sync`
CLOSE_REMOVED = 4410  # the participant was removed or their share link revoked
# The standard code for a server error: an op failed in a way that leaves unknown whether it
# committed (apply process or database lost). The client reconnects and resends it.
CLOSE_SERVER_ERROR = 1011

# Limits of one connection (docs/protocol.md, "Limits"). A frame or an op past them gets an
# `error` frame; the connection stays open.
MAX_FRAME_BYTES = 64 * 1024  # a bigger frame is refused with `too_large`
OPS_PER_SECOND = 30  # token bucket per connection: sustained rate ...
OPS_BURST = 60  # ... and burst; past it, `rate_limited`
FRAMES_PER_SECOND = 120  # every frame type counts here (presence, pings, bad frames)
FRAMES_BURST = 240
EDITING_MAX_CHARS = 64  # `presence.editing` is an object id
# A socket whose client has not acknowledged (by `ping`) more than this many sent ops is
# closed with CLOSE_RESYNC: its frames would otherwise pile up in the server's memory.
MAX_UNACKED_OPS = 500
# Clients ping every few seconds and also after this many ops received, so that a busy board
# (more than 100 ops a second, between two timed pings) does not look like a stalled reader.
ACK_EVERY_OPS = 100
PRESENCE_TICK_SECONDS = 0.1

ErrorCode = Literal[
    "invalid", "forbidden", "not_found", "conflict", "rate_limited", "too_large", "bad_message"
]


class Cursor(TypedDict):
    x: float
    y: float


class ParticipantData(TypedDict):
    id: str  # "u:<user id>" or "g:<guest uuid>"
    name: str
    color: str
    role: str


class ActorData(TypedDict):
    id: str | None
    name: str


# --- client -> server -----------------------------------------------------------------------


class SyncRequest(TypedDict):
    type: Literal["sync"]
    since: int | None


class OpRequest(TypedDict):
    type: Literal["op"]
    id: str
    op: str
    args: dict[str, Any]


class Viewport(TypedDict):
    """The top-left corner of what a participant sees, in board units (pixels at zoom 1)."""

    x: float
    y: float


class PresenceUpdate(TypedDict):
    type: Literal["presence"]
    cursor: Cursor | None
    editing: str | None
    viewport: NotRequired[Viewport | None]  # sent by those who may be followed
    summon: NotRequired[Viewport]  # facilitators: bring everyone here, once


class PingRequest(TypedDict):
    type: Literal["ping"]
    seq: int


# --- server -> client -----------------------------------------------------------------------


class WelcomeMessage(TypedDict):
    type: Literal["welcome"]
    protocol: int
    board_id: str
    seq: int
    you: ParticipantData
    participants: list[ParticipantData]


class SnapshotMessage(TypedDict):
    type: Literal["snapshot"]
    seq: int
    board: BoardData
    stages: list[StageData]
    lanes: list[LaneData]
    cards: list[CardData]
    personas: list[PersonaData]


class OpMessage(TypedDict):
    type: Literal["op"]
    seq: int
    id: str
    actor: ActorData
    op: str
    args: dict[str, Any]
    result: dict[str, Any]


class SyncedMessage(TypedDict):
    """Ends the replay of missed ops that answers a `sync`."""

    type: Literal["synced"]
    seq: int


class PresenceEntry(TypedDict):
    id: str
    cursor: Cursor | None
    editing: str | None
    viewport: NotRequired[Viewport | None]
    summon: NotRequired[Viewport]


class PresenceMessage(TypedDict):
    type: Literal["presence"]
    participants: list[PresenceEntry]


class JoinMessage(TypedDict):
    type: Literal["join"]
    participant: ParticipantData


class LeaveMessage(TypedDict):
    type: Literal["leave"]
    participant_id: str


class ErrorMessage(TypedDict):
    type: Literal["error"]
    id: str | None
    code: ErrorCode
    message: str
    details: NotRequired[dict[str, Any]]  # field -> messages, for `invalid`
    current: NotRequired[dict[str, Any]]  # the object as it is now, for `conflict`


class PongMessage(TypedDict):
    """`seq`: the newest op seq this server process delivered for the board. A client whose
    own seq is lower once it has read the pong missed an op and sends `sync`."""

    type: Literal["pong"]
    seq: int


ClientMessage = SyncRequest | OpRequest | PresenceUpdate | PingRequest
ServerMessage = (
    WelcomeMessage
    | SnapshotMessage
    | OpMessage
    | SyncedMessage
    | PresenceMessage
    | JoinMessage
    | LeaveMessage
    | ErrorMessage
    | PongMessage
)
