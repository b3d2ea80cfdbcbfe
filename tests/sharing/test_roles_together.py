"""The roles of several actors read at once (the ops of one batch, boards.ops.pipeline) are
those `role_on_board` gives each of them alone, for every kind of participant."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from boards.models import Board, Guest, Membership, Role, ShareLink
from boards.permissions import Actor, role_on_board, roles_on_board

pytestmark = pytest.mark.django_db


def link(board: Board, alice: User, role: Role, **extra: object) -> ShareLink:
    return ShareLink.objects.create(
        board=board, role=role, token_hash=uuid.uuid4().hex * 2, created_by=alice, **extra
    )


def test_every_kind_of_participant_gets_the_role_it_has_alone(
    board: Board, alice: User, bob: User, charlie: User, make_user
) -> None:
    dora, erin = make_user("dora"), make_user("erin")
    Membership.objects.create(board=board, user=dora, role=Role.VIEWER)
    editing, commenting = link(board, alice, Role.EDITOR), link(board, alice, Role.COMMENTER)
    revoked = link(board, alice, Role.EDITOR, revoked_at=timezone.now())
    guest = Guest.objects.create(board=board, share_link=commenting, display_name="Zoé")
    removed = Guest.objects.create(
        board=board, share_link=editing, display_name="Yan", removed_at=timezone.now()
    )
    cut_off = Guest.objects.create(board=board, share_link=revoked, display_name="Xavier")
    # charlie is no member, but followed a link while signed in.
    Guest.objects.create(board=board, share_link=editing, display_name="charlie", user=charlie)

    expected = {
        Actor.for_user(alice): Role.OWNER,
        Actor.for_user(bob): Role.EDITOR,
        Actor.for_user(dora): Role.VIEWER,
        Actor.for_user(charlie): Role.EDITOR,
        Actor.for_user(erin): None,
        Actor.for_guest(guest): Role.COMMENTER,
        Actor.for_guest(removed): None,
        Actor.for_guest(cut_off): None,
    }
    together = roles_on_board(board.pk, expected)
    assert together == expected
    assert together == {actor: role_on_board(board.pk, actor) for actor in expected}
    assert roles_on_board(uuid.uuid4(), [Actor.for_user(alice)]) == {Actor.for_user(alice): None}
    assert roles_on_board("not a board", [Actor.for_user(alice)]) == {Actor.for_user(alice): None}


def test_members_roles_are_one_statement(board: Board, alice: User, bob: User) -> None:
    with CaptureQueriesContext(connection) as queries:
        roles = roles_on_board(board.pk, [Actor.for_user(alice), Actor.for_user(bob)])
    assert roles == {Actor.for_user(alice): Role.OWNER, Actor.for_user(bob): Role.EDITOR}
    assert len(queries.captured_queries) == 1
