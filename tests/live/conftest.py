"""Fixtures for the live layer: sockets through the real ASGI application, logged in with a
real session cookie."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from boards.live.hub import reset_hub
from boards.models import Board
from boards.ops import AppliedOp, apply_op
from boards.permissions import Actor
from journeymap.asgi import application


@pytest.fixture(autouse=True)
def fresh_hub() -> None:
    reset_hub()


def session_cookie(user: User) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


class Socket:
    """A WebsocketCommunicator that speaks JSON frames."""

    def __init__(self, board: Board, cookie: str | None, *, language: str = "en") -> None:
        headers = [(b"origin", b"http://localhost"), (b"accept-language", language.encode())]
        if cookie:
            headers.append((b"cookie", cookie.encode()))
        self.communicator = WebsocketCommunicator(
            application, f"/ws/boards/{board.pk}/", headers=headers
        )

    async def open(self) -> dict[str, Any]:
        connected, _ = await self.communicator.connect()
        assert connected
        return await self.receive()

    async def send(self, message: dict[str, Any]) -> None:
        await self.communicator.send_to(text_data=json.dumps(message))

    async def send_text(self, text: str) -> None:
        await self.communicator.send_to(text_data=text)

    async def receive(self, wait: float = 3) -> dict[str, Any]:
        output = await self.communicator.receive_output(wait)
        if output["type"] == "websocket.close":
            return {"type": "<closed>", "code": output.get("code")}
        return json.loads(output["text"])

    async def receive_type(self, kind: str, wait: float = 3) -> dict[str, Any]:
        """The next frame of this type, skipping others (presence, join, ...)."""
        while True:
            frame = await self.receive(wait)
            if frame["type"] == kind:
                return frame

    async def receive_ops(self, count: int) -> list[dict[str, Any]]:
        return [await self.receive_type("op") for _ in range(count)]

    async def nothing_more(self, kind: str | None = None, wait: float = 0.3) -> None:
        """No frame (of this type) arrives within `wait` seconds."""
        deadline = asyncio.get_running_loop().time() + wait
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            if await self.communicator.receive_nothing(left):
                return
            frame = await self.receive()
            assert kind is not None, f"unexpected frame {frame}"
            assert frame["type"] != kind, f"unexpected frame {frame}"

    async def sync(self, since: int | None) -> dict[str, Any]:
        await self.send({"type": "sync", "since": since})
        return await self.receive()

    async def close(self) -> None:
        await self.communicator.disconnect()


@pytest.fixture
async def connect() -> AsyncIterator[Callable[..., Any]]:
    """connect(board, user) -> (Socket, welcome). Sockets are closed after the test."""
    opened: list[Socket] = []

    async def open_socket(board: Board, user: User | None, **kwargs: Any) -> tuple[Socket, dict]:
        cookie = await sync_to_async(session_cookie)(user) if user is not None else None
        socket = Socket(board, cookie, **kwargs)
        opened.append(socket)
        return socket, await socket.open()

    yield open_socket
    for socket in opened:
        await socket.close()


def first_cell(board: Board) -> tuple[str, str]:
    stage = board.stages.order_by("position").first()
    lane = board.lanes.order_by("position").first()
    assert stage is not None
    assert lane is not None
    return str(stage.pk), str(lane.pk)


def add_card(board: Board, user: User, text: str = "Compare prices") -> AppliedOp:
    """A write from sync code, as the REST API and the admin make them."""
    stage_id, lane_id = first_cell(board)
    return apply_op(
        board_id=board.pk,
        actor=Actor.for_user(user),
        name="card.create",
        args={"stage_id": stage_id, "lane_id": lane_id, "text": text},
    )


@pytest.fixture
def cell(board: Board) -> tuple[str, str]:
    """The ids of the board's first stage and first lane."""
    return first_cell(board)


def card_op(cell: tuple[str, str], text: str, op_id: str | None = None) -> dict[str, Any]:
    stage_id, lane_id = cell
    return {
        "type": "op",
        "id": op_id or str(uuid.uuid4()),
        "op": "card.create",
        "args": {"stage_id": stage_id, "lane_id": lane_id, "text": text},
    }
