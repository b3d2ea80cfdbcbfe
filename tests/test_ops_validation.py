"""Bad arguments are refused with `invalid`, naming the field, and write nothing.

Clients are buggy and some are hostile: ops accept the JSON types they document (no "5" for 5,
no "true" for true), refuse unknown fields so a typo is not silently dropped, and keep to the
size limits of boards/ops/limits.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from boards.models import Board, Op
from boards.ops import REGISTRY, OpError, apply_op
from boards.ops.limits import (
    CARD_TEXT_MAX_CHARS,
    LONG_TEXT_MAX_CHARS,
    NAME_MAX_CHARS,
    TITLE_MAX_CHARS,
)
from boards.permissions import Actor
from boards.services import board_create

pytestmark = pytest.mark.django_db

Ids = dict[str, str]


@pytest.fixture
def board(alice: User) -> Board:
    """A small board of alice's (one cell): these tests need targets, not a whole template."""
    return board_create(owner=alice, title="Checkout", language="en")


@pytest.fixture
def ids(board: Board, alice: User) -> Ids:
    """Ids of live objects on alice's board, for arguments that are valid but for one field."""
    owner = Actor.for_user(alice)

    def create(name: str, args: dict[str, Any]) -> str:
        return apply_op(board_id=board.pk, actor=owner, name=name, args=args).result["id"]

    stage = create("stage.create", {"title": "Browse"})
    lane = create("lane.create", {"kind": "actions", "title": "Actions"})
    return {
        "stage": stage,
        "lane": lane,
        "card": create("card.create", {"stage_id": stage, "lane_id": lane, "text": "Slow site"}),
        "persona": create("persona.create", {"name": "Nadia"}),
    }


def refuse(board: Board, actor: User, name: str, args: Any) -> OpError:
    """Send the op, expect a refusal, and check that nothing at all was written."""
    seq_before = Board.objects.get(pk=board.pk).seq
    ops_before = Op.objects.count()
    with pytest.raises(OpError) as refused:
        apply_op(board_id=board.pk, actor=Actor.for_user(actor), name=name, args=args)
    assert Board.objects.get(pk=board.pk).seq == seq_before
    assert Op.objects.count() == ops_before
    return refused.value


def card_in_cell(ids: Ids, **fields: Any) -> dict[str, Any]:
    return {"stage_id": ids["stage"], "lane_id": ids["lane"], **fields}


# (op, arguments built from the board's ids, the field the error must name)
BAD_ARGUMENTS: list[tuple[str, Callable[[Ids], dict[str, Any]], str]] = [
    # wrong JSON types
    ("card.create", lambda ids: card_in_cell(ids, text=42), "text"),
    ("card.create", lambda ids: card_in_cell(ids, text=["a", "list"]), "text"),
    ("card.create", lambda ids: card_in_cell(ids, text={"an": "object"}), "text"),
    ("card.create", lambda ids: card_in_cell(ids, emotion_score="1"), "emotion_score"),
    ("card.create", lambda ids: card_in_cell(ids, emotion_score=1.5), "emotion_score"),
    ("card.create", lambda ids: card_in_cell(ids, emotion_score=True), "emotion_score"),
    ("card.create", lambda ids: card_in_cell(ids, brand_controlled="true"), "brand_controlled"),
    ("card.create", lambda ids: card_in_cell(ids, moment_of_truth=1), "moment_of_truth"),
    ("card.create", lambda ids: card_in_cell(ids, color=["yellow"]), "color"),
    ("card.create", lambda ids: {"stage_id": 7, "lane_id": ids["lane"]}, "stage_id"),
    ("card.update", lambda ids: {"id": ids["card"], "if_version": "2"}, "if_version"),
    ("stage.create", lambda ids: {"title": 5}, "title"),
    ("stage.update", lambda ids: {"id": ids["stage"], "title": None}, "title"),
    ("lane.create", lambda ids: {"kind": 3, "title": "Row"}, "kind"),
    ("persona.update", lambda ids: {"id": ids["persona"], "goals": {"a": 1}}, "goals"),
    ("board.update", lambda ids: {"goal": 7}, "goal"),
    ("board.archive", lambda ids: {"archived": "true"}, "archived"),
    ("board.archive", lambda ids: {"archived": 1}, "archived"),
    ("card.delete", lambda ids: {"id": 123}, "id"),
    # missing required fields
    ("card.create", lambda ids: {"lane_id": ids["lane"]}, "stage_id"),
    ("card.create", lambda ids: {"stage_id": ids["stage"]}, "lane_id"),
    ("stage.create", lambda ids: {"description": "No title"}, "title"),
    ("lane.create", lambda ids: {"title": "No kind"}, "kind"),
    ("persona.create", lambda ids: {"role": "No name"}, "name"),
    ("card.update", lambda ids: {"text": "Which card?"}, "id"),
    ("board.archive", lambda ids: {}, "archived"),
    # blank where text is required
    ("stage.create", lambda ids: {"title": ""}, "title"),
    ("persona.update", lambda ids: {"id": ids["persona"], "name": ""}, "name"),
    # too long
    ("card.create", lambda ids: card_in_cell(ids, text="x" * (CARD_TEXT_MAX_CHARS + 1)), "text"),
    ("card.update", lambda ids: {"id": ids["card"], "text": "x" * 5001}, "text"),
    ("stage.create", lambda ids: {"title": "x" * (TITLE_MAX_CHARS + 1)}, "title"),
    (
        "stage.update",
        lambda ids: {"id": ids["stage"], "description": "x" * (LONG_TEXT_MAX_CHARS + 1)},
        "description",
    ),
    ("lane.update", lambda ids: {"id": ids["lane"], "title": "x" * 201}, "title"),
    ("persona.create", lambda ids: {"name": "x" * (NAME_MAX_CHARS + 1)}, "name"),
    ("persona.create", lambda ids: {"name": "N", "quote": "x" * 10_001}, "quote"),
    ("board.update", lambda ids: {"title": "x" * (TITLE_MAX_CHARS + 1)}, "title"),
    # bad ids
    ("card.create", lambda ids: card_in_cell(ids, stage_id="stage-1"), "stage_id"),
    ("card.create", lambda ids: card_in_cell(ids, id="not-a-uuid"), "id"),
    ("card.move", lambda ids: {"id": ids["card"], "after": "card-2"}, "after"),
    ("stage.delete", lambda ids: {"id": ""}, "id"),
    # bad ordering keys
    ("stage.create", lambda ids: {"title": "Pay", "position": "!!"}, "position"),
    ("stage.move", lambda ids: {"id": ids["stage"], "position": ""}, "position"),
    ("card.move", lambda ids: {"id": ids["card"], "position": "a" + "0" * 64}, "position"),
    ("card.create", lambda ids: card_in_cell(ids, position=5), "position"),
    # out of range
    ("card.create", lambda ids: card_in_cell(ids, emotion_score=3), "emotion_score"),
    ("card.update", lambda ids: {"id": ids["card"], "emotion_score": -3}, "emotion_score"),
    ("card.update", lambda ids: {"id": ids["card"], "if_version": 0}, "if_version"),
    # unknown choices
    ("card.create", lambda ids: card_in_cell(ids, color="magenta"), "color"),
    ("card.create", lambda ids: card_in_cell(ids, channel="fax"), "channel"),
    (
        "card.update",
        lambda ids: {"id": ids["card"], "touchpoint_state": "maybe"},
        "touchpoint_state",
    ),
    ("lane.create", lambda ids: {"kind": "feelings", "title": "Row"}, "kind"),
    ("board.update", lambda ids: {"map_type": "dream_state"}, "map_type"),
    ("board.update", lambda ids: {"language": "de"}, "language"),
    # an avatar must be a stored upload, not any path
    ("persona.update", lambda ids: {"id": ids["persona"], "avatar": "../settings.py"}, "avatar"),
    # unknown fields (a typo must not be silently ignored)
    ("card.update", lambda ids: {"id": ids["card"], "colour": "red"}, "colour"),
    ("stage.create", lambda ids: {"title": "Pay", "after": None}, "after"),
]


@pytest.mark.parametrize(
    ("name", "build", "field"),
    BAD_ARGUMENTS,
    ids=[f"{name}-{field}-{n}" for n, (name, _, field) in enumerate(BAD_ARGUMENTS)],
)
def test_it_refuses_bad_arguments_naming_the_field(
    board: Board, alice: User, ids: Ids, name: str, build: Callable[[Ids], Any], field: str
) -> None:
    refused = refuse(board, alice, name, build(ids))

    assert refused.code == "invalid"
    assert refused.details is not None
    assert field in refused.details, refused.details
    assert all(isinstance(message, str) for message in refused.details[field])


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_it_refuses_an_unknown_field_on_every_op(board: Board, alice: User, name: str) -> None:
    refused = refuse(board, alice, name, {"surprise": 1})

    assert refused.code == "invalid"
    assert "surprise" in refused.details


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_it_names_every_missing_required_field_of_every_op(
    board: Board, alice: User, name: str
) -> None:
    required = {key for key, field in REGISTRY[name].args().fields.items() if field.required}
    if not required:
        pytest.skip(f"{name} has no required field")

    refused = refuse(board, alice, name, {})

    assert refused.code == "invalid"
    assert required <= set(refused.details)


@pytest.mark.parametrize("args", [[], "text", 5, None, ["stage_id"]])
def test_it_refuses_arguments_that_are_not_an_object(board: Board, alice: User, args: Any) -> None:
    refused = refuse(board, alice, "stage.create", args)

    assert refused.code == "invalid"


@pytest.mark.parametrize("name", ["card.explode", "", "card", "CARD.CREATE", "vote.add"])
def test_it_refuses_an_unknown_op_name(board: Board, alice: User, name: str) -> None:
    refused = refuse(board, alice, name, {})

    assert refused.code == "invalid"


def test_it_refuses_creating_an_object_with_an_id_that_is_already_taken(
    board: Board, alice: User, ids: Ids
) -> None:
    refused = refuse(board, alice, "stage.create", {"id": ids["stage"], "title": "Copycat"})

    assert refused.code == "invalid"
    assert board.stages.get(pk=ids["stage"]).title != "Copycat"


def test_it_refuses_a_card_in_a_stage_of_another_board(board: Board, alice: User, ids: Ids) -> None:
    other = board_create(owner=alice, title="Other journey", language="en")
    foreign_stage = apply_op(
        board_id=other.pk,
        actor=Actor.for_user(alice),
        name="stage.create",
        args={"title": "Elsewhere"},
    )

    refused = refuse(
        board, alice, "card.create", card_in_cell(ids, stage_id=foreign_stage.result["id"])
    )

    assert refused.code == "not_found"
