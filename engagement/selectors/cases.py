"""Reach (which cases and replies a user may see at all) and one case, joined.

Outside its reach an object "does not exist": the getters raise a 404
``DomainError``. Every queryset here is safe to render row by row: its foreign keys
are joined and its collections prefetched, so a page or a serializer runs a
constant number of queries whatever the number of rows.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import (
    Prefetch,
    Q,
    QuerySet,
)
from django.utils.translation import gettext as _

from ambassadors.models import Role
from ambassadors.selectors import user_role
from common.errors import not_found
from listening.models import Mention

from ..models import (
    Case,
    CaseEvent,
    CaseMention,
    CaseNote,
    Reply,
)
from .people import user_profile
from .sla import with_sla_flags


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Every case the user may see: all for admins and managers; for an ambassador,
    the cases assigned to them and their team's cases; nothing for anyone else."""
    role = user_role(user)
    if role in (Role.ADMIN, Role.MANAGER):
        return Case.objects.all()
    if role == Role.AMBASSADOR:
        profile = user_profile(user)
        reach = Q(assignee_id=user.pk)
        if profile is not None and profile.team_id:
            reach |= Q(team_id=profile.team_id)
        return Case.objects.filter(reach)
    return Case.objects.none()


def mentions_visible_to(user: User) -> QuerySet[Mention]:
    """The mentions the user may read (``settings.LISTENING_MENTION_REACH``): like
    cases. Admins and managers read every mention; an ambassador the mentions of the
    cases they see; anyone else (a shop's token) none."""
    role = user_role(user)
    if role in (Role.ADMIN, Role.MANAGER):
        return Mention.objects.all()
    if role == Role.AMBASSADOR:
        return Mention.objects.filter(
            case_link__case_id__in=cases_visible_to(user).values("id")
        )
    return Mention.objects.none()


def replies_visible_to(user: User) -> QuerySet[Reply]:
    role = user_role(user)
    if role in (Role.ADMIN, Role.MANAGER):
        return Reply.objects.all()
    if role == Role.AMBASSADOR:
        return Reply.objects.filter(case__in=cases_visible_to(user).values("id"))
    return Reply.objects.none()


def cases_joined(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Cases with what every list and page shows joined: team, assignee, author,
    labels."""
    return qs.select_related("team", "assignee", "author").prefetch_related("labels")


def case_get_for_user(*, user: User, case_id: int) -> Case:
    """One case in the user's reach, joined; a 404 ``DomainError`` otherwise."""
    case = cases_joined(cases_visible_to(user)).filter(pk=case_id).first()
    if case is None:
        raise not_found("not_found", _("No such case."))
    return case


def reply_get_for_user(*, user: User, reply_id: int) -> Reply:
    reply = (
        replies_visible_to(user)
        .select_related("case", "author", "reviewed_by", "mention")
        .filter(pk=reply_id)
        .first()
    )
    if reply is None:
        raise not_found("not_found", _("No such reply."))
    return reply


def case_detail(*, user: User, case_id: int) -> Case:
    """A case with everything its page shows, in a constant number of queries:
    ``links`` (each with ``mention`` and its author, oldest first), ``notes``,
    ``events`` (with actors), ``replies`` (with authors and reviewers)."""
    qs = cases_visible_to(user).filter(pk=case_id)
    qs = with_sla_flags(cases_joined(qs)).prefetch_related(
        Prefetch(
            "links",
            queryset=CaseMention.objects.select_related("mention__author")
            .defer("mention__raw")
            .order_by("mention__created_at", "mention_id"),
        ),
        Prefetch("notes", queryset=CaseNote.objects.select_related("author")),
        Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
        Prefetch(
            "replies",
            queryset=Reply.objects.select_related("author", "reviewed_by").order_by(
                "created_at", "id"
            ),
        ),
    )
    case: Case | None = qs.first()
    if case is None:
        raise not_found("not_found", _("No such case."))
    return case


def case_latest_mention_id(*, case: Case) -> int | None:
    return (
        CaseMention.objects.filter(case=case)
        .order_by("-mention__created_at", "-mention_id")
        .values_list("mention_id", flat=True)
        .first()
    )


def case_thread(case: Case) -> list[Mention]:
    """The case's mentions, oldest first, from the prefetch of ``case_detail``."""
    return [link.mention for link in case.links.all()]
