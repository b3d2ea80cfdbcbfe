"""Where applied ops leave the write path for live delivery.

`publish_ops` is called once per transaction that applied ops, after it commits, with its ops
in seq order (one, or a batch of them: boards.ops.pipeline.apply_ops). It hands them to every
listener registered in this process; the live layer (the board hub) registers itself here and
takes it from there, across processes when REDIS_URL is set.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from boards.ops.pipeline import AppliedOp

logger = logging.getLogger(__name__)

OpListener = Callable[[Sequence["AppliedOp"]], None]
_listeners: list[OpListener] = []


def add_op_listener(listener: OpListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def remove_op_listener(listener: OpListener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def publish_ops(ops: Sequence[AppliedOp]) -> None:
    for listener in list(_listeners):
        try:
            listener(ops)
        except Exception:
            # The ops are committed whatever happens here; a client that misses one sees a seq
            # gap and repairs it with `sync`.
            logger.exception(
                "live listener failed for board %s seqs %s-%s",
                ops[0].board_id,
                ops[0].seq,
                ops[-1].seq,
            )
