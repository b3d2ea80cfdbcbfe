"""Sharing over REST: the same rules as the share page, in the API's JSON error shape."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from boards.models import Invitation, Membership, Role, ShareLink
from boards.sharing.tokens import token_hash
from tests.api_client import client_for

pytestmark = pytest.mark.django_db


def url(board, *parts: object) -> str:
    return "/".join([f"/api/boards/{board.pk}", *map(str, parts)]) + "/"


def test_it_creates_a_link_whose_url_is_returned_once(alice, board):
    api = client_for(alice)
    expires = (timezone.now() + datetime.timedelta(days=2)).isoformat()

    created = api.post(
        url(board, "share-links"), {"role": "viewer", "expires_at": expires}, format="json"
    )
    listed = api.get(url(board, "share-links"))

    assert created.status_code == 201
    body = created.json()
    token = body["url"].rstrip("/").rsplit("/", 1)[1]
    assert body["url"] == f"http://127.0.0.1:8000/join/{token}/"
    assert (body["role"], body["usable"], body["guests"]) == ("viewer", True, 0)
    assert ShareLink.objects.get().token_hash == token_hash(token)
    assert listed.json() == [{k: v for k, v in body.items() if k != "url"}]
    assert token not in listed.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"role": "owner"}, "role"),
        ({"role": "viewer", "expires_at": "2001-01-01T00:00:00Z"}, "expires_at"),
        ({"role": "viewer", "expires_at": "tomorrow"}, "expires_at"),
    ],
)
def test_it_refuses_a_bad_link_with_the_field_named(alice, board, data, field):
    response = client_for(alice).post(url(board, "share-links"), data, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["details"]
    assert not ShareLink.objects.exists()


def test_it_revokes_a_link(alice, board):
    api = client_for(alice)
    link_id = api.post(url(board, "share-links"), {"role": "editor"}, format="json").json()["id"]

    response = api.delete(url(board, "share-links", link_id))

    assert response.status_code == 204
    assert api.get(url(board, "share-links")).json()[0]["usable"] is False


def test_it_lists_changes_and_removes_members(alice, bob, board):
    api = client_for(alice)

    members = api.get(url(board, "members")).json()
    changed = api.patch(url(board, "members", bob.pk), {"role": "commenter"}, format="json")
    removed = api.delete(url(board, "members", bob.pk))

    assert [(m["username"], m["role"]) for m in members] == [("alice", "owner"), ("bob", "editor")]
    assert changed.json()["role"] == "commenter"
    assert removed.status_code == 204
    assert not Membership.objects.filter(user=bob).exists()


def test_the_owner_cannot_be_removed_in_french(alice, board, dora):
    response = client_for(dora).delete(url(board, "members", alice.pk), HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert "propriétaire" in response.json()["message"]


def test_it_invites_in_the_boards_language_by_default(alice, board):
    board.language = "fr"
    board.save()

    response = client_for(alice).post(
        url(board, "invitations"),
        {"email": "eve@example.com", "role": "viewer"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["language"] == "fr"
    [sent] = mail.outbox
    assert sent.to == ["eve@example.com"]
    assert "vous invite" in sent.subject
    assert Invitation.objects.get().role == Role.VIEWER


@override_settings(RATELIMIT_INVITATIONS="1/h")
def test_invitations_are_rate_limited_with_429(alice, board):
    api = client_for(alice)
    invitations = url(board, "invitations")
    first = api.post(invitations, {"email": "a@example.com", "role": "viewer"}, format="json")

    second = api.post(invitations, {"email": "b@example.com", "role": "viewer"}, format="json")

    assert first.status_code == 201
    assert second.status_code == 429
    assert second.json()["code"] == "rate_limited"
    assert Invitation.objects.count() == 1


def test_it_withdraws_an_invitation_and_lists_guests(alice, board, make_link, client):
    api = client_for(alice)
    invitation = api.post(
        url(board, "invitations"), {"email": "a@example.com", "role": "viewer"}, format="json"
    )
    client.post(f"/join/{make_link()}/", {"display_name": "Zoé"})

    withdrawn = api.delete(url(board, "invitations", invitation.json()["id"]))
    again = api.delete(url(board, "invitations", invitation.json()["id"]))
    guests = api.get(url(board, "guests")).json()
    removed = api.delete(url(board, "guests", guests[0]["id"]))

    assert (withdrawn.status_code, again.status_code) == (204, 404)
    assert [(g["display_name"], g["role"]) for g in guests] == [("Zoé", "editor")]
    assert removed.status_code == 204
    assert api.get(url(board, "guests")).json() == []
