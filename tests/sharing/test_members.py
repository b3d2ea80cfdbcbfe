"""The members page: list, change a role, remove; managers only, and never above their own
role or over the owner."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from boards.models import Membership, Role

pytestmark = pytest.mark.django_db


def member_url(board, user) -> str:
    return reverse("board-share-member", args=[board.pk, user.pk])


def role_of(board, user) -> str | None:
    return Membership.objects.filter(board=board, user=user).values_list("role", flat=True).first()


def test_the_owner_sees_every_member_with_their_role(client, alice, bob, dora, board):
    client.force_login(alice)

    page = client.get(reverse("board-share", args=[board.pk])).content.decode()

    for name in ("alice", "bob", "dora"):
        assert name in page
    assert page.index("alice") < page.index("dora") < page.index("bob@example.com")


def test_the_owner_changes_a_role(client, alice, bob, board):
    client.force_login(alice)

    response = client.post(member_url(board, bob), {"role": "viewer"})

    assert response.status_code == 302
    assert role_of(board, bob) == Role.VIEWER


def test_the_owner_removes_a_member_who_then_gets_the_outsiders_404(client, alice, bob, board):
    client.force_login(alice)

    client.post(member_url(board, bob), {"remove": "1"})
    bob_client = Client()
    bob_client.force_login(bob)

    assert role_of(board, bob) is None
    assert bob_client.get(reverse("board", args=[board.pk])).status_code == 404
    assert bob_client.get(f"/api/boards/{board.pk}/").status_code == 404


def test_a_facilitator_cannot_touch_the_owner_or_make_an_owner(client, alice, bob, dora, board):
    client.force_login(dora)

    client.post(member_url(board, alice), {"role": "viewer"})
    client.post(member_url(board, alice), {"remove": "1"})
    client.post(member_url(board, bob), {"role": "owner"})
    page = client.get(reverse("board-share", args=[board.pk])).content.decode()

    assert role_of(board, alice) == Role.OWNER
    assert role_of(board, bob) == Role.EDITOR
    assert "membership cannot be changed" in page
    assert "cannot give this role" in page


def test_nobody_changes_their_own_membership(client, dora, board):
    client.force_login(dora)

    client.post(member_url(board, dora), {"role": "owner"})

    assert role_of(board, dora) == Role.FACILITATOR


@pytest.mark.parametrize("role", [Role.EDITOR, Role.COMMENTER, Role.VIEWER])
def test_members_who_do_not_manage_get_403(client, board, make_user, bob, role):
    member = make_user("member")
    Membership.objects.create(board=board, user=member, role=role)
    client.force_login(member)

    page = client.get(reverse("board-share", args=[board.pk]))
    change = client.post(member_url(board, bob), {"role": "viewer"})

    assert page.status_code == 403
    assert change.status_code == 403
    assert role_of(board, bob) == Role.EDITOR


def test_an_outsider_gets_the_same_404_as_for_a_missing_board(client, charlie, board, bob):
    client.force_login(charlie)
    missing = uuid.uuid4()

    existing = client.get(reverse("board-share", args=[board.pk]))
    absent = client.get(reverse("board-share", args=[missing]))
    change = client.post(member_url(board, bob), {"role": "viewer"})

    assert existing.status_code == absent.status_code == change.status_code == 404
    assert existing.content == absent.content
    assert role_of(board, bob) == Role.EDITOR
