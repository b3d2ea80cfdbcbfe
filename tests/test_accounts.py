"""Account pages: sign up, log in and out, password reset by email, the API token page."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def test_it_signs_up_and_lands_signed_in_on_the_home_page(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "dana",
            "email": "dana@example.com",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert User.objects.get(username="dana").email == "dana@example.com"
    assert client.get(reverse("home")).context["user"].username == "dana"


def test_it_refuses_a_signup_with_an_email_already_in_use(client, alice):
    response = client.post(
        reverse("signup"),
        {
            "username": "alice2",
            "email": "ALICE@example.com",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not User.objects.filter(username="alice2").exists()


def test_it_logs_in_and_out(client, alice):
    logged_in = client.post(
        reverse("login"), {"username": "alice", "password": "correct horse battery"}
    )
    assert logged_in["Location"] == reverse("home")

    logged_out = client.post(reverse("logout"))
    assert logged_out.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_it_refuses_a_wrong_password(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})

    assert response.status_code == 200
    assert response.context["form"].errors


def test_it_resets_a_password_by_email(client, alice, mailoutbox):
    client.post(reverse("password_reset"), {"email": "alice@example.com"})

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["alice@example.com"]
    link = re.search(r"https?://[^/\s]+(/\S+)", mailoutbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    alice.refresh_from_db()
    assert alice.check_password("a brand new passphrase")


def test_it_writes_the_reset_email_in_french_for_a_french_reader(client, alice, mailoutbox):
    client.post(
        reverse("password_reset"), {"email": "alice@example.com"}, HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert mailoutbox[0].subject == "Choisissez un nouveau mot de passe Journeymap"
    assert "Bonjour alice" in mailoutbox[0].body


def test_it_shows_and_regenerates_the_api_token(client, alice):
    client.force_login(alice)
    assert client.get(reverse("account")).context["token"] is None

    client.post(reverse("account-token"))
    first = Token.objects.get(user=alice).key
    assert first in client.get(reverse("account")).content.decode()

    client.post(reverse("account-token"))
    assert Token.objects.get(user=alice).key != first


def test_it_keeps_the_account_page_for_signed_in_users(client):
    response = client.get(reverse("account"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
