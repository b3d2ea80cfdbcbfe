"""Restoring a version during a workshop's private writing leaves the private cards alone:
the restore reaches everyone, so it must not show them, nor take them from their authors."""

from __future__ import annotations

import pytest

from boards.models import Card, Op
from history.services import version_create

pytestmark = pytest.mark.django_db

SECRET = "Delivery fees are a scam"


def test_a_restore_neither_shows_nor_removes_a_private_card(board, alice, bob, edit, cell):
    version = version_create(board_id=board.pk, name="Before the workshop")
    public = edit(bob, "card.create", text="Said out loud", **cell)
    edit(alice, "private.start")
    private = edit(bob, "card.create", text=SECRET, **cell)

    restored = edit(alice, "version.restore", version_id=str(version.pk))

    changed = {card["id"] for card in restored.result["changes"]["cards"]}
    assert changed == {public.result["id"]}
    assert SECRET not in str(Op.objects.get(board=board, seq=restored.seq).result)
    assert not Card.objects.get(pk=private.result["id"]).deleted
    assert Card.objects.get(pk=public.result["id"]).deleted
