"""`manage.py seed_demo --url URL`: a demo login and a filled-in journey map to try at once.

Idempotent: the demo user is created once (an existing one keeps its password), and the demo
board only when that user has no board yet. Content goes through `apply_op` like any change,
so the demo board has a real op log.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.urls import reverse

from boards.models import Board, BoardTemplate, LaneKind
from boards.ops import apply_op
from boards.permissions import Actor
from boards.selectors import boards_of_user
from boards.services import board_create

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "journeymap-demo"  # documented in the README; a demo, not a secret
DEMO_TITLE = "Demo — online grocery journey"
DEMO_GOAL = (
    "Understand why first-time customers abandon their first grocery order, and find the "
    "moments worth redesigning before the autumn campaign."
)

PERSONAS: list[dict[str, Any]] = [
    {
        "name": "Camille Martin",
        "role": "Busy parent, first online order",
        "demographics": "38, two children, lives in the suburbs, works full time",
        "goals": "Get the weekly shop done in 15 minutes, delivered before dinner",
        "needs": "Reliable delivery slots, substitutions she can trust",
        "frustrations": "Hidden fees, slots that disappear at checkout",
        "behaviours": "Shops on her phone during the commute; compares two apps",
        "quote": "If I have to think about groceries twice, I've already lost the evening.",
    },
    {
        "name": "Karim Benali",
        "role": "Student on a budget",
        "demographics": "22, shares a flat, no car",
        "goals": "Spend less than 40 € a week without carrying bags up four floors",
        "needs": "Clear prices, low minimum basket, promo codes that work",
        "frustrations": "Minimum order amounts, delivery fees on small baskets",
        "behaviours": "Hunts deals on social media, orders with flatmates",
        "quote": "Free delivery over 50 €? Then I'll wait for my flatmates.",
    },
]

# One column per stage of the six-stage template, in order. Emotion scores (-2..+2) draw the
# curve: curious, hopeful, doubtful, the checkout low point, relief, then loyalty.
STAGE_CARDS: list[dict[str, Any]] = [
    {
        "actions": ["Sees a friend's delivery arrive", "Notices an ad for 20 € off"],
        "touchpoints": [("Instagram ad", "social", True), ("Word of mouth", "other", False)],
        "emotion": (1, "Curious: could this save my Saturday mornings?"),
        "needs": ["Know whether delivery covers my area"],
        "pain_points": ["The ad does not say which areas are delivered"],
        "opportunities": ["Postcode check straight from the ad"],
    },
    {
        "actions": ["Downloads the app", "Checks prices of usual products"],
        "touchpoints": [("App store page", "app", True), ("Review site", "review_site", False)],
        "emotion": (1, "Hopeful: prices look like the store's"),
        "needs": ["Compare with my usual basket"],
        "pain_points": ["Reviews mention late deliveries"],
        "opportunities": ["Show on-time delivery rate per area"],
    },
    {
        "actions": ["Fills a basket", "Looks for delivery slots"],
        "touchpoints": [("Product pages", "app", True), ("Slot picker", "app", True)],
        "emotion": (-1, "Doubtful: the only free slots are two days away"),
        "needs": ["A slot tonight or tomorrow morning"],
        "pain_points": ["Slots shown only after the basket is full"],
        "opportunities": ["Show slot availability on the home screen"],
    },
    {
        "actions": ["Enters the promo code", "Pays"],
        "touchpoints": [("Checkout", "app", True), ("Payment page", "web", True)],
        "emotion": (-2, "Frustrated: the code fails and a 5.90 € fee appears"),
        "needs": ["Know the full price before checkout"],
        "pain_points": ["Promo code refused without a reason", "Service fee revealed at the end"],
        "opportunities": ["Explain why a code does not apply", "Show fees in the basket"],
        "moment_of_truth": "Checkout: will the first order go through?",
    },
    {
        "actions": ["Tracks the driver", "Checks substitutions at the door"],
        "touchpoints": [("Delivery SMS", "phone", True), ("Driver at the door", "store", True)],
        "emotion": (1, "Relieved: on time, one good substitution"),
        "needs": ["Refuse a substitution easily"],
        "pain_points": ["Substitution notice arrives after the driver has left"],
        "opportunities": ["Approve substitutions in the app before delivery"],
    },
    {
        "actions": ["Reorders last week's basket", "Refers a flatmate"],
        "touchpoints": [("Reorder email", "email", True), ("Referral link", "social", True)],
        "emotion": (2, "Delighted: the weekly shop takes five minutes now"),
        "needs": ["Save favourite baskets"],
        "pain_points": ["Referral reward takes weeks to arrive"],
        "opportunities": ["One-tap weekly reorder with a reserved slot"],
    },
]


class Command(BaseCommand):
    help = "Create the demo login and its demo journey map (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000",
            help="Where the site is served, to print the demo board's address.",
        )

    def handle(self, *args: Any, url: str, **options: Any) -> None:
        user, created = User.objects.get_or_create(username=DEMO_USERNAME)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        board = boards_of_user(user.pk).first() or boards_of_user(user.pk, archived=True).first()
        if board is None:
            board = demo_board_create(owner=user)
        board_url = url.rstrip("/") + reverse("board", args=[board.pk])
        self.stdout.write(f"Demo board: {board_url}")
        password = DEMO_PASSWORD if created else "(unchanged; initially " + DEMO_PASSWORD + ")"
        self.stdout.write(f"Log in as: {DEMO_USERNAME} / {password}")


def demo_board_create(*, owner: User) -> Board:
    template = BoardTemplate.objects.get(key="six-stages")
    actor = Actor.for_user(owner)
    with transaction.atomic():
        board = board_create(
            owner=owner, title=DEMO_TITLE, language="en", template=template, goal=DEMO_GOAL
        )

        def op(op_name: str, /, **op_args: Any) -> dict[str, Any]:
            return apply_op(board_id=board.pk, actor=actor, name=op_name, args=op_args).result

        for persona in PERSONAS:
            op("persona.create", **persona)
        stages = list(board.stages.order_by("position"))
        lanes = {lane.kind: str(lane.pk) for lane in board.lanes.all()}
        for stage, cards in zip(stages, STAGE_CARDS, strict=True):
            cell = {"stage_id": str(stage.pk)}
            for text in cards["actions"]:
                op("card.create", **cell, lane_id=lanes[LaneKind.ACTIONS], text=text)
            for text, channel, brand in cards["touchpoints"]:
                op(
                    "card.create",
                    **cell,
                    lane_id=lanes[LaneKind.TOUCHPOINTS],
                    text=text,
                    channel=channel,
                    brand_controlled=brand,
                    touchpoint_state="observed",
                    color="blue",
                )
            score, feeling = cards["emotion"]
            op(
                "card.create",
                **cell,
                lane_id=lanes[LaneKind.EMOTIONS],
                text=feeling,
                emotion_score=score,
                color="green" if score > 0 else "red",
            )
            for text in cards["needs"]:
                op("card.create", **cell, lane_id=lanes[LaneKind.NEEDS], text=text, color="teal")
            for text in cards["pain_points"]:
                op(
                    "card.create",
                    **cell,
                    lane_id=lanes[LaneKind.PAIN_POINTS],
                    text=text,
                    color="red",
                )
            for text in cards["opportunities"]:
                op(
                    "card.create",
                    **cell,
                    lane_id=lanes[LaneKind.OPPORTUNITIES],
                    text=text,
                    color="purple",
                )
            if "moment_of_truth" in cards:
                op(
                    "card.create",
                    **cell,
                    lane_id=lanes[LaneKind.ACTIONS],
                    text=cards["moment_of_truth"],
                    moment_of_truth=True,
                    color="orange",
                )
    board.refresh_from_db()
    return board
