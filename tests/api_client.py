"""Helpers for the REST API tests: a signed-in client and the URLs of the API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from rest_framework.test import APIClient


def client_for(user: User | None, **kwargs: Any) -> APIClient:
    """An API client signed in by session, as the board page's browser is."""
    client = APIClient(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def api_url(name: str, *args: object) -> str:
    return reverse(f"api:{name}", args=args)
