"""The one write path for board content. Import `apply_op` (one op) and `apply_ops` (a
board's waiting ops, applied together where they can be) from here.

Importing the handler modules registers their ops in `REGISTRY`.
"""

from boards.ops import board, cards, structure  # noqa: F401  (registers the ops)
from boards.ops.pipeline import AppliedOp, OpRequest, apply_op, apply_ops, encode_frame
from boards.ops.registry import REGISTRY, OpError

__all__ = [
    "REGISTRY",
    "AppliedOp",
    "OpError",
    "OpRequest",
    "apply_op",
    "apply_ops",
    "encode_frame",
]
