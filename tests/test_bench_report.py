"""The benchmark's tables compare each target with the reference of its own round."""

from __future__ import annotations

from typing import Any

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
