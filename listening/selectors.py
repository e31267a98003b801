"""Reads of the listening room, already joined."""

from django.db.models import QuerySet

from listening.models import Mention, Source

LATEST_PAGE_SIZE = 50


def mentions_latest(
    *, after_id: int | None = None, limit: int = LATEST_PAGE_SIZE
) -> QuerySet[Mention]:
    """The newest mentions (by arrival), authors joined; only newer than after_id."""
    qs = Mention.objects.select_related("author").only(
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
    if after_id:
        qs = qs.filter(id__gt=after_id)
    return qs.order_by("-id")[:limit]


def sources_with_health() -> QuerySet[Source]:
    return Source.objects.order_by("platform", "name")


def mentions_for_api() -> QuerySet[Mention]:
    return Mention.objects.select_related("author").defer("raw")


def own_accounts() -> set[tuple[str, str]]:
    """The brand's own accounts as (platform, user id): the account every
    account-mentions source listens for is ours, and what it posts is not a case."""
    return set(
        Source.objects.filter(kind=Source.Kind.MENTIONS).values_list(
            "platform", "query"
        )
    )
