"""Posts from the composer to the schedule: create, edit (a new version each time),
submit, approve, reschedule, cancel."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ambassadors.models import Role
from ambassadors.selectors import user_role
from common.errors import DomainError, conflict, invalid, not_allowed, not_found
from coupons.models import Campaign
from coupons.services import coupon_public_code_create, coupon_public_code_withdraw
from surveys.models import Survey, invitation_url
from surveys.services.links import survey_link_create

from ..models import (
    BrandAccount,
    Post,
    PostImage,
    PostStatus,
    PostTarget,
    PostVersion,
    TargetStatus,
)
from .rules import (
    SAMPLE_CODE,
    SAMPLE_SURVEY,
    approval_reason,
    compose_text,
    policy_get,
    version_check,
)

DEFAULT_ZONE = "Asia/Shanghai"
EDITABLE = (PostStatus.DRAFT, PostStatus.PENDING_APPROVAL, PostStatus.SCHEDULED)


def policy_refused(message: str, details: list[dict[str, Any]]) -> DomainError:
    """A version is too long or breaks the policy; ``details`` says which and why."""
    return DomainError("policy_violation", message, 400, details=details)


def is_manager(user: User) -> bool:
    return user_role(user) in (Role.MANAGER, Role.ADMIN)


# --- time ---------------------------------------------------------------------------


def zone_get(name: str | None) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo((name or DEFAULT_ZONE).strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise invalid(
            "invalid_time_zone", _("Unknown time zone “%(zone)s”.") % {"zone": name}
        ) from None


def schedule_parse(value: Any, *, time_zone: str | None) -> dt.datetime | None:
    """An aware instant from a datetime or an ISO 8601 text; a time without an
    offset is read in ``time_zone`` (the author's, Asia/Shanghai by default).
    Scheduling is to the minute."""
    if value in (None, ""):
        return None
    zone = zone_get(time_zone)
    when: dt.datetime | None
    if isinstance(value, dt.datetime):
        when = value
    else:
        when = parse_datetime(str(value).strip()) if isinstance(value, str) else None
        if when is None:
            raise invalid(
                "invalid_schedule",
                _("“%(value)s” is not a date and time (2026-12-01T09:30).")
                % {"value": str(value)[:40]},
            )
    if timezone.is_naive(when):
        when = when.replace(tzinfo=zone)
    return when.replace(second=0, microsecond=0)


def schedule_check(when: dt.datetime | None, *, time_zone: str | None) -> None:
    """A time in a past minute is refused, saying the time now in that zone."""
    if when is None:
        raise invalid("schedule_required", _("Choose when the post goes out."))
    now = timezone.now()
    if when < now.replace(second=0, microsecond=0):
        zone = zone_get(time_zone)
        raise invalid(
            "schedule_in_past",
            _(
                "%(when)s is in the past: it is now %(now)s (%(zone)s). "
                "Choose a later time."
            )
            % {
                "when": when.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                "now": now.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                "zone": zone.key,
            },
        )


# --- checks -------------------------------------------------------------------------


def _accounts(account_ids: Iterable[int]) -> list[BrandAccount]:
    try:
        ids = sorted({int(i) for i in account_ids})
    except (TypeError, ValueError):
        raise invalid("invalid_accounts", _("Accounts are given by id.")) from None
    accounts = list(BrandAccount.objects.filter(id__in=ids, enabled=True))
    if not ids or len(accounts) != len(ids):
        raise invalid(
            "invalid_accounts", _("Choose one or more of the brand's accounts.")
        )
    return accounts


def _campaign(
    campaign_id: int | str | None, accounts: list[BrandAccount]
) -> Campaign | None:
    if campaign_id in (None, ""):
        return None
    campaign = Campaign.objects.filter(id=campaign_id).first()
    if campaign is None:
        raise not_found("campaign_not_found", _("No such coupon campaign."))
    platforms = {a.platform for a in accounts}
    if len(campaign.platforms) != 1 or platforms != set(campaign.platforms):
        raise invalid(
            "campaign_not_exclusive",
            _(
                "A public code comes from a campaign exclusive to one platform, and "
                "the post may go only to that platform's accounts."
            ),
        )
    if not campaign.is_live() and campaign.ends_at <= timezone.now():
        raise invalid("campaign_closed", _("This coupon campaign is closed."))
    return campaign


def _survey(survey_id: int | str | None) -> Survey | None:
    if survey_id in (None, ""):
        return None
    survey = Survey.objects.filter(id=survey_id).first()
    if survey is None:
        raise not_found("survey_not_found", _("No such survey."))
    return survey


def _per_platform(value: Any, accounts: list[BrandAccount]) -> dict[str, str]:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise invalid("invalid_versions", _("Per-platform versions are an object."))
    platforms = {a.platform for a in accounts}
    versions = {}
    for platform, text in value.items():
        if platform not in platforms:
            raise invalid(
                "invalid_versions",
                _("There is a version for %(platform)s but no account there.")
                % {"platform": platform},
            )
        if not isinstance(text, str):
            raise invalid("invalid_versions", _("Each version is a text."))
        if text.strip():
            versions[platform] = text.strip()
    return versions


def texts_for(
    post: Post, accounts: list[BrandAccount], *, code: str = "", sample: bool = False
) -> dict[str, str]:
    """The final text of each platform of ``accounts``."""
    uses = post.coupon_code.max_redemptions if post.coupon_code else 0
    if sample:
        uses = policy_get().coupon_uses
    texts = {}
    for platform in sorted({a.platform for a in accounts}):
        survey_url = ""
        if post.survey_id:
            survey_url = SAMPLE_SURVEY if sample else _survey_url(post, platform)
        texts[platform] = compose_text(
            platform=platform,
            text=post.per_platform.get(platform) or post.text,
            code=(SAMPLE_CODE if sample and post.campaign_id else code),
            uses=uses,
            survey_url=survey_url,
        )
    return texts


def _survey_url(post: Post, platform: str) -> str:
    if post.survey_id is None:
        return ""
    try:
        link = survey_link_create(survey_id=post.survey_id, platform=platform)
    except DomainError as error:
        raise invalid("survey_closed", str(error)) from None
    return invitation_url(link.token)


def _check_texts(texts: dict[str, str]) -> None:
    checks = [version_check(platform=p, text=t) for p, t in texts.items()]
    bad = [c for c in checks if c.violations]
    if not all(t.strip() for t in texts.values()):
        raise invalid("empty", _("The post is empty."))
    if bad:
        raise policy_refused(
            " ".join(f"{c.platform}: {v.message}" for c in bad for v in c.violations),
            details=[c.as_dict() for c in bad],
        )


# --- writes -------------------------------------------------------------------------


def _version_add(post: Post, *, editor: User, note: str) -> None:
    texts = {t.account.platform: t.text for t in post.targets.select_related("account")}
    PostVersion.objects.create(
        post=post,
        number=post.version,
        texts=texts,
        scheduled_at=post.scheduled_at,
        edited_by=editor,
        note=note,
    )


def _targets_write(
    post: Post, accounts: list[BrandAccount], texts: dict[str, str]
) -> None:
    post.targets.exclude(account__in=accounts).delete()
    for account in accounts:
        PostTarget.objects.update_or_create(
            post=post,
            account=account,
            defaults={"text": texts[account.platform], "due_at": post.scheduled_at},
        )


def _submit(post: Post, accounts: list[BrandAccount], *, actor: User) -> None:
    """Draft → pending approval or scheduled, minting the public code."""
    schedule_check(post.scheduled_at, time_zone=post.time_zone)
    _check_texts(texts_for(post, accounts, sample=True))
    if post.campaign_id and post.coupon_code_id is None:
        try:
            post.coupon_code = coupon_public_code_create(
                campaign_id=post.campaign_id,
                platform=accounts[0].platform,
                uses=policy_get().coupon_uses,
                created_by=actor,
            )
        except DomainError as error:
            raise invalid(error.code, error.message) from None
    texts = texts_for(
        post, accounts, code=post.coupon_code.code if post.coupon_code else ""
    )
    _check_texts(texts)
    _targets_write(post, accounts, texts)
    post.approval_reason = approval_reason(author=post.author, campaign=post.campaign)
    if post.approval_reason:
        post.status = PostStatus.PENDING_APPROVAL
        post.targets.update(status=TargetStatus.WAITING)
    else:
        post.status = PostStatus.SCHEDULED
        post.targets.update(status=TargetStatus.QUEUED, due_at=post.scheduled_at)


@transaction.atomic
def post_create(
    *,
    author: User,
    account_ids: Iterable[int],
    text: str,
    per_platform: dict[str, str] | None = None,
    scheduled_at: Any = None,
    time_zone: str | None = None,
    campaign_id: int | None = None,
    survey_id: int | None = None,
    image_id: int | str | None = None,
    draft: bool = False,
) -> Post:
    """A new post: a draft, or submitted (waiting for approval or scheduled)."""
    if user_role(author) is None:
        raise not_allowed("not_allowed", _("Only the social team may post."))
    accounts = _accounts(account_ids)
    zone = zone_get(time_zone).key
    image = None
    if image_id not in (None, ""):
        image = PostImage.objects.filter(id=image_id, uploaded_by=author).first()
        if image is None:
            raise not_found("image_not_found", _("No such image."))
    post = Post.objects.create(
        author=author,
        text=(text or "").strip(),
        per_platform=_per_platform(per_platform, accounts),
        scheduled_at=schedule_parse(scheduled_at, time_zone=zone),
        time_zone=zone,
        campaign=_campaign(campaign_id, accounts),
        survey=_survey(survey_id),
        image=image,
    )
    if not post.text and not post.per_platform:
        raise invalid("empty", _("The post is empty."))
    if draft:
        _targets_write(post, accounts, texts_for(post, accounts, sample=True))
        if post.scheduled_at is not None:
            schedule_check(post.scheduled_at, time_zone=zone)
    else:
        _submit(post, accounts, actor=author)
    post.save()
    _version_add(post, editor=author, note="created" if not draft else "draft")
    return post


def _locked(post_id: int) -> Post:
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("author", "campaign", "coupon_code")
        .filter(id=post_id)
        .first()
    )
    if post is None:
        raise not_found("post_not_found", _("No such post."))
    return post


def _may_edit(post: Post, user: User) -> None:
    if post.author_id != user.pk and not is_manager(user):
        raise not_found("post_not_found", _("No such post."))
    if post.status not in EDITABLE:
        raise conflict(
            "not_editable",
            _("A post that is %(status)s can no longer be changed.")
            % {"status": post.get_status_display()},
        )


@transaction.atomic
def post_update(
    *,
    post_id: int,
    editor: User,
    text: str | None = None,
    per_platform: dict[str, str] | None = None,
    scheduled_at: Any = None,
    time_zone: str | None = None,
    submit: bool = False,
) -> Post:
    """Edit a post (the author, or a manager approving it): a new version. A
    scheduled post whose edit needs approval waits for a manager again."""
    post = _locked(post_id)
    _may_edit(post, editor)
    accounts = [t.account for t in post.targets.select_related("account")]
    if text is not None:
        post.text = text.strip()
    if per_platform is not None:
        post.per_platform = _per_platform(per_platform, accounts)
    if time_zone:
        post.time_zone = zone_get(time_zone).key
    if scheduled_at not in (None, ""):
        post.scheduled_at = schedule_parse(scheduled_at, time_zone=post.time_zone)
    if not post.text and not post.per_platform:
        raise invalid("empty", _("The post is empty."))
    if post.status == PostStatus.DRAFT and not submit:
        _targets_write(post, accounts, texts_for(post, accounts, sample=True))
    else:
        _submit(post, accounts, actor=editor)
    post.version += 1
    post.save()
    _version_add(post, editor=editor, note="submitted" if submit else "edited")
    return post


@transaction.atomic
def post_approve(*, post_id: int, approver: User) -> Post:
    post = _locked(post_id)
    if not is_manager(approver):
        raise not_allowed("not_allowed", _("Only a community manager approves posts."))
    if post.author_id == approver.pk:
        raise not_allowed(
            "own_post", _("Another manager must approve a post you wrote yourself.")
        )
    if post.status != PostStatus.PENDING_APPROVAL:
        raise conflict("not_pending", _("This post is not waiting for approval."))
    schedule_check(post.scheduled_at, time_zone=post.time_zone)
    post.status = PostStatus.SCHEDULED
    post.approved_by = approver
    post.approved_at = timezone.now()
    post.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    post.targets.filter(status=TargetStatus.WAITING).update(
        status=TargetStatus.QUEUED, due_at=post.scheduled_at
    )
    return post


@transaction.atomic
def post_reschedule(
    *,
    post_id: int,
    actor: User,
    scheduled_at: Any,
    time_zone: str | None = None,
) -> Post:
    """Move a post to another minute (the calendar's drag, or the form)."""
    post = _locked(post_id)
    _may_edit(post, actor)
    zone = zone_get(time_zone or post.time_zone).key
    when = schedule_parse(scheduled_at, time_zone=zone)
    schedule_check(when, time_zone=zone)
    post.scheduled_at, post.time_zone = when, zone
    post.version += 1
    post.save(update_fields=["scheduled_at", "time_zone", "version", "updated_at"])
    post.targets.filter(status__in=(TargetStatus.WAITING, TargetStatus.QUEUED)).update(
        due_at=when, next_attempt_at=None
    )
    _version_add(post, editor=actor, note="rescheduled")
    return post


@transaction.atomic
def post_cancel(*, post_id: int, actor: User) -> Post:
    """Cancelled before any account has it: never sent. A post a worker has
    already started on cannot be cancelled."""
    post = _locked(post_id)
    _may_edit(post, actor)
    post.targets.filter(status__in=(TargetStatus.WAITING, TargetStatus.QUEUED)).update(
        status=TargetStatus.CANCELLED
    )
    if post.targets.exclude(status=TargetStatus.CANCELLED).exists():
        raise conflict(
            "already_publishing",
            _(
                "A worker is already publishing this post: "
                "it can no longer be cancelled."
            ),
        )
    post.status = PostStatus.CANCELLED
    post.save(update_fields=["status", "updated_at"])
    if post.coupon_code_id:
        coupon_public_code_withdraw(code_id=post.coupon_code_id)
    return post
