"""The benchmark machinery runs end to end at tiny N: the bare reference, the embedded Django
server when the live layer routes board sockets, and the no-Docker cluster launcher; and one
run at a time. Figures are not checked here (`make bench` measures them); delivery
correctness is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import psutil
import pytest

from bench.browser import CHROMIUM
from bench.cluster import POSTGRES_ADMIN_URL, REDIS_SERVER, REPO, Cluster, ClusterConfig
from bench.exclusive import machine_to_ourselves
from boards.routing import websocket_urlpatterns
from tests.conftest import require

pytestmark = pytest.mark.bench


def test_quick_bench_delivers_every_op_once_in_order(tmp_path: Path) -> None:
    output = tmp_path / "bench.json"
    completed = subprocess.run(
        [
            *(sys.executable, "-m", "bench", "--quick", "--duration=1", "--workers=2"),
            *("--targets=daphne-sqlite", "--no-browser", f"--output={output}"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=110,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    report = json.loads(output.read_text())
    measured = {row["target"]: row for row in report["rows"]}
    expected = {"reference", "daphne-sqlite"} if websocket_urlpatterns else {"reference"}
    assert set(measured) == expected, report["skipped"]
    for row in measured.values():
        assert row["connected"] == row["participants"]
        assert row["ops_committed"] > 0
        assert row["deliveries"] == row["ops_committed"] * row["participants"]
        assert (row["lost"], row["duplicated"], row["reordered"]) == (0, 0, 0)
        assert row["errors"] == {}
    assert report["database"]["sqlite"]["op_apply"]["ops"] == 20


def test_browser_figures_render_every_card_and_show_each_remote_op() -> None:
    require(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install -y chromium)")
    completed = subprocess.run(
        [sys.executable, "-m", "bench.browser", "--cards=60", "--ops=3"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=110,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    figures = json.loads(completed.stdout)["60"]
    assert figures["cards"] == 62  # the seeded map and the two participants' own cards
    assert figures["first_render_ms"] > 0
    assert figures["remote_op_ms"]["ops"] == 3


def test_a_second_benchmark_stops_at_once_saying_which_one_runs() -> None:
    with machine_to_ourselves():
        completed = subprocess.run(
            [sys.executable, "-m", "bench", "--quick", "--no-db", "--no-browser"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert completed.returncode == 1
    holder = f"(pid {os.getpid()})"
    assert f"another benchmark is running on this machine {holder}" in completed.stderr
    assert "starting" not in completed.stdout  # no server was started


@pytest.mark.postgres
@pytest.mark.redis
def test_cluster_serves_from_two_processes_on_postgres_and_redis() -> None:
    require(Path(REDIS_SERVER).exists(), "redis-server is not installed")
    require(_postgres_up(), f"no PostgreSQL server at {POSTGRES_ADMIN_URL}")
    config = ClusterConfig(web=2, database="postgres", redis=True, db_name="journeymap_smoke")
    with Cluster(config) as cluster:
        assert "REDIS_URL" in cluster.env
        for url in cluster.web_urls:
            with urllib.request.urlopen(f"{url}/api/schema/", timeout=30) as response:
                assert response.status == 200
        pids = list(cluster.pids.values())
    assert not any(psutil.pid_exists(pid) for pid in pids)


def _postgres_up() -> bool:
    import psycopg

    try:
        psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True
