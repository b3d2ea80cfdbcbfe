"""The scale-out topology from installed binaries, for machines without Docker.

    python -m bench.cluster --web 2 --database postgres [--nginx] [--server uvicorn]

starts a private redis-server on a free port, a fresh PostgreSQL database (`journeymap_bench`
on the local server, migrated) or a SQLite file, N Daphne (or uvicorn) processes on free
ports, and nginx in front when asked; prints the addresses, and stops everything on Ctrl-C.
The benchmark and multi-process tests use `Cluster` directly.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Literal

from bench.exclusive import machine_to_ourselves
from bench.procs import ManagedProcess, ProcessGroup, free_port

REPO = Path(__file__).resolve().parent.parent
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")

Server = Literal["daphne", "uvicorn"]
Database = Literal["sqlite", "postgres"]


@dataclass
class ClusterConfig:
    web: int = 2
    server: Server = "daphne"
    database: Database = "postgres"
    redis: bool = True
    nginx: bool = False
    collectstatic: bool = False
    db_name: str = "journeymap_bench"


@dataclass
class Cluster:
    """A running topology. Use as a context manager: everything it started stops on exit."""

    config: ClusterConfig
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="jm-cluster-")))
    env: dict[str, str] = field(default_factory=dict)
    web_ports: list[int] = field(default_factory=list)
    proxy_port: int | None = None
    redis_port: int | None = None
    web_processes: list[ManagedProcess] = field(default_factory=list)
    redis_process: ManagedProcess | None = None
    _group: ProcessGroup = field(default_factory=ProcessGroup)

    def __enter__(self) -> Cluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def web_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.web_ports]

    @property
    def url(self) -> str:
        """Where clients connect: the proxy when there is one, else the first web process."""
        return f"http://127.0.0.1:{self.proxy_port}" if self.proxy_port else self.web_urls[0]

    def start(self) -> None:
        config = self.config
        # nginx workers run as an unprivileged user and serve static files from here.
        self.workdir.chmod(0o755)
        self.env = self._base_env()
        if config.redis:
            self.redis_port = free_port()
            self.redis_process = self._group.start(
                "redis",
                [
                    *(REDIS_SERVER, "--port", str(self.redis_port), "--bind", "127.0.0.1"),
                    *("--save", "", "--appendonly", "no", "--dir", str(self.workdir)),
                ],
                env=dict(os.environ),
                log_path=self.workdir / "redis.log",
            )
            self.redis_process.wait_for_port(self.redis_port)
            self.env["REDIS_URL"] = f"redis://127.0.0.1:{self.redis_port}/0"
        self._prepare_database()
        self.manage("migrate", "--noinput", "-v0")
        if config.collectstatic:
            self.manage("collectstatic", "--noinput", "-v0")
        for index in range(config.web):
            port = free_port()
            process = self._group.start(
                f"web{index + 1}",
                self._server_command(port),
                env=self.env,
                log_path=self.workdir / f"web{index + 1}.log",
                cwd=REPO,
            )
            self.web_ports.append(port)
            self.web_processes.append(process)
        for process, port in zip(self.web_processes, self.web_ports, strict=True):
            process.wait_for_port(port, timeout=60)
        if config.nginx:
            self._start_nginx()

    def stop(self) -> None:
        self._group.stop()

    def manage(self, *args: str) -> None:
        """Run a manage.py command against this cluster's database."""
        subprocess.run(
            [sys.executable, "manage.py", *args], env=self.env, cwd=REPO, check=True, timeout=300
        )

    def _base_env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key not in _CLUSTER_VARIABLES}
        env.update(
            DJANGO_SETTINGS_MODULE="journeymap.settings",
            SECRET_KEY=secrets.token_urlsafe(40),
            DEBUG="false",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            LOG_LEVEL="WARNING",
            STATIC_ROOT=str(self.workdir / "static"),
            MEDIA_ROOT=str(self.workdir / "media"),
            # Plain HTTP on loopback: the session cookie must travel without TLS.
            SESSION_COOKIE_SECURE="false",
            CSRF_COOKIE_SECURE="false",
            PYTHONUNBUFFERED="1",
        )
        return env

    def _prepare_database(self) -> None:
        if self.config.database == "sqlite":
            self.env["SQLITE_PATH"] = str(self.workdir / "journeymap.sqlite3")
            return
        import psycopg

        name = self.config.db_name
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise ValueError(f"unsafe database name {name!r}")
        with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {name}")
        self.env["DATABASE_URL"] = f"{POSTGRES_ADMIN_URL}/{name}"
        # Persistent connections: with the default (0) every op opens a new connection.
        self.env["DB_CONN_MAX_AGE"] = "600"

    def _server_command(self, port: int) -> list[str]:
        app = "journeymap.asgi:application"
        if self.config.server == "uvicorn":
            return [
                *(sys.executable, "-m", "uvicorn", "--host", "127.0.0.1", "--port", str(port)),
                *("--lifespan", "off", "--no-access-log", "--log-level", "warning", app),
            ]
        return [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), app]

    def _start_nginx(self) -> None:
        if not Path(NGINX).exists():
            raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
        self.proxy_port = free_port()
        config_path = self.workdir / "nginx.conf"
        config_path.write_text(self._nginx_config())
        process = self._group.start(
            "nginx",
            [NGINX, "-c", str(config_path), "-p", str(self.workdir), "-g", "daemon off;"],
            env=dict(os.environ),
            log_path=self.workdir / "nginx.log",
        )
        process.wait_for_port(self.proxy_port)

    def _nginx_config(self) -> str:
        """deploy/nginx.conf with this cluster's ports and paths, inside a minimal main file."""
        site = (REPO / "deploy" / "nginx.conf").read_text()
        servers = "".join(f"    server 127.0.0.1:{port};\n" for port in self.web_ports)
        site = re.sub(r"(    server web\d+:8000;\n)+", servers, site)
        site = site.replace("listen 80;", f"listen 127.0.0.1:{self.proxy_port};")
        site = site.replace("/srv/static/", f"{self.env['STATIC_ROOT']}/")
        site = site.replace("/srv/media/", f"{self.env['MEDIA_ROOT']}/")
        temp = self.workdir / "nginx-tmp"
        temp.mkdir(exist_ok=True)
        return (
            "worker_processes 1;\n"
            f"pid {self.workdir}/nginx.pid;\n"
            f"error_log {self.workdir}/nginx-error.log warn;\n"
            "events { worker_connections 4096; }\n"
            "http {\n"
            "    include /etc/nginx/mime.types;\n"
            "    access_log off;\n"
            f"    client_body_temp_path {temp}/body;\n"
            f"    proxy_temp_path {temp}/proxy;\n"
            f"    fastcgi_temp_path {temp}/fastcgi;\n"
            f"    uwsgi_temp_path {temp}/uwsgi;\n"
            f"    scgi_temp_path {temp}/scgi;\n"
            f"{site}\n"
            "}\n"
        )

    @property
    def pids(self) -> dict[str, int]:
        return {process.name: process.pid for process in self._group.processes}


# Variables the cluster sets itself; inherited values would point it at another deployment.
_CLUSTER_VARIABLES = {"DATABASE_URL", "REDIS_URL", "SQLITE_PATH", "DJANGO_SETTINGS_MODULE"}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--web", type=int, default=2, help="number of web processes")
    parser.add_argument("--server", choices=["daphne", "uvicorn"], default="daphne")
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--no-redis", action="store_true", help="in-memory layer (one process)")
    parser.add_argument("--nginx", action="store_true", help="put nginx in front")
    parser.add_argument("--hours", type=float, default=8.0, help="stop after this long")
    args = parser.parse_args(argv)
    config = ClusterConfig(
        web=args.web,
        server=args.server,
        database=args.database,
        redis=not args.no_redis,
        nginx=args.nginx,
        collectstatic=True,
    )
    stop_requested = False

    def request_stop(signum: int, frame: object) -> None:
        nonlocal stop_requested
        stop_requested = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    with machine_to_ourselves(), Cluster(config) as cluster:
        for name, pid in cluster.pids.items():
            print(f"{name:8} pid {pid}")
        for url in cluster.web_urls:
            print(f"web      {url}")
        if cluster.proxy_port:
            print(f"nginx    {cluster.url}")
        shared = ("DATABASE_URL", "REDIS_URL", "SQLITE_PATH", "SECRET_KEY", "STATIC_ROOT")
        exports = " ".join(f"{k}={cluster.env[k]}" for k in shared if k in cluster.env)
        print(f"env      {exports}")
        print(f"logs     {cluster.workdir}")
        print("Ctrl-C stops everything.", flush=True)
        deadline = time.monotonic() + args.hours * 3600
        while not stop_requested and time.monotonic() < deadline:
            for process in cluster.web_processes:
                if process.popen.poll() is not None:
                    print(f"{process.name} exited:\n{process.log_tail()}", file=sys.stderr)
                    stop_requested = True
            time.sleep(0.5)
    print("stopped")


if __name__ == "__main__":
    main()
