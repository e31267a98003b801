"""Scheduling across time zones, lengths as each platform counts them, the policy
check, and who must wait for a manager."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from ambassadors.models import Certification
from common.errors import DomainError
from coupons.models import CouponCode, DiscountType
from engagement.models import PolicyRule
from publishing.models import PostStatus, PostVersion, TargetStatus
from publishing.services import (
    post_approve,
    post_cancel,
    post_create,
    post_reschedule,
    post_update,
    schedule_parse,
)

from .conftest import make_campaign, make_person, soon

pytestmark = pytest.mark.django_db


def tomorrow_local(zone: str, hour: int = 9) -> str:
    day = (
        timezone.now().astimezone(zoneinfo.ZoneInfo(zone)) + dt.timedelta(days=1)
    ).date()
    return f"{day.isoformat()}T{hour:02d}:30"


@pytest.mark.parametrize(
    ("zone", "utc_hour"),
    [("Asia/Shanghai", 1), ("Asia/Kolkata", 4), ("UTC", 9)],
)
def test_a_local_time_is_read_in_the_authors_zone(accounts, people, zone, utc_hour):
    local = tomorrow_local(zone, 9)
    post = post_create(
        author=people["expert"],
        account_ids=[accounts["weibo"].id],
        text="早上好",
        scheduled_at=local,
        time_zone=zone,
    )
    assert post.time_zone == zone
    assert post.scheduled_at.astimezone(dt.UTC).hour == utc_hour
    assert (
        post.scheduled_at.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%H:%M")
        == "09:30"
    )
    assert post.targets.get().due_at == post.scheduled_at


def test_shanghai_has_no_daylight_saving_and_new_york_has(accounts, people):
    # Asia/Shanghai is +08:00 all year; America/New_York moves between -05 and -04.
    winter = schedule_parse("2030-01-15T09:00", time_zone="Asia/Shanghai")
    summer = schedule_parse("2030-07-15T09:00", time_zone="Asia/Shanghai")
    assert winter.utcoffset() == summer.utcoffset() == dt.timedelta(hours=8)
    ny_winter = schedule_parse("2030-01-15T09:00", time_zone="America/New_York")
    ny_summer = schedule_parse("2030-07-15T09:00", time_zone="America/New_York")
    assert (
        ny_winter.astimezone(dt.UTC).hour == 14
        and ny_summer.astimezone(dt.UTC).hour == 13
    )


def test_an_offset_in_the_time_wins_over_the_zone(accounts, people):
    when = schedule_parse("2030-03-01T12:00:45+00:00", time_zone="Asia/Shanghai")
    assert when == dt.datetime(2030, 3, 1, 12, 0, tzinfo=dt.UTC)  # to the minute


def test_a_time_in_the_past_is_refused_with_the_time_now(accounts, people):
    past = (timezone.now() - dt.timedelta(hours=2)).astimezone(
        zoneinfo.ZoneInfo("Asia/Shanghai")
    )
    with pytest.raises(DomainError) as refused:
        post_create(
            author=people["expert"],
            account_ids=[accounts["weibo"].id],
            text="迟到了",
            scheduled_at=past.strftime("%Y-%m-%dT%H:%M"),
        )
    assert refused.value.code == "schedule_in_past"
    assert "Asia/Shanghai" in refused.value.message
    assert past.strftime("%H:%M") in refused.value.message


def test_an_unknown_zone_is_refused(accounts, people):
    with pytest.raises(DomainError) as refused:
        post_create(
            author=people["expert"],
            account_ids=[accounts["weibo"].id],
            text="x",
            scheduled_at="2030-01-01T09:00",
            time_zone="Mars/Olympus",
        )
    assert refused.value.code == "invalid_time_zone"


def test_rescheduling_into_the_past_changes_nothing(accounts, people):
    post = post_create(
        author=people["expert"],
        account_ids=[accounts["weibo"].id],
        text="x",
        scheduled_at=soon(),
    )
    before = post.scheduled_at
    with pytest.raises(DomainError):
        post_reschedule(
            post_id=post.id,
            actor=people["expert"],
            scheduled_at=(timezone.now() - dt.timedelta(days=1)).isoformat(),
        )
    post.refresh_from_db()
    assert post.scheduled_at == before and post.version == 1


def test_each_platform_counts_its_own_length(accounts, people):
    chinese = "戴" * 141  # 282 Weibo units; 141 of Renren's 240 characters
    with pytest.raises(DomainError) as refused:
        post_create(
            author=people["expert"],
            account_ids=[accounts["weibo"].id, accounts["renren"].id],
            text=chinese,
            scheduled_at=soon(),
        )
    bad = {d["platform"]: d for d in refused.value.details}
    assert list(bad) == ["weibo"]
    assert bad["weibo"]["length"] == 282 and bad["weibo"]["limit"] == 280
    # 140 Chinese characters fit Weibo; a URL counts 23 on Twitter whatever its length.
    post_create(
        author=people["expert"],
        account_ids=[accounts["weibo"].id, accounts["twitter"].id],
        text="戴" * 140,
        per_platform={"twitter": "x" * 250 + " https://www.dell.com/" + "a" * 80},
        scheduled_at=soon(),
    )


def test_the_reply_policy_applies_to_posts(accounts, people):
    PolicyRule.objects.create(kind=PolicyRule.Kind.BANNED_WORD, value="垃圾")
    PolicyRule.objects.create(kind=PolicyRule.Kind.PHONE_NUMBER)
    with pytest.raises(DomainError) as refused:
        post_create(
            author=people["expert"],
            account_ids=[accounts["weibo"].id],
            text="别买垃圾电脑，打 138 0013 8000",
            scheduled_at=soon(),
        )
    codes = {v["code"] for d in refused.value.details for v in d["violations"]}
    assert {"banned_word", "phone_number"} <= codes


def test_below_the_policy_level_a_manager_approves(accounts, people):
    post = post_create(
        author=people["trainee"],
        account_ids=[accounts["weibo"].id],
        text="新品",
        scheduled_at=soon(),
    )
    assert post.status == PostStatus.PENDING_APPROVAL
    assert post.targets.get().status == TargetStatus.WAITING
    with pytest.raises(DomainError):
        post_approve(post_id=post.id, approver=people["expert"])  # not a manager
    post_approve(post_id=post.id, approver=people["manager"])
    post.refresh_from_db()
    assert post.status == PostStatus.SCHEDULED and post.approved_by == people["manager"]
    assert post.targets.get().status == TargetStatus.QUEUED
    with pytest.raises(DomainError):
        post_approve(post_id=post.id, approver=people["manager"])


def test_at_the_policy_level_a_post_is_scheduled_at_once(accounts, people):
    post = post_create(
        author=people["expert"],
        account_ids=[accounts["weibo"].id],
        text="新品",
        scheduled_at=soon(),
    )
    assert post.status == PostStatus.SCHEDULED


def test_a_coupon_worth_more_than_the_limit_needs_a_manager_even_for_experts(
    accounts, people
):
    cheap = make_campaign(value="50")
    dear = make_campaign(value="300")
    ok = post_create(
        author=people["expert"],
        account_ids=[accounts["weibo"].id],
        text="微博专享优惠",
        scheduled_at=soon(),
        campaign_id=cheap.id,
    )
    assert ok.status == PostStatus.SCHEDULED
    held = post_create(
        author=people["expert"],
        account_ids=[accounts["weibo"].id],
        text="微博专享大额优惠",
        scheduled_at=soon(),
        campaign_id=dear.id,
    )
    assert held.status == PostStatus.PENDING_APPROVAL
    assert "300" not in held.approval_reason and "100" in held.approval_reason
    percent = make_campaign(kind=DiscountType.PERCENT, value="15")
    also = post_create(
        author=people["manager"],
        account_ids=[accounts["weibo"].id],
        text="九折以上",
        scheduled_at=soon(),
        campaign_id=percent.id,
    )
    assert also.status == PostStatus.PENDING_APPROVAL
    with pytest.raises(DomainError):
        post_approve(post_id=also.id, approver=people["manager"])  # their own
    post_approve(post_id=also.id, approver=people["manager2"])


def test_a_public_code_is_multi_use_from_a_campaign_of_that_platform(accounts, people):
    campaign = make_campaign(platform="weibo", value="50")
    post = post_create(
        author=people["expert"],
        account_ids=[accounts["weibo"].id],
        text="前500名下单立减：{code}",
        scheduled_at=soon(),
        campaign_id=campaign.id,
    )
    code = post.coupon_code
    assert code.kind == CouponCode.Kind.PUBLIC and code.max_redemptions == 500
    assert code.issued_at is None
    assert code.display in post.targets.get().text
    with pytest.raises(DomainError) as refused:
        post_create(
            author=people["expert"],
            account_ids=[accounts["weibo"].id, accounts["twitter"].id],
            text="both",
            scheduled_at=soon(),
            campaign_id=campaign.id,
        )
    assert refused.value.code == "campaign_not_exclusive"


def test_a_cancelled_post_withdraws_its_code(accounts, people):
    campaign = make_campaign(value="50")
    post = post_create(
        author=people["expert"],
        account_ids=[accounts["weibo"].id],
        text="取消",
        scheduled_at=soon(),
        campaign_id=campaign.id,
    )
    post_cancel(post_id=post.id, actor=people["expert"])
    post.coupon_code.refresh_from_db()
    assert post.coupon_code.revoked_at is not None
    assert post.targets.get().status == TargetStatus.CANCELLED
    with pytest.raises(DomainError):
        post_update(post_id=post.id, editor=people["expert"], text="again")


def test_a_post_being_published_cannot_be_cancelled(accounts, people):
    post = post_create(
        author=people["expert"],
        account_ids=[accounts["weibo"].id],
        text="x",
        scheduled_at=soon(),
    )
    post.targets.update(status=TargetStatus.SENDING)
    with pytest.raises(DomainError):
        post_cancel(post_id=post.id, actor=people["expert"])
    assert post.targets.get().status == TargetStatus.SENDING


def test_the_approver_edits_and_every_version_is_kept(accounts, people):
    post = post_create(
        author=people["trainee"],
        account_ids=[accounts["weibo"].id],
        text="初稿",
        scheduled_at=soon(),
    )
    post_update(post_id=post.id, editor=people["manager"], text="经理改过的稿")
    post_approve(post_id=post.id, approver=people["manager"])
    versions = list(PostVersion.objects.filter(post=post).order_by("number"))
    assert [v.texts["weibo"] for v in versions] == ["初稿", "经理改过的稿"]
    assert versions[1].edited_by == people["manager"]
    post.refresh_from_db()
    assert post.targets.get().text == "经理改过的稿" and post.status == "scheduled"


def test_others_cannot_touch_a_post(accounts, people):
    post = post_create(
        author=people["expert"],
        account_ids=[accounts["weibo"].id],
        text="x",
        scheduled_at=soon(),
    )
    stranger = make_person("stranger", level=Certification.EXPERT)
    with pytest.raises(DomainError) as refused:
        post_cancel(post_id=post.id, actor=stranger)
    assert refused.value.status == 404
