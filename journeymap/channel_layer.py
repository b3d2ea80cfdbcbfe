"""channels_redis's layer, with a connection pool that waits for a free connection.

redis-py 8's asyncio ConnectionPool raises MaxConnectionsError the moment its 100 connections
are in use. Every socket that connects or closes makes a group call, so a thousand sockets
closing together (a workshop ending, a proxy restarting) made most of those calls fail: 852
of 1,000 at the end of the benchmark's wide-1000 (make bench, in the servers' logs). Here the
callers queue for a connection instead, as they would for Redis itself.
"""

from __future__ import annotations

from typing import Any

import redis.asyncio
from channels_redis.core import RedisChannelLayer

# Connections per process and Redis server, and how long a call may wait for one.
POOL_SIZE = 100
POOL_WAIT_SECONDS = 20.0


class WaitingRedisChannelLayer(RedisChannelLayer):
    def create_pool(self, index: int) -> Any:
        host = dict(self.hosts[index])
        if "address" not in host:
            return super().create_pool(index)  # Sentinel: channels_redis's own pool
        return redis.asyncio.BlockingConnectionPool.from_url(
            host.pop("address"), max_connections=POOL_SIZE, timeout=POOL_WAIT_SECONDS, **host
        )
