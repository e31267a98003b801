import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listening.models import Platform


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    MANAGER = "manager", _("Community manager")
    AMBASSADOR = "ambassador", _("Ambassador")


class Department(models.TextChoices):
    ENGINEERING = "engineering", _("Engineering")
    CUSTOMER_CARE = "customer_care", _("Customer care")
    MARKETING = "marketing", _("Marketing")
    SALES = "sales", _("Sales")
    SUPPORT = "support", _("Support")


class Certification(models.IntegerChoices):
    """What an employee may do in public; ordered, so levels compare with >=."""

    NONE = 0, _("Not certified")
    ENTHUSIAST = 1, _("Enthusiast (may share news)")
    PROFESSIONAL = 2, _("Professional (may reply for the brand)")
    EXPERT = 3, _("Expert (escalations and influencers)")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    AWAY = "away", _("Away")
    OFF = "off", _("Off")


def default_work_days() -> list[int]:
    return [0, 1, 2, 3, 4]  # Monday to Friday (datetime.weekday numbers)


def default_languages() -> list[str]:
    return ["zh"]


class Team(models.Model):
    """A group of ambassadors with one queue (e.g. consumer support, gaming)."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    # Where cases go when no routing rule names a team.
    is_default = models.BooleanField(_("default team"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    """A product skill tag; a case needs it when its mentions name one of
    ``products`` (product-line slugs from the analysis)."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    products = models.JSONField(_("product slugs"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.name


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
    department = models.CharField(
        _("department"), max_length=16, choices=Department.choices, blank=True
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    # Language codes as the analysis writes them on mentions ("zh", "en").
    languages = models.JSONField(_("languages"), default=default_languages, blank=True)
    skills = models.ManyToManyField(
        Skill, verbose_name=_("skills"), blank=True, related_name="profiles"
    )
    capacity = models.PositiveSmallIntegerField(_("max open cases"), default=10)
    availability = models.CharField(
        _("availability"),
        max_length=12,
        choices=Availability.choices,
        default=Availability.AVAILABLE,
    )
    # Working hours in the person's own time zone; start == end means all day.
    work_days = models.JSONField(_("working days"), default=default_work_days)
    work_start = models.TimeField(_("working from"), default=dt.time(9, 0))
    work_end = models.TimeField(_("working until"), default=dt.time(18, 0))
    time_zone = models.CharField(_("time zone"), max_length=40, default="Asia/Shanghai")
    certification = models.PositiveSmallIntegerField(
        _("certification"), choices=Certification.choices, default=Certification.NONE
    )
    # Computed by ambassadors.certification.services from the records (never typed);
    # stored here so routing reads one row.
    certification_expires_at = models.DateTimeField(
        _("certification expires"), null=True, blank=True
    )
    certification_state = models.CharField(
        _("certification state"), max_length=8, default="none", blank=True
    )
    disclosure_signature = models.CharField(
        _("disclosure signature"), max_length=60, blank=True
    )
    # Round robin among equally loaded ambassadors: the longest without a case next.
    last_assigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        indexes = [
            # Routing: the members of a team who may take cases now.
            models.Index(
                fields=["team", "role", "availability"], name="profile_routing_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.get_role_display()})"


class HandleStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class PlatformHandle(models.Model):
    """The account an ambassador speaks from on one platform. Only an approved
    handle is routed to or signs replies."""

    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="handles"
    )
    platform = models.CharField(
        _("platform"),
        max_length=16,
        choices=Platform.choices,
    )
    handle = models.CharField(_("handle"), max_length=100)
    # The account's id on the platform (Twitter retweets name the user).
    platform_user_id = models.CharField(_("account id"), max_length=64, blank=True)
    # What the account's profile says about working for the brand (the policy's
    # disclosure).
    disclosure = models.CharField(
        _("disclosure on the profile"), max_length=200, default=""
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=HandleStatus.choices,
        default=HandleStatus.PENDING,
    )
    review_note = models.CharField(_("note"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("platform handle")
        verbose_name_plural = _("platform handles")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "platform"], name="handle_profile_platform_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform}:@{self.handle}"
