"""`seed_demo`: a demo login and a filled-in board, created once however often it runs."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from boards.models import Board, Card, Op, Persona

pytestmark = pytest.mark.django_db


def seed(url: str = "http://example.test:8000") -> str:
    out = StringIO()
    call_command("seed_demo", "--url", url, stdout=out)
    return out.getvalue()


def test_it_creates_a_demo_login_and_a_filled_board_through_the_op_log(templates):
    output = seed()

    board = Board.objects.get()
    assert board.title == "Demo — online grocery journey"
    assert f"http://example.test:8000/boards/{board.pk}/" in output
    assert "demo / journeymap-demo" in output
    assert authenticate(username="demo", password="journeymap-demo") is not None
    assert Persona.objects.filter(board=board).count() == 2
    emotions = Card.objects.filter(board=board, lane__kind="emotions").order_by("stage__position")
    assert [card.emotion_score for card in emotions] == [1, 1, -1, -2, 1, 2]
    assert Card.objects.filter(board=board, moment_of_truth=True).count() == 1
    assert Card.objects.filter(board=board, lane__kind="touchpoints").exclude(channel="").exists()
    # Everything on the board is in its op log.
    assert Op.objects.filter(board=board).count() == board.seq


def test_it_changes_nothing_when_run_again(templates):
    seed()
    seq = Board.objects.get().seq

    output = seed()

    assert Board.objects.count() == 1
    assert Board.objects.get().seq == seq
    assert "Demo board:" in output
