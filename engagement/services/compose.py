"""The composer's reply: the author's text with a coupon code and/or a survey link
issued for this customer and appended, all or nothing; and its live check.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import invalid

from ..models import Reply
from ..selectors import case_get_for_user, case_latest_mention_id
from .access import require_work_case
from .offers import (
    case_coupon_issue,
    case_customer,
    case_survey_link_create,
    coupon_placeholder,
    offers_attach_reply,
    survey_placeholder,
)
from .replies import ReplyDraft, reply_create, reply_draft

# How an attachment reads inside the reply, in the customer's language (not the
# interface's: the customer reads it).
ATTACHMENT_FORMATS = {
    "zh": {"coupon": "优惠码：{code}", "survey": "参与调查：{url}"},
    "en": {"coupon": "Coupon code: {code}", "survey": "Survey: {url}"},
}


def _formats(language: str) -> dict[str, str]:
    return ATTACHMENT_FORMATS.get(
        (language or "zh").split("-")[0], ATTACHMENT_FORMATS["zh"]
    )


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
    actor: User,
    text: str,
    with_coupon: bool = False,
    with_survey: bool = False,
    mention_id: int | None = None,
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
    if mention_id is not None and not case.links.filter(mention_id=mention_id).exists():
        mention_id = None  # not this case's: check against the latest post
    return reply_draft(
        case=case,
        text=compose_text(text, lines),
        author=actor,
        mention_id=mention_id,
    )


@transaction.atomic
def reply_compose(
    *,
    case_id: int,
    actor: User,
    text: str,
    mention_id: int | None = None,
    campaign_id: int | None = None,
    survey_id: int | None = None,
    append_signature: bool = True,
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
    customer = case_customer(case)
    lines: list[str] = []
    code = invitation = None
    if (campaign_id or survey_id) and not customer:
        raise invalid(
            "no_customer",
            _("This case has no known author to give a coupon or a link to."),
        )
    if campaign_id:
        code = case_coupon_issue(
            case=case, campaign_id=campaign_id, actor=actor, mention_id=mention_id
        )
        lines.append(attachment_line("coupon", code.display, language=case.language))
    if survey_id:
        invitation = case_survey_link_create(
            case=case, survey_id=survey_id, actor=actor, mention_id=mention_id
        )
        lines.append(attachment_line("survey", invitation.url, language=case.language))
    reply = reply_create(
        case_id=case.pk,
        text=compose_text(text, lines),
        actor=actor,
        mention_id=mention_id,
        append_signature=append_signature,
    )
    offers_attach_reply(reply=reply, code=code, invitation=invitation)
    return reply
