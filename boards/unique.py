"""Fetching the one row a unique key names, on the write path."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import QuerySet

T = TypeVar("T")


def unique_row(queryset: QuerySet[T]) -> T | None:
    """The row a lookup by a unique key finds, or None.

    `QuerySet.first()` adds an ORDER BY (the model's, or the primary key's) that a lookup by a
    unique key does not need; building it was about a tenth of an op's CPU in `apply_op`
    (make bench --profile)."""
    for row in queryset.order_by()[:1]:
        return row
    return None
