"""`version.restore`: a whole version brought back in place, as one op.

It goes through `apply_op` like any change, so it has a seq, reaches everyone live, and is one
more step of the history rather than a rewrite of it. Nothing is removed: objects created
since the version are tombstoned, objects deleted since are brought back, and every field the
restore overwrites is kept in the op's `before`. Before changing anything it keeps the present
as a version ("Before restoring …"), so restoring that one undoes the restore.

Cards still private to their authors (a workshop's private writing) are left as they are.

Facilitators and owners may run it: it rewrites everyone's work at once, which is a decision
for whoever runs the workshop, not for any editor.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from boards.models import BoardObject, Card, Lane, Persona, Role, Stage
from boards.ops import fields
from boards.ops.common import save_change, update_fields
from boards.ops.registry import OpArgs, OpContext, OpError, Outcome, register
from boards.visibility import hidden_card_ids
from boards.wire import board_data, card_data, lane_data, persona_data, stage_data
from history.models import Version, VersionKind
from history.services import version_create

BOARD_FIELDS = ("title", "goal", "map_type")
RESTORED = (
    ("stages", Stage, ("title", "description", "position", "deleted"), stage_data),
    ("lanes", Lane, ("kind", "title", "position", "deleted"), lane_data),
    (
        "personas",
        Persona,
        (
            "name",
            "role",
            "demographics",
            "goals",
            "needs",
            "frustrations",
            "behaviours",
            "quote",
            "position",
            "deleted",
        ),
        persona_data,
    ),
    (
        "cards",
        Card,
        (
            "stage_id",
            "lane_id",
            "text",
            "color",
            "emotion_score",
            "channel",
            "brand_controlled",
            "touchpoint_state",
            "moment_of_truth",
            "position",
            "deleted",
        ),
        card_data,
    ),
)
FOREIGN_KEYS = {"stage_id", "lane_id"}


class VersionRestoreArgs(OpArgs):
    version_id = fields.UUIDField()


def _wanted(item: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: uuid.UUID(item[name]) if name in FOREIGN_KEYS else item[name] for name in names}


def _restore_list(
    ctx: OpContext,
    target: list[dict[str, Any]],
    model: type[BoardObject],
    names: tuple[str, ...],
    to_data: Callable[[Any], Any],
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Every object of one kind back to its state in `target`; what changed, and what the
    change overwrote (the op's `before`), by id."""
    by_id = {item["id"]: item for item in target}
    queryset = model._default_manager.filter(board=ctx.board)
    if model is Card:
        # Cards still private to their authors (private writing) are left alone: the restore
        # reaches everyone, and it must neither show them nor take them from their authors.
        private = hidden_card_ids(ctx.board.pk, None)
        queryset = queryset.exclude(pk__in=private).select_related("author", "author_guest")
    changed: list[dict[str, Any]] = []
    before: dict[str, dict[str, Any]] = {}
    for obj in queryset:
        item = by_id.get(str(obj.pk))
        # Created after the version: it goes, as a tombstone the log can still bring back.
        wanted = _wanted(item, names) if item is not None else {"deleted": True}
        overwritten = update_fields(obj, wanted)
        if overwritten:
            save_change(obj, list(overwritten))
            changed.append(dict(to_data(obj)))
            before[str(obj.pk)] = overwritten
    return changed, before


@register("version.restore", min_role=Role.FACILITATOR, args=VersionRestoreArgs)
def version_restore(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    version = (
        Version.objects.filter(board=ctx.board, pk=args["version_id"])
        .select_related("snapshot")
        .first()
    )
    if version is None:
        raise OpError("not_found", _("This version does not exist."))
    with translation.override(ctx.board.language):
        name = _("Before restoring “%(name)s”") % {"name": version.name}
    # The board row is locked and its new seq not yet saved: this is the state at seq - 1.
    kept = version_create(
        board_id=ctx.board.pk,
        name=name,
        kind=VersionKind.BEFORE_RESTORE,
        user_id=ctx.actor.user_id,
    )
    state = version.snapshot.state
    changes: dict[str, Any] = {}
    before: dict[str, Any] = {}
    for plural, model, names, to_data in RESTORED:
        changes[plural], before[plural] = _restore_list(ctx, state[plural], model, names, to_data)
    board_before = update_fields(ctx.board, {name: state["board"][name] for name in BOARD_FIELDS})
    ctx.board.save(update_fields=list(board_before))
    before["board"] = board_before
    changes["board"] = board_data(ctx.board)
    result = {
        "version_id": str(version.pk),
        "name": version.name,
        "before_version_id": str(kept.pk),
        "changes": changes,
    }
    return result, before
