"""The write path's statements, sent together in one query and, on PostgreSQL, run by name.

Every op sends the same few statements with new values: the board's lock, its card, the
card's UPDATE, the seq's, the log entry's INSERT (boards/rows.py). Sent as text, PostgreSQL
parses and plans each of them every time: 0.29 ms a statement against 0.15 ms run by name on
the benchmark machine, about half of the database's time for a card edit
(docs/performance.md). Here each one is PREPAREd once per connection, in the same query as its
first use, and run with EXECUTE after that, still in one multi-statement query with the
others, so the round trips stay as they are. (psycopg's own prepared statements need its
server-side binding, one statement per query: a round trip each.)

PREPARE is not transactional: once a query that carries one has succeeded, the name exists
until the connection closes, whatever becomes of the transaction. When a query fails, which
of its PREPAREs ran is not known, and a name may be what failed (a pooler that switched
server connections, a plan that a migration changed): every name is forgotten, and the next
query starts with DEALLOCATE ALL. A name is never reused on a connection.

Off with `DB_PREPARED_STATEMENTS=false`: behind a pooler that gives each transaction another
server connection (PgBouncer in transaction mode), a name prepared on one would be missing on
the next.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

# A connection keeps at most this many names; past it, it starts over (DEALLOCATE ALL). The
# write path has a few dozen statements (one INSERT per size of a batch of log entries).
MAX_NAMES = 200
PLACEHOLDER = re.compile(r"%%|%s")


@dataclass
class _Names:
    """The statements prepared on one database connection, by their SQL."""

    by_sql: dict[str, str] = field(default_factory=dict)
    issued: int = 0
    deallocate_first: bool = False

    def name_for(self, sql: str) -> tuple[str, bool]:
        """The statement's name, and whether it must be prepared first."""
        name = self.by_sql.get(sql)
        if name is not None:
            return name, False
        self.issued += 1
        name = self.by_sql[sql] = f"journeymap_{self.issued}"
        return name, True

    def forget(self) -> None:
        self.by_sql.clear()
        self.deallocate_first = True


# Per psycopg connection: a new connection (reconnected, or past CONN_MAX_AGE) has none.
_prepared: weakref.WeakKeyDictionary[Any, _Names] = weakref.WeakKeyDictionary()


@dataclass
class Query:
    sql: str
    params: list[Any]
    # For each statement given, the index of its result among the query's results.
    positions: list[int]

    def results(self, cursor: Any) -> Iterator[int]:
        """Move `cursor` to each given statement's result in turn, yielding its index."""
        at = 0
        for index, position in enumerate(self.positions):
            while at < position:
                cursor.nextset()
                at += 1
            yield index


@contextmanager
def one_query(
    db: BaseDatabaseWrapper, statements: Sequence[tuple[str, Sequence[Any]]]
) -> Iterator[Query]:
    """The statements as one query for psycopg's client-side binding, to execute within the
    block. A statement with parameters runs by name on PostgreSQL (unless turned off); its
    parameters must sit where PostgreSQL can tell their type (a column compared or assigned,
    a value inserted, a function's argument). Statements without (BEGIN, COMMIT) go as they
    are."""
    names = _names(db)
    parts: list[str] = []
    params: list[Any] = []
    positions: list[int] = []
    if names is not None:
        unprepared = {sql for sql, values in statements if values and sql not in names.by_sql}
        if len(names.by_sql) + len(unprepared) > MAX_NAMES:
            names.forget()
        if names.deallocate_first:
            parts.append("DEALLOCATE ALL")
            names.deallocate_first = False
    for sql, values in statements:
        if names is None or not values:
            parts.append(sql)
        else:
            name, new = names.name_for(sql)
            if new:
                parts.append(f"PREPARE {name} AS {_numbered(sql)}")
            parts.append(f"EXECUTE {name}({', '.join(['%s'] * len(values))})")
        positions.append(len(parts) - 1)
        params += values
    try:
        yield Query("; ".join(parts), params, positions)
    except BaseException:
        if names is not None:
            names.forget()
        raise


def named_statements(db: BaseDatabaseWrapper) -> dict[str, str]:
    """What each name prepared on the connection runs (`EXECUTE journeymap_3(...)` in a log
    says little by itself)."""
    if db.vendor != "postgresql" or db.connection is None:
        return {}
    names = _prepared.get(db.connection)
    return {} if names is None else {name: sql for sql, name in names.by_sql.items()}


def _names(db: BaseDatabaseWrapper) -> _Names | None:
    if db.vendor != "postgresql" or not settings.DB_PREPARED_STATEMENTS:
        return None
    db.ensure_connection()
    return _prepared.setdefault(db.connection, _Names())


def _numbered(sql: str) -> str:
    """`%s` placeholders as PREPARE's `$1`, `$2`...; `%%` stays for psycopg to unescape."""
    count = 0

    def number(match: re.Match[str]) -> str:
        nonlocal count
        if match.group() == "%%":
            return "%%"
        count += 1
        return f"${count}"

    return PLACEHOLDER.sub(number, sql)
