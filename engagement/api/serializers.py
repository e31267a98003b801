"""The engagement API's representations (cases, mentions, replies) and its inputs."""

from __future__ import annotations

from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers

from listening.models import Author, Mention

from ..models import (
    MANUAL_CLOSE_REASONS,
    PRIORITY_NAMES,
    Case,
    CaseStatus,
    Reply,
)


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
            "first_posted_at",
            "waiting_since",
            "last_mention_at",
            "assigned_at",
            "first_responded_at",
            "resolved_at",
            "closed_at",
            "sla",
        ]
        extra_kwargs = {
            "first_posted_at": {
                "help_text": "When the customer first posted (the earliest mention's "
                "own time, at most the case's creation): the SLA clock starts here."
            },
            "waiting_since": {
                "help_text": "Since when the customer has been waiting: the time they "
                "posted (not when the case was made), or their last message after "
                "we answered."
            },
        }

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
    override = serializers.BooleanField(
        default=False,
        help_text="Managers: assign even when the person is at their open-case "
        "limit (recorded in the case history). Without it such an assignment "
        "answers 409 with the person's load and limit in details.",
    )


class StatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    reason = serializers.ChoiceField(
        choices=[(r.value, r.label) for r in MANUAL_CLOSE_REASONS],
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
    campaign = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="A coupon campaign: a code is issued to the case's customer and "
        "appended to the text.",
    )
    survey = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="A survey: a personal link is made for the case's customer and "
        "appended to the text.",
    )


class ApproveInput(serializers.Serializer):
    text = serializers.CharField(
        required=False, max_length=5000, help_text="An edited text to post instead."
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        help_text="A note for the reply's author (sent with their notification).",
    )


class RejectInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
