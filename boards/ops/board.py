"""Ops on the board itself: its title, goal and type, and archiving."""

from __future__ import annotations

from typing import Any

from boards.models import Language, MapType, Role
from boards.ops import fields
from boards.ops.common import update_fields
from boards.ops.limits import LONG_TEXT_MAX_CHARS, TITLE_MAX_CHARS
from boards.ops.registry import OpArgs, OpContext, Outcome, register
from boards.wire import board_data


class BoardUpdateArgs(OpArgs):
    title = fields.TextField(required=False, max_length=TITLE_MAX_CHARS)
    goal = fields.TextField(required=False, allow_blank=True, max_length=LONG_TEXT_MAX_CHARS)
    map_type = fields.ChoiceField(required=False, choices=MapType.choices)
    language = fields.ChoiceField(required=False, choices=Language.choices)


class BoardArchiveArgs(OpArgs):
    archived = fields.BoolField()


def _save_board(ctx: OpContext, changes: dict[str, Any]) -> Outcome:
    before = update_fields(ctx.board, changes)
    # seq and updated_at are saved by the pipeline; the changed fields are saved here.
    ctx.board.save(update_fields=list(before))
    return dict(board_data(ctx.board)), before


@register("board.update", min_role=Role.FACILITATOR, args=BoardUpdateArgs)
def board_update(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    return _save_board(ctx, args)


@register("board.archive", min_role=Role.OWNER, args=BoardArchiveArgs, allowed_when_archived=True)
def board_archive(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    return _save_board(ctx, {"archived": args["archived"]})
