"""The apply process when PostgreSQL is out of reach: started before the database is up, or
cut off by a restart while it runs. The ops sent meanwhile fail and say so (their senders keep
them and send them again); the first op after the database is back is applied, on a new
connection with its statements prepared again (boards.prepared)."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from django.db import connection

from boards.live.apply_process import ApplyProcess
from boards.models import Board, Card
from boards.ops import AppliedOp, OpRequest
from boards.permissions import Actor
from tests.live.processes import database_env

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a database server to lose"),
]


class Relay:
    """A TCP relay to the database server that can be cut, as a restart or a network outage
    would: while cut it drops the connections it carried and refuses new ones."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.reachable = False
        self.links: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    def cut(self) -> None:
        self.reachable = False
        for writer in self.links:
            writer.close()
        self.links.clear()

    async def close(self) -> None:
        self.cut()
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.reachable:
            writer.close()
            return
        upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        self.links += [writer, upstream_writer]
        await asyncio.gather(
            self._pipe(reader, upstream_writer),
            self._pipe(upstream_reader, writer),
        )

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()


@pytest.fixture
async def relay() -> AsyncIterator[Relay]:
    db = connection.settings_dict
    relay = Relay(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
    await relay.start()
    yield relay
    await relay.close()


@pytest.fixture
async def apply_process(relay: Relay) -> AsyncIterator[ApplyProcess]:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    env = {
        **os.environ,
        **database_env(),
        "DATABASE_URL": f"postgres://{db['USER']}{password}@127.0.0.1:{relay.port}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "REDIS_URL": "",
    }
    process = ApplyProcess(env)
    yield process
    await process.stop()


def create(user: Any, cell: tuple[str, str], text: str) -> OpRequest:
    stage_id, lane_id = cell
    args = {"stage_id": stage_id, "lane_id": lane_id, "text": text}
    return OpRequest(Actor.for_user(user), "card.create", args, str(uuid.uuid4()))


async def apply_one(process: ApplyProcess, board: Board, request: OpRequest) -> Any:
    [outcome] = await process.apply_ops(str(board.pk), [request])
    return outcome


async def test_ops_fail_while_the_database_is_out_of_reach_and_apply_once_it_is_back(
    board: Board, alice: Any, cell: tuple[str, str], relay: Relay, apply_process: ApplyProcess
) -> None:
    # Started before the database is up.
    refused = await apply_one(apply_process, board, create(alice, cell, "Before it was up"))
    assert isinstance(refused, Exception)
    assert "OperationalError" in f"{type(refused).__name__}: {refused}"

    relay.reachable = True
    applied = await apply_one(apply_process, board, create(alice, cell, "Once it was up"))
    assert isinstance(applied, AppliedOp)
    again = await apply_one(apply_process, board, create(alice, cell, "Run by name"))
    assert isinstance(again, AppliedOp)

    # A restart: the connection the process held is gone.
    relay.cut()
    refused = await apply_one(apply_process, board, create(alice, cell, "During the restart"))
    assert isinstance(refused, Exception)

    relay.reachable = True
    after = await apply_one(apply_process, board, create(alice, cell, "After the restart"))
    assert isinstance(after, AppliedOp)
    assert after.seq == again.seq + 1 == applied.seq + 2

    texts = [text async for text in Card.objects.filter(board=board).values_list("text", flat=True)]
    assert "Before it was up" not in texts
    assert "During the restart" not in texts
    assert {"Once it was up", "Run by name", "After the restart"} <= set(texts)
