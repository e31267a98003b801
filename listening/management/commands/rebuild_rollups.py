"""Recount the listening room's rollups from the mention table, with a progress bar:
``manage.py rebuild_rollups [--since 2026-11-01]`` (a date in the site's time zone)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from listening.services.rollups import rollups_rebuild


class Command(BaseCommand):
    help = "Rebuild the listening room's rollups (all, or from --since DATE on)."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="YYYY-MM-DD, in the site's time zone")

    def handle(self, *args, since=None, **options):
        day = None
        if since:
            try:
                day = dt.date.fromisoformat(since)
            except ValueError as error:
                raise CommandError(f"--since must be YYYY-MM-DD: {error}") from error
        bar = tqdm(total=0, unit="mentions", file=self.stderr._out, disable=None)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        done = rollups_rebuild(since=day, progress=progress)
        bar.close()
        self.stdout.write(f"Rollups rebuilt from {done} mentions.")
