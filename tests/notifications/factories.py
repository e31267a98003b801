"""People for the notifications tests."""

from __future__ import annotations

import itertools

from ambassadors.models import Role
from ambassadors.services import user_create

PASSWORD = "pw-123456789"
_numbers = itertools.count(1)


def make_user(
    username: str | None = None,
    *,
    email: str | None = None,
    role: str = Role.MANAGER,
    language: str = "zh-hans",
):
    username = username or f"person{next(_numbers)}"
    return user_create(
        username=username,
        password=PASSWORD,
        role=role,
        email=f"{username}@example.com" if email is None else email,
        ui_language=language,
    )
