"""`apply_op`: the one place where board content changes.

Websockets, REST views, importers, templates and admin actions all call it. In one transaction
it locks the board row, checks the actor's role, validates the arguments, applies the change,
takes the board's next seq and appends the op to the log; after commit it hands the op, encoded
once, to the board's live subscribers.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from boards.live.bus import publish_ops
from boards.models import Board, Op, Role
from boards.ops.board_row import lock_board, save_seq_and_log
from boards.ops.hooks import audience_of, check_guards
from boards.ops.registry import (
    REGISTRY,
    OpContext,
    OpError,
    OpSpec,
    ReadAhead,
    jsonable,
    validate_args,
)
from boards.permissions import Actor, role_with_membership, roles_on_board
from boards.protocol import ActorData, OpMessage
from boards.rows import holding_writes
from boards.unique import unique_row


@dataclass(frozen=True)
class AppliedOp:
    board_id: str
    seq: int
    client_op_id: str
    name: str
    args: dict[str, Any]
    result: dict[str, Any]
    actor: ActorData
    # True when the client op id had been applied before: nothing was applied this time.
    duplicate: bool = field(default=False, compare=False)
    # The one participant who may see this op (boards.ops.hooks); None: the whole board.
    audience: str | None = field(default=None, compare=False)

    @property
    def message(self) -> OpMessage:
        return {
            "type": "op",
            "seq": self.seq,
            "id": self.client_op_id,
            "actor": self.actor,
            "op": self.name,
            "args": self.args,
            "result": self.result,
        }

    @cached_property
    def frame(self) -> str:
        """The text every participant receives, encoded once for all of them."""
        return encode_frame(self.message)

    def hidden(self) -> AppliedOp:
        """What a participant outside the op's audience receives at its seq: nothing but the
        seq, so their log stays gapless and learns nothing of the content or its author."""
        return AppliedOp(
            board_id=self.board_id,
            seq=self.seq,
            client_op_id=HIDDEN_OP_ID,
            name=HIDDEN_OP_NAME,
            args={},
            result={},
            actor={"id": None, "name": ""},
        )

    @classmethod
    def from_log(cls, op: Op, *, duplicate: bool = False) -> AppliedOp:
        return cls(
            board_id=str(op.board_id),
            seq=op.seq,
            client_op_id=str(op.client_op_id),
            name=op.name,
            args=op.args,
            result=op.result,
            actor={"id": _actor_id(op), "name": op.actor_name},
            duplicate=duplicate,
        )


HIDDEN_OP_NAME = "hidden"
HIDDEN_OP_ID = "00000000-0000-0000-0000-000000000000"


def encode_frame(message: Any) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


def _actor_id(op: Op) -> str | None:
    if op.actor_id is not None:
        return f"u:{op.actor_id}"
    if op.actor_guest_id is not None:
        return f"g:{op.actor_guest_id}"
    return None


def _same_actor(op: Op, actor: Actor) -> bool:
    return op.actor_id == actor.user_id and op.actor_guest_id == actor.guest_id


def parse_client_op_id(value: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise OpError("bad_message", _("The op id must be a UUID.")) from None


def apply_op(
    *,
    board_id: uuid.UUID | str,
    actor: Actor,
    name: str,
    args: dict[str, Any],
    client_op_id: uuid.UUID | str | None = None,
) -> AppliedOp:
    """Apply one change to a board, or raise OpError having written nothing."""
    spec = _spec_for(name, args)
    op_id = _op_id(client_op_id)
    board_uuid = _board_key(board_id)
    try:
        return _apply(spec, board_uuid, actor, args, op_id)
    except _NoAccess:
        raise
    except (OpError, IntegrityError) as failure:
        # A resend of an op already applied fails somewhere on its way (its id is unique per
        # board, and often what it creates exists): only now is the log asked, so the common
        # case of a new op does not pay a lookup. A resend by its author is acknowledged with
        # the original result even if their role has changed since (it was applied when they
        # sent it); anyone else reusing the id gets the refusal of the checks, or is told the
        # id is taken.
        earlier = unique_row(Op.objects.filter(board_id=board_uuid, client_op_id=op_id))
        if earlier is not None and _same_actor(earlier, actor):
            return AppliedOp.from_log(earlier, duplicate=True)
        if isinstance(failure, _NotAllowed):
            raise
        if earlier is not None:
            raise OpError("invalid", _("This op id was already used by someone else.")) from None
        if isinstance(failure, OpError):
            raise
        # The handlers check what they can; a constraint that still trips (a client reusing
        # an id of another object, say) is the client's mistake, not a server error.
        raise OpError("invalid", _("This change conflicts with the board's content.")) from failure


@dataclass(frozen=True)
class OpRequest:
    """One op as a participant sent it, waiting to be applied with others (`apply_ops`)."""

    actor: Actor
    name: str
    args: dict[str, Any]
    client_op_id: str | None = None
    # The sender's language, for the messages of a refusal.
    language: str | None = None


# Ops applied in one transaction at most: bounds how long the board stays locked.
MAX_OPS_TOGETHER = 50


def apply_ops(
    board_id: uuid.UUID | str, requests: Sequence[OpRequest]
) -> list[AppliedOp | Exception]:
    """Apply a board's waiting ops in order, each with the outcome `apply_op` would give it
    alone (the op applied, or the exception it raised), in as few transactions as it can.

    Under load most of an op's cost is fixed: the transaction, the board row's lock and read,
    the seq update, the commit, and on PostgreSQL a round trip for each. Runs of ops that may
    share a transaction (`OpSpec.batchable`) pay them once. If any op of a run fails, the run
    is rolled back and applied again around it, the failing op alone through `apply_op`, so
    a refusal, a resend or a conflict gets exactly the answer it would get alone and the
    others are not held back by it."""
    outcomes: list[AppliedOp | Exception] = []
    start = 0
    while start < len(requests):
        run = _run_from(requests, start)
        if len(run) == 1:
            outcomes.append(_apply_alone(board_id, run[0]))
        else:
            outcomes.extend(_apply_together(board_id, run))
        start += len(run)
    return outcomes


def _run_from(requests: Sequence[OpRequest], start: int) -> Sequence[OpRequest]:
    """The longest run of ops from `start` that may share one transaction (at least one op)."""
    end = start
    while end < len(requests) and end - start < MAX_OPS_TOGETHER and _batchable(requests[end]):
        end += 1
    return requests[start : max(end, start + 1)]


def _batchable(request: OpRequest) -> bool:
    spec = REGISTRY.get(request.name)
    return spec is not None and spec.batchable


def _apply_alone(board_id: uuid.UUID | str, request: OpRequest) -> AppliedOp | Exception:
    language = translation.override(request.language) if request.language else nullcontext()
    try:
        with language:
            return apply_op(
                board_id=board_id,
                actor=request.actor,
                name=request.name,
                args=request.args,
                client_op_id=request.client_op_id,
            )
    except Exception as failure:  # handed to the op's sender, like any other outcome
        return failure


class _RunFailed(Exception):
    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


def _apply_together(
    board_id: uuid.UUID | str, run: Sequence[OpRequest]
) -> list[AppliedOp | Exception]:
    try:
        return list(_apply_run(board_id, run))
    except _RunFailed as failed:
        # Rolled back: nothing of the run was written. The ops before the failing one
        # succeeded and are tried together again (the board may have changed meanwhile, so
        # they may fail in turn: each retry is shorter); the failing one gets its own answer.
        index = failed.index
        return [
            *apply_ops(board_id, run[:index]),
            _apply_alone(board_id, run[index]),
            *apply_ops(board_id, run[index + 1 :]),
        ]


def _apply_run(board_id: uuid.UUID | str, run: Sequence[OpRequest]) -> list[AppliedOp]:
    """The run in one transaction, or _RunFailed naming the first op that failed."""
    applied: list[AppliedOp] = []
    entries: list[Op] = []
    try:
        with transaction.atomic(), holding_writes():
            board_uuid = _board_key(board_id)
            found = lock_board(board_uuid)
            board = found.board if found else None
            roles = roles_on_board(board_uuid, {r.actor for r in run}) if board else {}
            for request in run:
                actor = request.actor
                spec = _spec_for(request.name, request.args)
                op_id = _op_id(request.client_op_id)
                locked, role = _check_access(board, roles.get(actor), spec)
                done, entry = _apply_locked(spec, locked, actor, role, request.args, op_id)
                applied.append(done)
                entries.append(entry)
            assert board is not None  # _check_access said so
            # The log's unique (board, client op id) refuses a resend; `_blamed` finds it.
            save_seq_and_log(board, entries)
            published = tuple(applied)
            transaction.on_commit(lambda: publish_ops(published))
        return applied
    except Exception as failure:
        raise _RunFailed(_blamed(board_id, run, len(applied), failure)) from failure


def _blamed(
    board_id: uuid.UUID | str, run: Sequence[OpRequest], got_through: int, failure: Exception
) -> int:
    """The op a failed run is blamed on: the one that raised; past the last op, the first
    whose id the log already has (or that comes twice); else the last, so the others are
    tried together again."""
    if got_through < len(run):
        return got_through
    if isinstance(failure, IntegrityError):
        ids = [_op_id_or_none(request.client_op_id) for request in run]
        logged = set(
            Op.objects.filter(
                board_id=board_id, client_op_id__in=[i for i in ids if i]
            ).values_list("client_op_id", flat=True)
        )
        for index, op_id in enumerate(ids):
            if op_id is not None and (op_id in logged or op_id in ids[:index]):
                return index
    return len(run) - 1


def _op_id(client_op_id: object) -> uuid.UUID:
    """The client's op id, or a new one for a write that has none (REST, admin, imports)."""
    return uuid.uuid4() if client_op_id is None else parse_client_op_id(client_op_id)


def _op_id_or_none(client_op_id: str | None) -> uuid.UUID | None:
    try:
        return None if client_op_id is None else uuid.UUID(str(client_op_id))
    except ValueError:
        return None


class _NoAccess(OpError):
    """The board does not exist or is not shared with the actor: said before anything else,
    a resend included."""


class _NotAllowed(OpError):
    """The actor's role or the board's state forbids the op: said before a taken op id."""


def _spec_for(name: str, args: object) -> OpSpec:
    spec = REGISTRY.get(name)
    if spec is None:
        raise OpError("invalid", _("Unknown operation “%(name)s”.") % {"name": name})
    if not isinstance(args, dict):
        raise OpError("invalid", _("The arguments of an operation must be an object."))
    return spec


def _board_key(board_id: uuid.UUID | str) -> uuid.UUID:
    try:
        return uuid.UUID(str(board_id))
    except ValueError:
        raise OpError(
            "not_found", _("This board does not exist or is not shared with you.")
        ) from None


def _check_access(board: Board | None, role: Role | None, spec: OpSpec) -> tuple[Board, Role]:
    """The locked board and the actor's role on it, if they may apply this op."""
    if board is None or role is None:
        raise _NoAccess("not_found", _("This board does not exist or is not shared with you."))
    if not role.includes(spec.min_role):
        raise _NotAllowed("forbidden", _("Your role on this board does not allow this change."))
    if board.archived and not spec.allowed_when_archived:
        raise _NotAllowed("forbidden", _("This board is archived and can no longer be changed."))
    return board, role


def _apply(
    spec: OpSpec, board_uuid: uuid.UUID, actor: Actor, args: dict[str, Any], op_id: uuid.UUID
) -> AppliedOp:
    """apply_op's transaction; raises OpError, or IntegrityError when a unique key trips.
    The op's own writes go with its seq and log entry (`holding_writes`)."""
    read_ahead = spec.read_ahead(board_uuid, args) if spec.read_ahead else None
    with transaction.atomic(), holding_writes():
        found = lock_board(
            board_uuid,
            member=actor.user_id,
            read_ahead=read_ahead[1] if read_ahead else None,
        )
        board, role = _check_access(
            found.board if found else None,
            role_with_membership(board_uuid, actor, found.member_role) if found else None,
            spec,
        )
        assert found is not None  # _check_access said so
        ahead = (
            ReadAhead(read_ahead[0], found.ahead)
            if read_ahead and found.ahead is not None
            else None
        )
        applied, entry = _apply_locked(spec, board, actor, role, args, op_id, ahead)
        save_seq_and_log(board, [entry])
        transaction.on_commit(lambda: publish_ops([applied]))
        return applied


def _apply_locked(
    spec: OpSpec,
    board: Board,
    actor: Actor,
    role: Role,
    args: dict[str, Any],
    op_id: uuid.UUID,
    ahead: ReadAhead | None = None,
) -> tuple[AppliedOp, Op]:
    """One op on the locked board: validated, guarded and applied at the board's next seq
    (kept on `board`). Returns the op, and its log entry for the caller to save with the seq,
    and to publish once it commits."""
    valid = validate_args(spec, args)
    context = OpContext(board, actor, role, ahead)
    check_guards(context, spec.name, valid)
    board.seq += 1
    result, before = spec.handler(context, valid)
    entry = Op(
        board=board,
        seq=board.seq,
        client_op_id=op_id,
        actor_id=actor.user_id,
        actor_guest_id=actor.guest_id,
        actor_name=actor.name,
        name=spec.name,
        args=jsonable(valid),
        result=result,
        before=before,
    )
    audience = audience_of(context, spec.name, valid, result)
    return replace(AppliedOp.from_log(entry), audience=audience), entry
