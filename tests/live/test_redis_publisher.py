"""The committing threads' PUBLISH (boards.live.redis_publisher), against a real redis-server:
in order, one connection per thread, and past a connection that Redis dropped."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import redis

from boards.live.redis_publisher import RedisPublisher
from tests.live.processes import redis_server

pytestmark = pytest.mark.redis

CHANNEL = "journeymap:test-publisher"


@pytest.fixture
def redis_url(tmp_path) -> Iterator[str]:
    with redis_server(tmp_path) as url:
        yield url


@pytest.fixture
def received(redis_url) -> Iterator[list[bytes]]:
    """What a subscriber to CHANNEL has read so far."""
    client = redis.Redis.from_url(redis_url)
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(CHANNEL)
    pubsub.get_message(timeout=5)  # the subscription's confirmation
    messages: list[bytes] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            message = pubsub.get_message(timeout=0.05)
            if message is not None:
                messages.append(message["data"])

    reader = threading.Thread(target=read)
    reader.start()
    yield messages
    stop.set()
    reader.join()
    pubsub.close()
    client.close()


def wait_for(messages: list[bytes], count: int) -> list[bytes]:
    deadline = time.monotonic() + 5
    while len(messages) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    return list(messages)


def test_messages_arrive_in_the_order_they_were_published(redis_url, received) -> None:
    publisher = RedisPublisher(redis_url)
    publisher.publish([(CHANNEL, b"1"), (CHANNEL, b"2")])
    publisher.publish([(CHANNEL, b"3")])
    assert wait_for(received, 3) == [b"1", b"2", b"3"]
    publisher.close()


def test_a_connection_that_redis_dropped_is_replaced(redis_url, received) -> None:
    publisher = RedisPublisher(redis_url)
    publisher.publish([(CHANNEL, b"before")])
    admin = redis.Redis.from_url(redis_url)
    killed = admin.client_kill_filter(_type="normal", skipme=True)
    # The subscriber's connection is of type pubsub: only the publisher's went.
    assert killed == 1
    publisher.publish([(CHANNEL, b"after")])
    assert wait_for(received, 2) == [b"before", b"after"]
    admin.close()
    publisher.close()


def test_each_thread_publishes_on_a_connection_of_its_own(redis_url, received) -> None:
    publisher = RedisPublisher(redis_url)
    names: list[str] = []

    def publish(thread: int) -> None:
        for n in range(50):
            publisher.publish([(CHANNEL, f"{thread}:{n}".encode())])
        names.append(publisher._local.connection._sock.getsockname())

    threads = [threading.Thread(target=publish, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    messages = [m.decode() for m in wait_for(received, 200)]
    assert len(messages) == 200
    assert len(set(names)) == 4
    for thread in range(4):
        mine = [m for m in messages if m.startswith(f"{thread}:")]
        assert mine == [f"{thread}:{n}" for n in range(50)]
