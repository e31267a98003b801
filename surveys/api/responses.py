"""Responses with their answers, and the results (NPS, CSAT, per question)."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from ambassadors.permissions import AdminManagesManagerReads
from common.api import error_responses
from common.errors import BAD_REQUEST, DomainError
from common.scopes import SURVEYS_READ
from listening.models import Platform

from ..errors import survey_error
from ..models import Response
from ..selectors import responses_list, survey_results


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
        source="ambassador.username", read_only=True, default=None, allow_null=True
    )
    reward_code = serializers.CharField(
        source="reward_code.display", read_only=True, default=None, allow_null=True
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

    required_scope = SURVEYS_READ

    serializer_class = ResponseSerializer
    permission_classes = [AdminManagesManagerReads]
    filterset_class = ResponseFilter

    def get_queryset(self):
        return responses_list()

    @extend_schema(
        responses={200: ResponseSerializer(many=True), **error_responses(400, 401, 403)}
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

    required_scope = SURVEYS_READ

    permission_classes = [AdminManagesManagerReads]

    @extend_schema(responses={200: ResultsSerializer, **error_responses(401, 403, 404)})
    def get(self, request, pk: int):
        platform = request.query_params.get("platform", "")
        if platform and platform not in Platform.values:
            raise DomainError("invalid", "Unknown platform.", BAD_REQUEST)
        results = survey_results(survey_id=pk, platform=platform)
        if results is None:
            raise survey_error("survey_not_found")
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
