"""Surveys with their questions: create, list, read, change."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response as ApiResponse

from ambassadors.permissions import AdminManagesManagerReads
from common.api import error_responses
from coupons.models import Campaign
from surveys.errors import ERRORS

from ..models import Question, QuestionKind, Survey
from ..services import (
    SURVEY_FIELDS,
    question_errors,
    survey_create,
    survey_errors,
    survey_update,
)


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
        responses={200: SurveySerializer(many=True), **error_responses(400, 401, 403)}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        responses={
            201: SurveySerializer,
            **error_responses(400, 401, 403, codes=("survey_empty",), table=ERRORS),
        }
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        questions = data.pop("questions", [])
        teams = data.pop("auto_csat_teams", [])
        survey = survey_create(
            **data,
            questions=questions,
            auto_csat_teams=teams,
            created_by=request.user,
        )
        body = self.get_serializer(_surveys().get(id=survey.id)).data
        return ApiResponse(body, status=status.HTTP_201_CREATED)


class SurveyDetail(generics.RetrieveUpdateAPIView):
    serializer_class = SurveySerializer
    permission_classes = [AdminManagesManagerReads]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return _surveys()

    @extend_schema(responses={200: SurveySerializer, **error_responses(401, 403, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        responses={
            200: SurveySerializer,
            **error_responses(
                400, 401, 403, 404, codes=("survey_empty",), table=ERRORS
            ),
        }
    )
    def patch(self, request, *args, **kwargs):
        survey = self.get_object()
        serializer = self.get_serializer(survey, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        teams = data.pop("auto_csat_teams", None)
        survey_update(survey_id=survey.id, auto_csat_teams=teams, **data)
        return ApiResponse(self.get_serializer(_surveys().get(id=survey.id)).data)
