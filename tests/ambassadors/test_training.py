"""Courses and quizzes: the key stays secret until submission, attempts are
shuffled, limited in time and number, and a submission counts once."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.db import connection
from django.utils import timezone

from ambassadors.errors import Conflict, Invalid, TooSoon
from ambassadors.models import Attempt, AttemptAnswer, Certification, Choice, Quiz
from ambassadors.training.markdown import ALLOWED_TAGS as ALLOWED
from ambassadors.training.markdown import render_markdown
from ambassadors.training.services import attempt_start, attempt_submit
from tests.ambassadors.conftest import answer_key, api, person, wrong_answers

pytestmark = pytest.mark.django_db


def orientation(program) -> Quiz:
    return Quiz.objects.get(course=program["orientation"])


def test_the_demo_orientation_is_about_two_hours_with_its_quiz(program):
    course = program["orientation"]
    assert course.title_en == "Social media at our company: the five principles"
    assert sum(lesson.minutes for lesson in course.lessons.all()) == 120
    assert course.quiz.questions.count() == 5


def test_the_answer_key_never_reaches_the_browser_before_submission(program):
    newbie = person("newbie")
    client = api(newbie)
    quiz = orientation(program)
    secrets = [c.text_zh for c in Choice.objects.filter(question__quiz=quiz)]
    explanations = [q.explanation_zh for q in quiz.questions.all()]
    bodies = []
    for url in (
        "/api/v1/training/courses/",
        f"/api/v1/training/courses/{program['orientation'].pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        bodies.append(response.content.decode())
    started = client.post(
        f"/api/v1/training/courses/{program['orientation'].pk}/attempts/"
    )
    assert started.status_code == 201
    bodies.append(started.content.decode())
    # The same attempt in the page.
    client.force_login(newbie)
    page = client.get(f"/ambassadors/training/attempt/{started.json()['id']}/")
    assert page.status_code == 200
    bodies.append(page.content.decode())
    for body in bodies:
        assert '"correct"' not in body
        assert "correct_choices" not in body
        for explanation in explanations:
            assert explanation not in body
    # The choices are there (texts only), just not which are right.
    assert all(text in bodies[2] for text in secrets)
    assert "correct" not in json.dumps(started.json())


def test_only_admins_read_the_quiz_key(program):
    course = program["orientation"]
    for username, role in (("amb", "ambassador"), ("boss", "manager")):
        response = api(person(username, role=role)).get(
            f"/api/v1/training/courses/{course.pk}/quiz/"
        )
        assert response.status_code == 403
        assert response.json()["code"] == "admin_only"
    admin = person("root", role="admin")
    body = api(admin).get(f"/api/v1/training/courses/{course.pk}/quiz/").json()
    assert len(body["questions"]) == 5
    first = body["questions"][0]
    assert {"id", "text", "choices"} <= set(first)
    assert any(c["correct"] for c in first["choices"])


def test_each_attempt_shuffles_questions_and_choices(program):
    layouts = set()
    for n in range(8):
        user = person(f"p{n}")
        attempt = attempt_start(user=user, course_id=program["orientation"].pk)
        layouts.add(json.dumps(attempt.layout))
        assert sorted(q for q, _c in attempt.layout) == sorted(
            orientation(program).questions.values_list("pk", flat=True)
        )
    assert len(layouts) > 1


def test_reloading_resumes_the_running_attempt(program):
    user = person("reload")
    first = attempt_start(user=user, course_id=program["orientation"].pk)
    again = attempt_start(user=user, course_id=program["orientation"].pk)
    assert again.pk == first.pk
    assert Attempt.objects.filter(user=user).count() == 1


def test_passing_the_orientation_makes_an_enthusiast_with_every_answer_stored(
    program,
):
    user = person("hire")
    assert user.profile.certification == Certification.NONE
    client = api(user)
    attempt = client.post(
        f"/api/v1/training/courses/{program['orientation'].pk}/attempts/"
    ).json()
    result = client.post(
        f"/api/v1/training/attempts/{attempt['id']}/submit/",
        {"answers": answer_key(orientation(program))},
        format="json",
    )
    assert result.status_code == 200, result.content
    body = result.json()
    assert body["score"] == 100
    assert body["passed"] is True
    assert body["certification"]["rank"] == Certification.ENTHUSIAST
    assert body["certification"]["expires_at"] is None  # Enthusiast does not expire
    assert all(q["correct"] and q["explanation"] for q in body["questions"])
    assert AttemptAnswer.objects.filter(attempt_id=attempt["id"]).count() == 5
    user.profile.refresh_from_db()
    assert user.profile.certification == Certification.ENTHUSIAST


def test_failing_keeps_the_level_and_starts_the_cooldown(program):
    user = person("failer")
    now = timezone.now()
    attempt = attempt_start(user=user, course_id=program["orientation"].pk, now=now)
    result = attempt_submit(
        user=user,
        attempt_id=attempt.pk,
        answers=wrong_answers(orientation(program)),
        now=now,
    )
    assert result.passed is False
    assert result.score == 0
    user.profile.refresh_from_db()
    assert user.profile.certification == Certification.NONE
    with pytest.raises(TooSoon) as refused:
        attempt_start(
            user=user,
            course_id=program["orientation"].pk,
            now=now + dt.timedelta(minutes=30),
        )
    assert refused.value.code == "cooldown"
    # After the cool-down (60 minutes), a retake is allowed.
    retake = attempt_start(
        user=user,
        course_id=program["orientation"].pk,
        now=now + dt.timedelta(minutes=61),
    )
    assert retake.pk != attempt.pk


def test_the_day_has_a_limit_of_attempts(program):
    quiz = orientation(program)
    Quiz.objects.filter(pk=quiz.pk).update(cooldown_minutes=0, max_attempts_per_day=2)
    user = person("eager")
    now = timezone.localtime().replace(hour=9, minute=0)
    for n in range(2):
        attempt = attempt_start(
            user=user, course_id=quiz.course_id, now=now + dt.timedelta(minutes=n)
        )
        attempt_submit(
            user=user,
            attempt_id=attempt.pk,
            answers=wrong_answers(quiz),
            now=now + dt.timedelta(minutes=n),
        )
    response = api(user).post(f"/api/v1/training/courses/{quiz.course_id}/attempts/")
    # The API's "now" is later today: still over the day's limit.
    assert response.status_code == 429
    assert response.json()["code"] == "daily_limit"


def test_a_submission_after_the_time_limit_does_not_pass(program):
    user = person("slow")
    now = timezone.now()
    attempt = attempt_start(user=user, course_id=program["orientation"].pk, now=now)
    result = attempt_submit(
        user=user,
        attempt_id=attempt.pk,
        answers=answer_key(orientation(program)),
        now=now + dt.timedelta(minutes=25),
    )
    assert result.score == 100
    assert result.passed is False
    assert Attempt.objects.get(pk=attempt.pk).late


@pytest.mark.parametrize(
    ("answers", "code"),
    [
        ("nope", "invalid_answers"),
        ({"999999": ["1"]}, "unknown_question"),
        ({"abc": ["1"]}, "unknown_question"),
        (None, "invalid_answers"),
    ],
)
def test_bad_answers_get_a_400_with_a_code_and_change_nothing(program, answers, code):
    user = person("bad")
    client = api(user)
    attempt = client.post(
        f"/api/v1/training/courses/{program['orientation'].pk}/attempts/"
    ).json()
    response = client.post(
        f"/api/v1/training/attempts/{attempt['id']}/submit/",
        {"answers": answers},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert Attempt.objects.get(pk=attempt["id"]).status == "in_progress"


def test_a_choice_of_another_question_and_two_answers_to_one_are_refused(program):
    user = person("sneaky")
    attempt = attempt_start(user=user, course_id=program["orientation"].pk)
    q1, c2 = attempt.layout[0][0], attempt.layout[1][1]
    with pytest.raises(Invalid) as foreign:
        attempt_submit(user=user, attempt_id=attempt.pk, answers={str(q1): [c2[0]]})
    assert foreign.value.code == "unknown_choice"
    single = next(
        q
        for q, _c in attempt.layout
        if orientation(program).questions.get(pk=q).kind == "single"
    )
    cids = dict(attempt.layout)[single]
    with pytest.raises(Invalid) as double:
        attempt_submit(
            user=user, attempt_id=attempt.pk, answers={str(single): cids[:2]}
        )
    assert double.value.code == "single_choice"


def test_another_persons_attempt_is_not_found(program):
    owner, other = person("owner"), person("other")
    attempt = attempt_start(user=owner, course_id=program["orientation"].pk)
    response = api(other).post(
        f"/api/v1/training/attempts/{attempt.pk}/submit/",
        {"answers": {}},
        format="json",
    )
    assert response.status_code == 404


def test_submitting_twice_is_a_conflict(program):
    user = person("twice")
    attempt = attempt_start(user=user, course_id=program["orientation"].pk)
    key = answer_key(orientation(program))
    attempt_submit(user=user, attempt_id=attempt.pk, answers=key)
    with pytest.raises(Conflict):
        attempt_submit(user=user, attempt_id=attempt.pk, answers=key)
    response = api(user).post(
        f"/api/v1/training/attempts/{attempt.pk}/submit/",
        {"answers": key},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "already_submitted"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_of_one_attempt_count_once(require_postgres):
    from ambassadors.demo import program_seed
    from ambassadors.models import PointEvent

    program_seed()
    from ambassadors.models import Course

    course = Course.objects.get(slug="orientation")
    user = person("racer")
    attempt = attempt_start(user=user, course_id=course.pk)
    key = answer_key(course.quiz)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit():
        try:
            barrier.wait()
            attempt_submit(user=user, attempt_id=attempt.pk, answers=key)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 5
    assert PointEvent.objects.filter(user=user, kind="course_passed").count() == 1


def test_lesson_markdown_is_rendered_and_scripts_are_removed():
    html = render_markdown(
        "# Hi\n\n**bold** <script>alert(1)</script> [x](javascript:alert(1))"
        ' <img src=x onerror="alert(1)">'
    )
    assert "<strong>bold</strong>" in html
    # Raw HTML is shown as text, never as markup; no javascript: link is made.
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert "<h1>Hi</h1>" in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<svg onload=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](  javascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](vbscript:msgbox(1))",
        "![x](javascript:alert(1))",
        '![x](x" onerror="alert(1))',
        '[x](https://ok.example/ "t\\" onmouseover=\\"alert(1)")',
        "<iframe src=https://evil.example></iframe>",
        "<style>body{display:none}</style>",
        '<div style="background:url(javascript:alert(1))">x</div>',
        "```\n</code><script>alert(1)</script>\n```",
        "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
        "<<script>script>alert(1)<</script>/script>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "戴尔 <b onclick=alert(1)>坏</b>",
    ],
)
def test_no_lesson_or_policy_text_becomes_live_markup(source):
    """Lessons and policies are the only Markdown rendered as HTML (training and
    governance pages); social text never goes through ``render_markdown``. Whatever
    an admin pastes, what comes out has no script, no event handler, no style, no
    frame and no link or image to a script or data URL."""
    from html.parser import HTMLParser

    class Tags(HTMLParser):
        found: list = []

        def handle_starttag(self, tag, attrs):
            self.found.append((tag, dict(attrs)))

    parser = Tags()
    parser.found = []
    parser.feed(str(render_markdown(source)))
    for tag, attrs in parser.found:
        assert tag in ALLOWED, (tag, source)
        assert not any(name.startswith("on") or name == "style" for name in attrs)
        for name in ("href", "src"):
            if name in attrs:
                assert attrs[name].startswith(("http://", "https://", "mailto:"))
