"""Rows read and updated by hand on the write path, giving and taking the ORM's own objects.

Every op reads a few rows and updates one or two, and building and compiling those statements
with the ORM cost several times running them (`make bench --profile`, and the figures in
docs/performance.md). Here the statements are written out once per backend from the models'
metadata; values go in through each field's `pre_save` and `get_db_prep_save` and come out
through the backend's and the field's converters and `Model.from_db`, exactly the steps the
ORM takes, so callers see the instances a queryset would give them. Model signals are not
sent: the project registers no receivers, and anything that must follow a change belongs with
the op listeners (boards.live.bus), which see every op once it commits.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Col
from django.db.transaction import TransactionManagementError

from boards.prepared import one_query

M = TypeVar("M", bound=models.Model)
Converter = Callable[[Any, Any, Any], Any]


def database() -> BaseDatabaseWrapper:
    """The connection the write path's transactions run on."""
    return connections[DEFAULT_DB_ALIAS]


@dataclass(frozen=True)
class ModelColumns:
    """A model's concrete columns at a place in a row, and how each becomes a field value."""

    model: type[models.Model]
    start: int
    attnames: tuple[str, ...]
    # Per column: its expression and the converters the ORM would apply to it (the backend's,
    # then the field's: datetimes, UUIDs, booleans and JSON on SQLite, for instance).
    converters: tuple[tuple[Col, tuple[Converter, ...]], ...]

    @property
    def end(self) -> int:
        return self.start + len(self.attnames)

    def instance(self, row: Sequence[Any], db: BaseDatabaseWrapper) -> models.Model | None:
        """The model instance of this part of the row; None when its primary key is NULL (a
        LEFT JOIN that found nothing)."""
        values = row[self.start : self.end]
        if values[0] is None:
            return None
        converted = []
        for value, (expression, converters) in zip(values, self.converters, strict=True):
            for convert in converters:
                value = convert(value, expression, db)
            converted.append(value)
        return self.model.from_db(db.alias, list(self.attnames), converted)


# The converters are methods of one connection's backend: kept per connection.
_columns: weakref.WeakKeyDictionary[
    BaseDatabaseWrapper, dict[tuple[type[models.Model], int], ModelColumns]
] = weakref.WeakKeyDictionary()


def model_columns(db: BaseDatabaseWrapper, model: type[models.Model], start: int) -> ModelColumns:
    cached = _columns.setdefault(db, {})
    found = cached.get((model, start))
    if found is None:
        fields = model._meta.concrete_fields
        converters = []
        for field in fields:
            expression = field.get_col(model._meta.db_table)
            found_converters = db.ops.get_db_converters(expression) + field.get_db_converters(db)
            converters.append((expression, tuple(found_converters)))
        found = cached[(model, start)] = ModelColumns(
            model, start, tuple(f.attname for f in fields), tuple(converters)
        )
    return found


def select_list(db: BaseDatabaseWrapper, model: type[models.Model], alias: str) -> str:
    """The model's concrete columns, in `ModelColumns` order, qualified by `alias`."""
    quote = db.ops.quote_name
    return ", ".join(f"{alias}.{quote(f.column)}" for f in model._meta.concrete_fields)


@dataclass(frozen=True)
class Statement:
    sql: str
    params: list[Any]
    # How many rows it must change (the one row an UPDATE names), checked wherever it runs.
    changes: int | None = None


def update_row(obj: models.Model, names: Sequence[str]) -> None:
    """`obj.save(update_fields=names)` in one hand-written UPDATE: `auto_now` fields are set,
    values are prepared by their fields, and a row that is gone raises as the ORM would.
    Held for the transaction's last statements while writes are held (`holding_writes`)."""
    write(update_statement(obj, names))


def update_statement(obj: models.Model, names: Sequence[str]) -> Statement:
    """The UPDATE of `update_row`, to run alone or with others (`run_together`)."""
    db = database()
    fields = [_field(type(obj), name) for name in names]
    values = [field.get_db_prep_save(field.pre_save(obj, False), db) for field in fields]
    pk = obj._meta.pk
    assert pk is not None
    values.append(pk.get_db_prep_value(obj.pk, db))
    sql = _update_sql(db.vendor, type(obj), tuple(f.column for f in fields))
    return Statement(sql, values, changes=1)


# The writes held back in this context (this thread's transaction), or None when not holding.
_held: ContextVar[list[Statement] | None] = ContextVar("held_writes", default=None)
# Set once `run_together(..., ends_transaction=True)` has sent the COMMIT in this context.
_committed: ContextVar[bool] = ContextVar("committed_with_last_writes", default=False)


@contextmanager
def holding_writes() -> Iterator[None]:
    """Within a transaction that ends with `run_together` (an op's seq and log entries):
    the writes made through `write` wait to go with those, one round trip instead of two on
    PostgreSQL. Any other statement runs what is held first, in order, so every read in the
    transaction sees every write made before it; what nothing took runs on the way out. On an
    exception the held writes are dropped with the transaction they belonged to."""
    held: list[Statement] = []
    token, committed_token = _held.set(held), _committed.set(False)
    try:
        with database().execute_wrapper(_run_held_first):
            yield
        if held:
            run_together([])
    finally:
        _held.reset(token)
        _committed.reset(committed_token)


def write(statement: Statement) -> None:
    """Run a write now, or hold it for the transaction's last statements (`holding_writes`)."""
    held = _held.get()
    if held is None:
        run_together([statement])
    else:
        held.append(statement)


def _run_held_first(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    if _committed.get():
        # It would run outside the transaction, which has committed already.
        raise TransactionManagementError(
            "The transaction committed with its last writes: no statement may follow them."
        )
    if _held.get():
        # On a cursor of their own, so that they are logged like any statement.
        run_together([])
    return execute(sql, params, many, context)


def insert_statement(objs: Sequence[M]) -> Statement:
    """One INSERT of new rows of one model, as `bulk_create` would write them: `auto_now_add`
    fields set, values prepared by their fields. Objects that carry their primary key (a
    client-chosen id) are written with it; otherwise the database assigns it (the op log's)
    and the objects do not learn it."""
    db = database()
    model = type(objs[0])
    with_pk = objs[0].pk is not None
    fields = _insert_fields(model, with_pk)
    values: list[Any] = []
    for obj in objs:
        assert type(obj) is model
        assert (obj.pk is not None) == with_pk
        values += [field.get_db_prep_save(field.pre_save(obj, True), db) for field in fields]
        obj._state.adding = False
        obj._state.db = db.alias
    return Statement(_insert_sql(db.vendor, model, len(objs), with_pk), values)


def run_together(statements: Sequence[Statement], *, ends_transaction: bool = False) -> None:
    """Run the held writes (`holding_writes`) and then `statements`, in order, in one round
    trip where the driver allows it (PostgreSQL's client-side binding takes several
    statements in one query; SQLite's driver takes one at a time, and has no network to
    save).

    With `ends_transaction`, nothing follows them in the outermost atomic block (an op's seq
    and log entries): within `holding_writes` on PostgreSQL, its COMMIT goes in the same
    query, a round trip less (the fourth of an op, with `_begin_here`), and the database
    checks each statement's row count before it (`_checked_in_query`), so a row that is gone
    still undoes everything. Django's commit as the block ends then has nothing left to send,
    and runs the on-commit hooks as ever."""
    held = _held.get()
    # Only within holding_writes() is what would follow the COMMIT refused (`_run_held_first`):
    # elsewhere the transaction ends as usual.
    ends_transaction = ends_transaction and held is not None
    if held:
        statements = [*held, *statements]
        held.clear()
    if not statements:
        return
    db = database()
    with db.cursor() as cursor:
        begin = _begin_here(db)
        commit = _commit_here(db, begun_here=bool(begin)) if ends_transaction else []
        if commit:
            statements = [_checked_in_query(statement) for statement in statements]
        if db.vendor == "postgresql":
            together = [*begin, *statements, *commit]
            with one_query(db, [(s.sql, s.params) for s in together]) as query:
                cursor.execute(query.sql, query.params)
                if commit:
                    _committed.set(True)
                for index in query.results(cursor):
                    _check_changes(together[index], cursor.rowcount)
            return
        for statement in statements:
            cursor.execute(statement.sql, statement.params)
            _check_changes(statement, cursor.rowcount)


def fetch_together(statements: Sequence[Statement]) -> list[list[tuple[Any, ...]]]:
    """Run SELECTs in order and return the rows of each, in one round trip where the driver
    allows it (as `run_together`)."""
    db = database()
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            together = [*_begin_here(db), *statements]
            with one_query(db, [(s.sql, s.params) for s in together]) as query:
                cursor.execute(query.sql, query.params)
                return [
                    cursor.fetchall()
                    for index in query.results(cursor)
                    if together[index] is not _BEGIN
                ]
        results = []
        for statement in statements:
            cursor.execute(statement.sql, statement.params)
            results.append(cursor.fetchall())
        return results


def _begin_here(db: BaseDatabaseWrapper) -> list[Statement]:
    """[BEGIN] when this statement is the first of a transaction on PostgreSQL, to be sent in
    the same query; else nothing.

    psycopg begins a transaction by sending BEGIN on its own and waiting for the answer before
    the first statement: a round trip of its own (one of the four an op took, with COMMIT's),
    each a wake-up of the database server on a busy machine (docs/performance.md). Here BEGIN
    goes in front of the first statement instead, and psycopg is told to stay out of it
    (`autocommit`, which it allows while no transaction is open): everything after runs in the
    transaction opened here, and the COMMIT sent with the last writes (`run_together`) or
    Django's commit or rollback ends it (psycopg sends COMMIT or ROLLBACK whenever a
    transaction is open). Django sets `autocommit` again as its atomic block ends. Only for
    the plain BEGIN psycopg would send (no isolation level or read-only mode to repeat)."""
    if db.vendor != "postgresql" or not db.in_atomic_block or db.connection is None:
        return []
    from psycopg import pq

    pg = db.connection
    if (
        pg.autocommit
        or pg.pgconn.transaction_status != pq.TransactionStatus.IDLE
        or (pg.isolation_level, pg.read_only, pg.deferrable) != (None, None, None)
    ):
        return []
    pg.autocommit = True
    return [_BEGIN]


_BEGIN = Statement("BEGIN", [])


def _commit_here(db: BaseDatabaseWrapper, *, begun_here: bool) -> list[Statement]:
    """[COMMIT] when the transaction open on PostgreSQL (or begun in the same query) is the
    outermost atomic block's, and that block would commit it on its way out; else nothing (a
    savepoint, a test's own transaction, a block already doomed to roll back)."""
    if (
        db.vendor != "postgresql"
        or db.connection is None
        or len(db.atomic_blocks) != 1
        or db.savepoint_ids
        or not db.commit_on_exit
        or db.needs_rollback
    ):
        return []
    from psycopg import pq

    if not begun_here and db.connection.pgconn.transaction_status != pq.TransactionStatus.INTRANS:
        return []
    return [_COMMIT]


_COMMIT = Statement("COMMIT", [])

# The function the migration boards/0004 creates on PostgreSQL: raises, and so aborts the
# transaction, when a statement changed another number of rows than it had to.
EXPECT_CHANGES = "journeymap_expect_changes"


def _checked_in_query(statement: Statement) -> Statement:
    """The statement, with its row count (`changes`) checked by the database as it runs,
    for a query that commits after it (the client's check would come too late)."""
    if statement.changes is None:
        return statement
    return Statement(
        f"WITH changed AS ({statement.sql} RETURNING 1) "
        f"SELECT {EXPECT_CHANGES}(%s, count(*)) FROM changed",
        [*statement.params, statement.changes],
    )


def _check_changes(statement: Statement, rowcount: int) -> None:
    if statement.changes is not None and rowcount != statement.changes:
        # The ORM's words for an UPDATE of a row that is gone.
        raise DatabaseError("Save with update_fields did not affect any rows.")


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    assert field.concrete
    assert not field.primary_key
    return field


@functools.cache
def _update_sql(vendor: str, model: type[models.Model], columns: tuple[str, ...]) -> str:
    quote = database().ops.quote_name
    pk = model._meta.pk
    assert pk is not None
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    return f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(pk.column)} = %s"


def _insert_fields(model: type[models.Model], with_pk: bool) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]


@functools.cache
def _insert_sql(vendor: str, model: type[models.Model], rows: int, with_pk: bool) -> str:
    quote = database().ops.quote_name
    fields = _insert_fields(model, with_pk)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) VALUES {', '.join([row] * rows)}"
    )
