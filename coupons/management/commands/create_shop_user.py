from django.core.management.base import BaseCommand

from coupons.services import shop_user_create


class Command(BaseCommand):
    help = "Create (or find) a shop integration user and print its API token."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user, token = shop_user_create(username=username)
        self.stdout.write(f"{user.get_username()}: Authorization: Token {token}")
