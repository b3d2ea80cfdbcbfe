"""The summary email a facilitator sends after a session: the goals, key takeaways, actions
and their owners, the top-voted pain points and a link back to the board, to every member
with an address, each in the language they last used Journeymap in."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from boards.models import Board, LaneKind, Membership
from boards.ordering import sort_by_position
from boards.selectors import live_cards
from boards.visibility import hidden_card_ids
from workshops.models import ActionStatus, Insight, InsightKind, ParticipantLanguage, Vote

TOP_PAIN_POINTS = 5


@dataclass(frozen=True)
class PainPoint:
    text: str
    votes: int


def top_pain_points(board: Board) -> list[PainPoint]:
    """The pain points with the most dots, over the votes of the board; private cards, which
    only their author has seen, are left out."""
    hidden = hidden_card_ids(board.pk, None)
    pains = {
        str(card.pk): card.text
        for card in live_cards(board.pk).filter(lane__kind=LaneKind.PAIN_POINTS)
        if str(card.pk) not in hidden
    }
    # Dots of a vote still open with hidden results are nobody's to read yet.
    counted = Vote.objects.filter(session__board=board).exclude(
        session__closed_at__isnull=True, session__hide_results=True
    )
    votes = Counter(str(card_id) for card_id in counted.values_list("card_id", flat=True))
    ranked = sorted(
        ((card_id, count) for card_id, count in votes.items() if card_id in pains),
        key=lambda item: (-item[1], pains[item[0]]),
    )
    return [PainPoint(pains[card_id], count) for card_id, count in ranked[:TOP_PAIN_POINTS]]


def _recipients(board: Board) -> list[tuple[str, str]]:
    """(address, language) of every member with an email address."""
    members = Membership.objects.filter(board=board).select_related("user").exclude(user__email="")
    languages = dict(
        ParticipantLanguage.objects.filter(user__in=[m.user for m in members]).values_list(
            "user_id", "language"
        )
    )
    return [(m.user.email, languages.get(m.user_id, board.language)) for m in members]


def workshop_summary_send(*, board: Board, sender_name: str) -> int:
    """Send the summary; returns how many emails went out."""
    insights = sort_by_position(Insight.objects.filter(board=board, deleted=False))
    base = {
        "board": board,
        "sender": sender_name,
        "url": f"{settings.SITE_URL}{reverse('board', args=[board.pk])}",
        "takeaways": [i for i in insights if i.kind == InsightKind.TAKEAWAY],
        "actions": [i for i in insights if i.kind == InsightKind.ACTION],
        "pain_points": top_pain_points(board),
    }
    messages = []
    for address, language in _recipients(board):
        with translation.override(language):
            context = {
                **base,
                "statuses": {value: str(label) for value, label in ActionStatus.choices},
            }
            subject = render_to_string("workshops/emails/summary_subject.txt", context)
            text = render_to_string("workshops/emails/summary.txt", context)
            html = render_to_string("workshops/emails/summary.html", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=text,
            to=[address],
            headers={"Content-Language": language},
        )
        message.attach_alternative(html, "text/html")
        messages.append(message)
    # One connection for all of them; each recipient gets their own email.
    return get_connection().send_messages(messages) or 0


def participant_language_remember(*, user_id: int, language: str) -> None:
    ParticipantLanguage.objects.update_or_create(user_id=user_id, defaults={"language": language})
