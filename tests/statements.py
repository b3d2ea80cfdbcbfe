"""The statements a block of code ran, read from the queries Django captured: several may
share one query (boards.rows), and on PostgreSQL they run by name (boards.prepared)."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from boards.prepared import named_statements

_EXECUTE = re.compile(r"EXECUTE (\w+)\(")


def statements_run(queries: CaptureQueriesContext) -> list[str]:
    """Each statement run, in order, as its SQL (a named one as prepared, with `$1`...);
    PREPARE and DEALLOCATE, which run nothing, left out."""
    named = named_statements(connection)
    run: list[str] = []
    for query in queries.captured_queries:
        for part in query["sql"].split("; "):
            if part.startswith(("PREPARE ", "DEALLOCATE ")):
                continue
            execute = _EXECUTE.match(part)
            run.append(named[execute.group(1)] if execute else part)
    return run
