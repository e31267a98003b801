"""Cases and replies over REST (token authentication), with the caller's role and
reach: outside reach an object is 404, inside it a forbidden action is 403. Every
error is ``{"code", "message"}`` (plus ``details`` for policy violations)."""

from __future__ import annotations

import django_filters
from django.urls import path
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import error_responses
from listening.models import Author, Mention, Platform, Sentiment

from .models import (
    PRIORITY_BY_NAME,
    PRIORITY_NAMES,
    Case,
    CaseStatus,
    CloseReason,
    Reply,
)
from .selectors import case_detail, cases_for_api, reply_get_for_user
from .services import (
    case_assign,
    case_set_status,
    reply_approve,
    reply_create,
    reply_reject,
    reply_retry,
    user_by_username,
)

# --- Serializers ---------------------------------------------------------------------


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class TeamRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class CaseAuthorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Author
        fields = ["external_id", "screen_name", "name", "followers_count", "verified"]


class CaseMentionSerializer(serializers.ModelSerializer):
    author = CaseAuthorSerializer(read_only=True)

    class Meta:
        model = Mention
        fields = [
            "id",
            "platform",
            "external_id",
            "author",
            "text",
            "language",
            "created_at",
            "in_reply_to_external_id",
            "thread_external_id",
            "sentiment",
            "sentiment_label",
            "sarcasm",
            "intent",
            "brands",
            "products",
            "keywords",
            "priority",
            "analyzed_at",
        ]


class SlaSerializer(serializers.Serializer):
    first_response_due_at = serializers.DateTimeField(allow_null=True)
    resolution_due_at = serializers.DateTimeField(allow_null=True)
    paused = serializers.BooleanField()
    breached = serializers.BooleanField()


class CaseSerializer(serializers.ModelSerializer):
    priority = serializers.SerializerMethodField()
    team = serializers.SerializerMethodField()
    assignee = serializers.SerializerMethodField()
    author = CaseAuthorSerializer(read_only=True)
    labels = serializers.SerializerMethodField()
    sentiment = serializers.CharField(source="sentiment_label")
    sla = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "platform",
            "status",
            "close_reason",
            "priority",
            "priority_score",
            "team",
            "assignee",
            "labels",
            "author",
            "language",
            "sentiment",
            "intent",
            "influencer",
            "escalated",
            "summary",
            "mention_count",
            "created_at",
            "waiting_since",
            "last_mention_at",
            "assigned_at",
            "first_responded_at",
            "resolved_at",
            "closed_at",
            "sla",
        ]

    def get_priority(self, case: Case) -> str:
        return PRIORITY_NAMES[case.priority]

    @staticmethod
    def _user(user) -> dict | None:
        return {"id": user.pk, "username": user.get_username()} if user else None

    @extend_schema_field(UserRefSerializer(allow_null=True))
    def get_assignee(self, case: Case) -> dict | None:
        return self._user(case.assignee)

    @extend_schema_field(TeamRefSerializer(allow_null=True))
    def get_team(self, case: Case) -> dict | None:
        team = case.team
        return {"id": team.pk, "slug": team.slug, "name": team.name} if team else None

    def get_labels(self, case: Case) -> list[str]:
        return [label.name for label in case.labels.all()]

    @extend_schema_field(SlaSerializer())
    def get_sla(self, case: Case) -> dict:
        return {
            "first_response_due_at": case.first_response_due_at,
            "resolution_due_at": case.resolution_due_at,
            "paused": case.sla_paused_at is not None,
            "breached": bool(getattr(case, "sla_breached", False)),
        }


class ReplyBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reply
        fields = ["id", "status", "created_at", "sent_at", "external_id"]


class CaseDetailSerializer(CaseSerializer):
    mentions = serializers.SerializerMethodField()
    replies = ReplyBriefSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "mentions", "replies"]

    @extend_schema_field(CaseMentionSerializer(many=True))
    def get_mentions(self, case: Case) -> list[dict]:
        return CaseMentionSerializer(
            [link.mention for link in case.links.all()], many=True
        ).data


class ReplySerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="case_id", read_only=True)
    mention = serializers.IntegerField(source="mention_id", read_only=True)
    author = serializers.SerializerMethodField()
    reviewed_by = serializers.SerializerMethodField()

    class Meta:
        model = Reply
        fields = [
            "id",
            "case",
            "mention",
            "author",
            "platform",
            "from_handle",
            "text",
            "original_text",
            "status",
            "approval_reason",
            "reviewed_by",
            "reviewed_at",
            "reject_reason",
            "external_id",
            "error",
            "error_code",
            "attempts",
            "created_at",
            "queued_at",
            "sent_at",
        ]

    @extend_schema_field(UserRefSerializer(allow_null=True))
    def get_author(self, reply: Reply) -> dict | None:
        return CaseSerializer._user(reply.author)

    @extend_schema_field(UserRefSerializer(allow_null=True))
    def get_reviewed_by(self, reply: Reply) -> dict | None:
        return CaseSerializer._user(reply.reviewed_by)


class AssignInput(serializers.Serializer):
    assignee = serializers.CharField(
        allow_null=True,
        allow_blank=True,
        help_text="Username of the new assignee; null or '' gives the case back to "
        "its team's queue.",
    )


class StatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    reason = serializers.ChoiceField(
        choices=CloseReason.choices,
        required=False,
        allow_blank=True,
        help_text="Required when closing: spam or irrelevant.",
    )


class ReplyInput(serializers.Serializer):
    text = serializers.CharField(max_length=5000, trim_whitespace=True)
    mention = serializers.IntegerField(
        required=False, help_text="The mention answered; default the newest."
    )
    append_signature = serializers.BooleanField(
        default=True, help_text="Append the author's disclosure signature."
    )


class ApproveInput(serializers.Serializer):
    text = serializers.CharField(
        required=False, max_length=5000, help_text="An edited text to post instead."
    )


class RejectInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


# --- Views ---------------------------------------------------------------------------


class EngagementAPIView(APIView):
    """Input validation shared by the engagement endpoints; domain refusals
    propagate to ``common.api.exception_handler``."""

    def input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


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
        """Write a reply. It is checked against the policy (400 policy_violation
        with every reason in ``details``), then waits for approval
        (pending_approval) or is queued for delivery (queued)."""
        data = self.input(ReplyInput)
        reply = reply_create(
            case_id=pk,
            text=data["text"],
            mention_id=data.get("mention"),
            append_signature=data["append_signature"],
            actor=request.user,
        )
        return Response(ReplySerializer(reply).data, status=status.HTTP_201_CREATED)


class ReplyDetail(EngagementAPIView):
    @extend_schema(responses={200: ReplySerializer, **error_responses(401, 404)})
    def get(self, request, pk: int):
        """A reply: its status, the platform's id once sent, the error if failed."""
        reply = reply_get_for_user(user=request.user, reply_id=pk)
        return Response(ReplySerializer(reply).data)


class ReplyApprove(EngagementAPIView):
    @extend_schema(
        request=ApproveInput,
        responses={200: ReplySerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        """Approve a reply waiting for approval, optionally edited (managers; never
        one's own reply)."""
        data = self.input(ApproveInput)
        reply = reply_approve(reply_id=pk, text=data.get("text"), actor=request.user)
        return Response(ReplySerializer(reply).data)


class ReplyReject(EngagementAPIView):
    @extend_schema(
        request=RejectInput,
        responses={200: ReplySerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        """Reject a reply waiting for approval, with a reason (managers)."""
        data = self.input(RejectInput)
        reply = reply_reject(reply_id=pk, reason=data["reason"], actor=request.user)
        return Response(ReplySerializer(reply).data)


class ReplyRetry(EngagementAPIView):
    @extend_schema(
        request=None,
        responses={200: ReplySerializer, **error_responses(401, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        """Queue a failed reply again (it is looked up on the platform before being
        posted, so it is never posted twice)."""
        reply = reply_retry(reply_id=pk, actor=request.user)
        return Response(ReplySerializer(reply).data)


api_urlpatterns = [
    path("cases/", CaseList.as_view(), name="api-case-list"),
    path("cases/<int:pk>/", CaseDetail.as_view(), name="api-case-detail"),
    path("cases/<int:pk>/assign/", CaseAssign.as_view(), name="api-case-assign"),
    path("cases/<int:pk>/status/", CaseSetStatus.as_view(), name="api-case-status"),
    path("cases/<int:pk>/replies/", CaseReplies.as_view(), name="api-case-replies"),
    path("replies/<int:pk>/", ReplyDetail.as_view(), name="api-reply-detail"),
    path("replies/<int:pk>/approve/", ReplyApprove.as_view(), name="api-reply-approve"),
    path("replies/<int:pk>/reject/", ReplyReject.as_view(), name="api-reply-reject"),
    path("replies/<int:pk>/retry/", ReplyRetry.as_view(), name="api-reply-retry"),
]
