"""Shop integration accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.db import transaction
from rest_framework.authtoken.models import Token

from ..permissions import SHOP_GROUP


@transaction.atomic
def shop_user_create(*, username: str) -> tuple[User, str]:
    """A shop integration account: in the ``shop`` group, no password, an API token.

    Returns the user and its token (created once; the same token on a second call).
    """

    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    group, _created = Group.objects.get_or_create(name=SHOP_GROUP)
    user.groups.add(group)
    token, _created = Token.objects.get_or_create(user=user)
    return user, token.key
