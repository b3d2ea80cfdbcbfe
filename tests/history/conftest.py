"""History fixtures: dave is a viewer of alice's board, the outsider charlie sees nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from boards.models import Board, Membership, Role
from boards.ops import AppliedOp, apply_op
from boards.permissions import Actor


@pytest.fixture
def dave(make_user: Callable[..., User], board: Board) -> User:
    user = make_user("dave")
    Membership.objects.create(board=board, user=user, role=Role.VIEWER)
    return user


@pytest.fixture
def edit(board: Board) -> Callable[..., AppliedOp]:
    """Applies an op to the board as a user, through the one write path."""

    def run(user: User, name: str, **args: Any) -> AppliedOp:
        return apply_op(board_id=board.pk, actor=Actor.for_user(user), name=name, args=args)

    return run


@pytest.fixture
def cell(board: Board) -> dict[str, str]:
    stage = sorted(board.stages.all(), key=lambda s: s.position)[0]
    lane = sorted(board.lanes.all(), key=lambda s: s.position)[0]
    return {"stage_id": str(stage.pk), "lane_id": str(lane.pk)}


def history_url(name: str, *args: object) -> str:
    return reverse(f"history:{name}", args=args)
