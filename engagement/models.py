"""Cases (the triage unit), their history, replies and the rules around them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Certification, Team
from listening.models import Author, Intent, Mention, Platform, Sentiment


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    PENDING = "pending", _("Pending (waiting on the customer)")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


# A case in one of these is someone's work: it counts against capacity, sits in a
# queue and runs an SLA clock (paused while pending).
ACTIVE_STATUSES = (CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.PENDING)
ACTIVE_Q = Q(status__in=[s.value for s in ACTIVE_STATUSES])


class CloseReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    IRRELEVANT = "irrelevant", _("Irrelevant")
    # Not chosen by hand: the case was merged into another of the same customer.
    MERGED = "merged", _("Merged into another case")


# The reasons a person may pick when closing (merging closes with its own).
MANUAL_CLOSE_REASONS = (CloseReason.SPAM, CloseReason.IRRELEVANT)


class Priority(models.IntegerChoices):
    """Stored as a number so the queue index sorts it; most urgent first."""

    URGENT = 1, _("Urgent")
    HIGH = 2, _("High")
    NORMAL = 3, _("Normal")
    LOW = 4, _("Low")


# The API and URLs speak names ("urgent"), the database numbers.
PRIORITY_NAMES: dict[int, str] = {p.value: p.name.lower() for p in Priority}
PRIORITY_BY_NAME: dict[str, int] = {v: k for k, v in PRIORITY_NAMES.items()}


class Label(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("label")
        verbose_name_plural = _("labels")

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """The mentions of one conversation (one author, one thread) and the work on it.

    Several columns copy facts of its mentions (summary, language, sentiment...) so
    the queue reads one row per case with no join to mentions.
    """

    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    author = models.ForeignKey(
        Author,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The conversation: the thread's root id, or the mention's own id for a root.
    thread_key = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.NEW
    )
    close_reason = models.CharField(
        _("close reason"), max_length=12, choices=CloseReason.choices, blank=True
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    # The highest analysis score among the mentions; priority follows it until a
    # person sets the priority by hand.
    priority_score = models.FloatField(_("priority score"), default=0.0)
    priority_locked = models.BooleanField(default=False)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    labels = models.ManyToManyField(
        Label, verbose_name=_("labels"), blank=True, related_name="cases"
    )
    # What routing needs to know, from the mentions.
    language = models.CharField(_("language"), max_length=8, blank=True)
    sentiment_label = models.CharField(
        _("sentiment"), max_length=10, choices=Sentiment.choices, blank=True
    )
    intent = models.CharField(
        _("intent"), max_length=12, choices=Intent.choices, blank=True
    )
    influencer = models.BooleanField(_("influencer"), default=False)
    escalated = models.BooleanField(_("escalated"), default=False)
    skills = models.JSONField(_("skills needed"), default=list, blank=True)
    required_certification = models.PositiveSmallIntegerField(
        choices=Certification.choices, default=Certification.ENTHUSIAST
    )
    # The queue's line: the first mention's text, how many, the newest's time.
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    mention_count = models.PositiveIntegerField(default=0)
    last_mention_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # When the customer first posted (the earliest mention's own time, capped at the
    # case's creation): the SLA clock starts here, not when the row was made.
    first_posted_at = models.DateTimeField(_("customer posted"), null=True, blank=True)
    # Since when the customer has been waiting (their post's time, or their last
    # message after we answered); the queue serves the longest-waiting first.
    waiting_since = models.DateTimeField(_("waiting since"), default=timezone.now)
    assigned_at = models.DateTimeField(null=True, blank=True)
    first_responded_at = models.DateTimeField(
        _("first response"), null=True, blank=True
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # SLA: due times are shifted by each pause; set from the priority's policy.
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    sla_paused_at = models.DateTimeField(null=True, blank=True)
    sla_paused_seconds = models.PositiveIntegerField(default=0)
    first_response_breached = models.BooleanField(default=False)
    resolution_breached = models.BooleanField(default=False)
    # Snoozed: out of the queue's views (but the "Snoozed" one) until
    # ``snoozed_until`` passes or, with ``snooze_until_reply``, the customer writes.
    snoozed = models.BooleanField(_("snoozed"), default=False)
    snoozed_until = models.DateTimeField(_("snoozed until"), null=True, blank=True)
    snooze_until_reply = models.BooleanField(default=False)
    # A case merged into another keeps its history here and points at the survivor.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            # One active case per conversation: routing attaches new mentions to it,
            # and two workers routing the same thread cannot open two.
            models.UniqueConstraint(
                fields=["platform", "author", "thread_key"],
                condition=ACTIVE_Q,
                name="case_one_active_per_conversation",
            ),
        ]
        indexes = [
            # The team queue (cases_queue with a team): active, most urgent first,
            # longest waiting first.
            models.Index(
                fields=["team", "priority", "waiting_since"],
                condition=ACTIVE_Q,
                name="case_team_queue_idx",
            ),
            # "My cases" and an ambassador's load (routing counts active cases per
            # assignee).
            models.Index(
                fields=["assignee", "priority", "waiting_since"],
                condition=ACTIVE_Q,
                name="case_assignee_queue_idx",
            ),
            # The manager's all-teams queue.
            models.Index(
                fields=["priority", "waiting_since"],
                condition=ACTIVE_Q,
                name="case_active_queue_idx",
            ),
            # Queue and API filtered by one status (resolved, closed...).
            models.Index(
                fields=["status", "priority", "waiting_since"],
                name="case_status_queue_idx",
            ),
            # sla_check: active cases whose first response is due and not yet given.
            models.Index(
                fields=["first_response_due_at"],
                condition=ACTIVE_Q
                & Q(first_responded_at__isnull=True, first_response_breached=False),
                name="case_sla_response_idx",
            ),
            # sla_check: active cases whose resolution is due.
            models.Index(
                fields=["resolution_due_at"],
                condition=ACTIVE_Q & Q(resolution_breached=False),
                name="case_sla_resolution_idx",
            ),
            # Reports: cases created in a period.
            models.Index(fields=["created_at"], name="case_created_idx"),
            # snooze_wake: snoozed cases whose time has come.
            models.Index(
                fields=["snoozed_until"],
                condition=Q(snoozed=True),
                name="case_snooze_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.platform} {self.get_status_display()}"

    @property
    def priority_name(self) -> str:
        return PRIORITY_NAMES[self.priority]

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class CaseMention(models.Model):
    """A mention belongs to exactly one case (routing a mention twice is a no-op)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links")
    mention = models.OneToOneField(
        Mention, on_delete=models.CASCADE, related_name="case_link"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("case mention")
        verbose_name_plural = _("case mentions")

    def __str__(self) -> str:
        return f"{self.case_id} ← {self.mention_id}"


class CaseNote(models.Model):
    """An internal note: seen by colleagues, never posted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self) -> str:
        return f"note on {self.case_id}"


class CaseEvent(models.Model):
    """The case's history: who did what, when (actor None: the system)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        MENTION_ADDED = "mention_added", _("New mention")
        RULE_APPLIED = "rule_applied", _("Routing rule applied")
        ASSIGNED = "assigned", _("Assigned")
        UNASSIGNED = "unassigned", _("Unassigned")
        STATUS_CHANGED = "status_changed", _("Status changed")
        PRIORITY_CHANGED = "priority_changed", _("Priority changed")
        TEAM_CHANGED = "team_changed", _("Team changed")
        LABELS_CHANGED = "labels_changed", _("Labels changed")
        ESCALATED = "escalated", _("Escalated")
        NOTE_ADDED = "note_added", _("Note added")
        REPLY_CREATED = "reply_created", _("Reply written")
        REPLY_APPROVED = "reply_approved", _("Reply approved")
        REPLY_REJECTED = "reply_rejected", _("Reply rejected")
        REPLY_SENT = "reply_sent", _("Reply sent")
        REPLY_FAILED = "reply_failed", _("Reply failed")
        REPLY_RETRIED = "reply_retried", _("Reply retried")
        SLA_BREACHED = "sla_breached", _("SLA breached")
        SNOOZED = "snoozed", _("Snoozed")
        WOKEN = "woken", _("Snooze ended")
        MERGED = "merged", _("Merged")
        SPLIT = "split", _("Mention split out")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class SlaPolicy(models.Model):
    """Targets for one priority, in minutes of un-paused time."""

    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, unique=True
    )
    first_response_minutes = models.PositiveIntegerField(_("first response (min)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution (min)"))

    class Meta:
        ordering = ["priority"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")

    def __str__(self) -> str:
        return f"{self.get_priority_display()}: {self.first_response_minutes}/" + (
            f"{self.resolution_minutes} min"
        )


class RoutingRule(models.Model):
    """If a new case matches every condition given, apply the actions.

    Empty conditions match anything. Rules run in ``position`` order: the first rule
    that sets a team or a priority wins it, labels add up, ``stop`` ends the run.
    """

    class BrandKind(models.TextChoices):
        ANY = "", _("Any")
        OWN = "own", _("Own brand")
        COMPETITOR = "competitor", _("Competitor")

    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveIntegerField(_("position"), default=100)
    enabled = models.BooleanField(_("enabled"), default=True)
    platforms = models.JSONField(_("platforms"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    brands = models.JSONField(_("brand slugs"), default=list, blank=True)
    brand_kind = models.CharField(
        _("brand kind"), max_length=12, choices=BrandKind.choices, blank=True
    )
    intents = models.JSONField(_("intents"), default=list, blank=True)
    sentiments = models.JSONField(_("sentiments"), default=list, blank=True)
    min_followers = models.PositiveBigIntegerField(
        _("author reach at least"), null=True, blank=True
    )
    keywords = models.JSONField(_("keywords (any)"), default=list, blank=True)
    set_team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    set_priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, null=True, blank=True
    )
    add_label = models.ForeignKey(
        Label,
        verbose_name=_("label"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    stop = models.BooleanField(_("stop after this rule"), default=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return self.name


class CannedResponse(models.Model):
    """A ready answer, found in the composer by its short code."""

    shortcode = models.SlugField(_("short code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=120)
    language = models.CharField(_("language"), max_length=8, default="zh")
    # May contain {name}: the author's screen name.
    text = models.TextField(_("text"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["shortcode"]
        verbose_name = _("canned response")
        verbose_name_plural = _("canned responses")

    def __str__(self) -> str:
        return f"/{self.shortcode} {self.title}"


class PolicyRule(models.Model):
    """One rule of the public-reply policy, checked before any reply leaves."""

    class Kind(models.TextChoices):
        BANNED_WORD = "banned_word", _("Banned word")
        PHONE_NUMBER = "phone_number", _("No phone numbers")
        ORDER_NUMBER = "order_number", _("No order numbers")
        PRICE_PROMISE = "price_promise", _("No price promises")
        DISCLOSURE = "disclosure", _("Disclosure required")
        PATTERN = "pattern", _("Forbidden pattern (regular expression)")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # banned_word: the word; pattern: a regular expression; phone/order/price: an
    # optional extra regular expression besides the built-in one; disclosure: a
    # text every reply must carry besides the author's signature (optional).
    value = models.CharField(_("value"), max_length=200, blank=True)
    # Shown to the author instead of the built-in explanation, when set.
    message = models.CharField(_("message"), max_length=300, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = _("policy rule")
        verbose_name_plural = _("policy rules")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}".strip()


class ReplyStatus(models.TextChoices):
    PENDING_APPROVAL = "pending_approval", _("Waiting for approval")
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    REJECTED = "rejected", _("Rejected")


class Reply(models.Model):
    """An answer to one mention of a case, from approval to the platform's id."""

    class ApprovalReason(models.TextChoices):
        NONE = "", _("Not needed")
        CERTIFICATION = "certification", _("Author below professional")
        INFLUENCER = "influencer", _("Influencer")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="replies")
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="replies",
    )
    platform = models.CharField(max_length=16, choices=Platform.choices)
    # A private message (answering a DM): sent as a DM, never posted in public.
    is_private = models.BooleanField(_("private"), default=False)
    from_handle = models.CharField(_("from"), max_length=100, blank=True)
    # What is (or will be) posted, signature included.
    text = models.TextField(_("text"))
    # The author's text when an approver edited it.
    original_text = models.TextField(blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ReplyStatus.choices)
    approval_reason = models.CharField(
        max_length=16, choices=ApprovalReason.choices, blank=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.TextField(_("reason"), blank=True)
    # Delivery.
    external_id = models.CharField(_("platform id"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    error_code = models.CharField(max_length=32, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The SENDING claim's start: a claim older than the lease belongs to a dead
    # worker and may be taken over (after asking the platform with find_reply).
    claimed_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    # When the next delivery attempt is due (after a transient failure's backoff).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        constraints = [
            # A platform id is stored once; routing also uses it to skip our own
            # replies when polling brings them back as mentions.
            models.UniqueConstraint(
                fields=["platform", "external_id"],
                condition=~Q(external_id=""),
                name="reply_platform_external_uniq",
            ),
        ]
        indexes = [
            # The approval queue: pending replies, oldest first.
            models.Index(
                fields=["created_at"],
                condition=Q(status="pending_approval"),
                name="reply_approval_queue_idx",
            ),
            # deliver_sweep: queued or sending replies whose task may be lost.
            models.Index(
                fields=["status", "claimed_at"],
                condition=Q(status__in=["queued", "sending"]),
                name="reply_in_flight_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"reply {self.pk} ({self.status})"


class SavedView(models.Model):
    """A named filter set of the queue, for its owner or for a whole team."""

    name = models.CharField(_("name"), max_length=60)
    # Exactly one of owner (for me) and team (for a team) is set.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_views",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_views",
    )
    # The built-in view it narrows, and the filter bar's query string.
    base_view = models.CharField(_("view"), max_length=20, default="all")
    query = models.CharField(_("filters"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False, team__isnull=True)
                | Q(owner__isnull=True, team__isnull=False),
                name="saved_view_owner_xor_team",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """One customer behind several platform identities (a Weibo, a Twitter and a
    Renren account), linked by a manager; contact notes belong to the person."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"contact {self.pk}"


class ContactIdentity(models.Model):
    """A platform identity (author) linked into a contact: an author belongs to at
    most one contact. Created on link, deleted on unlink (both audited)."""

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="identities"
    )
    author = models.OneToOneField(
        Author,
        verbose_name=_("identity"),
        on_delete=models.CASCADE,
        related_name="contact_identity",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["linked_at", "id"]
        verbose_name = _("linked identity")
        verbose_name_plural = _("linked identities")

    def __str__(self) -> str:
        return f"{self.author} → contact {self.contact_id}"


class ContactNote(models.Model):
    """A manager's note on the person (not on one case): seen on every case of
    every identity linked into the contact, never posted."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contact note")
        verbose_name_plural = _("contact notes")

    def __str__(self) -> str:
        return f"note on contact {self.contact_id}"
