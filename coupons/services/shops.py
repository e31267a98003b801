"""Shop integration accounts (their API tokens are made by integrations.tokens)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.db import transaction

from ..permissions import SHOP_GROUP


@transaction.atomic
def shop_account_create(*, username: str) -> User:
    """A shop integration account: in the ``shop`` group, no password (found again
    on a second call)."""

    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    group, _created = Group.objects.get_or_create(name=SHOP_GROUP)
    user.groups.add(group)
    return user
