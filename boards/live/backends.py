"""How a hub reaches the other processes: not at all (embedded, one process) or through Redis.

A backend publishes each op once per board, carries presence/join/leave frames, keeps the
board's participant list, and subscribes this process to the boards it has sockets for.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings

from boards.protocol import ParticipantData, PresenceEntry

if TYPE_CHECKING:
    import redis
    import redis.asyncio

    from boards.live.hub import BoardHub, PrivateFrame

logger = logging.getLogger(__name__)


class Publication(NamedTuple):
    """An op as the hub hands it to other processes. With `private`, `frame` is the hidden
    stand-in and `private.frame` the op itself."""

    board_id: str
    seq: int
    frame: str
    private: PrivateFrame | None = None


class Backend:
    """The embedded interface; see LocalBackend and RedisBackend."""

    def bind(self, hub: BoardHub, loop: asyncio.AbstractEventLoop) -> None:
        raise NotImplementedError

    def publish_ops(self, hub: BoardHub, ops: Sequence[Publication]) -> None:
        """The ops of one commit, in seq order; called in the thread that committed them
        (often not the event loop's)."""
        raise NotImplementedError

    async def broadcast(self, board_id: str, frame: str) -> None:
        raise NotImplementedError

    def share_presence(self, board_id: str, entries: list[PresenceEntry]) -> None:
        """Hand this process's presence entries of one tick to the board's other processes
        (`BoardHub.merge_remote_presence` there)."""
        raise NotImplementedError

    async def sync_subscription(self, board_id: str) -> None:
        """Subscribe to the board when the hub has sockets for it, unsubscribe when not."""

    async def presence_add(self, board_id: str, participant: ParticipantData) -> None:
        raise NotImplementedError

    async def presence_remove(self, board_id: str, participant_id: str) -> bool:
        """Forget the participant here; True when they are gone from the board everywhere."""
        raise NotImplementedError

    async def presence_list(self, board_id: str) -> list[ParticipantData]:
        raise NotImplementedError


class LocalBackend(Backend):
    """One process: ops go from the committing thread straight to the hub's event loop."""

    def __init__(self) -> None:
        self._hub: BoardHub | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._participants: dict[str, dict[str, ParticipantData]] = {}

    def bind(self, hub: BoardHub, loop: asyncio.AbstractEventLoop) -> None:
        self._hub, self._loop = hub, loop
        self._participants.clear()

    def publish_ops(self, hub: BoardHub, ops: Sequence[Publication]) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(self._deliver, hub, ops)

    @staticmethod
    def _deliver(hub: BoardHub, ops: Sequence[Publication]) -> None:
        for op in ops:
            hub.deliver(op.board_id, op.seq, op.frame, op.private)

    async def broadcast(self, board_id: str, frame: str) -> None:
        if self._hub is not None:
            self._hub.deliver_text(board_id, frame)

    def share_presence(self, board_id: str, entries: list[PresenceEntry]) -> None:
        """There are no other processes."""

    async def presence_add(self, board_id: str, participant: ParticipantData) -> None:
        self._participants.setdefault(board_id, {})[participant["id"]] = participant

    async def presence_remove(self, board_id: str, participant_id: str) -> bool:
        here = self._participants.get(board_id, {})
        here.pop(participant_id, None)
        if not here:
            self._participants.pop(board_id, None)
        return True

    async def presence_list(self, board_id: str) -> list[ParticipantData]:
        return list(self._participants.get(board_id, {}).values())


# Connections of a process's asyncio client to Redis (the subscriber holds one of them), and
# how long a presence write may wait for one before it fails.
REDIS_POOL_SIZE = 32
REDIS_POOL_WAIT_SECONDS = 10.0

# Messages on a board's Redis channel: b"o<seq> <op frame>", b"t<frame>" (join, leave: frames
# without a seq), b"c<process id> " + JSON list of one process's presence entries of one tick,
# or b"p<seq> " + JSON [audience, op frame, hidden frame] for an op only one participant may
# see (rare, so plain JSON).
OP_PREFIX = b"o"
TEXT_PREFIX = b"t"
PRESENCE_PREFIX = b"c"
PRIVATE_OP_PREFIX = b"p"


def board_channel(board_id: str) -> str:
    return f"journeymap:board:{board_id}"


def presence_key(board_id: str) -> str:
    return f"journeymap:presence:{board_id}"


def presence_expiry_key(board_id: str) -> str:
    return f"journeymap:presence-expiry:{board_id}"


class RedisBackend(Backend):
    """Several processes sharing one Redis.

    Each op is PUBLISHed once on its board's channel, by the process that committed it; each
    process SUBSCRIBEs once per board it has sockets for and delivers what arrives, its own
    ops included, so every op reaches each socket through one path only.

    Presence lives in a hash per board (one field per participant per process) with an expiry
    per field in a sorted set. Each process refreshes its fields every heartbeat and reaps the
    expired ones, so a process that dies without running `disconnect` loses its participants
    after PRESENCE_TTL seconds, and exactly one surviving process announces their `leave`.
    """

    def __init__(self, url: str) -> None:
        from boards.live.redis_publisher import RedisPublisher

        self.url = url
        self.process_id = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._origin = self.process_id.encode() + b" "
        self.ttl: float = settings.LIVE_PRESENCE_TTL
        # Publishing runs in the threads that commit ops; a short timeout keeps a Redis outage
        # from stalling writes (the op is committed anyway, clients repair gaps by sync).
        self._publisher = RedisPublisher(
            url, socket_timeout=5, socket_connect_timeout=5, health_check_interval=30
        )
        self._hub: BoardHub | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: redis.asyncio.Redis | None = None
        self._pubsub: Any = None
        self._subscribed: set[str] = set()
        self._confirmations: dict[str, asyncio.Future[None]] = {}
        self._lock: asyncio.Lock | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._has_subscriptions: asyncio.Event | None = None
        self._local: dict[str, dict[str, ParticipantData]] = {}

    def bind(self, hub: BoardHub, loop: asyncio.AbstractEventLoop) -> None:
        import redis.asyncio

        self._hub, self._loop = hub, loop
        # The subscriber blocks on its socket for as long as the board is quiet: redis-py 8
        # defaults socket_timeout to 5 s, which would kill it (channels_redis#422).
        # A blocking pool: when hundreds of sockets join at once, their presence writes wait
        # for a free connection instead of failing with "Too many connections".
        pool = redis.asyncio.BlockingConnectionPool.from_url(
            self.url,
            max_connections=REDIS_POOL_SIZE,
            timeout=REDIS_POOL_WAIT_SECONDS,
            socket_timeout=None,
            socket_connect_timeout=5,
            socket_keepalive=True,
        )
        self._client = redis.asyncio.Redis(connection_pool=pool)
        self._pubsub = self._client.pubsub()
        self._subscribed.clear()
        self._confirmations.clear()
        self._local.clear()
        self._lock = asyncio.Lock()
        self._has_subscriptions = asyncio.Event()
        self._spawn(self._read_loop())
        self._spawn(self._heartbeat_loop())

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- ops and frames -----------------------------------------------------------------

    def publish_ops(self, hub: BoardHub, ops: Sequence[Publication]) -> None:
        # One round trip for the ops of a commit: the committing thread waits for it before
        # it applies the next ones.
        self._publisher.publish([(board_channel(op.board_id), self._message(op)) for op in ops])

    @staticmethod
    def _message(op: Publication) -> bytes:
        if op.private is None:
            return OP_PREFIX + str(op.seq).encode() + b" " + op.frame.encode()
        payload = json.dumps([op.private.audience, op.private.frame, op.frame])
        return PRIVATE_OP_PREFIX + str(op.seq).encode() + b" " + payload.encode()

    async def broadcast(self, board_id: str, frame: str) -> None:
        assert self._client is not None
        await self._client.publish(board_channel(board_id), TEXT_PREFIX + frame.encode())

    def share_presence(self, board_id: str, entries: list[PresenceEntry]) -> None:
        assert self._client is not None
        message = PRESENCE_PREFIX + self._origin + json.dumps(entries).encode()
        self._spawn(self._client.publish(board_channel(board_id), message))

    async def sync_subscription(self, board_id: str) -> None:
        assert self._lock is not None
        assert self._hub is not None
        assert self._loop is not None
        channel = board_channel(board_id)
        async with self._lock:
            wanted = self._hub.has_board(board_id)
            if wanted and board_id not in self._subscribed:
                confirmed = self._loop.create_future()
                self._confirmations[channel] = confirmed
                await self._pubsub.subscribe(channel)
                self._subscribed.add(board_id)
                assert self._has_subscriptions is not None
                self._has_subscriptions.set()
                # Only once Redis confirms is every later PUBLISH sure to reach us: the socket
                # may read its state after that, never before.
                await asyncio.wait_for(confirmed, timeout=5)
            elif not wanted and board_id in self._subscribed:
                self._subscribed.discard(board_id)
                await self._pubsub.unsubscribe(channel)

    async def _read_loop(self) -> None:
        assert self._has_subscriptions is not None
        assert self._hub is not None
        while True:
            await self._has_subscriptions.wait()
            try:
                message = await self._pubsub.get_message(timeout=None)
            except asyncio.CancelledError:
                raise
            except Exception:
                # redis-py reconnects and re-subscribes on the next read; what was published
                # meanwhile is lost, and clients repair the gap by sync.
                logger.exception("board subscriber lost its Redis connection")
                await asyncio.sleep(0.5)
                continue
            if message is None:
                if not self._pubsub.subscribed:
                    self._has_subscriptions.clear()
                continue
            try:
                self._handle(message)
            except Exception:
                # This loop is the process's only ear on Redis: one bad delivery must cost one
                # message at most, never every board's ops from now on.
                logger.exception("could not deliver a message from Redis")

    def _handle(self, message: dict[str, Any]) -> None:
        assert self._hub is not None
        channel = message["channel"]
        channel = channel.decode() if isinstance(channel, bytes) else channel
        kind = message["type"]
        if kind == "subscribe":
            confirmed = self._confirmations.pop(channel, None)
            if confirmed is not None and not confirmed.done():
                confirmed.set_result(None)
            return
        if kind != "message":
            return
        board_id = channel.rsplit(":", 1)[1]
        data: bytes = message["data"]
        if data.startswith(OP_PREFIX):
            header, _, frame = data.partition(b" ")
            self._hub.deliver(board_id, int(header[1:]), frame.decode())
        elif data.startswith(PRESENCE_PREFIX):
            # This process showed its own entries at its tick already.
            if not data.startswith(self._origin, 1):
                _, _, entries = data.partition(b" ")
                self._hub.merge_remote_presence(board_id, json.loads(entries))
        elif data.startswith(TEXT_PREFIX):
            self._hub.deliver_text(board_id, data[1:].decode())
        elif data.startswith(PRIVATE_OP_PREFIX):
            from boards.live.hub import PrivateFrame

            header, _, payload = data.partition(b" ")
            audience, frame, hidden = json.loads(payload)
            self._hub.deliver(board_id, int(header[1:]), hidden, PrivateFrame(audience, frame))

    # --- presence -----------------------------------------------------------------------

    def _field(self, participant_id: str) -> str:
        return f"{participant_id}|{self.process_id}"

    async def presence_add(self, board_id: str, participant: ParticipantData) -> None:
        assert self._client is not None
        self._local.setdefault(board_id, {})[participant["id"]] = participant
        field = self._field(participant["id"])
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.hset(presence_key(board_id), field, json.dumps(participant))
            pipe.zadd(presence_expiry_key(board_id), {field: time.time() + self.ttl})
            await pipe.execute()

    async def presence_remove(self, board_id: str, participant_id: str) -> bool:
        assert self._client is not None
        here = self._local.get(board_id, {})
        here.pop(participant_id, None)
        if not here:
            self._local.pop(board_id, None)
        field = self._field(participant_id)
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.hdel(presence_key(board_id), field)
            pipe.zrem(presence_expiry_key(board_id), field)
            pipe.hkeys(presence_key(board_id))
            _, _, fields = await pipe.execute()
        return not _has_participant(fields, participant_id)

    async def presence_list(self, board_id: str) -> list[ParticipantData]:
        assert self._client is not None
        entries = await self._client.hgetall(presence_key(board_id))
        expiries = dict(
            await self._client.zrangebyscore(
                presence_expiry_key(board_id), time.time(), "+inf", withscores=True
            )
        )
        participants: dict[str, ParticipantData] = {}
        for field, value in entries.items():
            if field in expiries:
                participant = json.loads(value)
                participants[participant["id"]] = participant
        return list(participants.values())

    async def _heartbeat_loop(self) -> None:
        while True:
            await asyncio.sleep(self.ttl / 3)
            try:
                await self._heartbeat()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("presence heartbeat failed")

    async def _heartbeat(self) -> None:
        assert self._client is not None
        assert self._hub is not None
        now = time.time()
        for board_id, here in list(self._local.items()):
            expiry = {self._field(participant_id): now + self.ttl for participant_id in here}
            if expiry:
                await self._client.zadd(presence_expiry_key(board_id), expiry)
            # Reap participants of processes that stopped refreshing (killed, frozen). ZREM
            # tells exactly one reaper that it removed the field, so one `leave` goes out.
            expired = await self._client.zrangebyscore(presence_expiry_key(board_id), 0, now)
            for field in expired:
                if not await self._client.zrem(presence_expiry_key(board_id), field):
                    continue
                await self._client.hdel(presence_key(board_id), field)
                participant_id = field.decode().rsplit("|", 1)[0]
                if not _has_participant(
                    await self._client.hkeys(presence_key(board_id)), participant_id
                ):
                    await self._hub.broadcast_leave(board_id, participant_id)


def _has_participant(fields: list[bytes], participant_id: str) -> bool:
    prefix = f"{participant_id}|".encode()
    return any(field.startswith(prefix) for field in fields)
