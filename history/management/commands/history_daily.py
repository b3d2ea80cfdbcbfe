"""Run once a day (cron): a daily version of every board changed since its last one, and a
fresh snapshot of every board whose log grew long since its last, so time travel stays quick.

    15 3 * * *  cd /srv/journeymap && .venv/bin/python manage.py history_daily
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from history.services import daily_versions, snapshots_refresh


class Command(BaseCommand):
    help = "Keep a daily version of each changed board and refresh long boards' snapshots."

    def handle(self, *args: Any, **options: Any) -> None:
        versions = daily_versions()
        snapshots = snapshots_refresh()
        self.stdout.write(f"{len(versions)} daily versions, {len(snapshots)} snapshots")
