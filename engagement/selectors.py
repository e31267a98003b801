"""Reads of engagement, scoped to what the user may see and already joined.

Every queryset here is safe to render row by row: its foreign keys are joined and
its collections prefetched, so a page or a serializer runs a constant number of
queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassadors.models import Profile, Role
from ambassadors.selectors import user_role
from listening.models import Mention

from .errors import NotFound
from .models import (
    ACTIVE_Q,
    ACTIVE_STATUSES,
    CannedResponse,
    Case,
    CaseEvent,
    CaseMention,
    CaseNote,
    CaseStatus,
    Priority,
    Reply,
    ReplyStatus,
)

# The queue's page: enough to triage without scrolling forever.
QUEUE_PAGE_SIZE = 50
CANNED_SEARCH_LIMIT = 20


def user_profile(user: AbstractBaseUser) -> Profile | None:
    if not user.is_authenticated:
        return None
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


# --- Reach ---------------------------------------------------------------------------


def cases_visible_to(user: AbstractBaseUser) -> QuerySet[Case]:
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


def mentions_visible_to(user: AbstractBaseUser) -> QuerySet[Mention]:
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


def replies_visible_to(user: AbstractBaseUser) -> QuerySet[Reply]:
    role = user_role(user)
    if role in (Role.ADMIN, Role.MANAGER):
        return Reply.objects.all()
    if role == Role.AMBASSADOR:
        return Reply.objects.filter(case__in=cases_visible_to(user).values("id"))
    return Reply.objects.none()


def _joined(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("team", "assignee", "author").prefetch_related("labels")


def with_sla_flags(qs: QuerySet[Case], *, now: dt.datetime | None = None):
    """Annotate ``sla_breached``: a breach already recorded, or a live one (an
    active, unpaused case past a due time it has not met)."""
    now = now or timezone.now()
    live = (
        ACTIVE_Q
        & Q(sla_paused_at__isnull=True)
        & (
            Q(first_responded_at__isnull=True, first_response_due_at__lt=now)
            | Q(resolution_due_at__lt=now)
        )
    )
    breached = Q(first_response_breached=True) | Q(resolution_breached=True) | live
    return qs.annotate(
        sla_breached=ExpressionWrapper(breached, output_field=BooleanField())
    )


def case_get_for_user(*, user: AbstractBaseUser, case_id: int) -> Case:
    """One case in the user's reach, joined; NotFound otherwise."""
    case = _joined(cases_visible_to(user)).filter(pk=case_id).first()
    if case is None:
        raise NotFound("not_found", _("No such case."))
    return case


def reply_get_for_user(*, user: AbstractBaseUser, reply_id: int) -> Reply:
    reply = (
        replies_visible_to(user)
        .select_related("case", "author", "reviewed_by", "mention")
        .filter(pk=reply_id)
        .first()
    )
    if reply is None:
        raise NotFound("not_found", _("No such reply."))
    return reply


# --- The queue -----------------------------------------------------------------------


def cases_queue(
    *,
    user: AbstractBaseUser,
    statuses: list[str] | None = None,
    team_id: int | None = None,
    assignee: str | int | None = None,
    platform: str | None = None,
    priority: int | None = None,
    sentiment: str | None = None,
    label: str | None = None,
    breached: bool | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Case]:
    """The triage queue: most urgent first, then the longest waiting.

    ``statuses`` defaults to the active ones. ``assignee`` is ``"me"``,
    ``"unassigned"``, a user id or a username. Each row carries ``sla_breached``.
    Served by the partial indexes on (team|assignee|-, priority, waiting_since).
    """
    qs = cases_visible_to(user)
    if statuses:
        qs = qs.filter(status__in=statuses)
    else:
        qs = qs.filter(ACTIVE_Q)
    if team_id is not None:
        qs = qs.filter(team_id=team_id)
    if assignee == "me":
        qs = qs.filter(assignee_id=user.pk)
    elif assignee == "unassigned":
        qs = qs.filter(assignee__isnull=True)
    elif isinstance(assignee, int) or (
        isinstance(assignee, str) and (assignee.isascii() and assignee.isdigit())
    ):
        qs = qs.filter(assignee_id=int(assignee))
    elif assignee:
        qs = qs.filter(assignee__username=assignee)
    if platform:
        qs = qs.filter(platform=platform)
    if priority:
        qs = qs.filter(priority=priority)
    if sentiment:
        qs = qs.filter(sentiment_label=sentiment)
    if label:
        qs = qs.filter(labels__name=label)
    qs = with_sla_flags(_joined(qs), now=now)
    if breached is not None:
        qs = qs.filter(sla_breached=breached)
    return qs.order_by("priority", "waiting_since", "id")


def cases_for_api(*, user: AbstractBaseUser) -> QuerySet[Case]:
    """The API's list: everything in reach (any status), joined, with SLA flags."""
    return with_sla_flags(_joined(cases_visible_to(user)))


def queue_counts(*, user: AbstractBaseUser) -> dict[str, int]:
    """Badges for the queue page: mine, my team's unassigned, all active in reach."""
    profile = user_profile(user)
    team_id = profile.team_id if profile else None
    # Active cases only (a few percent of all), through the partial indexes.
    return (
        cases_visible_to(user)
        .filter(ACTIVE_Q)
        .aggregate(
            active=Count("id"),
            mine=Count("id", filter=Q(assignee_id=user.pk)),
            team_waiting=Count("id", filter=Q(team_id=team_id, assignee__isnull=True)),
        )
    )


# --- One case ------------------------------------------------------------------------


def case_detail(*, user: AbstractBaseUser, case_id: int) -> Case:
    """A case with everything its page shows, in a constant number of queries:
    ``links`` (each with ``mention`` and its author, oldest first), ``notes``,
    ``events`` (with actors), ``replies`` (with authors and reviewers)."""
    qs = cases_visible_to(user).filter(pk=case_id)
    qs = with_sla_flags(_joined(qs)).prefetch_related(
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
    case = qs.first()
    if case is None:
        raise NotFound("not_found", _("No such case."))
    return case


def case_latest_mention_id(*, case: Case) -> int | None:
    return (
        CaseMention.objects.filter(case=case)
        .order_by("-mention__created_at", "-mention_id")
        .values_list("mention_id", flat=True)
        .first()
    )


@dataclass(frozen=True, slots=True)
class SlaState:
    state: str  # "none" | "ok" | "paused" | "breached" | "met"
    first_response_due_at: dt.datetime | None
    resolution_due_at: dt.datetime | None
    first_response_breached: bool
    resolution_breached: bool


def case_sla_state(case: Case, *, now: dt.datetime | None = None) -> SlaState:
    """Where a case's SLA stands now (for the case page)."""
    now = now or timezone.now()
    fr_breached = case.first_response_breached or (
        case.is_active
        and case.sla_paused_at is None
        and case.first_responded_at is None
        and case.first_response_due_at is not None
        and case.first_response_due_at < now
    )
    res_breached = case.resolution_breached or (
        case.is_active
        and case.sla_paused_at is None
        and case.resolution_due_at is not None
        and case.resolution_due_at < now
    )
    if case.first_response_due_at is None and case.resolution_due_at is None:
        state = "none"
    elif fr_breached or res_breached:
        state = "breached"
    elif not case.is_active:
        state = "met"
    elif case.sla_paused_at is not None:
        state = "paused"
    else:
        state = "ok"
    return SlaState(
        state,
        case.first_response_due_at,
        case.resolution_due_at,
        fr_breached,
        res_breached,
    )


# --- Replies -------------------------------------------------------------------------


def replies_awaiting_approval(*, user: AbstractBaseUser) -> QuerySet[Reply]:
    """The approval queue, oldest first; empty for those who may not approve."""
    if user_role(user) not in (Role.ADMIN, Role.MANAGER):
        return Reply.objects.none()
    return (
        Reply.objects.filter(status=ReplyStatus.PENDING_APPROVAL)
        .exclude(author_id=user.pk)
        .select_related("case", "author", "mention__author")
        .defer("mention__raw")
        .order_by("created_at", "id")
    )


def replies_failed(*, user: AbstractBaseUser) -> QuerySet[Reply]:
    return (
        replies_visible_to(user)
        .filter(status=ReplyStatus.FAILED)
        .select_related("case", "author")
        .order_by("-updated_at")
    )


# --- Composer ------------------------------------------------------------------------


def canned_responses_search(
    *, query: str = "", language: str | None = None, limit: int = CANNED_SEARCH_LIMIT
) -> list[CannedResponse]:
    """Canned responses for the composer: short-code prefix matches first (``/ref``
    or ``ref``), then title or text matches."""
    query = query.strip().lstrip("/")
    qs = CannedResponse.objects.all()
    if language:
        qs = qs.filter(language__in=[language, language.split("-")[0]])
    if not query:
        return list(qs.order_by("shortcode")[:limit])
    by_code = list(
        qs.filter(shortcode__istartswith=query).order_by("shortcode")[:limit]
    )
    rest = (
        qs.filter(Q(title__icontains=query) | Q(text__icontains=query))
        .exclude(pk__in=[c.pk for c in by_code])
        .order_by("shortcode")[: max(0, limit - len(by_code))]
    )
    return by_code + list(rest)


def canned_response_render(*, canned: CannedResponse, case: Case) -> str:
    """The canned text with ``{name}`` filled in with the case author's name."""
    name = ""
    if case.author is not None:
        name = case.author.screen_name or case.author.name
    return canned.text.replace("{name}", name)


# --- Reports -------------------------------------------------------------------------


def sla_report(
    *,
    since: dt.datetime,
    until: dt.datetime,
    team_id: int | None = None,
) -> list[dict]:
    """Per priority, for cases created in [since, until): how many, how many
    breached their first-response or resolution target, how many still open."""
    qs = Case.objects.filter(created_at__gte=since, created_at__lt=until)
    if team_id is not None:
        qs = qs.filter(team_id=team_id)
    rows = {
        row["priority"]: row
        for row in qs.values("priority").annotate(
            cases=Count("id"),
            first_response_breached=Count("id", filter=Q(first_response_breached=True)),
            resolution_breached=Count("id", filter=Q(resolution_breached=True)),
            open=Count("id", filter=ACTIVE_Q),
            resolved=Count("id", filter=Q(status=CaseStatus.RESOLVED)),
        )
    }
    empty = {
        "cases": 0,
        "first_response_breached": 0,
        "resolution_breached": 0,
        "open": 0,
        "resolved": 0,
    }
    return [
        {
            "priority": p.value,
            "priority_name": p.name.lower(),
            **empty,
            **rows.get(p, {}),
        }
        for p in Priority
    ]


__all__ = [
    "ACTIVE_STATUSES",
    "QUEUE_PAGE_SIZE",
    "SlaState",
    "canned_response_render",
    "canned_responses_search",
    "case_detail",
    "case_get_for_user",
    "case_latest_mention_id",
    "case_sla_state",
    "cases_for_api",
    "cases_queue",
    "cases_visible_to",
    "queue_counts",
    "replies_awaiting_approval",
    "replies_failed",
    "replies_visible_to",
    "reply_get_for_user",
    "sla_report",
    "user_profile",
    "with_sla_flags",
]
