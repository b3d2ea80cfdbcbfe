"""The read side of private content: what one participant may not see yet.

Other apps register providers here (the workshop's private writing and hidden votes); every
read of board content for a participant (snapshot, catch-up, the REST op log) asks them. A
read for nobody in particular (`viewer=None`) sees nothing private.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from boards.wire import SnapshotData

BoardId = uuid.UUID | str
# (board, viewer participant id or None) -> ids of cards the viewer may not see
HiddenCards = Callable[[BoardId, str | None], set[str]]
# (board, first seq, last seq, viewer) -> seqs in that range the viewer may not see
HiddenOps = Callable[[BoardId, int, int, str | None], set[int]]

_hidden_cards: list[HiddenCards] = []
_hidden_ops: list[HiddenOps] = []


def add_hidden_cards_provider(provider: HiddenCards) -> None:
    if provider not in _hidden_cards:
        _hidden_cards.append(provider)


def add_hidden_ops_provider(provider: HiddenOps) -> None:
    if provider not in _hidden_ops:
        _hidden_ops.append(provider)


def hidden_card_ids(board_id: BoardId, viewer: str | None) -> set[str]:
    hidden: set[str] = set()
    for provider in _hidden_cards:
        hidden |= provider(board_id, viewer)
    return hidden


def hidden_op_seqs(board_id: BoardId, first: int, last: int, viewer: str | None) -> set[int]:
    hidden: set[int] = set()
    for provider in _hidden_ops:
        hidden |= provider(board_id, first, last, viewer)
    return hidden


def without_hidden_cards(
    snapshot: SnapshotData, board_id: BoardId, viewer: str | None
) -> SnapshotData:
    """A board state (now or from the history) without the cards `viewer` may not see yet."""
    hidden = hidden_card_ids(board_id, viewer)
    if not hidden:
        return snapshot
    return {**snapshot, "cards": [card for card in snapshot["cards"] if card["id"] not in hidden]}
