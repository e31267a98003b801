"""The mock platforms' own store: their users, their posts and comments, and the
scenario/clock row of each platform.

Nothing outside mockfeeds reads these tables: the product reaches the mock only over
HTTP, exactly as it reaches the real platforms.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MockPlatformName(models.TextChoices):
    WEIBO = "weibo", _("Sina Weibo")
    TWITTER = "twitter", _("Twitter")
    RENREN = "renren", _("Renren")


class MockPlatform(models.Model):
    """One row per platform: the scenario (seed, rate, crisis, quota, faults) and
    the generation clock. Shared by every server process because it lives in the
    database; generation locks this row so two requests never make the same posts.
    """

    platform = models.CharField(
        max_length=8, primary_key=True, choices=MockPlatformName.choices
    )
    seed = models.BigIntegerField(default=2010)
    rate_per_minute = models.FloatField(default=6.0)
    crisis = models.BooleanField(default=False)
    crisis_topic = models.CharField(max_length=60, default="XPS 蓝屏")
    # The generator's sequence number of the next item (0 = nothing made yet).
    generated = models.BigIntegerField(default=0)
    # Posts are due from this instant on at rate_per_minute (None: not started).
    clock_at = models.DateTimeField(null=True, blank=True)
    # The largest id handed out (posts, comments and received replies share it).
    last_id = models.BigIntegerField(default=0)
    authors_ready = models.BooleanField(default=False)
    # The request quota: request_limit calls per window_seconds.
    request_limit = models.PositiveIntegerField(default=10_000)
    window_seconds = models.PositiveIntegerField(default=3600)
    window_started_at = models.DateTimeField(null=True, blank=True)
    window_used = models.PositiveIntegerField(default=0)
    # Faults on demand: each spoils the next N requests.
    fault_rate_limit = models.PositiveIntegerField(default=0)
    fault_error_500 = models.PositiveIntegerField(default=0)
    fault_malformed = models.PositiveIntegerField(default=0)
    fault_truncated = models.PositiveIntegerField(default=0)
    fault_slow = models.PositiveIntegerField(default=0)
    slow_seconds = models.FloatField(default=2.0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mock platform")
        verbose_name_plural = _("mock platforms")

    def __str__(self) -> str:
        return self.platform


class MockAuthor(models.Model):
    platform = models.CharField(max_length=8, choices=MockPlatformName.choices)
    ext_id = models.BigIntegerField()
    # The author's place in the generator's pool (0 is the brand account).
    pool_index = models.IntegerField()
    screen_name = models.CharField(max_length=120)
    name = models.CharField(max_length=120)
    gender = models.CharField(max_length=1, default="n")  # m / f / n
    province = models.CharField(max_length=8, blank=True)
    city = models.CharField(max_length=8, blank=True)
    location = models.CharField(max_length=60, blank=True)
    description = models.CharField(max_length=200, blank=True)
    # Signed on purpose: real payloads carry the odd negative counter.
    followers_count = models.BigIntegerField(default=0)
    friends_count = models.BigIntegerField(default=0)
    statuses_count = models.BigIntegerField(default=0)
    favourites_count = models.BigIntegerField(default=0)
    verified = models.BooleanField(default=False)
    verified_type = models.IntegerField(default=-1)  # Weibo's scheme
    badge = models.CharField(max_length=12, blank=True)  # Twitter verified_type
    is_college = models.BooleanField(default=False)
    is_brand = models.BooleanField(default=False)
    is_deleted = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "ext_id"], name="mock_author_ext_uniq"
            ),
            # The generator picks authors by pool index.
            models.UniqueConstraint(
                fields=["platform", "pool_index"], name="mock_author_pool_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.screen_name}"


class MockPost(models.Model):
    """A status/tweet, or a comment on one (Weibo, Renren comments), generated or
    received through the write endpoints (``is_received``).

    Foreign keys are DO_NOTHING and without database constraints: rows only go
    away a whole platform at a time (reset), in one DELETE, and only the generator
    and the reply service write them (always pointing at rows they just read or
    wrote). A constraint would cost a lookup per key on every COPYed row and a scan
    per deleted row, which made a 100,000-row backlog or reset crawl.
    """

    class Kind(models.TextChoices):
        STATUS = "status", _("status")
        COMMENT = "comment", _("comment")

    # The platform's own id. The three id ranges never meet (Renren ~10 digits,
    # Weibo 16, Twitter 19), so it is the key: a batch links its rows before insert.
    ext_id = models.BigIntegerField(primary_key=True)
    platform = models.CharField(max_length=8, choices=MockPlatformName.choices)
    # Generator sequence number (null for received replies and deleted originals).
    seq = models.BigIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.STATUS)
    author = models.ForeignKey(
        MockAuthor,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,  # mock_post_author_idx leads with it
    )
    text = models.TextField()
    created_at = models.DateTimeField()
    # Weibo/Renren comment: its status. Twitter: the conversation's root tweet.
    root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,  # mock_post_thread_idx leads with it
    )
    # The comment (Weibo reply_comment) or tweet (replied_to) this one answers.
    # Indexed: the duplicate check of a reply looks for the same text under it.
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    # Weibo retweeted_status, Twitter retweeted, Renren sharedStatusId.
    repost_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,  # only followed from the repost, never searched
    )
    # The person answered (Renren targetUserId, Twitter in_reply_to_user_id).
    target_user = models.ForeignKey(
        MockAuthor,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,  # only followed from the reply, never searched
    )
    mentions_brand = models.BooleanField(default=False)
    is_deleted = models.BooleanField(default=False)
    is_received = models.BooleanField(default=False)
    reposts_count = models.IntegerField(default=0)
    comments_count = models.IntegerField(default=0)
    likes_count = models.IntegerField(default=0)
    quotes_count = models.IntegerField(default=0)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=40, blank=True)
    lang = models.CharField(max_length=8, blank=True)

    class Meta:
        indexes = [
            # Timelines, search and feeds: one platform's visible statuses, newest
            # first, from since_id / max_id.
            models.Index(
                fields=["platform", "ext_id"],
                name="mock_post_stream_idx",
                condition=Q(kind="status", is_deleted=False),
            ),
            # statuses/mentions and users/<id>/mentions.
            models.Index(
                fields=["platform", "ext_id"],
                name="mock_post_mentions_idx",
                condition=Q(kind="status", is_deleted=False, mentions_brand=True),
            ),
            # comments/show, comment/list, conversation_id: a thread, newest first.
            models.Index(fields=["root", "ext_id"], name="mock_post_thread_idx"),
            # status/list?ownerId=: one author's statuses.
            models.Index(fields=["author", "ext_id"], name="mock_post_author_idx"),
            # The generator resolves references to earlier items by sequence.
            models.Index(fields=["platform", "seq"], name="mock_post_seq_idx"),
            # /_inbox: replies received, newest first.
            models.Index(
                fields=["platform", "ext_id"],
                name="mock_post_inbox_idx",
                condition=Q(is_received=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.ext_id}"


class MockDirectMessage(models.Model):
    """A private message between a customer and the brand account (Weibo
    direct_messages, Twitter DM events); ``is_received``: sent by the product."""

    # A time-ordered id like the platform's (Weibo mid-style, Twitter snowflake).
    ext_id = models.BigIntegerField(primary_key=True)
    platform = models.CharField(max_length=8, choices=MockPlatformName.choices)
    sender = models.ForeignKey(
        MockAuthor, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    recipient = models.ForeignKey(
        MockAuthor, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    text = models.TextField()
    created_at = models.DateTimeField()
    is_received = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # direct_messages and dm_events: one platform's messages, newest first.
            models.Index(fields=["platform", "ext_id"], name="mock_dm_stream_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.platform} dm {self.ext_id}"


# --- the brand's own posts (publishing endpoints, platform-apis.md §6) ---------------


class MockMedia(models.Model):
    """A picture uploaded through a platform's upload endpoint (Weibo
    statuses/upload, Twitter media/upload, Renren photo/upload), served back at
    /mock/<platform>/_media/<id>."""

    media_id = models.BigIntegerField(primary_key=True)
    platform = models.CharField(max_length=8, choices=MockPlatformName.choices)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    data = models.BinaryField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.platform}:media:{self.media_id}"


class MockPublished(models.Model):
    """A status the brand published through the API, and how the public takes it:
    the goals are drawn once from the post's own random stream; the counters and
    the comment and repost rows approach them as the post ages (see
    mockfeeds/published.py)."""

    post = models.OneToOneField(
        MockPost,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    platform = models.CharField(max_length=8, choices=MockPlatformName.choices)
    published_at = models.DateTimeField()
    has_coupon = models.BooleanField(default=False)
    media = models.ForeignKey(
        MockMedia,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    comments_goal = models.PositiveIntegerField(default=0)
    reposts_goal = models.PositiveIntegerField(default=0)
    likes_goal = models.PositiveIntegerField(default=0)
    reach_goal = models.PositiveBigIntegerField(default=0)
    followers_goal = models.PositiveIntegerField(default=0)
    comments_made = models.PositiveIntegerField(default=0)
    reposts_made = models.PositiveIntegerField(default=0)
    followers_given = models.PositiveIntegerField(default=0)
    reach = models.PositiveBigIntegerField(default=0)
    # When the public next reacts (None: the post has had all it will get).
    next_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # mock_published_catch_up: one platform's posts whose reaction is due.
            models.Index(
                fields=["platform", "next_due_at"],
                name="mock_published_due_idx",
                condition=Q(next_due_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:published:{self.post_id}"
