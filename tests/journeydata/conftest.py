"""A French board with content in every place an export shows: cards with attributes in
several cells, a persona, and KPIs with history at a stage and at a touchpoint card."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from boards.models import Board, BoardTemplate, Membership, Role
from boards.ops import apply_op
from boards.permissions import Actor
from boards.services import board_create


class Writer:
    def __init__(self, board: Board, user: User) -> None:
        self.board, self.actor = board, Actor.for_user(user)

    def __call__(self, op: str, /, **args: Any) -> dict[str, Any]:
        return apply_op(board_id=self.board.pk, actor=self.actor, name=op, args=args).result


@pytest.fixture
def french_board(alice: User, bob: User, templates: None) -> Board:
    board = board_create(
        owner=alice,
        title="Parcours d'achat épicerie",
        language="fr",
        template=BoardTemplate.objects.get(key="six-stages"),
        goal="Comprendre pourquoi les premières commandes échouent",
    )
    Membership.objects.create(board=board, user=bob, role=Role.EDITOR)
    write = Writer(board, alice)
    stages = {s.title: str(s.pk) for s in board.stages.all()}
    lanes = {la.kind: str(la.pk) for la in board.lanes.all()}
    achat, recherche = stages["Achat"], stages["Recherche"]
    write(
        "card.create",
        stage_id=achat,
        lane_id=lanes["pain_points"],
        text="Créneau de livraison épuisé",
        color="pink",
        moment_of_truth=True,
    )
    write(
        "card.create",
        stage_id=achat,
        lane_id=lanes["emotions"],
        text="Déçue, « encore raté »",
        emotion_score=-2,
    )
    touchpoint = write(
        "card.create",
        stage_id=recherche,
        lane_id=lanes["touchpoints"],
        text="Appli mobile",
        channel="app",
        brand_controlled=True,
        touchpoint_state="observed",
    )
    write("card.create", stage_id=recherche, lane_id=lanes["actions"], text="Compare les prix")
    write(
        "persona.create",
        name="Élodie",
        role="Mère pressée",
        goals="Gagner du temps",
        quote="Je n'ai pas une minute à perdre.",
    )
    write(
        "metric.record",
        stage_id=achat,
        kind="nps",
        counts={"10": 3, "9": 2, "8": 2, "7": 1, "3": 2},
        date="2026-02-28",
        source="Enquête février",
    )
    write("metric.record", stage_id=achat, kind="nps", responses=[10, 2], date="2026-01-31")
    write(
        "metric.record",
        stage_id=achat,
        kind="conversion_rate",
        value=3.5,
        date="2026-02-28",
        source="Analytics",
    )
    write(
        "metric.record",
        card_id=touchpoint["id"],
        kind="csat",
        scale=10,
        responses=[9, 8, 4],
        date="2026-02-15",
    )
    write(
        "metric.record",
        stage_id=recherche,
        kind="custom",
        name="Paniers créés",
        unit="paniers",
        value=1250,
        date="2026-02-28",
    )
    board.refresh_from_db()
    return board
