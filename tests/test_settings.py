"""Configuration comes from the environment: nothing set gives the embedded setup, and a wrong
value stops start-up with a message naming the variable, instead of running half-configured.

Each case runs in a fresh Python process with only the variables it names, so the test
process's own environment (and settings) cannot leak in.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings

REPO = settings.BASE_DIR

# Variables that must never leak from the caller's environment into a case.
SETTINGS_SOURCE = (REPO / "journeymap" / "settings.py").read_text()
VARIABLES_READ = sorted(set(re.findall(r"env_\w+\(\s*\"([A-Z0-9_]+)\"", SETTINGS_SOURCE)))

SHOW_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "layer_hosts": settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("hosts"),
    "email": settings.EMAIL_BACKEND,
    "email_port": getattr(settings, "EMAIL_PORT", None),
    "email_tls": getattr(settings, "EMAIL_USE_TLS", None),
    "debug": settings.DEBUG,
    "language": settings.LANGUAGE_CODE,
    "allowed_hosts": settings.ALLOWED_HOSTS,
}))
"""


def clean_env(**variables: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in VARIABLES_READ and key != "DJANGO_SETTINGS_MODULE"
    }
    return {**env, "DJANGO_SETTINGS_MODULE": "journeymap.settings", **variables}


def start(command: list[str], variables: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *command],
        cwd=REPO,
        env=clean_env(**variables),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


GOOD: dict[str, dict[str, str]] = {
    "embedded": {"DEBUG": "true"},
    "postgres": {"SECRET_KEY": "s", "DATABASE_URL": "postgres://jm:pw@db.internal:5432/journeymap"},
    "redis": {"SECRET_KEY": "s", "REDIS_URL": "redis://cache.internal:6379/1"},
    "smtp": {"SECRET_KEY": "s", "EMAIL_HOST": "smtp.example.com"},
    "hosts": {"SECRET_KEY": "s", "ALLOWED_HOSTS": " map.example.com , , other.example.com"},
}

# (variables, the variable the error must name)
BAD: dict[str, tuple[dict[str, str], str]] = {
    "debug_maybe": ({"DEBUG": "maybe"}, "DEBUG"),
    "no_secret_key": ({}, "SECRET_KEY"),
    "empty_secret_key": ({"SECRET_KEY": "  ", "DEBUG": "false"}, "SECRET_KEY"),
    "mysql": ({"SECRET_KEY": "s", "DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
    "http_redis": ({"SECRET_KEY": "s", "REDIS_URL": "http://x"}, "REDIS_URL"),
    "german": ({"SECRET_KEY": "s", "LANGUAGE_CODE": "de"}, "LANGUAGE_CODE"),
    "email_port": ({"SECRET_KEY": "s", "EMAIL_HOST": "smtp", "EMAIL_PORT": "abc"}, "EMAIL_PORT"),
    "tls_and_ssl": (
        {"SECRET_KEY": "s", "EMAIL_HOST": "smtp", "EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"},
        "EMAIL_USE_SSL",
    ),
    "capacity": (
        {"SECRET_KEY": "s", "REDIS_URL": "redis://r", "CHANNEL_LAYER_CAPACITY": "0"},
        "CHANNEL_LAYER_CAPACITY",
    ),
    "conn_max_age": (
        {"SECRET_KEY": "s", "DATABASE_URL": "postgres://h/db", "DB_CONN_MAX_AGE": "forever"},
        "DB_CONN_MAX_AGE",
    ),
    "hsts": ({"SECRET_KEY": "s", "SECURE_HSTS_SECONDS": "-1"}, "SECURE_HSTS_SECONDS"),
}


@pytest.fixture(scope="module")
def outcomes() -> dict[str, subprocess.CompletedProcess[str]]:
    """Every case at once, in parallel processes: starting Django is the slow part."""
    running = {name: start(["-c", SHOW_SETTINGS], variables) for name, variables in GOOD.items()}
    running |= {
        name: start(["manage.py", "check"], variables) for name, (variables, _) in BAD.items()
    }
    running["production_check"] = start(
        ["manage.py", "check"], {"SECRET_KEY": "s", "DEBUG": "false"}
    )
    done = {}
    for name, process in running.items():
        out, err = process.communicate(timeout=120)
        done[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return done


def shown(outcomes: dict[str, subprocess.CompletedProcess[str]], name: str) -> dict:
    outcome = outcomes[name]
    assert outcome.returncode == 0, outcome.stderr
    return json.loads(outcome.stdout.strip().splitlines()[-1])


def test_it_runs_embedded_with_nothing_but_debug_set(outcomes) -> None:
    embedded = shown(outcomes, "embedded")

    assert embedded["engine"] == "django.db.backends.sqlite3"
    assert embedded["name"] == str(REPO / "journeymap.sqlite3")
    assert embedded["layer"] == "channels.layers.InMemoryChannelLayer"
    assert embedded["email"] == "django.core.mail.backends.console.EmailBackend"
    assert embedded["debug"] is True
    assert embedded["language"] == "en"


def test_it_uses_postgresql_from_database_url(outcomes) -> None:
    postgres = shown(outcomes, "postgres")

    assert postgres["engine"] == "django.db.backends.postgresql"
    assert postgres["name"] == "journeymap"
    assert postgres["debug"] is False


def test_it_uses_the_redis_channel_layer_from_redis_url(outcomes) -> None:
    redis = shown(outcomes, "redis")

    assert redis["layer"] == "journeymap.channel_layer.WaitingRedisChannelLayer"
    (host,) = redis["layer_hosts"]
    address = host["address"] if isinstance(host, dict) else host
    assert address == "redis://cache.internal:6379/1"


def test_it_sends_real_email_when_an_smtp_host_is_set(outcomes) -> None:
    smtp = shown(outcomes, "smtp")

    assert smtp["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (smtp["email_port"], smtp["email_tls"]) == (587, True)


def test_it_reads_comma_separated_lists_ignoring_blanks(outcomes) -> None:
    assert shown(outcomes, "hosts")["allowed_hosts"] == ["map.example.com", "other.example.com"]


def test_it_passes_the_system_checks_with_a_production_environment(outcomes) -> None:
    check = outcomes["production_check"]

    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize("case", BAD)
def test_it_refuses_to_start_with_a_wrong_value_naming_the_variable(outcomes, case: str) -> None:
    outcome = outcomes[case]
    _, variable = BAD[case]

    assert outcome.returncode != 0
    assert "ImproperlyConfigured" in outcome.stderr
    assert variable in outcome.stderr.strip().splitlines()[-1]


def test_it_documents_every_variable_it_reads_in_env_example() -> None:
    example = (REPO / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))

    assert VARIABLES_READ, "the settings read no variables? the pattern is out of date"
    assert set(VARIABLES_READ) - documented == set()
    assert "os.environ" not in SETTINGS_SOURCE, "read variables through journeymap.env"
