"""Follow and summon ride on the batched presence: a facilitator's viewport reaches the
others so they can follow it, and a summon reaches everyone once, even when a cursor move in
the same tick replaces the facilitator's presence entry."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_facilitators_viewport_and_summon_reach_everyone(board, alice, bob, connect):
    facilitator, _ = await connect(board, alice)
    participant, _ = await connect(board, bob)
    for socket in (facilitator, participant):
        await socket.sync(None)

    await facilitator.send(
        {"type": "presence", "cursor": None, "editing": None, "viewport": {"x": 640, "y": 80}}
    )
    followed = (await participant.receive_type("presence"))["participants"][0]
    assert followed["viewport"] == {"x": 640, "y": 80}

    await facilitator.send(
        {
            "type": "presence",
            "cursor": None,
            "editing": None,
            "viewport": {"x": 1200, "y": 0},
            "summon": {"x": 1200, "y": 0},
        }
    )
    await facilitator.send(
        {"type": "presence", "cursor": {"x": 5, "y": 5}, "editing": None, "viewport": None}
    )
    summoned = (await participant.receive_type("presence"))["participants"][0]
    assert summoned["summon"] == {"x": 1200, "y": 0}
    assert summoned["cursor"] == {"x": 5, "y": 5}

    await facilitator.send({"type": "presence", "cursor": {"x": 6, "y": 6}, "editing": None})
    later = (await participant.receive_type("presence"))["participants"][0]
    assert "summon" not in later


async def test_only_a_facilitator_can_summon_and_bad_viewports_are_refused(board, bob, connect):
    participant, _ = await connect(board, bob)
    await participant.sync(None)

    await participant.send(
        {"type": "presence", "cursor": None, "editing": None, "summon": {"x": 1, "y": 2}}
    )
    refused = await participant.receive_type("error")
    assert refused["code"] == "forbidden"
    assert refused["message"] == "Only a facilitator can bring everyone."

    await participant.send(
        {"type": "presence", "cursor": None, "editing": None, "viewport": {"x": "far"}}
    )
    assert (await participant.receive_type("error"))["code"] == "bad_message"
    await participant.nothing_more("presence")
