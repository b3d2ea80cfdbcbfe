"""Versions: named by hand, automatic at the end of a workshop and daily, restored in place
(one op, itself undoable) or as a new board; who may do what."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import call_command

from boards.models import Board, Card, Op
from boards.selectors import board_snapshot
from history.models import Version, VersionKind
from history.services import workshop_ended
from tests.api_client import client_for
from tests.history.conftest import history_url

pytestmark = pytest.mark.django_db


def card_texts(board_id) -> list[str]:
    return sorted(card["text"] for card in board_snapshot(board_id)["cards"])


def test_an_editor_names_a_version_and_a_viewer_sees_it(board, bob, dave, edit, cell):
    edit(bob, "card.create", text="Slots sold out", **cell)

    created = client_for(bob).post(
        history_url("version-list", board.pk), {"name": "Q1 review"}, format="json"
    )
    listed = client_for(dave).get(history_url("version-list", board.pk))
    shown = client_for(dave).get(history_url("version-detail", board.pk, created.json()["id"]))

    assert created.status_code == 201
    assert created.json()["created_by"] == "bob"
    assert [(v["name"], v["seq"]) for v in listed.json()] == [("Q1 review", board.ops.count())]
    assert [card["text"] for card in shown.json()["snapshot"]["cards"]] == ["Slots sold out"]


def test_a_viewer_may_not_name_a_version(board, dave):
    response = client_for(dave).post(
        history_url("version-list", board.pk), {"name": "Mine"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Version.objects.exists()


def test_a_version_needs_a_name_that_fits(board, bob):
    client = client_for(bob)
    for body in ({}, {"name": ""}, {"name": "x" * 201}):
        response = client.post(history_url("version-list", board.pk), body, format="json")
        assert response.status_code == 400
        assert response.json()["code"] == "invalid"
    assert not Version.objects.exists()


def test_outsiders_get_the_same_404_whether_the_board_exists_or_not(board, charlie, alice):
    version = (
        client_for(alice)
        .post(history_url("version-list", board.pk), {"name": "v"}, format="json")
        .json()
    )
    client = client_for(charlie)
    missing = uuid.uuid4()
    for name, args in [
        ("version-list", ()),
        ("version-detail", (version["id"],)),
        ("time-travel", ()),
        ("deleted", ()),
        ("compare", ()),
        ("activity", ()),
        ("activity-csv", ()),
    ]:
        real = client.get(history_url(name, board.pk, *args), {"seq": 0, "left": "current"})
        fake = client.get(history_url(name, missing, *args), {"seq": 0, "left": "current"})
        assert real.status_code == fake.status_code == 404, name
        assert real.json() == fake.json(), name
    posted = client.post(history_url("version-restore", board.pk, version["id"]))
    assert posted.status_code == 404
    assert client.post(history_url("version-copy", board.pk, version["id"])).status_code == 404


def test_restoring_in_place_is_one_op_that_can_itself_be_undone(board, alice, bob, edit, cell):
    kept = edit(bob, "card.create", text="Kept", **cell)
    client = client_for(alice)
    version = client.post(
        history_url("version-list", board.pk), {"name": "Q1"}, format="json"
    ).json()
    edit(bob, "card.update", id=kept.result["id"], text="Rewritten")
    edit(bob, "card.create", text="Added later", **cell)
    edit(alice, "board.update", title="Renamed")
    seq_before = Board.objects.get(pk=board.pk).seq

    response = client.post(history_url("version-restore", board.pk, version["id"]))

    assert response.status_code == 200
    assert response.json()["seq"] == seq_before + 1
    assert card_texts(board.pk) == ["Kept"]
    assert board_snapshot(board.pk)["board"]["title"] == "Online grocery journey"
    op = Op.objects.get(board=board, seq=seq_before + 1)
    assert op.name == "version.restore"
    assert op.before["cards"][kept.result["id"]] == {"text": "Rewritten"}
    assert Card.objects.filter(board=board, text="Added later", deleted=True).exists()

    # The present was kept as a version first: restoring it undoes the restore.
    undo = Version.objects.get(board=board, kind=VersionKind.BEFORE_RESTORE)
    assert undo.name == "Before restoring “Q1”"
    client.post(history_url("version-restore", board.pk, undo.pk))
    assert card_texts(board.pk) == ["Added later", "Rewritten"]
    assert board_snapshot(board.pk)["board"]["title"] == "Renamed"


def test_only_a_facilitator_or_owner_restores_in_place(board, alice, bob, edit, cell):
    version = (
        client_for(alice)
        .post(history_url("version-list", board.pk), {"name": "Q1"}, format="json")
        .json()
    )
    edit(bob, "card.create", text="Mine", **cell)

    response = client_for(bob).post(history_url("version-restore", board.pk, version["id"]))

    assert response.status_code == 403
    assert card_texts(board.pk) == ["Mine"]


def test_an_unknown_version_is_not_found_and_changes_nothing(board, alice):
    seq = Board.objects.get(pk=board.pk).seq
    response = client_for(alice).post(history_url("version-restore", board.pk, uuid.uuid4()))

    assert response.status_code == 404
    assert Board.objects.get(pk=board.pk).seq == seq


def test_a_version_of_another_board_cannot_be_restored_here(board, alice, templates):
    from boards.services import board_create

    other = board_create(owner=alice, title="Other", language="en")
    foreign = (
        client_for(alice)
        .post(history_url("version-list", other.pk), {"name": "x"}, format="json")
        .json()
    )

    response = client_for(alice).post(history_url("version-restore", board.pk, foreign["id"]))

    assert response.status_code == 404


def test_a_version_becomes_a_new_board_owned_by_who_asked(board, alice, bob, edit, cell):
    edit(bob, "card.create", text="Then", **cell)
    version = (
        client_for(alice)
        .post(history_url("version-list", board.pk), {"name": "Q1"}, format="json")
        .json()
    )
    edit(bob, "card.create", text="Now", **cell)

    response = client_for(bob).post(
        history_url("version-copy", board.pk, version["id"]), {}, format="json"
    )

    assert response.status_code == 201
    copy = response.json()
    assert copy["board"]["title"] == "Online grocery journey (Q1)"
    assert [card["text"] for card in copy["cards"]] == ["Then"]
    assert [s["title"] for s in copy["stages"]] == [
        s["title"] for s in board_snapshot(board.pk)["stages"]
    ]
    assert Board.objects.get(pk=copy["board"]["id"]).owner == bob
    assert card_texts(board.pk) == ["Now", "Then"]


def test_the_end_of_a_workshop_keeps_one_version_until_the_board_changes(board, bob, edit, cell):
    first = workshop_ended(board_id=board.pk)
    again = workshop_ended(board_id=board.pk)
    edit(bob, "card.create", text="After", **cell)
    later = workshop_ended(board_id=board.pk)

    assert first == again
    assert later != first
    assert first.kind == VersionKind.WORKSHOP
    assert first.name.startswith("Workshop of ")


def test_the_daily_command_keeps_a_version_of_boards_changed_since_the_last(board, bob, edit, cell):
    call_command("history_daily")
    call_command("history_daily")
    edit(bob, "card.create", text="Monday", **cell)
    call_command("history_daily")

    daily = Version.objects.filter(board=board, kind=VersionKind.DAILY)
    assert daily.count() == 2
    assert sorted(v.snapshot.seq for v in daily) == [board.ops.count() - 1, board.ops.count()]


def test_automatic_versions_are_named_in_the_board_language(alice, templates):
    from boards.services import board_create

    board = board_create(owner=alice, title="Parcours", language="fr", template=None)
    assert workshop_ended(board_id=board.pk).name.startswith("Atelier du ")
