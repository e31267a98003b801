"""Make (or find) a shop's integration account and a new redeem-only API token."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from integrations.tokens import shop_user_create


class Command(BaseCommand):
    help = (
        "Create (or find) a shop integration user and print a new API token for it, "
        "once (it holds only coupons:redeem; only its hash is stored)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="shop", help="The token's name.")

    def handle(self, *args, username: str, name: str, **options):
        user, key = shop_user_create(username=username, name=name)
        self.stderr.write("Copy the token now: it is not shown again.")
        self.stdout.write(f"{user.get_username()}: Authorization: Token {key}")
