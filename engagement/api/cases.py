"""Cases over REST: list (filtered, cursor pages), detail, assign, status, and
writing a reply on a case.
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from common.api import error_responses
from listening.models import Platform, Sentiment

from ..models import (
    PRIORITY_BY_NAME,
    Case,
    CaseStatus,
)
from ..selectors import case_detail, cases_for_api
from ..services import (
    case_assign,
    case_set_status,
    reply_compose,
    reply_create,
    user_by_username,
)
from .base import EngagementAPIView
from .serializers import (
    AssignInput,
    CaseDetailSerializer,
    CaseSerializer,
    ReplyInput,
    ReplySerializer,
    StatusInput,
)


class CaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices)
    assignee = django_filters.CharFilter(
        method="filter_assignee",
        help_text="A username, 'me', or 'none' for unassigned cases.",
    )
    team = django_filters.CharFilter(field_name="team__slug")
    platform = django_filters.ChoiceFilter(choices=Platform.choices)
    priority = django_filters.ChoiceFilter(
        method="filter_priority",
        choices=[(name, name) for name in PRIORITY_BY_NAME],
    )
    sentiment = django_filters.ChoiceFilter(
        field_name="sentiment_label", choices=Sentiment.choices
    )

    class Meta:
        model = Case
        fields = ["status", "assignee", "team", "platform", "priority", "sentiment"]

    def filter_assignee(self, queryset, name, value):
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value == "me":
            return queryset.filter(assignee_id=self.request.user.pk)
        return queryset.filter(assignee__username=value)

    def filter_priority(self, queryset, name, value):
        return queryset.filter(priority=PRIORITY_BY_NAME[value])


class CasePagination(CursorPagination):
    ordering = "-id"
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


@extend_schema_view(
    get=extend_schema(responses={200: CaseSerializer, **error_responses(400, 401)})
)
class CaseList(generics.ListAPIView):
    """Cases in the caller's reach, newest first."""

    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    pagination_class = CasePagination

    def get_queryset(self):
        return cases_for_api(user=self.request.user)


class CaseDetail(EngagementAPIView):
    @extend_schema(responses={200: CaseDetailSerializer, **error_responses(401, 404)})
    def get(self, request, pk: int):
        """One case with its mentions (and their analysis), assignee and replies."""
        case = case_detail(user=request.user, case_id=pk)
        return Response(CaseDetailSerializer(case).data)


class CaseAssign(EngagementAPIView):
    @extend_schema(
        request=AssignInput,
        responses={200: CaseSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        """Assign the case (managers: anyone; ambassadors: take an unassigned case of
        their team, or give back their own). Capacity is enforced."""
        data = self.input(AssignInput)
        username = data.get("assignee") or ""
        assignee = user_by_username(username) if username else None
        case_assign(case_id=pk, assignee=assignee, actor=request.user)
        return Response(CaseSerializer(case_detail(user=request.user, case_id=pk)).data)


class CaseSetStatus(EngagementAPIView):
    @extend_schema(
        request=StatusInput,
        responses={200: CaseSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        """Change the status: new, open, pending (SLA paused), resolved, closed
        (with a reason: spam or irrelevant)."""
        data = self.input(StatusInput)
        case_set_status(
            case_id=pk,
            status=data["status"],
            reason=data.get("reason", ""),
            actor=request.user,
        )
        return Response(CaseSerializer(case_detail(user=request.user, case_id=pk)).data)


class CaseReplies(EngagementAPIView):
    @extend_schema(
        request=ReplyInput,
        responses={201: ReplySerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        """Write a reply, optionally with a coupon code (``campaign``) and/or a
        personal survey link (``survey``) issued for the case's customer and
        appended (all or nothing: a refused reply issues neither; their refusals
        are ``coupon_<code>`` / ``survey_<code>``). It is checked against the policy
        (400 policy_violation with every reason in ``details``), then waits for
        approval (pending_approval) or is queued for delivery (queued)."""
        data = self.input(ReplyInput)
        if data.get("campaign") or data.get("survey"):
            reply = reply_compose(
                case_id=pk,
                text=data["text"],
                mention_id=data.get("mention"),
                campaign_id=data.get("campaign"),
                survey_id=data.get("survey"),
                append_signature=data["append_signature"],
                actor=request.user,
            )
        else:
            reply = reply_create(
                case_id=pk,
                text=data["text"],
                mention_id=data.get("mention"),
                append_signature=data["append_signature"],
                actor=request.user,
            )
        return Response(ReplySerializer(reply).data, status=status.HTTP_201_CREATED)
