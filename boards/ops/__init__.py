"""The one write path for board content. Import `apply_op` from here.

Importing the handler modules registers their ops in `REGISTRY`.
"""

from boards.ops import board, cards, structure  # noqa: F401  (registers the ops)
from boards.ops.pipeline import AppliedOp, apply_op, encode_frame
from boards.ops.registry import REGISTRY, OpError

__all__ = ["REGISTRY", "AppliedOp", "OpError", "apply_op", "encode_frame"]
