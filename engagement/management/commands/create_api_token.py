"""Print an API token for a user: ``manage.py create_api_token USERNAME``."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ambassadors.services import api_token_create


class Command(BaseCommand):
    help = (
        "Print the API token of USERNAME (created if missing). The API acts with "
        "that user's role and reach. --rotate replaces an existing token."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="Replace the existing token (the old one stops working).",
        )

    def handle(self, *args, username: str, rotate: bool, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No such user: {username}")
        if not user.is_active:
            raise CommandError(f"User {username} is inactive")
        self.stdout.write(api_token_create(user=user, rotate=rotate))
