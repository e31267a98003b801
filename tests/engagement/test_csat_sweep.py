"""The CSAT hand-off survives the loss of its message (issue 11): beat's
``engagement.csat_sweep`` posts the link of every resolved case that should have one
and has none, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from engagement.models import Case, Reply
from engagement.services import (
    case_assign,
    case_set_status,
    cases_csat_sweep,
    mentions_route,
)
from engagement.tasks import csat_sweep
from surveys.models import Invitation
from tests.engagement.factories import MONDAY_10AM, make_mention, make_person, make_team
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolved_case(sent_tasks, django_capture_on_commit_callbacks):
    """A resolved case whose CSAT message was never delivered (``sent_tasks`` keeps
    every hand-off from reaching a worker)."""
    team = make_team("support")
    ambassador = make_person("xiaoli", team=team, signature="—戴尔员工 小李")
    manager = make_person("boss", role="manager", team=team)
    mention = make_mention(author="fan9", text="我的XPS又蓝屏了，客服呢？")
    mentions_route(mention_ids=[mention.id], now=MONDAY_10AM)
    case = Case.objects.get(links__mention=mention)
    if case.assignee_id != ambassador.pk:
        case_assign(case_id=case.pk, assignee=ambassador, actor=manager)
    with django_capture_on_commit_callbacks(execute=True):
        case_set_status(case_id=case.pk, status="resolved", actor=manager)
    case.refresh_from_db()
    assert ("engagement.send_csat", [case.pk]) in sent_tasks
    return case


def later(case: Case, seconds: int = 120) -> dt.datetime:
    return case.resolved_at + dt.timedelta(seconds=seconds)


def test_a_lost_csat_hand_off_is_posted_by_the_sweep(resolved_case):
    make_survey(auto_csat=True)
    assert not Invitation.objects.exists()

    assert cases_csat_sweep(now=later(resolved_case)) == 1

    invitation = Invitation.objects.get(case_id=resolved_case.id)
    reply = Reply.objects.get(case=resolved_case)
    assert invitation.reply_id == reply.pk
    assert invitation.url in reply.text


def test_the_sweep_posts_each_link_once(resolved_case):
    make_survey(auto_csat=True)
    cases_csat_sweep(now=later(resolved_case))
    assert cases_csat_sweep(now=later(resolved_case, 180)) == 0
    assert Invitation.objects.count() == 1
    assert Reply.objects.filter(case=resolved_case).count() == 1


def test_a_link_the_task_already_posted_is_not_posted_again(resolved_case):
    from engagement.tasks import send_csat

    make_survey(auto_csat=True)
    send_csat(resolved_case.id)
    assert cases_csat_sweep(now=later(resolved_case)) == 0
    assert Reply.objects.filter(case=resolved_case).count() == 1


def test_a_hand_off_still_in_flight_is_left_to_its_task(resolved_case):
    make_survey(auto_csat=True)
    assert cases_csat_sweep(now=later(resolved_case, 5)) == 0
    assert not Invitation.objects.exists()


def test_cases_without_a_csat_survey_or_long_resolved_are_left_alone(resolved_case):
    assert cases_csat_sweep(now=later(resolved_case)) == 0  # no survey
    make_survey(auto_csat=True)
    assert cases_csat_sweep(now=later(resolved_case, 7 * 3600)) == 0
    assert not Invitation.objects.exists()


def test_a_reopened_case_gets_no_link(resolved_case):
    make_survey(auto_csat=True)
    Case.objects.filter(id=resolved_case.id).update(status="open")
    assert cases_csat_sweep(now=later(resolved_case)) == 0


def test_beat_runs_the_sweep(resolved_case, settings):
    make_survey(auto_csat=True)
    settings.HANDOFF_SWEEP_AFTER_SECONDS = 0
    Case.objects.filter(id=resolved_case.id).update(
        resolved_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert settings.CELERY_BEAT_SCHEDULE["engagement-csat-sweep"]["task"] == (
        csat_sweep.name
    )
    assert csat_sweep() == 1
