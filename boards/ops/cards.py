"""Ops on cards: the sticky notes in the cells of the map."""

from __future__ import annotations

import functools
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext as _
from rest_framework import serializers

from boards.models import (
    EMOTION_MAX,
    EMOTION_MIN,
    Card,
    CardColor,
    Channel,
    Guest,
    Lane,
    Role,
    Stage,
    TouchpointState,
)
from boards.ops import fields
from boards.ops.common import (
    CreateArgs,
    MoveArgs,
    TargetArgs,
    UpdateArgs,
    check_version,
    get_live,
    live_keys,
    place,
    save_change,
    set_deleted,
    update_fields,
)
from boards.ops.limits import CARD_TEXT_MAX_CHARS
from boards.ops.registry import OpContext, OpError, Outcome, register
from boards.rows import (
    Statement,
    database,
    insert_statement,
    model_columns,
    select_list,
    write,
)
from boards.wire import AUTHOR_NAME, card_data


class CardFields(serializers.Serializer):
    text = fields.TextField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=CARD_TEXT_MAX_CHARS
    )
    color = fields.ChoiceField(required=False, choices=CardColor.choices)
    emotion_score = fields.IntField(
        required=False, allow_null=True, min_value=EMOTION_MIN, max_value=EMOTION_MAX
    )
    channel = fields.ChoiceField(required=False, allow_blank=True, choices=Channel.choices)
    brand_controlled = fields.BoolField(required=False, allow_null=True)
    touchpoint_state = fields.ChoiceField(
        required=False, allow_blank=True, choices=TouchpointState.choices
    )
    moment_of_truth = fields.BoolField(required=False)


class CardCreateArgs(CreateArgs, CardFields):
    stage_id = fields.UUIDField()
    lane_id = fields.UUIDField()
    after = fields.UUIDField(required=False, allow_null=True)


class CardUpdateArgs(UpdateArgs, CardFields):
    pass


class CardMoveArgs(MoveArgs):
    stage_id = fields.UUIDField(required=False)
    lane_id = fields.UUIDField(required=False)


CELL_KEYS = ("id", "stage_id", "lane_id", "position", "after", "if_version")


def _cell_keys(ctx: OpContext, stage_id: Any, lane_id: Any, *, excluding: Any = None) -> list[str]:
    """The ordering keys of the cell's live cards, for placing a card among them. Only the
    keys: a cell can hold hundreds of cards, and building each as a model instance was most
    of a `card.create`'s cost (7.4 ms of CPU with 50-550 cards in the cell, 2.1 ms with the
    keys alone; SQLite, measured in one process)."""
    cell = Card.objects.filter(board=ctx.board, stage_id=stage_id, lane_id=lane_id)
    return live_keys(cell, excluding=excluding)


def _card(ctx: OpContext, card_id: uuid.UUID, *, deleted: bool = False) -> Card:
    """The board's card with this id, (not) deleted, with its author's name (`card_data`
    shows it), or not_found.

    One hand-written statement (boards/rows.py): every card op reads its card, and the ORM's
    building and compiling of this lookup with its two joins cost four times the lookup
    itself (about 540 against 120 us of CPU on SQLite, 800 against 270 us on PostgreSQL;
    measured in one process). A single op has already read it with the board's lock
    (`_read_card_ahead`)."""
    db = database()
    columns = model_columns(db, Card, 0)
    ahead = ctx.ahead
    if ahead is not None and ahead.key == card_id:
        rows = ahead.rows
    else:
        with db.cursor() as cursor:
            cursor.execute(*_card_query(db, ctx.board.pk, card_id))
            rows = cursor.fetchall()
    card = columns.instance(rows[0], db) if rows else None
    if card is None or card.deleted != deleted:
        raise OpError("not_found", _("This item does not exist or was deleted."))
    assert isinstance(card, Card)
    setattr(card, AUTHOR_NAME, rows[0][columns.end])
    return card


def _read_card_ahead(
    board_uuid: uuid.UUID, args: dict[str, Any]
) -> tuple[object, Statement] | None:
    """The card a card op names, to be read with the board's lock (`OpSpec.read_ahead`); from
    the op's raw arguments, so anything that is not an id reads nothing ahead."""
    try:
        card_id = uuid.UUID(str(args["id"]))
    except (KeyError, ValueError):
        return None
    return card_id, Statement(*_card_query(database(), board_uuid, card_id))


def _card_query(db: BaseDatabaseWrapper, board_id: Any, card_id: Any) -> tuple[str, list[Any]]:
    """The statement reading a board's card by id, deleted or not, and its parameters."""
    field = Card._meta.get_field
    params = [
        field("board").get_db_prep_value(board_id, db),
        field("id").get_db_prep_value(card_id, db),
    ]
    return _card_sql(db.vendor), params


@functools.cache
def _card_sql(vendor: str) -> str:
    """With table and column names from the models, quoted for this backend: the card's
    columns (`model_columns` order), then its author's name, which `card_data` reads instead
    of fetching the author."""
    quote = database().ops.quote_name
    user_model = get_user_model()

    def column(model: type[models.Model], name: str) -> str:
        return quote(model._meta.get_field(name).column)

    card, user, guest = (quote(m._meta.db_table) for m in (Card, user_model, Guest))
    return (
        f"SELECT {select_list(database(), Card, card)}, "
        f"COALESCE({user}.{column(user_model, user_model.USERNAME_FIELD)}, "
        f"{guest}.{column(Guest, 'display_name')}, '') "
        f"FROM {card} "
        f"LEFT JOIN {user} ON {user}.{column(user_model, 'id')} = {card}.{column(Card, 'author')} "
        f"LEFT JOIN {guest} ON {guest}.{column(Guest, 'id')} = "
        f"{card}.{column(Card, 'author_guest')} "
        f"WHERE {card}.{column(Card, 'board')} = %s AND {card}.{column(Card, 'id')} = %s"
    )


@register("card.create", min_role=Role.EDITOR, args=CardCreateArgs, batchable=True)
def card_create(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    card_id = args.get("id") or uuid.uuid4()
    _check_new_card(ctx, card_id, args["stage_id"], args["lane_id"])
    card = Card(
        id=card_id,
        board=ctx.board,
        stage_id=args["stage_id"],
        lane_id=args["lane_id"],
        position=place(
            _cell_keys(ctx, args["stage_id"], args["lane_id"]),
            args,
            lambda pk: get_live(Card, ctx, pk),
        ),
        author_id=ctx.actor.user_id,
        author_guest_id=ctx.actor.guest_id,
        **{k: v for k, v in args.items() if k not in CELL_KEYS},
    )
    write(insert_statement([card]))
    # The author is the sender: the card shows their name without reading it back.
    setattr(card, AUTHOR_NAME, ctx.actor.name)
    return dict(card_data(card)), None


def _check_new_card(ctx: OpContext, card_id: uuid.UUID, stage_id: Any, lane_id: Any) -> None:
    """not_found unless the stage and the lane are live on the board; invalid when the id is
    taken. One statement for the three (boards/rows.py): cards are created all through a
    workshop, and the three ORM lookups each cost a round trip and more CPU than running it.
    With the insert written by hand and the card not read back, a `card.create` went from 11
    round trips to 7 on PostgreSQL, and from 2.1 to 1.0 ms of CPU on SQLite, 2.9 to 1.6 ms on
    PostgreSQL (measured in one process)."""
    db = database()
    board = Card._meta.get_field("board").get_db_prep_value(ctx.board.pk, db)
    stage, lane, card = (
        model._meta.get_field("id").get_db_prep_value(value, db)
        for model, value in ((Stage, stage_id), (Lane, lane_id), (Card, card_id))
    )
    with db.cursor() as cursor:
        cursor.execute(_new_card_sql(db.vendor), [stage, board, False, lane, board, False, card])
        stage_live, lane_live, id_taken = cursor.fetchone()
    if not (stage_live and lane_live):
        raise OpError("not_found", _("This item does not exist or was deleted."))
    if id_taken:
        raise OpError("invalid", _("An item with this id already exists."))


@functools.cache
def _new_card_sql(vendor: str) -> str:
    quote = database().ops.quote_name

    def column(model: type[models.Model], name: str) -> str:
        return quote(model._meta.get_field(name).column)

    def row(model: type[models.Model], where: str) -> str:
        return f"EXISTS (SELECT 1 FROM {quote(model._meta.db_table)} WHERE {where})"

    def live(model: type[models.Model]) -> str:
        return row(
            model,
            f"{column(model, 'id')} = %s AND {column(model, 'board')} = %s "
            f"AND {column(model, 'deleted')} = %s",
        )

    taken = row(Card, f"{column(Card, 'id')} = %s")
    return f"SELECT {live(Stage)}, {live(Lane)}, {taken}"


@register(
    "card.update",
    min_role=Role.EDITOR,
    args=CardUpdateArgs,
    batchable=True,
    read_ahead=_read_card_ahead,
)
def card_update(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    card = _card(ctx, args["id"])
    check_version(card, args, card_data)
    before = update_fields(card, {k: v for k, v in args.items() if k not in CELL_KEYS})
    save_change(card, list(before))
    return dict(card_data(card)), before


@register(
    "card.move",
    min_role=Role.EDITOR,
    args=CardMoveArgs,
    batchable=True,
    read_ahead=_read_card_ahead,
)
def card_move(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    card = _card(ctx, args["id"])
    # Only the target cell's ids are needed: the card's own stage and lane are not fetched.
    stage_id = get_live(Stage, ctx, args["stage_id"]).pk if "stage_id" in args else card.stage_id
    lane_id = get_live(Lane, ctx, args["lane_id"]).pk if "lane_id" in args else card.lane_id
    siblings = _cell_keys(ctx, stage_id, lane_id, excluding=card.pk)
    position = place(siblings, args, lambda pk: get_live(Card, ctx, pk))
    before = update_fields(card, {"stage_id": stage_id, "lane_id": lane_id, "position": position})
    save_change(card, list(before))
    return dict(card_data(card)), before


@register(
    "card.delete",
    min_role=Role.EDITOR,
    args=TargetArgs,
    batchable=True,
    read_ahead=_read_card_ahead,
)
def card_delete(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    return set_deleted(_card(ctx, args["id"]), True, card_data)


@register(
    "card.restore",
    min_role=Role.EDITOR,
    args=TargetArgs,
    batchable=True,
    read_ahead=_read_card_ahead,
)
def card_restore(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    return set_deleted(_card(ctx, args["id"], deleted=True), False, card_data)
