"""A private op crosses Redis once and each process hands each socket the frame meant for it:
the author's tabs get the card, everyone else the hidden stand-in, on any process."""

from __future__ import annotations

import uuid

import pytest
from asgiref.sync import sync_to_async

from boards.live.hub import reset_hub
from tests.live.conftest import card_op
from tests.live.test_multiprocess import open_client, redis_url, servers  # noqa: F401
from tests.workshops.conftest import run_op

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]


async def test_a_private_card_reaches_only_its_author_on_every_process(
    board,
    alice,
    bob,
    servers,  # noqa: F811
    redis_url,  # noqa: F811
    settings,
    cell,
):
    settings.REDIS_URL = redis_url
    reset_hub()
    await sync_to_async(run_op)(board, alice, "private.start")
    a, b = servers
    author, welcome = await open_client(a, board, bob)
    authors_other_tab, _ = await open_client(b, board, bob)
    other, _ = await open_client(b, board, alice)
    for client in (author, authors_other_tab, other):
        await client.send({"type": "sync", "since": welcome["seq"]})
        await client.receive_type("synced")

    op = card_op(cell, "Only mine", op_id=str(uuid.uuid4()))
    await author.send(op)

    for client in (author, authors_other_tab):
        frame = await client.receive_type("op")
        assert (frame["id"], frame["result"]["text"]) == (op["id"], "Only mine")
    hidden = await other.receive_type("op")
    assert hidden["seq"] == welcome["seq"] + 1
    assert hidden["op"] == "hidden"
    assert "Only mine" not in str(hidden)
