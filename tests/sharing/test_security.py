"""Security basics: CSRF on pages and on session-authenticated REST, rate limits on log-in and
link joins, cookie settings from the environment, and `check --deploy` clean with the
production settings the README documents."""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.authtoken.models import Token

from boards.models import Guest, ShareLink
from tests.test_settings import clean_env

pytestmark = pytest.mark.django_db

# The production environment of the README's deployment checklist (values are examples).
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "journeymap.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://journeymap.example.com",
    "SITE_URL": "https://journeymap.example.com",
    "DATABASE_URL": "postgres://journeymap:secret@db.internal:5432/journeymap",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "EMAIL_HOST": "smtp.example.com",
    "BEHIND_TLS_PROXY": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
}

SHOW_COOKIES = """
import json
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in (
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_AGE", "SESSION_COOKIE_DOMAIN",
    "CSRF_COOKIE_DOMAIN", "SESSION_EXPIRE_AT_BROWSER_CLOSE")}))
"""


def start(command: list[str], variables: dict[str, str]) -> subprocess.Popen[str]:
    """A fresh Django process with only these settings variables. The browser tests' switch
    that lets sync code run beside Playwright's loop is not a deployment's: it is left out."""
    env = clean_env(**variables)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.Popen(
        [sys.executable, *command],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_check_deploy_is_clean_with_the_documented_production_settings():
    process = start(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    out, err = process.communicate(timeout=120)

    assert process.returncode == 0, err
    assert "no issues" in out


def test_the_readme_documents_the_production_settings():
    readme = (settings.BASE_DIR / "README.md").read_text()

    for name, value in PRODUCTION.items():
        if name not in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_HOST"):
            assert f"{name}={value}" in readme, name


def test_session_cookies_are_secure_in_production_and_set_from_the_environment():
    process = start(
        ["-c", SHOW_COOKIES],
        {
            **PRODUCTION,
            "SESSION_COOKIE_AGE": "28800",
            "SESSION_COOKIE_DOMAIN": ".example.com",
            "SESSION_EXPIRE_AT_BROWSER_CLOSE": "true",
        },
    )
    out, err = process.communicate(timeout=120)

    assert process.returncode == 0, err
    assert json.loads(out.strip().splitlines()[-1]) == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_AGE": 28800,
        "SESSION_COOKIE_DOMAIN": ".example.com",
        "CSRF_COOKIE_DOMAIN": None,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
    }


# What a leaked credential looks like in a file: a private key, a cloud access key, or a
# hard-coded secret key long enough to be real. The one literal allowed is DEBUG's fallback.
LEAKS = re.compile(
    r"BEGIN [A-Z ]*PRIVATE" r" KEY|AKIA[0-9A-Z]{16}|SECRET_KEY\s*=\s*['\"](?!insecure-)[^'\"]{20,}"
)


def test_no_secret_is_in_the_repository():
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=settings.BASE_DIR, capture_output=True, check=True
    )
    leaks = []
    for name in filter(None, listed.stdout.decode().split("\0")):
        path = settings.BASE_DIR / name
        if path.suffix in {".png", ".mo", ".ico", ".woff2", ".ttf"} or not path.is_file():
            continue
        text = path.read_text(errors="ignore")
        leaks += [f"{name}: {match.group(0)[:40]}" for match in LEAKS.finditer(text)]

    assert leaks == []


def test_pages_refuse_a_post_without_the_csrf_token(alice, board):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)

    response = browser.post(
        reverse("board-share-link-create", args=[board.pk]), {"link-role": "viewer"}
    )

    assert response.status_code == 403
    assert not ShareLink.objects.exists()


def test_session_rest_refuses_a_write_without_the_csrf_token_but_tokens_need_none(alice, board):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    script = Client(enforce_csrf_checks=True)
    token = Token.objects.create(user=alice)
    body = {"data": json.dumps({"role": "viewer"}), "content_type": "application/json"}
    url = f"/api/boards/{board.pk}/share-links/"

    by_session = browser.post(url, **body)
    by_token = script.post(url, HTTP_AUTHORIZATION=f"Token {token.key}", **body)

    assert by_session.status_code == 403
    assert "CSRF" in by_session.json()["message"]
    assert by_token.status_code == 201
    assert ShareLink.objects.count() == 1


@override_settings(RATELIMIT_LOGIN="3/m")
def test_log_in_is_rate_limited(client, alice):
    attempts = [
        client.post(reverse("login"), {"username": "alice", "password": f"wrong {n}"})
        for n in range(4)
    ]
    right = client.post(
        reverse("login"), {"username": "alice", "password": "correct horse battery"}
    )

    assert [a.status_code for a in attempts] == [200, 200, 200, 429]
    assert right.status_code == 429
    assert "Too many attempts" in right.content.decode()


@override_settings(RATELIMIT_LOGIN="3/m")
def test_log_in_is_rate_limited_per_username_across_addresses(client, alice):
    for n in range(3):
        client.post(
            reverse("login"),
            {"username": "alice", "password": "wrong"},
            REMOTE_ADDR=f"10.0.0.{n}",
        )

    elsewhere = client.post(
        reverse("login"),
        {"username": "alice", "password": "correct horse battery"},
        REMOTE_ADDR="10.0.0.99",
    )

    assert elsewhere.status_code == 429


@override_settings(RATELIMIT_LINK_JOINS="2/m")
def test_link_joins_are_rate_limited_per_address(board, make_link):
    token = make_link()
    url = reverse("share-link-join", args=[token])

    statuses = [Client().post(url, {"display_name": f"G{n}"}).status_code for n in range(3)]

    assert statuses == [302, 302, 429]
    assert Guest.objects.count() == 2


def test_a_login_after_joining_as_guest_keeps_the_guests_cards(client, charlie, board, make_link):
    token = make_link()
    client.post(reverse("share-link-join", args=[token]), {"display_name": "Charlie at the door"})

    client.post(reverse("login"), {"username": "charlie", "password": "correct horse battery"})

    assert Guest.objects.get().user == charlie
