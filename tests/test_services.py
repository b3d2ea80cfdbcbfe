"""Creating boards: from the shipped templates in either language, and as the future state of
an existing map. Both write board content through the op log like any other change."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from boards.builtin_templates import BUILTIN_TEMPLATES
from boards.models import Board, BoardTemplate, MapType, Op
from boards.ops import apply_op
from boards.permissions import Actor
from boards.selectors import board_snapshot
from boards.services import board_copy_as_future_state, board_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("key", [template["key"] for template in BUILTIN_TEMPLATES])
def test_it_builds_a_board_from_each_shipped_template_in_its_language(
    alice: User, templates: None, key: str, language: str
) -> None:
    spec = next(template for template in BUILTIN_TEMPLATES if template["key"] == key)

    board = board_create(
        owner=alice,
        title="Workshop",
        language=language,
        template=BoardTemplate.objects.get(key=key),
    )

    snapshot = board_snapshot(board.pk)
    stages, lanes = spec["structure"]["stages"], spec["structure"]["lanes"]
    assert [s["title"] for s in snapshot["stages"]] == [stage[language] for stage in stages]
    assert [(la["kind"], la["title"]) for la in snapshot["lanes"]] == [
        (lane["kind"], lane[language]) for lane in lanes
    ]
    assert board.map_type == spec["map_type"]
    assert board.seq == len(stages) + len(lanes)
    assert Op.objects.filter(board=board).count() == board.seq


def test_it_speaks_the_practitioners_words_in_french(alice: User, templates: None) -> None:
    six = board_create(
        owner=alice,
        title="Parcours",
        language="fr",
        template=BoardTemplate.objects.get(key="six-stages"),
    )
    five = board_create(
        owner=alice,
        title="Parcours",
        language="fr",
        template=BoardTemplate.objects.get(key="five-stages"),
    )

    assert [s["title"] for s in board_snapshot(six.pk)["stages"]] == [
        "Prise de conscience",
        "Recherche",
        "Considération",
        "Achat",
        "Service après-vente",
        "Fidélisation",
    ]
    assert [s["title"] for s in board_snapshot(five.pk)["stages"]] == [
        "Reconnaissance",
        "Considération",
        "Décision d'achat",
        "Fidélisation",
        "Recommandation",
    ]


def test_it_copies_a_current_state_map_as_its_future_state(
    board: Board, alice: User, bob: User
) -> None:
    bob_writes = Actor.for_user(bob)
    stages = board_snapshot(board.pk)["stages"]
    lanes = board_snapshot(board.pk)["lanes"]

    def send(op: str, /, **args: object) -> dict:
        return apply_op(board_id=board.pk, actor=bob_writes, name=op, args=args).result

    # Reorder a stage, fill two cells, add a persona, and delete what must not be copied.
    send("stage.move", id=stages[3]["id"], after=None)
    send("card.create", stage_id=stages[0]["id"], lane_id=lanes[2]["id"], text="Relieved")
    first = send("card.create", stage_id=stages[1]["id"], lane_id=lanes[0]["id"], text="Search")
    send("card.create", stage_id=stages[1]["id"], lane_id=lanes[0]["id"], text="Ask a friend")
    send("card.move", id=first["id"], after=None)
    send("card.update", id=first["id"], emotion_score=-1, moment_of_truth=True)
    gone = send("card.create", stage_id=stages[1]["id"], lane_id=lanes[0]["id"], text="Gone")
    send("card.delete", id=gone["id"])
    send("persona.create", name="Nadia", goals="Groceries in 10 minutes")
    send("lane.delete", id=lanes[5]["id"])

    future = board_copy_as_future_state(source=board, owner=alice)

    def shape(board_id: object) -> dict:
        snap = board_snapshot(board_id)
        stage_index = {s["id"]: n for n, s in enumerate(snap["stages"])}
        lane_index = {la["id"]: n for n, la in enumerate(snap["lanes"])}
        return {
            "stages": [(s["title"], s["description"]) for s in snap["stages"]],
            "lanes": [(la["kind"], la["title"]) for la in snap["lanes"]],
            "personas": [(p["name"], p["goals"]) for p in snap["personas"]],
            # Positions order cards within a cell only; the stable sort keeps that order.
            "cards": sorted(
                (
                    (
                        stage_index[c["stage_id"]],
                        lane_index[c["lane_id"]],
                        c["text"],
                        c["emotion_score"],
                        c["moment_of_truth"],
                    )
                    for c in snap["cards"]
                ),
                key=lambda cell_card: cell_card[:2],
            ),
        }

    assert shape(future.pk) == shape(board.pk)
    assert len(shape(future.pk)["cards"]) == 3
    assert future.map_type == MapType.FUTURE_STATE
    assert future.source_board == board
    assert future.title == "Online grocery journey (future state)"
    assert future.seq == Op.objects.filter(board=future).count()
    assert {c["id"] for c in board_snapshot(future.pk)["cards"]}.isdisjoint(
        c["id"] for c in board_snapshot(board.pk)["cards"]
    )
