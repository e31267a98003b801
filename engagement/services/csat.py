"""The satisfaction survey after a case is resolved: a personal CSAT link for the
case's customer, posted once on the case by its ambassador.

Engagement orchestrates; surveys says which survey follows the case's team, makes
the link and words the message (``surveys.services``).
"""

from __future__ import annotations

from surveys.models import Invitation
from surveys.selectors import invitation_for_case
from surveys.services import (
    csat_message,
    survey_for_case_csat,
    survey_invitation_attach_reply,
    survey_invitation_create,
)

from ..models import Case
from .replies import reply_followup_create


def case_csat_send(*, case_id: int) -> Invitation | None:
    """After a case is resolved: a personal CSAT link for its customer.

    Returns None when nothing is to be sent (no such case, no author, no CSAT survey
    for the case's team). Idempotent: the same case gets the same link, and the reply
    carrying it (``csat_message``, a follow-up from the case's assignee) is made once.
    """
    case = Case.objects.select_related("author").filter(id=case_id).first()
    if case is None or case.author is None:
        return None
    survey = survey_for_case_csat(team_id=case.team_id)
    if survey is None:
        return None
    invitation = invitation_for_case(survey_id=survey.id, case_id=case.id)
    if invitation is None:
        invitation = survey_invitation_create(
            survey_id=survey.id,
            platform=case.platform,
            platform_user_id=case.author.external_id,
            case_id=case.id,
            ambassador=case.assignee,
        )
    if invitation.reply_id is None:
        # Posted on the case by its ambassador; sent once (the reply is recorded).
        reply = reply_followup_create(case_id=case.id, text=csat_message(invitation))
        if reply is not None:
            survey_invitation_attach_reply(
                invitation_id=invitation.id, reply_id=reply.pk
            )
            invitation.reply_id = reply.pk
    return invitation
