"""The admin: every page loads for a superuser, and board content changes only by op."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from boards.models import Board, BoardTemplate, Membership, Op, ShareLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for(client, make_user):
    superuser = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    return client


@pytest.fixture
def share_link(board: Board, alice: User) -> ShareLink:
    return ShareLink.objects.create(
        board=board, role="editor", token_hash="x" * 64, created_by=alice
    )


@pytest.mark.parametrize(
    "model", ["board", "op", "boardtemplate", "membership", "sharelink", "guest"]
)
def test_it_lists_each_model(admin_client_for, board, share_link, model):
    response = admin_client_for.get(reverse(f"admin:boards_{model}_changelist"))

    assert response.status_code == 200


def test_it_shows_a_board_with_its_structure_read_only(admin_client_for, board):
    response = admin_client_for.get(reverse("admin:boards_board_change", args=[board.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Awareness" in page
    assert 'name="title"' not in page


def test_it_loads_the_other_change_pages(admin_client_for, board, share_link):
    op = Op.objects.filter(board=board).first()
    membership = Membership.objects.filter(board=board).first()
    for name, pk in [
        ("op", op.pk),
        ("membership", membership.pk),
        ("sharelink", share_link.pk),
        ("boardtemplate", BoardTemplate.objects.first().pk),
    ]:
        response = admin_client_for.get(reverse(f"admin:boards_{name}_change", args=[pk]))
        assert response.status_code == 200, name
    assert admin_client_for.get(reverse("admin:auth_user_changelist")).status_code == 200


def test_it_archives_a_board_through_the_op_log(admin_client_for, board):
    admin_client_for.post(
        reverse("admin:boards_board_changelist"),
        {"action": "archive_boards", "_selected_action": [str(board.pk)]},
    )

    board.refresh_from_db()
    assert board.archived is True
    archive = Op.objects.get(board=board, name="board.archive")
    assert archive.actor_name == "root (admin)"


def test_it_refuses_to_edit_board_content(admin_client_for, board):
    admin_client_for.post(
        reverse("admin:boards_board_change", args=[board.pk]), {"title": "Hacked"}
    )

    board.refresh_from_db()
    assert board.title == "Online grocery journey"


def test_it_revokes_share_links(admin_client_for, share_link):
    admin_client_for.post(
        reverse("admin:boards_sharelink_changelist"),
        {"action": "revoke_links", "_selected_action": [str(share_link.pk)]},
    )

    share_link.refresh_from_db()
    assert share_link.revoked_at is not None
