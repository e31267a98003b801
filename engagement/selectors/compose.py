"""Reads of the composer: canned responses."""

from __future__ import annotations

from django.db.models import (
    Q,
)

from ..models import (
    CannedResponse,
    Case,
)

CANNED_SEARCH_LIMIT = 20


def canned_responses_search(
    *, query: str = "", language: str | None = None, limit: int = CANNED_SEARCH_LIMIT
) -> list[CannedResponse]:
    """Canned responses for the composer: short-code prefix matches first (``/ref``
    or ``ref``), then title or text matches."""
    query = query.strip().lstrip("/")
    qs = CannedResponse.objects.all()
    if language:
        qs = qs.filter(language__in=[language, language.split("-")[0]])
    if not query:
        return list(qs.order_by("shortcode")[:limit])
    by_code = list(
        qs.filter(shortcode__istartswith=query).order_by("shortcode")[:limit]
    )
    rest = (
        qs.filter(Q(title__icontains=query) | Q(text__icontains=query))
        .exclude(pk__in=[c.pk for c in by_code])
        .order_by("shortcode")[: max(0, limit - len(by_code))]
    )
    return by_code + list(rest)


def canned_response_render(*, canned: CannedResponse, case: Case) -> str:
    """The canned text with ``{name}`` filled in with the case author's name."""
    name = ""
    if case.author is not None:
        name = case.author.screen_name or case.author.name
    return canned.text.replace("{name}", name)
