"""The rollups equal a direct count of the mention table, whatever happens to the
mentions: first analysis, re-analysis, corrections, duplicate deliveries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from listening.models import (
    Author,
    Mention,
    RollupContribution,
    RollupHour,
    RollupTopPost,
)
from listening.nlp.services import mention_sentiment_correct
from listening.services.rollups import (
    TOP_POST_KEEP,
    province_of,
    rollups_apply,
    rollups_rebuild,
)
from tests.listening.rollup_oracle import direct_counts, rollup_counts

T0 = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)  # 23:00 in Shanghai: days split
AUTHORS = [
    # followers, gender, location, verified, description
    (10, "m", "福建 厦门", False, "厦门大学 学生"),
    (800, "f", "北京", True, ""),
    (50_000, "", "Round Rock, Texas", True, "PC fan"),
    (3, "n", "", False, "2011级"),
]
analysis = st.fixed_dictionaries(
    {
        "sentiment_label": st.sampled_from(["positive", "neutral", "negative"]),
        "intent": st.sampled_from(["complaint", "question", "praise", "other"]),
        "language": st.sampled_from(["zh", "en"]),
        "sarcasm": st.booleans(),
        "brands": st.lists(st.sampled_from(["dell", "lenovo", "hp"]), max_size=2),
        "products": st.lists(st.sampled_from(["xps", "thinkpad"]), max_size=1),
        "keywords": st.lists(st.sampled_from(["蓝屏", "续航", "<b>x</b>"]), max_size=2),
        "priority": st.sampled_from([0.0, 0.3, 0.9]),
    }
)
mention_spec = st.tuples(
    st.integers(0, 3),  # author
    st.sampled_from(["weibo", "twitter", "renren"]),
    st.integers(0, 60 * 30),  # minutes after T0: two days and a bit
    analysis,
    st.booleans(),  # analysed yet
    st.sampled_from(["", "#蓝屏# 又 //@a: 转 //@b:", "hello"]),
)
step = st.one_of(
    st.tuples(st.just("reanalyse"), st.integers(0, 1000), analysis),
    st.tuples(
        st.just("correct"),
        st.integers(0, 1000),
        st.sampled_from(["positive", "neutral", "negative"]),
    ),
    st.tuples(st.just("duplicate"), st.integers(0, 1000), st.none()),
    st.tuples(st.just("analyse"), st.integers(0, 1000), analysis),
)


def _make(specs) -> list[int]:
    authors = [
        Author.objects.create(
            platform="weibo",
            external_id=str(i),
            screen_name=f"a{i}",
            followers_count=f,
            gender=g,
            location=loc,
            verified=v,
            description=d,
        )
        for i, (f, g, loc, v, d) in enumerate(AUTHORS)
    ]
    ids = []
    for n, (author, platform, minutes, fields, analysed, text) in enumerate(specs):
        mention = Mention.objects.create(
            platform=platform,
            external_id=str(n),
            author=authors[author],
            text=text + " ".join(fields["keywords"]),
            created_at=T0 + dt.timedelta(minutes=minutes),
            metrics={"reposts": n, "comments": 1},
            analyzed_at=T0 if analysed else None,
            **fields,
        )
        ids.append(mention.id)
    return ids


class RollupsEqualDirectCount(TestCase):
    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        specs=st.lists(mention_spec, min_size=1, max_size=25),
        steps=st.lists(step, max_size=8),
    )
    def test_rollups_equal_a_direct_count(self, specs, steps):
        ids = _make(specs)
        # Delivered in two overlapping batches, the second one twice.
        rollups_apply(mention_ids=ids[: len(ids) // 2 + 1])
        rollups_apply(mention_ids=ids[len(ids) // 3 :])
        rollups_apply(mention_ids=ids[len(ids) // 3 :])
        assert rollup_counts() == direct_counts()
        for action, pick, value in steps:
            mention_id = ids[pick % len(ids)]
            if action in ("reanalyse", "analyse"):
                Mention.objects.filter(id=mention_id).update(analyzed_at=T0, **value)
            elif action == "correct":
                mention_sentiment_correct(mention_id=mention_id, label=value, user=None)
            rollups_apply(mention_ids=[mention_id, *ids[:2]])
            assert rollup_counts() == direct_counts()
        rollups_rebuild()
        assert rollup_counts() == direct_counts()


@pytest.mark.django_db
def test_a_duplicate_batch_changes_nothing():
    ids = _make([(0, "weibo", 5, _fields(), True, "")])
    assert rollups_apply(mention_ids=ids) == 1
    before = rollup_counts()
    assert rollups_apply(mention_ids=ids) == 0
    assert rollup_counts() == before


@pytest.mark.django_db
def test_a_correction_moves_the_count_from_one_sentiment_to_the_other():
    ids = _make([(0, "weibo", 5, _fields(), True, "")])
    rollups_apply(mention_ids=ids)
    mention_sentiment_correct(mention_id=ids[0], label="negative", user=None)
    rollups_apply(mention_ids=ids)
    rows = RollupHour.objects.filter(subject="", mentions__gt=0)
    assert [r.sentiment for r in rows] == ["negative"]


@pytest.mark.django_db
def test_rebuild_since_a_day_keeps_the_days_before():
    ids = _make(
        [
            (0, "weibo", 5, _fields(), True, ""),
            (1, "weibo", 60 * 26, _fields(), True, ""),
        ]
    )
    rollups_apply(mention_ids=ids)
    expected = direct_counts()
    RollupHour.objects.filter(bucket__gte=T0 + dt.timedelta(hours=20)).update(
        mentions=99
    )
    call_command("rebuild_rollups", "--since", "2026-11-22")
    assert rollup_counts() == expected
    assert RollupContribution.objects.count() == 2


class TopPostsOfCrowdedHours(TestCase):
    """Many mentions in one hour and group: the top-post rollup keeps exactly the
    best TOP_POST_KEEP of each group, through re-scoring, intent changes, lost
    analyses and duplicate batches."""

    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        priorities=st.lists(st.integers(0, 9), min_size=6, max_size=20),
        steps=st.lists(
            st.tuples(
                st.integers(0, 100),
                st.sampled_from(["complaint", "praise"]),
                st.integers(0, 9),
                st.booleans(),  # still analysed
            ),
            max_size=10,
        ),
    )
    def test_the_best_posts_of_each_group_are_kept(self, priorities, steps):
        fields = {**_fields(), "intent": "complaint"}
        ids = _make(
            [
                (n % 4, "weibo", n % 50, {**fields, "priority": p / 10}, True, "")
                for n, p in enumerate(priorities)
            ]
        )
        rollups_apply(mention_ids=ids)
        rollups_apply(mention_ids=ids[:3])
        assert RollupTopPost.objects.filter(subject="").count() == TOP_POST_KEEP
        assert rollup_counts()["top_posts"] == direct_counts()["top_posts"]
        for pick, intent, priority, analysed in steps:
            Mention.objects.filter(id=ids[pick % len(ids)]).update(
                intent=intent,
                priority=priority / 10,
                analyzed_at=T0 if analysed else None,
            )
            rollups_apply(mention_ids=[ids[pick % len(ids)]])
            assert rollup_counts()["top_posts"] == direct_counts()["top_posts"]


def test_province_of_chinese_and_english_locations():
    assert province_of("福建 厦门") == "福建"
    assert province_of("Round Rock, Texas") == "Texas"
    assert province_of("") == ""


def _fields() -> dict:
    return {
        "sentiment_label": "positive",
        "intent": "praise",
        "language": "zh",
        "sarcasm": False,
        "brands": ["dell"],
        "products": [],
        "keywords": ["续航"],
    }


@pytest.mark.django_db
def test_old_raw_payloads_are_dropped_and_the_rollups_stay():
    ids = _make([(0, "weibo", 5, _fields(), True, "")])
    Mention.objects.filter(id=ids[0]).update(
        raw={"id": 1, "text": "x"}, fetched_at=T0 - dt.timedelta(days=200)
    )
    rollups_apply(mention_ids=ids)
    before = rollup_counts()
    call_command("prune_raw_payloads", "--days", "90")
    assert Mention.objects.get(id=ids[0]).raw == {}
    assert Mention.objects.filter(id=ids[0]).exists()
    assert rollup_counts() == before


@pytest.mark.django_db
def test_the_sweep_applies_recent_mentions_whose_hand_off_was_lost():
    from listening.services.rollups import rollups_sweep

    ids = _make([(0, "weibo", 5, _fields(), True, "")])
    now = T0 + dt.timedelta(hours=1)
    assert rollups_sweep(now=now) == 1
    assert rollup_counts() == direct_counts()
    assert rollups_sweep(now=now) == 0
    assert RollupContribution.objects.filter(mention_id=ids[0]).exists()
