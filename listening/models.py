from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    WEIBO = "weibo", _("Sina Weibo")
    TWITTER = "twitter", _("Twitter")
    RENREN = "renren", _("Renren")


class Source(models.Model):
    """One thing to listen to on one platform, polled on its own schedule."""

    class Kind(models.TextChoices):
        SEARCH = "search", _("Keyword search")
        MENTIONS = "mentions", _("Account mentions")
        COMMENTS = "comments", _("Comments on the brand's post")

    name = models.CharField(_("name"), max_length=120)
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # search: the keyword; mentions: the brand account's user id; comments: the id
    # of the brand's post.
    query = models.CharField(_("query"), max_length=500)
    # Blank: the platform's base from settings (the mock by default).
    api_base = models.URLField(_("API base URL"), blank=True)
    poll_interval = models.PositiveIntegerField(
        _("poll interval (seconds)"), default=60
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    # Where the next poll starts: {"since_id": ...} plus, while a long backlog is
    # being walked, the resume point of the walk. Moves only after its rows commit.
    cursor = models.JSONField(_("cursor"), default=dict, blank=True)
    next_poll_at = models.DateTimeField(_("next poll at"), default=timezone.now)
    # The poll lease: which task holds the source, and until when.
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    # Health.
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(
        _("consecutive failures"), default=0
    )
    rate_limited_until = models.DateTimeField(
        _("rate limited until"), null=True, blank=True
    )
    mentions_fetched = models.PositiveBigIntegerField(_("mentions stored"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["platform", "name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        indexes = [
            # dispatch_due_sources: enabled sources whose next poll is due.
            models.Index(fields=["enabled", "next_poll_at"], name="source_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} · {self.name}"

    @property
    def is_healthy(self) -> bool:
        return self.consecutive_failures == 0

    def clean(self) -> None:
        """A source's own API base URL may name only an allowed host (the platform's
        token is sent there): the official hosts, the mock, the settings' list."""
        from django.core.exceptions import ValidationError

        from listening.adapters.base import api_url_allowed

        super().clean()
        if self.api_base and not api_url_allowed(self.api_base):
            raise ValidationError(
                {
                    "api_base": _(
                        "This host is not allowed: use the platform's official API, "
                        "or add the host to PLATFORM_API_ALLOWED_HOSTS."
                    )
                }
            )


class Author(models.Model):
    """A person (or organisation) on one platform, as its profile was last seen."""

    platform = models.CharField(max_length=16, choices=Platform.choices)
    external_id = models.CharField(max_length=64)
    screen_name = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=200, blank=True)
    followers_count = models.PositiveBigIntegerField(default=0)
    friends_count = models.PositiveBigIntegerField(default=0)
    statuses_count = models.PositiveBigIntegerField(default=0)
    verified = models.BooleanField(default=False)
    verified_type = models.CharField(max_length=32, blank=True)
    location = models.CharField(max_length=200, blank=True)
    gender = models.CharField(max_length=8, blank=True)
    description = models.TextField(blank=True)
    profile_image_url = models.URLField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "external_id"], name="author_platform_external_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"@{self.screen_name or self.name or self.external_id} ({self.platform})"


class RawJSONField(models.JSONField):
    """A payload kept as the platform sent it: PostgreSQL ``json``, not ``jsonb``.

    ``json`` is stored as validated text, exact and several times cheaper to write
    than ``jsonb`` (the payload is written on every ingest and almost never queried).
    """

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def from_db_value(self, value, expression, connection):
        if value is not None and not isinstance(value, str):
            return value  # psycopg2 decodes json itself
        return super().from_db_value(value, expression, connection)


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")


class Intent(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    QUESTION = "question", _("Support question")
    PURCHASE = "purchase", _("Purchase intent")
    PRAISE = "praise", _("Praise")
    SUGGESTION = "suggestion", _("Suggestion / idea")
    OTHER = "other", _("Other")


class Mention(models.Model):
    """One post, comment or reply fetched from a platform. Stored exactly once."""

    platform = models.CharField(max_length=16, choices=Platform.choices)
    # The platform's id as a string: Weibo idstr, Twitter v2 id, Renren id.
    external_id = models.CharField(max_length=64)
    # No index: nothing looks mentions up by source, and every index slows ingest.
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    author = models.ForeignKey(
        Author,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentions",
    )
    text = models.TextField()
    # Filled by analysis; the adapter's hint (Twitter's lang) until then.
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(db_index=True)
    fetched_at = models.DateTimeField(default=timezone.now)
    # Thread links, all as the platform's ids: the post this one answers, the root of
    # its conversation, and the post it reposts.
    in_reply_to_external_id = models.CharField(max_length=64, blank=True)
    thread_external_id = models.CharField(max_length=64, blank=True)
    repost_of_external_id = models.CharField(max_length=64, blank=True)
    # Normalised counters: reposts, comments, likes, quotes.
    metrics = models.JSONField(default=dict, blank=True)
    raw = RawJSONField(default=dict, blank=True)
    # Analysis (listening.nlp); empty until analysed.
    sentiment = models.FloatField(_("sentiment"), null=True, blank=True)
    sentiment_label = models.CharField(
        _("sentiment"), max_length=10, choices=Sentiment.choices, blank=True
    )
    sarcasm = models.BooleanField(_("mixed or sarcastic"), default=False)
    intent = models.CharField(
        _("intent"), max_length=12, choices=Intent.choices, blank=True
    )
    brands = models.JSONField(_("brands"), default=list, blank=True)
    products = models.JSONField(_("products"), default=list, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    priority = models.FloatField(_("priority"), default=0.0)
    analyzer_version = models.CharField(max_length=32, blank=True)
    analyzed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "external_id"],
                name="mention_platform_external_uniq",
            )
        ]
        indexes = [
            # The sweep for mentions whose analysis hand-off was lost
            # (mentions_requeue_unanalyzed); partial, so it stays tiny.
            models.Index(
                fields=["fetched_at"],
                name="mention_unanalyzed_idx",
                condition=models.Q(analyzed_at__isnull=True),
            ),
            # A case's thread: the mentions of one conversation.
            models.Index(
                fields=["platform", "thread_external_id"], name="mention_thread_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.external_id}"


class Brand(models.Model):
    """A tracked brand: the own brand or a competitor, with every name people use."""

    class Kind(models.TextChoices):
        OWN = "own", _("Own brand")
        COMPETITOR = "competitor", _("Competitor")

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # Chinese, English, pinyin and nicknames: 戴尔, Dell, dai er, 戴尔电脑...
    aliases = models.JSONField(_("aliases"), default=list, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("brand")
        verbose_name_plural = _("brands")

    def __str__(self) -> str:
        return self.name


class ProductLine(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="products")
    slug = models.SlugField(_("slug"))
    name = models.CharField(_("name"), max_length=100)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)

    class Meta:
        ordering = ["brand", "name"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "slug"], name="product_brand_slug")
        ]

    def __str__(self) -> str:
        return f"{self.brand} {self.name}"


class SentimentCorrection(models.Model):
    """A person's correction of a mention's sentiment; feeds train_sentiment."""

    mention = models.ForeignKey(
        Mention, on_delete=models.CASCADE, related_name="corrections"
    )
    label = models.CharField(max_length=10, choices=Sentiment.choices)
    corrected_by = models.ForeignKey(
        "auth.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.mention_id} → {self.label}"
