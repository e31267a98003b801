"""Drop the raw platform payloads of mentions older than a configurable age, keeping
the mentions and the rollups: ``manage.py prune_raw_payloads [--days 90]``."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from listening.services.retention import mentions_prune_raw


class Command(BaseCommand):
    help = "Empty the raw payload of mentions fetched more than N days ago."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=settings.LISTENING_RAW_RETENTION_DAYS
        )

    def handle(self, *args, days, **options):
        if days < 1:
            raise CommandError("--days must be at least 1")
        cutoff = timezone.now() - dt.timedelta(days=days)
        pruned = mentions_prune_raw(before=cutoff)
        self.stdout.write(f"Raw payloads dropped from {pruned} mentions.")
