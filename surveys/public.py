"""The public survey page: no login, Chinese by default, phone first.

One URL per link (``/s/<token>``): GET shows the questions, POST stores the answers
and redirects to a thank-you page. Used, expired and closed links get a page that
says so with the matching HTTP status; floods get 429.
"""

from __future__ import annotations

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from common.errors import DomainError

from .models import CHOICE_KINDS, NUMBER_KINDS, Question, Response, Survey
from .ratelimit import client_ip, rate_limited
from .selectors import invitation_for_token
from .services import MAX_TEXT_ANSWER, invitation_check, survey_response_submit

# Per client address: page views per minute, submissions per ten minutes. Generous,
# because many phones share one address behind carrier NAT; a script flooding the
# page or the answers still stops at once.
VIEWS_PER_MINUTE = 120
SUBMISSIONS_PER_10_MINUTES = 30
THANKS_SALT = "surveys.thanks"
THANKS_MAX_AGE = 24 * 3600


def _language(request: HttpRequest) -> str:
    """Chinese unless the page was asked for in English (``?lang=en``)."""
    return "en" if request.GET.get("lang") == "en" else "zh-hans"


def _page(request, template: str, context: dict, *, status: int = 200):
    response = render(request, template, context, status=status)
    response["Content-Language"] = translation.get_language()
    # Links are secrets: keep them out of Referer headers sent to other sites.
    response["Referrer-Policy"] = "no-referrer"
    return response


def _error(request, *, status: int, message: str, token: str = "") -> HttpResponse:
    return _page(
        request,
        "surveys/public_error.html",
        {"message": message, "token": token, "status": status},
        status=status,
    )


def question_fields(
    questions: list[Question],
    language: str,
    *,
    values: dict[int, list[str]] | None = None,
    errors: dict[int, str] | None = None,
) -> list[dict]:
    """What the template needs per question, with the answers given so far."""
    values = values or {}
    errors = errors or {}
    fields = []
    for number, question in enumerate(questions, start=1):
        given = [str(v) for v in values.get(question.id, [])]
        item = {
            "id": question.id,
            "number": number,
            "name": f"q{question.id}",
            "kind": question.kind,
            "text": question.text(language),
            "required": question.required,
            "error": errors.get(question.id, ""),
            "text_value": given[0] if given else "",
            "multiple": question.kind == "multiple",
            "options": [],
        }
        if question.kind in CHOICE_KINDS:
            item["options"] = [
                {"value": str(i), "label": label, "checked": str(i) in given}
                for i, label in enumerate(question.choice_labels(language))
            ]
        elif question.kind in NUMBER_KINDS:
            item["options"] = [
                {"value": str(n), "label": str(n), "checked": str(n) in given}
                for n in question.scale
            ]
        fields.append(item)
    return fields


def _form_context(survey: Survey, language: str, **kwargs) -> dict:
    return {
        "survey": survey,
        "title": survey.title(language),
        "intro": survey.intro(language),
        "language": language,
        "max_text": MAX_TEXT_ANSWER,
        **kwargs,
    }


# The link's token is the only credential here: there is no session or cookie
# authority for a forged cross-site POST to abuse, and a CSRF cookie would only make
# answering fail in in-app browsers that drop cookies.
@csrf_exempt
@never_cache
def answer(request: HttpRequest, token: str) -> HttpResponse:
    language = _language(request)
    with translation.override(language):
        ip = client_ip(request)
        if rate_limited(
            scope="survey-view", key=ip, limit=VIEWS_PER_MINUTE, window=60
        ) or (
            request.method == "POST"
            and rate_limited(
                scope="survey-submit",
                key=ip,
                limit=SUBMISSIONS_PER_10_MINUTES,
                window=600,
            )
        ):
            return _error(
                request,
                status=429,
                message=_("Too many requests. Please wait a minute and try again."),
            )
        invitation = invitation_for_token(token)
        try:
            invitation_check(invitation)
        except DomainError as error:
            return _error(
                request, status=error.status, message=error.message, token=token
            )
        survey = invitation.survey
        questions = list(survey.questions.all())
        values: dict[int, list[str]] = {}
        errors: dict[int, str] = {}
        status = 200
        if request.method == "POST":
            values = {q.id: request.POST.getlist(f"q{q.id}") for q in questions}
            try:
                response = survey_response_submit(
                    token=token, answers=values, language=language
                )
            except DomainError as error:
                if error.code != "invalid_answers":
                    return _error(
                        request,
                        status=error.status,
                        message=error.message,
                        token=token,
                    )
                errors, status = error.details, 400
            else:
                signed = signing.dumps(response.id, salt=THANKS_SALT)
                url = reverse("surveys:thanks", args=[token])
                suffix = "&lang=en" if language == "en" else ""
                return redirect(f"{url}?r={signed}{suffix}")
        elif request.method != "GET":
            return _error(request, status=405, message=_("Method not allowed."))
        return _page(
            request,
            "surveys/public_form.html",
            _form_context(
                survey,
                language,
                token=token,
                questions=question_fields(
                    questions, language, values=values, errors=errors
                ),
                errors=errors,
                action=request.get_full_path(),
            ),
            status=status,
        )


@never_cache
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    language = _language(request)
    with translation.override(language):
        try:
            response_id = signing.loads(
                request.GET.get("r", ""), salt=THANKS_SALT, max_age=THANKS_MAX_AGE
            )
        except signing.BadSignature:
            raise Http404 from None
        response = (
            Response.objects.select_related("survey", "reward_code", "invitation")
            .filter(id=response_id, invitation__token=token)
            .first()
        )
        if response is None:
            raise Http404
        return _page(
            request,
            "surveys/public_thanks.html",
            {
                "survey": response.survey,
                "title": response.survey.title(language),
                "thanks": response.survey.thanks(language),
                "reward": response.reward_code,
                "reward_campaign": response.reward_code.campaign
                if response.reward_code
                else None,
                "language": language,
                "token": token,
            },
        )


def preview(request: HttpRequest, survey: Survey) -> HttpResponse:
    """The public form of a survey as respondents see it, without a link (for the
    builder; the caller checks permissions)."""
    language = _language(request)
    with translation.override(language):
        return _page(
            request,
            "surveys/public_form.html",
            _form_context(
                survey,
                language,
                preview=True,
                questions=question_fields(list(survey.questions.all()), language),
                errors={},
                action="",
            ),
        )
