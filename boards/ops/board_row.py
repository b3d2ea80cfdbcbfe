"""The board row every op starts from and ends with, in hand-written statements (boards/rows.py
says how and why): locked and read with what the hooks read beside it and the sender's
membership; then its seq moved on, with the log entries of the ops applied.

Every op of every board pays for these. Written by the ORM, the locked read with the workshop
joined cost 425 us of CPU on SQLite and 594 us on PostgreSQL, against 51 and 118 us written
out; the seq update 151 / 263 us against 22 / 88 (one process, 2,000 of each). On PostgreSQL
each query is also a round trip: the membership read in the lock's statement, a card op's card
read in the same query (`read_ahead`), and the op's write, the seq update and the log entries
sent together (`rows.holding_writes`) bring a card edit from eight to four (BEGIN, the lock
with the card, the writes, COMMIT); BEGIN sent with the lock and COMMIT with the writes, to
two (boards/rows.py).
"""

from __future__ import annotations

import uuid
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import OneToOneRel

from boards.models import Board, Membership, Op
from boards.ops.hooks import board_relations
from boards.rows import (
    ModelColumns,
    Statement,
    database,
    fetch_together,
    insert_statement,
    model_columns,
    run_together,
    select_list,
    update_statement,
)


@dataclass(frozen=True)
class LockedBoard:
    board: Board
    # The role of the membership `lock_board` was asked about, None when the user has none.
    member_role: str | None = None
    # The rows of the statement `lock_board` was asked to read with the lock.
    ahead: list[tuple[Any, ...]] | None = None


@dataclass(frozen=True)
class _LockStatement:
    relation_names: tuple[str, ...]
    sql: str
    board: ModelColumns
    relations: tuple[tuple[OneToOneRel, ModelColumns], ...]


# Built once per database connection (the converters are its backend's methods), with and
# without a membership to read.
_statements: weakref.WeakKeyDictionary[BaseDatabaseWrapper, dict[bool, _LockStatement]] = (
    weakref.WeakKeyDictionary()
)


def lock_board(
    board_uuid: uuid.UUID, *, member: int | None = None, read_ahead: Statement | None = None
) -> LockedBoard | None:
    """The board, locked until the transaction ends, with its `board_relations()` read in the
    same statement, with the role of user `member`'s membership if asked, and the rows of
    `read_ahead` (a read that waits for the lock, sent with it); None if there is no such
    board.

    The lock serialises every write to the board's content: seqs come out gapless and in
    commit order, and handlers may read-modify-write its objects. On PostgreSQL it is the
    row's (`FOR UPDATE OF` the board only); SQLite's write transaction (IMMEDIATE, see the
    settings) already excludes every other writer. The membership comes in the same statement
    because every op asks for its sender's role next: one round trip less on PostgreSQL."""
    db = database()
    statement = _lock_statement(db, with_member=member is not None)
    params = [Board._meta.pk.get_db_prep_value(board_uuid, db)]
    if member is not None:
        params.insert(0, member)  # the join's condition comes before the WHERE clause
    lock = Statement(statement.sql, params)
    found = fetch_together([lock] if read_ahead is None else [lock, read_ahead])
    if not found[0]:
        return None
    row = found[0][0]
    board = statement.board.instance(row, db)
    assert isinstance(board, Board)
    for relation, columns in statement.relations:
        related = columns.instance(row, db)
        # As select_related leaves them: `board.workshop` answers without a query, None-ish
        # (RelatedObjectDoesNotExist) when there is none, and the related row knows its board.
        relation.set_cached_value(board, related)
        if related is not None:
            relation.field.set_cached_value(related, board)
    member_role = (row[-1] or None) if member is not None else None
    return LockedBoard(board, member_role, found[1] if read_ahead is not None else None)


def save_seq_and_log(board: Board, entries: Sequence[Op]) -> None:
    """End a transaction that applied ops: the board's seq (moved on by them) and change time,
    then their log entries, whose unique (board, client op id) refuses a resend that got this
    far; in one round trip on PostgreSQL (`run_together`), with the COMMIT. Nothing may run in
    the transaction after it."""
    run_together(
        [update_statement(board, ("seq", "updated_at")), insert_statement(entries)],
        ends_transaction=True,
    )


def _lock_statement(db: BaseDatabaseWrapper, *, with_member: bool) -> _LockStatement:
    relations = board_relations()
    built = _statements.setdefault(db, {})
    statement = built.get(with_member)
    if statement is None or statement.relation_names != relations:
        statement = built[with_member] = _build_lock_statement(db, relations, with_member)
    return statement


def _build_lock_statement(
    db: BaseDatabaseWrapper, relations: tuple[str, ...], with_member: bool
) -> _LockStatement:
    quote = db.ops.quote_name
    board_table = quote(Board._meta.db_table)
    board_key = f"{board_table}.{quote(Board._meta.pk.column)}"
    board = model_columns(db, Board, 0)
    selected = [select_list(db, Board, board_table)]
    end = board.end
    joins: list[str] = []
    related: list[tuple[OneToOneRel, ModelColumns]] = []
    for name in relations:
        relation = Board._meta.get_field(name)
        if not isinstance(relation, OneToOneRel):
            raise TypeError(f"board relation {name!r} must be a reverse one-to-one")
        model = relation.related_model
        alias = quote(f"rel_{name}")
        columns = model_columns(db, model, end)
        related.append((relation, columns))
        selected.append(select_list(db, model, alias))
        end = columns.end
        joins.append(
            f"LEFT JOIN {quote(model._meta.db_table)} {alias} "
            f"ON {alias}.{quote(relation.field.column)} = {board_key}"
        )
    if with_member:
        member = Membership._meta.get_field
        alias = quote("member")
        selected.append(f"{alias}.{quote(member('role').column)}")
        joins.append(
            f"LEFT JOIN {quote(Membership._meta.db_table)} {alias} "
            f"ON {alias}.{quote(member('board').column)} = {board_key} "
            f"AND {alias}.{quote(member('user').column)} = %s"
        )
    sql = (
        f"SELECT {', '.join(selected)} FROM {board_table} {' '.join(joins)} WHERE {board_key} = %s"
    )
    if db.features.has_select_for_update_of:
        sql += f" FOR UPDATE OF {board_table}"
    elif db.features.has_select_for_update:
        sql += " FOR UPDATE"
    return _LockStatement(relations, sql, board, tuple(related))
