"""People, teams, mentions and cases for engagement tests, made through the services."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from types import SimpleNamespace

from django.utils import timezone

from ambassadors.demo import records_seed
from ambassadors.models import Certification, Role, Skill, Team
from ambassadors.services import profile_update, user_create
from engagement.models import Case, Priority, SlaPolicy
from engagement.services import mentions_route
from listening.models import Author, Mention

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# A Monday, 10:00 in Beijing: inside the default working hours.
MONDAY_10AM = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
PASSWORD = "pw-123456789"

_ids = itertools.count(1)


def make_team(slug: str = "support", *, default: bool = True) -> Team:
    team, _ = Team.objects.get_or_create(
        slug=slug, defaults={"name": slug.title(), "is_default": default}
    )
    return team


def make_person(
    username: str,
    *,
    role: str = Role.AMBASSADOR,
    team: Team | None = None,
    languages=("zh", "en"),
    platforms=("weibo", "twitter", "renren"),
    skills=(),
    certification: int = Certification.PROFESSIONAL,
    capacity: int = 10,
    availability: str = "available",
    signature: str | None = None,
    **fields,
):
    user = user_create(username=username, password=PASSWORD, role=role)
    for slug in skills:
        Skill.objects.get_or_create(slug=slug, defaults={"name": slug})
    profile_update(
        profile=user.profile,
        team=team,
        languages=list(languages),
        capacity=capacity,
        availability=availability,
        disclosure_signature=signature if signature is not None else f"—{username}",
        skills=list(skills),
        handles={p: f"{username}_{p}" for p in platforms},
        **fields,
    )
    # Levels are earned: the records of ``certification`` (quiz passes, approved
    # replies...), and the current policy accepted.
    records_seed(user=user, level=certification if role == Role.AMBASSADOR else 0)
    user.refresh_from_db()
    return user


def make_mention(
    *,
    platform: str = "weibo",
    author: str = "fan1",
    followers: int = 100,
    text: str = "戴尔电脑怎么样",
    language: str = "zh",
    sentiment: str = "neutral",
    intent: str = "question",
    brands=("dell",),
    products=(),
    keywords=(),
    priority: float = 50.0,
    thread: str = "",
    external_id: str | None = None,
    created_at: dt.datetime | None = None,
    is_private: bool = False,
) -> Mention:
    author_row, _ = Author.objects.update_or_create(
        platform=platform,
        external_id=author,
        defaults={"screen_name": author, "followers_count": followers},
    )
    external_id = external_id or str(1_000_000 + next(_ids))
    return Mention.objects.create(
        platform=platform,
        external_id=external_id,
        author=author_row,
        text=text,
        language=language,
        created_at=created_at or MONDAY_10AM,
        thread_external_id=thread or external_id,
        sentiment_label=sentiment,
        sentiment=-0.8 if sentiment == "negative" else 0.1,
        intent=intent,
        brands=list(brands),
        products=list(products),
        keywords=list(keywords),
        priority=priority,
        analyzed_at=created_at or MONDAY_10AM,
        is_private=is_private,
    )


def make_people(support) -> SimpleNamespace:
    """A manager and an admin; in support: a professional and a trainee; in sales:
    another ambassador. Ambassadors are away so routing leaves cases unassigned
    (the tests assign them by hand). SLA targets: an hour to answer, a day to
    resolve."""
    sales = make_team("sales", default=False)
    for priority in Priority:
        SlaPolicy.objects.get_or_create(
            priority=priority,
            defaults={"first_response_minutes": 60, "resolution_minutes": 1440},
        )
    return SimpleNamespace(
        support=support,
        sales=sales,
        manager=make_person("mgr", role=Role.MANAGER, team=support),
        admin=make_person("root", role=Role.ADMIN),
        amb=make_person("amb", team=support, availability="away"),
        trainee=make_person(
            "trainee",
            team=support,
            certification=Certification.ENTHUSIAST,
            availability="away",
        ),
        other=make_person("other", team=sales, availability="away"),
    )


def open_case(*, now=None, **mention) -> Case:
    """A case opened by routing one analysed mention (see make_mention), posted
    when it is routed unless the mention says otherwise (the SLA clock starts at
    the post)."""
    now = now or timezone.now()
    mention.setdefault("created_at", now)
    m = make_mention(**mention)
    mentions_route(mention_ids=[m.id], now=now)
    return Case.objects.get(links__mention=m)
