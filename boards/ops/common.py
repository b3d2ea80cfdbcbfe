"""Building blocks shared by the op handlers: finding a live object, compare-and-set,
field-level updates that remember what they overwrote, and placement by fractional key."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from boards import ordering
from boards.models import BoardObject
from boards.ops.fields import IntField, PositionField, UUIDField
from boards.ops.registry import OpArgs, OpContext, OpError, Outcome, register
from boards.rows import update_row
from boards.unique import unique_row

T = TypeVar("T", bound=BoardObject)


class CreateArgs(OpArgs):
    # Clients choose the id of what they create so they can refer to it before the ack.
    id = UUIDField(required=False)
    position = PositionField(required=False)


class TargetArgs(OpArgs):
    id = UUIDField()


class UpdateArgs(TargetArgs):
    if_version = IntField(required=False, min_value=1)


class MoveArgs(TargetArgs):
    """Either an explicit ordering key, or the sibling to come after (null: first place)."""

    position = PositionField(required=False)
    after = UUIDField(required=False, allow_null=True)


def get_live(model: type[T], ctx: OpContext, object_id: uuid.UUID, *, deleted: bool = False) -> T:
    """The board's object with this id; not_found when missing, or when it is (not) deleted."""
    found = unique_row(
        model._default_manager.filter(board=ctx.board, pk=object_id, deleted=deleted)
    )
    if found is None:
        raise OpError("not_found", _("This item does not exist or was deleted."))
    return found


def check_version(obj: BoardObject, args: dict[str, Any], to_data: Callable[[Any], dict]) -> None:
    expected = args.get("if_version")
    if expected is not None and expected != obj.version:
        raise OpError(
            "conflict",
            _("Someone changed this item in the meantime."),
            current=to_data(obj),
        )


def ensure_new_id(model: type[BoardObject], args: dict[str, Any]) -> uuid.UUID:
    object_id = args.get("id") or uuid.uuid4()
    if model._default_manager.filter(pk=object_id).exists():
        raise OpError("invalid", _("An item with this id already exists."))
    return object_id


def _loggable(value: Any) -> Any:
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def update_fields(obj: models.Model, changes: dict[str, Any]) -> dict[str, Any]:
    """Set the fields that actually change; return their old values (the op's `before`)."""
    before: dict[str, Any] = {}
    for name, value in changes.items():
        old = getattr(obj, name)
        if old != value:
            before[name] = _loggable(old)
            setattr(obj, name, value)
    return before


def save_change(obj: BoardObject, changed: Sequence[str]) -> None:
    obj.version += 1
    update_row(obj, [*changed, "version", "updated_at"])


def set_deleted(obj: T, deleted: bool, to_data: Callable[[T], Any]) -> Outcome:
    """Deletes are tombstones: the row stays, so the op log can restore it and a late update
    from another participant is refused instead of bringing it back."""
    before = update_fields(obj, {"deleted": deleted})
    save_change(obj, list(before))
    return dict(to_data(obj)), before


def live_keys(siblings: models.QuerySet[Any], *, excluding: Any = None) -> list[str]:
    """The ordering keys of the live objects among `siblings` (but `excluding`): all that
    placing one among them needs, without building a model instance per sibling."""
    siblings = siblings.filter(deleted=False)
    if excluding is not None:
        siblings = siblings.exclude(pk=excluding)
    return list(siblings.values_list("position", flat=True))


def place(keys: Sequence[str], args: dict[str, Any], lookup: Callable[[uuid.UUID], Any]) -> str:
    """The ordering key an op asks for: explicit, after a sibling, or at the end; `keys` are
    the siblings' keys, `lookup` finds the sibling named by `after`."""
    if args.get("position"):
        return args["position"]
    if "after" in args:
        anchor = lookup(args["after"]) if args["after"] is not None else None
        return ordering.position_after(keys, None if anchor is None else anchor.position)
    return ordering.position_at_end(keys)


def register_ordered_object_ops(
    prefix: str,
    *,
    model: type[T],
    to_data: Callable[[T], dict[str, Any]],
    create_args: type[CreateArgs],
    update_args: type[UpdateArgs],
    min_role: Any,
) -> None:
    """create/update/move/delete/restore for a board-level ordered list (stages, lanes,
    personas): the same five ops, the same rules, one implementation."""

    def sibling_keys(ctx: OpContext, *, excluding: Any = None) -> list[str]:
        return live_keys(model._default_manager.filter(board=ctx.board), excluding=excluding)

    def create(ctx: OpContext, args: dict[str, Any]) -> Outcome:
        fields = {k: v for k, v in args.items() if k not in ("id", "position", "after")}
        obj = model(
            id=ensure_new_id(model, args),
            board=ctx.board,
            position=place(sibling_keys(ctx), args, lambda pk: get_live(model, ctx, pk)),
            **fields,
        )
        obj.save(force_insert=True)
        return to_data(obj), None

    def update(ctx: OpContext, args: dict[str, Any]) -> Outcome:
        obj = get_live(model, ctx, args["id"])
        check_version(obj, args, to_data)
        changes = {k: v for k, v in args.items() if k not in ("id", "if_version")}
        before = update_fields(obj, changes)
        save_change(obj, list(before))
        return to_data(obj), before

    def move(ctx: OpContext, args: dict[str, Any]) -> Outcome:
        obj = get_live(model, ctx, args["id"])
        others = sibling_keys(ctx, excluding=obj.pk)
        before = update_fields(
            obj, {"position": place(others, args, lambda pk: get_live(model, ctx, pk))}
        )
        save_change(obj, list(before))
        return to_data(obj), before

    def delete(ctx: OpContext, args: dict[str, Any]) -> Outcome:
        return set_deleted(get_live(model, ctx, args["id"]), True, to_data)

    def restore(ctx: OpContext, args: dict[str, Any]) -> Outcome:
        return set_deleted(get_live(model, ctx, args["id"], deleted=True), False, to_data)

    # They change only their own rows: any number of them may share a transaction.
    for name, args, handler in (
        ("create", create_args, create),
        ("update", update_args, update),
        ("move", MoveArgs, move),
        ("delete", TargetArgs, delete),
        ("restore", TargetArgs, restore),
    ):
        register(f"{prefix}.{name}", min_role=min_role, args=args, batchable=True)(handler)
