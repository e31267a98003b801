"""Surveys for integrations: surveys with their questions, links, responses, results.

Errors answer ``{"code", "message"}`` (see coupons.api for the documented codes).
"""

from __future__ import annotations

import django_filters
from django.db import transaction
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from coupons.api import ErrorSerializer
from coupons.api import errors as generic_errors
from coupons.models import Campaign
from coupons.permissions import AdminManagesManagerReads
from dellsocial.api import ApiError
from listening.models import Platform

from .errors import ERRORS, SurveyError
from .models import Invitation, Question, QuestionKind, Response, Survey
from .selectors import responses_list, survey_results
from .services import (
    SURVEY_FIELDS,
    question_errors,
    survey_create,
    survey_errors,
    survey_invitation_create,
    survey_link_create,
    survey_update,
)


def api_error(error: SurveyError) -> ApiError:
    return ApiError(error.code, error.message, http_status=error.status)


def errors(*statuses: int, codes: tuple[str, ...] = ()) -> dict:
    responses = generic_errors(*statuses)
    described: dict[int, list[str]] = {}
    for code in codes:
        http_status, message = ERRORS[code]
        described.setdefault(http_status, []).append(f"`{code}`: {message}")
    for http_status, lines in described.items():
        previous = responses.get(http_status)
        text = "<br>".join(
            ([previous.description] if previous is not None else []) + lines
        )
        responses[http_status] = OpenApiResponse(ErrorSerializer, description=text)
    return dict(sorted(responses.items()))


class ChoiceSerializer(serializers.Serializer):
    zh = serializers.CharField(max_length=200, allow_blank=True, default="")
    en = serializers.CharField(max_length=200, allow_blank=True, default="")


class QuestionSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    choices = ChoiceSerializer(many=True, required=False)

    class Meta:
        model = Question
        fields = ["id", "position", "kind", "text_zh", "text_en", "required", "choices"]
        read_only_fields = ["id", "position"]

    def validate(self, attrs):
        problems = question_errors(attrs)
        if problems:
            raise serializers.ValidationError(problems)
        return attrs


class SurveySerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, required=False)
    reward_campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(), allow_null=True, required=False
    )
    responses_total = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = [
            "id",
            *SURVEY_FIELDS,
            "auto_csat_teams",
            "questions",
            "created_at",
            "responses_total",
        ]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"auto_csat_teams": {"required": False}}

    def get_responses_total(self, survey: Survey) -> int:
        return survey.responses.count()

    def validate(self, attrs):
        data = {}
        if self.instance is not None:
            data = {f: getattr(self.instance, f) for f in SURVEY_FIELDS}
            if "questions" in attrs:
                raise serializers.ValidationError(
                    {"questions": "Questions change through the builder page."}
                )
        data.update(attrs)
        problems = survey_errors(data)
        if problems:
            raise serializers.ValidationError(problems)
        return attrs


class SurveyFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Survey.Status.choices)
    auto_csat = django_filters.BooleanFilter()

    class Meta:
        model = Survey
        fields = ["status", "auto_csat"]


def _surveys():
    return Survey.objects.prefetch_related("questions", "auto_csat_teams").order_by(
        "-id"
    )


class SurveyListCreate(generics.ListCreateAPIView):
    """Surveys with their questions. Admins create (questions included)."""

    serializer_class = SurveySerializer
    permission_classes = [AdminManagesManagerReads]
    filterset_class = SurveyFilter

    def get_queryset(self):
        return _surveys()

    @extend_schema(
        responses={200: SurveySerializer(many=True), **errors(400, 401, 403)}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        responses={
            201: SurveySerializer,
            **errors(400, 401, 403, codes=("survey_empty",)),
        }
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        questions = data.pop("questions", [])
        teams = data.pop("auto_csat_teams", [])
        try:
            survey = survey_create(
                **data,
                questions=questions,
                auto_csat_teams=teams,
                created_by=request.user,
            )
        except SurveyError as error:
            raise api_error(error) from None
        body = self.get_serializer(_surveys().get(id=survey.id)).data
        return ApiResponse(body, status=status.HTTP_201_CREATED)


class SurveyDetail(generics.RetrieveUpdateAPIView):
    serializer_class = SurveySerializer
    permission_classes = [AdminManagesManagerReads]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return _surveys()

    @extend_schema(responses={200: SurveySerializer, **errors(401, 403, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        responses={
            200: SurveySerializer,
            **errors(400, 401, 403, 404, codes=("survey_empty",)),
        }
    )
    def patch(self, request, *args, **kwargs):
        survey = self.get_object()
        serializer = self.get_serializer(survey, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        teams = data.pop("auto_csat_teams", None)
        try:
            survey_update(survey_id=survey.id, auto_csat_teams=teams, **data)
        except SurveyError as error:
            raise api_error(error) from None
        return ApiResponse(self.get_serializer(_surveys().get(id=survey.id)).data)


class InvitationSerializer(serializers.ModelSerializer):
    url = serializers.CharField(read_only=True)
    ambassador = serializers.CharField(
        source="ambassador.username", read_only=True, default=None
    )

    class Meta:
        model = Invitation
        fields = [
            "id",
            "token",
            "url",
            "kind",
            "survey",
            "platform",
            "platform_user_id",
            "case",
            "reply",
            "mention",
            "ambassador",
            "created_at",
            "expires_at",
            "used_at",
        ]
        read_only_fields = fields


class InvitationCreateSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    platform_user_id = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text="Given: a personal single-use link for this customer. Empty: the "
        "survey's general link for the platform.",
    )
    case_id = serializers.IntegerField(required=False, allow_null=True)


class SurveyInvitations(generics.ListAPIView):
    """A survey's links (GET), or a new one (POST)."""

    serializer_class = InvitationSerializer
    permission_classes = [AdminManagesManagerReads]
    filterset_fields = ["kind", "platform"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Invitation.objects.none()
        return Invitation.objects.filter(survey_id=self.kwargs["pk"]).order_by("-id")

    @extend_schema(
        responses={200: InvitationSerializer(many=True), **errors(400, 401, 403)}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=InvitationCreateSerializer,
        responses={
            201: InvitationSerializer,
            **errors(
                400,
                401,
                403,
                codes=(
                    "survey_not_found",
                    "survey_closed",
                    "invalid_platform",
                    "case_not_found",
                ),
            ),
        },
    )
    def post(self, request, pk: int):
        body = InvitationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            with transaction.atomic():
                if data["platform_user_id"]:
                    invitation = survey_invitation_create(
                        survey_id=pk,
                        platform=data["platform"],
                        platform_user_id=data["platform_user_id"],
                        case_id=data.get("case_id"),
                        ambassador=request.user,
                    )
                else:
                    invitation = survey_link_create(
                        survey_id=pk, platform=data["platform"]
                    )
        except SurveyError as error:
            raise api_error(error) from None
        return ApiResponse(
            InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED
        )


class AnswerOutSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question_id")
    choice_indexes = serializers.ListField(child=serializers.IntegerField())
    number = serializers.IntegerField(allow_null=True)
    text = serializers.CharField()
    keywords = serializers.ListField(child=serializers.CharField())
    sentiment = serializers.FloatField(allow_null=True)


class ResponseSerializer(serializers.ModelSerializer):
    answers = AnswerOutSerializer(many=True, read_only=True)
    ambassador = serializers.CharField(
        source="ambassador.username", read_only=True, default=None
    )
    reward_code = serializers.CharField(
        source="reward_code.display", read_only=True, default=None
    )

    class Meta:
        model = Response
        fields = [
            "id",
            "survey",
            "invitation",
            "platform",
            "platform_user_id",
            "case",
            "ambassador",
            "language",
            "submitted_at",
            "nps_score",
            "csat_score",
            "reward_code",
            "answers",
        ]
        read_only_fields = fields


class ResponseFilter(django_filters.FilterSet):
    survey = django_filters.NumberFilter(field_name="survey_id")
    platform = django_filters.ChoiceFilter(choices=Platform.choices)
    case_id = django_filters.NumberFilter()
    ambassador = django_filters.NumberFilter(field_name="ambassador_id")
    since = django_filters.IsoDateTimeFilter(
        field_name="submitted_at", lookup_expr="gte"
    )
    until = django_filters.IsoDateTimeFilter(
        field_name="submitted_at", lookup_expr="lt"
    )

    class Meta:
        model = Response
        fields = ["survey", "platform", "case_id", "ambassador"]


class ResponseList(generics.ListAPIView):
    """Responses with their answers, newest first; each linked to its case and
    ambassador."""

    serializer_class = ResponseSerializer
    permission_classes = [AdminManagesManagerReads]
    filterset_class = ResponseFilter

    def get_queryset(self):
        return responses_list()

    @extend_schema(
        responses={200: ResponseSerializer(many=True), **errors(400, 401, 403)}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ScoresSerializer(serializers.Serializer):
    responses = serializers.IntegerField()
    nps = serializers.IntegerField(allow_null=True)
    promoters = serializers.IntegerField()
    passives = serializers.IntegerField()
    detractors = serializers.IntegerField()
    csat = serializers.IntegerField(allow_null=True, help_text="Percent of 4–5.")


class PlatformScoresSerializer(ScoresSerializer):
    platform = serializers.CharField()


class DayScoresSerializer(ScoresSerializer):
    day = serializers.DateField()


class QuestionResultSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    kind = serializers.CharField()
    answered = serializers.IntegerField()
    distribution = serializers.ListField(child=serializers.DictField())
    keywords = serializers.ListField(child=serializers.DictField())
    sentiments = serializers.DictField(child=serializers.IntegerField())


class ResultsSerializer(serializers.Serializer):
    total = ScoresSerializer()
    by_platform = PlatformScoresSerializer(many=True)
    by_day = DayScoresSerializer(many=True)
    questions = QuestionResultSerializer(many=True)


def _scores(scores) -> dict:
    return {
        "responses": scores.responses,
        "nps": scores.nps,
        "promoters": scores.promoters,
        "passives": scores.passives,
        "detractors": scores.detractors,
        "csat": scores.csat,
    }


class SurveyResultsView(APIView):
    """NPS, CSAT, per-question distributions and recurring keywords."""

    permission_classes = [AdminManagesManagerReads]

    @extend_schema(responses={200: ResultsSerializer, **errors(401, 403, 404)})
    def get(self, request, pk: int):
        platform = request.query_params.get("platform", "")
        if platform and platform not in Platform.values:
            raise ApiError("invalid", "Unknown platform.", http_status=400)
        results = survey_results(survey_id=pk, platform=platform)
        if results is None:
            raise api_error(SurveyError("survey_not_found"))
        return ApiResponse(
            {
                "total": _scores(results.total),
                "by_platform": [
                    {"platform": key, **_scores(s)}
                    for key, _l, s in results.by_platform
                ],
                "by_day": [{"day": day, **_scores(s)} for day, s in results.by_day],
                "questions": [
                    {
                        "question": item.question.id,
                        "kind": item.question.kind,
                        "answered": item.answered,
                        "distribution": [
                            {"label": label, "count": count}
                            for label, count in item.distribution
                        ],
                        "keywords": [
                            {"word": word, "count": count}
                            for word, count in item.keywords
                        ],
                        "sentiments": item.sentiments,
                    }
                    for item in results.questions
                ],
            }
        )


api_urlpatterns = [
    path("surveys/", SurveyListCreate.as_view(), name="api-surveys"),
    path("surveys/responses/", ResponseList.as_view(), name="api-survey-responses"),
    path("surveys/<int:pk>/", SurveyDetail.as_view(), name="api-survey"),
    path(
        "surveys/<int:pk>/invitations/",
        SurveyInvitations.as_view(),
        name="api-survey-invitations",
    ),
    path(
        "surveys/<int:pk>/results/",
        SurveyResultsView.as_view(),
        name="api-survey-results",
    ),
]
