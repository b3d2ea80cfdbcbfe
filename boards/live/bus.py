"""Where applied ops leave the write path for live delivery.

`publish_op` is called once per op, after its transaction commits. It hands the op to every
listener registered in this process; the live layer (the board hub) registers itself here and
takes it from there, across processes when REDIS_URL is set.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from boards.ops.pipeline import AppliedOp

logger = logging.getLogger(__name__)

OpListener = Callable[["AppliedOp"], None]
_listeners: list[OpListener] = []


def add_op_listener(listener: OpListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def remove_op_listener(listener: OpListener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def publish_op(applied: AppliedOp) -> None:
    for listener in list(_listeners):
        try:
            listener(applied)
        except Exception:
            # The op is committed whatever happens here; a client that misses it sees a seq
            # gap and repairs it with `sync`.
            logger.exception(
                "live listener failed for board %s seq %s", applied.board_id, applied.seq
            )
