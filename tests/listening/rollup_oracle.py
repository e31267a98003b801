"""The rollups as a direct count of the mention table: what the incremental rollups
must always equal (the property tests compare the two)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from listening.models import (
    Mention,
    RollupAudienceDay,
    RollupAuthorsHour,
    RollupDay,
    RollupDaySummary,
    RollupHour,
    RollupHourSummary,
    RollupInfluencerDay,
    RollupKeywordDay,
    RollupTopPost,
)
from listening.services.rollups import (
    MENTION_FIELDS,
    TOP_POST_KEEP,
    contribution_of,
)


def direct_counts() -> dict[str, dict]:
    hour: dict = defaultdict(lambda: [0, 0, 0])
    day: dict = defaultdict(lambda: [0, 0, 0])
    hour_authors: dict = defaultdict(set)
    day_authors: dict = {}
    keywords: dict = defaultdict(int)
    influencers: dict = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    top_posts: dict = defaultdict(list)
    for row in Mention.objects.order_by("id").values(*MENTION_FIELDS):
        c = contribution_of(row)
        if c is None:
            continue
        h = dt.datetime.fromisoformat(c["h"])
        d = dt.date.fromisoformat(c["d"])
        for subject in c["subj"]:
            dims = (subject, c["p"], c["s"], c["sent"], c["int"], c["lang"])
            for table, bucket in ((hour, h), (day, d)):
                entry = table[(bucket, *dims)]
                entry[0] += 1
                entry[1] += c["reach"]
                entry[2] += c["sarc"]
            if c["a"]:
                hour_authors[(h, subject, c["p"])].add(c["a"])
                # the attributes of the author's first mention of the day count
                day_authors.setdefault(
                    (d, subject, c["p"], c["a"]), (c["g"], c["prov"], c["v"], c["c"])
                )
                if c["inf"]:
                    entry = influencers[(d, subject, c["a"])]
                    for i, value in enumerate(
                        (
                            1,
                            c["reach"],
                            int(c["sent"] == "positive"),
                            int(c["sent"] == "negative"),
                            c["eng"],
                            c["depth"],
                        )
                    ):
                        entry[i] += value
            for word in c["kw"]:
                keywords[(d, subject, word)] += 1
            group = (h, subject, c["p"], c["sent"], c["int"])
            top_posts[group].append((c["prio"], row["id"]))
    audience: dict = defaultdict(int)
    for (d, subject, platform, _author), attrs in day_authors.items():
        audience[(d, subject, platform, *attrs)] += 1
    hour_summary: dict = defaultdict(lambda: [0, 0, 0])
    day_summary: dict = defaultdict(lambda: [0, 0, 0])
    for source, target in ((hour, hour_summary), (day, day_summary)):
        for (bucket, subject, platform, _s, sentiment, _i, _l), v in source.items():
            entry = target[(bucket, subject, platform, sentiment)]
            for i in range(3):
                entry[i] += v[i]
    return {
        "hour_summary": {k: tuple(v) for k, v in hour_summary.items()},
        "day_summary": {k: tuple(v) for k, v in day_summary.items()},
        "hour": {k: tuple(v) for k, v in hour.items()},
        "day": {k: tuple(v) for k, v in day.items()},
        "authors_hour": {k: len(v) for k, v in hour_authors.items()},
        "audience": dict(audience),
        "keywords": dict(keywords),
        "influencers": {k: tuple(v) for k, v in influencers.items()},
        "top_posts": {
            k: sorted(v, reverse=True)[:TOP_POST_KEEP] for k, v in top_posts.items()
        },
    }


def _top_posts() -> dict:
    groups: dict = defaultdict(list)
    for r in RollupTopPost.objects.all():
        key = (r.bucket, r.subject, r.platform, r.sentiment, r.intent)
        groups[key].append((r.priority, r.mention_id))
    return {k: sorted(v, reverse=True) for k, v in groups.items()}


def _volume(model) -> dict:
    return {
        (
            r.bucket,
            r.subject,
            r.platform,
            r.source_id,
            r.sentiment,
            r.intent,
            r.language,
        ): (
            r.mentions,
            r.reach,
            r.sarcastic,
        )
        for r in model.objects.all()
        if r.mentions or r.reach or r.sarcastic
    }


def _summary(model) -> dict:
    return {
        (r.bucket, r.subject, r.platform, r.sentiment): (
            r.mentions,
            r.reach,
            r.sarcastic,
        )
        for r in model.objects.all()
        if r.mentions or r.reach or r.sarcastic
    }


def rollup_counts() -> dict[str, dict]:
    return {
        "hour_summary": _summary(RollupHourSummary),
        "day_summary": _summary(RollupDaySummary),
        "hour": _volume(RollupHour),
        "day": _volume(RollupDay),
        "authors_hour": {
            (r.bucket, r.subject, r.platform): r.authors
            for r in RollupAuthorsHour.objects.all()
            if r.authors
        },
        "audience": {
            (
                r.bucket,
                r.subject,
                r.platform,
                r.gender,
                r.province,
                r.verified,
                r.college,
            ): r.authors
            for r in RollupAudienceDay.objects.all()
            if r.authors
        },
        "keywords": {
            (r.bucket, r.subject, r.keyword): r.mentions
            for r in RollupKeywordDay.objects.all()
            if r.mentions
        },
        "influencers": {
            (r.bucket, r.subject, r.author_id): (
                r.mentions,
                r.reach,
                r.positive,
                r.negative,
                r.engagement,
                r.depth,
            )
            for r in RollupInfluencerDay.objects.all()
            if r.mentions
        },
        "top_posts": _top_posts(),
    }
