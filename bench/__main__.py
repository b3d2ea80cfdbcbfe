"""`make bench` / `python -m bench [--quick]`: the load scenarios against the bare reference and
the Django topologies in one run, then the database figures; a table on stdout and JSON in
bench/results/. See docs/performance.md."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
from websockets.asyncio.client import connect

from bench.client import Load, Participant
from bench.cluster import REPO, Cluster, ClusterConfig
from bench.exclusive import machine_to_ourselves
from bench.load import Target, run_load
from bench.procs import ManagedProcess, free_port
from bench.report import (
    RESULTS_DIR,
    browser_table,
    db_table,
    everyone_connected,
    profile_summary,
    rounds_table,
    table,
    write_json,
)


@dataclass(frozen=True)
class Scenario:
    name: str
    participants: int
    editors: int
    load: Load


def soak(seconds: float) -> Scenario:
    """1,000 participants for a long run at the workshop's edit rate, each moving a cursor at
    1 Hz: memory must stay flat and nothing may be lost, closed or crash."""
    return Scenario("soak-1000", 1000, 20, Load(seconds, 1.0, False, 1.0, 10, 15.0))


def scenarios(quick: bool, sizes: list[int], duration: float) -> list[Scenario]:
    drain = 5.0 if quick else 15.0
    workshop = [
        Scenario(
            f"workshop-{n}",
            n,
            min(20, n),
            Load(duration, 20.0 / min(20, n), False, 10.0, 10, drain),
        )
        for n in sizes
    ]
    if quick:
        return workshop
    return [
        *workshop,
        # Sustained fan-out: 20 editors each send their next edit as soon as the previous
        # one comes back, so the server runs as fast as it can deliver.
        Scenario("saturate-200", 200, 20, Load(duration, 0.0, True, 0.0, 0, drain)),
        Scenario("wide-1000", 1000, 1, Load(duration, 2.0, False, 0.0, 0, drain)),
        # Twice the workshop's edit rate, and 10 participants who stop reading for 3 s.
        Scenario("overload-200", 200, 20, Load(duration, 2.0, False, 10.0, 10, drain, 10, 3.0)),
    ]


TARGETS: dict[str, ClusterConfig] = {
    "daphne-sqlite": ClusterConfig(web=1, database="sqlite", redis=False),
    "daphne-pg-2x": ClusterConfig(web=2, database="postgres", redis=True),
    "uvicorn-sqlite": ClusterConfig(web=1, database="sqlite", redis=False, server="uvicorn"),
    # One server on PostgreSQL + Redis: tells the database's and Redis's share of the
    # two-process gap from the second server's. Not in the default plan. Its own database:
    # every cluster drops and re-creates its database as it starts, under the other's servers.
    "daphne-pg-1x": ClusterConfig(
        web=1, database="postgres", redis=True, db_name="journeymap_bench_1x"
    ),
}
DEFAULT_TARGETS = ("daphne-sqlite", "daphne-pg-2x", "uvicorn-sqlite")


def seed(cluster: Cluster, participants: int, editors: int) -> tuple[str, list[Participant]]:
    output = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.seed",
            f"--participants={participants}",
            f"--editors={editors}",
        ],
        env=cluster.env,
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    data = json.loads(output.stdout)
    people = [
        Participant(i, p["cookie"], p["card_id"], p["stage_id"], p["lane_id"])
        for i, p in enumerate(data["participants"])
    ]
    return data["board_id"], people


async def probe(url: str, origin: str, cookie: str | None) -> str | None:
    """None when a participant can join, else why not (e.g. the live layer is not there)."""
    try:
        headers = {"Cookie": cookie} if cookie else {}
        async with connect(
            url,
            additional_headers=headers,
            origin=origin,
            open_timeout=10,  # type: ignore[arg-type]
        ) as socket:
            first = json.loads(await asyncio.wait_for(socket.recv(), 10))
            if first.get("type") != "welcome":
                return f"first frame was {str(first)[:120]}"
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None


def db_figures(cluster: Cluster, ops: int, cards: str) -> dict[str, Any]:
    try:
        output = subprocess.run(
            [sys.executable, "-m", "bench.dbbench", f"--ops={ops}", f"--cards={cards}"],
            env=cluster.env,
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        )
    except subprocess.CalledProcessError as error:
        return {"error": error.stderr.strip().splitlines()[-1]}
    return json.loads(output.stdout)


def browser_figures(cards: str, ops: int) -> dict[str, Any]:
    """The board in Chromium: first render of a large map, and a remote op showing on it."""
    try:
        output = subprocess.run(
            [sys.executable, "-m", "bench.browser", f"--cards={cards}", f"--ops={ops}"],
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
            timeout=900,
        )
    except subprocess.CalledProcessError as error:
        return {"error": error.stderr.strip().splitlines()[-1]}
    return json.loads(output.stdout)


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "load_average_at_start": os.getloadavg(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small N, short runs (smoke test)")
    parser.add_argument(
        "--targets",
        default=",".join(DEFAULT_TARGETS),
        help=f"Django targets to run, of {', '.join(TARGETS)}",
    )
    parser.add_argument("--sizes", default=None, help="workshop sizes, e.g. 10,50,200,500")
    parser.add_argument("--scenarios", default=None, help="only these scenario names")
    parser.add_argument("--duration", type=float, default=None, help="seconds of load per run")
    parser.add_argument("--workers", type=int, default=4, help="load-client processes")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="rounds of each scenario, the reference and every target in turn in each round",
    )
    parser.add_argument("--no-db", action="store_true", help="skip the database figures")
    parser.add_argument("--soak", type=float, default=0, help="also a soak of this many seconds")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium figures")
    parser.add_argument("--profile", action="store_true", help="py-spy the Django servers")
    parser.add_argument("--output", type=Path, default=None, help="JSON path (default: results/)")
    args = parser.parse_args(argv)

    sizes = [int(n) for n in (args.sizes or ("10" if args.quick else "10,50,200,500")).split(",")]
    duration = args.duration or (2.0 if args.quick else 10.0)
    plan = scenarios(args.quick, sizes, duration)
    if args.soak:
        plan.append(soak(args.soak))
    if args.scenarios:
        wanted = set(args.scenarios.split(","))
        plan = [s for s in plan if s.name in wanted]
    max_n = max(s.participants for s in plan)
    max_editors = max(s.editors for s in plan)
    target_names = [t for t in args.targets.split(",") if t]
    unknown = [t for t in target_names if t not in TARGETS]
    if unknown:
        parser.error(f"unknown targets {', '.join(unknown)}; there are {', '.join(TARGETS)}")
    rows: list[dict[str, Any]] = []
    skipped: dict[str, str] = {}
    db: dict[str, Any] = {}
    started = time.time()
    with contextlib.ExitStack() as stack:
        stack.enter_context(machine_to_ourselves())
        workdir = Path(tempfile.mkdtemp(prefix="jm-bench-"))
        port = free_port()
        reference_process = ManagedProcess(
            "reference",
            [sys.executable, "-m", "bench.reference", f"--port={port}"],
            env=dict(os.environ),
            log_path=workdir / "reference.log",
            cwd=REPO,
        )
        stack.callback(reference_process.stop)
        reference_process.wait_for_port(port)
        targets = [
            Target(
                "reference",
                [f"ws://127.0.0.1:{port}/"],
                f"http://127.0.0.1:{port}",
                [Participant(i, None, f"card-{i}") for i in range(max_n)],
                {"server": reference_process.pid},
            )
        ]
        for name in target_names:
            print(f"starting {name} ...", flush=True)
            cluster = stack.enter_context(Cluster(TARGETS[name]))
            board_id, people = seed(cluster, max_n, max_editors)
            host = cluster.web_urls[0].removeprefix("http://")
            urls = [
                f"ws://{url.removeprefix('http://')}/ws/boards/{board_id}/"
                for url in cluster.web_urls
            ]
            reason = asyncio.run(probe(urls[0], f"http://{host}", people[0].cookie))
            if reason:
                skipped[name] = reason
                print(f"  {name} skipped: {reason}", flush=True)
                continue
            pids = {p.name: p.pid for p in cluster.web_processes}
            if cluster.redis_process:
                pids["redis"] = cluster.redis_process.pid
            targets.append(Target(name, urls, f"http://{host}", people, pids))
            if not args.no_db and cluster.config.database not in db:
                ops, cards = (20, "100") if args.quick else (1000, "1000,5000,10000")
                print(f"  database figures on {cluster.config.database} ...", flush=True)
                db[cluster.config.database] = db_figures(cluster, ops, cards)
        for scenario, round_ in ((s, r) for s in plan for r in range(1, args.repeat + 1)):
            for target in targets:
                print(f"{scenario.name} on {target.name} (round {round_}) ...", flush=True)
                try:
                    row = run_load(
                        target,
                        participants=scenario.participants,
                        editors=scenario.editors,
                        load=scenario.load,
                        workers=args.workers,
                        profile_dir=RESULTS_DIR / f"profiles-{int(started)}"
                        if args.profile
                        else None,
                    )
                except Exception as error:
                    row = {"target": target.name, "error": f"{type(error).__name__}: {error}"}
                row["scenario"] = scenario.name
                row["round"] = round_
                rows.append(row)
    browser: dict[str, Any] = {}
    if not args.no_browser:
        print("board in the browser ...", flush=True)
        browser = browser_figures("200" if args.quick else "1000,5000", 5 if args.quick else 30)
    # Saved before anything is printed from them: a table that fails loses no run.
    path = write_json(
        args.output,
        {
            "machine": machine(),
            "started": started,
            "seconds": round(time.time() - started, 1),
            "argv": sys.argv[1:] if argv is None else argv,
            "rows": rows,
            "database": db,
            "browser": browser,
            "skipped": skipped,
        },
    )
    print()
    print(table(rows))
    if args.repeat > 1:
        print()
        print(rounds_table(rows))
    if args.profile:
        print()
        print(profile_summary(rows))
    if db:
        print()
        print(db_table(db))
    if browser:
        print()
        print(browser_table(browser))
    for name, reason in skipped.items():
        print(f"\n{name} was not measured: {reason}")
    print(f"\nJSON: {path}")
    failed = [row for row in rows if "error" in row or not everyone_connected(row)]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
