"""Admins edit the programme in the browser: courses and their lessons, quizzes
with questions and choices, levels. A change of what a level needs recomputes
everybody's certification at once (a worker does it, after commit)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.forms import inlineformset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dellsocial.celery import app

from ..models import Role
from ..models.certification import Level
from ..models.training import Choice, Course, Lesson, Question, Quiz
from .access import admins_only
from .crud import Crud

RECOMPUTE_TASK = "ambassadors.recompute_all"


def recompute_everybody(_obj=None) -> None:
    transaction.on_commit(lambda: app.send_task(RECOMPUTE_TASK))


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = [
            "title_zh",
            "title_en",
            "slug",
            "summary_zh",
            "summary_en",
            "position",
            "published",
            "is_refresher",
        ]


LessonFormSet = inlineformset_factory(
    Course,
    Lesson,
    fields=["position", "title_zh", "title_en", "body_zh", "body_en", "minutes"],
    extra=1,
    can_delete=True,
)


class QuizForm(forms.ModelForm):
    class Meta:
        model = Quiz
        fields = [
            "pass_mark",
            "time_limit_minutes",
            "cooldown_minutes",
            "max_attempts_per_day",
        ]

    def clean_pass_mark(self):
        mark = self.cleaned_data["pass_mark"]
        if not 1 <= mark <= 100:
            raise forms.ValidationError(
                _("A pass mark is between 1 and 100 (percent).")
            )
        return mark


QuestionFormSet = inlineformset_factory(
    Quiz,
    Question,
    fields=[
        "position",
        "kind",
        "text_zh",
        "text_en",
        "explanation_zh",
        "explanation_en",
    ],
    extra=1,
    can_delete=True,
)


class ChoiceFormSet(
    inlineformset_factory(
        Question,
        Choice,
        fields=["position", "text_zh", "text_en", "correct"],
        extra=2,
        can_delete=True,
    )
):
    def clean(self):
        super().clean()
        kept = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        right = sum(1 for c in kept if c.get("correct"))
        if len(kept) < 2:
            raise forms.ValidationError(_("A question needs at least two answers."))
        if right == 0:
            raise forms.ValidationError(_("Mark at least one answer as correct."))
        if self.instance.kind == "single" and right > 1:
            raise forms.ValidationError(
                _("A one-answer question has exactly one correct answer.")
            )


@transaction.atomic
def course_save(*, form, formsets) -> Course:
    course = form.save()
    for formset in formsets:
        formset.instance = course
        formset.save()
    Quiz.objects.get_or_create(course=course)
    recompute_everybody()
    return course


@admins_only
def course_edit(request: HttpRequest, course_id: int | None = None) -> HttpResponse:
    course = get_object_or_404(Course, pk=course_id) if course_id else None
    form = CourseForm(request.POST or None, instance=course)
    lessons = LessonFormSet(
        request.POST or None, instance=course or Course(), prefix="lessons"
    )
    lessons.title = _("Lessons")
    if request.method == "POST" and form.is_valid() and lessons.is_valid():
        saved = course_save(form=form, formsets=[lessons])
        messages.success(request, _("Saved: %s") % saved)
        return redirect("ambassadors:course_edit", saved.pk)
    return render(
        request,
        "ambassadors/course_edit.html",
        {"form": form, "formsets": [lessons], "course": course, "title": _("Course")},
        status=400 if request.method == "POST" else 200,
    )


@admins_only
def quiz_edit(request: HttpRequest, course_id: int) -> HttpResponse:
    course = get_object_or_404(Course, pk=course_id)
    quiz, _created = Quiz.objects.get_or_create(course=course)
    form = QuizForm(request.POST or None, instance=quiz)
    questions = QuestionFormSet(request.POST or None, instance=quiz, prefix="questions")
    questions.title = _("Questions")
    if request.method == "POST" and form.is_valid() and questions.is_valid():
        with transaction.atomic():
            form.save()
            questions.save()
        messages.success(request, _("Saved."))
        return redirect("ambassadors:quiz_edit", course.pk)
    return render(
        request,
        "ambassadors/quiz_edit.html",
        {
            "form": form,
            "formsets": [questions],
            "course": course,
            "quiz": quiz,
            "title": _("Quiz"),
        },
        status=400 if request.method == "POST" else 200,
    )


@admins_only
def question_edit(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(
        Question.objects.select_related("quiz__course"), pk=question_id
    )
    choices = ChoiceFormSet(request.POST or None, instance=question, prefix="choices")
    choices.title = _("Answers")
    if request.method == "POST" and choices.is_valid():
        with transaction.atomic():
            choices.save()
        messages.success(request, _("Saved."))
        return redirect("ambassadors:quiz_edit", question.quiz.course_id)
    return render(
        request,
        "ambassadors/form_page.html",
        {
            "form": None,
            "formsets": [choices],
            "title": question.text[:80],
            "people_nav": True,
        },
        status=400 if request.method == "POST" else 200,
    )


class LevelForm(forms.ModelForm):
    class Meta:
        model = Level
        fields = [
            "rank",
            "name_zh",
            "name_en",
            "courses",
            "all_courses",
            "courses_within_days",
            "approved_replies",
            "replies_sent",
            "min_csat",
            "validity_days",
            "refresher",
        ]
        widgets = {"courses": forms.CheckboxSelectMultiple}

    def clean_rank(self):
        rank = self.cleaned_data["rank"]
        if rank not in (1, 2, 3):
            raise forms.ValidationError(
                _(
                    "Rank 1 is Enthusiast, 2 Professional, 3 Expert "
                    "(routing knows these)."
                )
            )
        return rank

    def clean_min_csat(self):
        value = self.cleaned_data["min_csat"]
        if value is not None and not 1 <= value <= 5:
            raise forms.ValidationError(_("CSAT is between 1 and 5."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("validity_days") and not data.get("refresher"):
            self.add_error(
                "refresher",
                _("A level that expires needs a refresher course to renew it."),
            )
        return data


courses = Crud(
    name="courses",
    model=Course,
    form=CourseForm,
    title=gettext_lazy("Courses"),
    columns=[
        ("title", gettext_lazy("Title")),
        ("published", gettext_lazy("Published")),
        ("is_refresher", gettext_lazy("Refresher")),
    ],
    roles=[Role.ADMIN],
    after_save=recompute_everybody,
    edit_name="ambassadors:course_edit",
    create_name="ambassadors:course_create",
)
levels = Crud(
    name="levels",
    model=Level,
    form=LevelForm,
    title=gettext_lazy("Levels"),
    columns=[
        ("rank", gettext_lazy("Rank")),
        ("name", gettext_lazy("Name")),
        ("approved_replies", gettext_lazy("Approved replies")),
        ("replies_sent", gettext_lazy("Replies sent")),
        ("min_csat", gettext_lazy("CSAT")),
        ("validity_days", gettext_lazy("Valid (days)")),
    ],
    roles=[Role.ADMIN],
    after_save=recompute_everybody,
)
