"""The API reaches the composer's service: a reply with a coupon code or a survey
link attached, all or nothing."""

import pytest
from rest_framework.test import APIClient

from coupons.models import CouponCode
from engagement.models import PolicyRule, Reply
from surveys.models import Invitation
from tests.coupons.factories import make_campaign, make_codes
from tests.engagement.factories import make_people, open_case
from tests.surveys.factories import make_survey
from tests.tokens import api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(support):
    return make_people(support)


@pytest.fixture
def case(people):
    from engagement.services import case_assign

    case = open_case(author="小明", text="戴尔电脑怎么样")
    case_assign(case_id=case.pk, assignee=people.amb, actor=people.manager)
    return case


def post_reply(user, case, body):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user)}")
    return client.post(f"/api/v1/cases/{case.pk}/replies/", body, format="json")


def test_a_reply_over_the_api_carries_a_coupon_code(people, case, sent_tasks):
    campaign = make_campaign(platforms=["weibo"])
    make_codes(campaign, 2)
    response = post_reply(
        people.amb, case, {"text": "送您一张优惠券", "campaign": campaign.pk}
    )
    assert response.status_code == 201
    reply = Reply.objects.get(case=case)
    code = CouponCode.objects.get(reply=reply)
    assert f"优惠码：{code.display}" in response.json()["text"]
    assert code.issued_platform_user_id == "小明"


def test_a_reply_over_the_api_carries_a_survey_link(people, case, sent_tasks):
    survey = make_survey()
    response = post_reply(people.amb, case, {"text": "欢迎参与", "survey": survey.pk})
    assert response.status_code == 201
    invitation = Invitation.objects.get(reply__case=case)
    assert f"参与调查：{invitation.url}" in response.json()["text"]


def test_an_exhausted_campaign_is_refused_over_the_api(people, case):
    campaign = make_campaign(platforms=["weibo"])  # no codes generated
    response = post_reply(people.amb, case, {"text": "送券", "campaign": campaign.pk})
    assert response.status_code == 400
    assert response.json()["code"].startswith("coupon_")
    assert not Reply.objects.exists()


def test_a_refused_reply_over_the_api_issues_no_code(people, case):
    PolicyRule.objects.create(kind=PolicyRule.Kind.BANNED_WORD, value="垃圾")
    campaign = make_campaign(platforms=["weibo"])
    make_codes(campaign, 1)
    response = post_reply(people.amb, case, {"text": "垃圾", "campaign": campaign.pk})
    assert response.status_code == 400
    assert response.json()["code"] == "policy_violation"
    assert not CouponCode.objects.filter(issued_at__isnull=False).exists()
