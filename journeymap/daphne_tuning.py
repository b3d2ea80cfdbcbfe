"""Two costs autobahn (Daphne's WebSocket layer) adds to every frame a client sends, removed.

A workshop's clients send about 2,000 cursor frames a second at 200 participants, so work done
per received frame adds up (make bench, profiled with `--profile`, docs/performance.md):

- Unmasking. autobahn's native masker allocates two cffi buffers and a finaliser for every
  frame, which costs more than the XOR itself for a cursor frame of 100 bytes. One XOR of two
  Python integers does the same in C, in a fraction of the time, at any length.
- Debug logging. `WebSocketAdapterProtocol.dataReceived` builds its debug line's arguments
  before the logger drops them: `hltype` and `hlval` colour text through `click` whenever click
  is importable (uvicorn brings it). The plain versions below keep the same text, uncoloured.

`tune()` runs once, from journeymap.asgi; tests/live/test_daphne_tuning.py checks the masker
against autobahn's own and that a server process has both in place.
"""

from __future__ import annotations

from typing import Any


class XorMasker:
    """RFC 6455 unmasking with autobahn's masker interface: `process` may be called several
    times per frame as its payload arrives, continuing from `pointer()`."""

    __slots__ = ("_mask", "_pointer")

    def __init__(self, mask: bytes) -> None:
        self._mask = bytes(mask)
        self._pointer = 0

    def pointer(self) -> int:
        return self._pointer

    def reset(self) -> None:
        self._pointer = 0

    def process(self, data: bytes) -> bytes:
        length = len(data)
        if not length:
            return b""
        # Continue the mask where the previous chunk of this frame stopped.
        turn = self._pointer & 3
        mask = self._mask[turn:] + self._mask[:turn]
        key = (mask * (length // 4 + 1))[:length]
        self._pointer += length
        masked = int.from_bytes(data, "little") ^ int.from_bytes(key, "little")
        return masked.to_bytes(length, "little")


def create_xor_masker(mask: bytes, length: int | None = None) -> XorMasker:
    return XorMasker(mask)


def plain_type(obj: Any) -> str:
    return f"<{getattr(obj, '__qualname__', type(obj).__qualname__)}>"


def plain_value(value: Any, color: str = "white", bold: bool = True) -> str:
    return f"{value}"


def tune() -> None:
    import autobahn.twisted.websocket
    import autobahn.websocket.protocol

    autobahn.websocket.protocol.create_xor_masker = create_xor_masker  # type: ignore[assignment]
    autobahn.twisted.websocket.hltype = plain_type  # type: ignore[assignment]
    autobahn.twisted.websocket.hlval = plain_value  # type: ignore[assignment]
