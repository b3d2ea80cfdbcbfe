"""Ops on cards: the sticky notes in the cells of the map."""

from __future__ import annotations

import uuid
from typing import Any

from rest_framework import serializers

from boards.models import (
    EMOTION_MAX,
    EMOTION_MIN,
    Card,
    CardColor,
    Channel,
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
    ensure_new_id,
    get_live,
    place,
    save_change,
    set_deleted,
    update_fields,
)
from boards.ops.limits import CARD_TEXT_MAX_CHARS
from boards.ops.registry import OpContext, Outcome, register
from boards.wire import card_data


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


def _cell_cards(ctx: OpContext, stage: Stage, lane: Lane, *, excluding: Any = None) -> list[Card]:
    cards = Card.objects.filter(board=ctx.board, stage=stage, lane=lane, deleted=False)
    return list(cards.exclude(pk=excluding) if excluding else cards)


def _card(ctx: OpContext, card_id: uuid.UUID, *, deleted: bool = False) -> Card:
    # card_data shows the author's name; fetch it with the card rather than one query later.
    return get_live(Card, ctx, card_id, deleted=deleted, related=("author", "author_guest"))


@register("card.create", min_role=Role.EDITOR, args=CardCreateArgs, batchable=True)
def card_create(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    stage = get_live(Stage, ctx, args["stage_id"])
    lane = get_live(Lane, ctx, args["lane_id"])
    card = Card(
        id=ensure_new_id(Card, args),
        board=ctx.board,
        stage=stage,
        lane=lane,
        position=place(_cell_cards(ctx, stage, lane), args, lambda pk: get_live(Card, ctx, pk)),
        author_id=ctx.actor.user_id,
        author_guest_id=ctx.actor.guest_id,
        **{k: v for k, v in args.items() if k not in CELL_KEYS},
    )
    card.save(force_insert=True)
    return dict(card_data(_card(ctx, card.pk))), None


@register("card.update", min_role=Role.EDITOR, args=CardUpdateArgs, batchable=True)
def card_update(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    card = _card(ctx, args["id"])
    check_version(card, args, card_data)
    before = update_fields(card, {k: v for k, v in args.items() if k not in CELL_KEYS})
    save_change(card, list(before))
    return dict(card_data(card)), before


@register("card.move", min_role=Role.EDITOR, args=CardMoveArgs, batchable=True)
def card_move(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    card = _card(ctx, args["id"])
    stage = get_live(Stage, ctx, args["stage_id"]) if "stage_id" in args else card.stage
    lane = get_live(Lane, ctx, args["lane_id"]) if "lane_id" in args else card.lane
    siblings = _cell_cards(ctx, stage, lane, excluding=card.pk)
    position = place(siblings, args, lambda pk: get_live(Card, ctx, pk))
    before = update_fields(card, {"stage_id": stage.pk, "lane_id": lane.pk, "position": position})
    save_change(card, list(before))
    return dict(card_data(card)), before


@register("card.delete", min_role=Role.EDITOR, args=TargetArgs, batchable=True)
def card_delete(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    return set_deleted(_card(ctx, args["id"]), True, card_data)


@register("card.restore", min_role=Role.EDITOR, args=TargetArgs, batchable=True)
def card_restore(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    return set_deleted(_card(ctx, args["id"], deleted=True), False, card_data)
