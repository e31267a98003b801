import datetime as dt

import pytest

from engagement.models import Case, CaseEvent, Priority, SlaPolicy
from engagement.selectors import case_sla_state, cases_queue, sla_report
from engagement.services import (
    case_set_priority,
    case_set_status,
    cases_sla_check,
    mentions_route,
)
from engagement.services.sla import case_sla_first_response
from tests.engagement.factories import MONDAY_10AM, make_mention, make_person

pytestmark = pytest.mark.django_db

T0 = MONDAY_10AM


def minutes(n):
    return T0 + dt.timedelta(minutes=n)


@pytest.fixture
def policies():
    SlaPolicy.objects.create(
        priority=Priority.NORMAL, first_response_minutes=60, resolution_minutes=240
    )
    SlaPolicy.objects.create(
        priority=Priority.URGENT, first_response_minutes=15, resolution_minutes=60
    )


@pytest.fixture
def case(support, policies):
    amb = make_person("amb", team=support)
    m = make_mention(priority=50.0)
    mentions_route(mention_ids=[m.id], now=T0)
    c = Case.objects.get()
    assert c.assignee == amb
    assert c.priority == Priority.NORMAL
    return c


def test_targets_come_from_the_priority_policy(case):
    assert case.first_response_due_at == minutes(60)
    assert case.resolution_due_at == minutes(240)


def test_the_clock_pauses_while_pending(case):
    case_set_status(
        case_id=case.pk, status="pending", actor=case.assignee, now=minutes(10)
    )
    # Long past the original first-response target, but waiting on the customer.
    assert cases_sla_check(now=minutes(100)) == 0
    case.refresh_from_db()
    assert case_sla_state(case, now=minutes(100)).state == "paused"
    case_set_status(
        case_id=case.pk, status="open", actor=case.assignee, now=minutes(70)
    )
    case.refresh_from_db()
    # Paused for 60 minutes: both targets moved by 60.
    assert case.sla_paused_seconds == 3600
    assert case.first_response_due_at == minutes(120)
    assert case.resolution_due_at == minutes(300)
    assert cases_sla_check(now=minutes(119)) == 0
    assert cases_sla_check(now=minutes(121)) == 1
    case.refresh_from_db()
    assert case.first_response_breached
    assert not case.resolution_breached


def test_a_breach_is_recorded_once_with_an_event(case):
    assert cases_sla_check(now=minutes(61)) == 1
    assert cases_sla_check(now=minutes(62)) == 0
    assert CaseEvent.objects.filter(case=case, kind="sla_breached").count() == 1
    assert cases_sla_check(now=minutes(241)) == 1  # now the resolution target
    case.refresh_from_db()
    assert case.first_response_breached
    assert case.resolution_breached


def test_the_queue_flags_a_breach_before_the_check_runs(case):
    [row] = cases_queue(user=case.assignee, now=minutes(61))
    assert row.sla_breached is True
    [row] = cases_queue(user=case.assignee, now=minutes(59))
    assert row.sla_breached is False
    assert [
        c.pk for c in cases_queue(user=case.assignee, breached=True, now=minutes(61))
    ] == [case.pk]


def test_a_late_first_response_is_a_breach_and_a_timely_one_is_not(case):
    case_sla_first_response(case, at=minutes(30))
    assert not case.first_response_breached
    other = Case.objects.get(pk=case.pk)
    case_sla_first_response(other, at=minutes(90))
    assert other.first_response_breached


def test_a_late_resolution_is_a_breach(case):
    case_set_status(
        case_id=case.pk, status="resolved", actor=case.assignee, now=minutes(300)
    )
    case.refresh_from_db()
    assert case.resolution_breached
    assert case_sla_state(case, now=minutes(301)).state == "breached"


def test_a_resolved_case_is_no_longer_checked(case):
    case_set_status(
        case_id=case.pk, status="resolved", actor=case.assignee, now=minutes(30)
    )
    assert cases_sla_check(now=minutes(1000)) == 0


def test_changing_the_priority_changes_the_targets(case):
    case_set_priority(case_id=case.pk, priority=Priority.URGENT, actor=case.assignee)
    case.refresh_from_db()
    assert case.first_response_due_at == minutes(15)
    assert case.priority_locked


def test_breaches_are_counted_in_the_report(case, support):
    cases_sla_check(now=minutes(61))
    rows = {r["priority_name"]: r for r in sla_report(since=T0, until=minutes(1))}
    assert rows["normal"]["cases"] == 1
    assert rows["normal"]["first_response_breached"] == 1
    assert rows["normal"]["resolution_breached"] == 0
    assert rows["urgent"]["cases"] == 0
