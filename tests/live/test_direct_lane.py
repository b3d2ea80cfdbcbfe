"""The direct lane (boards.live.direct): shared frames written straight to Daphne's connections.

The first test builds the very chain a board socket gets from Daphne and Channels, so a release
of either that moves the internals the lane relies on fails here rather than quietly sending
every frame the slow way. The others check the bytes on a real socket, the order against frames
already queued, and the fall-back to ASGI.
"""

from __future__ import annotations

import socket
from collections import deque
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest
from channels.sessions import InstanceSessionWrapper
from daphne.server import Server
from daphne.ws_protocol import WebSocketProtocol
from websockets.frames import Frame, Opcode
from websockets.streams import StreamReader

from boards.live.direct import DaphneLane, OutFrame, direct_lane
from boards.live.writer import FrameWriter


class Transport:
    """The parts of Twisted's TCP transport the lane reads, over a real socket pair."""

    TLS = False

    def __init__(self, sock: socket.socket) -> None:
        self.socket = sock
        self.connected = True
        self.disconnecting = False
        self.dataBuffer = b""
        self.offset = 0
        self._tempDataBuffer: list[bytes] = []
        self._tempDataLen = 0
        self.written: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.written.append(data)
        self._tempDataBuffer.append(data)
        self._tempDataLen += len(data)


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    server, client = socket.socketpair()
    server.setblocking(False)
    yield server, client
    server.close()
    client.close()


def open_protocol(transport: Transport) -> WebSocketProtocol:
    protocol = WebSocketProtocol()
    protocol.state = protocol.STATE_OPEN
    protocol.send_state = protocol.SEND_STATE_GROUND
    protocol.send_queue = deque()
    protocol.transport = transport
    return protocol


def daphne_send(protocol: WebSocketProtocol) -> Any:
    """The `send` a board consumer receives: Daphne's, wrapped by Channels' sessions."""
    server = Server(application=None, endpoints=["tcp:port=0"])
    wrapper = InstanceSessionWrapper({"type": "websocket", "cookies": {}}, server.handle_reply)
    wrapper.real_send = partial(server.handle_reply, protocol)
    return wrapper.send


def read_frame(client: socket.socket) -> Frame:
    reader = StreamReader()
    client.settimeout(2)
    parser = Frame.parse(reader.read_exact, mask=False)
    while True:
        reader.feed_data(client.recv(1 << 20))
        try:
            next(parser)
        except StopIteration as done:
            return done.value


def test_a_board_socket_under_daphne_takes_the_direct_lane(pair):
    protocol = open_protocol(Transport(pair[0]))
    assert isinstance(direct_lane(daphne_send(protocol)), DaphneLane)


def test_other_servers_keep_the_asgi_path():
    async def send(message: dict[str, Any]) -> None:
        pass

    assert direct_lane(send) is None
    assert direct_lane(partial(send)) is None


@pytest.mark.parametrize("size", [10, 1_000, 70_000])  # 7-bit, 16-bit and 64-bit lengths
def test_the_frame_arrives_whole_and_in_utf8(pair, size):
    server, client = pair
    text = '{"type":"op","text":"' + "é" * size + '"}'
    assert DaphneLane(open_protocol(Transport(server))).write(OutFrame(text).wire)
    frame = read_frame(client)
    assert frame.opcode is Opcode.TEXT
    assert frame.fin
    assert frame.data.decode() == text


def test_a_frame_waits_behind_bytes_already_queued(pair):
    transport = Transport(pair[0])
    transport.write(b"earlier")
    transport.written.clear()
    wire = OutFrame('{"type":"presence"}').wire
    assert DaphneLane(open_protocol(transport)).write(wire)
    assert transport.written == [wire]


def test_what_the_socket_does_not_take_now_is_queued(pair):
    server, _client = pair
    server.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    transport = Transport(server)
    wire = OutFrame("x" * 2_000_000).wire
    assert DaphneLane(open_protocol(transport)).write(wire)
    assert len(transport.written) == 1
    assert wire.endswith(transport.written[0])
    assert len(transport.written[0]) < len(wire)


async def test_a_connection_not_open_takes_the_asgi_path(pair):
    protocol = open_protocol(Transport(pair[0]))
    protocol.state = protocol.STATE_CLOSING
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    writer = FrameWriter(send)
    writer._direct = DaphneLane(protocol)
    writer.write_frame(OutFrame('{"type":"op"}'))
    assert sent == [{"type": "websocket.send", "text": '{"type":"op"}'}]


class Queue:
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    def put_nowait(self, message: dict[str, Any]) -> None:
        self.messages.append(message)


def receiving_protocol(pair: tuple[socket.socket, socket.socket]) -> WebSocketProtocol:
    protocol = open_protocol(Transport(pair[0]))
    protocol.muted = False
    protocol.client_addr = ("127.0.0.1", 1)
    protocol.application_queue = Queue()
    protocol.last_ping = 0.0
    return protocol


def test_frames_the_handler_takes_skip_the_application_queue(pair):
    protocol = receiving_protocol(pair)
    taken: list[bytes] = []
    DaphneLane(protocol).take_frames(lambda payload: taken.append(payload) is None)
    protocol.onMessage(b'{"type":"presence"}', False)
    assert taken == [b'{"type":"presence"}']
    assert protocol.application_queue.messages == []
    assert protocol.last_ping > 0  # Daphne's keep-alive still sees the client


def test_frames_the_handler_declines_reach_the_application_as_before(pair):
    protocol = receiving_protocol(pair)
    offered: list[bytes] = []
    DaphneLane(protocol).take_frames(lambda payload: offered.append(payload) and False)
    protocol.onMessage('{"type":"op","text":"é"}'.encode(), False)
    protocol.onMessage(b"\x00\x01", True)
    assert offered == ['{"type":"op","text":"é"}'.encode()]  # binary frames are not offered
    assert protocol.application_queue.messages == [
        {"type": "websocket.receive", "text": '{"type":"op","text":"é"}'},
        {"type": "websocket.receive", "bytes": b"\x00\x01"},
    ]


def test_a_muted_connection_offers_nothing(pair):
    protocol = receiving_protocol(pair)
    protocol.muted = True
    offered: list[bytes] = []
    DaphneLane(protocol).take_frames(lambda payload: offered.append(payload) is None)
    protocol.onMessage(b'{"type":"presence"}', False)
    assert offered == []
    assert protocol.application_queue.messages == []
