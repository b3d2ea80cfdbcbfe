"""Two Daphne processes sharing one Redis and one database: what a participant does on one
reaches the participants on the other, in order, and presence survives a process crash."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import psutil
import pytest
from asgiref.sync import sync_to_async
from websockets.asyncio.client import ClientConnection, connect

from boards.live.hub import reset_hub
from tests.live.conftest import add_card, card_op, session_cookie
from tests.live.processes import PRESENCE_TTL, Daphne, daphne_servers, redis_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]


@pytest.fixture
def redis_url(tmp_path):
    with redis_server(tmp_path) as url:
        yield url


@pytest.fixture
def servers(redis_url, board):
    # `board` first: its rows must be committed before the servers read them.
    with daphne_servers(redis_url, 2) as started:
        yield started


class Client:
    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection

    async def send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message))

    async def receive(self, wait: float = 5) -> dict[str, Any]:
        async with asyncio.timeout(wait):
            return json.loads(await self.connection.recv())

    async def receive_type(self, kind: str, wait: float = 5) -> dict[str, Any]:
        async with asyncio.timeout(wait):
            while True:
                frame = await self.receive(wait)
                if frame["type"] == kind:
                    return frame


async def open_client(server: Daphne, board, user) -> tuple[Client, dict[str, Any]]:
    cookie = await sync_to_async(session_cookie)(user)
    connection = await connect(
        server.board_url(board.pk), origin=server.origin, additional_headers={"Cookie": cookie}
    )
    client = Client(connection)
    return client, await client.receive()


async def test_ops_sent_to_one_process_reach_a_client_of_the_other_in_order(
    board, alice, bob, servers, cell
):
    a, b = servers
    sender, welcome = await open_client(a, board, alice)
    receiver, _ = await open_client(b, board, bob)
    await sender.send({"type": "sync", "since": welcome["seq"]})
    await receiver.send({"type": "sync", "since": welcome["seq"]})
    assert (await receiver.receive_type("synced"))["seq"] == welcome["seq"]

    ops = [card_op(cell, f"card {n}") for n in range(20)]
    for op in ops:
        await sender.send(op)
    received = [await receiver.receive_type("op") for _ in ops]

    assert [frame["id"] for frame in received] == [op["id"] for op in ops]
    assert [frame["seq"] for frame in received] == list(
        range(welcome["seq"] + 1, welcome["seq"] + 21)
    )
    acks = [await sender.receive_type("op") for _ in ops]
    assert acks == received

    late, _ = await open_client(b, board, bob)
    await late.send({"type": "sync", "since": welcome["seq"] + 15})
    replay = [await late.receive_type("op") for _ in range(5)]
    assert [frame["id"] for frame in replay] == [op["id"] for op in ops[15:]]
    assert (await late.receive())["type"] == "synced"


async def test_a_write_from_a_process_without_sockets_reaches_both(
    board, alice, bob, servers, redis_url, settings
):
    settings.REDIS_URL = redis_url
    reset_hub()
    a, b = servers
    on_a, welcome = await open_client(a, board, alice)
    on_b, _ = await open_client(b, board, bob)
    for client in (on_a, on_b):
        await client.send({"type": "sync", "since": welcome["seq"]})
        await client.receive_type("synced")

    applied = await sync_to_async(add_card)(board, alice, "From the REST API")

    for client in (on_a, on_b):
        frame = await client.receive_type("op")
        assert (frame["seq"], frame["result"]["text"]) == (applied.seq, "From the REST API")


def apply_processes(server: Daphne) -> list[psutil.Process]:
    return [
        child
        for child in psutil.Process(server.process.pid).children()
        if "boards.live.apply_worker" in child.cmdline()
    ]


async def test_each_server_starts_its_apply_process_with_it_which_applies_its_ops_and_ends_with_it(
    board, alice, servers, cell
):
    a, b = servers
    # Started with the server, before any socket connects: ready when the first op comes.
    [beside_a], [beside_b] = apply_processes(a), apply_processes(b)
    assert beside_a.pid != beside_b.pid

    client, welcome = await open_client(a, board, alice)
    await client.send({"type": "sync", "since": welcome["seq"]})
    await client.send(card_op(cell, "Applied beside the server"))
    assert (await client.receive_type("op"))["result"]["text"] == "Applied beside the server"
    assert apply_processes(a) == [beside_a]  # the one it started with, not another

    a.kill()

    # Its end of the pair closed with it: nothing is left behind.
    gone, alive = await asyncio.to_thread(psutil.wait_procs, [beside_a], 10)
    assert (gone, alive) == ([beside_a], [])
    assert apply_processes(b) == [beside_b]


async def test_participants_of_a_killed_process_leave_after_the_ttl(board, alice, bob, servers):
    a, b = servers
    await open_client(a, board, alice)
    watcher, welcome = await open_client(b, board, bob)
    assert f"u:{alice.pk}" in {p["id"] for p in welcome["participants"]}
    await watcher.send({"type": "sync", "since": welcome["seq"]})

    a.kill()

    left = await watcher.receive_type("leave", wait=PRESENCE_TTL * 3)
    assert left == {"type": "leave", "participant_id": f"u:{alice.pk}"}
    _, later = await open_client(b, board, bob)
    assert [p["id"] for p in later["participants"]] == [f"u:{bob.pk}"]


async def test_presence_crosses_processes_batched(board, alice, bob, servers):
    a, b = servers
    mover, welcome = await open_client(a, board, alice)
    watcher, _ = await open_client(b, board, bob)
    for client in (mover, watcher):
        await client.send({"type": "sync", "since": welcome["seq"]})

    for x in range(30):
        await mover.send({"type": "presence", "cursor": {"x": x, "y": 0}, "editing": None})

    frames = []
    while not frames or frames[-1]["participants"][-1]["cursor"]["x"] != 29:
        frames.append(await watcher.receive_type("presence"))
    assert len(frames) <= 4
    assert frames[-1]["participants"] == [
        {"id": f"u:{alice.pk}", "cursor": {"x": 29, "y": 0}, "editing": None}
    ]


async def test_each_socket_gets_one_presence_frame_a_tick_from_every_process(
    board, alice, bob, servers
):
    """Cursors moving on both processes reach a socket merged: one frame a tick with the
    entries of both, not one frame a tick per process."""
    a, b = servers
    alice_socket, welcome = await open_client(a, board, alice)
    bob_socket, _ = await open_client(b, board, bob)
    for client in (alice_socket, bob_socket):
        await client.send({"type": "sync", "since": welcome["seq"]})

    frames: list[dict[str, Any]] = []

    async def read_presence() -> None:
        while True:
            frames.append(await bob_socket.receive_type("presence"))

    reader = asyncio.create_task(read_presence())
    for x in range(20):  # 2 s of cursors at 10 Hz on both processes
        for client in (alice_socket, bob_socket):
            await client.send({"type": "presence", "cursor": {"x": x, "y": 0}, "editing": None})
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)
    reader.cancel()

    both = {f"u:{alice.pk}", f"u:{bob.pk}"}
    merged = [f for f in frames if {e["id"] for e in f["participants"]} == both]
    assert len(merged) >= len(frames) // 2
    assert len(frames) <= 2.5 / 0.1 + 2  # one a tick, not one a tick per process
