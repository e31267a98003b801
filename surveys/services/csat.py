"""The CSAT survey sent when a case is resolved."""

from __future__ import annotations

from django.utils import timezone

from listening.models import Platform

from ..models import (
    Invitation,
    Survey,
)
from .links import survey_invitation_attach_reply, survey_invitation_create


def csat_message(invitation: Invitation) -> str:
    """The reply that carries a CSAT link: fits a 140-character Weibo reply."""
    if invitation.platform == Platform.TWITTER:
        return f"Thanks for talking to us! How did we do? {invitation.url}"
    return f"感谢您联系我们！请花一分钟评价本次服务：{invitation.url}"


def survey_for_case_csat(*, team_id: int | None) -> Survey | None:
    """The open survey set to follow resolved cases of this team (newest first)."""
    now = timezone.now()
    for survey in (
        Survey.objects.filter(auto_csat=True, status=Survey.Status.OPEN)
        .prefetch_related("auto_csat_teams")
        .order_by("-id")
    ):
        teams = {team.id for team in survey.auto_csat_teams.all()}
        if survey.is_accepting(now) and (not teams or team_id in teams):
            return survey
    return None


def survey_send_csat_for_case(*, case_id: int) -> Invitation | None:
    """After a case is resolved: a personal CSAT link for its customer.

    Returns None when nothing is to be sent (no such case, no author, no CSAT survey
    for the case's team). Idempotent: the same case gets the same link, and the reply
    carrying it (``csat_message``, queued through engagement) is made once.
    """
    from engagement.models import Case

    case = Case.objects.select_related("author").filter(id=case_id).first()
    if case is None or case.author is None:
        return None
    survey = survey_for_case_csat(team_id=case.team_id)
    if survey is None:
        return None
    invitation = Invitation.objects.filter(survey=survey, case_id=case.id).first()
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
        from engagement.services import reply_followup_create

        reply = reply_followup_create(case_id=case.id, text=csat_message(invitation))
        if reply is not None:
            survey_invitation_attach_reply(
                invitation_id=invitation.id, reply_id=reply.pk
            )
            invitation.reply_id = reply.pk
    return invitation
