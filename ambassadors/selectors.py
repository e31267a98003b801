from django.contrib.auth.models import AnonymousUser, User

from .models import Role


def user_role(user: User | AnonymousUser) -> str | None:
    """The user's role, or None for anonymous users and users without a profile."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile is not None else None
