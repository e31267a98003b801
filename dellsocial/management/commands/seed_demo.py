"""Load the demo: people of every role, tracked brands, sources on the mock platforms,
and what each app needs to show itself (teams, canned responses, a Sina-only coupon
campaign, a survey). Idempotent: running it again changes nothing.

With DEBUG off (production) it refuses, since its users, a superuser among them, would
share the documented password: there it runs only when asked with ``--password``
(a password of one's own, not the documented one)."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ambassadors.demo import demo_seed as people_seed
from coupons.services import demo_seed as coupons_seed
from engagement.services import demo_seed as engagement_seed
from listening.models import Source, WallToken
from listening.nlp.services import brands_seed
from listening.services.demo import demo_seed as listening_seed
from mockfeeds.services import mock_demo_history
from publishing.services import demo_seed as publishing_seed
from surveys.services import demo_seed as surveys_seed

# The brand's listening set-up on the mock platforms (ids are the mock brand accounts
# and the brand's own posts; see mockfeeds).
DEMO_SOURCES = [
    # (name, platform, kind, query, poll interval seconds)
    ("戴尔 关键词", "weibo", "search", "戴尔", 15),
    ("@戴尔中国 提及", "weibo", "mentions", "1642909335", 15),
    ("Dell keyword", "twitter", "search", "Dell", 15),
    ("@DellCares mentions", "twitter", "mentions", "17025475", 15),
    # Private messages to the brand accounts (Renren has no DM API).
    ("@戴尔中国 私信", "weibo", "direct_messages", "1642909335", 15),
    ("@DellCares DMs", "twitter", "direct_messages", "17025475", 15),
    ("人人 戴尔中国", "renren", "mentions", "600002246", 20),
    ("人人 关键词", "renren", "search", "戴尔", 30),
]

DOCUMENTED_PASSWORD = "dell-social-2010"  # noqa: S105 (README; refused in production)

DEMO_USERS = [
    ("admin", "admin"),
    ("manager", "manager"),
    ("ambassador1", "ambassador"),
    ("ambassador2", "ambassador"),
    ("ambassador3", "ambassador"),
    ("ambassador4", "ambassador"),
    ("ambassador5", "ambassador (new hire)"),
]


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default="",
            help="Password of the demo users (required when DEBUG is off).",
        )

    def handle(self, *args, **options):
        password = options["password"] or settings.DEMO_PASSWORD
        if not settings.DEBUG:
            if not options["password"]:
                raise CommandError(
                    "seed_demo refuses to run with DEBUG off: its users (a superuser "
                    "among them) would have the documented password. Run it with "
                    "--password <a password of your own> if you really want demo "
                    "users here."
                )
            if password == DOCUMENTED_PASSWORD:
                raise CommandError(
                    "The documented demo password is public: choose another one."
                )
            try:
                validate_password(password)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        with transaction.atomic():
            people_seed(password=password)
            for name, platform, kind, query, interval in DEMO_SOURCES:
                Source.objects.get_or_create(
                    platform=platform,
                    kind=kind,
                    query=query,
                    defaults={"name": name, "poll_interval": interval},
                )
            brands_seed()
            engagement_seed()
            coupons_seed()
            surveys_seed()
            listening_seed()
            publishing_seed()
        if settings.MOCK_PLATFORMS:
            # A week of history on the mock platforms, so the listening room has a
            # baseline to show and spike detection one to compare against.
            made = mock_demo_history()
            if made:
                self.stdout.write(f"Mock platforms: a week of history {made}")
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Logins:"))
        for username, role in DEMO_USERS:
            self.stdout.write(f"  {username:<12} / {password}   ({role})")
        wall = WallToken.objects.filter(name="demo wall").first()
        if wall is not None:
            self.stdout.write(
                f"Listening wall: {settings.SITE_URL}/listening/wall/?t={wall.key}"
            )
