"""Invitations by email: a manager invites an address with a role; the email (HTML and plain
text, in the language chosen for the recipient) carries a single-use link that makes whoever
signs in with it a member."""

from __future__ import annotations

import email
import email.policy
import mailbox
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from boards.models import Invitation, Membership, Role
from tests.live.processes import free_port, wait_for_port

pytestmark = pytest.mark.django_db

MAILBOX = ("-c", "aiosmtpd.handlers.Mailbox")


def invite(client: Client, board, *, page_language: str = "en", **data: str):
    """Send the share page's invitation form, the page being read in `page_language`."""
    values = {"email": "eve@example.com", "role": "editor", "language": "en", **data}
    fields = {f"invite-{name}": value for name, value in values.items()}
    url = reverse("board-share-invite", args=[board.pk])
    return client.post(url, fields, HTTP_ACCEPT_LANGUAGE=page_language)


def link_in(text: str) -> str:
    return re.search(r"https?://\S+/invitations/[\w-]+/", text).group(0)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


@pytest.fixture
def smtp_maildir(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """A real SMTP server process (aiosmtpd) on loopback that stores what it receives in a
    Maildir: (port, maildir)."""
    port = free_port()
    maildir = tmp_path / "maildir"
    process = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", *MAILBOX, str(maildir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield port, maildir
    finally:
        process.terminate()
        process.wait(10)


def test_it_sends_the_invitation_through_a_real_smtp_server_in_the_recipients_language(
    client, alice, board, smtp_maildir
):
    port, maildir = smtp_maildir
    client.force_login(alice)
    smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 30,
    }

    with override_settings(**smtp):
        response = invite(client, board, email="eve@example.com", language="fr")

    assert response.status_code == 302
    [stored] = mailbox.Maildir(maildir, factory=None)
    message = email.message_from_bytes(stored.as_bytes(), policy=email.policy.default)
    assert message["To"] == "eve@example.com"
    assert message["Content-Language"] == "fr"
    assert "alice vous invite" in message["Subject"]
    assert "Online grocery journey" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "avec le rôle « Éditeur »" in text
    assert '<html lang="fr">' in html
    assert "Ouvrir l\u2019invitation" in html
    url = link_in(text)
    assert url in html
    assert Invitation.objects.get().token_hash not in url


def test_the_invited_person_signs_up_and_becomes_a_member(client, alice, board, mailoutbox):
    client.force_login(alice)
    invite(client, board, email="eve@example.com", role="commenter")
    [sent] = mailoutbox
    url = link_in(sent.body)
    eve = Client()

    landing = eve.get(path_of(url))
    signup = eve.post(
        reverse("signup"),
        {
            "username": "eve",
            "email": "eve@example.com",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
            "next": path_of(url),
        },
    )
    accept = eve.post(path_of(url))

    assert landing.status_code == 200
    assert "alice invited you" in landing.content.decode()
    assert signup["Location"] == path_of(url)
    assert accept["Location"] == reverse("board", args=[board.pk])
    membership = Membership.objects.get(board=board, user__username="eve")
    assert membership.role == Role.COMMENTER
    # Single use: the link does not make anyone else a member.
    other = Client()
    other.force_login(Membership.objects.get(board=board, role=Role.EDITOR).user)
    assert other.get(path_of(url)).status_code == 410


def test_accepting_never_lowers_a_role(client, alice, bob, board, mailoutbox):
    client.force_login(alice)
    invite(client, board, email="someone@example.com", role="viewer")
    bob_client = Client()
    bob_client.force_login(bob)

    bob_client.post(path_of(link_in(mailoutbox[0].body)))

    assert Membership.objects.get(board=board, user=bob).role == Role.EDITOR


def test_a_withdrawn_invitation_gets_a_clear_page(client, alice, charlie, board, mailoutbox):
    client.force_login(alice)
    invite(client, board)
    invitation = Invitation.objects.get()
    client.post(reverse("board-share-invitation-revoke", args=[board.pk, invitation.pk]))
    charlie_client = Client()
    charlie_client.force_login(charlie)

    page = charlie_client.get(path_of(link_in(mailoutbox[0].body)))
    accept = charlie_client.post(path_of(link_in(mailoutbox[0].body)))

    assert page.status_code == 410
    assert "withdrawn" in page.content.decode()
    assert accept.status_code == 410
    assert not Membership.objects.filter(user=charlie).exists()


def test_a_facilitator_invites_but_not_as_owner(client, dora, board, mailoutbox):
    client.force_login(dora)

    invite(client, board, role="owner")
    invite(client, board, role="facilitator")

    assert [i.role for i in Invitation.objects.all()] == [Role.FACILITATOR]
    assert len(mailoutbox) == 1


def test_an_editor_cannot_invite(client, bob, board, mailoutbox):
    client.force_login(bob)

    response = invite(client, board)

    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_a_bad_address_is_refused_in_the_users_language(client, alice, board, mailoutbox):
    client.force_login(alice)

    response = invite(client, board, email="not an address", page_language="fr")
    page = client.get(reverse("board-share", args=[board.pk]), HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 302
    assert "Saisissez une adresse" in page.content.decode()
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_when_the_mail_server_is_down_nothing_is_recorded(client, alice, board):
    client.force_login(alice)
    down = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": free_port(),
        "EMAIL_USE_TLS": False,
        "EMAIL_TIMEOUT": 5,
    }

    with override_settings(**down):
        invite(client, board)
    page = client.get(reverse("board-share", args=[board.pk]))

    assert "could not be sent" in page.content.decode()
    assert not Invitation.objects.exists()


@override_settings(RATELIMIT_INVITATIONS="3/h")
def test_invitations_are_rate_limited_per_user(client, alice, board, mailoutbox):
    client.force_login(alice)

    for number in range(5):
        invite(client, board, email=f"person{number}@example.com")
    page = client.get(reverse("board-share", args=[board.pk]))

    assert len(mailoutbox) == 3
    assert Invitation.objects.count() == 3
    assert "Too many attempts" in page.content.decode()
