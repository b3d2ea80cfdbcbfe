"""Browser tests: a real Daphne process serving the built front end, driven by Chromium.

pytest-django's live_server is WSGI and cannot speak WebSocket, so the fixture starts `daphne`
on a free port against the test database. Tests that use it must commit their data
(`django_db(transaction=True)`) for the subprocess to see it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import require

REPO = Path(__file__).resolve().parents[2]
BUNDLE = REPO / "static" / "frontend" / "board.js"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
# Playwright's sync API keeps an asyncio loop running in the test thread; Django would then
# refuse the fixtures' database queries, which are plain synchronous test code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_env() -> dict[str, str]:
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        return {"SQLITE_PATH": str(database["NAME"])}
    user, password = database.get("USER", ""), database.get("PASSWORD", "")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = f"{database.get('HOST') or '127.0.0.1'}:{database.get('PORT') or 5432}"
    return {"DATABASE_URL": f"postgres://{credentials}{host}/{database['NAME']}"}


@pytest.fixture
def server_url(transactional_db: None, tmp_path: Path) -> Iterator[str]:
    """Base URL of a Daphne process serving this test's (committed) database."""
    if not BUNDLE.exists():
        pytest.fail(
            f"{BUNDLE.relative_to(REPO)} is missing: build the front end first "
            "(`make frontend`, or `cd frontend && npm ci && npm run build`)"
        )
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        ALLOWED_HOSTS="127.0.0.1",
        # As in production: ops applied by the server's apply process.
        LIVE_APPLY_PROCESS="true",
        **_database_env(),
    )
    command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
    # A file, not a pipe: a chatty server must never block on a full pipe nobody reads.
    log = tmp_path / "daphne.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "journeymap.asgi:application"],
            cwd=REPO,
            env=env,
            stdout=output,
            stderr=output,
        )
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"daphne did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()


# Module scope, not session: while Playwright's sync API is open its event loop counts as
# running in this thread, and pytest-asyncio cannot run the async tests collected after it.
@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    require(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_board(chromium, server_url: str) -> Iterator[Callable[..., object]]:
    """Opens a board page in a fresh browser context signed in as `user`."""
    contexts = []

    def open_as(user: User, board_id: object, *, language: str = "en", width: int = 1440):
        client = Client()
        client.force_login(user)
        context = chromium.new_context(
            viewport={"width": width, "height": 900}, locale=language, device_scale_factor=1
        )
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": server_url,
                },
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": server_url},
            ]
        )
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{server_url}/boards/{board_id}/")
        # A wait, not a timing: the first page of a run loads the bundle, and CI machines can
        # be slow (a run under heavy CPU steal took more than 5 s here).
        # Connected *and* holding the board: the badge says "Connected" before the snapshot
        # arrives, and a test acting on the board's seq before it would race it.
        page.locator(".connection-connected[data-caught-up=true]").wait_for(timeout=20_000)
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
