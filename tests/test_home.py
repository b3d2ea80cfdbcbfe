"""The home page: my boards, boards shared with me, creating and archiving a board."""

from __future__ import annotations

import pytest
from django.urls import reverse

from boards.models import Board, Op

pytestmark = pytest.mark.django_db


def test_it_lists_my_boards_apart_from_those_shared_with_me(client, board, alice, bob):
    client.force_login(bob)
    shared = client.get(reverse("home")).context
    client.force_login(alice)
    mine = client.get(reverse("home")).context

    assert shared["my_boards"] == []
    assert shared["shared_boards"] == [board]
    assert mine["my_boards"] == [board]


def test_it_creates_a_board_from_a_template_and_opens_it(client, alice, templates):
    client.force_login(alice)

    response = client.post(
        reverse("board-new"),
        {"title": "Onboarding", "language": "fr", "template": "six-stages", "map_type": ""},
    )

    board = Board.objects.get(title="Onboarding")
    assert response["Location"] == reverse("board", args=[board.pk])
    assert board.stages.count() == 6
    assert board.lanes.get(kind="pain_points").title == "Irritants"


def test_it_shows_the_form_again_when_the_title_is_missing(client, alice, templates):
    client.force_login(alice)

    response = client.post(reverse("board-new"), {"title": "", "language": "en"})

    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert not Board.objects.exists()


def test_it_archives_a_board_through_the_op_log(client, board, alice):
    client.force_login(alice)

    client.post(reverse("board-archive", args=[board.pk]), {"archived": "1"})

    board.refresh_from_db()
    assert board.archived is True
    assert Op.objects.filter(board=board, name="board.archive").count() == 1
    assert client.get(reverse("home") + "?archived=1").context["my_boards"] == [board]


def test_it_does_not_let_an_editor_archive_the_board(client, board, bob):
    client.force_login(bob)

    client.post(reverse("board-archive", args=[board.pk]), {"archived": "1"})

    board.refresh_from_db()
    assert board.archived is False


def test_the_owner_renames_a_board_from_the_home_page_through_the_op_log(client, board, alice):
    client.force_login(alice)
    home = client.get(reverse("home")).content.decode()
    assert reverse("board-rename", args=[board.pk]) in home

    response = client.post(reverse("board-rename", args=[board.pk]), {"title": "Parcours Q3"})

    assert response.status_code == 302
    board.refresh_from_db()
    assert board.title == "Parcours Q3"
    assert Op.objects.filter(board=board, name="board.update").count() == 1


def test_a_blank_title_is_refused_with_a_message_and_changes_nothing(client, board, alice):
    client.force_login(alice)
    before = board.title

    response = client.post(reverse("board-rename", args=[board.pk]), {"title": "  "}, follow=True)

    board.refresh_from_db()
    assert board.title == before
    assert not Op.objects.filter(board=board, name="board.update").exists()
    assert "not renamed" in response.content.decode()


def test_an_outsider_cannot_rename_a_board(client, board, charlie):
    client.force_login(charlie)
    before = board.title

    client.post(reverse("board-rename", args=[board.pk]), {"title": "Mine now"})

    board.refresh_from_db()
    assert board.title == before
