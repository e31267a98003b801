"""The program's pages: training and certification for ambassadors; people,
teams, rules and the programme edited in the browser by managers and admins."""

from __future__ import annotations

import pytest

from ambassadors.models import Attempt, Certification, Profile, Quiz, Team
from engagement.models import RoutingRule
from tests.ambassadors.conftest import answer_key, person

pytestmark = pytest.mark.django_db


def test_my_training_shows_progress_and_what_the_next_level_needs(program, client):
    amb = person("amb", level=1)
    client.force_login(amb)
    page = client.get("/ambassadors/training/")
    body = page.content.decode()
    assert page.status_code == 200
    assert program["customer-care"].title in body
    # Professional needs the other courses and ten approved replies.
    assert "10" in body
    assert program["escalation"].title in body


def test_an_ambassador_reads_a_lesson_takes_the_quiz_and_sees_the_result(
    program, client
):
    hire = person("hire")
    client.force_login(hire)
    course = program["orientation"]
    first = course.lessons.order_by("position").first()
    response = client.post(f"/ambassadors/training/lesson/{first.pk}/")
    assert response.status_code == 302
    response = client.post(f"/ambassadors/training/course/{course.pk}/quiz/")
    attempt = Attempt.objects.get(user=hire)
    assert response["Location"].endswith(f"/attempt/{attempt.pk}/")
    form = {f"q_{q}": c for q, c in answer_key(Quiz.objects.get(course=course)).items()}
    response = client.post(f"/ambassadors/training/attempt/{attempt.pk}/", form)
    assert response.status_code == 302
    result = client.get(response["Location"])
    assert result.status_code == 200
    assert "100%" in result.content.decode()
    hire.profile.refresh_from_db()
    assert hire.profile.certification == Certification.ENTHUSIAST


def test_my_certification_lists_level_handles_and_policy(program, client):
    amb = person("amb", level=2)
    client.force_login(amb)
    body = client.get("/ambassadors/certification/").content.decode()
    assert "amb_wb" in body
    assert client.get("/ambassadors/policy/").status_code == 200


def test_ambassadors_cannot_open_the_people_pages(program, client):
    client.force_login(person("amb", level=2))
    for url in (
        "/ambassadors/manage/people/",
        "/ambassadors/manage/teams/",
        "/engagement/manage/routingrules/",
        "/ambassadors/manage/courses/",
    ):
        assert client.get(url).status_code == 403, url


def test_a_manager_adds_a_person_and_every_error_is_explained(program, client):
    boss = person("boss", role="manager")
    client.force_login(boss)
    bad = client.post(
        "/ambassadors/manage/people/new/",
        {"username": "bad name!", "time_zone": "Mars/Base", "capacity": "-1"},
    )
    assert bad.status_code == 400
    errors = bad.context["form"].errors
    assert {"username", "time_zone", "capacity", "languages", "password"} <= set(errors)
    good = client.post(
        "/ambassadors/manage/people/new/",
        {
            "username": "xiaoli",
            "password": "a-Long-password-2010",
            "is_active": "on",
            "role": "ambassador",
            "team": Team.objects.create(slug="care", name="Care").pk,
            "languages": ["zh"],
            "capacity": "6",
            "availability": "available",
            "work_days": ["0", "1"],
            "work_start": "09:00",
            "work_end": "18:00",
            "time_zone": "Asia/Shanghai",
            "disclosure_signature": "—戴尔员工 小李",
        },
    )
    assert good.status_code == 302, good.context["form"].errors if good.context else ""
    profile = Profile.objects.get(user__username="xiaoli")
    assert profile.capacity == 6
    assert profile.team.slug == "care"
    assert profile.certification == Certification.NONE  # earned, never typed


def test_a_manager_edits_a_team_and_its_members(program, client):
    boss = person("boss", role="manager")
    team = Team.objects.create(slug="care", name="Care")
    amb = person("amb", level=2)
    client.force_login(boss)
    response = client.post(
        f"/ambassadors/manage/teams/{team.pk}/",
        {"name": "Customer care", "slug": "care", "members": [amb.profile.pk]},
    )
    assert response.status_code == 302
    amb.profile.refresh_from_db()
    assert amb.profile.team_id == team.pk
    team.refresh_from_db()
    assert team.name == "Customer care"


def test_a_routing_rule_form_explains_its_errors_and_saves(program, client):
    client.force_login(person("boss", role="manager"))
    bad = client.post(
        "/engagement/manage/routingrules/new/", {"name": "", "position": "x"}
    )
    assert bad.status_code == 400
    assert {"name", "position"} <= set(bad.context["form"].errors)
    team = Team.objects.create(slug="sales", name="Sales")
    ok = client.post(
        "/engagement/manage/routingrules/new/",
        {
            "name": "Purchases to sales",
            "position": "10",
            "enabled": "on",
            "intents": ["purchase"],
            "keywords": "买, 价格",
            "set_team": team.pk,
        },
    )
    assert ok.status_code == 302
    rule = RoutingRule.objects.get()
    assert rule.keywords == ["买", "价格"]
    assert rule.intents == ["purchase"]


def test_an_admin_edits_a_level_and_a_course(program, client):
    client.force_login(person("root", role="admin"))
    from ambassadors.models import Level

    level = Level.objects.get(rank=2)
    bad = client.post(
        f"/ambassadors/manage/levels/{level.pk}/",
        {"rank": "7", "name_zh": "专业", "approved_replies": "10", "min_csat": "9"},
    )
    assert bad.status_code == 400
    assert {"rank", "min_csat"} <= set(bad.context["form"].errors)
    course = program["escalation"]
    page = client.get(f"/ambassadors/manage/courses/{course.pk}/edit/")
    assert page.status_code == 200
    assert (
        client.get(f"/ambassadors/manage/courses/{course.pk}/quiz/").status_code == 200
    )
