"""The agenda step bar and the timer: the facilitator moves everyone; everyone sees the same
time, computed from server times, right after a reload."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from asgiref.sync import sync_to_async
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from boards.models import Board, Guest, Language, Role, ShareLink
from boards.ops import OpError
from boards.services import board_create
from boards.sharing.access import GUEST_SESSION_KEY
from tests.api_client import client_for
from tests.workshops.conftest import run_op

pytestmark = pytest.mark.django_db(transaction=True)


def workshop_state(user, board) -> dict:
    response = client_for(user).get(reverse("workshops:workshop-state", args=[board.pk]))
    assert response.status_code == 200
    return response.json()


def refused(board, user, name, args) -> OpError:
    with pytest.raises(OpError) as error:
        run_op(board, user, name, args)
    return error.value


def test_a_board_starts_with_the_workshop_phases_in_its_language(alice, templates):
    board = board_create(owner=alice, title="Parcours", language=Language.FRENCH)

    state = workshop_state(alice, board)

    titles = [step["title"] for step in state["workshop"]["agenda"]]
    assert titles[0] == "Échauffement et brise-glace"
    assert len(titles) == 7
    assert state["workshop"]["step"] == 0
    assert state["workshop"]["timer"]["state"] == "idle"


async def test_the_facilitator_moves_everyone_to_a_step_with_its_time_box(
    board, alice, bob, connect
):
    bob_socket, _ = await connect(board, bob)
    await bob_socket.sync(None)

    went = await sync_to_async(run_op)(board, alice, "agenda.go", {"step": 3, "start_timer": True})

    frame = await bob_socket.receive_type("op")
    assert frame["seq"] == went.seq
    assert frame["op"] == "agenda.go"
    assert frame["result"]["step"] == 3
    timer = frame["result"]["timer"]
    assert timer["state"] == "running"
    assert timer["duration_ms"] == 30 * 60 * 1000  # "Mapping the touchpoints": 30 minutes
    assert frame["result"]["agenda"][3]["instructions"]


def test_the_agenda_can_be_rewritten_and_bad_steps_are_refused(board, alice, bob):
    steps = [{"title": "Personas", "minutes": None, "instructions": "Who walks it?"}]
    assert run_op(board, alice, "agenda.update", {"steps": steps}).result["agenda"] == steps
    assert refused(board, alice, "agenda.go", {"step": 1}).details == {
        "step": ["The agenda has no such step."]
    }
    assert refused(board, alice, "agenda.update", {"steps": []}).code == "invalid"
    assert refused(board, alice, "agenda.update", {"steps": [{"title": "x"}]}).code == "invalid"
    assert refused(board, bob, "agenda.go", {"step": 0}).code == "forbidden"


def test_the_timer_counts_in_server_time_through_pause_resume_extend_and_stop(board, alice):
    started = run_op(board, alice, "timer.start", {"seconds": 300}).result["timer"]
    ends_at = datetime.fromisoformat(started["ends_at"])
    assert timedelta(seconds=290) < ends_at - timezone.now() <= timedelta(seconds=300)

    # A reload reads the same end and the server's clock to count from.
    state = workshop_state(alice, board)
    assert state["workshop"]["timer"] == started
    assert abs(datetime.fromisoformat(state["now"]) - timezone.now()) < timedelta(seconds=60)

    paused = run_op(board, alice, "timer.pause").result["timer"]
    assert paused["state"] == "paused"
    assert paused["ends_at"] is None
    assert 290_000 < paused["remaining_ms"] <= 300_000
    extended = run_op(board, alice, "timer.extend", {"seconds": 60}).result["timer"]
    assert extended["remaining_ms"] == paused["remaining_ms"] + 60_000
    assert extended["duration_ms"] == 360_000
    resumed = run_op(board, alice, "timer.resume").result["timer"]
    assert resumed["state"] == "running"
    assert refused(board, alice, "timer.resume", {}).message == "The timer is not paused."
    stopped = run_op(board, alice, "timer.stop").result["timer"]
    assert stopped == {"state": "idle", "duration_ms": 360_000, "ends_at": None, "remaining_ms": 0}
    assert refused(board, alice, "timer.pause", {}).message == "The timer is not running."
    assert refused(board, alice, "timer.extend", {"seconds": 60}).code == "invalid"
    assert refused(board, alice, "timer.start", {"seconds": 0}).code == "invalid"


def test_a_timer_that_rang_starts_again_when_extended(board, alice):
    run_op(board, alice, "timer.start", {"seconds": 1})
    from workshops.models import Workshop

    Workshop.objects.filter(board=board).update(timer_ends_at=timezone.now() - timedelta(hours=1))

    extended = run_op(board, alice, "timer.extend", {"seconds": 120}).result["timer"]

    left = datetime.fromisoformat(extended["ends_at"]) - timezone.now()
    assert timedelta(seconds=100) < left <= timedelta(seconds=120)


def test_outsiders_learn_nothing_of_a_workshop(board, charlie):
    missing = reverse("workshops:workshop-state", args=[Board(title="x").pk])
    found = client_for(charlie).get(reverse("workshops:workshop-state", args=[board.pk]))
    assert found.status_code == 404
    assert found.json() == client_for(charlie).get(missing).json()


def test_a_share_link_guest_reads_the_workshop_and_anonymous_visitors_do_not(board, alice):
    link = ShareLink.objects.create(board=board, role=Role.EDITOR, token_hash="h" * 64)
    guest = Guest.objects.create(board=board, share_link=link, display_name="Dana", color="teal")
    client = APIClient()
    session = client.session
    session[GUEST_SESSION_KEY] = {str(board.pk): str(guest.pk)}
    session.save()
    url = reverse("workshops:workshop-state", args=[board.pk])

    assert client.get(url).json()["workshop"]["step"] == 0
    anonymous = APIClient().get(url)
    assert anonymous.status_code == 404
    assert anonymous.json()["code"] == "not_found"
