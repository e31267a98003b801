"""Each notification event of the issue reaches the person's in-app list and a real
SMTP server (aiosmtpd) once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from ambassadors.models import Certification, Role
from engagement.models import Case, CaseEvent
from engagement.services import (
    case_add_note,
    case_assign,
    cases_sla_check,
    cases_sla_warn,
    mentions_route,
    reply_create,
    reply_deliver,
    reply_reject,
)
from engagement.services.notify import case_events_notify, mentioned_usernames
from listening.adapters import PermanentError
from notifications.models import Notification
from notifications.services import notifications_email_user
from tests.engagement.conftest import MONDAY_10AM, make_mention, make_person

pytestmark = pytest.mark.django_db


def person(name, **kw):
    user = make_person(name, **kw)
    get_user_model().objects.filter(pk=user.pk).update(email=f"{name}@example.com")
    user.refresh_from_db()
    return user


@pytest.fixture
def people(support):
    return {
        "boss": person("boss", role=Role.MANAGER, team=support),
        "pro": person("pro", team=support),
        "trainee": person(
            "trainee", team=support, certification=Certification.ENTHUSIAST
        ),
    }


def a_case(owner=None, **mention):
    m = make_mention(**mention)
    mentions_route(mention_ids=[m.id], now=MONDAY_10AM)
    case = Case.objects.get(links__mention=m)
    Case.objects.filter(pk=case.pk).update(assignee=owner)
    case.refresh_from_db()
    # Routing may have given it to someone (and told them): start from nothing.
    Notification.objects.all().delete()
    return case


def once(user, kind, smtp, *, contains=""):
    """One in-app notification of ``kind``, one e-mail, and no second e-mail."""
    rows = Notification.objects.filter(user=user, kind=kind)
    assert rows.count() == 1, list(Notification.objects.values_list("user", "kind"))
    before = len(smtp.messages)
    assert notifications_email_user(user_id=user.pk) == 1
    assert notifications_email_user(user_id=user.pk) == 0
    messages = smtp.wait(before + 1)
    assert len(messages) == before + 1
    message = messages[-1]
    assert message["To"] == user.email
    if contains:
        text = message.get_body(preferencelist=("plain",)).get_content()
        assert contains in text or contains in message["Subject"]
    return message


def test_case_assigned_to_me(people, smtp_settings):
    case = a_case()
    case_assign(case_id=case.pk, assignee=people["pro"], actor=people["boss"])
    once(
        people["pro"], "engagement.case_assigned", smtp_settings, contains=f"#{case.pk}"
    )
    # The same event published again tells nobody twice.
    case_events_notify([CaseEvent.objects.filter(kind="assigned").latest("id")])
    assert Notification.objects.filter(kind="engagement.case_assigned").count() == 1
    assert not Notification.objects.filter(user=people["boss"]).exists()


def test_an_at_mention_in_a_note(people, smtp_settings):
    case = a_case(people["pro"])
    case_add_note(
        case_id=case.pk, text="@pro 请看一下 @nobody @boss", actor=people["boss"]
    )
    once(people["pro"], "engagement.mentioned", smtp_settings, contains="请看一下")
    # The author is not told of their own mention; unknown names are ignored.
    assert not Notification.objects.filter(user=people["boss"]).exists()
    assert mentioned_usernames("mail a@b.c, @x.y. and @z") == ["x.y", "z"]


def test_username_completion_in_notes(client, people):
    client.login(username="pro", password="pw-123456789")
    found = client.get("/engagement/people/suggest/?q=tr").json()
    assert found == {"usernames": ["trainee"]}
    assert client.get("/engagement/people/suggest/?q=").json() == {"usernames": []}


def test_a_reply_waiting_for_my_approval_then_rejected_with_the_note(
    people, smtp_settings
):
    case = a_case(people["trainee"])
    reply = reply_create(case_id=case.pk, text="谢谢支持", actor=people["trainee"])
    once(
        people["boss"],
        "engagement.reply_awaiting_approval",
        smtp_settings,
        contains="谢谢支持",
    )
    reply_reject(reply_id=reply.pk, actor=people["boss"], reason="语气太随意")
    once(
        people["trainee"],
        "engagement.reply_rejected",
        smtp_settings,
        contains="语气太随意",
    )


def test_my_reply_approved(people, smtp_settings):
    from engagement.services import reply_approve

    case = a_case(people["trainee"])
    reply = reply_create(case_id=case.pk, text="谢谢支持", actor=people["trainee"])
    reply_approve(reply_id=reply.pk, actor=people["boss"])
    once(people["trainee"], "engagement.reply_approved", smtp_settings)


def test_a_reply_that_failed_to_deliver(people, platform, smtp_settings):
    case = a_case(people["pro"])
    reply = reply_create(case_id=case.pk, text="您好", actor=people["pro"])
    platform.faults = [PermanentError("user does not exist", code="20003")]
    assert reply_deliver(reply_id=reply.pk).result == "failed"
    once(
        people["pro"],
        "engagement.reply_failed",
        smtp_settings,
        contains="user does not exist",
    )


def test_sla_about_to_breach_then_breached(people, smtp_settings, settings):
    settings.ENGAGEMENT_SLA_WARNING_MINUTES = 20
    case = a_case(people["pro"])
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(
        first_response_due_at=now + dt.timedelta(minutes=10),
        first_responded_at=None,
        resolution_due_at=now + dt.timedelta(days=2),
        sla_paused_at=None,
    )
    assert cases_sla_warn(now=now) == 1
    assert cases_sla_warn(now=now) == 0
    once(people["pro"], "engagement.sla_warning", smtp_settings, contains=f"#{case.pk}")
    assert cases_sla_check(now=now + dt.timedelta(minutes=11)) == 1
    once(people["pro"], "engagement.sla_breached", smtp_settings)


def test_a_low_survey_score_on_my_case(people, smtp_settings):
    from surveys.services import survey_response_submit
    from tests.surveys.factories import full_answers, make_survey, personal_link

    case = a_case(people["pro"])
    survey = make_survey()
    link = personal_link(survey, case_id=case.pk, ambassador=people["pro"])
    survey_response_submit(token=link.token, answers=full_answers(survey, rating=["1"]))
    once(people["pro"], "surveys.low_score", smtp_settings, contains="CSAT 1/5")
    good = personal_link(survey, uid="1002", case_id=case.pk, ambassador=people["pro"])
    survey_response_submit(token=good.token, answers=full_answers(survey))
    assert Notification.objects.filter(kind="surveys.low_score").count() == 1
