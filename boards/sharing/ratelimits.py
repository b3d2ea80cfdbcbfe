"""Rate limits on what strangers can repeat: invitations (per inviting user), joins by link (per
address). Counted by django-ratelimit in the default cache, which is Redis when several
processes serve the site. The rates are settings, so a deployment can tune them."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from boards.ops import OpError


def _refuse() -> OpError:
    return OpError("rate_limited", _("Too many attempts. Please wait a moment and try again."))


def limit_invitations(request: HttpRequest, *, user_id: int) -> None:
    if is_ratelimited(
        request,
        group="sharing.invite",
        key=lambda _group, _request: str(user_id),
        rate=settings.RATELIMIT_INVITATIONS,
        increment=True,
    ):
        raise _refuse()


def limit_link_joins(request: HttpRequest) -> None:
    if is_ratelimited(
        request, group="sharing.join", key="ip", rate=settings.RATELIMIT_LINK_JOINS, increment=True
    ):
        raise _refuse()
