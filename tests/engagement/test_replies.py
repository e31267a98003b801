"""Composer services and the approval flow."""

import pytest

from ambassadors.models import Certification, Role
from common.errors import DomainError
from engagement.models import (
    CannedResponse,
    Case,
    CaseEvent,
    CaseStatus,
    PolicyRule,
    ReplyStatus,
)
from engagement.selectors import (
    canned_response_render,
    canned_responses_search,
    replies_awaiting_approval,
)
from engagement.services import (
    mentions_route,
    reply_approve,
    reply_create,
    reply_draft,
    reply_reject,
)
from tests.engagement.conftest import MONDAY_10AM, make_mention, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(support):
    return make_person("boss", role=Role.MANAGER, team=support)


def case_for(person, **mention):
    m = make_mention(**mention)
    mentions_route(mention_ids=[m.id], now=MONDAY_10AM)
    case = Case.objects.get(links__mention=m)
    if case.assignee_id != person.pk:
        Case.objects.filter(pk=case.pk).update(assignee=person)
        case.refresh_from_db()
    return case


def test_a_professionals_reply_is_queued_with_signature_and_enqueued(
    support, sent_tasks, django_capture_on_commit_callbacks
):
    pro = make_person("pro", team=support, signature="—戴尔员工 小王")
    case = case_for(pro)
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_create(case_id=case.pk, text="您好，已为您查询", actor=pro)
    assert reply.status == ReplyStatus.QUEUED
    assert reply.text == "您好，已为您查询 —戴尔员工 小王"
    assert reply.from_handle == "pro_weibo"
    assert sent_tasks == [("engagement.deliver_reply", [reply.pk])]
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert CaseEvent.objects.filter(case=case, kind="reply_created").exists()


def test_a_reply_from_below_professional_waits_for_a_manager(support, sent_tasks):
    trainee = make_person(
        "trainee", team=support, certification=Certification.ENTHUSIAST
    )
    case = case_for(trainee)
    reply = reply_create(case_id=case.pk, text="谢谢支持", actor=trainee)
    assert reply.status == ReplyStatus.PENDING_APPROVAL
    assert reply.approval_reason == "certification"
    assert sent_tasks == []


def test_a_reply_to_an_influencer_waits_for_a_manager(support):
    expert = make_person("expert", team=support, certification=Certification.EXPERT)
    case = case_for(expert, followers=2_000_000)
    reply = reply_create(case_id=case.pk, text="谢谢", actor=expert)
    assert reply.status == ReplyStatus.PENDING_APPROVAL
    assert reply.approval_reason == "influencer"


def test_a_managers_own_reply_needs_no_approval(support, manager):
    case = case_for(manager, followers=2_000_000)
    reply = reply_create(case_id=case.pk, text="谢谢", actor=manager)
    assert reply.status == ReplyStatus.QUEUED


def test_a_reply_breaking_the_policy_is_refused_with_every_reason(support):
    PolicyRule.objects.create(kind="phone_number")
    PolicyRule.objects.create(kind="banned_word", value="垃圾")
    pro = make_person("pro", team=support)
    case = case_for(pro)
    with pytest.raises(DomainError) as refused:
        reply_create(case_id=case.pk, text="别买垃圾，打13800138000", actor=pro)
    codes = {d["code"] for d in refused.value.details}
    assert codes == {"phone_number", "banned_word"}
    assert "“垃圾”" in refused.value.message
    assert case.replies.count() == 0


def test_the_draft_shows_length_limit_and_approval_before_sending(support):
    trainee = make_person(
        "trainee",
        team=support,
        certification=Certification.ENTHUSIAST,
        signature="—小赵",
    )
    case = case_for(trainee)
    draft = reply_draft(case=case, text="戴" * 139, author=trainee)
    assert draft.text.endswith(" —小赵")
    assert (draft.length, draft.limit) == (278 + 1 + 6, 280)
    assert [v.code for v in draft.violations] == ["too_long"]
    assert draft.needs_approval


def test_an_ambassador_without_a_handle_on_the_platform_cannot_reply(support):
    pro = make_person("pro", team=support, platforms=["weibo"])
    case = case_for(pro, platform="twitter", language="en")
    Case.objects.filter(pk=case.pk).update(assignee=pro)
    with pytest.raises(DomainError) as refused:
        reply_create(case_id=case.pk, text="Thanks", actor=pro)
    assert refused.value.code == "no_handle"


def test_only_the_assignee_replies(support):
    owner = make_person("owner", team=support)
    teammate = make_person("mate", team=support)
    case = case_for(owner)
    with pytest.raises(DomainError):
        reply_create(case_id=case.pk, text="hi", actor=teammate)


def test_a_reply_on_a_closed_case_is_refused(support):
    pro = make_person("pro", team=support)
    case = case_for(pro)
    Case.objects.filter(pk=case.pk).update(status="closed")
    with pytest.raises(DomainError):
        reply_create(case_id=case.pk, text="hi", actor=pro)


# --- Approval ------------------------------------------------------------------------


@pytest.fixture
def waiting(support, manager):
    trainee = make_person(
        "trainee",
        team=support,
        certification=Certification.ENTHUSIAST,
        signature="—小赵",
    )
    case = case_for(trainee)
    return reply_create(case_id=case.pk, text="感谢支持", actor=trainee)


def test_a_manager_approves_and_the_reply_is_queued(
    waiting, manager, sent_tasks, django_capture_on_commit_callbacks
):
    assert list(replies_awaiting_approval(user=manager)) == [waiting]
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_approve(reply_id=waiting.pk, actor=manager)
    assert reply.status == ReplyStatus.QUEUED
    assert reply.reviewed_by == manager
    # Delivery, and the approval reported to the program (experience and points).
    assert sent_tasks == [
        ("engagement.deliver_reply", [reply.pk]),
        ("ambassadors.record_activity", []),
    ]
    assert list(replies_awaiting_approval(user=manager)) == []


def test_a_manager_may_edit_before_approving_and_the_edit_is_checked(waiting, manager):
    PolicyRule.objects.create(kind="price_promise")
    with pytest.raises(DomainError):
        reply_approve(reply_id=waiting.pk, actor=manager, text="只要999元 —小赵")
    reply = reply_approve(
        reply_id=waiting.pk, actor=manager, text="感谢您的支持！ —小赵"
    )
    assert reply.text == "感谢您的支持！ —小赵"
    assert reply.original_text == "感谢支持 —小赵"


def test_a_manager_rejects_with_a_reason(waiting, manager):
    with pytest.raises(DomainError):
        reply_reject(reply_id=waiting.pk, actor=manager, reason="  ")
    reply = reply_reject(reply_id=waiting.pk, actor=manager, reason="语气太随意")
    assert reply.status == ReplyStatus.REJECTED
    assert reply.reject_reason == "语气太随意"
    event = CaseEvent.objects.get(kind="reply_rejected")
    assert event.actor == manager and event.data["reason"] == "语气太随意"


def test_a_reply_is_approved_only_once(waiting, manager):
    reply_approve(reply_id=waiting.pk, actor=manager)
    with pytest.raises(DomainError):
        reply_approve(reply_id=waiting.pk, actor=manager)
    with pytest.raises(DomainError):
        reply_reject(reply_id=waiting.pk, actor=manager, reason="late")


def test_an_ambassador_cannot_approve_even_an_expert(waiting, support):
    expert = make_person("expert", team=support, certification=Certification.EXPERT)
    with pytest.raises(DomainError):
        reply_approve(reply_id=waiting.pk, actor=expert)


def test_nobody_approves_their_own_reply(support, manager):
    admin = make_person("root", role=Role.ADMIN)
    case = case_for(manager, followers=2_000_000)
    reply = reply_create(case_id=case.pk, text="谢谢", actor=manager)
    # Managers' replies need no approval; force one into the queue to prove the rule.
    type(reply).objects.filter(pk=reply.pk).update(status="pending_approval")
    with pytest.raises(DomainError) as refused:
        reply_approve(reply_id=reply.pk, actor=manager)
    assert refused.value.code == "own_reply"
    assert reply_approve(reply_id=reply.pk, actor=admin).status == "queued"


def test_a_reply_outside_reach_does_not_exist(waiting, support):
    from tests.engagement.conftest import make_team

    stranger = make_person("stranger", team=make_team("sales", default=False))
    with pytest.raises(DomainError):
        reply_approve(reply_id=waiting.pk, actor=stranger)


# --- Canned responses ----------------------------------------------------------------


def test_canned_responses_are_found_by_short_code_first(support):
    CannedResponse.objects.create(
        shortcode="dm-zh", title="请私信", text="{name}您好，请私信"
    )
    CannedResponse.objects.create(
        shortcode="thanks-zh", title="感谢", text="感谢，如需帮助请 dm 我们"
    )
    CannedResponse.objects.create(
        shortcode="dm-en", title="DM", text="Hi {name}", language="en"
    )
    assert [c.shortcode for c in canned_responses_search(query="/dm")] == [
        "dm-en",
        "dm-zh",
        "thanks-zh",
    ]
    assert [
        c.shortcode for c in canned_responses_search(query="dm", language="zh-hans")
    ] == [
        "dm-zh",
        "thanks-zh",
    ]
    pro = make_person("pro", team=support)
    case = case_for(pro, author="小明")
    canned = CannedResponse.objects.get(shortcode="dm-zh")
    assert canned_response_render(canned=canned, case=case) == "小明您好，请私信"
