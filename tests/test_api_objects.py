"""Stages, lanes, cards and personas over REST; roles, conflicts, bad input and avatars."""

from __future__ import annotations

import io
import uuid

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from PIL import Image

from boards.models import Board, Card, Lane, Membership, Persona, Role, Stage
from tests.api_client import api_url, client_for

pytestmark = pytest.mark.django_db


def first_cell(board: Board) -> tuple[str, str]:
    stage = board.stages.order_by("position").first()
    lane = board.lanes.order_by("position").first()
    return str(stage.pk), str(lane.pk)


@pytest.fixture
def card_id(board: Board, bob: User) -> str:
    stage_id, lane_id = first_cell(board)
    response = client_for(bob).post(
        api_url("card-list", board.pk),
        {"stage_id": stage_id, "lane_id": lane_id, "text": "Search for a delivery slot"},
        format="json",
    )
    assert response.status_code == 201
    return response.json()["result"]["id"]


OBJECT_BODIES = {
    "stage": ({"title": "Unboxing"}, {"title": "Delivery"}, Stage),
    "lane": ({"kind": "thoughts", "title": "Thoughts"}, {"title": "Inner voice"}, Lane),
    "persona": ({"name": "Camille", "role": "Busy parent"}, {"quote": "No time!"}, Persona),
}


@pytest.mark.parametrize("kind", OBJECT_BODIES)
def test_it_creates_updates_moves_deletes_and_restores_a_board_object(board, bob, kind):
    create_body, update_body, model = OBJECT_BODIES[kind]
    client = client_for(bob)

    created = client.post(api_url(f"{kind}-list", board.pk), create_body, format="json")
    assert created.status_code == 201
    object_id = created.json()["result"]["id"]

    updated = client.patch(api_url(f"{kind}-detail", board.pk, object_id), update_body, "json")
    assert updated.status_code == 200
    field, value = next(iter(update_body.items()))
    assert updated.json()["result"][field] == value
    assert updated.json()["result"]["version"] == 2

    moved = client.post(api_url(f"{kind}-move", board.pk, object_id), {"after": None}, "json")
    assert moved.status_code == 200
    snapshot = client.get(api_url("board-detail", board.pk)).json()
    assert snapshot[f"{kind}s"][0]["id"] == object_id

    deleted = client.delete(api_url(f"{kind}-detail", board.pk, object_id))
    assert deleted.status_code == 200
    assert model.objects.get(pk=object_id).deleted is True

    restored = client.post(api_url(f"{kind}-restore", board.pk, object_id))
    assert restored.status_code == 200
    assert model.objects.get(pk=object_id).deleted is False
    assert restored.json()["seq"] == created.json()["seq"] + 4


def test_it_moves_a_card_to_another_cell_and_back_from_the_dead(board, bob, card_id):
    client = client_for(bob)
    other_stage = board.stages.order_by("position")[1]

    moved = client.post(
        api_url("card-move", board.pk, card_id), {"stage_id": str(other_stage.pk)}, "json"
    )
    client.delete(api_url("card-detail", board.pk, card_id))
    late_update = client.patch(api_url("card-detail", board.pk, card_id), {"text": "x"}, "json")
    restored = client.post(api_url("card-restore", board.pk, card_id))

    assert moved.json()["result"]["stage_id"] == str(other_stage.pk)
    assert late_update.status_code == 404
    assert restored.json()["result"]["text"] == "Search for a delivery slot"


def test_it_sets_journey_attributes_on_a_card(board, bob, card_id):
    response = client_for(bob).patch(
        api_url("card-detail", board.pk, card_id),
        {"emotion_score": -2, "channel": "app", "moment_of_truth": True},
        format="json",
    )

    assert response.status_code == 200
    card = Card.objects.get(pk=card_id)
    assert (card.emotion_score, card.channel, card.moment_of_truth) == (-2, "app", True)


def test_it_refuses_a_stale_if_version_with_the_current_card(board, bob, card_id):
    client = client_for(bob)
    client.patch(api_url("card-detail", board.pk, card_id), {"text": "Newer"}, format="json")

    stale = client.patch(
        api_url("card-detail", board.pk, card_id), {"text": "Older", "if_version": 1}, "json"
    )

    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    assert stale.json()["current"]["text"] == "Newer"
    assert stale.json()["current"]["version"] == 2
    assert Card.objects.get(pk=card_id).text == "Newer"


def test_it_applies_a_retried_create_once_with_an_idempotency_key(board, bob):
    stage_id, lane_id = first_cell(board)
    key = str(uuid.uuid4())
    client = client_for(bob)
    body = {"stage_id": stage_id, "lane_id": lane_id, "text": "Retry me"}

    first = client.post(api_url("card-list", board.pk), body, "json", HTTP_IDEMPOTENCY_KEY=key)
    again = client.post(api_url("card-list", board.pk), body, "json", HTTP_IDEMPOTENCY_KEY=key)

    assert (first.status_code, again.status_code) == (201, 200)
    assert Card.objects.filter(board=board).count() == 1


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        ('{"text": 42}', "application/json", 400, "invalid"),
        ('{"text": "a", "colour": "red"}', "application/json", 400, "invalid"),
        ('{"emotion_score": 7}', "application/json", 400, "invalid"),
        ("{not json", "application/json", 400, "bad_message"),
        ('["a list"]', "application/json", 400, "bad_message"),
        ("text=hello", "application/x-www-form-urlencoded", 415, "bad_message"),
    ],
)
def test_it_answers_bad_input_with_a_json_error(
    board, bob, card_id, body, content_type, status, code
):
    response = client_for(bob).generic(
        "PATCH", api_url("card-detail", board.pk, card_id), body, content_type=content_type
    )

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == code
    assert response.json()["message"]


def test_it_answers_unknown_paths_and_methods_in_json(board, bob):
    client = client_for(bob)
    unknown = client.get("/api/nothing-here/")
    not_a_uuid = client.get("/api/boards/not-a-uuid/")
    wrong_method = client.put(api_url("board-detail", board.pk), {}, format="json")

    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    assert (not_a_uuid.status_code, not_a_uuid.json()["code"]) == (404, "not_found")
    assert (wrong_method.status_code, wrong_method.json()["code"]) == (405, "method_not_allowed")


def test_it_speaks_french_in_errors_when_asked(board, charlie):
    response = client_for(charlie).get(api_url("board-detail", board.pk), HTTP_ACCEPT_LANGUAGE="fr")

    assert response.json()["message"] == (
        "Ce tableau n\N{RIGHT SINGLE QUOTATION MARK}existe pas ou "
        "n\N{RIGHT SINGLE QUOTATION MARK}est pas partagé avec vous."
    )


# The least role each representative op needs (see boards/ops): what the matrix checks.
ROLE_MATRIX = [
    ("owner", {"card": 201, "stage": 201, "board": 200, "archive": 200}),
    ("facilitator", {"card": 201, "stage": 201, "board": 200, "archive": 403}),
    ("editor", {"card": 201, "stage": 201, "board": 403, "archive": 403}),
    ("commenter", {"card": 403, "stage": 403, "board": 403, "archive": 403}),
    ("viewer", {"card": 403, "stage": 403, "board": 403, "archive": 403}),
    ("outsider", {"card": 404, "stage": 404, "board": 404, "archive": 404}),
]


@pytest.mark.parametrize(("role", "expected"), ROLE_MATRIX)
def test_it_lets_each_role_do_only_what_it_may(board, alice, make_user, role, expected):
    if role == "owner":
        user = alice
    else:
        user = make_user(f"dana-{role}")
        if role != "outsider":
            Membership.objects.create(board=board, user=user, role=Role(role))
    stage_id, lane_id = first_cell(board)
    client = client_for(user)
    seq_before = Board.objects.get(pk=board.pk).seq

    statuses = {
        "card": client.post(
            api_url("card-list", board.pk), {"stage_id": stage_id, "lane_id": lane_id}, "json"
        ).status_code,
        "stage": client.post(api_url("stage-list", board.pk), {"title": "New"}, "json").status_code,
        "board": client.patch(api_url("board-detail", board.pk), {"goal": "g"}, "json").status_code,
        "archive": client.post(api_url("board-archive", board.pk)).status_code,
    }

    assert statuses == expected
    applied = sum(1 for status in statuses.values() if status < 300)
    assert Board.objects.get(pk=board.pk).seq == seq_before + applied


def test_it_gives_an_outsider_the_same_404_as_a_random_board(board, charlie):
    client = client_for(charlie)
    hidden = client.post(api_url("stage-list", board.pk), {"title": "x"}, format="json")
    missing = client.post(api_url("stage-list", uuid.uuid4()), {"title": "x"}, format="json")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def image_upload(fmt: str = "PNG", size: tuple[int, int] = (900, 600)) -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(data, fmt)
    data.seek(0)
    data.name = f"face.{fmt.lower()}"
    return data


@pytest.fixture
def persona_id(board: Board, bob: User) -> str:
    response = client_for(bob).post(api_url("persona-list", board.pk), {"name": "Camille"}, "json")
    return response.json()["result"]["id"]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_it_stores_a_scaled_avatar_and_sets_it_through_an_op(board, bob, persona_id, media_root):
    response = client_for(bob).post(
        api_url("persona-avatar", board.pk, persona_id),
        {"avatar": image_upload("JPEG")},
        format="multipart",
    )

    assert response.status_code == 200
    assert response.json()["op"] == "persona.update"
    stored = Persona.objects.get(pk=persona_id).avatar.name
    assert stored.startswith(f"avatars/{board.pk}/")
    with default_storage.open(stored) as saved:
        assert max(Image.open(saved).size) == 512


def test_it_refuses_a_file_that_is_not_an_image(board, bob, persona_id, media_root):
    fake = io.BytesIO(b"<?php echo 'hi'; ?>")
    fake.name = "face.png"

    response = client_for(bob).post(
        api_url("persona-avatar", board.pk, persona_id), {"avatar": fake}, format="multipart"
    )

    assert response.status_code == 400
    assert "avatar" in response.json()["details"]
    assert Persona.objects.get(pk=persona_id).avatar.name == ""


def test_it_refuses_an_avatar_over_the_size_limit(board, bob, persona_id, media_root, settings):
    settings.AVATAR_MAX_BYTES = 1024

    response = client_for(bob).post(
        api_url("persona-avatar", board.pk, persona_id),
        {"avatar": image_upload("PNG", (800, 800))},
        format="multipart",
    )

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_it_keeps_no_file_when_a_viewer_uploads_an_avatar(board, make_user, persona_id, media_root):
    viewer = make_user("vera")
    Membership.objects.create(board=board, user=viewer, role=Role.VIEWER)

    response = client_for(viewer).post(
        api_url("persona-avatar", board.pk, persona_id),
        {"avatar": image_upload()},
        format="multipart",
    )

    assert response.status_code == 403
    assert not any(path.is_file() for path in media_root.rglob("*"))


def test_it_answers_a_browser_in_json_too(board, charlie):
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client_for(charlie).get(
        api_url("board-detail", board.pk), HTTP_ACCEPT=browser_accept
    )

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
