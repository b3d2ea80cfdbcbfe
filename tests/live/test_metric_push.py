"""A KPI pushed over REST by a script reaches everyone on the board live."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from boards.models import Board
from tests.journeydata.test_api_metrics import token_client, url

pytestmark = pytest.mark.django_db(transaction=True)


def push(board: Board, user) -> dict:
    stage = board.stages.order_by("position").first()
    response = token_client(user).post(
        url("metric-list", board.pk),
        {"stage_id": str(stage.pk), "kind": "csat", "responses": [5, 4], "date": "2026-02-01"},
        format="json",
    )
    assert response.status_code == 201
    return response.json()


async def test_a_pushed_sample_reaches_open_boards(board, alice, bob, connect):
    socket, _ = await connect(board, alice)
    await socket.sync(board.seq)

    pushed = await sync_to_async(push)(board, bob)

    frame = await socket.receive_type("op", wait=10)
    assert frame["op"] == "metric.record"
    assert frame["seq"] == pushed["seq"]
    assert frame["result"]["counts"] == {"4": 1, "5": 1}
