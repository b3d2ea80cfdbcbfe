"""Stages, lanes and personas: the same five ops each (create, update, move, delete, restore),
and what deleting a column or a row does to the cards in it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from boards.models import Board, Op
from boards.ops import OpError, apply_op
from boards.permissions import Actor
from boards.selectors import board_snapshot

pytestmark = pytest.mark.django_db

# prefix -> (snapshot list, what to create it with, a field to update and its new value)
KINDS: dict[str, tuple[str, dict[str, Any], str, Any]] = {
    "stage": (
        "stages",
        {"title": "Delivery", "description": "Parcel arrives"},
        "title",
        "Unboxing",
    ),
    "lane": ("lanes", {"kind": "thoughts", "title": "Thinking"}, "kind", "emotions"),
    "persona": ("personas", {"name": "Nadia", "role": "Busy parent"}, "quote", "No time!"),
}


def send(board: Board, user: User, op: str, /, **args: Any) -> dict[str, Any]:
    return apply_op(board_id=board.pk, actor=Actor.for_user(user), name=op, args=args).result


def shown(board: Board, listing: str) -> list[str]:
    return [item["id"] for item in board_snapshot(board.pk)[listing]]


@pytest.mark.parametrize("prefix", KINDS)
def test_it_creates_updates_moves_deletes_and_restores(
    board: Board, bob: User, prefix: str
) -> None:
    listing, create_args, field, value = KINDS[prefix]
    before = shown(board, listing)

    created = send(board, bob, f"{prefix}.create", **create_args)
    assert shown(board, listing) == [*before, created["id"]]
    assert all(created[key] == expected for key, expected in create_args.items())

    updated = send(board, bob, f"{prefix}.update", id=created["id"], **{field: value})
    assert updated[field] == value
    assert updated["version"] == created["version"] + 1
    log = Op.objects.filter(board=board).latest("seq")
    assert log.before == {field: created[field]}

    send(board, bob, f"{prefix}.move", id=created["id"], after=None)
    assert shown(board, listing) == [created["id"], *before]
    if before:
        send(board, bob, f"{prefix}.move", id=created["id"], after=before[0])
        assert shown(board, listing) == [before[0], created["id"], *before[1:]]

    send(board, bob, f"{prefix}.delete", id=created["id"])
    assert created["id"] not in shown(board, listing)
    with pytest.raises(OpError) as late:
        send(board, bob, f"{prefix}.update", id=created["id"], **{field: value})
    assert late.value.code == "not_found"

    restored = send(board, bob, f"{prefix}.restore", id=created["id"])
    assert restored["deleted"] is False
    assert created["id"] in shown(board, listing)


@pytest.mark.parametrize("prefix", KINDS)
def test_it_refuses_a_stale_compare_and_set(board: Board, alice: User, prefix: str) -> None:
    _, create_args, field, value = KINDS[prefix]
    created = send(board, alice, f"{prefix}.create", **create_args)
    send(board, alice, f"{prefix}.update", id=created["id"], **{field: value})

    with pytest.raises(OpError) as conflict:
        send(board, alice, f"{prefix}.update", id=created["id"], if_version=1, **create_args)

    assert conflict.value.code == "conflict"
    assert conflict.value.current[field] == value


@pytest.mark.parametrize(("prefix", "listing"), [("stage", "stages"), ("lane", "lanes")])
def test_it_hides_the_cards_of_a_deleted_column_or_row_and_restores_them_with_it(
    board: Board, alice: User, prefix: str, listing: str
) -> None:
    stage = board.stages.order_by("position").first()
    lane = board.lanes.order_by("position").first()
    card = send(board, alice, "card.create", stage_id=str(stage.pk), lane_id=str(lane.pk))
    target = str(stage.pk if prefix == "stage" else lane.pk)

    send(board, alice, f"{prefix}.delete", id=target)
    assert board_snapshot(board.pk)["cards"] == []

    send(board, alice, f"{prefix}.restore", id=target)
    snapshot = board_snapshot(board.pk)
    assert [c["id"] for c in snapshot["cards"]] == [card["id"]]
    assert target in [item["id"] for item in snapshot[listing]]


def test_it_creates_an_object_under_the_id_its_client_chose(board: Board, bob: User) -> None:
    chosen = "0b7f8a36-3c2e-4a5e-9d55-7f1d8c1c2a10"

    created = send(board, bob, "stage.create", id=chosen, title="Chosen")

    assert created["id"] == chosen
    assert board.stages.filter(pk=chosen, title="Chosen").exists()


def test_it_updates_the_board_itself_for_a_facilitator_and_logs_the_old_title(
    board: Board, alice: User
) -> None:
    result = send(board, alice, "board.update", title="Grocery journey v2", language="fr")

    board.refresh_from_db()
    assert (board.title, board.language) == ("Grocery journey v2", "fr")
    assert result["seq"] == board.seq
    assert Op.objects.get(board=board, seq=board.seq).before == {
        "title": "Online grocery journey",
        "language": "en",
    }
