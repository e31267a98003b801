"""The room's labels: platform and sentiment names in the reader's language, and the
API's UTC instants as local times."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext

from listening.models import Platform, Sentiment

register = template.Library()


@register.filter
def platform_label(value: str) -> str:
    """weibo → 新浪微博 (its display name); anything else as it is."""
    return str(dict(Platform.choices).get(value, value))


@register.filter
def series_label(key: str, group_by: str) -> str:
    """A volume series' key as a reader names it (platforms and sentiments)."""
    if group_by == "platform":
        return platform_label(key)
    if group_by == "sentiment":
        return str(dict(Sentiment.choices).get(key, key))
    return key or "—"


@register.filter
def local_time(value: str) -> str:
    """An ISO instant ('2026-11-29T00:00:00Z') or a date as local time, 'm-d H:i'."""
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if parsed.tzinfo is None:
        return parsed.strftime("%m-%d")
    return timezone.localtime(parsed).strftime("%m-%d %H:%M")


@register.filter
def gender_label(value: str) -> str:
    """A profile's gender code (m, f, or unknown) in the reader's language."""
    return {
        "m": gettext("male"),
        "f": gettext("female"),
    }.get(value, gettext("unknown"))
