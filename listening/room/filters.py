"""What a view of the listening room is: a time range and filters, read from a query
string (the page's URL and the API's), and who may see which subjects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from listening.models import Intent, Platform, Sentiment

RANGES = {
    "1h": dt.timedelta(hours=1),
    "24h": dt.timedelta(hours=24),
    "7d": dt.timedelta(days=7),
    "30d": dt.timedelta(days=30),
    "90d": dt.timedelta(days=90),
}
DEFAULT_RANGE = "24h"
# The longest custom range: beyond it the day rollups are still fast, but a chart of
# more than a year of days is no longer readable.
MAX_RANGE = dt.timedelta(days=366)
# Up to this long, volume is charted per minute (read from the mention table, which
# its created_at index bounds); up to MAX_HOURLY per hour; beyond it per day.
MAX_MINUTELY = dt.timedelta(hours=3)
MAX_HOURLY = dt.timedelta(days=7)
INTERVALS = ("minute", "hour", "day")


class FilterError(ValueError):
    """A query string that does not name a valid view (a 400, never a 500)."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class RoomScope:
    """The subjects a person may see: None is the whole room."""

    subjects: frozenset[str] | None = None
    allowed: bool = True

    @property
    def everything(self) -> bool:
        return self.subjects is None


@dataclass(frozen=True)
class RoomFilter:
    start: dt.datetime
    end: dt.datetime
    range_key: str = DEFAULT_RANGE
    interval: str = "hour"
    brand: str = ""  # a brand slug
    product: str = ""  # a product-line slug
    platform: str = ""
    language: str = ""
    sentiment: str = ""
    intent: str = ""
    source: int = 0
    group_by: str = "platform"
    subjects: tuple[str, ...] = field(default=("",))

    @property
    def length(self) -> dt.timedelta:
        return self.end - self.start

    def querystring(self, **overrides) -> str:
        """The view as a query string (for links that keep the filters)."""

        values = {
            "range": self.range_key,
            "brand": self.brand,
            "product": self.product,
            "platform": self.platform,
            "language": self.language,
            "sentiment": self.sentiment,
            "intent": self.intent,
            "source": self.source or "",
        }
        if self.range_key == "custom":
            values["start"] = self.start.isoformat()
            values["end"] = self.end.isoformat()
        values.update(overrides)
        return urlencode({k: v for k, v in values.items() if v not in ("", None, 0)})

    def with_range(self, start: dt.datetime, end: dt.datetime) -> RoomFilter:
        return replace(self, start=start, end=end, range_key="custom")


def _parse_time(name: str, value: str, zone: ZoneInfo) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise FilterError(name, _("Not a date and time: %s") % value[:40]) from error
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed


def default_interval(length: dt.timedelta) -> str:
    if length <= MAX_MINUTELY:
        return "minute"
    if length <= MAX_HOURLY:
        return "hour"
    return "day"


def parse_filter(
    params, *, scope: RoomScope, zone: ZoneInfo | None = None, now=None
) -> RoomFilter:
    """The view a query string names, narrowed to the person's scope."""
    zone = zone or ZoneInfo(settings.TIME_ZONE)
    now = now or timezone.now()
    get = lambda name: (params.get(name) or "").strip()[:100]  # noqa: E731
    start_s, end_s = get("start"), get("end")
    range_key = get("range") or ("custom" if start_s else DEFAULT_RANGE)
    if range_key == "custom" or start_s:
        if not start_s:
            raise FilterError("start", _("A custom range needs a start."))
        start = _parse_time("start", start_s, zone)
        end = _parse_time("end", end_s, zone) if end_s else now
        range_key = "custom"
    elif range_key in RANGES:
        end = now
        start = now - RANGES[range_key]
    else:
        raise FilterError("range", _("Unknown range: %s") % range_key)
    if end <= start:
        raise FilterError("end", _("The end must be after the start."))
    if end - start > MAX_RANGE:
        raise FilterError("start", _("A range may be at most 366 days long."))
    interval = get("interval") or default_interval(end - start)
    if interval not in INTERVALS:
        raise FilterError("interval", _("Unknown interval: %s") % interval)
    if interval == "minute" and end - start > MAX_MINUTELY:
        raise FilterError("interval", _("Minutes only for ranges up to 3 hours."))
    choices = {
        "platform": Platform.values,
        "sentiment": Sentiment.values,
        "intent": Intent.values,
        "group_by": ["platform", "brand", "sentiment"],
    }
    values = {}
    for name, allowed in choices.items():
        value = get(name)
        if value and value not in allowed:
            raise FilterError(
                name,
                _("Unknown %(field)s: %(value)s")
                % {
                    "field": name,
                    "value": value,
                },
            )
        values[name] = value
    source_s = get("source")
    try:
        source = int(source_s) if source_s else 0
    except ValueError as error:
        raise FilterError("source", _("A source is a number.")) from error
    brand, product = get("brand"), get("product")
    language = get("language")[:8]
    if product:
        subjects: tuple[str, ...] = (f"p:{product}",)
    elif brand:
        subjects = (brand,)
    else:
        subjects = ("",)
    if not scope.everything:
        allowed = scope.subjects or frozenset()
        if brand and brand not in allowed:
            raise FilterError("brand", _("This brand is not in your view."))
        if not brand:
            # Someone who sees only some brands sees the mentions naming them.
            subjects = tuple(sorted(allowed)) or ("-none-",)
    return RoomFilter(
        start=start,
        end=end,
        range_key=range_key,
        interval=interval,
        brand=brand,
        product=product,
        platform=values["platform"],
        language=language,
        sentiment=values["sentiment"],
        intent=values["intent"],
        source=source,
        group_by=values["group_by"] or "platform",
        subjects=subjects,
    )


def scope_for(user) -> RoomScope:
    """Who sees what, from the resolver in settings (LISTENING_SCOPE_RESOLVER): the
    apps that know roles and teams sit above listening, so they are named, not
    imported."""
    resolver = import_string(settings.LISTENING_SCOPE_RESOLVER)
    result = resolver(user)
    if result is None:
        return RoomScope(subjects=frozenset(), allowed=False)
    if result == "*":
        return RoomScope()
    return RoomScope(subjects=frozenset(result))


def staff_scope(user) -> str | None:
    """The resolver of a bare install: staff see everything, others nothing."""
    return "*" if getattr(user, "is_staff", False) else None
