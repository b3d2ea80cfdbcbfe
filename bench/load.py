"""One load run against one server: start the client processes, release them together, collect
what they saw, and sample the server's CPU and memory meanwhile."""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from bench import profiling
from bench.client import Load, Participant, WorkerResult, WorkerSpec, worker_main

CONNECT_PHASE_LIMIT = 180.0


@dataclass(frozen=True)
class Target:
    """A server under test: where its sockets live and which processes are its cost."""

    name: str
    ws_urls: list[str]  # one per server process; client processes are spread over them
    origin: str
    participants: list[Participant]
    server_pids: dict[str, int]


class ServerSampler:
    """CPU seconds and peak resident memory of the server processes, sampled in a thread."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.processes = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.peak_rss: dict[str, int] = dict.fromkeys(self.processes, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def cpu_seconds(self) -> dict[str, float]:
        return {name: _cpu(process) for name, process in self.processes.items()}

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _sample(self) -> None:
        while not self._stop.wait(0.1):
            for name, process in self.processes.items():
                rss = _tree_rss(process)
                self.peak_rss[name] = max(self.peak_rss[name], rss)


def _tree(process: psutil.Process) -> list[psutil.Process]:
    """The process and its descendants. psutil raises when a child exits while it lists them
    (a short-lived helper, py-spy finishing): that child no longer counts, the others do."""
    for _ in range(3):
        try:
            return [process, *process.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
    return [process]


def _cpu(process: psutil.Process) -> float:
    """The process and its children (a launcher may sit above the real server)."""
    total = 0.0
    for each in _tree(process):
        try:
            times = each.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return total


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for each in _tree(process):
        try:
            total += each.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


def run_load(
    target: Target,
    *,
    participants: int,
    editors: int,
    load: Load,
    workers: int,
    profile_dir: Path | None = None,
) -> dict[str, Any]:
    if participants > len(target.participants):
        raise ValueError(f"{target.name} has only {len(target.participants)} participants")
    chosen = [
        Participant(p.index, p.cookie, p.card_id if i < editors else None, p.stage_id, p.lane_id)
        for i, p in enumerate(target.participants[:participants])
    ]
    workers = max(1, min(workers, participants))
    context = multiprocessing.get_context("spawn")
    ready: Any = context.Queue()
    results: Any = context.Queue()
    go = context.Event()
    start_at = context.Value("d", 0.0)
    specs = [
        WorkerSpec(
            worker=w,
            url=target.ws_urls[w % len(target.ws_urls)],
            origin=target.origin,
            participants=chosen[w::workers],
            load=load,
        )
        for w in range(workers)
    ]
    processes = [
        context.Process(target=worker_main, args=(spec, ready, go, start_at, results), daemon=True)
        for spec in specs
    ]
    sampler = ServerSampler(target.server_pids)
    try:
        for process in processes:
            process.start()
        connected, errors = _wait_ready(ready, workers)
        sampler.start()
        start_at.value = time.time() + 0.5
        go.set()
        time.sleep(max(0.0, start_at.value - time.time()))
        cpu_before = sampler.cpu_seconds()
        machine_before = machine_cpu_ticks()
        profilers = _start_profilers(target, load.duration, profile_dir)
        collected = _collect(results, workers, load.duration + load.drain_limit + 60)
        cpu_after = sampler.cpu_seconds()
        machine_after = machine_cpu_ticks()
        sampler.stop()
        profiles = _finish_profilers(profilers)
    finally:
        go.set()
        for process in processes:
            process.join(10)
            if process.is_alive():
                process.kill()
                process.join(5)
    row = summarise(
        target.name,
        participants=participants,
        editors=editors,
        load=load,
        started=start_at.value,
        connected=connected,
        connect_errors=errors,
        results=collected,
        cpu={name: cpu_after[name] - cpu_before[name] for name in cpu_before},
        peak_rss=sampler.peak_rss,
        server_processes=len(target.ws_urls),
        steal=steal_share(machine_before, machine_after),
    )
    if profiles:
        row["profile"] = profiles
    return row


def _start_profilers(
    target: Target, seconds: float, profile_dir: Path | None
) -> dict[str, tuple[Any, Path]]:
    if profile_dir is None or target.name == "reference":
        return {}
    profile_dir.mkdir(parents=True, exist_ok=True)
    started = {}
    for name, pid in target.server_pids.items():
        if name.startswith("web"):
            path = profile_dir / f"{target.name}-{name}-{int(time.time())}.txt"
            started[name] = (profiling.start(pid, seconds, path), path)
    return started


def _finish_profilers(profilers: dict[str, tuple[Any, Path]]) -> dict[str, Any]:
    profiles = {}
    for name, (process, path) in profilers.items():
        profiling.finish(process)
        if path.exists():
            profiles[name] = {"file": str(path), "top_self": profiling.top_self_time(path)}
    return profiles


def _wait_ready(ready: Any, workers: int) -> tuple[int, list[str]]:
    connected, errors = 0, []
    deadline = time.monotonic() + CONNECT_PHASE_LIMIT
    for _ in range(workers):
        remaining = deadline - time.monotonic()
        try:
            _, count, error = ready.get(timeout=max(0.1, remaining))
        except queue.Empty:
            errors.append("a client process did not finish connecting in time")
            break
        connected += count
        if error:
            errors.append(error)
    return connected, errors


def _collect(results: Any, workers: int, limit: float) -> list[WorkerResult]:
    collected: list[WorkerResult] = []
    deadline = time.monotonic() + limit
    for _ in range(workers):
        item = results.get(timeout=max(0.1, deadline - time.monotonic()))
        if isinstance(item, Exception):
            raise RuntimeError(f"client process failed: {item!r}")
        collected.append(item)
    return collected


def percentile(sorted_values: array | list[float], fraction: float) -> float | None:
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return round(sorted_values[index], 2)


def summarise(
    name: str,
    *,
    participants: int,
    editors: int,
    load: Load,
    started: float,
    connected: int,
    connect_errors: list[str],
    results: list[WorkerResult],
    cpu: dict[str, float],
    peak_rss: dict[str, int],
    server_processes: int = 1,
    steal: float | None = None,
) -> dict[str, Any]:
    clients = [c for r in results for c in r.clients if c["connected"]]
    final_seq = max((c["max_seq"] for c in clients), default=0)
    # Which server process the lost copies should have come from: a fan-out bug between
    # processes shows up as all of one process's clients missing ops.
    lost_by_process: dict[str, int] = {}
    for result in results:
        process = f"web{result.worker % server_processes + 1}"
        missing = sum(
            final_seq - c["welcome_seq"] - c["distinct"]
            for c in result.clients
            if c["connected"] and c["close_code"] is None
        )
        lost_by_process[process] = lost_by_process.get(process, 0) + missing
    open_clients = [c for c in clients if c["close_code"] is None]
    closed = [c for c in clients if c["close_code"] is not None]
    lost = sum(final_seq - c["welcome_seq"] - c["distinct"] for c in open_clients)
    expected = sum(final_seq - c["welcome_seq"] for c in open_clients)
    latencies = array("d")
    latest: dict[int, float] = {}
    for result in results:
        latencies.frombytes(result.latencies_ms)
        for seq, ms in result.op_latest_ms.items():
            latest[seq] = max(latest.get(seq, 0.0), ms)
    ordered = sorted(latencies)
    everyone = sorted(latest.values())
    deliveries = sum(r.op_deliveries for r in results)
    last = max((r.last_delivery for r in results), default=started)
    span = max(last - started, 1e-6)
    server_cpu = sum(cpu.values())
    errors: dict[str, int] = {}
    for client in clients:
        for code, count in client["errors"].items():
            errors[code] = errors.get(code, 0) + count
    close_codes: dict[str, int] = {}
    for client in closed:
        close_codes[str(client["close_code"])] = close_codes.get(str(client["close_code"]), 0) + 1
    return {
        "target": name,
        "participants": participants,
        "editors": editors,
        "load": load.__dict__,
        "connected": connected,
        "connect_errors": connect_errors[:3],
        "ops_sent": sum(c["sent"] for c in clients),
        "ops_committed": final_seq - min((c["welcome_seq"] for c in clients), default=0),
        "deliveries": deliveries,
        "deliveries_per_s": round(deliveries / span, 1),
        "latency_ms": {
            "p50": percentile(ordered, 0.50),
            "p95": percentile(ordered, 0.95),
            "p99": percentile(ordered, 0.99),
            "max": round(ordered[-1], 2) if ordered else None,
        },
        "everyone_p99_ms": percentile(everyone, 0.99),
        "lost": lost,
        "loss_ratio": round(lost / expected, 6) if expected else 0.0,
        "lost_by_process": lost_by_process,
        "duplicated": sum(c["duplicates"] for c in clients),
        "reordered": sum(c["reordered"] for c in clients),
        "closed_by_server": close_codes,
        "errors": errors,
        "presence_per_client_s": round(
            sum(c["presence_frames"] for c in clients) / max(len(clients), 1) / load.duration, 2
        ),
        "server_cpu_s": {k: round(v, 2) for k, v in cpu.items()},
        "server_cpu_util": round(server_cpu / span, 2),
        "cpu_us_per_delivery": round(server_cpu / deliveries * 1e6, 2) if deliveries else None,
        "peak_rss_mb": {k: round(v / 2**20, 1) for k, v in peak_rss.items()},
        "client_cpu_util": round(sum(r.cpu_seconds for r in results) / span, 2),
        "machine_steal_pct": steal,
    }


def machine_cpu_ticks() -> tuple[int, int] | None:
    """(ticks stolen by the hypervisor, all ticks) of the machine's CPUs so far, from
    /proc/stat; None where there is no such file. On a shared virtual machine, time stolen
    during a run makes every figure of that run slower, the reference's included, and not
    always by the same amount: the table shows it so a run can be judged."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(value) for value in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    # user nice system idle iowait irq softirq steal [guest guest_nice, counted in user]
    return fields[7], sum(fields[:8])


def steal_share(before: tuple[int, int] | None, after: tuple[int, int] | None) -> float | None:
    if before is None or after is None or after[1] <= before[1]:
        return None
    return round(100 * (after[0] - before[0]) / (after[1] - before[1]), 1)
