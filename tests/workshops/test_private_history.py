"""Private cards stay private in the history too: time travel, compare, deleted items, the
activity log (JSON and CSV) and copies of versions show another participant's private card to
nobody but its author until the reveal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.api_client import client_for
from tests.workshops.conftest import run_op

pytestmark = pytest.mark.django_db

SECRET = "Delivery fees are a scam"


def history_reads(board, user) -> str:
    client = client_for(user)
    compare = {"left": "seq:1", "right": f"seq:{board.seq}"}
    reads = [
        (reverse("history:time-travel", args=[board.pk]), {"seq": board.seq}),
        (reverse("history:compare", args=[board.pk]), compare),
        (reverse("history:deleted", args=[board.pk]), {}),
        (reverse("history:activity", args=[board.pk]), {}),
        (reverse("history:activity-csv", args=[board.pk]), {}),
    ]
    bodies = []
    for url, query in reads:
        response = client.get(url, query)
        assert response.status_code == 200, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        bodies.append(content.decode())
    return "\n".join(bodies)


def test_the_history_keeps_a_private_card_to_its_author(board, alice, bob):
    stage = board.stages.order_by("position").first()
    lane = board.lanes.order_by("position").first()
    cell = {"stage_id": str(stage.pk), "lane_id": str(lane.pk)}
    run_op(board, alice, "private.start")
    run_op(board, bob, "card.create", {**cell, "text": SECRET})
    deleted = run_op(board, bob, "card.create", {**cell, "text": SECRET + " (second)"})
    run_op(board, bob, "card.delete", {"id": deleted.result["id"]})
    board.refresh_from_db()

    assert SECRET not in history_reads(board, alice)
    assert SECRET in history_reads(board, bob)

    run_op(board, alice, "private.reveal")
    board.refresh_from_db()
    assert SECRET in history_reads(board, alice)


def test_a_copy_of_a_version_leaves_other_peoples_private_cards_behind(board, alice, bob):
    stage = board.stages.order_by("position").first()
    lane = board.lanes.order_by("position").first()
    cell = {"stage_id": str(stage.pk), "lane_id": str(lane.pk)}
    run_op(board, alice, "private.start")
    run_op(board, bob, "card.create", {**cell, "text": SECRET})
    run_op(board, alice, "card.create", {**cell, "text": "Alice's own"})
    client = client_for(alice)
    version = client.post(
        reverse("history:version-list", args=[board.pk]), {"name": "Q1"}, format="json"
    ).json()

    copy = client.post(
        reverse("history:version-copy", args=[board.pk, version["id"]]), {}, format="json"
    )

    assert copy.status_code == 201
    assert [card["text"] for card in copy.json()["cards"]] == ["Alice's own"]
