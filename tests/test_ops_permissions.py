"""Who may run which op: every registered op against every kind of participant.

The matrix is parametrised over `REGISTRY`, so an op added later is checked here at once; its
least role must be written in `LEAST_ROLE` (on purpose: the test states the rule, it does not
read it back from the code under test).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from boards.models import Board, Guest, Membership, Op, Role, ShareLink
from boards.ops import REGISTRY, OpError, apply_op
from boards.permissions import Actor
from boards.selectors import board_snapshot
from tests.history.support import HISTORY_LEAST_ROLE, history_valid_args
from tests.journeydata.support import METRIC_LEAST_ROLE, metric_valid_args
from tests.workshops.support import WORKSHOP_LEAST_ROLE, workshop_valid_args

pytestmark = pytest.mark.django_db

LEAST_ROLE: dict[str, Role] = {
    "board.archive": Role.OWNER,
    "board.update": Role.FACILITATOR,
    **{
        f"{prefix}.{verb}": Role.EDITOR
        for prefix in ("stage", "lane", "persona", "card")
        for verb in ("create", "update", "move", "delete", "restore")
    },
    **WORKSHOP_LEAST_ROLE,
    **METRIC_LEAST_ROLE,
    **HISTORY_LEAST_ROLE,
}

OP_NAMES = sorted(REGISTRY)


@dataclass
class World:
    """A board with one live and one deleted object of each kind, so every op has a target."""

    board: Board
    live: dict[str, str]
    deleted: dict[str, str]


def _run(board: Board, owner: User, name: str, args: dict[str, Any]) -> dict[str, Any]:
    return apply_op(board_id=board.pk, actor=Actor.for_user(owner), name=name, args=args).result


@pytest.fixture
def world(alice: User) -> World:
    board = Board.objects.create(title="Checkout", owner=alice)
    Membership.objects.create(board=board, user=alice, role=Role.OWNER)
    live: dict[str, str] = {}
    deleted: dict[str, str] = {}
    for key in ("live", "deleted"):
        target = live if key == "live" else deleted
        target["stage"] = _run(board, alice, "stage.create", {"title": f"Stage {key}"})["id"]
        target["lane"] = _run(board, alice, "lane.create", {"kind": "actions", "title": key})["id"]
        target["persona"] = _run(board, alice, "persona.create", {"name": f"Persona {key}"})["id"]
    for key in ("live", "deleted"):
        target = live if key == "live" else deleted
        target["card"] = _run(
            board,
            alice,
            "card.create",
            {"stage_id": live["stage"], "lane_id": live["lane"], "text": key},
        )["id"]
    for prefix, object_id in deleted.items():
        _run(board, alice, f"{prefix}.delete", {"id": object_id})
    board.refresh_from_db()
    return World(board, live, deleted)


def valid_args(name: str, world: World) -> dict[str, Any]:
    """Arguments that succeed for `name` on `world`, for an actor allowed to run it."""
    prefix, verb = name.split(".")
    if name in WORKSHOP_LEAST_ROLE:
        lane_id, card_id = world.live["lane"], world.live["card"]
        return workshop_valid_args(name, world.board, lane_id=lane_id, card_id=card_id)
    if name in METRIC_LEAST_ROLE:
        return metric_valid_args(name, world.board, stage_id=world.live["stage"])
    if name in HISTORY_LEAST_ROLE:
        return history_valid_args(name, world.board)
    if name == "board.update":
        return {"title": "Checkout, revisited"}
    if name == "board.archive":
        return {"archived": True}
    if verb == "create":
        return {
            "stage": {"title": "Delivery"},
            "lane": {"kind": "emotions", "title": "Feelings"},
            "persona": {"name": "Nadia"},
            "card": {
                "stage_id": world.live["stage"],
                "lane_id": world.live["lane"],
                "text": "Late parcel",
            },
        }[prefix]
    if verb == "update":
        field = {"stage": "title", "lane": "title", "persona": "name", "card": "text"}[prefix]
        return {"id": world.live[prefix], field: "Renamed"}
    if verb == "move":
        return {"id": world.live[prefix], "after": None}
    if verb == "delete":
        return {"id": world.live[prefix]}
    if verb == "restore":
        return {"id": world.deleted[prefix]}
    pytest.fail(f"valid_args does not know how to build arguments for {name}: teach it")


def content(board: Board) -> dict[str, Any]:
    snapshot = board_snapshot(board.pk)
    return {**snapshot, "log": list(Op.objects.filter(board=board).values_list("seq", "name"))}


def share_link_guest(board: Board, role: Role, **link: Any) -> Actor:
    share = ShareLink.objects.create(
        board=board, role=role, token_hash=uuid.uuid4().hex, created_by=board.owner, **link
    )
    guest = Guest.objects.create(
        board=board, share_link=share, display_name="Workshop guest", color="teal"
    )
    return Actor.for_guest(guest)


def member(board: Board, username: str, role: Role) -> Actor:
    user = User.objects.create_user(username=username)
    Membership.objects.create(board=board, user=user, role=role)
    return Actor.for_user(user)


def participant(kind: str, board: Board) -> tuple[Actor, Role | None]:
    """An actor of the given kind on `board`, and the role they should be treated as having."""
    if kind == "owner":
        return Actor.for_user(board.owner), Role.OWNER
    if kind in ("facilitator", "editor", "commenter", "viewer"):
        role = Role(kind)
        return member(board, f"{kind}-user", role), role
    if kind == "outsider":
        return Actor.for_user(User.objects.create_user(username="charlie")), None
    if kind == "guest_editor":
        return share_link_guest(board, Role.EDITOR), Role.EDITOR
    if kind == "guest_viewer":
        return share_link_guest(board, Role.VIEWER), Role.VIEWER
    if kind == "guest_revoked_link":
        return share_link_guest(board, Role.OWNER, revoked_at=timezone.now()), None
    if kind == "guest_expired_link":
        expired = timezone.now() - timedelta(minutes=1)
        return share_link_guest(board, Role.OWNER, expires_at=expired), None
    if kind == "guest_of_another_board":
        other = Board.objects.create(title="Elsewhere", owner=board.owner)
        return share_link_guest(other, Role.OWNER), None
    raise AssertionError(kind)


PARTICIPANTS = [
    "owner",
    "facilitator",
    "editor",
    "commenter",
    "viewer",
    "outsider",
    "guest_editor",
    "guest_viewer",
    "guest_revoked_link",
    "guest_expired_link",
    "guest_of_another_board",
]


def test_it_states_the_least_role_of_every_registered_op() -> None:
    assert set(LEAST_ROLE) == set(REGISTRY), "add the new op's least role to LEAST_ROLE"


def expected_outcome(name: str, role: Role | None) -> str:
    if role is None:
        # Someone who may not see the board hears exactly what they would for a missing board.
        return "not_found"
    return "applied" if role.includes(LEAST_ROLE[name]) else "forbidden"


def attempt(world: World, name: str, actor: Actor, args: dict[str, Any]) -> str:
    """Run the op and report what a client would see; a refusal must leave no trace."""
    before = content(world.board)
    try:
        applied = apply_op(board_id=world.board.pk, actor=actor, name=name, args=args)
    except OpError as refused:
        assert content(world.board) == before, f"{name} was refused but changed the board"
        return refused.code
    assert applied.seq == before["seq"] + 1
    assert Op.objects.get(board=world.board, seq=applied.seq).actor_name == actor.name
    return "applied"


@pytest.mark.parametrize("name", OP_NAMES)
def test_it_lets_each_participant_run_exactly_the_ops_their_role_allows(
    world: World, name: str
) -> None:
    expected: dict[str, str] = {}
    seen: dict[str, str] = {}
    for kind in PARTICIPANTS:
        # Each participant tries on the same board: a savepoint undoes what the last one did.
        with transaction.atomic():
            actor, role = participant(kind, world.board)
            expected[kind] = expected_outcome(name, role)
            seen[kind] = attempt(world, name, actor, valid_args(name, world))
            transaction.set_rollback(True)

    assert seen == expected


@pytest.mark.parametrize("name", OP_NAMES)
def test_it_refuses_every_op_but_unarchiving_on_an_archived_board(
    world: World, alice: User, name: str
) -> None:
    apply_op(
        board_id=world.board.pk,
        actor=Actor.for_user(alice),
        name="board.archive",
        args={"archived": True},
    )
    world.board.refresh_from_db()
    args = {"archived": False} if name == "board.archive" else valid_args(name, world)
    before = content(world.board)

    if name == "board.archive":
        applied = apply_op(
            board_id=world.board.pk, actor=Actor.for_user(alice), name=name, args=args
        )
        assert applied.result["archived"] is False
        return

    with pytest.raises(OpError) as refused:
        apply_op(board_id=world.board.pk, actor=Actor.for_user(alice), name=name, args=args)
    assert refused.value.code == "forbidden"
    assert content(world.board) == before


def test_it_answers_not_found_for_a_board_that_does_not_exist(alice: User) -> None:
    for board_id in (uuid.uuid4(), "not-a-uuid"):
        with pytest.raises(OpError) as refused:
            apply_op(
                board_id=board_id,
                actor=Actor.for_user(alice),
                name="stage.create",
                args={"title": "Nowhere"},
            )
        assert refused.value.code == "not_found"


def test_it_stops_a_guest_as_soon_as_their_link_is_revoked(world: World) -> None:
    guest = share_link_guest(world.board, Role.EDITOR)
    apply_op(board_id=world.board.pk, actor=guest, name="stage.create", args={"title": "Before"})
    ShareLink.objects.filter(board=world.board).update(revoked_at=timezone.now())

    with pytest.raises(OpError) as refused:
        apply_op(board_id=world.board.pk, actor=guest, name="stage.create", args={"title": "After"})

    assert refused.value.code == "not_found"
    assert not world.board.stages.filter(title="After").exists()
