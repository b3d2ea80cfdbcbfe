"""The Redis channel layer under a crowd: a thousand sockets joining or leaving their board's
group at once must all get through (journeymap/channel_layer.py)."""

from __future__ import annotations

import asyncio

import pytest

from journeymap.channel_layer import POOL_SIZE, WaitingRedisChannelLayer
from tests.live.processes import redis_server

pytestmark = pytest.mark.redis

CROWD = 10 * POOL_SIZE


@pytest.fixture
def redis_url(tmp_path):
    with redis_server(tmp_path) as url:
        yield url


async def test_a_thousand_sockets_join_and_leave_a_group_at_once(redis_url: str) -> None:
    layer = WaitingRedisChannelLayer(hosts=[{"address": redis_url}])
    channels = [await layer.new_channel() for _ in range(CROWD)]
    try:
        await asyncio.gather(*(layer.group_add("board", c) for c in channels))
        assert len(await layer.connection(0).zrange(layer._group_key("board"), 0, -1)) == CROWD
        await asyncio.gather(*(layer.group_discard("board", c) for c in channels))
        assert await layer.connection(0).zrange(layer._group_key("board"), 0, -1) == []
    finally:
        await layer.flush()
        await layer.close_pools()
