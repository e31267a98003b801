"""The composer: canned responses, the live check with the platform's length and
the policy's exact reasons, sending (queued or for approval), coupon codes and
survey links, and what each reply status shows."""

import re

import pytest
from django.urls import reverse

from coupons.models import CouponCode
from engagement.models import CannedResponse, PolicyRule, Reply, ReplyStatus
from engagement.services import case_assign, reply_create, reply_deliver
from listening.adapters import PermanentError
from surveys.models import Invitation
from tests.coupons.factories import make_campaign, make_codes
from tests.engagement.dashboard_helpers import as_user
from tests.engagement.factories import make_people, open_case
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_cache(settings, request):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{request.node.nodeid}",
        }
    }


@pytest.fixture
def people(support):
    return make_people(support)


@pytest.fixture
def case(people):
    case = open_case(author="小明", text="我的戴尔笔记本开不了机")
    case_assign(case_id=case.pk, assignee=people.amb, actor=people.manager)
    return case


def url(name, case):
    return reverse(f"engagement:{name}", args=[case.pk])


def test_canned_responses_are_found_by_short_code_and_filled_in(client, people, case):
    CannedResponse.objects.create(
        shortcode="dm-zh", title="请私信", language="zh", text="{name}您好，请私信我们"
    )
    CannedResponse.objects.create(
        shortcode="thanks-zh", title="感谢", language="zh", text="谢谢{name}"
    )
    as_user(client, people.amb)
    body = client.get(url("canned_search", case), {"q": "/dm"}).content.decode()
    assert "/dm-zh" in body
    assert "/thanks-zh" not in body
    assert 'data-text="小明您好，请私信我们"' in body
    page = client.get(url("case_detail", case)).content.decode()
    assert 'data-text="谢谢小明"' in page  # listed before typing


def test_canned_search_falls_back_to_other_languages(client, people, case):
    CannedResponse.objects.create(
        shortcode="warranty-en", title="Warranty", language="en", text="Hi {name}"
    )
    as_user(client, people.amb)
    body = client.get(url("canned_search", case), {"q": "warr"}).content.decode()
    assert "/warranty-en" in body


def test_the_check_counts_like_the_platform_and_adds_the_signature(
    client, people, case
):
    as_user(client, people.amb)
    response = client.post(url("composer_check", case), {"text": "您好abc"})
    draft = response.context["draft"]
    assert draft.text == "您好abc —amb"
    # Weibo: 2 per Chinese character or dash, 1 per ASCII character.
    assert draft.length == 2 * 2 + 3 + 1 + 2 + 3
    assert draft.limit == 280
    assert draft.ok


def test_the_check_lists_every_exact_reason(client, people, case):
    PolicyRule.objects.create(kind=PolicyRule.Kind.BANNED_WORD, value="垃圾")
    PolicyRule.objects.create(kind=PolicyRule.Kind.PHONE_NUMBER)
    PolicyRule.objects.create(kind=PolicyRule.Kind.PRICE_PROMISE)
    as_user(client, people.amb)
    text = "别买垃圾货，打 138 0013 8000，保证最低价" + "长" * 140
    body = client.post(url("composer_check", case), {"text": text}).content.decode()
    codes = re.findall(r'data-code="([a-z_]+)"', body)
    assert codes == ["too_long", "phone_number", "price_promise", "banned_word"]
    assert "138 0013 8000" in body
    assert "垃圾" in body


def test_the_check_reserves_room_for_a_coupon_code(client, people, case):
    as_user(client, people.amb)
    plain = client.post(url("composer_check", case), {"text": "您好"})
    with_code = client.post(
        url("composer_check", case), {"text": "您好", "campaign": "1"}
    )
    # "优惠码：XXXX-XXXX-XXXX" (4 Chinese characters and 14 ASCII) and a space.
    assert with_code.context["draft"].length - plain.context["draft"].length == 23


def test_a_professional_reply_is_queued(client, people, case, sent_tasks):
    as_user(client, people.amb)
    response = client.post(url("reply_send", case), {"text": "您好，请私信我们"})
    assert response.status_code == 302
    reply = Reply.objects.get(case=case)
    assert reply.status == ReplyStatus.QUEUED
    assert reply.text == "您好，请私信我们 —amb"
    page = client.get(url("case_detail", case)).content.decode()
    assert 'data-status="queued"' in page
    assert 'hx-trigger="every 4s"' in page  # follows the delivery live


def test_a_trainee_reply_waits_for_approval(client, people, sent_tasks):
    case = open_case(text="求助")
    case_assign(case_id=case.pk, assignee=people.trainee, actor=people.manager)
    as_user(client, people.trainee)
    page = client.get(url("case_detail", case))
    assert page.context["needs_approval"] == "certification"
    client.post(url("reply_send", case), {"text": "您好"})
    reply = Reply.objects.get(case=case)
    assert reply.status == ReplyStatus.PENDING_APPROVAL
    body = client.get(url("case_detail", case)).content.decode()
    assert 'data-status="pending_approval"' in body


def test_a_refused_reply_comes_back_with_its_reasons_and_text(client, people, case):
    PolicyRule.objects.create(kind=PolicyRule.Kind.PHONE_NUMBER)
    as_user(client, people.amb)
    response = client.post(
        url("reply_send", case), {"text": "请拨打 400 886 8610 联系我们"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="send-errors"' in body
    assert "400 886 8610" in body
    assert ">请拨打 400 886 8610 联系我们</textarea>" in body
    assert not Reply.objects.exists()


def test_only_the_assignee_or_a_manager_may_reply(client, people, case):
    as_user(client, people.trainee)
    page = client.get(url("case_detail", case))
    assert "composer" not in page.context
    response = client.post(url("reply_send", case), {"text": "插一句"})
    assert response.status_code == 403
    assert not Reply.objects.exists()
    as_user(client, people.other)
    assert client.post(url("reply_send", case), {"text": "x"}).status_code == 404


def test_a_coupon_code_is_issued_into_the_reply(client, people, case, sent_tasks):
    campaign = make_campaign(name="微博专享", platforms=["weibo"])
    make_codes(campaign, 2)
    twitter_only = make_campaign(name="Twitter only", platforms=["twitter"])
    as_user(client, people.amb)
    page = client.get(url("case_detail", case))
    assert [c.pk for c in page.context["campaigns"]] == [campaign.pk]
    assert twitter_only.pk not in [c.pk for c in page.context["campaigns"]]
    client.post(
        url("reply_send", case), {"text": "送您一张优惠券", "campaign": campaign.pk}
    )
    reply = Reply.objects.get(case=case)
    code = CouponCode.objects.get(reply=reply)
    assert f"优惠码：{code.display}" in reply.text
    assert code.issued_platform_user_id == "小明"
    assert code.case_id == case.pk


def test_a_refused_reply_issues_no_coupon(client, people, case):
    PolicyRule.objects.create(kind=PolicyRule.Kind.BANNED_WORD, value="垃圾")
    campaign = make_campaign(platforms=["weibo"])
    make_codes(campaign, 1)
    as_user(client, people.amb)
    response = client.post(
        url("reply_send", case), {"text": "垃圾", "campaign": campaign.pk}
    )
    assert response.status_code == 400
    assert not CouponCode.objects.filter(issued_at__isnull=False).exists()


def test_an_exhausted_campaign_is_refused_with_its_reason(client, people, case):
    campaign = make_campaign(platforms=["weibo"])
    as_user(client, people.amb)
    response = client.post(
        url("reply_send", case), {"text": "送券", "campaign": campaign.pk}
    )
    assert response.status_code == 400
    assert response.context["composer_errors"]
    assert not Reply.objects.exists()


def test_a_survey_link_is_added_to_the_reply(client, people, case, sent_tasks):
    survey = make_survey()
    as_user(client, people.amb)
    page = client.get(url("case_detail", case))
    assert survey in page.context["surveys"]
    client.post(url("reply_send", case), {"text": "欢迎参与", "survey": survey.pk})
    reply = Reply.objects.get(case=case)
    invitation = Invitation.objects.get(reply=reply)
    assert f"参与调查：{invitation.url}" in reply.text


def test_each_reply_status_shows_what_happened(
    client, people, case, platform, sent_tasks
):
    as_user(client, people.amb)
    sent = reply_create(case_id=case.pk, text="第一条回复", actor=people.amb)
    reply_deliver(reply_id=sent.pk)
    platform.faults.append(PermanentError("用户已删除该微博", code="20101"))
    failed = reply_create(case_id=case.pk, text="第二条回复", actor=people.amb)
    reply_deliver(reply_id=failed.pk)
    body = client.get(url("replies_fragment", case)).content.decode()
    assert 'data-status="sent"' in body
    assert "<code>c1</code>" in body
    assert 'data-status="failed"' in body
    assert "用户已删除该微博" in body
    retry = reverse("engagement:reply_retry", args=[failed.pk])
    assert retry in body
    client.post(retry)
    failed.refresh_from_db()
    assert failed.status == ReplyStatus.QUEUED


def test_a_rejected_reply_shows_the_reason(client, people, sent_tasks):
    case = open_case()
    case_assign(case_id=case.pk, assignee=people.trainee, actor=people.manager)
    from engagement.services import reply_reject

    reply = reply_create(case_id=case.pk, text="随便回一句", actor=people.trainee)
    reply_reject(reply_id=reply.pk, actor=people.manager, reason="语气太随意")
    as_user(client, people.trainee)
    body = client.get(url("case_detail", case)).content.decode()
    assert 'data-status="rejected"' in body
    assert "语气太随意" in body


def test_only_a_manager_or_the_author_on_their_case_retries(
    client, people, case, platform, sent_tasks
):
    platform.faults.append(PermanentError("boom", code="x"))
    reply = reply_create(case_id=case.pk, text="回复", actor=people.amb)
    reply_deliver(reply_id=reply.pk)
    as_user(client, people.trainee)
    client.post(reverse("engagement:reply_retry", args=[reply.pk]))
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.FAILED
    as_user(client, people.manager)
    client.post(reverse("engagement:reply_retry", args=[reply.pk]))
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.QUEUED


def test_a_rejected_reply_revokes_the_coupon_code_it_carried(
    client, people, sent_tasks
):
    """Issue 11, item 9: the customer never saw the code, so it must not stay live."""
    from engagement.services import reply_reject

    case = open_case()
    case_assign(case_id=case.pk, assignee=people.trainee, actor=people.manager)
    campaign = make_campaign(platforms=["weibo"])
    make_codes(campaign, 2)
    as_user(client, people.trainee)
    client.post(
        url("reply_send", case), {"text": "送您一张券", "campaign": campaign.pk}
    )
    reply = Reply.objects.get(case=case)
    assert reply.status == ReplyStatus.PENDING_APPROVAL
    code = CouponCode.objects.get(reply=reply)
    assert code.revoked_at is None
    reply_reject(reply_id=reply.pk, actor=people.manager, reason="不要送券")
    code.refresh_from_db()
    assert code.revoked_at is not None
    assert CouponCode.objects.filter(campaign=campaign, revoked_at=None).count() == 1
