"""Fractional ordering keys: moving an item rewrites its own key and nothing else.

Keys come from `fractional_indexing` (the same algorithm as the `fractional-indexing` npm
package the browser uses), so a client can compute a key locally and the server agrees on it.
They compare byte by byte, which is Python's string order but not PostgreSQL's collation order:
sort them here, never with ORDER BY.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

from fractional_indexing import FIError, generate_key_between, validate_order_key

from boards.models import POSITION_MAX_LENGTH


class Positioned(Protocol):
    @property
    def position(self) -> str: ...

    @property
    def pk(self) -> object: ...


P = TypeVar("P", bound=Positioned)


def is_valid_position(key: object) -> bool:
    if not isinstance(key, str) or not key or len(key) > POSITION_MAX_LENGTH:
        return False
    try:
        validate_order_key(key)
    except FIError:
        return False
    return True


def sort_by_position(items: Iterable[P]) -> list[P]:
    """Order items by key; equal keys (two clients chose the same one) fall back to the id."""
    return sorted(items, key=lambda item: (item.position, str(item.pk)))


def position_at_end(keys: Iterable[str]) -> str:
    """A key after every one of `keys` (the keys of an item's siblings)."""
    return generate_key_between(max(keys, default=None), None)


def position_after(keys: Iterable[str], after: str | None) -> str:
    """A key just after the key `after` among the siblings' `keys` (`after=None`: first
    place). Only keys count: what sorts between two neighbours is decided by them alone."""
    if after is None:
        return generate_key_between(None, min(keys, default=None))
    following = min((key for key in keys if key > after), default=None)
    return generate_key_between(after, following)
