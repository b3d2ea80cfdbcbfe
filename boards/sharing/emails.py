"""The invitation email: HTML and plain text, written in the language the inviter chose for the
recipient, sent through Django's email framework (console by default, SMTP from the
environment)."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from boards.models import Invitation, Role
from boards.sharing.addresses import invitation_url


def invitation_email_send(*, invitation: Invitation, token: str, inviter_name: str) -> None:
    with translation.override(invitation.language):
        context = {
            "board_title": invitation.board.title,
            "inviter": inviter_name,
            "role": str(Role(invitation.role).label),
            "url": invitation_url(token),
            "expires_at": invitation.expires_at,
        }
        subject = render_to_string("emails/invitation_subject.txt", context)
        text = render_to_string("emails/invitation.txt", context)
        html = render_to_string("emails/invitation.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[invitation.email],
        headers={"Content-Language": invitation.language},
    )
    message.attach_alternative(html, "text/html")
    message.send()
