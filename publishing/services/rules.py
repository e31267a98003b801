"""What a post will say on each platform, whether it may go as it is, and whether
a manager must approve it first."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from ambassadors.models import Certification, Role
from ambassadors.selectors import user_role
from coupons.codes import code_display
from coupons.models import Campaign, DiscountType
from engagement.services.policy import Violation, reply_policy_check
from listening.adapters.lengths import max_length, text_length
from surveys.models import invitation_url
from surveys.services.links import TOKEN_LENGTH

from ..models import PublishingPolicy

CODE_PLACEHOLDER = "{code}"
SURVEY_PLACEHOLDER = "{survey}"
# What stands for the code and the link while composing: the same lengths.
SAMPLE_CODE = "XXXX-XXXX-XXXX"
SAMPLE_SURVEY = invitation_url("x" * TOKEN_LENGTH)
_TOPIC_RE = re.compile(r"#([^#\s]{1,40})#")
_HASHTAG_RE = re.compile(r"(?<![\w#])#(\w{1,60})(?!#)")
_MENTION_RE = re.compile(r"(?<![\w@])@([\w\-\u4e00-\u9fff]{1,30})")


def policy_get() -> PublishingPolicy:
    policy, _created = PublishingPolicy.objects.get_or_create(pk=1)
    return policy


def coupon_line(platform: str, code: str, uses: int) -> str:
    if platform == "twitter":
        return _en_coupon(code, uses)
    return f"优惠码 {code}（前{uses}名）"


def _en_coupon(code: str, uses: int) -> str:
    return f"Code {code} (first {uses} buyers)"


def compose_text(
    *, platform: str, text: str, code: str = "", uses: int = 0, survey_url: str = ""
) -> str:
    """The text as it goes out: the code and the survey link where the author put
    ``{code}`` / ``{survey}``, or at the end."""
    text = (text or "").strip()
    if code:
        shown = code_display(code) if "-" not in code else code
        if CODE_PLACEHOLDER in text:
            text = text.replace(CODE_PLACEHOLDER, shown)
        else:
            text = f"{text} {coupon_line(platform, shown, uses)}"
    if survey_url:
        if SURVEY_PLACEHOLDER in text:
            text = text.replace(SURVEY_PLACEHOLDER, survey_url)
        else:
            text = f"{text} {survey_url}"
    return text


def topics_and_mentions(platform: str, text: str) -> dict[str, list[str]]:
    """``#话题#`` (Weibo, Renren) or ``#hashtag`` (Twitter), and @mentions."""
    if platform == "twitter":
        topics = _HASHTAG_RE.findall(text)
    else:
        topics = _TOPIC_RE.findall(text)
    return {"topics": topics, "mentions": _MENTION_RE.findall(text)}


@dataclass(slots=True)
class VersionCheck:
    platform: str
    text: str
    length: int
    limit: int
    violations: list[Violation] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "text": self.text,
            "length": self.length,
            "limit": self.limit,
            "ok": not self.violations,
            "violations": [v.as_dict() for v in self.violations],
            "topics": self.topics,
            "mentions": self.mentions,
        }


def version_check(*, platform: str, text: str) -> VersionCheck:
    """Length as the platform counts it and the reply policy (the brand speaks for
    itself: no personal disclosure signature is asked of its own posts)."""
    violations = [
        v
        for v in reply_policy_check(text=text, platform=platform)
        if v.code != "disclosure"
    ]
    return VersionCheck(
        platform=platform,
        text=text,
        length=text_length(platform, text),
        limit=max_length(platform),
        violations=violations,
        **topics_and_mentions(platform, text),
    )


def coupon_value_too_high(campaign: Campaign, policy: PublishingPolicy) -> bool:
    value = Decimal(campaign.discount_value)
    if campaign.discount_type == DiscountType.PERCENT:
        return value > policy.coupon_percent_limit
    return value > policy.coupon_amount_limit


def approval_reason(*, author: User, campaign: Campaign | None) -> str:
    """Why a manager must approve the post ('' when it may be scheduled at once)."""
    policy = policy_get()
    reasons = []
    role = user_role(author)
    if role not in (Role.MANAGER, Role.ADMIN):
        profile = getattr(author, "profile", None)
        level = profile.certification if profile is not None else Certification.NONE
        if level < policy.approval_level:
            reasons.append(
                _("the author is below %(level)s")
                % {"level": Certification(policy.approval_level).label}
            )
    if campaign is not None and coupon_value_too_high(campaign, policy):
        reasons.append(
            _("its coupon is worth more than %(amount)s CNY / %(percent)s%%")
            % {
                "amount": policy.coupon_amount_limit,
                "percent": policy.coupon_percent_limit,
            }
        )
    return "; ".join(reasons)
