"""The public addresses of tokens, built on SITE_URL: what is copied or emailed must work from
outside, whatever host the request that created it came through."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def invitation_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('invitation', args=[token])}"


def share_link_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('share-link-join', args=[token])}"
