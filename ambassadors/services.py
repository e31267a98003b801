from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from .models import Profile, Role

User = get_user_model()


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str = Role.AMBASSADOR,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    ui_language: str = "zh-hans",
) -> AbstractBaseUser:
    """Create a user with their profile; admins also get Django admin access."""
    user = User.objects.create_user(
        username=username,
        password=password,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    Profile.objects.create(user=user, role=role, ui_language=ui_language)
    return user


@transaction.atomic
def profile_set_language(*, user: AbstractBaseUser, language: str) -> None:
    profile, _ = Profile.objects.get_or_create(user=user)
    profile.ui_language = language
    profile.save(update_fields=["ui_language"])
