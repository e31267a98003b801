"""Work can always be handed out (manager override of the capacity limit, in the
service and the API), clocks start at the customer's post, and cases can be
snoozed, merged and split with their history kept (issue 14)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from ambassadors.models import Role
from common.errors import DomainError
from engagement.models import Case, CaseEvent, CaseStatus, CloseReason, SlaPolicy
from engagement.selectors import QueueFilters, dashboard_queue
from engagement.services import case_assign, mentions_route, reply_create
from engagement.services.merge import case_merge, case_split
from engagement.services.snooze import case_snooze, case_unsnooze, cases_snooze_wake
from engagement.services.workload import assignee_choices
from tests.engagement.conftest import MONDAY_10AM, make_mention, make_person
from tests.engagement.test_api import client_for

pytestmark = pytest.mark.django_db


def new_case(now=MONDAY_10AM, **mention):
    m = make_mention(**mention)
    mentions_route(mention_ids=[m.id], now=now)
    return Case.objects.get(links__mention=m)


@pytest.fixture
def manager(support):
    return make_person("boss", role=Role.MANAGER, team=support)


# --- 3. Clocks from the customer's post ---------------------------------------------


def test_waiting_and_sla_count_from_the_customers_post_not_the_ingest(support):
    SlaPolicy.objects.create(
        priority=3, first_response_minutes=60, resolution_minutes=600
    )
    posted = MONDAY_10AM - dt.timedelta(minutes=58)  # 15:32 seen at 16:30
    case = new_case(created_at=posted, priority=50.0)
    assert case.priority == 3
    assert case.created_at == MONDAY_10AM
    assert case.waiting_since == posted
    assert case.first_posted_at == posted
    assert case.first_response_due_at == posted + dt.timedelta(minutes=60)


def test_a_post_dated_in_the_future_waits_from_now(support):
    case = new_case(created_at=MONDAY_10AM + dt.timedelta(hours=2))
    assert case.waiting_since == MONDAY_10AM


def test_the_api_says_waiting_since_is_the_post_time(support, manager):
    posted = MONDAY_10AM - dt.timedelta(hours=1)
    case = new_case(created_at=posted)
    body = client_for(manager).get(f"/api/v1/cases/{case.pk}/").json()
    assert body["waiting_since"].startswith(posted.isoformat()[:16])


# --- 2. Nobody is stuck at capacity -------------------------------------------------


def test_a_manager_overrides_the_limit_and_the_history_says_so(support, manager):
    amb = make_person("amb", team=support, capacity=1)
    assert new_case(author="a").assignee == amb
    second = new_case(author="b")
    with pytest.raises(DomainError) as refused:
        case_assign(case_id=second.pk, assignee=amb, actor=manager)
    assert refused.value.details["load"] == 1
    case_assign(case_id=second.pk, assignee=amb, actor=manager, override=True)
    second.refresh_from_db()
    assert second.assignee == amb
    event = CaseEvent.objects.filter(case=second, kind="assigned").latest("id")
    assert event.data["override"] is True and event.data["load"] == 1


def test_an_ambassador_cannot_override_the_limit(support):
    amb = make_person("amb", team=support, capacity=1)
    new_case(author="a")
    other = new_case(author="b")
    case_assign(case_id=other.pk, assignee=None, actor=make_person("m", role="manager"))
    with pytest.raises(DomainError):
        case_assign(case_id=other.pk, assignee=amb, actor=amb, override=True)


def test_the_api_answers_409_with_the_load_and_assigns_with_override(support, manager):
    make_person("amb", team=support, capacity=1)
    new_case(author="a")
    case = new_case(author="b")
    api = client_for(manager)
    url = f"/api/v1/cases/{case.pk}/assign/"
    refused = api.post(url, {"assignee": "amb"}, format="json")
    assert refused.status_code == 409
    assert refused.json()["details"] == {
        "assignee": "amb",
        "load": 1,
        "capacity": 1,
        "availability": "available",
    }
    done = api.post(url, {"assignee": "amb", "override": True}, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["assignee"]["username"] == "amb"


def test_the_assign_menu_shows_load_limit_availability_and_why_not(support, manager):
    amb = make_person("amb", team=support, capacity=1)
    away = make_person("away", team=support, availability="away", languages=("en",))
    case = new_case(author="a", language="zh")
    with translation.override("en"):
        choices = {
            c.username: c
            for c in assignee_choices(users=[amb, away, manager], case=case, me=manager)
        }
    assert set(choices) == {"amb", "away"}
    assert (choices["amb"].load, choices["amb"].capacity) == (1, 1)
    assert (
        "1/1" in choices["amb"].label
        and "at the open-case limit" in choices["amb"].label
    )
    assert "Away" in choices["away"].label
    assert "does not speak the language" in choices["away"].label


# --- Snooze, merge, split -----------------------------------------------------------


def test_a_snoozed_case_leaves_the_queue_until_its_time(support, manager):
    case = new_case()
    until = MONDAY_10AM + dt.timedelta(hours=2)
    case_snooze(case_id=case.pk, actor=manager, until=until, now=MONDAY_10AM)

    def ids(view):
        return [
            c.pk
            for c in dashboard_queue(user=manager, filters=QueueFilters(view=view)).rows
        ]

    assert case.pk not in ids("all") and case.pk in ids("snoozed")
    assert cases_snooze_wake(now=until - dt.timedelta(minutes=1)) == 0
    assert cases_snooze_wake(now=until) == 1
    assert case.pk in ids("all")
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert "snoozed" in kinds and "woken" in kinds


def test_a_case_snoozed_until_the_customer_answers_wakes_when_they_write(
    support, manager
):
    first = make_mention(author="fan", thread="t1")
    mentions_route(mention_ids=[first.pk], now=MONDAY_10AM)
    case = Case.objects.get(links__mention=first)
    case_snooze(case_id=case.pk, actor=manager, until_reply=True)
    case.refresh_from_db()
    assert case.snoozed and case.snooze_until_reply
    answer = make_mention(author="fan", thread="t1", created_at=MONDAY_10AM)
    mentions_route(mention_ids=[answer.pk], now=MONDAY_10AM)
    case.refresh_from_db()
    assert not case.snoozed and not case.snooze_until_reply


def test_snooze_needs_a_future_time_or_until_reply(support, manager):
    case = new_case()
    with pytest.raises(DomainError):
        case_snooze(case_id=case.pk, actor=manager)
    with pytest.raises(DomainError):
        case_snooze(case_id=case.pk, actor=manager, until=MONDAY_10AM, now=MONDAY_10AM)
    case_snooze(case_id=case.pk, actor=manager, until_reply=True)
    case_unsnooze(case_id=case.pk, actor=manager)
    case.refresh_from_db()
    assert not case.snoozed


def test_merging_two_cases_of_one_customer_keeps_both_histories(support, manager):
    a = new_case(author="fan", thread="t1", priority=30.0)
    b = new_case(author="fan", thread="t2", priority=90.0)
    reply = reply_create(case_id=a.pk, text="您好", actor=manager)
    merged = case_merge(case_id=a.pk, into_id=b.pk, actor=manager)
    a.refresh_from_db()
    assert a.status == CaseStatus.CLOSED and a.close_reason == CloseReason.MERGED
    assert a.merged_into_id == b.pk
    assert merged.mention_count == 2
    reply.refresh_from_db()
    assert reply.case_id == b.pk
    kinds = list(CaseEvent.objects.filter(case=b).values_list("kind", flat=True))
    assert (
        kinds.count("created") == 2 and "merged" in kinds and "reply_created" in kinds
    )


def test_only_cases_of_the_same_customer_merge(support, manager):
    a = new_case(author="fan1")
    b = new_case(author="fan2")
    with pytest.raises(DomainError):
        case_merge(case_id=a.pk, into_id=b.pk, actor=manager)


def test_splitting_a_mention_out_makes_a_case_of_its_own(support, manager):
    first = make_mention(author="fan", thread="t1")
    second = make_mention(author="fan", thread="t1", text="另一个问题：显示器")
    mentions_route(mention_ids=[first.pk, second.pk], now=MONDAY_10AM)
    case = Case.objects.get(links__mention=first)
    assert case.mention_count == 2
    new = case_split(case_id=case.pk, mention_id=second.pk, actor=manager)
    case.refresh_from_db()
    assert case.mention_count == 1 and new.mention_count == 1
    assert Case.objects.get(links__mention=second).pk == new.pk
    assert new.summary.startswith("另一个问题")
    with pytest.raises(DomainError):
        case_split(case_id=case.pk, mention_id=first.pk, actor=manager)
