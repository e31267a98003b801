"""Make an API token for a user: ``manage.py create_api_token USERNAME``.

The key is printed once and only its hash is stored (integrations.tokens).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from common.scopes import SCOPES
from integrations import tokens


class Command(BaseCommand):
    help = (
        "Make a new API token for USERNAME and print it once (only its hash is "
        "stored). Without --scope it holds every scope the user's role allows."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="The token's name.")
        parser.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            choices=sorted(SCOPES),
            help="A scope the token holds (repeat for several).",
        )
        parser.add_argument(
            "--expires-days", type=int, help="The token stops working after this."
        )
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="Revoke the user's live tokens of the same name first.",
        )

    def handle(
        self, *args, username: str, name: str, scopes, expires_days, rotate, **o
    ):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No such user: {username}")
        expires_at = None
        if expires_days is not None:
            if expires_days < 1:
                raise CommandError("--expires-days must be at least 1")
            expires_at = timezone.now() + dt.timedelta(days=expires_days)
        try:
            if scopes:
                if not user.is_active:
                    raise CommandError(f"User {username} is inactive")
                if rotate:
                    tokens.role_token_revoke_named(user=user, name=name)
                token, key = tokens.token_create(
                    user=user, name=name, scopes=scopes, expires_at=expires_at
                )
            else:
                token, key = tokens.role_token_create(
                    user=user, name=name, expires_at=expires_at, rotate=rotate
                )
        except tokens.TokenError as exc:
            raise CommandError(exc.message) from None
        self.stderr.write(
            f"Token {token.prefix}… for {username} ({', '.join(token.scopes)}). "
            "Copy it now: it is not shown again."
        )
        self.stdout.write(key)
