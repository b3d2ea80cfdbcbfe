"""The benchmark's tables compare each target with the reference of its own round."""

from __future__ import annotations

from typing import Any

import pytest

from bench.report import rounds_table, table


def _row(target: str, round_: int, p99: float) -> dict[str, Any]:
    return {
        "scenario": "workshop-200",
        "target": target,
        "round": round_,
        "participants": 200,
        "connected": 200,
        "deliveries_per_s": 4000.0,
        "latency_ms": {"p50": p99 / 2, "p99": p99},
        "everyone_p99_ms": p99,
        "lost": 0,
        "duplicated": 0,
        "reordered": 0,
        "closed_by_server": {},
        "errors": {},
        "presence_per_client_s": 9.5,
        "server_cpu_util": 0.3,
        "cpu_us_per_delivery": 70.0,
        "peak_rss_mb": {"server": 190.0},
        "client_cpu_util": 0.5,
    }


ROWS = [
    _row("reference", 1, 10.0),
    _row("daphne-sqlite", 1, 15.0),
    _row("reference", 2, 20.0),
    _row("daphne-sqlite", 2, 50.0),
    _row("reference", 3, 10.0),
    _row("daphne-sqlite", 3, 18.0),
]


def test_each_round_is_compared_with_its_own_reference() -> None:
    lines = [line.split() for line in table(ROWS).splitlines()[1:]]
    ours = [line for line in lines if line[1] == "daphne-sqlite"]
    assert [line[8] for line in ours] == ["1.50x", "2.50x", "1.80x"]


def test_the_rounds_table_gives_each_ratio_and_their_median() -> None:
    (header, line) = rounds_table(ROWS).splitlines()
    assert "median" in header
    assert line.split()[:3] == ["workshop-200", "daphne-sqlite", "1.80x"]
    assert line.split()[3:] == ["1.50x", "2.50x", "1.80x"]


def test_a_run_without_rounds_still_pairs_with_its_reference() -> None:
    rows = [{k: v for k, v in row.items() if k != "round"} for row in ROWS[:2]]
    assert table(rows).splitlines()[2].split()[8] == "1.50x"


def test_a_round_where_nobody_connected_is_named_and_left_out_of_the_median() -> None:
    # Two clusters dropping each other's database once left a target with no socket: the
    # rounds table failed on its missing p99, and the run's figures were lost with it.
    empty = {
        **_row("daphne-pg-1x", 1, 0.0),
        "connected": 0,
        "latency_ms": {"p50": None, "p99": None},
    }
    empty["everyone_p99_ms"] = None
    empty["connect_errors"] = ["InvalidStatus: server rejected WebSocket connection: HTTP 500"]
    rows = [*ROWS, empty, _row("daphne-pg-1x", 2, 30.0)]

    (_, *lines) = rounds_table(rows).splitlines()
    assert [line.split()[1:] for line in lines] == [
        ["daphne-sqlite", "1.80x", "1.50x", "2.50x", "1.80x"],
        ["daphne-pg-1x", "1.50x", "1.50x"],
    ]
    assert table(rows).splitlines()[-1].split()[:7] == [
        "workshop-200",
        "daphne-pg-1x",
        "only",
        "0",
        "of",
        "200",
        "connected",
    ]
    assert "HTTP 500" in table(rows).splitlines()[-1]


def test_every_postgresql_target_has_a_database_of_its_own() -> None:
    # A cluster drops and re-creates its database as it starts: two targets sharing one
    # would cut the first one's servers off in the middle of a run.
    from bench.__main__ import TARGETS

    names = [c.db_name for c in TARGETS.values() if c.database == "postgres"]
    assert len(names) > 1
    assert len(set(names)) == len(names)


def test_an_unknown_target_is_refused_before_anything_starts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bench.__main__ import main

    with pytest.raises(SystemExit) as stopped:
        main(["--targets", "daphne-pg-3x", "--no-db", "--no-browser"])
    assert stopped.value.code == 2
    assert "unknown targets daphne-pg-3x" in capsys.readouterr().err
