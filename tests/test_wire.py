"""`cards_data` (many cards read as plain values, for snapshots) says exactly what
`card_data` (one card instance, for op results) says."""

from __future__ import annotations

import pytest

from boards.models import Card, Guest, Lane, Role, ShareLink, Stage
from boards.wire import card_data, cards_data

pytestmark = pytest.mark.django_db


def test_cards_data_matches_card_data_for_every_kind_of_author(board, alice):
    link = ShareLink.objects.create(
        board=board, role=Role.EDITOR, token_hash="0" * 64, created_by=alice
    )
    guest = Guest.objects.create(board=board, share_link=link, display_name="Zoé", color="teal")
    stage, lane = (
        Stage.objects.filter(board=board).first(),
        Lane.objects.filter(board=board).first(),
    )
    cell = {"board": board, "stage": stage, "lane": lane}
    Card.objects.create(**cell, text="Compare prices", position="a0", author=alice)
    Card.objects.create(
        **cell,
        text="Colis abîmé",
        position="a1",
        author_guest=guest,
        emotion_score=-2,
        channel="email",
        brand_controlled=True,
        moment_of_truth=True,
    )
    Card.objects.create(**cell, text="Imported", position="a2", deleted=True)

    cards = Card.objects.filter(board=board)
    expected = sorted((card_data(card) for card in cards), key=lambda card: card["id"])
    assert sorted(cards_data(cards), key=lambda card: card["id"]) == expected
    assert {card["author_name"] for card in expected} == {"alice", "Zoé", ""}
