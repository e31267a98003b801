"""People, cases and page helpers shared by the dashboard page tests."""

from __future__ import annotations

import re
from types import SimpleNamespace

from django.utils import timezone

from ambassadors.models import Certification, Role
from engagement.models import Case, Priority, SlaPolicy
from engagement.services import mentions_route
from tests.engagement.conftest import make_mention, make_person, make_team

_ROW = re.compile(r'<tr class="case-row[^"]*" data-id="(\d+)"')


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


def row_ids(response) -> list[int]:
    """The case ids of the queue rows in a page or fragment, in order."""
    return [int(i) for i in _ROW.findall(response.content.decode())]


def as_user(client, user):
    client.force_login(user)
    return client
