"""What the shared op tests need to know about the history ops: the least role of each (stated
here, not read back from the code) and arguments that succeed."""

from __future__ import annotations

from typing import Any

from boards.models import Board, Role
from history.services import version_create

HISTORY_LEAST_ROLE: dict[str, Role] = {"version.restore": Role.FACILITATOR}


def history_valid_args(name: str, board: Board) -> dict[str, Any]:
    version = version_create(board_id=board.pk, name="Q1 review")
    return {"version_id": str(version.pk)}
