"""The catalogue of ops: each name maps to the least role allowed to run it, the serializer
that validates its arguments, and the handler that applies it."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from boards.models import Board, Role
from boards.permissions import Actor
from boards.protocol import ErrorCode
from boards.rows import Statement


class OpError(Exception):
    """A change that was refused; nothing was written. `message` is in the user's language."""

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        *,
        details: dict[str, Any] | None = None,
        current: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code: ErrorCode = code
        self.message = message
        self.details = details
        self.current = current

    def __reduce__(self) -> tuple[Any, ...]:
        # Refusals cross from the apply process to the server (boards.live.apply_worker);
        # the default would call __init__ with `message` alone.
        return (_op_error, (type(self), self.code, self.message, self.details, self.current))


def _op_error(
    kind: type[OpError],
    code: ErrorCode,
    message: str,
    details: dict[str, Any] | None,
    current: dict[str, Any] | None,
) -> OpError:
    return kind(code, message, details=details, current=current)


@dataclass(frozen=True)
class ReadAhead:
    """Rows an op's handler will read, read with the board's lock (`OpSpec.read_ahead`): what
    `statement` returned, for the `key` it was built from."""

    key: object
    rows: list[tuple[Any, ...]]


@dataclass(frozen=True)
class OpContext:
    board: Board  # locked for the length of the transaction
    actor: Actor
    role: Role
    ahead: ReadAhead | None = None


# A handler returns the object after the change, and what the change overwrote (None for a
# creation), which the op log keeps so any change can be undone or restored.
Outcome = tuple[dict[str, Any], dict[str, Any] | None]
Handler = Callable[[OpContext, dict[str, Any]], Outcome]
# From the board's key and an op's raw arguments: the key of what it reads, and the statement.
ReadAheadFactory = Callable[[uuid.UUID, dict[str, Any]], tuple[object, Statement] | None]


class OpArgs(serializers.Serializer):
    """Arguments of an op. Unknown keys are refused so a typo is not silently ignored."""

    def to_internal_value(self, data: Any) -> Any:
        errors: dict[str, Any] = {}
        if isinstance(data, dict):
            errors.update({name: [_("Unknown field.")] for name in set(data) - set(self.fields)})
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            errors.update(error.detail if isinstance(error.detail, dict) else {})
        if errors:
            raise serializers.ValidationError(errors)
        return value


@dataclass(frozen=True)
class OpSpec:
    name: str
    min_role: Role
    args: type[OpArgs]
    handler: Handler
    # Ops that still work on an archived board (un-archiving it, to begin with).
    allowed_when_archived: bool = False
    # Ops that may share a transaction with the ops around them (`apply_ops`): those that
    # change neither the board row nor a row read with it (`boards.ops.hooks`), which the
    # next op of the transaction would otherwise see as it was before.
    batchable: bool = False
    # The read the handler starts with, from the op's raw arguments (None when they name
    # nothing readable), sent with the board's lock: one round trip less on PostgreSQL. The
    # handler finds its rows in `OpContext.ahead` and checks them against its valid arguments.
    read_ahead: ReadAheadFactory | None = None


REGISTRY: dict[str, OpSpec] = {}


def register(
    name: str,
    *,
    min_role: Role,
    args: type[OpArgs],
    allowed_when_archived: bool = False,
    batchable: bool = False,
    read_ahead: ReadAheadFactory | None = None,
) -> Callable[[Handler], Handler]:
    def decorate(handler: Handler) -> Handler:
        if name in REGISTRY:
            raise RuntimeError(f"op {name} registered twice")
        REGISTRY[name] = OpSpec(
            name, min_role, args, handler, allowed_when_archived, batchable, read_ahead
        )
        return handler

    return decorate


_bound_args = threading.local()


def validate_args(spec: OpSpec, args: dict[str, Any]) -> dict[str, Any]:
    """The op's arguments as its serializer validates them, or OpError("invalid") naming the
    fields at fault.

    A new DRF serializer deep-copies all its declared fields before it can validate anything:
    about a tenth of a card edit's CPU in apply_op (profiled in one process). Validating holds
    no state on the serializer beyond what `is_valid` stores, so each thread keeps one bound
    instance per op."""
    validators: dict[str, OpArgs] = _bound_args.__dict__
    validator = validators.get(spec.name)
    if validator is None:
        validator = validators[spec.name] = spec.args()
    try:
        return validator.run_validation(args)
    except serializers.ValidationError as error:
        detail = error.detail if isinstance(error.detail, dict) else {"*": error.detail}
        raise OpError(
            "invalid", _("Some fields are not valid."), details=error_details(detail)
        ) from None


def error_details(errors: Mapping[str, Any]) -> dict[str, list[str]]:
    """DRF's error dict as plain JSON: field name -> messages."""
    return {
        name: [str(message) for message in (messages if isinstance(messages, list) else [messages])]
        for name, messages in errors.items()
    }


def jsonable(values: dict[str, Any]) -> dict[str, Any]:
    """Validated args with UUIDs as strings, ready for the op log and the wire."""
    return {
        key: str(value) if isinstance(value, uuid.UUID) else value for key, value in values.items()
    }
