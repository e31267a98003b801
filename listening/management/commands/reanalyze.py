"""Analyse again every mention whose analysis is older than the current analyser.

    python manage.py reanalyze            # mentions of another analyser version
    python manage.py reanalyze --all      # every mention

Runs in batches by id, shows a progress bar on stderr, and can be stopped and run
again: finished batches are at the current version and are skipped.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from listening.models import Mention
from listening.nlp.pipeline import analyzer
from listening.nlp.services import mentions_analyze

BATCH = 500


def progress(done: int, total: int, started: float, stream) -> None:
    width = 30
    filled = int(width * done / total) if total else width
    rate = done / max(time.monotonic() - started, 1e-6)
    stream.write(
        f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} ({rate:.0f}/s)",
        ending="",
    )
    stream.flush()


class Command(BaseCommand):
    help = "Re-analyse mentions after a model or analyser change."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="every mention")
        parser.add_argument("--batch", type=int, default=BATCH)

    def handle(self, *args, all, batch, **options):  # noqa: A002 - the option's name
        version = analyzer().version
        queryset = Mention.objects.all()
        if not all:
            queryset = queryset.exclude(analyzer_version=version)
        ids = list(queryset.order_by("id").values_list("id", flat=True))
        total, done, analysed = len(ids), 0, 0
        started = time.monotonic()
        stream = self.stderr
        for start in range(0, total, batch):
            chunk = ids[start : start + batch]
            analysed += len(mentions_analyze(mention_ids=chunk, force=all))
            done += len(chunk)
            progress(done, total, started, stream)
        if total:
            stream.write("")
        self.stdout.write(f"{analysed} mentions analysed with {version}")
