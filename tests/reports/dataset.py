"""A small, known week of cases, replies, surveys and redemptions, with every figure
of the reports worked out by hand in the tests that read it.

Week of Monday 2026-11-23 in Asia/Shanghai; business hours Monday–Friday 09–18.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from ambassadors.models import Role, Team
from ambassadors.services import user_create
from coupons.models import Campaign, CouponCode, Redemption
from engagement.models import Case, CaseEvent, Reply
from listening.models import Author, Mention
from surveys.models import Response, Survey

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
PASSWORD = "pw-123456789"


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """Day 23 is Monday 2026-11-23 (local time)."""
    if day > 30:
        return dt.datetime(2026, 12, day - 30, hour, minute, tzinfo=SH)
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=SH)


@dataclass
class Week:
    team: Team
    amb1: object
    amb2: object
    manager: object
    cases: dict
    mentions: dict
    campaigns: dict
    codes: dict


def _case(
    name,
    *,
    assignee,
    team,
    platform,
    created,
    responded=None,
    resolved=None,
    fr_due=None,
    fr_breached=False,
    res_due=None,
    res_breached=False,
    status="open",
    author=None,
):
    return Case.objects.create(
        platform=platform,
        author=author,
        thread_key=name,
        status=status,
        team=team,
        assignee=assignee,
        summary=f"summary {name} <b>bold</b>",
        created_at=created,
        waiting_since=created,
        first_responded_at=responded,
        resolved_at=resolved,
        first_response_due_at=fr_due,
        first_response_breached=fr_breached,
        resolution_due_at=res_due,
        resolution_breached=res_breached,
    )


def build_week() -> Week:
    team = Team.objects.create(slug="support", name="Support", is_default=True)
    other = Team.objects.create(slug="gaming", name="Gaming")
    amb1 = user_create(username="amb1", password=PASSWORD, role=Role.AMBASSADOR)
    amb2 = user_create(username="amb2", password=PASSWORD, role=Role.AMBASSADOR)
    manager = user_create(username="mgr", password=PASSWORD, role=Role.MANAGER)
    author = Author.objects.create(
        platform="weibo", external_id="u1", screen_name="fan"
    )
    c = {}
    c["c1"] = _case(
        "c1",
        assignee=amb1,
        team=team,
        platform="weibo",
        created=at(23, 10),
        responded=at(23, 10, 30),
        resolved=at(23, 12),
        fr_due=at(23, 11),
        res_due=at(23, 18),
        status="open",
        author=author,
    )
    c["c2"] = _case(
        "c2",
        assignee=amb1,
        team=team,
        platform="weibo",
        created=at(23, 17),
        responded=at(24, 10),
        resolved=at(24, 17),
        fr_due=at(23, 18),
        fr_breached=True,
        res_due=at(24, 12),
        res_breached=True,
        status="resolved",
        author=author,
    )
    c["c3"] = _case(
        "c3",
        assignee=amb1,
        team=team,
        platform="twitter",
        created=at(27, 17, 30),
        responded=at(30, 9, 30),
        fr_due=at(28, 17, 30),
        fr_breached=True,
    )
    c["c4"] = _case(
        "c4",
        assignee=amb2,
        team=other,
        platform="twitter",
        created=at(28, 11),
        responded=at(28, 11, 20),
        resolved=at(29, 11),
        fr_due=at(28, 12),
        res_due=at(29, 12),
        status="resolved",
    )
    c["c5"] = _case(
        "c5",
        assignee=None,
        team=team,
        platform="weibo",
        created=at(25, 9),
        fr_due=at(25, 10),
        fr_breached=True,
    )
    # Outside the week: counted nowhere except the backlog before it (resolved
    # before the week started: not even there).
    _case(
        "old",
        assignee=amb1,
        team=team,
        platform="weibo",
        created=at(16, 10),
        responded=at(16, 11),
        resolved=at(16, 12),
        status="resolved",
    )
    # c1 was resolved, then the customer came back: reopened.
    CaseEvent.objects.create(
        case=c["c1"],
        kind=CaseEvent.Kind.STATUS_CHANGED,
        data={"previous": "resolved", "status": "open"},
        created_at=at(23, 13),
    )
    m = {}
    for name in ("c1", "c2", "c4"):
        case = c[name]
        m[name] = Mention.objects.create(
            platform=case.platform,
            external_id=f"m-{name}",
            author=author,
            text=f"mention of {name} <script>x</script>",
            created_at=case.created_at,
            thread_external_id=f"m-{name}",
        )

    def reply(case, author_user, *, sent=None, created, reviewed=None, reason=""):
        return Reply.objects.create(
            case=case,
            mention=m.get(case.thread_key) or m["c1"],
            author=author_user,
            platform=case.platform,
            text="thanks",
            status="sent" if sent else "queued",
            sent_at=sent,
            created_at=created,
            reviewed_at=reviewed,
            approval_reason=reason,
        )

    reply(c["c1"], amb1, sent=at(23, 10, 30), created=at(23, 10, 25))
    reply(
        c["c2"],
        amb1,
        sent=at(24, 10),
        created=at(24, 9),
        reviewed=at(24, 10),
        reason="certification",
    )
    reply(
        c["c4"],
        amb2,
        sent=at(28, 11, 20),
        created=at(28, 11),
        reviewed=at(28, 11, 20),
        reason="influencer",
    )
    survey = Survey.objects.create(title_zh="满意度")
    Response.objects.create(
        survey=survey,
        case=c["c1"],
        ambassador=amb1,
        platform="weibo",
        platform_user_id="u1",
        csat_score=5,
        submitted_at=at(24, 8),
    )
    Response.objects.create(
        survey=survey,
        case=c["c2"],
        ambassador=amb1,
        platform="weibo",
        platform_user_id="u1",
        csat_score=2,
        submitted_at=at(25, 8),
    )
    Response.objects.create(
        survey=survey,
        case=c["c4"],
        ambassador=amb2,
        platform="twitter",
        nps_score=10,
        submitted_at=at(29, 12),
    )
    camp_a = Campaign.objects.create(
        name="微博专享",
        platforms=["weibo"],
        discount_type="percent",
        discount_value=Decimal("10"),
        starts_at=at(1, 0),
        ends_at=at(40, 0),
    )
    camp_b = Campaign.objects.create(
        name="Twitter deal",
        platforms=["twitter"],
        discount_type="percent",
        discount_value=Decimal("10"),
        starts_at=at(1, 0),
        ends_at=at(40, 0),
    )
    k = {}
    k["k1"] = CouponCode.objects.create(
        campaign=camp_a,
        code="AAAABBBBCCC1",
        issued_at=at(23, 10, 30),
        issued_platform="weibo",
        issued_by=amb1,
        case=c["c1"],
        mention=m["c1"],
    )
    k["k2"] = CouponCode.objects.create(
        campaign=camp_a,
        code="AAAABBBBCCC2",
        issued_at=at(24, 10),
        issued_platform="weibo",
        issued_by=amb1,
        case=c["c2"],
        mention=m["c2"],
    )
    k["k3"] = CouponCode.objects.create(
        campaign=camp_b,
        code="AAAABBBBCCC3",
        issued_at=at(28, 11, 20),
        issued_platform="twitter",
        issued_by=amb2,
        case=c["c4"],
        mention=m["c4"],
        max_redemptions=5,
    )
    # Never issued: counts nowhere.
    CouponCode.objects.create(campaign=camp_a, code="AAAABBBBCCC4")

    def redeem(code, order, amount, discount, when):
        code.redeemed_count += 1
        code.save(update_fields=["redeemed_count"])
        return Redemption.objects.create(
            code=code,
            campaign=code.campaign,
            merchant="shop",
            order_id=order,
            order_amount=Decimal(amount),
            discount_amount=Decimal(discount),
            currency="CNY",
            platform=code.issued_platform,
            case=code.case,
            mention=code.mention,
            ambassador=code.issued_by,
            created_at=when,
        )

    redeem(k["k1"], "o1", "500.00", "50.00", at(24, 12))
    redeem(k["k3"], "o2", "1000.00", "100.00", at(28, 15))
    redeem(k["k3"], "o3", "300.00", "30.00", at(29, 9))
    return Week(
        team=team,
        amb1=amb1,
        amb2=amb2,
        manager=manager,
        cases=c,
        mentions=m,
        campaigns={"a": camp_a, "b": camp_b},
        codes=k,
    )
