"""Fixtures of the sharing tests: alice owns the board, bob edits it, charlie is an outsider,
dora facilitates it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from boards.models import Board, Membership, Role
from boards.permissions import Actor
from boards.sharing import services


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Rate-limit counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dora(make_user: Callable[..., User], board: Board) -> User:
    user = make_user("dora")
    Membership.objects.create(board=board, user=user, role=Role.FACILITATOR)
    return user


@pytest.fixture
def make_link(board: Board, alice: User) -> Callable[..., str]:
    """make_link(role, expires_at=None) -> the token of a new share link of alice's board."""

    def make(role: str = Role.EDITOR, **kwargs: object) -> str:
        _link, token = services.share_link_create(
            board_id=board.pk, actor=Actor.for_user(alice), role=role, **kwargs
        )
        return token

    return make
