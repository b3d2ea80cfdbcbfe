"""Control messages to board sockets across processes, over the channel layer.

Ops never travel here (see boards.live.hub); this is for rare orders such as "close this
participant's sockets" when a member is removed or a share link revoked.
"""

from __future__ import annotations

import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


def board_group(board_id: uuid.UUID | str) -> str:
    return f"board.{uuid.UUID(str(board_id)).hex}"


async def adisconnect_participant(board_id: uuid.UUID | str, participant_id: str) -> None:
    """Close every socket of the participant on the board, in every process (code 4410)."""
    layer = get_channel_layer()
    assert layer is not None
    await layer.group_send(
        board_group(board_id), {"type": "live.disconnect", "participant_id": participant_id}
    )


def disconnect_participant(board_id: uuid.UUID | str, participant_id: str) -> None:
    """Synchronous form of adisconnect_participant, for views and services."""
    async_to_sync(adisconnect_participant)(board_id, participant_id)
