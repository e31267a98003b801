"""Writes the triage dashboard needs beyond single service calls: a reply composed
with a coupon code or a survey link, bulk actions on checked cases, and a manager's
sentiment correction from a case page.

Each one only combines the services of engagement, coupons, surveys and the
analysis; none saves a row itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import DomainError, invalid, not_found

from .models import Case, CaseMention, CaseStatus, CloseReason, Reply
from .selectors import case_get_for_user, case_latest_mention_id
from .services import (
    ReplyDraft,
    case_assign,
    case_set_labels,
    case_set_status,
    reply_create,
    reply_draft,
)
from .services.access import require_manager, require_work_case

# Most cases one bulk action touches (a page of the queue is 50).
BULK_LIMIT = 200

# How an attachment reads inside the reply, in the customer's language (not the
# interface's: the customer reads it).
ATTACHMENT_FORMATS = {
    "zh": {"coupon": "优惠码：{code}", "survey": "参与调查：{url}"},
    "en": {"coupon": "Coupon code: {code}", "survey": "Survey: {url}"},
}

BULK_ASSIGN = "assign"
BULK_LABEL = "label"
BULK_RESOLVE = "resolve"
BULK_SPAM = "spam"
BULK_ACTIONS = (BULK_ASSIGN, BULK_LABEL, BULK_RESOLVE, BULK_SPAM)


def _formats(language: str) -> dict[str, str]:
    return ATTACHMENT_FORMATS.get(
        (language or "zh").split("-")[0], ATTACHMENT_FORMATS["zh"]
    )


def coupon_placeholder() -> str:
    """A stand-in as long as any issued code (for counting before issuing)."""
    from coupons.codes import CODE_LENGTH, code_display

    return code_display("X" * CODE_LENGTH)


def survey_placeholder() -> str:
    """A stand-in as long as any personal survey link."""
    from surveys.services import TOKEN_LENGTH, invitation_url

    return invitation_url("x" * TOKEN_LENGTH)


def attachment_line(kind: str, value: str, *, language: str) -> str:
    fmt = _formats(language)[kind]
    return fmt.format(code=value, url=value)


def compose_text(text: str, lines: Iterable[str]) -> str:
    """The author's text followed by the attachment lines (one space apart); the
    signature is added after this by the reply service."""
    parts = [(text or "").strip(), *[line for line in lines if line]]
    return " ".join(p for p in parts if p)


def reply_compose_draft(
    *,
    case_id: int,
    actor: AbstractBaseUser,
    text: str,
    with_coupon: bool = False,
    with_survey: bool = False,
) -> ReplyDraft:
    """The composer's live check: the text as it will be posted (stand-ins for a
    code or link not issued yet), its length as the platform counts it, and every
    policy violation. Writes nothing."""
    case = case_get_for_user(user=actor, case_id=case_id)
    lines = []
    if with_coupon:
        lines.append(
            attachment_line("coupon", coupon_placeholder(), language=case.language)
        )
    if with_survey:
        lines.append(
            attachment_line("survey", survey_placeholder(), language=case.language)
        )
    return reply_draft(case=case, text=compose_text(text, lines), author=actor)


@transaction.atomic
def reply_compose(
    *,
    case_id: int,
    actor: AbstractBaseUser,
    text: str,
    mention_id: int | None = None,
    campaign_id: int | None = None,
    survey_id: int | None = None,
) -> Reply:
    """Write a reply, with a coupon code and/or a survey link issued for this
    customer and appended to the text.

    All or nothing: when the reply is refused (policy, permission, state), the code
    and the link are not issued either.
    """
    case = case_get_for_user(user=actor, case_id=case_id)
    require_work_case(actor, case)
    if mention_id is None:
        mention_id = case_latest_mention_id(case=case)
    customer = case.author.external_id if case.author is not None else ""
    lines: list[str] = []
    code = invitation = None
    if (campaign_id or survey_id) and not customer:
        raise invalid(
            "no_customer",
            _("This case has no known author to give a coupon or a link to."),
        )
    if campaign_id:
        from coupons.services import coupon_issue

        try:
            code = coupon_issue(
                campaign_id=campaign_id,
                platform=case.platform,
                platform_user_id=customer,
                ambassador=actor,
                case_id=case.pk,
                mention_id=mention_id,
            )
        except DomainError as exc:
            raise invalid(f"coupon_{exc.code}", exc.message) from None
        lines.append(attachment_line("coupon", code.display, language=case.language))
    if survey_id:
        from surveys.services import survey_invitation_create

        try:
            invitation = survey_invitation_create(
                survey_id=survey_id,
                platform=case.platform,
                platform_user_id=customer,
                case_id=case.pk,
                ambassador=actor,
                mention_id=mention_id,
            )
        except DomainError as exc:
            raise invalid(f"survey_{exc.code}", exc.message) from None
        lines.append(attachment_line("survey", invitation.url, language=case.language))
    reply = reply_create(
        case_id=case.pk,
        text=compose_text(text, lines),
        actor=actor,
        mention_id=mention_id,
    )
    if code is not None:
        from coupons.services import coupon_code_attach_reply

        coupon_code_attach_reply(code_id=code.pk, reply_id=reply.pk)
    if invitation is not None:
        from surveys.services import survey_invitation_attach_reply

        survey_invitation_attach_reply(invitation_id=invitation.pk, reply_id=reply.pk)
    return reply


# --- Bulk actions --------------------------------------------------------------------


@dataclass(slots=True)
class BulkResult:
    done: list[int] = field(default_factory=list)
    # (case id, the reason it was not done)
    refused: list[tuple[int, str]] = field(default_factory=list)


def cases_bulk_apply(
    *,
    case_ids: Sequence[int],
    action: str,
    actor: AbstractBaseUser,
    assignee: AbstractBaseUser | None = None,
    label: str = "",
) -> BulkResult:
    """Apply one action to each checked case, each in its own transaction: a case
    the actor may not touch is reported, and the others still change."""
    if action not in BULK_ACTIONS:
        raise invalid("invalid_action", _("Unknown action."))
    ids = list(dict.fromkeys(int(i) for i in case_ids))[:BULK_LIMIT]
    label = (label or "").strip()
    if action == BULK_LABEL and not label:
        raise invalid("label_required", _("Name the label to add."))
    result = BulkResult()
    for case_id in ids:
        try:
            if action == BULK_ASSIGN:
                case_assign(case_id=case_id, assignee=assignee, actor=actor)
            elif action == BULK_LABEL:
                case = case_get_for_user(user=actor, case_id=case_id)
                names = [lab.name for lab in case.labels.all()]
                case_set_labels(case_id=case_id, labels=[*names, label], actor=actor)
            elif action == BULK_RESOLVE:
                case_set_status(
                    case_id=case_id, status=CaseStatus.RESOLVED, actor=actor
                )
            elif action == BULK_SPAM:
                case_set_status(
                    case_id=case_id,
                    status=CaseStatus.CLOSED,
                    reason=CloseReason.SPAM,
                    actor=actor,
                )
        except DomainError as exc:
            result.refused.append((case_id, exc.message))
        else:
            result.done.append(case_id)
    return result


# --- Analysis ------------------------------------------------------------------------


def case_mention_sentiment_correct(
    *, case_id: int, mention_id: int, label: str, actor: AbstractBaseUser
) -> None:
    """A community manager corrects the sentiment of one of the case's mentions
    (the analysis keeps the correction for retraining)."""
    from listening.nlp.services import mention_sentiment_correct

    require_manager(actor)
    case = case_get_for_user(user=actor, case_id=case_id)
    if not CaseMention.objects.filter(case=case, mention_id=mention_id).exists():
        raise not_found("not_found", _("This mention is not part of the case."))
    try:
        mention_sentiment_correct(mention_id=mention_id, label=label, user=actor)
    except ValidationError:
        raise invalid("invalid_sentiment", _("Unknown sentiment.")) from None
    # The case shows the sentiment of its latest mention: follow the correction.
    if case_latest_mention_id(case=case) == mention_id:
        Case.objects.filter(pk=case.pk).update(sentiment_label=label)


__all__ = [
    "BULK_ACTIONS",
    "BulkResult",
    "attachment_line",
    "case_mention_sentiment_correct",
    "cases_bulk_apply",
    "compose_text",
    "coupon_placeholder",
    "reply_compose",
    "reply_compose_draft",
    "survey_placeholder",
]
