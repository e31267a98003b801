"""Rising keywords and #topics# (keyword rollups)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum

from listening.models import (
    Brand,
    RollupKeywordDay,
)
from listening.nlp.keywords import stopwords

from ..filters import RoomFilter
from .base import (
    TOP_KEYWORDS,
    _local_day,
)


def excluded_words() -> set[str]:
    """Brand names and aliases: of course they are frequent."""
    words: set[str] = set()
    for brand in Brand.objects.prefetch_related("products"):
        words.update(w.lower() for w in [brand.slug, brand.name, *brand.aliases])
    return words


def _keyword_counts(subjects, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = (
        RollupKeywordDay.objects.filter(
            subject__in=list(subjects), bucket__gte=start, bucket__lte=end
        )
        .values("keyword")
        .annotate(n=Sum("mentions"))
        .filter(n__gt=0)
    )
    return {r["keyword"]: r["n"] for r in rows}


def rising_keywords(f: RoomFilter, *, limit: int = TOP_KEYWORDS) -> dict:
    """Keywords and #topics# whose count rose most in the range against the
    preceding range of the same length (days in the site's time zone)."""
    start, end = _local_day(f.start), _local_day(f.end)
    days = (end - start).days + 1
    base_end = start - dt.timedelta(days=1)
    base_start = start - dt.timedelta(days=days)
    now = _keyword_counts(f.subjects, start, end)
    before = _keyword_counts(f.subjects, base_start, base_end)
    skip = stopwords() | excluded_words()
    out = []
    for word, count in now.items():
        bare = word.strip("#").lower()
        if bare in skip or (word.startswith("[") and word.endswith("]")):
            continue
        base = before.get(word, 0)
        out.append(
            {
                "keyword": word.strip("#"),
                "topic": word.startswith("#"),
                "count": count,
                "baseline": base,
                "rise": count - base,
                "ratio": round((count + 1) / (base + 1), 2),
            }
        )
    out.sort(key=lambda k: (-k["rise"], -k["count"], k["keyword"]))
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "baseline_start": base_start.isoformat(),
        "results": out[:limit],
    }
