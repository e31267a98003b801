"""The surveys REST API."""

import pytest
from rest_framework.test import APIClient

from surveys.models import Survey
from surveys.services import survey_response_submit
from tests.coupons.factories import make_user
from tests.surveys.factories import QUESTIONS, full_answers, general_link, make_survey

pytestmark = pytest.mark.django_db


def test_an_admin_creates_a_survey_with_its_questions(admin_api):
    response = admin_api.post(
        "/api/v1/surveys/",
        {
            "title_zh": "调查",
            "title_en": "Survey",
            "status": "open",
            "questions": QUESTIONS,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [q["kind"] for q in body["questions"]] == [q["kind"] for q in QUESTIONS]
    assert Survey.objects.get().questions.count() == len(QUESTIONS)


@pytest.mark.parametrize(
    "body",
    [
        {"title_zh": "", "title_en": ""},
        {"title_zh": "x", "questions": [{"kind": "single", "text_zh": "?"}]},
        {"title_zh": "x", "questions": [{"kind": "nope", "text_zh": "?"}]},
        {"title_zh": "x", "status": "open"},
        {
            "title_zh": "x",
            "opens_at": "2030-01-02T00:00Z",
            "closes_at": "2030-01-01T00:00Z",
        },
    ],
)
def test_an_invalid_survey_is_a_clear_4xx_and_stores_nothing(admin_api, body):
    response = admin_api.post("/api/v1/surveys/", body, format="json")
    assert response.status_code in (400, 409)
    assert response.json()["code"] in ("invalid", "survey_empty")
    assert not Survey.objects.exists()


def test_opening_a_survey_without_questions_through_the_api_is_a_clear_409(
    admin_api,
):
    created = admin_api.post(
        "/api/v1/surveys/", {"title_zh": "x", "status": "open"}, format="json"
    )
    assert created.status_code == 409
    assert created.json()["code"] == "survey_empty"
    assert (
        "question" in created.json()["message"] or "问题" in (created.json()["message"])
    )
    assert not Survey.objects.exists()
    draft = admin_api.post("/api/v1/surveys/", {"title_zh": "x"}, format="json")
    assert draft.status_code == 201
    opened = admin_api.patch(
        f"/api/v1/surveys/{draft.json()['id']}/", {"status": "open"}, format="json"
    )
    assert opened.status_code == 409
    assert opened.json()["code"] == "survey_empty"
    assert Survey.objects.get().status == "draft"


def test_links_are_made_personal_or_general(admin_api):
    survey = make_survey()
    personal = admin_api.post(
        f"/api/v1/surveys/{survey.id}/invitations/",
        {"platform": "weibo", "platform_user_id": "1001"},
        format="json",
    ).json()
    general = admin_api.post(
        f"/api/v1/surveys/{survey.id}/invitations/",
        {"platform": "twitter"},
        format="json",
    ).json()
    assert personal["kind"] == "personal"
    assert personal["url"].endswith(personal["token"])
    assert general["kind"] == "general"
    assert general["platform"] == "twitter"
    listed = admin_api.get(
        f"/api/v1/surveys/{survey.id}/invitations/", {"kind": "general"}
    ).json()
    assert [i["id"] for i in listed["results"]] == [general["id"]]
    missing = admin_api.post(
        "/api/v1/surveys/999999/invitations/", {"platform": "weibo"}, format="json"
    )
    assert missing.status_code == 404
    assert missing.json()["code"] == "survey_not_found"


def test_responses_and_results_are_read_with_filters(admin_api):
    survey = make_survey()
    survey_response_submit(
        token=general_link(survey, "weibo").token, answers=full_answers(survey)
    )
    survey_response_submit(
        token=general_link(survey, "renren").token,
        answers=full_answers(survey, nps=["2"]),
    )
    body = admin_api.get(
        "/api/v1/surveys/responses/", {"survey": survey.id, "platform": "renren"}
    ).json()
    assert body["count"] == 1
    assert body["results"][0]["nps_score"] == 2
    assert len(body["results"][0]["answers"]) == 5
    results = admin_api.get(f"/api/v1/surveys/{survey.id}/results/").json()
    assert results["total"]["responses"] == 2
    assert results["total"]["nps"] == 0
    assert {p["platform"] for p in results["by_platform"]} == {"weibo", "renren"}
    bad = admin_api.get(f"/api/v1/surveys/{survey.id}/results/", {"platform": "x"})
    assert bad.status_code == 400


def test_only_admins_and_managers_read_surveys(shop_api):
    make_survey()
    assert shop_api.get("/api/v1/surveys/").status_code == 403
    ambassador = APIClient()
    ambassador.force_authenticate(make_user("amb3"))
    assert ambassador.get("/api/v1/surveys/responses/").status_code == 403
    manager = APIClient()
    manager.force_authenticate(make_user("mgr3", role="manager"))
    assert manager.get("/api/v1/surveys/").status_code == 200
    assert (
        manager.post("/api/v1/surveys/", {"title_zh": "x"}, format="json").status_code
        == 403
    )
