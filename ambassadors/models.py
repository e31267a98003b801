from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    MANAGER = "manager", _("Community manager")
    AMBASSADOR = "ambassador", _("Ambassador")


class Profile(models.Model):
    """Who a user is in the product: their role and interface language.

    Ambassador-specific fields (team, skills, certification, capacity...) live here
    too, so one row answers "may this person do that".
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=Role.choices, default=Role.AMBASSADOR
    )
    ui_language = models.CharField(
        _("interface language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="zh-hans",
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.get_role_display()})"
