"""Spike math on synthetic series, and the episode logic against the database."""

from __future__ import annotations

import datetime as dt
import math
import random

import pytest

from listening.models import (
    Alert,
    AlertRule,
    Author,
    Brand,
    Mention,
    Spike,
    WatchedTerm,
)
from listening.services.alerts import alert_rule_create, alerts_evaluate
from listening.services.spikes import judge, spikes_detect

K, MIN = 3.0, 10


def run(series_per_hour, *, checks_from: int):
    """Replay an hourly series (index = hours) through the detector, one check per
    hour from ``checks_from``; returns the hours at which an episode opened, and
    the hours at which it closed."""
    opened, closed, open_now = [], [], False
    for hour in range(checks_from, len(series_per_hour)):
        history = [series_per_hour[hour - 24 * d] for d in range(1, 8)]
        verdict = judge(series_per_hour[hour], history, k=K, min_count=MIN)
        if not open_now and verdict.spike:
            open_now = True
            opened.append(hour)
        elif open_now and not verdict.holds:
            open_now = False
            closed.append(hour)
    return opened, closed


def flat(days=9, level=20, seed=1):
    rng = random.Random(seed)
    return [max(0, int(rng.gauss(level, math.sqrt(level)))) for _ in range(days * 24)]


def daily_cycle(days=9, seed=2):
    rng = random.Random(seed)
    out = []
    for h in range(days * 24):
        level = 30 + 25 * math.sin(2 * math.pi * (h % 24) / 24)
        out.append(max(0, int(rng.gauss(level, math.sqrt(level)))))
    return out


def test_a_flat_series_has_no_spike():
    assert run(flat(), checks_from=7 * 24) == ([], [])


def test_a_daily_cycle_is_not_a_spike():
    assert run(daily_cycle(), checks_from=7 * 24) == ([], [])


def test_a_real_burst_is_one_episode_that_ends():
    series = daily_cycle()
    burst = range(8 * 24 + 3, 8 * 24 + 7)  # four hours of crisis on day 8
    for h in burst:
        series[h] += 150
    opened, closed = run(series, checks_from=7 * 24)
    assert opened == [8 * 24 + 3]
    assert closed == [8 * 24 + 7]


def test_a_small_absolute_burst_under_the_minimum_is_not_a_crisis():
    series = [2] * (9 * 24)
    series[8 * 24 + 5] = 6  # 2 → 6 is three times more, but six mentions
    assert run(series, checks_from=7 * 24) == ([], [])


def test_the_same_burst_above_the_minimum_is_a_spike():
    series = [2] * (9 * 24)
    series[8 * 24 + 5] = 30
    opened, closed = run(series, checks_from=7 * 24)
    assert opened == [8 * 24 + 5] and closed == [8 * 24 + 6]


# --- against the database -------------------------------------------------------------

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


def _mentions(at, count, *, text="戴尔 还行", keywords=("续航",), sentiment="neutral"):
    author, _ = Author.objects.get_or_create(
        platform="weibo", external_id="1", defaults={"screen_name": "<b>evil</b>"}
    )
    start = Mention.objects.count()
    Mention.objects.bulk_create(
        [
            Mention(
                platform="weibo",
                external_id=f"{start + i}",
                author=author,
                text=text,
                created_at=at + dt.timedelta(seconds=i),
                brands=["dell"],
                keywords=list(keywords),
                sentiment_label=sentiment,
                analyzed_at=at,
            )
            for i in range(count)
        ]
    )


@pytest.mark.django_db
def test_a_crisis_opens_one_spike_explained_by_its_words_and_alerts_once(settings):
    Brand.objects.create(slug="dell", name="戴尔", kind="own")
    WatchedTerm.objects.create(term="蓝屏")
    for day in range(1, 8):
        _mentions(NOW - dt.timedelta(days=day, minutes=50), 8)
    _mentions(NOW - dt.timedelta(minutes=40), 8)
    from django.contrib.auth import get_user_model

    manager = get_user_model().objects.create_user("mgr", email="m@example.com")
    rule = alert_rule_create(
        user=manager, name="蓝屏 spike", kind="spike", subject="蓝屏"
    )
    assert spikes_detect(now=NOW) == []
    _mentions(
        NOW - dt.timedelta(minutes=20),
        60,
        text="#XPS蓝屏# XPS 蓝屏 了",
        keywords=("xps蓝屏", "蓝屏"),
        sentiment="negative",
    )
    opened = spikes_detect(now=NOW)
    assert ("keyword", "蓝屏") in [(s.kind, s.subject) for s in opened]
    spike = Spike.objects.get(subject="蓝屏")
    words = [k["keyword"] for k in spike.explanation["keywords"]]
    assert "xps蓝屏" in words
    assert spike.negative_share > spike.baseline_negative_share
    assert alerts_evaluate(now=NOW) == 1
    # The next checks of the same episode tell nobody again.
    spikes_detect(now=NOW + dt.timedelta(minutes=5))
    assert alerts_evaluate(now=NOW + dt.timedelta(minutes=5)) == 0
    assert Alert.objects.filter(rule=rule).count() == 1
    # An hour and more later the burst is over: the spike ends.
    spikes_detect(now=NOW + dt.timedelta(minutes=90))
    spike.refresh_from_db()
    assert spike.ended_at == NOW + dt.timedelta(minutes=90)
    assert AlertRule.objects.get(id=rule.id).alerts.count() == 1


@pytest.mark.django_db
def test_a_rule_needs_its_threshold():
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    user = get_user_model().objects.create_user("m2")
    with pytest.raises(ValidationError):
        alert_rule_create(user=user, name="x", kind="volume")
    assert not AlertRule.objects.exists()
