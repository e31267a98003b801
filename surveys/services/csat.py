"""The CSAT survey sent when a case is resolved: which survey, and the message that
carries its link. Engagement orchestrates the sending (``engagement.services.csat``);
surveys knows nothing of cases beyond their id."""

from __future__ import annotations

from django.utils import timezone

from listening.models import Platform

from ..models import (
    Invitation,
    Survey,
)


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
