"""Governance: the handles people speak from (approved by a manager, disclosing
the employment) and the social media policy everybody accepts before replying."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dellsocial import pipeline
from listening.models import Platform

from ..errors import Conflict, Invalid, NotAllowed, NotFound
from ..models import HandleStatus, PlatformHandle, Profile, Role
from ..models.governance import PolicyAcceptance, SocialPolicy, default_disclosure_terms
from ..selectors import user_role
from ..services import offer_waiting_cases

HANDLE_MAX = 100


def policy_current() -> SocialPolicy | None:
    return SocialPolicy.objects.order_by("-version").first()


def policy_accepted(*, user: User) -> bool:
    """True when the user accepted the newest policy (or none is published)."""
    current = policy_current()
    if current is None:
        return True
    return PolicyAcceptance.objects.filter(user=user, policy=current).exists()


@transaction.atomic
def policy_accept(*, user: User, version: int) -> PolicyAcceptance:
    current = policy_current()
    if current is None or current.version != version:
        raise Conflict(
            "policy_changed",
            _("The policy has a newer version: read it and accept that one."),
        )
    acceptance, _created = PolicyAcceptance.objects.get_or_create(
        user=user, policy=current
    )
    return acceptance


@transaction.atomic
def policy_publish(
    *,
    title_zh: str,
    body_zh: str,
    actor: User | None,
    title_en: str = "",
    body_en: str = "",
    disclosure_terms: list[str] | None = None,
) -> SocialPolicy:
    """A new version: everybody is asked to accept it before their next reply."""
    if not (title_zh or "").strip() or not (body_zh or "").strip():
        raise Invalid("invalid", _("A policy needs a Chinese title and text."))
    terms = [t.strip() for t in (disclosure_terms or []) if t and t.strip()]
    latest = SocialPolicy.objects.select_for_update().order_by("-version").first()
    return SocialPolicy.objects.create(
        version=(latest.version + 1) if latest else 1,
        title_zh=title_zh.strip(),
        title_en=(title_en or "").strip(),
        body_zh=body_zh,
        body_en=body_en or "",
        disclosure_terms=terms
        or (latest.disclosure_terms if latest else default_disclosure_terms()),
        created_by=actor,
    )


def disclosure_ok(text: str) -> bool:
    current = policy_current()
    terms = current.disclosure_terms if current else default_disclosure_terms()
    folded = (text or "").casefold()
    return any(term.casefold() in folded for term in terms if term)


def _clean_handle(platform: str, handle: str, disclosure: str) -> tuple[str, str]:
    if platform not in Platform.values:
        raise Invalid(
            "unknown_platform", _("Unknown platform %s.") % str(platform)[:20]
        )
    handle = (handle or "").strip().lstrip("@")
    if not handle or len(handle) > HANDLE_MAX or any(c.isspace() for c in handle):
        raise Invalid(
            "invalid_handle",
            _("A handle is the account name, without spaces (at most %d characters).")
            % HANDLE_MAX,
        )
    disclosure = (disclosure or "").strip()
    if not disclosure_ok(disclosure):
        current = policy_current()
        terms = current.disclosure_terms if current else default_disclosure_terms()
        raise Invalid(
            "disclosure_required",
            _(
                "The account's profile must say you work for the brand, with one of: "
                "%(terms)s."
            )
            % {"terms": "、".join(terms)},
        )
    return handle, disclosure[:200]


@transaction.atomic
def handle_register(
    *,
    user: User,
    platform: str,
    handle: str,
    disclosure: str,
    platform_user_id: str = "",
) -> PlatformHandle:
    """The employee names the account they speak from on ``platform``; it waits
    for a manager. Registering again replaces the platform's handle (and asks for
    approval again)."""
    handle, disclosure = _clean_handle(platform, handle, disclosure)
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        raise NotAllowed("no_profile", _("Only employees register handles."))
    existing = (
        PlatformHandle.objects.select_for_update()
        .filter(profile=profile, platform=platform)
        .first()
    )
    if existing is None:
        return PlatformHandle.objects.create(
            profile=profile,
            platform=platform,
            handle=handle,
            disclosure=disclosure,
            platform_user_id=(platform_user_id or "").strip()[:64],
        )
    existing.handle, existing.disclosure = handle, disclosure
    existing.platform_user_id = (platform_user_id or "").strip()[:64]
    existing.status = HandleStatus.PENDING
    existing.review_note, existing.reviewed_by, existing.reviewed_at = "", None, None
    existing.save()
    _offer(existing)
    return existing


def _offer(handle: PlatformHandle) -> None:
    offer_waiting_cases(handle.profile.team_id)


def handles_reviewable_by(user: User):
    if user_role(user) not in (Role.MANAGER, Role.ADMIN):
        return PlatformHandle.objects.none()
    return PlatformHandle.objects.select_related(
        "profile__user", "profile__team", "reviewed_by"
    )


@transaction.atomic
def handle_review(
    *, handle_id: int, actor: User, approve: bool, note: str = ""
) -> PlatformHandle:
    """A manager approves or refuses a handle, with a note (required to refuse)."""
    handle = (
        handles_reviewable_by(actor)
        .select_for_update(of=("self",))
        .filter(pk=handle_id)
        .first()
    )
    if handle is None:
        raise NotFound("not_found", _("No such handle."))
    note = (note or "").strip()[:300]
    if not approve and not note:
        raise Invalid("note_required", _("Say why the handle is refused."))
    if approve and not disclosure_ok(handle.disclosure):
        raise Invalid(
            "disclosure_required",
            _("The handle's profile does not disclose the employment."),
        )
    handle.status = HandleStatus.APPROVED if approve else HandleStatus.REFUSED
    handle.review_note = note
    handle.reviewed_by = actor
    handle.reviewed_at = timezone.now()
    handle.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    _offer(handle)
    pipeline.notify(
        user_ids=[handle.profile.user_id],
        kind="ambassadors.handle_approved" if approve else "ambassadors.handle_refused",
        params={"handle": handle.handle, "note": note},
        url="/ambassadors/certification/",
    )
    return handle


def approved_handle(*, user_id: int, platform: str) -> PlatformHandle | None:
    return PlatformHandle.objects.filter(
        profile__user_id=user_id, platform=platform, status=HandleStatus.APPROVED
    ).first()


def handle_save_approved(
    *, profile: Profile, platform: str, handle: str, actor=None, disclosure: str = ""
) -> PlatformHandle:
    """A manager sets a handle directly (people pages, demo): approved at once."""
    handle = (handle or "").strip().lstrip("@")
    try:
        with transaction.atomic():
            row, _created = PlatformHandle.objects.update_or_create(
                profile=profile,
                platform=platform,
                defaults={
                    "handle": handle,
                    "disclosure": disclosure or default_disclosure_terms()[0],
                    "status": HandleStatus.APPROVED,
                    "reviewed_by": actor,
                    "reviewed_at": timezone.now(),
                },
            )
    except IntegrityError:
        raise Conflict("conflict", _("The handle changed meanwhile.")) from None
    return row
