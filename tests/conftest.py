"""Shared fixtures. The personas are fixed, as in healthchecks: alice owns the board, bob is an
editor on it, charlie is an outsider with no access at all."""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.utils import translation

from boards.builtin_templates import sync_builtin_templates
from boards.live.bus import add_op_listener, remove_op_listener
from boards.models import Board, BoardTemplate, Membership, Op, Role
from boards.ops import AppliedOp
from boards.services import board_create

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(condition: bool, reason: str) -> None:
    """Skip locally when a real service or binary is missing; in CI that is a failure, because
    integration tests must run there, not skip."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _close_thread_connections(django_db_setup: None) -> Iterator[None]:
    """Async tests reach the database from asgiref's executor threads (`acount()`,
    `sync_to_async(...)`), whose connections stay open for as long as the threads live: on
    PostgreSQL the test database could not be dropped at the end ("being accessed by other
    users"). They are closed here, before the database is torn down."""
    opened: weakref.WeakSet[BaseDatabaseWrapper] = weakref.WeakSet()

    def remember(sender: object, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
        if threading.current_thread() is not threading.main_thread():
            opened.add(connection)

    connection_created.connect(remember, weak=False)
    yield
    connection_created.disconnect(remember)
    for wrapper in list(opened):
        # Each thread owns its connection; its thread is idle now, so closing it from here is
        # safe once Django is told the connection may be shared.
        wrapper.inc_thread_sharing()
        try:
            wrapper.close()
        finally:
            wrapper.dec_thread_sharing()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """A request served in French leaves French active in the thread (LocaleMiddleware does
    not reset it); every test starts from, and leaves, the default language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(username: str, *, password: str = "correct horse battery", **extra: object) -> User:
        return User.objects.create_user(
            username=username, email=f"{username}@example.com", password=password, **extra
        )

    return make


@pytest.fixture
def alice(make_user: Callable[..., User]) -> User:
    return make_user("alice")


@pytest.fixture
def bob(make_user: Callable[..., User]) -> User:
    return make_user("bob")


@pytest.fixture
def charlie(make_user: Callable[..., User]) -> User:
    return make_user("charlie")


@pytest.fixture
def templates(db: None) -> None:
    # Transactional tests flush the tables between tests, data-migration rows included.
    sync_builtin_templates(BoardTemplate)


@pytest.fixture
def board(alice: User, bob: User, templates: None) -> Board:
    """Alice's six-stage board (English), with bob as an editor."""
    created = board_create(
        owner=alice,
        title="Online grocery journey",
        language="en",
        template=BoardTemplate.objects.get(key="six-stages"),
        goal="Understand why first orders are abandoned",
    )
    Membership.objects.create(board=created, user=bob, role=Role.EDITOR)
    return created


@pytest.fixture
def heard() -> Iterator[list[AppliedOp]]:
    """The ops the write path hands to the live layer during the test, in order."""
    received: list[AppliedOp] = []

    def listener(ops: Sequence[AppliedOp]) -> None:
        for applied in ops:
            # What a listener sees must already be in the database.
            assert Op.objects.filter(board_id=applied.board_id, seq=applied.seq).exists()
            received.append(applied)

    add_op_listener(listener)
    yield received
    remove_op_listener(listener)
