"""The publishing pages render for the social team, escape what people wrote, and
keep other people's posts out of reach."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from listening.models import Author, Mention
from publishing.models import FollowerSnapshot, MetricSnapshot, PostTarget
from publishing.services import post_create

from .conftest import PASSWORD, make_campaign, make_person, soon

pytestmark = pytest.mark.django_db

EVIL = '<script>alert("x")</script>'


@pytest.fixture
def signed_in(client, people):
    client.login(username="expert", password=PASSWORD)
    return client


def published(post, *, external_id="4990000000000001"):
    now = timezone.now() - dt.timedelta(minutes=10)
    target = post.targets.get()
    PostTarget.objects.filter(id=target.id).update(
        status="published",
        external_id=external_id,
        published_at=now,
        comments=3,
        reposts=2,
    )
    post.status = "published"
    post.save(update_fields=["status"])
    target.refresh_from_db()
    for minutes, (c, r, likes) in enumerate([(0, 0, 1), (2, 1, 5), (3, 2, 9)]):
        MetricSnapshot.objects.create(
            target=target,
            taken_at=now + dt.timedelta(minutes=minutes),
            comments=c,
            reposts=r,
            likes=likes,
            reach=100 * likes,
        )
    FollowerSnapshot.objects.create(
        account=target.account, taken_at=now - dt.timedelta(minutes=1), followers=1000
    )
    FollowerSnapshot.objects.create(
        account=target.account, taken_at=now + dt.timedelta(minutes=5), followers=1250
    )
    return target


def test_compose_shows_the_accounts_and_exclusive_campaigns(signed_in, accounts):
    make_campaign(platform="weibo", value="50")
    page = signed_in.get("/publishing/compose/")
    assert page.status_code == 200
    html = page.content.decode()
    for account in accounts.values():
        assert f'value="{account.pk}"' in html
    assert "weibo only 50" in html


def test_the_live_check_counts_and_flags(signed_in, accounts):
    campaign = make_campaign(platform="weibo", value="500")
    answer = signed_in.post(
        "/publishing/check/",
        data=json.dumps(
            {
                "accounts": [accounts["weibo"].id],
                "text": "戴" * 130 + " #新品# @戴尔中国",
                "campaign": campaign.id,
            }
        ),
        content_type="application/json",
    ).json()
    (check,) = answer["checks"]
    assert check["platform"] == "weibo" and check["limit"] == 280
    # 130 CJK (260) + topics and the stand-in code line push it over.
    assert check["length"] > 280 and not check["ok"]
    assert check["topics"] == ["新品"] and check["mentions"] == ["戴尔中国"]
    assert answer["approval"]  # a 500 CNY coupon needs a manager
    assert (
        signed_in.post(
            "/publishing/check/", data="x", content_type="application/json"
        ).status_code
        == 400
    )


def test_compose_posts_a_form_and_refuses_the_past(signed_in, accounts):
    answer = signed_in.post(
        "/publishing/compose/",
        {
            "accounts": [accounts["weibo"].id],
            "text": "表单发的",
            "scheduled_at": "2020-01-01T09:00",
            "time_zone": "Asia/Shanghai",
            "action": "submit",
        },
    )
    assert answer.status_code == 400
    assert "2020-01-01 09:00" in answer.content.decode()
    local = (
        soon(90)
        .astimezone(dt.timezone(dt.timedelta(hours=8)))
        .strftime("%Y-%m-%dT%H:%M")
    )
    answer = signed_in.post(
        "/publishing/compose/",
        {
            "accounts": [accounts["weibo"].id],
            "text": "表单发的",
            "scheduled_at": local,
            "time_zone": "Asia/Shanghai",
            "action": "submit",
        },
    )
    assert answer.status_code == 302


def test_a_post_page_shows_figures_charts_comments_and_history(
    signed_in, accounts, people
):
    post = post_create(
        author=people["expert"],
        account_ids=[accounts["weibo"].id],
        text=f"戴尔 {EVIL}",
        scheduled_at=soon(),
    )
    target = published(post)
    author = Author.objects.create(platform="weibo", external_id="77", screen_name=EVIL)
    Mention.objects.create(
        platform="weibo",
        external_id="4990000000000999",
        thread_external_id=target.external_id,
        author=author,
        text=f"好评 {EVIL}",
        created_at=timezone.now(),
        sentiment_label="positive",
    )
    html = signed_in.get(f"/publishing/posts/{post.id}/").content.decode()
    assert EVIL not in html and "&lt;script&gt;" in html
    assert "<svg" in html and "polyline" in html
    assert 'class="metric-followers">250<' in html
    assert "好评" in html and "badge positive" in html


def test_calendar_week_and_month_show_the_post(signed_in, accounts, people):
    post = post_create(
        author=people["expert"],
        account_ids=[accounts["weibo"].id],
        text="日历上的",
        scheduled_at=soon(60 * 24),
    )
    day = post.scheduled_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    for view in ("week", "month"):
        html = signed_in.get(
            f"/publishing/calendar/?view={view}&date={day}"
        ).content.decode()
        assert f'data-post="{post.id}"' in html, view
        assert 'draggable="true"' in html


def test_the_table_and_the_follower_curve_render(signed_in, accounts, people):
    post = post_create(
        author=people["expert"],
        account_ids=[accounts["weibo"].id],
        text="表格",
        scheduled_at=soon(),
    )
    published(post)
    html = signed_in.get("/publishing/?sort=followers").content.decode()
    assert f"/publishing/posts/{post.id}/" in html and ">250<" in html
    html = signed_in.get(
        f"/publishing/accounts/{accounts['weibo'].id}/"
    ).content.decode()
    assert "chart-marker" in html and f"#{post.id}" in html


def test_another_ambassadors_post_is_out_of_reach(client, accounts, people):
    post = post_create(
        author=people["expert"],
        account_ids=[accounts["weibo"].id],
        text="mine",
        scheduled_at=soon(),
    )
    make_person("other")
    client.login(username="other", password=PASSWORD)
    assert client.get(f"/publishing/posts/{post.id}/").status_code == 404
    assert client.post(f"/publishing/posts/{post.id}/cancel/").status_code == 404


def test_the_manager_approves_from_the_queue_with_an_edit(client, accounts, people):
    post = post_create(
        author=people["trainee"],
        account_ids=[accounts["weibo"].id],
        text="待审",
        scheduled_at=soon(),
    )
    client.login(username="boss", password=PASSWORD)
    assert "待审" in client.get("/publishing/approvals/").content.decode()
    client.post(f"/publishing/posts/{post.id}/approve/", {"text_weibo": "审过的"})
    post.refresh_from_db()
    assert post.status == "scheduled" and post.targets.get().text == "审过的"


def test_drag_reschedules_and_a_past_drop_is_refused(signed_in, accounts, people):
    post = post_create(
        author=people["expert"],
        account_ids=[accounts["weibo"].id],
        text="拖",
        scheduled_at=soon(),
    )
    later = (timezone.now() + dt.timedelta(days=2)).astimezone(
        dt.timezone(dt.timedelta(hours=8))
    )
    answer = signed_in.post(
        f"/publishing/posts/{post.id}/reschedule/",
        {
            "scheduled_at": later.strftime("%Y-%m-%dT%H:%M"),
            "time_zone": "Asia/Shanghai",
        },
        HTTP_ACCEPT="application/json",
    )
    assert answer.status_code == 200
    post.refresh_from_db()
    assert post.scheduled_at == later.replace(second=0, microsecond=0)
    answer = signed_in.post(
        f"/publishing/posts/{post.id}/reschedule/",
        {"scheduled_at": "2001-01-01T10:00"},
        HTTP_ACCEPT="application/json",
    )
    assert answer.status_code == 400 and answer.json()["code"] == "schedule_in_past"
