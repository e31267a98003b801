"""Reads of the listening room, already joined."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.utils.module_loading import import_string

from listening.models import Mention, Source

LATEST_PAGE_SIZE = 50


def mentions_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Mention]:
    """The mentions ``user`` may read. Who sees what is decided where roles and cases
    live (above this app): ``settings.LISTENING_MENTION_REACH`` names that function
    (engagement's: the same reach as cases). Without one, only superusers read."""
    path = getattr(settings, "LISTENING_MENTION_REACH", "")
    if path:
        return import_string(path)(user)
    if user.is_authenticated and user.is_superuser:
        return Mention.objects.all()
    return Mention.objects.none()


def mentions_latest(
    *,
    user: AbstractBaseUser | AnonymousUser,
    after_id: int | None = None,
    limit: int = LATEST_PAGE_SIZE,
):
    """The newest mentions (by arrival) ``user`` may read, authors joined; only newer
    than after_id."""
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
    if after_id:
        qs = qs.filter(id__gt=after_id)
    return qs.order_by("-id")[:limit]


def sources_with_health() -> QuerySet[Source]:
    return Source.objects.order_by("platform", "name")


def mentions_for_api(*, user: AbstractBaseUser) -> QuerySet[Mention]:
    return mentions_visible_to(user).select_related("author").defer("raw")


def own_accounts() -> set[tuple[str, str]]:
    """The brand's own accounts as (platform, user id): the account every
    account-mentions source listens for is ours, and what it posts is not a case."""
    return set(
        Source.objects.filter(kind=Source.Kind.MENTIONS).values_list(
            "platform", "query"
        )
    )
