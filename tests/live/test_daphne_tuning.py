"""journeymap.daphne_tuning: autobahn's per-frame costs removed without changing what it reads."""

from __future__ import annotations

import os
import random

import autobahn.twisted.websocket
import autobahn.websocket.protocol
import pytest
from autobahn.nvx._xormasker import create_xor_masker as native_masker

from journeymap import daphne_tuning
from journeymap.daphne_tuning import create_xor_masker


@pytest.mark.parametrize("length", [0, 1, 3, 4, 5, 99, 125, 126, 1_000, 65_536, 70_001])
def test_unmasking_matches_autobahn_whole_and_in_chunks(length):
    rng = random.Random(length)
    mask = os.urandom(4)
    data = rng.randbytes(length)
    expected = native_masker(mask, length).process(data) if length else b""
    assert create_xor_masker(mask, length).process(data) == expected
    masker = create_xor_masker(mask, length)
    pieces, start = [], 0
    while start < length:
        size = rng.randint(1, 9)
        pieces.append(masker.process(data[start : start + size]))
        start += size
        assert masker.pointer() == min(start, length)
    assert b"".join(pieces) == expected
    masker.reset()
    assert masker.pointer() == 0


def test_unmasking_twice_gives_the_data_back():
    mask, data = b"\x01\x80\xff\x10", "curseur déplacé".encode()
    assert create_xor_masker(mask).process(create_xor_masker(mask).process(data)) == data


def test_the_server_entry_point_applies_the_tuning():
    import journeymap.asgi  # noqa: F401  (what Daphne imports)

    assert autobahn.websocket.protocol.create_xor_masker is daphne_tuning.create_xor_masker
    assert autobahn.twisted.websocket.hltype is daphne_tuning.plain_type
    assert daphne_tuning.plain_type(test_unmasking_twice_gives_the_data_back) == (
        "<test_unmasking_twice_gives_the_data_back>"
    )
