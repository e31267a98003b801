"""Reads of the listening room, already joined."""

import json

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.module_loading import import_string

from listening.models import Brand, Mention, Source

LATEST_PAGE_SIZE = 50


def mentions_visible_to(user: User | AnonymousUser) -> QuerySet[Mention]:
    """The mentions ``user`` may read. Who sees what is decided where roles and cases
    live (above this app): ``settings.LISTENING_MENTION_REACH`` names that function
    (engagement's: the same reach as cases). Without one, only superusers read."""
    path = getattr(settings, "LISTENING_MENTION_REACH", "")
    if path:
        reach: QuerySet[Mention] = import_string(path)(user)
        return reach
    if user.is_authenticated and getattr(user, "is_superuser", False):
        return Mention.objects.all()
    return Mention.objects.none()


def mentions_latest(
    *,
    user: User | AnonymousUser,
    after_id: int | None = None,
    limit: int = LATEST_PAGE_SIZE,
) -> QuerySet[Mention]:
    """The newest mentions ``user`` may read, authors joined, strictly in time
    order: by the customer's post time, newest first (a post ingested late takes
    its place by when it was posted, not by when it arrived).

    ``after_id``: only what arrived after that row (the live poll asks by arrival,
    so a late post still reaches the page; the page puts it where its time goes).
    """
    qs = (
        mentions_visible_to(user)
        .select_related("author")
        .only(
            "id",
            "platform",
            "external_id",
            "text",
            "created_at",
            "fetched_at",
            "sentiment_label",
            "language",
            "author__screen_name",
            "author__name",
            "author__followers_count",
            "author__verified",
        )
    )
    # Private messages are the customer's and the desk's, not the listening room's.
    qs = qs.filter(is_private=False)
    if after_id:
        qs = qs.filter(id__gt=after_id)
    return qs.order_by("-created_at", "-id")[:limit]


def sources_with_health() -> QuerySet[Source]:
    return Source.objects.order_by("platform", "name")


def mentions_for_api(
    *, user: User | AnonymousUser, include_private: bool = False
) -> QuerySet[Mention]:
    """The mentions ``user`` may read; private messages (``is_private``) only when
    asked for."""
    qs = mentions_visible_to(user).select_related("author").defer("raw")
    return qs if include_private else qs.filter(is_private=False)


def mentions_public(qs: QuerySet[Mention] | None = None) -> QuerySet[Mention]:
    """The mentions public analytics count (rollups, charts, exports): everything
    but private messages. Use it, or filter ``is_private=False``, in every
    aggregate of the listening room."""
    qs = Mention.objects.all() if qs is None else qs
    return qs.filter(is_private=False)


def own_accounts() -> set[tuple[str, str]]:
    """The brand's own accounts as (platform, user id): the account every
    account-mentions source listens for is ours, and what it posts is not a case."""
    return set(
        Source.objects.filter(kind=Source.Kind.MENTIONS).values_list(
            "platform", "query"
        )
    )


def json_has(field_name: str, value: str) -> Q:
    """A JSON list column holds this string (SQLite has no JSON containment: it
    matches the quoted string in the list's text)."""
    if connection.vendor == "sqlite":
        return Q(**{f"{field_name}__icontains": json.dumps(value)})
    return Q(**{f"{field_name}__contains": [value]})


def excluded_words() -> set[str]:
    """Brand names and aliases: of course they are frequent."""
    words: set[str] = set()
    for brand in Brand.objects.only("slug", "name", "aliases"):
        words.update(w.lower() for w in [brand.slug, brand.name, *brand.aliases])
    return words


NEEDS_HUMAN_PAGE_SIZE = 50


def mentions_needing_human(
    *, before_id: int | None = None, limit: int = NEEDS_HUMAN_PAGE_SIZE
) -> list[Mention]:
    """Mentions waiting for a person's sentiment verdict, newest first (one query,
    authors joined; the partial index holds only these rows)."""
    qs = (
        Mention.objects.filter(needs_human=True)
        .select_related("author")
        .only(
            "id",
            "platform",
            "text",
            "created_at",
            "language",
            "sentiment",
            "sentiment_label",
            "sarcasm",
            "needs_human",
            "author__screen_name",
            "author__name",
            "author__followers_count",
        )
    )
    if before_id:
        qs = qs.filter(id__lt=before_id)
    return list(qs.order_by("-id")[:limit])


def mentions_needing_human_count() -> int:
    return Mention.objects.filter(needs_human=True).count()
