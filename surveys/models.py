from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listening.models import Platform


def _pick(zh: str, en: str, language: str) -> str:
    """The text in ``language``: English when asked for and written, else Chinese."""
    if language.startswith("en") and en:
        return en
    return zh or en


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed")

    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro_zh = models.TextField(_("introduction (Chinese)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    thanks_zh = models.TextField(_("thank-you text (Chinese)"), blank=True)
    thanks_en = models.TextField(_("thank-you text (English)"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    # Answers are taken while the survey is open and between these dates (if set).
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    # Given on completion to a respondent we know (a personal link), if set.
    reward_campaign = models.ForeignKey(
        "coupons.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reward"),
    )
    # Sent automatically when a case is resolved (see engagement.services.csat),
    # for the cases of these teams (empty: every team).
    auto_csat = models.BooleanField(_("send when a case is resolved"), default=False)
    auto_csat_teams = models.ManyToManyField(
        "ambassadors.Team",
        blank=True,
        related_name="+",
        verbose_name=_("for the cases of these teams"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title_zh or self.title_en

    def title(self, language: str) -> str:
        return _pick(self.title_zh, self.title_en, language)

    def intro(self, language: str) -> str:
        return _pick(self.intro_zh, self.intro_en, language)

    def thanks(self, language: str) -> str:
        return _pick(self.thanks_zh, self.thanks_en, language)

    def is_accepting(self, at=None) -> bool:
        at = at or timezone.now()
        return (
            self.status == self.Status.OPEN
            and (self.opens_at is None or self.opens_at <= at)
            and (self.closes_at is None or at < self.closes_at)
        )


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RATING = "rating", _("Rating 1–5 (CSAT)")
    NPS = "nps", _("Recommendation 0–10 (NPS)")
    TEXT = "text", _("Free text")
    IDEA = "idea", _("Your product idea")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
NUMBER_KINDS = (QuestionKind.RATING, QuestionKind.NPS)
TEXT_KINDS = (QuestionKind.TEXT, QuestionKind.IDEA)


class Question(models.Model):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices)
    text_zh = models.CharField(_("question (Chinese)"), max_length=500)
    text_en = models.CharField(_("question (English)"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=True)
    # Single and multiple choice: [{"zh": "...", "en": "..."}, ...]; answers store
    # the index.
    choices = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text_zh

    def text(self, language: str) -> str:
        return _pick(self.text_zh, self.text_en, language)

    def choice_labels(self, language: str) -> list[str]:
        return [_pick(c.get("zh", ""), c.get("en", ""), language) for c in self.choices]

    @property
    def scale(self) -> list[int]:
        if self.kind == QuestionKind.RATING:
            return list(range(1, 6))
        if self.kind == QuestionKind.NPS:
            return list(range(0, 11))
        return []


def invitation_url(token: str) -> str:
    """The public, short address of a link: ``<base>/s/<token>``.

    ``SURVEY_LINK_BASE`` (a short domain) when the settings have one, else SITE_URL.
    """
    base = getattr(settings, "SURVEY_LINK_BASE", "") or settings.SITE_URL
    return f"{base.rstrip('/')}/s/{token}"


class Invitation(models.Model):
    """A link to a survey: personal (single-use, for one customer, sent in a reply)
    or general (one per platform, posted publicly, answered by many)."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Personal (single-use)")
        GENERAL = "general", _("General (per platform)")

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="invitations"
    )
    token = models.CharField(max_length=16, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    platform = models.CharField(
        _("platform"), max_length=16, choices=Platform.choices, blank=True
    )
    platform_user_id = models.CharField(max_length=64, blank=True)
    case = models.ForeignKey(
        "engagement.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply = models.ForeignKey(
        "engagement.Reply",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    mention = models.ForeignKey(
        "listening.Mention",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ambassador = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The composer's retry and the CSAT sender: this case's invitation.
            models.Index(fields=["survey", "case"], name="invitation_case_idx"),
        ]

    def __str__(self) -> str:
        return self.token

    @property
    def is_personal(self) -> bool:
        return self.kind == self.Kind.PERSONAL

    @property
    def url(self) -> str:
        return invitation_url(self.token)


class Response(models.Model):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses"
    )
    invitation = models.ForeignKey(
        Invitation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
    )
    platform = models.CharField(max_length=16, choices=Platform.choices, blank=True)
    platform_user_id = models.CharField(max_length=64, blank=True)
    case = models.ForeignKey(
        "engagement.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ambassador = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(max_length=8, default="zh-hans")
    submitted_at = models.DateTimeField(default=timezone.now)
    # The answers to the survey's first NPS and first rating question, copied here
    # so NPS and CSAT by platform and over time are one grouped query.
    nps_score = models.SmallIntegerField(null=True, blank=True)
    csat_score = models.SmallIntegerField(null=True, blank=True)
    reward_code = models.ForeignKey(
        "coupons.CouponCode",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # Results and exports: a survey's responses over time.
            models.Index(fields=["survey", "submitted_at"], name="response_survey_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.id}"


class Answer(models.Model):
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers"
    )
    choice_indexes = models.JSONField(default=list, blank=True)
    number = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    # Text analysis (jieba keywords, sentiment in [-1, 1]); empty until analysed.
    keywords = models.JSONField(default=list, blank=True)
    sentiment = models.FloatField(null=True, blank=True)
    analyzed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="answer_response_question_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.response_id}:{self.question_id}"
