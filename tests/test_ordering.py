"""Fractional ordering keys: a key between any two neighbours, agreed on by server and client."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from boards.models import POSITION_MAX_LENGTH
from boards.ordering import is_valid_position, position_after, position_at_end, sort_by_position


@dataclass(frozen=True)
class Item:
    pk: str
    position: str


@pytest.mark.parametrize(
    ("key", "valid"),
    [
        ("a0", True),
        ("a0V", True),
        ("Zz", True),
        ("", False),
        ("!!", False),
        ("a", False),
        ("a00", False),  # a trailing zero has a shorter twin, so it is refused
        ("a" + "V" * POSITION_MAX_LENGTH, False),
        (5, False),
        (None, False),
    ],
)
def test_it_tells_valid_ordering_keys_from_garbage(key: object, valid: bool) -> None:
    assert is_valid_position(key) is valid


def test_it_sorts_by_byte_order_and_breaks_ties_by_id() -> None:
    items = [Item("b", "a1"), Item("z", "Zz"), Item("a", "a1"), Item("c", "a0")]

    assert [item.pk for item in sort_by_position(items)] == ["z", "c", "a", "b"]


def test_it_places_keys_at_the_end_first_and_between_neighbours() -> None:
    items: list[Item] = []
    for n in range(30):
        items.append(Item(f"end{n}", position_at_end(item.position for item in items)))
    keys = [item.position for item in items]
    first = Item("first", position_after(keys, None))
    middle = Item("middle", position_after(keys, items[10].position))
    items += [first, middle]

    ordered = [item.pk for item in sort_by_position(items)]

    assert ordered[0] == "first"
    assert ordered[ordered.index("end10") + 1] == "middle"
    assert all(is_valid_position(item.position) for item in items)


def test_it_places_into_an_empty_list() -> None:
    assert is_valid_position(position_at_end([]))
    assert is_valid_position(position_after([], None))


def test_it_keeps_finding_room_between_two_neighbours() -> None:
    low, high = Item("low", "a0"), Item("high", "a1")
    items = [low, high]
    for n in range(50):
        items.append(Item(f"n{n}", position_after([item.position for item in items], "a0")))

    ordered = [item.pk for item in sort_by_position(items)]

    assert ordered == ["low", *[f"n{n}" for n in reversed(range(50))], "high"]


def test_a_key_shared_by_two_siblings_still_gets_one_after_it() -> None:
    """Two clients chose the same key: a card placed after one of them goes after both."""
    keys = ["a0", "a1", "a1", "a2"]

    placed = position_after(keys, "a1")

    assert "a1" < placed < "a2"
