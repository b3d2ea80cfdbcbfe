"""Helpers for the workshop tests: running ops as alice (owner, so facilitator) or bob (editor)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from boards.models import Board
from boards.ops import AppliedOp, apply_op
from boards.permissions import Actor
from tests.live.conftest import cell, connect, fresh_hub  # noqa: F401  (socket fixtures)

Run = Callable[..., AppliedOp]


def run_op(board: Board, user: User, name: str, args: dict[str, Any] | None = None) -> AppliedOp:
    return apply_op(board_id=board.pk, actor=Actor.for_user(user), name=name, args=args or {})


@pytest.fixture
def lanes(board: Board) -> list[str]:
    return [str(pk) for pk in board.lanes.order_by("position").values_list("pk", flat=True)]


@pytest.fixture
def stages(board: Board) -> list[str]:
    return [str(pk) for pk in board.stages.order_by("position").values_list("pk", flat=True)]
