"""Authenticated participants for the benchmark, written straight into the server's database.

Run with the cluster's environment (same settings and database as the servers):
    python -m bench.seed --participants 200 --editors 20    → JSON on stdout

Each participant is a user with an editor membership and a ready session (the cookie the
browser would hold after logging in); each editor also gets a card of its own to edit.
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import timedelta
from typing import Any

import django


def seed(participants: int, editors: int, cards: int = 0) -> dict[str, Any]:
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from boards.models import BoardTemplate, Lane, Membership, Role, Stage
    from boards.ops import apply_op
    from boards.permissions import Actor
    from boards.services import board_create

    run = get_random_string(6).lower()
    owner = User.objects.create_user(f"bench-{run}-owner")
    board = board_create(
        owner=owner,
        title="Benchmark workshop",
        language="en",
        template=BoardTemplate.objects.get(key="six-stages"),
    )
    # Any cell will do: every editor's card goes in the same one, as in a busy workshop.
    stage = Stage.objects.filter(board=board).first()
    lane = Lane.objects.filter(board=board).first()
    if stage is None or lane is None:
        raise RuntimeError("the six-stages template should give the board stages and lanes")
    # Nobody logs in with a password; an unusable one keeps the session hash check honest.
    users = User.objects.bulk_create(
        [User(username=f"bench-{run}-{i}", password="!bench") for i in range(participants)]
    )
    Membership.objects.bulk_create(
        [Membership(board=board, user=user, role=Role.EDITOR) for user in users]
    )
    store = SessionStore()
    expires = timezone.now() + timedelta(days=1)
    sessions = [
        Session(
            session_key=get_random_string(32),
            session_data=store.encode(
                {
                    SESSION_KEY: str(user.pk),
                    BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                    HASH_SESSION_KEY: user.get_session_auth_hash(),
                }
            ),
            expire_date=expires,
        )
        for user in users
    ]
    Session.objects.bulk_create(sessions)
    if cards:
        fill_cards(board, owner, cards)
    result: list[dict[str, Any]] = []
    for index, (user, session) in enumerate(zip(users, sessions, strict=True)):
        card_id = None
        if index < editors:
            applied = apply_op(
                board_id=board.pk,
                actor=Actor.for_user(user),
                name="card.create",
                args={"stage_id": str(stage.pk), "lane_id": str(lane.pk), "text": "bench"},
            )
            card_id = applied.result["id"]
        result.append(
            {
                "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
                "card_id": card_id,
                "stage_id": str(stage.pk),
                "lane_id": str(lane.pk),
            }
        )
    return {"board_id": str(board.pk), "participants": result}


def fill_cards(board: Any, author: Any, count: int) -> None:
    """`count` cards spread over every cell, with valid ordering keys: a large map to open.

    Written in bulk, not through the write path: the benchmark measures opening and updating
    a big board, and thousands of logged creations would only slow the setup down."""
    from fractional_indexing import generate_n_keys_between

    from boards.models import Card, Lane, Stage

    cells = [
        (stage, lane)
        for stage in Stage.objects.filter(board=board)
        for lane in Lane.objects.filter(board=board)
    ]
    per_cell, extra = divmod(count, len(cells))
    rows = []
    for index, (stage, lane) in enumerate(cells):
        size = per_cell + (1 if index < extra else 0)
        for n, key in enumerate(generate_n_keys_between(None, None, size)):
            rows.append(
                Card(
                    board=board,
                    stage=stage,
                    lane=lane,
                    position=key,
                    text=f"{stage.title} / {lane.title}: note {n + 1}",
                    author=author,
                )
            )
    Card.objects.bulk_create(rows, batch_size=500)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, required=True)
    parser.add_argument("--editors", type=int, required=True)
    parser.add_argument("--cards", type=int, default=0, help="extra cards spread over the map")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "journeymap.settings")
    print(json.dumps(seed(args.participants, args.editors, args.cards)))


if __name__ == "__main__":
    main()
