"""Reading the past through the API: the board at a seq or date, deleted items and their
restore, compare (two versions, or a current state with its future state), the activity log
and its CSV export."""

from __future__ import annotations

import csv
import io

import pytest

from boards.models import Board
from boards.selectors import board_snapshot
from boards.services import board_copy_as_future_state
from tests.api_client import api_url, client_for
from tests.history.conftest import history_url

pytestmark = pytest.mark.django_db


def test_a_viewer_travels_to_a_seq_and_to_a_date(board, bob, dave, edit, cell):
    created = edit(bob, "card.create", text="Draft", **cell)
    edit(bob, "card.update", id=created.result["id"], text="Final")
    client = client_for(dave)

    at_seq = client.get(history_url("time-travel", board.pk), {"seq": created.seq}).json()
    at_date = client.get(history_url("time-travel", board.pk), {"at": at_seq["at"]}).json()
    at_start = client.get(history_url("time-travel", board.pk), {"seq": 0}).json()

    assert [c["text"] for c in at_seq["snapshot"]["cards"]] == ["Draft"]
    assert at_date["seq"] == created.seq
    assert at_start["snapshot"]["stages"] == []
    assert at_start["at"] is None
    assert [c["text"] for c in board_snapshot(board.pk)["cards"]] == ["Final"]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"seq": -1},
        {"seq": "x"},
        {"seq": 10_000},
        {"at": "yesterday"},
        {"seq": 1, "at": "2026-01-01T00:00:00Z"},
    ],
)
def test_time_travel_refuses_what_is_not_a_seq_or_date_of_this_board(board, dave, query):
    response = client_for(dave).get(history_url("time-travel", board.pk), query)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_time_travel_speaks_the_user_language(board, dave):
    response = client_for(dave).get(
        history_url("time-travel", board.pk), {"seq": 10_000}, HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert response.json()["details"]["seq"] == ["Ce tableau n’a pas encore atteint ce numéro."]  # noqa: RUF001


def test_deleted_cards_and_stages_are_listed_and_come_back(board, bob, dave, edit, cell):
    card = edit(bob, "card.create", text="Oops", **cell)
    edit(bob, "card.delete", id=card.result["id"])
    stage_card = edit(
        bob, "card.create", text="In the stage", **{**cell, "stage_id": cell["stage_id"]}
    )
    edit(bob, "stage.delete", id=cell["stage_id"])

    listed = client_for(dave).get(history_url("deleted", board.pk)).json()

    assert [(item["kind"], item["deleted_by"]) for item in listed] == [("stage", "bob")]
    assert listed[0]["cards"] == 1  # "Oops" was deleted on its own and stays deleted
    client = client_for(bob)
    client.post(api_url("stage-restore", board.pk, cell["stage_id"]))
    assert [c["text"] for c in board_snapshot(board.pk)["cards"]] == ["In the stage"]
    listed = client.get(history_url("deleted", board.pk)).json()
    assert [(item["kind"], item["item"]["text"]) for item in listed] == [("card", "Oops")]
    client.post(api_url("card-restore", board.pk, card.result["id"]))
    assert sorted(c["text"] for c in board_snapshot(board.pk)["cards"]) == ["In the stage", "Oops"]
    assert stage_card.result["id"] in {c["id"] for c in board_snapshot(board.pk)["cards"]}


def test_two_versions_compare_cell_by_cell(board, alice, bob, edit, cell):
    client = client_for(alice)
    kept = edit(bob, "card.create", text="Kept", **cell)
    gone = edit(bob, "card.create", text="Gone", **cell)
    q1 = client.post(history_url("version-list", board.pk), {"name": "Q1"}, format="json").json()
    edit(bob, "card.update", id=kept.result["id"], color="pink")
    edit(bob, "card.delete", id=gone.result["id"])
    edit(bob, "card.create", text="New", **cell)

    answer = client.get(
        history_url("compare", board.pk), {"left": f"version:{q1['id']}", "right": "current"}
    ).json()

    assert answer["left"]["label"] == "Q1"
    assert answer["diff"]["totals"] == {"added": 1, "removed": 1, "changed": 1, "unchanged": 0}
    [changed_cell] = answer["diff"]["cells"]
    assert (changed_cell["stage"], changed_cell["lane"]) == ("Awareness", "Actions")
    assert [c["text"] for c in changed_cell["added"]] == ["New"]
    assert [c["text"] for c in changed_cell["removed"]] == ["Gone"]
    assert changed_cell["changed"][0]["fields"] == ["color"]
    assert len(answer["left"]["snapshot"]["cards"]) == 2


def test_a_current_state_compares_with_its_future_state(board, alice, bob, edit, cell):
    edit(bob, "card.create", text="Queue at the till", **cell)
    edit(bob, "card.create", text="Slow delivery", **cell)
    future = board_copy_as_future_state(source=board, owner=alice)
    client = client_for(alice)
    first = sorted(future.cards.all(), key=lambda c: c.text)
    client.delete(api_url("card-detail", future.pk, first[0].pk))
    client.patch(
        api_url("card-detail", future.pk, first[1].pk), {"emotion_score": 1}, format="json"
    )

    answer = client.get(
        history_url("compare", board.pk), {"left": "current", "right": f"board:{future.pk}"}
    ).json()

    assert answer["right"]["title"] == "Online grocery journey (future state)"
    assert answer["diff"]["totals"] == {"added": 0, "removed": 1, "changed": 1, "unchanged": 0}
    [changes] = answer["diff"]["cells"]
    assert [c["text"] for c in changes["removed"]] == ["Queue at the till"]
    assert changes["changed"][0]["fields"] == ["emotion_score"]


def test_compare_refuses_unrelated_or_hidden_boards(board, alice, bob, charlie):
    from boards.services import board_create

    unrelated = board_create(owner=alice, title="Other", language="en")
    hidden = board_copy_as_future_state(source=board, owner=charlie)
    client = client_for(bob)
    for ref in (
        f"board:{unrelated.pk}",
        f"board:{hidden.pk}",
        "seq:99999",
        "version:nope",
        "yesterday",
    ):
        response = client.get(history_url("compare", board.pk), {"left": ref})
        assert response.status_code in (400, 404), ref
        assert response.json()["code"] in ("invalid", "not_found"), ref


def test_the_activity_log_filters_by_person_stage_and_kind(board, alice, bob, dave, edit, cell):
    card = edit(bob, "card.create", text="Bob's", **cell)
    other_stage = sorted(board.stages.all(), key=lambda s: s.position)[1]
    edit(alice, "card.move", id=card.result["id"], stage_id=str(other_stage.pk))
    edit(alice, "stage.update", id=cell["stage_id"], title="Discover")
    client = client_for(dave)
    url = history_url("activity", board.pk)

    everyone = client.get(url).json()["people"]
    by_bob = client.get(url, {"actor": f"u:{bob.pk}"}).json()["entries"]
    in_stage = client.get(url, {"stage": cell["stage_id"]}).json()["entries"]
    stages = client.get(url, {"kind": "stage", "limit": 2}).json()

    assert everyone == [
        {"id": f"u:{alice.pk}", "name": "alice"},
        {"id": f"u:{bob.pk}", "name": "bob"},
    ]
    assert [(e["op"], e["summary"], e["actor"]["name"]) for e in by_bob] == [
        ("card.create", "Bob's", "bob")
    ]
    assert [e["op"] for e in in_stage] == ["stage.update", "card.move", "card.create"]
    assert [e["op"] for e in stages["entries"]] == ["stage.update", "stage.create"]
    older = client.get(url, {"kind": "stage", "before": stages["next_before"]}).json()["entries"]
    assert older[0]["seq"] < stages["entries"][-1]["seq"]
    assert client.get(url, {"kind": "nonsense"}).status_code == 400
    assert client.get(url, {"actor": "alice"}).status_code == 400


def test_the_activity_log_exports_as_csv_safe_for_spreadsheets(board, bob, dave, edit, cell):
    edit(bob, "card.create", text='=HYPERLINK("http://evil")', **cell)

    response = client_for(dave).get(history_url("activity-csv", board.pk), {"kind": "card"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["seq", "time", "person", "change", "object", "stage", "text"]
    assert rows[1][2:4] == ["bob", "card.create"]
    assert rows[1][6] == '\'=HYPERLINK("http://evil")'
    assert len(rows) == 2
    assert Board.objects.filter(pk=board.pk).exists()


def test_compare_shows_each_stage_kpi_as_each_side_knew_it(board, alice, bob, edit, cell):
    client = client_for(alice)
    nps = {"stage_id": cell["stage_id"], "kind": "nps"}
    edit(bob, "metric.record", **nps, responses=[9, 10], date="2026-03-31")
    q1 = client.post(history_url("version-list", board.pk), {"name": "Q1"}, format="json").json()
    edit(bob, "metric.record", **nps, responses=[0, 10], date="2026-06-30")

    answer = client.get(
        history_url("compare", board.pk), {"left": f"version:{q1['id']}", "right": "current"}
    ).json()

    assert answer["diff"]["kpis"] == [
        {
            "stage": "Awareness",
            "kind": "nps",
            "name": "",
            "unit": "",
            "left": 100.0,
            "right": 0.0,
            "delta": -100.0,
            "better": False,
        }
    ]


def test_a_share_link_guest_reads_the_history_but_writes_nothing(client, board, alice, edit, cell):
    from boards.models import Role
    from boards.permissions import Actor
    from boards.sharing import services
    from boards.sharing.access import GUEST_SESSION_KEY

    edit(alice, "card.create", text="Seen by guests", **cell)
    link, _token = services.share_link_create(
        board_id=board.pk, actor=Actor.for_user(alice), role=Role.EDITOR
    )
    guest = services.guest_join(link=link, display_name="Zoé")
    session = client.session
    session[GUEST_SESSION_KEY] = {str(board.pk): str(guest.pk)}
    session.save()

    travelled = client.get(history_url("time-travel", board.pk), {"seq": board.ops.count()})
    named = client.post(
        history_url("version-list", board.pk), {"name": "Mine"}, content_type="application/json"
    )

    assert travelled.status_code == 200
    assert [c["text"] for c in travelled.json()["snapshot"]["cards"]] == ["Seen by guests"]
    assert named.status_code == 401
    assert client.get(history_url("activity", board.pk)).status_code == 200
    services.share_link_revoke(board_id=board.pk, actor=Actor.for_user(alice), link_id=link.pk)
    assert client.get(history_url("activity", board.pk)).status_code == 404


def test_nobody_at_all_is_told_to_sign_in(client, board):
    assert client.get(history_url("activity", board.pk)).status_code == 401
