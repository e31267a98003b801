"""Load the demo: people of every role, tracked brands, sources on the mock platforms,
and what each app needs to show itself (teams, canned responses, a Sina-only coupon
campaign, a survey). Idempotent: running it again changes nothing.

With DEBUG off (production) it refuses, since its users, a superuser among them, would
share the documented password: there it runs only when asked with ``--password``
(a password of one's own, not the documented one)."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from listening.models import Source

# The brand's listening set-up on the mock platforms (ids are the mock brand accounts
# and the brand's own posts; see mockfeeds).
DEMO_SOURCES = [
    # (name, platform, kind, query, poll interval seconds)
    ("戴尔 关键词", "weibo", "search", "戴尔", 15),
    ("@戴尔中国 提及", "weibo", "mentions", "1642909335", 15),
    ("Dell keyword", "twitter", "search", "Dell", 15),
    ("@DellCares mentions", "twitter", "mentions", "17025475", 15),
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
            self._seed_people(password)
            for name, platform, kind, query, interval in DEMO_SOURCES:
                Source.objects.get_or_create(
                    platform=platform,
                    kind=kind,
                    query=query,
                    defaults={"name": name, "poll_interval": interval},
                )
            for app in (
                "listening.nlp.brands",
                "engagement.services",
                "coupons.services",
                "surveys.services",
                "publishing.services",
            ):
                seed = self._hook(app)
                if seed is not None:
                    seed()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Logins:"))
        for username, role in DEMO_USERS:
            self.stdout.write(f"  {username:<12} / {password}   ({role})")

    @staticmethod
    def _hook(module_name: str):
        try:
            module = import_module(module_name)
        except ImportError:
            return None
        return getattr(module, "demo_seed", None)

    @staticmethod
    def _seed_people(password: str) -> None:
        people = import_module("ambassadors.services")
        if hasattr(people, "demo_seed"):
            people.demo_seed(password=password)
            return
        from django.contrib.auth import get_user_model

        existing = set(
            get_user_model()
            .objects.filter(username__in=[u for u, _ in DEMO_USERS])
            .values_list("username", flat=True)
        )
        for username, role in DEMO_USERS:
            if username not in existing:
                people.user_create(username=username, password=password, role=role)
