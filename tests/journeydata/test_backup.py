"""A JSON backup of a whole board, with a versioned schema, restored as a new board through
the write path: same content, a fresh op log; a bad document creates nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from boards.models import Board, Op
from journeydata.backup import BACKUP_VERSION
from tests.api_client import client_for
from tests.journeydata.content import comparable

pytestmark = pytest.mark.django_db


def backup_of(board: Board, user: User) -> dict:
    response = client_for(user).get(reverse("data:board-export", args=[board.pk, "json"]))
    assert response.status_code == 200
    return json.loads(response.content)


def test_a_backup_restores_as_a_new_board_with_the_same_content(french_board: Board, bob: User):
    document = backup_of(french_board, bob)
    assert (document["format"], document["version"]) == ("journeymap.board", BACKUP_VERSION)
    assert document["board"]["title"] == "Parcours d'achat épicerie"

    response = client_for(bob).post(reverse("data:board-restore"), document, format="json")

    assert response.status_code == 201, response.json()
    restored = Board.objects.get(pk=response.json()["board"]["id"])
    assert restored.owner == bob
    assert restored.pk != french_board.pk
    assert comparable(restored) == comparable(french_board)
    # Through the write path: every object is an op in the new board's log.
    assert Op.objects.filter(board=restored).count() == restored.seq > 0
    assert Op.objects.filter(board=restored, name="metric.record").count() == 5


def test_a_backup_file_can_be_uploaded(french_board: Board, bob: User):
    upload = io.BytesIO(json.dumps(backup_of(french_board, bob)).encode())
    upload.name = "sauvegarde.json"
    response = client_for(bob).post(
        reverse("data:board-restore"), {"file": upload}, format="multipart"
    )
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.update(format="trello"), "format"),
        (lambda d: d.update(version=99), "version"),
        (lambda d: d["cards"][0].update(stage_id="nowhere"), "cards.0.stage_id"),
        (lambda d: d["cards"][1].update(emotion_score=7), "cards.1.emotion_score"),
        (lambda d: d["metric_samples"][0].update(counts={"11": 1}), "metric_samples.0.counts"),
    ],
)
def test_a_bad_backup_is_refused_and_creates_nothing(french_board: Board, bob: User, change, field):
    document = backup_of(french_board, bob)
    change(document)
    boards = Board.objects.count()

    response = client_for(bob).post(
        reverse("data:board-restore"), document, format="json", HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert response.status_code == 400
    assert field in response.json()["details"]
    assert Board.objects.count() == boards
