"""The CSAT survey sent when a case is resolved (engagement orchestrates; surveys
makes the link)."""

import pytest

from ambassadors.models import Team
from engagement.models import Case
from engagement.services import case_csat_send
from engagement.tasks import send_csat, send_csat_for_case
from listening.models import Author
from surveys.models import Invitation
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(db):
    from tests.engagement.conftest import make_person

    ambassador = make_person("amb1")
    author = Author.objects.create(platform="weibo", external_id="1750000001")
    return Case.objects.create(
        platform="weibo", author=author, thread_key="1", assignee=ambassador
    )


def test_a_resolved_case_gets_a_personal_csat_link_for_its_customer(case):
    survey = make_survey(auto_csat=True)
    invitation = case_csat_send(case_id=case.id)
    assert invitation.survey == survey
    assert invitation.kind == "personal"
    assert (invitation.platform, invitation.platform_user_id) == ("weibo", "1750000001")
    assert invitation.case_id == case.id and invitation.ambassador == case.assignee


def test_sending_twice_for_one_case_makes_one_link(case):
    make_survey(auto_csat=True)
    send_csat(case.id)
    send_csat(case.id)
    assert Invitation.objects.count() == 1


def test_nothing_is_sent_without_an_open_csat_survey(case):
    make_survey(auto_csat=False)
    make_survey(auto_csat=True, status="closed")
    assert case_csat_send(case_id=case.id) is None
    assert case_csat_send(case_id=999999) is None


def test_a_team_only_survey_follows_only_that_teams_cases(case):
    gaming = Team.objects.create(slug="gaming", name="Gaming")
    make_survey(auto_csat=True, auto_csat_teams=[gaming])
    assert case_csat_send(case_id=case.id) is None
    Case.objects.filter(id=case.id).update(team=gaming)
    assert case_csat_send(case_id=case.id) is not None


def test_resolving_hands_the_case_to_the_csat_task_after_commit(
    case, monkeypatch, django_capture_on_commit_callbacks
):
    from dellsocial import pipeline

    sent = []
    monkeypatch.setattr(
        pipeline.app, "send_task", lambda name, args: sent.append((name, args))
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pipeline.case_resolved(case.id)
    assert sent == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert sent == [(send_csat.name, [case.id])]
    assert send_csat.name == pipeline.CSAT_TASK


def test_the_csat_link_is_posted_once_on_the_case_by_its_ambassador(
    django_capture_on_commit_callbacks,
):
    from engagement.models import Reply
    from engagement.services import case_assign, case_set_status, mentions_route
    from tests.engagement.conftest import (
        MONDAY_10AM,
        make_mention,
        make_person,
        make_team,
    )

    team = make_team("support")
    ambassador = make_person("xiaoli", team=team, signature="—戴尔员工 小李")
    manager = make_person("boss", role="manager", team=team)
    mention = make_mention(author="fan9", text="我的XPS又蓝屏了，客服呢？")
    mentions_route(mention_ids=[mention.id], now=MONDAY_10AM)
    case = Case.objects.get(links__mention=mention)
    if case.assignee_id != ambassador.pk:
        case_assign(case_id=case.pk, assignee=ambassador, actor=manager)
    case_set_status(case_id=case.pk, status="resolved", actor=manager)
    make_survey(auto_csat=True)

    send_csat(case.id)
    send_csat(case.id)

    invitation = Invitation.objects.get(case_id=case.id)
    reply = Reply.objects.get(case=case)
    assert invitation.reply_id == reply.pk
    assert reply.status == "queued" and reply.author == ambassador
    assert invitation.url in reply.text and "小李" in reply.text


def test_a_message_queued_under_the_old_task_name_still_sends_the_link(case):
    make_survey(auto_csat=True)
    assert send_csat_for_case.name == "surveys.send_csat_for_case"
    send_csat_for_case(case.id)
    assert Invitation.objects.filter(case_id=case.id).count() == 1
