"""The satisfaction survey after a case is resolved: a personal CSAT link for the
case's customer, posted once on the case by its ambassador.

Engagement orchestrates; surveys says which survey follows the case's team, makes
the link and words the message (``surveys.services``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from surveys.models import Invitation, Survey
from surveys.selectors import invitation_for_case
from surveys.services import (
    csat_message,
    survey_for_case_csat,
    survey_invitation_attach_reply,
    survey_invitation_create,
)

from ..models import Case, CaseStatus
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


# Resolved cases the CSAT sweep looks at: older than a hand-off takes
# (HANDOFF_SWEEP_AFTER_SECONDS), younger than this window (a case resolved long ago
# whose link could not be made, e.g. its reply broke the policy, is not retried for
# ever); at most this many per run.
CSAT_SWEEP_WINDOW = dt.timedelta(hours=6)
CSAT_SWEEP_LIMIT = 500


def cases_csat_unsent_ids(*, now: dt.datetime | None = None) -> list[int]:
    """Resolved cases whose CSAT link should have been posted and was not: a CSAT
    survey follows their team, they have an author and an assignee (who posts the
    link), and no link of theirs carries a reply yet."""
    now = now or timezone.now()
    surveys = [
        survey
        for survey in Survey.objects.filter(
            auto_csat=True, status=Survey.Status.OPEN
        ).prefetch_related("auto_csat_teams")
        if survey.is_accepting(now)
    ]
    if not surveys:
        return []
    cases = Case.objects.filter(
        status=CaseStatus.RESOLVED,
        resolved_at__lt=now
        - dt.timedelta(seconds=settings.HANDOFF_SWEEP_AFTER_SECONDS),
        resolved_at__gte=now - CSAT_SWEEP_WINDOW,
        author__isnull=False,
        assignee__isnull=False,
    )
    team_ids: set[int] = set()
    for survey in surveys:
        teams = {team.id for team in survey.auto_csat_teams.all()}
        if not teams:
            break  # a survey for every team: every resolved case
        team_ids |= teams
    else:
        cases = cases.filter(team_id__in=team_ids)
    done = Invitation.objects.filter(case_id__isnull=False, reply__isnull=False)
    return list(
        cases.exclude(id__in=done.values("case_id"))
        .order_by("resolved_at", "id")
        .values_list("id", flat=True)[:CSAT_SWEEP_LIMIT]
    )


def cases_csat_sweep(*, now: dt.datetime | None = None) -> int:
    """Beat: post the CSAT links whose hand-off was lost (the broker restarted
    without its data, or the send failed after the commit); returns how many links
    were posted now. Idempotent: ``case_csat_send`` makes each link and its reply
    once."""
    posted = 0
    for case_id in cases_csat_unsent_ids(now=now):
        invitation = case_csat_send(case_id=case_id)
        if invitation is not None and invitation.reply_id is not None:
            posted += 1
    return posted
