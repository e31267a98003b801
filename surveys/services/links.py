"""Links to surveys: personal single-use ones sent in replies, general ones per
platform."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from listening.models import Platform

from ..errors import survey_error
from ..models import (
    Invitation,
    Survey,
)

# Link tokens: 10 characters of 56 without look-alikes (0/O/o, 1/l/I): 58 bits, so
# links cannot be guessed, and "https://example.cn/s/" + token stays under 35 ASCII
# characters (17.5 of Weibo's 140).
TOKEN_ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"  # noqa: S105
TOKEN_LENGTH = 10
# A personal link is good for this long (or until the survey closes).
INVITATION_TTL = timedelta(days=30)


def _token() -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


def _invitation_create(**fields: Any) -> Invitation:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Invitation.objects.create(token=_token(), **fields)
        except IntegrityError:
            continue  # a token collision: one chance in 10^17; draw again
    raise RuntimeError("could not draw a unique survey token")


def _survey_for_links(survey_id: int) -> Survey:
    survey = Survey.objects.filter(id=survey_id).first()
    if survey is None:
        raise survey_error("survey_not_found")
    if survey.status == Survey.Status.CLOSED or (
        survey.closes_at and survey.closes_at <= timezone.now()
    ):
        raise survey_error("survey_closed")
    return survey


@transaction.atomic
def survey_invitation_create(
    *,
    survey_id: int,
    platform: str,
    platform_user_id: str,
    case_id: int | None = None,
    ambassador: User | None = None,
    mention_id: int | None = None,
    reply_id: int | None = None,
) -> Invitation:
    """A single-use link for one customer, to send inside a reply.

    ``invitation.url`` is short enough for a 140-character Weibo reply. Asking again
    for the same case and customer returns the unused link already made (the
    composer may retry). Raises a ``DomainError`` (``survey_not_found``,
    ``survey_closed``, ``invalid_platform``, ``invalid_customer``,
    ``case_not_found``).
    """
    platform = (platform or "").strip().lower()
    platform_user_id = (platform_user_id or "").strip()
    if platform not in Platform.values:
        raise survey_error("invalid_platform")
    if not platform_user_id or len(platform_user_id) > 64:
        raise survey_error("invalid_customer")
    survey = _survey_for_links(survey_id)
    now = timezone.now()
    if case_id is not None:
        # Through the relation the model declares: surveys imports no app above it.
        cases = Invitation._meta.get_field("case").related_model._default_manager
        if not cases.filter(id=case_id).exists():
            raise survey_error("case_not_found")
        existing = (
            Invitation.objects.filter(
                survey=survey,
                case_id=case_id,
                kind=Invitation.Kind.PERSONAL,
                platform=platform,
                platform_user_id=platform_user_id,
                used_at__isnull=True,
                expires_at__gt=now,
            )
            .order_by("-id")
            .first()
        )
        if existing is not None:
            return existing
    expires = now + INVITATION_TTL
    if survey.closes_at and survey.closes_at < expires:
        expires = survey.closes_at
    return _invitation_create(
        survey=survey,
        kind=Invitation.Kind.PERSONAL,
        platform=platform,
        platform_user_id=platform_user_id,
        case_id=case_id,
        reply_id=reply_id,
        mention_id=mention_id,
        ambassador=ambassador,
        expires_at=expires,
    )


@transaction.atomic
def survey_link_create(*, survey_id: int, platform: str) -> Invitation:
    """The general link of a survey for one platform (to post publicly): made once,
    then the same link again."""
    if platform not in Platform.values:
        raise survey_error("invalid_platform")
    survey = _survey_for_links(survey_id)
    existing = Invitation.objects.filter(
        survey=survey, kind=Invitation.Kind.GENERAL, platform=platform
    ).first()
    if existing is not None:
        return existing
    return _invitation_create(
        survey=survey, kind=Invitation.Kind.GENERAL, platform=platform
    )


@transaction.atomic
def survey_invitation_attach_reply(*, invitation_id: int, reply_id: int) -> None:
    """Record the reply that carried the link, once the composer has one."""
    Invitation.objects.filter(id=invitation_id).update(reply_id=reply_id)
