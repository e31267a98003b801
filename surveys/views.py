"""Survey pages for the team: list, builder (admins), results and export (admins
and community managers). The public answering page is in ``surveys.public``."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassadors.permissions import is_admin, is_manager
from common.charts import columns, hbars
from common.errors import DomainError
from common.exports import csv_response, safe_cell
from common.permissions import allowed
from listening.models import Platform

from . import public
from .forms import QuestionForm, SurveyForm
from .models import Question, Survey
from .selectors import (
    responses_list,
    survey_get,
    survey_links,
    survey_list,
    survey_results,
)
from .services import (
    SURVEY_FIELDS,
    question_add,
    question_delete,
    question_move,
    question_update,
    survey_create,
    survey_link_create,
    survey_update,
)

readers = allowed(is_manager)
admins = allowed(is_admin)


def _language() -> str:
    return "en" if (translation.get_language() or "").startswith("en") else "zh-hans"


@readers
def manage_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "surveys/manage_list.html",
        {
            "surveys": survey_list(),
            "can_manage": is_admin(request.user),
            "language": _language(),
        },
    )


def _survey_data(form: SurveyForm) -> tuple[dict, list]:
    data = {f: form.cleaned_data[f] for f in SURVEY_FIELDS}
    return data, list(form.cleaned_data["auto_csat_teams"])


@admins
def survey_create_page(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data, teams = _survey_data(form)
        # The new survey has no question yet, so it cannot open: keep what was
        # typed as a draft rather than refuse the whole form.
        wanted_open = data["status"] == Survey.Status.OPEN
        if wanted_open:
            data["status"] = Survey.Status.DRAFT
        try:
            survey = survey_create(
                **data, auto_csat_teams=teams, created_by=request.user
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if wanted_open:
                messages.warning(
                    request,
                    _(
                        "Saved as a draft: a survey opens once it has a question. "
                        "Add its questions, then set it to Open for answers."
                    ),
                )
            else:
                messages.success(request, _("Survey created. Now add its questions."))
            return redirect("surveys:builder", pk=survey.id)
    return render(request, "surveys/survey_form.html", {"form": form})


@admins
def survey_builder(request: HttpRequest, pk: int) -> HttpResponse:
    survey = survey_get(survey_id=pk)
    if survey is None:
        raise Http404
    initial = {f: getattr(survey, f) for f in SURVEY_FIELDS}
    initial["auto_csat_teams"] = list(survey.auto_csat_teams.all())
    form = SurveyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data, teams = _survey_data(form)
        changed = {f: v for f, v in data.items() if f in form.changed_data}
        try:
            survey_update(survey_id=survey.id, auto_csat_teams=teams, **changed)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Survey saved."))
            return redirect("surveys:builder", pk=survey.id)
    return render(
        request,
        "surveys/builder.html",
        {
            "survey": survey,
            "form": form,
            "question_form": QuestionForm(initial={"required": True}),
            "questions": survey.questions.all(),
            "links": survey_links(survey_id=survey.id),
            "platforms": Platform.choices,
            "language": _language(),
        },
    )


@admins
@require_POST
def question_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, id=pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            question_add(survey_id=survey.id, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Question added."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect(reverse("surveys:builder", args=[pk]) + "#questions")


@admins
def question_edit_view(request: HttpRequest, pk: int, qid: int) -> HttpResponse:
    question = get_object_or_404(Question, id=qid, survey_id=pk)
    form = QuestionForm(
        request.POST or None, initial=QuestionForm.initial_for(question)
    )
    if request.method == "POST" and form.is_valid():
        try:
            question_update(question_id=question.id, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Question saved."))
            return redirect("surveys:builder", pk=pk)
    return render(
        request,
        "surveys/question_form.html",
        {"form": form, "question": question, "survey": question.survey},
    )


@admins
@require_POST
def question_delete_view(request: HttpRequest, pk: int, qid: int) -> HttpResponse:
    question = get_object_or_404(Question, id=qid, survey_id=pk)
    try:
        question_delete(question_id=question.id)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("surveys:builder", pk=pk)


@admins
@require_POST
def question_move_view(request: HttpRequest, pk: int, qid: int) -> HttpResponse:
    question = get_object_or_404(Question, id=qid, survey_id=pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    question_move(question_id=question.id, offset=offset)
    return redirect("surveys:builder", pk=pk)


@admins
@require_POST
def link_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, id=pk)
    try:
        survey_link_create(survey_id=survey.id, platform=request.POST.get("platform"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("surveys:builder", pk=pk)


@readers
def survey_preview(request: HttpRequest, pk: int) -> HttpResponse:
    survey = survey_get(survey_id=pk)
    if survey is None:
        raise Http404
    return public.preview(request, survey)


@readers
def survey_results_page(request: HttpRequest, pk: int) -> HttpResponse:
    platform = request.GET.get("platform", "")
    if platform not in Platform.values:
        platform = ""
    language = _language()
    results = survey_results(survey_id=pk, platform=platform, language=language)
    if results is None:
        raise Http404
    charts = {}
    for item in results.questions:
        if item.distribution:
            chart = columns if item.question.kind in ("nps", "rating") else hbars
            charts[item.question.id] = chart(
                item.distribution, title=item.question.text(language)
            )
    day_chart = columns(
        [(day, scores.responses) for day, scores in results.by_day],
        title=_("Responses by day"),
    )
    recent = responses_list(survey_id=pk)
    if platform:
        recent = recent.filter(platform=platform)
    return render(
        request,
        "surveys/results.html",
        {
            "survey": results.survey,
            "results": results,
            "question_results": [
                (item, charts.get(item.question.id)) for item in results.questions
            ],
            "day_chart": day_chart,
            "platform": platform,
            "platforms": Platform.choices,
            "responses": recent[:50],
            "language": language,
            "can_manage": is_admin(request.user),
        },
    )


@readers
def survey_responses_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """One row per response, one column per question (choices as their labels)."""
    survey = survey_get(survey_id=pk)
    if survey is None:
        raise Http404
    questions = list(survey.questions.all())
    language = _language()

    def cell(question: Question, answer) -> str:
        if answer is None:
            return ""
        if question.kind in ("single", "multiple"):
            labels = question.choice_labels(language)
            return "; ".join(
                labels[i] for i in answer.choice_indexes if 0 <= i < len(labels)
            )
        if answer.number is not None:
            return str(answer.number)
        return safe_cell(answer.text)

    def rows():
        yield [
            "response_id",
            "submitted_at",
            "platform",
            "platform_user_id",
            "case_id",
            "ambassador",
            "language",
            "nps_score",
            "csat_score",
            "reward_code",
            *[safe_cell(q.text(language)) for q in questions],
        ]
        for response in responses_list(survey_id=pk).iterator(chunk_size=500):
            answers = {a.question_id: a for a in response.answers.all()}
            yield [
                response.id,
                response.submitted_at.isoformat(),
                response.platform,
                safe_cell(response.platform_user_id),
                response.case_id or "",
                response.ambassador.username if response.ambassador else "",
                response.language,
                "" if response.nps_score is None else response.nps_score,
                "" if response.csat_score is None else response.csat_score,
                response.reward_code.display if response.reward_code else "",
                *[cell(q, answers.get(q.id)) for q in questions],
            ]

    return csv_response(rows(), f"survey-{pk}.csv")
