"""Reads of surveys: what the composer may send, and the results (NPS, CSAT, per
question, by platform, over time, recurring ideas)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from listening.models import Platform

from .analysis import sentiment_label, text_analyze
from .models import (
    CHOICE_KINDS,
    NUMBER_KINDS,
    TEXT_KINDS,
    Answer,
    Invitation,
    Question,
    Response,
    Survey,
)

# Text answers shown per question on the results page (the CSV has them all).
TEXT_ANSWERS_SHOWN = 100
# Answers not yet analysed by the worker are analysed for the page, up to this many.
LIVE_ANALYSIS_LIMIT = 200
TOP_KEYWORDS = 20


def surveys_available_for_platform(
    *, platform: str, at: dt.datetime | None = None
) -> list[Survey]:
    """Open surveys whose link an ambassador may put in a reply on ``platform``."""
    at = at or timezone.now()
    return [
        survey
        for survey in Survey.objects.filter(status=Survey.Status.OPEN).order_by("-id")
        if survey.is_accepting(at)
    ]


def survey_list() -> QuerySet[Survey]:
    return Survey.objects.annotate(
        responses_total=Count("responses", distinct=True),
        questions_total=Count("questions", distinct=True),
    ).order_by("-created_at", "-id")


def survey_get(*, survey_id: int) -> Survey | None:
    return (
        Survey.objects.filter(id=survey_id)
        .select_related("reward_campaign")
        .prefetch_related("questions", "auto_csat_teams")
        .first()
    )


def invitation_for_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("survey").filter(token=token).first()


def invitation_for_case(*, survey_id: int, case_id: int) -> Invitation | None:
    """The link of this survey already made for this case, if any."""
    return Invitation.objects.filter(survey_id=survey_id, case_id=case_id).first()


def survey_links(*, survey_id: int) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(survey_id=survey_id, kind=Invitation.Kind.GENERAL)
        .annotate(responses_total=Count("responses"))
        .order_by("platform")
    )


def responses_list(*, survey_id: int | None = None) -> QuerySet[Response]:
    qs = Response.objects.select_related(
        "ambassador", "reward_code", "invitation"
    ).prefetch_related("answers")
    if survey_id is not None:
        qs = qs.filter(survey_id=survey_id)
    return qs.order_by("-submitted_at", "-id")


# --- scores ------------------------------------------------------------------------


@dataclass
class Scores:
    responses: int = 0
    nps_answers: int = 0
    promoters: int = 0
    detractors: int = 0
    csat_answers: int = 0
    satisfied: int = 0

    @property
    def passives(self) -> int:
        return self.nps_answers - self.promoters - self.detractors

    @property
    def nps(self) -> int | None:
        """Promoters (9–10) minus detractors (0–6), in points of percentage."""
        if not self.nps_answers:
            return None
        return round(100 * (self.promoters - self.detractors) / self.nps_answers)

    @property
    def csat(self) -> int | None:
        """Share of 4–5 among the 1–5 ratings, in percent."""
        if not self.csat_answers:
            return None
        return round(100 * self.satisfied / self.csat_answers)


_SCORE_AGGREGATES = {
    "responses": Count("id"),
    "nps_answers": Count("nps_score"),
    "promoters": Count("id", filter=Q(nps_score__gte=9)),
    "detractors": Count("id", filter=Q(nps_score__lte=6)),
    "csat_answers": Count("csat_score"),
    "satisfied": Count("id", filter=Q(csat_score__gte=4)),
}


def _scores(row: Mapping[str, object]) -> Scores:
    """The counts of an aggregate row (None for an empty group: 0)."""
    counts = {key: row[key] for key in _SCORE_AGGREGATES}
    return Scores(**{k: v if isinstance(v, int) else 0 for k, v in counts.items()})


def scores_by(
    *,
    since: dt.datetime,
    until: dt.datetime,
    key: str | None,
    response_filter: Q | None = None,
) -> dict[object, Scores]:
    """NPS and CSAT of the responses submitted in [since, until), grouped by one
    column of Response (``"platform"``, ``"ambassador_id"``, ``"case__team_id"``...);
    ``key`` None: all of them, under the key None."""
    qs = Response.objects.filter(submitted_at__gte=since, submitted_at__lt=until)
    if response_filter is not None:
        qs = qs.filter(response_filter)
    if key is None:
        return {None: _scores(qs.aggregate(**_SCORE_AGGREGATES))}
    rows = qs.values(key).annotate(**_SCORE_AGGREGATES).order_by()
    return {row[key]: _scores(row) for row in rows}


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    # (label, count) per choice or per score.
    distribution: list[tuple[str, int]] = field(default_factory=list)
    texts: list[Answer] = field(default_factory=list)
    keywords: list[tuple[str, int]] = field(default_factory=list)
    sentiments: dict[str, int] = field(default_factory=dict)


@dataclass
class SurveyResults:
    survey: Survey
    total: Scores
    by_platform: list[tuple[str, str, Scores]]
    by_day: list[tuple[str, Scores]]
    questions: list[QuestionResult]


def survey_results(
    *, survey_id: int, platform: str = "", language: str = "zh-hans"
) -> SurveyResults | None:
    survey = survey_get(survey_id=survey_id)
    if survey is None:
        return None
    responses = Response.objects.filter(survey=survey).order_by()
    if platform:
        responses = responses.filter(platform=platform)
    total = _scores(responses.aggregate(**_SCORE_AGGREGATES))
    labels = dict(Platform.choices)
    by_platform = [
        (row["platform"], str(labels.get(row["platform"], "–")), _scores(row))
        for row in responses.values("platform")
        .annotate(**_SCORE_AGGREGATES)
        .order_by("platform")
    ]
    by_day = [
        (row["day"].isoformat(), _scores(row))
        for row in responses.annotate(
            day=TruncDate("submitted_at", tzinfo=timezone.get_current_timezone())
        )
        .values("day")
        .annotate(**_SCORE_AGGREGATES)
        .order_by("day")
    ]
    answers = Answer.objects.filter(response__in=responses).order_by()
    results = [
        _question_result(question, answers.filter(question=question), language)
        for question in survey.questions.all()
    ]
    return SurveyResults(
        survey=survey,
        total=total,
        by_platform=by_platform,
        by_day=by_day,
        questions=results,
    )


def _question_result(
    question: Question, answers: QuerySet[Answer], language: str
) -> QuestionResult:
    result = QuestionResult(question=question)
    if question.kind in CHOICE_KINDS:
        counts: Counter[int] = Counter()
        for indexes in answers.values_list("choice_indexes", flat=True):
            result.answered += 1
            counts.update(indexes or [])
        result.distribution = [
            (label, counts[index])
            for index, label in enumerate(question.choice_labels(language))
        ]
    elif question.kind in NUMBER_KINDS:
        counts = Counter(
            dict(answers.values_list("number").annotate(n=Count("id")).order_by())
        )
        result.answered = sum(counts.values())
        result.distribution = [(str(score), counts[score]) for score in question.scale]
    elif question.kind in TEXT_KINDS:
        _text_result(result, answers)
    return result


def _text_result(result: QuestionResult, answers: QuerySet[Answer]) -> None:
    result.answered = answers.count()
    result.texts = list(
        answers.select_related("response", "response__ambassador").order_by(
            "-response__submitted_at", "-id"
        )[:TEXT_ANSWERS_SHOWN]
    )
    keywords: Counter[str] = Counter()
    sentiments: Counter[str] = Counter()
    analysed = answers.filter(analyzed_at__isnull=False).values_list(
        "keywords", "sentiment"
    )
    for words, score in analysed.iterator():
        keywords.update(set(words or []))
        sentiments[sentiment_label(score) or "neutral"] += 1
    pending = answers.filter(analyzed_at__isnull=True).values_list("text", flat=True)
    for text in pending[:LIVE_ANALYSIS_LIMIT]:
        analysis = text_analyze(text)
        keywords.update(set(analysis.keywords))
        sentiments[analysis.label or "neutral"] += 1
    result.keywords = keywords.most_common(TOP_KEYWORDS)
    result.sentiments = {
        label: sentiments.get(label, 0) for label in ("positive", "neutral", "negative")
    }
