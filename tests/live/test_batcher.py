"""The sockets' ops wait for the database thread per board, and those that arrive while it is
busy are applied in one call (boards.live.batcher): each sender still gets its own outcome."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Sequence
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from boards.live import batcher as batcher_module
from boards.live.batcher import get_batcher
from boards.models import Card
from boards.ops import AppliedOp, OpError, OpRequest, apply_ops
from boards.permissions import Actor
from tests.live.conftest import add_card

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every call to apply_ops the batcher makes."""
    sizes: list[int] = []

    def counting(board_id: Any, requests: Sequence[OpRequest]) -> list[AppliedOp | Exception]:
        sizes.append(len(requests))
        return apply_ops(board_id, requests)

    monkeypatch.setattr(batcher_module, "apply_ops", counting)
    return sizes


def edit(user: Any, card_id: str, text: str, **extra: Any) -> OpRequest:
    return OpRequest(
        Actor.for_user(user),
        "card.update",
        {"id": card_id, "text": text, **extra},
        str(uuid.uuid4()),
    )


async def test_the_first_op_goes_at_once_and_those_sent_meanwhile_go_together(
    board, alice, bob, calls
) -> None:
    card_id = (await sync_to_async(add_card)(board, alice)).result["id"]
    batcher = get_batcher()
    submitted = [
        batcher.submit(str(board.pk), edit(alice if i % 2 else bob, card_id, f"E{i}"))
        for i in range(6)
    ]
    outcomes = await asyncio.gather(*submitted)
    # The board was idle: the first op did not wait for the others (nor for the loop's turn).
    assert calls == [1, 5]
    seqs = [applied.seq for applied in outcomes]
    assert seqs == list(range(seqs[0], seqs[0] + 6))
    assert (await Card.objects.aget(pk=card_id)).text == "E5"


async def test_ops_that_arrive_while_the_thread_is_busy_wait_and_go_together(
    board, alice, bob, calls, monkeypatch
) -> None:
    card_id = (await sync_to_async(add_card)(board, alice)).result["id"]
    entered, release = threading.Event(), threading.Event()
    counting = batcher_module.apply_ops

    def held_first(board_id: Any, requests: Sequence[OpRequest]) -> list[AppliedOp | Exception]:
        if not calls:
            entered.set()
            release.wait(5)
        return counting(board_id, requests)

    monkeypatch.setattr(batcher_module, "apply_ops", held_first)
    batcher = get_batcher()
    first = asyncio.create_task(batcher.apply(str(board.pk), edit(alice, card_id, "First")))
    await asyncio.to_thread(entered.wait, 5)
    later = [
        asyncio.create_task(batcher.apply(str(board.pk), edit(bob, card_id, f"Later {i}")))
        for i in range(4)
    ]
    await asyncio.sleep(0.05)
    release.set()
    applied = [await first, *[await task for task in later]]

    assert calls == [1, 4]
    assert [a.seq for a in applied] == list(range(applied[0].seq, applied[0].seq + 5))


async def test_each_sender_gets_its_own_refusal(board, alice, bob, calls) -> None:
    card_id = (await sync_to_async(add_card)(board, alice)).result["id"]
    batcher = get_batcher()
    stale = OpRequest(
        Actor.for_user(bob),
        "card.update",
        {"id": card_id, "text": "Late", "if_version": 1},
        str(uuid.uuid4()),
        language="fr",
    )
    # The first op takes the idle board; the three sent while it is applied go in one call.
    first = batcher.submit(str(board.pk), edit(alice, card_id, "First"))
    outcomes = await asyncio.gather(
        batcher.submit(str(board.pk), edit(alice, card_id, "Fresh")),
        batcher.submit(str(board.pk), stale),
        batcher.submit(str(board.pk), edit(alice, card_id, "Fresher")),
        return_exceptions=True,
    )
    await first
    assert calls == [1, 3]
    assert isinstance(outcomes[0], AppliedOp)
    assert isinstance(outcomes[1], OpError)
    assert outcomes[1].code == "conflict"
    assert "entre-temps" in outcomes[1].message
    assert isinstance(outcomes[2], AppliedOp)
    assert outcomes[2].seq == outcomes[0].seq + 1


async def test_an_op_whose_sender_went_away_is_still_applied(board, alice, calls) -> None:
    card_id = (await sync_to_async(add_card)(board, alice)).result["id"]
    batcher = get_batcher()
    sender = asyncio.create_task(batcher.apply(str(board.pk), edit(alice, card_id, "Kept")))
    await asyncio.sleep(0)
    sender.cancel()
    for _ in range(100):
        if (await Card.objects.aget(pk=card_id)).text == "Kept":
            break
        await asyncio.sleep(0.02)
    assert (await Card.objects.aget(pk=card_id)).text == "Kept"
    # The board's queue is free again for the next op.
    applied = await batcher.apply(str(board.pk), edit(alice, card_id, "Next"))
    assert (await Card.objects.aget(pk=card_id)).version == applied.result["version"]
