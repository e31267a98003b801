"""Courses, ordered lessons and their quiz; attempts with every answer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _in_language(zh: str, en: str) -> str:
    """The English text for English readers when there is one, else Chinese."""
    lang = (get_language() or "zh-hans").lower()
    if lang.startswith("en"):
        return en or zh
    return zh or en


class Course(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    published = models.BooleanField(_("published"), default=True)
    # A refresher renews a level's certification instead of counting toward it.
    is_refresher = models.BooleanField(_("refresher"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _in_language(self.title_zh, self.title_en)

    @property
    def summary(self) -> str:
        return _in_language(self.summary_zh, self.summary_en)


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    # Markdown, rendered through ambassadors.training.markdown (sanitised).
    body_zh = models.TextField(_("text (Chinese, Markdown)"))
    body_en = models.TextField(_("text (English, Markdown)"), blank=True)
    minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=10)

    class Meta:
        ordering = ["course", "position", "id"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _in_language(self.title_zh, self.title_en)

    @property
    def body(self) -> str:
        return _in_language(self.body_zh, self.body_en)


class LessonProgress(models.Model):
    """A lesson a person has read to the end (resume = the first one without)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson"], name="lesson_progress_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.lesson_id}"


class Quiz(models.Model):
    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="quiz")
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, help_text=_("Score in percent needed to pass.")
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), default=20
    )
    cooldown_minutes = models.PositiveIntegerField(
        _("cool-down before a retake (minutes)"), default=60
    )
    max_attempts_per_day = models.PositiveSmallIntegerField(
        _("attempts per day"), default=3
    )

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return str(self.course)


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("One answer")
    MULTIPLE = "multiple", _("Several answers")


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    kind = models.CharField(
        _("kind"), max_length=10, choices=QuestionKind.choices, default="single"
    )
    text_zh = models.TextField(_("question (Chinese)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    explanation_zh = models.TextField(_("explanation (Chinese)"), blank=True)
    explanation_en = models.TextField(_("explanation (English)"), blank=True)

    class Meta:
        ordering = ["quiz", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def text(self) -> str:
        return _in_language(self.text_zh, self.text_en)

    @property
    def explanation(self) -> str:
        return _in_language(self.explanation_zh, self.explanation_en)


class Choice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text_zh = models.CharField(_("answer (Chinese)"), max_length=300)
    text_en = models.CharField(_("answer (English)"), max_length=300, blank=True)
    correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["question", "position", "id"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return _in_language(self.text_zh, self.text_en)


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class Attempt(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    status = models.CharField(
        max_length=12, choices=AttemptStatus.choices, default="in_progress"
    )
    # The order this attempt shows: [[question id, [choice id, ...]], ...].
    layout = models.JSONField(default=list)
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(default=False)
    late = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # Cool-down, daily limit and "passed" checks: one person's attempts.
            models.Index(
                fields=["user", "quiz", "started_at"], name="attempt_user_idx"
            ),
            # Certification: the passes of many people at once.
            models.Index(
                fields=["user", "submitted_at"],
                name="attempt_passed_idx",
                condition=models.Q(passed=True),
            ),
        ]

    def __str__(self) -> str:
        return f"attempt {self.pk} of {self.user_id} on {self.quiz_id}"


class AttemptAnswer(models.Model):
    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    choice_ids = models.JSONField(default=list)
    correct = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="attempt_answer_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"answer to {self.question_id} in {self.attempt_id}"
