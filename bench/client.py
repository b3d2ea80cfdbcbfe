"""One load-client process: many WebSocket participants on one asyncio loop.

The controller (`bench.load`) starts several of these so that receiving every copy of every op
is spread over processes, not serialised in one loop. Each edit carries its send time in the
card text (`t=<time.time()> c=<participant>`); all processes share the machine's realtime
clock, so a receiver subtracts it from its own arrival time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
import uuid
from array import array
from dataclasses import dataclass, field
from multiprocessing.queues import Queue
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

CONNECT_CONCURRENCY = 16
CONNECT_TIMEOUT = 30.0
# Browsers ping every PING_INTERVAL_MS (frontend/src/session.ts), each from its own page load:
# the load client gives every participant a phase of its own, so a board's pings are spread
# over the interval as they are in a workshop, not sent by everyone in the same millisecond.
PROTOCOL_PING_SECONDS = 5.0
ACK_EVERY_OPS = 100  # boards.protocol.ACK_EVERY_OPS (not imported: the load runs without Django)
# After the edit phase, wait until every own op is acknowledged and the sockets have been quiet
# this long (bounded by the scenario's drain limit).
QUIET_SECONDS = 1.5


@dataclass(frozen=True)
class Participant:
    index: int
    cookie: str | None  # "sessionid=..." for the Django server; None for the reference
    card_id: str | None  # the editor's own card; None for participants who only watch
    stage_id: str | None = None
    lane_id: str | None = None


@dataclass(frozen=True)
class Load:
    duration: float
    edits_per_second_each: float  # open loop; 0 with closed_loop
    closed_loop: bool  # each editor sends its next op when the previous one is acknowledged
    presence_hz: float
    create_every: int  # every n-th op of an editor is a card.create (0: never)
    drain_limit: float
    slow_readers: int = 0  # this many participants stop reading for `slow_pause` seconds
    slow_pause: float = 0.0


@dataclass(frozen=True)
class WorkerSpec:
    worker: int
    url: str  # ws://127.0.0.1:port/ws/boards/<id>/
    origin: str
    participants: list[Participant]
    load: Load


@dataclass
class ClientState:
    participant: Participant
    socket: ClientConnection | None = None
    welcome_seq: int = -1
    seen: bytearray = field(default_factory=bytearray)  # seen[seq - welcome_seq - 1]
    distinct: int = 0
    duplicates: int = 0
    reordered: int = 0
    max_seq: int = 0
    pinged_seq: int = 0
    presence_frames: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    close_code: int | None = None
    sent: int = 0
    acked: int = 0
    ack_event: asyncio.Event = field(default_factory=asyncio.Event)
    pause_at: float = 0.0  # slow reader: stop reading at this time, for `pause_for` seconds
    pause_for: float = 0.0


@dataclass
class WorkerResult:
    worker: int
    connected: int
    failed: int
    connect_error: str | None
    clients: list[dict[str, Any]]
    latencies_ms: bytes  # array("d"): one per delivery of another participant's op
    op_latest_ms: dict[int, float]  # seq -> latest arrival among this worker's receivers
    op_deliveries: int
    first_send: float
    last_delivery: float
    cpu_seconds: float


class Worker:
    def __init__(self, spec: WorkerSpec) -> None:
        self.spec = spec
        self.clients = [ClientState(p) for p in spec.participants]
        self.latencies = array("d")
        self.op_latest: dict[int, float] = {}
        self.op_deliveries = 0
        self.last_op_at = 0.0
        self.window = (0.0, 0.0)
        self.failed = 0
        self.connect_error: str | None = None
        self.tasks: list[asyncio.Task[None]] = []

    # --- connecting ---------------------------------------------------------------------------

    async def connect_all(self) -> None:
        gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

        async def one(client: ClientState) -> None:
            async with gate:
                try:
                    await asyncio.wait_for(self._connect(client), CONNECT_TIMEOUT)
                except Exception as error:
                    self.failed += 1
                    self.connect_error = self.connect_error or f"{type(error).__name__}: {error}"

        await asyncio.gather(*(one(client) for client in self.clients))

    async def _connect(self, client: ClientState) -> None:
        headers = {"Cookie": client.participant.cookie} if client.participant.cookie else {}
        socket = await connect(
            self.spec.url,
            additional_headers=headers,
            origin=self.spec.origin,  # type: ignore[arg-type]
            compression=None,
            ping_interval=None,
            max_size=16 * 2**20,
            open_timeout=CONNECT_TIMEOUT,
        )
        welcome = json.loads(await socket.recv())
        if welcome.get("type") != "welcome":
            raise RuntimeError(f"expected welcome, got {str(welcome)[:200]}")
        client.socket = socket
        client.welcome_seq = int(welcome["seq"])
        client.max_seq = client.pinged_seq = client.welcome_seq
        await socket.send(json.dumps({"type": "sync", "since": client.welcome_seq}))
        self.tasks.append(asyncio.create_task(self._receive(client)))

    # --- receiving ----------------------------------------------------------------------------

    async def _receive(self, client: ClientState) -> None:
        socket = client.socket
        assert socket is not None
        try:
            async for text in socket:
                now = time.time()
                if client.pause_for and now >= client.pause_at:
                    await asyncio.sleep(client.pause_for)
                    client.pause_for = 0.0
                if text.startswith('{"type":"presence"'):
                    client.presence_frames += 1
                    continue
                message = json.loads(text)
                kind = message.get("type")
                if kind == "op":
                    self._on_op(client, message, now)
                    if client.max_seq - client.pinged_seq >= ACK_EVERY_OPS:
                        await self._ping(client)
                elif kind == "presence":
                    client.presence_frames += 1
                elif kind == "error":
                    code = str(message.get("code"))
                    client.errors[code] = client.errors.get(code, 0) + 1
                    client.ack_event.set()
        except ConnectionClosed as closed:
            client.close_code = closed.rcvd.code if closed.rcvd else None
        finally:
            client.ack_event.set()

    def _on_op(self, client: ClientState, message: dict[str, Any], now: float) -> None:
        seq = int(message["seq"])
        offset = seq - client.welcome_seq - 1
        if offset < 0:
            return  # already in the state the welcome described
        if offset >= len(client.seen):
            client.seen.extend(bytes(offset + 1024 - len(client.seen)))
        if client.seen[offset]:
            client.duplicates += 1
            return
        client.seen[offset] = 1
        client.distinct += 1
        if seq < client.max_seq:
            client.reordered += 1
        client.max_seq = max(client.max_seq, seq)
        self.op_deliveries += 1
        self.last_op_at = now
        text = str((message.get("args") or {}).get("text", ""))
        if not text.startswith("t="):
            return
        stamp, _, author = text[2:].partition(" c=")
        if author == str(client.participant.index):
            client.acked += 1
            client.ack_event.set()
            return
        latency = (now - float(stamp)) * 1000.0
        self.latencies.append(latency)
        if latency > self.op_latest.get(seq, -1.0):
            self.op_latest[seq] = latency

    # --- sending ------------------------------------------------------------------------------

    async def run_load(self, start_at: float) -> None:
        load = self.spec.load
        await asyncio.sleep(max(0.0, start_at - time.time()))
        end_at = start_at + load.duration
        self.window = (start_at, end_at)
        slow = [c for c in self.clients if c.socket is not None][: load.slow_readers]
        for client in slow:
            client.pause_at = start_at + load.duration / 3
            client.pause_for = load.slow_pause
        editors = [c for c in self.clients if c.participant.card_id and c.socket is not None]
        jobs = [self._edit(client, start_at, end_at) for client in editors]
        jobs.append(self._presence_and_pings(start_at, end_at))
        await asyncio.gather(*jobs)
        await self._drain(end_at + load.drain_limit)

    async def _edit(self, client: ClientState, start_at: float, end_at: float) -> None:
        load = self.spec.load
        socket = client.socket
        assert socket is not None
        period = 1.0 / load.edits_per_second_each if load.edits_per_second_each else 0.0
        next_at = start_at + random.random() * period
        count = 0
        while count < 1_000_000:
            if load.closed_loop:
                if time.time() >= end_at:
                    return
            else:
                if next_at >= end_at:
                    return
                await asyncio.sleep(max(0.0, next_at - time.time()))
                next_at += period
            count += 1
            client.ack_event.clear()
            try:
                await socket.send(json.dumps(self._op(client, count)))
            except ConnectionClosed:
                return
            client.sent += 1
            if load.closed_loop:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(client.ack_event.wait(), 5.0)

    def _op(self, client: ClientState, count: int) -> dict[str, Any]:
        participant = client.participant
        text = f"t={time.time():.6f} c={participant.index}"
        create = self.spec.load.create_every and count % self.spec.load.create_every == 0
        if create and participant.stage_id and participant.lane_id:
            name = "card.create"
            args = {"stage_id": participant.stage_id, "lane_id": participant.lane_id, "text": text}
        else:
            name, args = "card.update", {"id": participant.card_id, "text": text}
        return {"type": "op", "id": str(uuid.uuid4()), "op": name, "args": args}

    async def _presence_and_pings(self, start_at: float, end_at: float) -> None:
        """Every participant moves its cursor at `presence_hz`, spread evenly over the period,
        and pings every PROTOCOL_PING_SECONDS at a phase of its own."""
        load = self.spec.load
        live = [c for c in self.clients if c.socket is not None]
        presence_slices = 10
        step = 1.0 / (load.presence_hz * presence_slices) if load.presence_hz else 0.1
        ping_slices = max(1, round(PROTOCOL_PING_SECONDS / step))
        # A random phase each, as the moments at which a workshop's browsers were opened.
        pingers: list[list[ClientState]] = [[] for _ in range(ping_slices)]
        for client in live:
            pingers[random.randrange(ping_slices)].append(client)
        tick = 0
        while tick < 10_000_000:
            if time.time() >= end_at:
                return
            if load.presence_hz:
                for client in live[tick % presence_slices :: presence_slices]:
                    await self._send_quietly(client, self._presence())
            for client in pingers[tick % ping_slices]:
                await self._ping(client)
            tick += 1
            await asyncio.sleep(max(0.0, start_at + tick * step - time.time()))

    async def _ping(self, client: ClientState) -> None:
        """Acknowledge what the client has, as browsers do: every few seconds, and after
        every ACK_EVERY_OPS ops received."""
        client.pinged_seq = client.max_seq
        await self._send_quietly(client, {"type": "ping", "seq": client.max_seq})

    @staticmethod
    def _presence() -> dict[str, Any]:
        cursor = {"x": round(random.uniform(0, 4000), 1), "y": round(random.uniform(0, 2000), 1)}
        return {"type": "presence", "cursor": cursor, "editing": None}

    @staticmethod
    async def _send_quietly(client: ClientState, message: dict[str, Any]) -> None:
        if client.socket is None or client.close_code is not None:
            return
        with contextlib.suppress(ConnectionClosed):
            await client.socket.send(json.dumps(message))

    async def _drain(self, deadline: float) -> None:
        while time.time() < deadline:
            acked = all(c.acked + sum(c.errors.values()) >= c.sent for c in self.clients)
            if acked and time.time() - max(self.last_op_at, self.window[1]) >= QUIET_SECONDS:
                return
            await asyncio.sleep(0.05)

    # --- results ------------------------------------------------------------------------------

    async def close_all(self) -> None:
        async def close(client: ClientState) -> None:
            if client.socket is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(client.socket.close(), 2.0)

        await asyncio.gather(*(close(client) for client in self.clients))
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    def result(self, cpu_seconds: float) -> WorkerResult:
        clients = [
            {
                "index": c.participant.index,
                "connected": c.socket is not None,
                "welcome_seq": c.welcome_seq,
                "distinct": c.distinct,
                "duplicates": c.duplicates,
                "reordered": c.reordered,
                "max_seq": c.max_seq,
                "presence_frames": c.presence_frames,
                "errors": c.errors,
                "close_code": c.close_code,
                "sent": c.sent,
                "acked": c.acked,
            }
            for c in self.clients
        ]
        return WorkerResult(
            worker=self.spec.worker,
            connected=sum(1 for c in self.clients if c.socket is not None),
            failed=self.failed,
            connect_error=self.connect_error,
            clients=clients,
            latencies_ms=self.latencies.tobytes(),
            op_latest_ms=self.op_latest,
            op_deliveries=self.op_deliveries,
            first_send=self.window[0],
            last_delivery=self.last_op_at,
            cpu_seconds=cpu_seconds,
        )


async def _run(spec: WorkerSpec, ready: Queue, go: Event, start_at: Synchronized) -> WorkerResult:
    worker = Worker(spec)
    try:
        await worker.connect_all()
        ready.put((spec.worker, len(worker.clients) - worker.failed, worker.connect_error))
        started = await asyncio.to_thread(go.wait, 120.0)
        cpu_before = time.process_time()
        if started and start_at.value > 0:
            await worker.run_load(float(start_at.value))
        return worker.result(time.process_time() - cpu_before)
    finally:
        await worker.close_all()


def worker_main(
    spec: WorkerSpec, ready: Queue, go: Event, start_at: Synchronized, results: Queue
) -> None:
    """Process entry point: connect, report ready, wait for the common start, run, report."""
    try:
        results.put(asyncio.run(_run(spec, ready, go, start_at)))
    except BaseException as error:
        ready.put((spec.worker, 0, f"{type(error).__name__}: {error}"))
        results.put(error if isinstance(error, Exception) else RuntimeError(str(error)))
