"""The ambassador's pages: "My training" (progress, resume, quiz, results, what the
next level needs) and "My certification" (level, expiry, what it allows)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ..advocacy.points import points_of, rank_of
from ..certification.services import certification_compute, certification_history
from ..errors import ProgramError
from ..governance.services import policy_accepted, policy_current
from ..models import Certification, Profile
from ..models.advocacy import TallyPeriod
from ..models.training import Attempt, AttemptStatus, Lesson
from ..training.markdown import render_markdown
from ..training.selectors import attempt_questions, course_detail, courses_for
from ..training.services import (
    attempt_result,
    attempt_start,
    attempt_submit,
    lesson_complete,
)

# What each level lets a person do (the rules routing, replies and sharing apply).
ALLOWS = {
    Certification.NONE: [
        _("Take the training; nobody replies or shares below Enthusiast."),
    ],
    Certification.ENTHUSIAST: [
        _("Share the brand's news from an approved handle."),
        _("Draft replies; a manager approves each before it is sent."),
    ],
    Certification.PROFESSIONAL: [
        _("Reply for the brand without approval (influencers still go to a manager)."),
        _("Take cases with negative sentiment."),
    ],
    Certification.EXPERT: [
        _("Take escalations and influencers' cases."),
    ],
}


def _profile(request: HttpRequest) -> Profile | None:
    return Profile.objects.select_related("team").filter(user=request.user).first()


@login_required
def my_training(request: HttpRequest) -> HttpResponse:
    courses = courses_for(user=request.user)
    computed = certification_compute(user_id=request.user.pk)
    resume = next(
        (
            c
            for c in courses
            if c["lessons_done"] < c["lessons_total"] and not c["passed"]
        ),
        None,
    ) or next((c for c in courses if not c["passed"] and not c["is_refresher"]), None)
    return render(
        request,
        "ambassadors/my_training.html",
        {
            "courses": courses,
            "resume": resume,
            "computed": computed,
            "profile": _profile(request),
            "points": points_of(user_id=request.user.pk),
            "rank": rank_of(user_id=request.user.pk, period=TallyPeriod.MONTH),
        },
    )


@login_required
def course_page(request: HttpRequest, course_id: int) -> HttpResponse:
    try:
        course = course_detail(user=request.user, course_id=course_id)
    except ProgramError:
        raise Http404 from None
    attempts = list(
        Attempt.objects.filter(
            user=request.user, quiz__course_id=course_id, status=AttemptStatus.SUBMITTED
        ).order_by("-submitted_at")[:10]
    )
    return render(
        request,
        "ambassadors/course.html",
        {"course": course, "attempts": attempts},
    )


@login_required
def lesson_page(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = (
        Lesson.objects.select_related("course")
        .filter(pk=lesson_id, course__published=True)
        .first()
    )
    if lesson is None:
        raise Http404
    siblings = list(lesson.course.lessons.order_by("position", "id"))
    index = siblings.index(lesson)
    following = siblings[index + 1] if index + 1 < len(siblings) else None
    if request.method == "POST":
        lesson_complete(user=request.user, lesson_id=lesson.pk)
        if following is not None:
            return redirect("ambassadors:lesson", following.pk)
        return redirect("ambassadors:course", lesson.course_id)
    return render(
        request,
        "ambassadors/lesson.html",
        {
            "lesson": lesson,
            "html": render_markdown(lesson.body),
            "number": index + 1,
            "total": len(siblings),
            "following": following,
        },
    )


@login_required
@require_POST
def quiz_start(request: HttpRequest, course_id: int) -> HttpResponse:
    try:
        attempt = attempt_start(user=request.user, course_id=course_id)
    except ProgramError as exc:
        messages.error(request, exc.message)
        return redirect("ambassadors:course", course_id)
    return redirect("ambassadors:attempt", attempt.pk)


@login_required
def attempt_page(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = (
        Attempt.objects.select_related("quiz__course")
        .filter(pk=attempt_id, user=request.user)
        .first()
    )
    if attempt is None:
        raise Http404
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return redirect("ambassadors:attempt_result", attempt.pk)
    if request.method == "POST":
        answers = {}
        for key in request.POST:
            if key.startswith("q_"):
                answers[key[2:]] = request.POST.getlist(key)
        try:
            attempt_submit(user=request.user, attempt_id=attempt.pk, answers=answers)
        except ProgramError as exc:
            messages.error(request, exc.message)
            if exc.code != "already_submitted":
                return redirect("ambassadors:attempt", attempt.pk)
        return redirect("ambassadors:attempt_result", attempt.pk)
    return render(
        request,
        "ambassadors/attempt.html",
        {"attempt": attempt, "shown": attempt_questions(attempt=attempt)},
    )


@login_required
def attempt_result_page(request: HttpRequest, attempt_id: int) -> HttpResponse:
    try:
        result = attempt_result(user=request.user, attempt_id=attempt_id)
    except ProgramError:
        raise Http404 from None
    questions = {
        q.pk: q for q in result.attempt.quiz.questions.prefetch_related("choices")
    }
    rows = []
    for r in result.questions:
        question = questions[r.question_id]
        rows.append(
            {
                "text": question.text,
                "explanation": question.explanation,
                "correct": r.correct,
                "choices": [
                    {
                        "text": c.text,
                        "chosen": c.pk in r.chosen,
                        "right": c.correct,
                    }
                    for c in question.choices.all()
                ],
            }
        )
    return render(
        request,
        "ambassadors/attempt_result.html",
        {
            "result": result,
            "rows": rows,
            "profile": _profile(request),
            "computed": certification_compute(user_id=request.user.pk),
        },
    )


@login_required
def my_certification(request: HttpRequest) -> HttpResponse:
    profile = _profile(request)
    level = profile.certification if profile else 0
    allows = []
    for rank in Certification.values:
        if rank <= level:
            allows += ALLOWS.get(rank, [])
    policy = policy_current()
    return render(
        request,
        "ambassadors/my_certification.html",
        {
            "profile": profile,
            "level_label": Certification(level).label,
            "allows": allows,
            "computed": certification_compute(user_id=request.user.pk),
            "history": certification_history(user_id=request.user.pk),
            "policy": policy,
            "policy_ok": policy_accepted(user=request.user),
            "handles": list(profile.handles.order_by("platform")) if profile else [],
        },
    )
