"""Facilitator locks, enforced in the one write path for every op, whoever sends it."""

from __future__ import annotations

import pytest

from boards.models import Membership, Op, Role
from boards.ops import OpError
from boards.selectors import board_snapshot
from tests.api_client import api_url, client_for
from tests.workshops.conftest import run_op

pytestmark = pytest.mark.django_db


def refused(board, user, name, args) -> OpError:
    before = (board_snapshot(board.pk), Op.objects.filter(board=board).count())
    with pytest.raises(OpError) as error:
        run_op(board, user, name, args)
    assert (board_snapshot(board.pk), Op.objects.filter(board=board).count()) == before
    return error.value


def test_a_structure_lock_stops_participants_changing_stages_and_lanes(
    board, alice, bob, stages, lanes
):
    run_op(board, alice, "workshop.lock", {"structure": True})

    for name, args in [
        ("stage.create", {"title": "Returns"}),
        ("stage.update", {"id": stages[0], "title": "Renamed"}),
        ("lane.delete", {"id": lanes[0]}),
        ("lane.move", {"id": lanes[0], "after": None}),
    ]:
        error = refused(board, bob, name, args)
        assert error.code == "forbidden"
        assert "locked the stages and lanes" in error.message
    # Cards still go in, and the facilitator still shapes the map.
    run_op(board, bob, "card.create", {"stage_id": stages[0], "lane_id": lanes[0], "text": "x"})
    run_op(board, alice, "stage.create", {"title": "Returns"})


def test_participants_add_and_move_cards_only_in_the_chosen_lanes(board, alice, bob, stages, lanes):
    run_op(board, alice, "workshop.lock", {"card_lanes": [lanes[1]]})

    error = refused(board, bob, "card.create", {"stage_id": stages[0], "lane_id": lanes[0]})
    assert error.code == "forbidden"
    card = run_op(board, bob, "card.create", {"stage_id": stages[0], "lane_id": lanes[1]})
    assert refused(board, bob, "card.move", {"id": card.result["id"], "lane_id": lanes[0]})
    run_op(board, bob, "card.move", {"id": card.result["id"], "stage_id": stages[1]})
    run_op(board, bob, "card.update", {"id": card.result["id"], "text": "Edited"})

    run_op(board, alice, "workshop.lock", {"card_lanes": None})
    run_op(board, bob, "card.create", {"stage_id": stages[0], "lane_id": lanes[0]})


def test_a_read_only_board_refuses_every_participant_change_until_unlocked(
    board, alice, bob, stages, lanes
):
    card = run_op(board, bob, "card.create", {"stage_id": stages[0], "lane_id": lanes[0]})
    run_op(board, alice, "workshop.lock", {"read_only": True})

    for name, args in [
        ("card.update", {"id": card.result["id"], "text": "late"}),
        ("card.delete", {"id": card.result["id"]}),
        ("persona.create", {"name": "Nadia"}),
        ("stage.create", {"title": "Returns"}),
    ]:
        assert refused(board, bob, name, args).code == "forbidden"

    run_op(board, alice, "workshop.lock", {"read_only": False})
    run_op(board, bob, "card.update", {"id": card.result["id"], "text": "late"})


def test_only_a_facilitator_sets_locks(board, alice, bob):
    assert refused(board, bob, "workshop.lock", {"read_only": True}).code == "forbidden"
    Membership.objects.filter(board=board, user=bob).update(role=Role.FACILITATOR)
    assert run_op(board, bob, "workshop.lock", {"read_only": True}).result["locks"] == {
        "structure": False,
        "card_lanes": None,
        "read_only": True,
    }


def test_it_refuses_lanes_of_another_board_and_bad_values(board, alice, stages):
    error = refused(board, alice, "workshop.lock", {"card_lanes": [stages[0]]})
    assert error.code == "invalid"
    assert error.details == {"card_lanes": ["Every lane must be a lane of this board."]}
    assert refused(board, alice, "workshop.lock", {"read_only": "yes"}).code == "invalid"
    assert refused(board, alice, "workshop.lock", {"card_lanes": []}).code == "invalid"


def test_the_rest_api_is_bound_by_the_same_locks_in_the_users_language(board, alice, bob, lanes):
    run_op(board, alice, "workshop.lock", {"structure": True})

    response = client_for(bob).post(
        api_url("lane-list", board.pk),
        {"kind": "actions", "title": "More"},
        format="json",
        headers={"accept-language": "fr"},
    )

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert "verrouillé les étapes et les couloirs" in response.json()["message"]
