"""Create a backlog of generated posts on the mock platforms, fast (the ingest
benchmark's set-up): ``manage.py mock_seed --platform weibo --count 100000``."""

import time

from django.core.management.base import BaseCommand, CommandError

from mockfeeds import selectors
from mockfeeds.services import PLATFORMS, mock_scenario_reset
from mockfeeds.traffic import mock_backlog_seed


class Command(BaseCommand):
    help = "Create N generated posts on a mock platform (or all) at once."

    def add_arguments(self, parser):
        parser.add_argument("--platform", choices=[*PLATFORMS, "all"], default="all")
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument(
            "--reset",
            action="store_true",
            help="forget the platform's posts first (deterministic for --seed)",
        )
        parser.add_argument(
            "--all-mentions",
            action="store_true",
            help="every item an original status mentioning the brand (so all N "
            "come back from statuses/mentions, users/<id>/mentions and feed/list)",
        )

    def handle(self, *args, platform, count, seed, reset, all_mentions, **options):
        if count < 0:
            raise CommandError("--count must be ≥ 0")
        platforms = list(PLATFORMS) if platform == "all" else [platform]
        if reset:
            mock_scenario_reset(platforms=platforms, seed=seed)
        for name in platforms:
            started = time.perf_counter()
            made = mock_backlog_seed(
                platform=name, count=count, seed=seed, all_mentions=all_mentions
            )
            seconds = time.perf_counter() - started
            counts = selectors.platform_counts(platform=name)
            self.stdout.write(
                f"{name}: {made} items in {seconds:.2f}s "
                f"(statuses {counts['statuses']}, comments {counts['comments']}, "
                f"brand mentions {counts['mentions']})"
            )
