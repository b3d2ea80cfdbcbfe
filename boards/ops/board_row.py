"""The board row every op starts from: locked and read with what the hooks read beside it, then
its seq moved on, in hand-written statements.

Every op of every board pays for these two statements, and the ORM's building and compiling of
them cost several times the statements themselves: the locked read with the workshop joined
was 425 us of CPU on SQLite and 594 us on PostgreSQL against about 60 and 150 us written out;
the seq update 151 / 261 us against 30 / 110 (one process, `bench/` profiles of `apply_op`).
The statements are built once per database backend from the models' metadata, and rows become
model instances through `Model.from_db` with each field's own database converters, as the ORM
does, so the rest of the write path sees the same objects it would get from a queryset.
"""

from __future__ import annotations

import functools
import uuid
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import OneToOneRel
from django.db.models.expressions import Col
from django.utils import timezone

from boards.models import Board
from boards.ops.hooks import board_relations

Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class _Columns:
    """One model's columns in the statement: where they start, and how each becomes a value."""

    model: type[models.Model]
    attnames: tuple[str, ...]
    # Per column: its expression and the converters the ORM would apply to it (the backend's,
    # then the field's: datetimes, UUIDs, booleans and JSON on SQLite, for instance).
    converters: tuple[tuple[Col, tuple[Converter, ...]], ...]
    start: int

    def instance(self, row: tuple[Any, ...], database: BaseDatabaseWrapper) -> models.Model | None:
        values = row[self.start : self.start + len(self.attnames)]
        if values[0] is None:  # a LEFT JOIN that found no row: its primary key is NULL
            return None
        converted = []
        for value, (expression, converters) in zip(values, self.converters, strict=True):
            for convert in converters:
                value = convert(value, expression, database)
            converted.append(value)
        return self.model.from_db(database.alias, list(self.attnames), converted)


@dataclass(frozen=True)
class _LockStatement:
    relation_names: tuple[str, ...]
    sql: str
    board: _Columns
    relations: tuple[tuple[OneToOneRel, _Columns], ...]


# Built once per database connection: the converters are the connection's own methods.
_statements: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _LockStatement] = (
    weakref.WeakKeyDictionary()
)


def lock_board(board_uuid: uuid.UUID) -> Board | None:
    """The board, locked until the transaction ends, with its `board_relations()` read in the
    same statement, or None if there is no such board.

    The lock serialises every write to the board's content: seqs come out gapless and in
    commit order, and handlers may read-modify-write its objects. On PostgreSQL it is the
    row's (`FOR UPDATE OF` the board only); SQLite's write transaction (IMMEDIATE, see the
    settings) already excludes every other writer."""
    database = connections[DEFAULT_DB_ALIAS]
    statement = _lock_statement(database)
    with database.cursor() as cursor:
        cursor.execute(statement.sql, [_prep(database, Board, "id", board_uuid)])
        row = cursor.fetchone()
    if row is None:
        return None
    board = statement.board.instance(row, database)
    assert isinstance(board, Board)
    for relation, columns in statement.relations:
        related = columns.instance(row, database)
        # As select_related leaves them: `board.workshop` answers without a query, None-ish
        # (RelatedObjectDoesNotExist) when there is none, and the related row knows its board.
        relation.set_cached_value(board, related)
        if related is not None:
            relation.field.set_cached_value(related, board)
    return board


def save_seq(board: Board) -> None:
    """Store the board's seq (moved on by the ops just applied) and its change time, as
    `board.save(update_fields=["seq", "updated_at"])` would."""
    database = connections[DEFAULT_DB_ALIAS]
    board.updated_at = timezone.now()
    with database.cursor() as cursor:
        cursor.execute(
            _seq_sql(database.vendor),
            [
                _prep(database, Board, "seq", board.seq),
                _prep(database, Board, "updated_at", board.updated_at),
                _prep(database, Board, "id", board.pk),
            ],
        )


def _prep(database: BaseDatabaseWrapper, model: type[models.Model], name: str, value: Any) -> Any:
    return model._meta.get_field(name).get_db_prep_value(value, database)


def _lock_statement(database: BaseDatabaseWrapper) -> _LockStatement:
    relations = board_relations()
    statement = _statements.get(database)
    if statement is None or statement.relation_names != relations:
        statement = _statements[database] = _build_lock_statement(database, relations)
    return statement


def _build_lock_statement(
    database: BaseDatabaseWrapper, relations: tuple[str, ...]
) -> _LockStatement:
    quote = database.ops.quote_name
    board_table = quote(Board._meta.db_table)
    board_key = f"{board_table}.{quote(Board._meta.pk.column)}"
    board = _columns(database, Board, 0)
    selected = [f"{board_table}.{quote(f.column)}" for f in Board._meta.concrete_fields]
    joins: list[str] = []
    related: list[tuple[OneToOneRel, _Columns]] = []
    for name in relations:
        relation = Board._meta.get_field(name)
        if not isinstance(relation, OneToOneRel):
            raise TypeError(f"board relation {name!r} must be a reverse one-to-one")
        model = relation.related_model
        alias = quote(f"rel_{name}")
        related.append((relation, _columns(database, model, len(selected))))
        selected += [f"{alias}.{quote(f.column)}" for f in model._meta.concrete_fields]
        joins.append(
            f"LEFT JOIN {quote(model._meta.db_table)} {alias} "
            f"ON {alias}.{quote(relation.field.column)} = {board_key}"
        )
    sql = (
        f"SELECT {', '.join(selected)} FROM {board_table} {' '.join(joins)} WHERE {board_key} = %s"
    )
    if database.features.has_select_for_update_of:
        sql += f" FOR UPDATE OF {board_table}"
    elif database.features.has_select_for_update:
        sql += " FOR UPDATE"
    return _LockStatement(relations, sql, board, tuple(related))


def _columns(database: BaseDatabaseWrapper, model: type[models.Model], start: int) -> _Columns:
    fields = model._meta.concrete_fields
    columns = []
    for f in fields:
        expression = f.get_col(model._meta.db_table)
        converters = database.ops.get_db_converters(expression) + f.get_db_converters(database)
        columns.append((expression, tuple(converters)))
    return _Columns(model, tuple(f.attname for f in fields), tuple(columns), start)


@functools.cache
def _seq_sql(vendor: str) -> str:
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name

    def column(name: str) -> str:
        return quote(Board._meta.get_field(name).column)

    return (
        f"UPDATE {quote(Board._meta.db_table)} SET {column('seq')} = %s, "
        f"{column('updated_at')} = %s WHERE {column('id')} = %s"
    )
