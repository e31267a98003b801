"""Revoke API tokens from the command line: all of a user's, or one by its prefix."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from integrations import tokens


class Command(BaseCommand):
    help = "Revoke USERNAME's live API tokens (all, or the one starting with --prefix)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--prefix", help="Only the token whose key starts so.")

    def handle(self, *args, username: str, prefix: str | None, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No such user: {username}")
        if prefix:
            found = tokens.tokens_of(user=user).filter(
                prefix=prefix[:12], revoked_at__isnull=True
            )
            count = sum(
                tokens.token_revoke(user=user, token_id=t.pk) for t in list(found)
            )
        else:
            count = tokens.tokens_revoke_all(user=user)
        self.stdout.write(f"{count} token(s) revoked.")
