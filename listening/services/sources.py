"""Sources other stages ask for: the comments on one of the brand's own posts."""

from __future__ import annotations

from django.db import transaction

from listening.models import Source

# Comments on a fresh brand post arrive fast: poll them about once a minute.
COMMENTS_POLL_SECONDS = 60


@transaction.atomic
def source_comments_ensure(
    *, platform: str, post_external_id: str, owner_external_id: str, name: str
) -> Source:
    """The comments source of the brand's post (made once): its comments become
    mentions, and the mentions cases, like every other comment on the brand."""
    query = post_external_id
    if platform == "renren":
        query = f"{owner_external_id}:{post_external_id}"
    source, _created = Source.objects.get_or_create(
        platform=platform,
        kind=Source.Kind.COMMENTS,
        query=query,
        defaults={"name": name[:120], "poll_interval": COMMENTS_POLL_SECONDS},
    )
    return source
