"""Who may speak for the brand follows the certification at once: a new hire
neither replies nor shares; an Enthusiast shares and drafts replies a manager
approves; ten approved replies and every course make a Professional who replies
without approval; an expired certification sends replies back to approval and
hands back the cases that need more."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ambassadors.advocacy.shares import share_create
from ambassadors.certification.services import certification_sweep
from ambassadors.errors import NotAllowed as ProgramNotAllowed
from ambassadors.models import Certification, Course, Share, SharePick
from ambassadors.training.services import attempt_start, attempt_submit
from common.errors import DomainError
from engagement.models import Case, ReplyStatus
from engagement.services import reply_approve, reply_create
from listening.models import Author, Mention, Source
from tests.engagement.conftest import MONDAY_10AM, make_mention, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(monkeypatch):
    """Runs the program's and routing's hand-offs inline, as a worker would."""
    from ambassadors import tasks as program_tasks
    from engagement import tasks as engagement_tasks

    bodies = {
        "ambassadors.record_activity": program_tasks.record_activity,
        "engagement.certifications_lowered": engagement_tasks.certifications_lowered,
    }
    ran: list[str] = []

    def send_task(name, args=None, kwargs=None, **_options):
        if name in bodies:
            ran.append(name)
            bodies[name](*(args or []), **(kwargs or {}))

    monkeypatch.setattr("dellsocial.celery.app.send_task", send_task)
    return ran


def key_of(course):
    return {
        str(q.pk): [str(c.pk) for c in q.choices.all() if c.correct]
        for q in course.quiz.questions.prefetch_related("choices")
    }


def pass_course(user, slug, *, now=None):
    course = Course.objects.get(slug=slug)
    attempt = attempt_start(user=user, course_id=course.pk, now=now)
    attempt_submit(user=user, attempt_id=attempt.pk, answers=key_of(course), now=now)


def level(user):
    user.profile.refresh_from_db()
    return user.profile.certification


def assigned_case(person, **mention):
    from engagement.services import mentions_route

    m = make_mention(**mention)
    mentions_route(mention_ids=[m.id], now=timezone.now())
    case = Case.objects.get(links__mention=m)
    Case.objects.filter(pk=case.pk).update(assignee=person)
    case.refresh_from_db()
    return case


def brand_pick(manager):
    Source.objects.create(
        name="@戴尔中国", platform="weibo", kind="mentions", query="1642909335"
    )
    brand, _ = Author.objects.get_or_create(
        platform="weibo", external_id="1642909335", defaults={"screen_name": "戴尔中国"}
    )
    post = Mention.objects.create(
        platform="weibo",
        external_id="4900000000000001",
        author=brand,
        text="新款 XPS 13 今天上市！",
        created_at=timezone.now(),
    )
    return SharePick.objects.create(mention=post, comment="推荐！", picked_by=manager)


def test_from_new_hire_to_professional_and_back_to_approval_on_expiry(
    support, worker, django_capture_on_commit_callbacks
):
    manager = make_person("boss", role="manager", team=support)
    hire = make_person(
        "hire",
        team=support,
        certification=Certification.NONE,
        signature="—戴尔员工 小刘",
    )
    pick = brand_pick(manager)
    case = assigned_case(hire, external_id="9101")

    # 1. A new hire may neither reply nor share.
    with pytest.raises(DomainError) as refused:
        reply_create(case_id=case.pk, text="您好", actor=hire)
    assert refused.value.code == "not_certified"
    with pytest.raises(ProgramNotAllowed) as no_share:
        share_create(user=hire, pick_id=pick.pk)
    assert no_share.value.code == "not_certified"

    # 2. The orientation makes an Enthusiast: shares; replies wait for approval.
    pass_course(hire, "orientation")
    assert level(hire) == Certification.ENTHUSIAST
    share = share_create(user=hire, pick_id=pick.pk)
    assert share.status == "queued"
    assert "—戴尔员工 小刘" in share.text
    drafts = []
    for n in range(10):
        c = case if n == 0 else assigned_case(hire, external_id=f"92{n:02d}")
        reply = reply_create(case_id=c.pk, text=f"您好，第{n}个问题已记录", actor=hire)
        assert reply.status == ReplyStatus.PENDING_APPROVAL
        drafts.append(reply)

    # 3. Ten approved replies (the experience) and every course: Professional.
    pass_course(hire, "customer-care")
    pass_course(hire, "escalation")
    for n, draft in enumerate(drafts):
        with django_capture_on_commit_callbacks(execute=True):
            reply_approve(reply_id=draft.pk, actor=manager)
        expected = Certification.PROFESSIONAL if n == 9 else Certification.ENTHUSIAST
        assert level(hire) == expected
    assert worker.count("ambassadors.record_activity") == 10
    fresh = assigned_case(hire, external_id="9300")
    reply = reply_create(case_id=fresh.pk, text="您好，已为您安排工程师", actor=hire)
    assert reply.status == ReplyStatus.QUEUED

    # 4. The certification expires: back to Enthusiast, replies back to approval,
    #    and a case that needs a Professional goes back to the queue.
    needs_pro = assigned_case(
        hire,
        external_id="9400",
        text="戴尔客服太差了，电脑坏了没人管",
        sentiment="negative",
    )
    assert needs_pro.required_certification == Certification.PROFESSIONAL
    expires = (
        hire.profile.certification_expires_at
        or level(hire)
        and (hire.profile.certification_expires_at)
    )
    hire.profile.refresh_from_db()
    expires = hire.profile.certification_expires_at
    with django_capture_on_commit_callbacks(execute=True):
        certification_sweep(now=expires + dt.timedelta(minutes=1))
    assert level(hire) == Certification.ENTHUSIAST
    assert hire.profile.certification_state == "expired"
    needs_pro.refresh_from_db()
    assert needs_pro.assignee_id is None
    again = reply_create(case_id=fresh.pk, text="您好，工程师明天到", actor=hire)
    assert again.status == ReplyStatus.PENDING_APPROVAL
    assert again.approval_reason == "certification"
    assert Share.objects.filter(user=hire).count() == 1


def test_nobody_replies_before_accepting_the_current_policy(support):
    from ambassadors.governance.services import policy_accept, policy_publish

    pro = make_person("pro", team=support)
    case = assigned_case(pro, external_id="9500")
    manager = make_person("boss", role="manager", team=support)
    policy = policy_publish(title_zh="新政策", body_zh="第二版", actor=manager)
    with pytest.raises(DomainError) as refused:
        reply_create(case_id=case.pk, text="您好", actor=pro)
    assert refused.value.code == "policy_not_accepted"
    policy_accept(user=pro, version=policy.version)
    assert reply_create(case_id=case.pk, text="您好", actor=pro).status == "queued"


def test_only_approved_handles_are_routed_to_and_sign(support):
    from ambassadors.governance.services import handle_register, handle_review
    from ambassadors.models import PlatformHandle
    from engagement.services import mentions_route

    pro = make_person("pro", team=support, platforms=())
    manager = make_person("boss", role="manager", team=support, platforms=())
    handle_register(
        user=pro, platform="weibo", handle="戴尔小王", disclosure="戴尔员工 小王"
    )
    m = make_mention(external_id="9600")
    mentions_route(mention_ids=[m.id], now=MONDAY_10AM)
    assert Case.objects.get(links__mention=m).assignee_id is None
    handle = PlatformHandle.objects.get(profile__user=pro)
    handle_review(handle_id=handle.pk, actor=manager, approve=True, note="ok")
    m2 = make_mention(external_id="9601", author="fan2")
    mentions_route(mention_ids=[m2.id], now=MONDAY_10AM)
    case = Case.objects.get(links__mention=m2)
    assert case.assignee_id == pro.pk
    assert (
        reply_create(case_id=case.pk, text="您好", actor=pro).from_handle == "戴尔小王"
    )
