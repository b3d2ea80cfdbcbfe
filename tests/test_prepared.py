"""The write path's statements run by name on PostgreSQL (boards.prepared): prepared once per
connection in the query of their first use, forgotten and started over after a failure."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from boards import prepared
from boards.rows import Statement, fetch_together

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's PREPARE"),
]

PLUS_ONE = Statement("SELECT %s::int + 1", [1])


def sent(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in queries.captured_queries]


def test_a_statement_is_prepared_with_its_first_use_and_then_run_by_name() -> None:
    # Statements of this test only: the connection outlives each test's transaction.
    with CaptureQueriesContext(connection) as queries:
        first = fetch_together(
            [Statement("SELECT %s::int + 2", [1]), Statement("SELECT %s::int * 10", [4])]
        )
        second = fetch_together([Statement("SELECT %s::int + 2", [40])])
    assert first == [[(3,)], [(40,)]]
    assert second == [[(42,)]]
    prepare, execute = sent(queries)
    assert prepare.count("PREPARE journeymap_") == 2
    assert "AS SELECT $1::int + 2" in prepare
    assert execute.startswith("EXECUTE journeymap_")
    assert "PREPARE" not in execute
    assert "SELECT %s::int + 2" in prepared.named_statements(connection).values()


def test_after_a_failed_query_every_name_is_dropped_and_prepared_again() -> None:
    fetch_together([PLUS_ONE])
    with pytest.raises(DatabaseError, match="division by zero"), transaction.atomic():
        fetch_together([PLUS_ONE, Statement("SELECT 1 / %s::int", [0])])
    with CaptureQueriesContext(connection) as queries:
        assert fetch_together([PLUS_ONE]) == [[(2,)]]
    (query,) = sent(queries)
    # Which PREPAREs of the failed query ran is not known: none of its names is used again.
    assert query.startswith("DEALLOCATE ALL; PREPARE journeymap_")
    assert list(prepared.named_statements(connection).values()) == ["SELECT %s::int + 1"]


def test_a_name_gone_from_the_server_fails_one_query_then_is_prepared_again() -> None:
    """As behind a pooler that moved the connection, or after DISCARD ALL."""
    fetch_together([PLUS_ONE])
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    with pytest.raises(DatabaseError, match="does not exist"), transaction.atomic():
        fetch_together([PLUS_ONE])
    assert fetch_together([PLUS_ONE]) == [[(2,)]]


def test_a_connection_keeps_a_bounded_number_of_names(monkeypatch) -> None:
    # Room for two more names than the connection holds already.
    monkeypatch.setattr(prepared, "MAX_NAMES", len(prepared.named_statements(connection)) + 2)
    with CaptureQueriesContext(connection) as queries:
        for value in range(3):
            fetch_together([Statement(f"SELECT %s::int - {value}", [value])])
    assert [query.startswith("DEALLOCATE ALL") for query in sent(queries)] == [
        False,
        False,
        True,
    ]
    assert len(prepared.named_statements(connection)) == 1


def test_a_literal_percent_sign_survives_preparing() -> None:
    assert fetch_together([Statement("SELECT %s::text || '%%'", ["50"])]) == [[("50%",)]]


def test_turned_off_the_statements_go_as_text(settings) -> None:
    settings.DB_PREPARED_STATEMENTS = False
    with CaptureQueriesContext(connection) as queries:
        assert fetch_together([PLUS_ONE]) == [[(2,)]]
    (query,) = sent(queries)
    assert query.endswith("SELECT 1::int + 1")
    assert "PREPARE" not in query
    assert "EXECUTE" not in query


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_its_statements_again() -> None:
    """As when a connection reaches CONN_MAX_AGE: the names were the old connection's."""
    assert fetch_together([PLUS_ONE]) == [[(2,)]]
    connection.close()
    with CaptureQueriesContext(connection) as queries:
        assert fetch_together([PLUS_ONE]) == [[(2,)]]
    (query,) = sent(queries)
    assert query.startswith("PREPARE journeymap_1 AS")
