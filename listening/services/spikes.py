"""Spike detection: is the last hour of a brand or a watched keyword unusual?

Every few minutes (beat), for each subject, the mentions of the last WINDOW are
compared with the same window of each of the previous BASELINE_DAYS days (the same
hours, so a daily cycle is not a spike). A spike is a volume of at least MIN_COUNT
above mean + k·σ, where σ is at least √mean (Poisson noise: on a flat series one more
mention is not a spike). An episode stays open while the volume stays above
mean + (k/2)·σ (hysteresis: no flapping on the threshold), so one burst is one spike
and one alert.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from listening.models import Brand, Mention, Spike, WatchedTerm
from listening.nlp.keywords import stopwords
from listening.room.selectors import excluded_words, json_has

TOP_EXPLAIN = 8
SLOT_MINUTES = 5


def spike_settings() -> dict:
    return {
        "k": float(getattr(settings, "LISTENING_SPIKE_K", 3.0)),
        "min_count": int(getattr(settings, "LISTENING_SPIKE_MIN_COUNT", 10)),
        "window": dt.timedelta(
            minutes=int(getattr(settings, "LISTENING_SPIKE_WINDOW_MINUTES", 60))
        ),
        "days": int(getattr(settings, "LISTENING_SPIKE_BASELINE_DAYS", 7)),
    }


@dataclass(frozen=True)
class Verdict:
    spike: bool  # above the opening threshold
    holds: bool  # above the closing threshold (an open episode goes on)
    mean: float
    sigma: float
    score: float


def judge(current: int, history: list[int], *, k: float, min_count: int) -> Verdict:
    """The spike math on one subject: the current window against its history."""
    mean = statistics.fmean(history) if history else 0.0
    sigma = statistics.pstdev(history) if len(history) > 1 else 0.0
    sigma = max(sigma, math.sqrt(max(mean, 1.0)))
    score = (current - mean) / sigma
    return Verdict(
        spike=current >= min_count and current > mean + k * sigma,
        holds=current >= min_count / 2 and current > mean + k / 2 * sigma,
        mean=mean,
        sigma=sigma,
        score=round(score, 2),
    )


def _subject_q(kind: str, subject: str) -> Q:
    """The analysed mentions of a subject (analysis lags ingest by seconds, and the
    explanation needs its keywords)."""
    analysed = Q(analyzed_at__isnull=False)
    if kind == Spike.Kind.BRAND:
        return analysed & json_has("brands", subject)
    return analysed & (json_has("keywords", subject) | Q(text__icontains=subject))


def subjects() -> list[tuple[str, str]]:
    brands = [
        (Spike.Kind.BRAND, s) for s in Brand.objects.values_list("slug", flat=True)
    ]
    terms = [
        (Spike.Kind.KEYWORD, t)
        for t in WatchedTerm.objects.values_list("term", flat=True)
    ]
    return brands + terms


def _windows(now: dt.datetime, cfg: dict) -> list[tuple[dt.datetime, dt.datetime]]:
    """The current window first, then the same window on each previous day."""
    return [
        (now - dt.timedelta(days=d) - cfg["window"], now - dt.timedelta(days=d))
        for d in range(cfg["days"] + 1)
    ]


def _counts(q: Q, windows) -> tuple[list[int], list[int]]:
    """Mentions and negative mentions in each window, in one query."""
    aggregates = {}
    for i, (start, end) in enumerate(windows):
        inside = Q(created_at__gte=start, created_at__lt=end)
        aggregates[f"n{i}"] = Count("id", filter=inside)
        aggregates[f"neg{i}"] = Count(
            "id", filter=inside & Q(sentiment_label="negative")
        )
    span = Q()
    for start, end in windows:
        span |= Q(created_at__gte=start, created_at__lt=end)
    row = Mention.objects.filter(span).filter(q).aggregate(**aggregates)
    return (
        [row[f"n{i}"] for i in range(len(windows))],
        [row[f"neg{i}"] for i in range(len(windows))],
    )


def explain(q: Q, windows) -> dict:
    """Why: the keywords that rose most inside the window against the baseline
    windows, the platforms, the top posts and authors."""
    start, end = windows[0]
    inside = list(
        Mention.objects.filter(q, created_at__gte=start, created_at__lt=end)
        .select_related("author")
        .only(
            "id",
            "text",
            "platform",
            "keywords",
            "priority",
            "created_at",
            "author__screen_name",
            "author__followers_count",
        )
        .order_by("-id")[:2000]
    )
    now_words: Counter = Counter()
    for m in inside:
        now_words.update(set(m.keywords or []))
    base_words: Counter = Counter()
    span = Q()
    for b_start, b_end in windows[1:]:
        span |= Q(created_at__gte=b_start, created_at__lt=b_end)
    days = max(len(windows) - 1, 1)
    for keywords in (
        Mention.objects.filter(q).filter(span).values_list("keywords", flat=True)[:5000]
    ):
        base_words.update(set(keywords or []))
    skip = stopwords() | excluded_words()
    rising = []
    for word, count in now_words.items():
        if word.lower() in skip:
            continue
        base = base_words.get(word, 0) / days
        rising.append({"keyword": word, "count": count, "baseline": round(base, 2)})
    rising.sort(key=lambda r: (-(r["count"] - r["baseline"]), r["keyword"]))
    top_posts = sorted(inside, key=lambda m: (-m.priority, -m.id))[:TOP_EXPLAIN]
    authors: Counter = Counter()
    followers: dict[str, int] = {}
    for m in inside:
        if m.author:
            authors[m.author.screen_name] += 1
            followers[m.author.screen_name] = m.author.followers_count
    top_authors = sorted(authors, key=lambda a: (-followers[a], a))[:TOP_EXPLAIN]
    return {
        "keywords": rising[:TOP_EXPLAIN],
        "platforms": dict(Counter(m.platform for m in inside).most_common()),
        "top_posts": [
            {
                "id": m.id,
                "platform": m.platform,
                "text": m.text[:200],
                "author": m.author.screen_name if m.author else "",
            }
            for m in top_posts
        ],
        "top_authors": [
            {"screen_name": a, "followers": followers[a], "mentions": authors[a]}
            for a in top_authors
        ],
    }


def _started(
    q: Q, window_start: dt.datetime, now: dt.datetime, mean: float
) -> dt.datetime:
    """The first slot of the window busier than twice its share of the baseline."""
    slots = max(int((now - window_start) / dt.timedelta(minutes=SLOT_MINUTES)), 1)
    per_slot = max(mean / slots, 0.5)
    for i in range(slots):
        start = window_start + dt.timedelta(minutes=SLOT_MINUTES * i)
        end = start + dt.timedelta(minutes=SLOT_MINUTES)
        n = Mention.objects.filter(q, created_at__gte=start, created_at__lt=end).count()
        if n > 2 * per_slot:
            return start
    return window_start


def spikes_detect(*, now: dt.datetime | None = None) -> list[Spike]:
    """Open, extend or close the spike episodes of every subject; returns the spikes
    opened by this check."""
    now = now or timezone.now()
    cfg = spike_settings()
    windows = _windows(now, cfg)
    opened = []
    for kind, subject in subjects():
        q = _subject_q(kind, subject)
        counts, negatives = _counts(q, windows)
        verdict = judge(counts[0], counts[1:], k=cfg["k"], min_count=cfg["min_count"])
        spike = _episode(kind, subject, q, windows, counts, negatives, verdict, now)
        if spike is not None:
            opened.append(spike)
    return opened


def _share(negative: int, total: int) -> float:
    return round(negative / total, 4) if total else 0.0


@transaction.atomic
def _episode(kind, subject, q, windows, counts, negatives, verdict, now):
    open_spike = (
        Spike.objects.select_for_update()
        .filter(kind=kind, subject=subject, ended_at__isnull=True)
        .first()
    )
    if open_spike is None:
        if not verdict.spike:
            return None
        base_total = sum(counts[1:])
        spike = Spike.objects.create(
            kind=kind,
            subject=subject,
            started_at=_started(q, windows[0][0], now, verdict.mean),
            peak_at=now,
            last_checked_at=now,
            volume=counts[0],
            baseline=round(verdict.mean, 2),
            stddev=round(verdict.sigma, 2),
            score=verdict.score,
            negative_share=_share(negatives[0], counts[0]),
            baseline_negative_share=_share(sum(negatives[1:]), base_total),
            explanation=explain(q, windows),
        )
        return spike
    fields = ["last_checked_at"]
    open_spike.last_checked_at = now
    if not verdict.holds:
        open_spike.ended_at = now
        fields.append("ended_at")
    elif counts[0] > open_spike.volume:
        open_spike.peak_at = now
        open_spike.volume = counts[0]
        open_spike.score = verdict.score
        open_spike.negative_share = _share(negatives[0], counts[0])
        open_spike.explanation = explain(q, windows)
        fields += ["peak_at", "volume", "score", "negative_share", "explanation"]
    elif not open_spike.explanation.get("keywords"):
        open_spike.explanation = explain(q, windows)
        fields.append("explanation")
    open_spike.save(update_fields=fields)
    return None
