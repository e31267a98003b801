from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listening.adapters.base import api_url_allowed


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
        DIRECT_MESSAGES = "direct_messages", _("Private messages to the brand")

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
    # A direct message to the brand (not a public post): it joins the customer's
    # case and is answered privately; public analytics leave it out by default.
    is_private = models.BooleanField(_("private message"), default=False)
    # Normalised counters: reposts, comments, likes, quotes.
    metrics = models.JSONField(default=dict, blank=True)
    raw = RawJSONField(default=dict, blank=True)
    # Analysis (listening.nlp); empty until analysed.
    sentiment = models.FloatField(_("sentiment"), null=True, blank=True)
    sentiment_label = models.CharField(
        _("sentiment"), max_length=10, choices=Sentiment.choices, blank=True
    )
    sarcasm = models.BooleanField(_("mixed or sarcastic"), default=False)
    # Sarcastic or mixed, undecided (inside the neutral band), or read one way by the
    # lexicon and the other by the model: listed in "Needs a human" until a person
    # gives a verdict (a SentimentCorrection).
    needs_human = models.BooleanField(
        _("needs a human"), default=False, db_default=False
    )
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
            # The latest mentions (mentions_latest): public posts by the customer's
            # post time, newest first; private messages are not in that list.
            models.Index(
                fields=["-created_at", "-id"],
                name="mention_latest_idx",
                condition=models.Q(is_private=False),
            ),
            # "Needs a human", newest first; partial, so it holds only that list.
            models.Index(
                fields=["-id"],
                name="mention_needs_human_idx",
                condition=models.Q(needs_human=True),
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


# --- The listening room: rollups, spikes, alert rules --------------------------------
# Charts read these, never the mention table. Every rollup is kept by
# listening.services.rollups from what each mention contributed (RollupContribution),
# so a re-analysed or corrected mention moves its counts and never counts twice.
#
# ``subject`` is what a row is about: "" for every mention (each counted once), a brand
# slug for the mentions naming that brand, "p:<slug>" for a product line's.


class RollupContribution(models.Model):
    """What one mention added to the rollups, so that a change can be undone."""

    mention = models.OneToOneField(
        Mention, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    data = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"contribution of {self.mention_id}"


class _VolumeRollup(models.Model):
    platform = models.CharField(max_length=16)
    source_id = models.IntegerField(default=0)  # 0: no source (imported)
    subject = models.CharField(max_length=80)
    sentiment = models.CharField(max_length=10)
    intent = models.CharField(max_length=12)
    language = models.CharField(max_length=8)
    mentions = models.IntegerField(default=0)
    reach = models.BigIntegerField(default=0)  # followers of the authors, summed
    sarcastic = models.IntegerField(default=0)

    class Meta:
        abstract = True


class RollupHour(_VolumeRollup):
    """Mentions per UTC hour × platform × source × subject × sentiment × intent ×
    language."""

    bucket = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "bucket",
                    "subject",
                    "platform",
                    "source_id",
                    "sentiment",
                    "intent",
                    "language",
                ],
                name="rollup_hour_key",
            )
        ]
        # The unique index serves every panel: (bucket range, subject) first.

    def __str__(self) -> str:
        return f"{self.bucket} {self.subject}"


class RollupDay(_VolumeRollup):
    """The same per day (in the site's time zone): long ranges read 24× fewer rows."""

    bucket = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "bucket",
                    "subject",
                    "platform",
                    "source_id",
                    "sentiment",
                    "intent",
                    "language",
                ],
                name="rollup_day_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.bucket} {self.subject}"


class _SummaryRollup(models.Model):
    subject = models.CharField(max_length=80)
    platform = models.CharField(max_length=16)
    sentiment = models.CharField(max_length=10)
    mentions = models.IntegerField(default=0)
    reach = models.BigIntegerField(default=0)
    sarcastic = models.IntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.bucket} {self.subject}"


class RollupHourSummary(_SummaryRollup):
    """RollupHour without intent, language and source: what the panels read when
    none of those filters is set (about 30 times fewer rows)."""

    bucket = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bucket", "subject", "platform", "sentiment"],
                name="rollup_hour_summary_key",
            )
        ]


class RollupDaySummary(_SummaryRollup):
    """RollupDay without intent, language and source (see RollupHourSummary)."""

    bucket = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bucket", "subject", "platform", "sentiment"],
                name="rollup_day_summary_key",
            )
        ]


class RollupPresence(models.Model):
    """Write side only: how many mentions an author has in one hour ("h") or day
    ("d") and subject, so the distinct-author counts move exactly on 0 ↔ 1. The
    audience attributes are the ones counted when the author arrived."""

    grain = models.CharField(max_length=1)
    bucket = models.DateTimeField()  # the hour, or midnight UTC of the local day
    platform = models.CharField(max_length=16)
    subject = models.CharField(max_length=80)
    author_id = models.BigIntegerField()
    mentions = models.IntegerField(default=0)
    gender = models.CharField(max_length=8, blank=True)
    province = models.CharField(max_length=40, blank=True)
    verified = models.BooleanField(default=False)
    college = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "bucket", "platform", "subject", "author_id"],
                name="rollup_presence_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.bucket} {self.subject}"


class RollupAuthorsHour(models.Model):
    """Distinct authors per UTC hour × platform × subject (the volume chart)."""

    bucket = models.DateTimeField()
    platform = models.CharField(max_length=16)
    subject = models.CharField(max_length=80)
    authors = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bucket", "subject", "platform"], name="rollup_authors_hour_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bucket} {self.subject}"


class RollupAudienceDay(models.Model):
    """Distinct authors per day × platform × subject × audience attributes (the
    audience panel; summed over days it counts author-days)."""

    bucket = models.DateField()
    platform = models.CharField(max_length=16)
    subject = models.CharField(max_length=80)
    gender = models.CharField(max_length=8)
    province = models.CharField(max_length=40)
    verified = models.BooleanField()
    college = models.BooleanField()
    authors = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "bucket",
                    "subject",
                    "platform",
                    "gender",
                    "province",
                    "verified",
                    "college",
                ],
                name="rollup_audience_day_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.bucket} {self.subject}"


class RollupKeywordDay(models.Model):
    """Mentions per day × subject × keyword ("#topic#" for a #话题#)."""

    bucket = models.DateField()
    subject = models.CharField(max_length=80)
    keyword = models.CharField(max_length=100)
    mentions = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bucket", "subject", "keyword"], name="rollup_keyword_day_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bucket} {self.subject}"


class RollupInfluencerDay(models.Model):
    """Per day × subject × author, for authors with at least
    LISTENING_INFLUENCER_MIN_FOLLOWERS followers (the long tail never ranks)."""

    bucket = models.DateField()
    subject = models.CharField(max_length=80)
    author_id = models.BigIntegerField()
    platform = models.CharField(max_length=16)
    mentions = models.IntegerField(default=0)
    reach = models.BigIntegerField(default=0)
    positive = models.IntegerField(default=0)
    negative = models.IntegerField(default=0)
    engagement = models.BigIntegerField(default=0)  # reposts + comments
    depth = models.IntegerField(default=0)  # //@ repost-chain links, summed

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bucket", "subject", "author_id"],
                name="rollup_influencer_day_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.bucket} {self.subject}"


class RollupTopPost(models.Model):
    """The intent panel's top posts: per hour × subject × platform × sentiment ×
    intent, the TOP_POST_KEEP mentions of highest priority. The top posts of any
    range and of any platform or sentiment filter are among the union of these, so
    the panel reads a few hundred rows instead of the mentions of its range."""

    bucket = models.DateTimeField()
    subject = models.CharField(max_length=80)
    platform = models.CharField(max_length=16)
    sentiment = models.CharField(max_length=10)
    intent = models.CharField(max_length=12)
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="+")
    priority = models.FloatField(default=0.0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "bucket",
                    "subject",
                    "platform",
                    "sentiment",
                    "intent",
                    "mention",
                ],
                name="rollup_top_post_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.bucket} {self.subject} {self.intent}"


class WatchedTerm(models.Model):
    """A keyword spike detection watches besides the brands (e.g. 蓝屏, 召回)."""

    term = models.CharField(_("term"), max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["term"]
        verbose_name = _("watched term")
        verbose_name_plural = _("watched terms")

    def __str__(self) -> str:
        return self.term


class Spike(models.Model):
    """One episode of unusual volume for a subject (a brand or a watched keyword)."""

    class Kind(models.TextChoices):
        BRAND = "brand", _("Brand")
        KEYWORD = "keyword", _("Keyword")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=100)
    started_at = models.DateTimeField(_("started"))
    peak_at = models.DateTimeField(_("peak"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    last_checked_at = models.DateTimeField()
    volume = models.IntegerField(_("volume at peak"))  # mentions in the peak hour
    baseline = models.FloatField(_("baseline"))
    stddev = models.FloatField(default=0.0)
    score = models.FloatField(_("score"))  # (volume - baseline) / σ at the peak
    negative_share = models.FloatField(default=0.0)
    baseline_negative_share = models.FloatField(default=0.0)
    # The explanation: rising keywords and topics, platforms, top posts and authors.
    explanation = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # One open episode per subject: a check that finds it open extends it.
            models.UniqueConstraint(
                fields=["kind", "subject"],
                condition=models.Q(ended_at__isnull=True),
                name="spike_one_open_per_subject",
            )
        ]
        indexes = [models.Index(fields=["started_at"], name="spike_started_idx")]
        verbose_name = _("spike")
        verbose_name_plural = _("spikes")

    def __str__(self) -> str:
        return f"{self.subject} @ {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def sentiment_shift(self) -> float:
        return round(self.negative_share - self.baseline_negative_share, 4)


class AlertRule(models.Model):
    """A manager's rule: when it matches, tell its recipients (once per episode)."""

    class Kind(models.TextChoices):
        SPIKE = "spike", _("Spike on a brand or keyword")
        VOLUME = "volume", _("Volume over N in a window")
        NEGATIVE_SHARE = "negative_share", _("Negative share over X%")
        INFLUENCER = "influencer", _("A post by an author over N followers")
        TERM = "term", _("Any mention of a watched term")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # The brand slug or keyword the rule is about (blank: any brand, for spikes).
    subject = models.CharField(_("brand or keyword"), max_length=100, blank=True)
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    window_minutes = models.PositiveIntegerField(_("window (minutes)"), default=60)
    # Recipients: user ids and team ids (teams are expanded when the alert fires).
    user_ids = models.JSONField(_("users"), default=list, blank=True)
    team_ids = models.JSONField(_("teams"), default=list, blank=True)
    # Always in-app (the bell); e-mail too when asked (each person's preferences and
    # quiet hours still apply).
    email = models.BooleanField(_("e-mail"), default=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    created_by = models.ForeignKey(
        "auth.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Where the condition checks left off (rules on single mentions), and whether the
    # condition holds now (window rules fire when it starts to hold: one episode).
    last_mention_id = models.BigIntegerField(default=0)
    active_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")

    def __str__(self) -> str:
        return self.name


class Alert(models.Model):
    """One firing of a rule: one per episode (a spike, a window, a mention)."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="alerts")
    episode = models.CharField(max_length=100)  # "spike:12", "window:<start>", ...
    spike = models.ForeignKey(
        Spike, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts"
    )
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    fired_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-fired_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "episode"], name="alert_once_per_episode"
            )
        ]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return self.title


class WallToken(models.Model):
    """A read-only key a wall screen holds instead of a login (/listening/wall/?t=)."""

    name = models.CharField(_("name"), max_length=100)
    key = models.CharField(max_length=64, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("wall token")
        verbose_name_plural = _("wall tokens")

    def __str__(self) -> str:
        return self.name
