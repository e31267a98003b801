"""An ambassador attaches a Sina-only coupon code and a survey link to a reply from
the composer; the reply reaches the mock Weibo carrying both, and the code and the
invitation are bound to the case, the customer and the ambassador."""

from __future__ import annotations

import re

import pytest
import requests

from coupons.models import CouponCode
from coupons.services import demo_seed as coupons_demo_seed
from engagement.models import Reply, ReplyStatus
from engagement.services import case_assign, reply_deliver
from surveys.models import Invitation
from surveys.services import demo_seed as surveys_demo_seed
from tests.e2e.conftest import sign_in
from tests.e2e.test_triage_flow import world  # noqa: F401 (the shared fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CODE_RE = re.compile(r"\b[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\b")


def test_an_ambassador_sends_a_coupon_and_a_survey_link_in_a_reply(
    live_server,
    new_page,
    shoot,
    world,  # noqa: F811
):
    coupons_demo_seed()  # a Sina-only campaign with codes
    surveys_demo_seed()  # an open CSAT / NPS / product-idea survey
    case = world["cases"][0]
    case_assign(case_id=case.pk, assignee=world["amb"], actor=world["manager"])

    page = new_page()
    sign_in(page, live_server, "xiaowang")
    page.goto(f"{live_server.url}/engagement/cases/{case.pk}/")
    page.fill(
        "#reply-text", "您好，送您一张微博专享优惠券，也欢迎填写问卷告诉我们您的想法！"
    )
    campaign_value = page.eval_on_selector(
        "#attach-coupon",
        "s => [...s.options].find(o => o.value && !o.disabled).value",
    )
    page.select_option("#attach-coupon", campaign_value)
    survey_value = page.eval_on_selector(
        "#attach-survey", "s => [...s.options].find(o => o.value).value"
    )
    page.select_option("#attach-survey", survey_value)
    page.wait_for_selector("#draft-check .check.ok")
    shoot(page, "offers-01-composer")
    page.click("#send-reply")
    page.wait_for_selector("#replies-list [data-status=queued]")
    shoot(page, "offers-02-queued")

    reply = Reply.objects.get(case=case)
    code = CouponCode.objects.get(case=case)
    invitation = Invitation.objects.get(case=case)
    # The code and the link are in the reply's text, within Weibo's limit.
    assert CODE_RE.search(reply.text)
    assert code.code.replace("-", "") in (reply.text.replace("-", ""))
    assert "/s/" in reply.text
    # Bound to this customer, case and ambassador, on Weibo only.
    author_id = case.author.external_id
    assert code.issued_platform == "weibo"
    assert code.issued_platform_user_id == author_id
    assert code.issued_by == world["amb"]
    assert invitation.ambassador == world["amb"]

    outcome = reply_deliver(reply_id=reply.pk)
    assert outcome.result == "sent", outcome
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.SENT
    inbox = requests.get(f"{live_server.url}/mock/weibo/_inbox", timeout=10).json()
    texts = [item["text"] for item in inbox["replies"]]
    assert any(CODE_RE.search(t) and "/s/" in t for t in texts), texts
