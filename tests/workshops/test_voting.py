"""Dot voting: the facilitator opens a vote on the board or on chosen lanes with N dots each;
participants place and remove dots; results hidden until the close if asked; a ranked result."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.urls import reverse

from boards.ops import OpError
from tests.api_client import client_for
from tests.workshops.conftest import run_op

pytestmark = pytest.mark.django_db(transaction=True)


def cards(board, alice, stages, lanes, count: int) -> list[str]:
    return [
        run_op(
            board, alice, "card.create", {"stage_id": stages[0], "lane_id": lanes[i % 2]}
        ).result["id"]
        for i in range(count)
    ]


def refused(board, user, name, args) -> OpError:
    with pytest.raises(OpError) as error:
        run_op(board, user, name, args)
    return error.value


def test_each_participant_places_at_most_n_dots_and_can_take_them_back(
    board, alice, bob, stages, lanes
):
    first, second = cards(board, alice, stages, lanes, 2)
    run_op(board, alice, "vote.open", {"votes_per_participant": 2, "hide_results": False})

    one = run_op(board, bob, "vote.add", {"card_id": first}).result
    two = run_op(board, bob, "vote.add", {"card_id": first}).result
    assert (one["mine"], one["remaining"], one["total"]) == (1, 1, 1)
    assert (two["mine"], two["remaining"], two["total"]) == (2, 0, 2)
    error = refused(board, bob, "vote.add", {"card_id": second})
    assert (error.code, error.message) == ("invalid", "You have no votes left.")

    back = run_op(board, bob, "vote.remove", {"card_id": first}).result
    assert (back["mine"], back["remaining"]) == (1, 1)
    run_op(board, bob, "vote.add", {"card_id": second})
    assert refused(board, bob, "vote.remove", {"card_id": "0" * 8 + "-0000-0000-0000-" + "0" * 12})


def test_a_vote_on_chosen_lanes_refuses_cards_of_other_lanes(board, alice, bob, stages, lanes):
    in_lane, other_lane = cards(board, alice, stages, lanes, 2)
    run_op(board, alice, "vote.open", {"votes_per_participant": 3, "lane_ids": [lanes[0]]})

    run_op(board, bob, "vote.add", {"card_id": in_lane})
    assert refused(board, bob, "vote.add", {"card_id": other_lane}).code == "invalid"


def test_the_close_gives_the_ranked_result(board, alice, bob, stages, lanes):
    first, second, third = cards(board, alice, stages, lanes, 3)
    run_op(board, alice, "vote.open", {"votes_per_participant": 3})
    for user, card in [(bob, second), (bob, second), (alice, second), (alice, first)]:
        run_op(board, user, "vote.add", {"card_id": card})

    closed = run_op(board, alice, "vote.close").result

    assert closed["vote"]["open"] is False
    assert closed["vote"]["results"] == [
        {"card_id": second, "votes": 3},
        {"card_id": first, "votes": 1},
    ]
    assert refused(board, bob, "vote.add", {"card_id": third}).message == "No vote is open."


def test_only_one_vote_is_open_at_a_time_and_bad_input_is_refused(board, alice, bob, stages):
    assert refused(board, alice, "vote.open", {"votes_per_participant": 0}).code == "invalid"
    assert refused(board, alice, "vote.open", {"votes_per_participant": "3"}).code == "invalid"
    bad_lane = refused(board, alice, "vote.open", {"votes_per_participant": 3, "lane_ids": stages})
    assert bad_lane.details == {"lane_ids": ["Every lane must be a lane of this board."]}
    run_op(board, alice, "vote.open", {"votes_per_participant": 3})
    assert refused(board, alice, "vote.open", {"votes_per_participant": 3}).code == "invalid"
    assert refused(board, bob, "vote.close", {}).code == "forbidden"


async def test_hidden_results_keep_each_dot_between_the_voter_and_the_server(
    board, alice, bob, stages, lanes, connect
):
    (card,) = await sync_to_async(cards)(board, alice, stages, lanes, 1)
    await sync_to_async(run_op)(board, alice, "vote.open", {"votes_per_participant": 3})
    alice_socket, _ = await connect(board, alice)
    bob_socket, _ = await connect(board, bob)
    await alice_socket.sync(None)
    await bob_socket.sync(None)

    vote = await sync_to_async(run_op)(board, bob, "vote.add", {"card_id": card})

    assert (await alice_socket.receive_type("op"))["op"] == "hidden"
    own = await bob_socket.receive_type("op")
    assert own["result"] == {
        "session_id": vote.result["session_id"],
        "card_id": card,
        "voter_id": f"u:{bob.pk}",
        "mine": 1,
        "remaining": 2,
        "total": None,
    }
    state = await sync_to_async(_workshop_state)(alice, board)
    assert state["workshop"]["vote"]["results"] is None
    assert state["my_votes"] == {}
    assert (await sync_to_async(_workshop_state)(bob, board))["my_votes"] == {card: 1}

    closed = await sync_to_async(run_op)(board, alice, "vote.close")
    frame = await alice_socket.receive_type("op")
    assert frame["seq"] == closed.seq
    assert frame["result"]["vote"]["results"] == [{"card_id": card, "votes": 1}]


def _workshop_state(user, board) -> dict:
    response = client_for(user).get(reverse("workshops:workshop-state", args=[board.pk]))
    assert response.status_code == 200
    return response.json()
