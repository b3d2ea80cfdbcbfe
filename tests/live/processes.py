"""Real processes for the multi-process tests: a private redis-server and Daphne servers that
share the test database with the test process."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
DAPHNE = (sys.executable, "-m", "daphne", "-b", "127.0.0.1")
PRESENCE_TTL = 2  # seconds: short, so the killed-process test stays quick


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


@contextmanager
def redis_server(directory: Path) -> Iterator[str]:
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    require(os.path.exists(binary), "redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=directory,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


def database_env() -> dict[str, str]:
    """Point a child process at the database the tests use right now."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return {"SQLITE_PATH": str(db["NAME"]), "DATABASE_URL": ""}
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return {
        "DATABASE_URL": f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    }


class Daphne:
    def __init__(self, redis_url: str) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            **database_env(),
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "REDIS_URL": redis_url,
            "LIVE_PRESENCE_TTL": str(PRESENCE_TTL),
            # As in production: ops applied by each server's apply process.
            "LIVE_APPLY_PROCESS": "true",
        }
        self.process = subprocess.Popen(
            [*DAPHNE, "-p", str(self.port), "journeymap.asgi:application"],
            cwd=ROOT,
            env=env,
        )

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def board_url(self, board_id: object) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/boards/{board_id}/"

    def kill(self) -> None:
        """Die without closing any socket, as a crashed or OOM-killed server does."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def daphne_servers(redis_url: str, count: int) -> Iterator[list[Daphne]]:
    servers = [Daphne(redis_url) for _ in range(count)]
    try:
        for server in servers:
            wait_for_port(server.port, server.process)
        yield servers
    finally:
        for server in servers:
            server.stop()
