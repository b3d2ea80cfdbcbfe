"""Pushing KPI samples over REST with an API token, as a CRM or analytics job does: one sample
or a batch (all or nothing), read back as samples and as KPI summaries; roles and outsiders."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from boards.models import Board, Guest, Membership, Role, ShareLink
from boards.sharing.access import GUEST_SESSION_KEY
from journeydata.models import MetricSample
from tests.api_client import client_for

pytestmark = pytest.mark.django_db


def url(name: str, board_id: object) -> str:
    return reverse(f"data:{name}", args=[board_id])


def token_client(user: User) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def stage_id(board: Board) -> str:
    return str(board.stages.order_by("position").first().pk)


def test_a_script_pushes_a_sample_with_its_token(board: Board, bob: User, stage_id: str):
    response = token_client(bob).post(
        url("metric-list", board.pk),
        {
            "stage_id": stage_id,
            "kind": "nps",
            "responses": [10, 10, 9, 6],
            "date": "2026-03-31",
            "source": "CRM export",
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["op"] == "metric.record"
    assert body["result"]["counts"] == {"6": 1, "9": 1, "10": 2}

    kpis = client_for(bob).get(url("kpi-list", board.pk)).json()
    assert kpis["seq"] == body["seq"]
    [kpi] = kpis["kpis"]
    assert (kpi["value"], kpi["promoters"], kpi["detractors"]) == (50.0, 3, 1)


def test_a_retry_with_the_same_idempotency_key_records_once(board: Board, bob: User, stage_id: str):
    client = token_client(bob)
    body = {"stage_id": stage_id, "kind": "drop_off", "value": 12.5, "date": "2026-03-31"}
    key = str(uuid.uuid4())
    first = client.post(url("metric-list", board.pk), body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = client.post(url("metric-list", board.pk), body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["duplicate"] is True
    assert MetricSample.objects.count() == 1


def test_a_batch_is_applied_all_or_nothing_and_names_the_bad_item(
    board: Board, bob: User, stage_id: str
):
    good = {"stage_id": stage_id, "kind": "conversion_rate", "value": 3.2, "date": "2026-01-31"}
    bad = {**good, "value": 300}
    seq = board.seq
    response = token_client(bob).post(
        url("metric-batch", board.pk), {"samples": [good, good, bad]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["details"] == {"2.value": ["A rate is a percentage from 0 to 100."]}
    assert response.json()["message"].startswith("Item 2:")
    assert not MetricSample.objects.exists()
    assert Board.objects.get(pk=board.pk).seq == seq

    response = token_client(bob).post(
        url("metric-batch", board.pk), {"samples": [good, good]}, format="json"
    )
    assert response.status_code == 201
    assert [r["seq"] for r in response.json()["results"]] == [seq + 1, seq + 2]


def test_errors_come_in_the_users_language(board: Board, bob: User, stage_id: str):
    response = token_client(bob).post(
        url("metric-list", board.pk),
        {"stage_id": stage_id, "kind": "ces", "responses": [9], "date": "2026-01-31"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    assert response.json()["details"]["responses"] == [
        "Les réponses doivent être des nombres entiers de 1 à 5."
    ]


def test_a_viewer_reads_kpis_but_cannot_push(board: Board, bob: User, stage_id: str):
    Membership.objects.filter(board=board, user=bob).update(role=Role.VIEWER)
    client = token_client(bob)
    assert client.get(url("kpi-list", board.pk)).status_code == 200
    assert client.get(url("metric-list", board.pk)).json() == []
    body = {"stage_id": stage_id, "kind": "ces", "responses": [2], "date": "2026-01-31"}
    assert client.post(url("metric-list", board.pk), body, format="json").status_code == 403


@pytest.mark.parametrize("name", ["metric-list", "kpi-list", "metric-batch"])
def test_an_outsider_gets_the_same_404_as_for_a_missing_board(
    board: Board, charlie: User, name: str
):
    client = token_client(charlie)
    method = client.post if name == "metric-batch" else client.get
    kwargs = (
        {"data": {"samples": [{"kind": "ces"}]}, "format": "json"} if method == client.post else {}
    )
    existing = method(url(name, board.pk), **kwargs)
    missing = method(url(name, uuid.uuid4()), **kwargs)
    assert existing.status_code == missing.status_code == 404
    assert existing.json() == missing.json()


def test_without_a_token_the_answer_is_401(board: Board):
    response = APIClient().get(url("metric-list", board.pk))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_guest_who_joined_by_link_reads_the_kpis_and_a_stranger_gets_404(board: Board):
    link = ShareLink.objects.create(board=board, role=Role.VIEWER, token_hash="0" * 64)
    guest = Guest.objects.create(board=board, share_link=link, display_name="Zoé", color="teal")
    client = APIClient()
    session = client.session
    session[GUEST_SESSION_KEY] = {str(board.pk): str(guest.pk)}
    session.save()
    assert client.get(url("kpi-list", board.pk)).json()["kpis"] == []

    stranger = APIClient().get(url("kpi-list", board.pk))
    missing = APIClient().get(url("kpi-list", uuid.uuid4()))
    assert stranger.status_code == missing.status_code == 404
    assert stranger.json() == missing.json()
