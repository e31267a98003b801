"""A trainee composes a Weibo post with a Sina-only public code, a manager approves
it, the worker publishes it on the mock Weibo, its counters appear on its page,
and the calendar shows it."""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo

import pytest
import requests
from django.utils import timezone

from publishing.models import Post, PostTarget
from publishing.services import metrics_poll, post_target_deliver, targets_due
from tests.e2e.conftest import sign_in, sign_out
from tests.publishing.conftest import (  # noqa: F401 (fixtures)
    accounts,
    make_campaign,
    mock_platforms,
    people,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
TEXT = "微博专享：戴尔 XPS 13 立减，前500名下单有效 #戴尔新品# @戴尔中国"


def test_compose_approve_publish_measure_and_see_it_on_the_calendar(
    mock_platforms,  # noqa: F811
    accounts,  # noqa: F811
    people,  # noqa: F811
    new_page,
    shoot,
):
    live_server = mock_platforms
    campaign = make_campaign(platform="weibo", value="50")
    make_campaign(platform="twitter", value="20")  # not for a Weibo post
    when = (timezone.now() + dt.timedelta(minutes=3)).astimezone(SHANGHAI)

    page = new_page()
    sign_in(page, live_server, "trainee")
    page.goto(f"{live_server.url}/publishing/compose/")
    page.check(f"input[name=accounts][value='{accounts['weibo'].id}']")
    page.fill("#post-text", TEXT)
    page.select_option("#post-campaign", str(campaign.id))
    page.fill("#post-when", when.strftime("%Y-%m-%dT%H:%M"))
    check = page.wait_for_selector("#post-check .check.ok[data-platform=weibo]")
    assert "XXXX-XXXX-XXXX" in check.inner_text()  # the code's place, counted
    assert page.is_visible("#post-approval")  # a trainee waits for a manager
    shoot(page, "publishing-01-compose")
    page.click("#post-submit")
    page.wait_for_selector("#post-status[data-status=pending_approval]")
    post = Post.objects.get()
    code = post.coupon_code
    assert code.kind == "public" and code.campaign_id == campaign.id
    assert code.display in page.inner_text(".target .post-text")
    sign_out(page)

    sign_in(page, live_server, "boss")
    page.goto(f"{live_server.url}/publishing/approvals/")
    page.click(f"#post-{post.id} .approve-button")
    page.wait_for_selector(".message.success")
    post.refresh_from_db()
    assert post.status == "scheduled" and post.approved_by == people["manager"]

    # The minute comes: beat's dispatch and the worker's task, run here.
    PostTarget.objects.filter(post=post).update(due_at=timezone.now())
    (target_id,) = targets_due()
    assert post_target_deliver(target_id=target_id).result == "published"
    target = PostTarget.objects.get(id=target_id)
    page.goto(
        f"{live_server.url}/mock/weibo/2/statuses/user_timeline.json?access_token=t"
    )
    timeline = page.inner_text("body")
    assert target.external_id in timeline and code.display in timeline

    time.sleep(20)  # the public reacts over the first minutes
    PostTarget.objects.filter(id=target_id).update(metrics_next_at=timezone.now())
    assert metrics_poll().posts == 1
    page.goto(f"{live_server.url}/publishing/posts/{post.id}/")
    page.wait_for_selector("#post-status[data-status=published]")
    likes = int(page.inner_text(".metric-likes"))
    assert likes > 0
    assert page.inner_text(".metric-reach").isdigit()
    assert page.query_selector(".linechart svg polyline") is not None
    shoot(page, "publishing-02-post")

    page.goto(f"{live_server.url}/publishing/calendar/?view=week")
    item = page.wait_for_selector(f".cal-post[data-post='{post.id}']")
    assert when.strftime("%H:%M") in item.inner_text() or "published" in (
        item.get_attribute("class") or ""
    )
    shoot(page, "publishing-03-calendar")
    page.goto(f"{live_server.url}/publishing/calendar/?view=month")
    page.wait_for_selector(f".cal-post[data-post='{post.id}']")
    assert requests.get(f"{live_server.url}/publishing/", timeout=10).status_code in (
        200,
        302,
    )
