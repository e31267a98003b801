"""The public page: no login, Chinese by default, clear errors, flood limits."""

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from surveys.models import Response
from surveys.public import SUBMISSIONS_PER_10_MINUTES, VIEWS_PER_MINUTE
from surveys.services import survey_update
from tests.coupons.factories import make_campaign, make_codes
from tests.surveys.factories import (
    full_answers,
    general_link,
    make_survey,
    personal_link,
    questions_of,
)

pytestmark = pytest.mark.django_db


def in_chinese(message: str) -> str:
    """An interface string as the Chinese page shows it (the lead compiles the
    translations; until then it is the English text, in a zh-hans page)."""
    with translation.override("zh-hans"):
        return gettext(message)


def error_text(code: str) -> str:
    from surveys.errors import ERRORS

    with translation.override("zh-hans"):
        return str(ERRORS[code][1])


def form_data(survey, **by_kind) -> dict:
    return {
        f"q{qid}": values for qid, values in full_answers(survey, **by_kind).items()
    }


def test_the_page_needs_no_login_and_speaks_chinese_by_default(client):
    survey = make_survey()
    link = personal_link(survey)
    # A browser that states no language (an English one gets English: issue 14).
    response = client.get(f"/s/{link.token}")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in body
    assert "服务满意度调查" in body
    assert "满意吗？" in body
    assert in_chinese("Submit") in body
    assert "Service survey" not in body
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_page_switches_to_english_on_request(client):
    survey = make_survey()
    link = general_link(survey)
    body = client.get(f"/s/{link.token}/?lang=en").content.decode()
    assert "Service survey" in body
    assert "Satisfied?" in body
    assert "Submit" in body


def test_the_page_is_accessible_form_markup(client):
    survey = make_survey()
    body = client.get(f"/s/{general_link(survey).token}").content.decode()
    assert body.count("<fieldset") == len(questions_of(survey))
    assert body.count("<legend") == len(questions_of(survey))
    assert 'name="viewport"' in body
    assert "<label" in body
    assert 'type="radio"' in body
    assert 'type="checkbox"' in body


def test_a_valid_submission_thanks_the_respondent_and_shows_the_reward(client):
    campaign = make_campaign()
    make_codes(campaign, count=1)
    survey = make_survey(reward_campaign=campaign, thanks_zh="谢谢您！")
    link = personal_link(survey)
    response = client.post(f"/s/{link.token}", form_data(survey))
    assert response.status_code == 302
    thanks = client.get(response["Location"])
    body = thanks.content.decode()
    code = Response.objects.get().reward_code
    assert thanks.status_code == 200
    assert "谢谢您！" in body
    assert code.display in body


def test_a_used_link_gets_a_clear_page(client):
    survey = make_survey()
    link = personal_link(survey)
    client.post(f"/s/{link.token}", form_data(survey))
    again = client.get(f"/s/{link.token}")
    assert again.status_code == 410
    assert error_text("link_used") in again.content.decode()
    posted = client.post(f"/s/{link.token}", form_data(survey))
    assert posted.status_code == 410
    assert Response.objects.count() == 1


def test_a_closed_survey_gets_a_clear_page(client):
    survey = make_survey()
    link = general_link(survey)
    survey_update(survey_id=survey.id, status="closed")
    response = client.get(f"/s/{link.token}")
    assert response.status_code == 410
    assert error_text("survey_closed") in response.content.decode()


def test_an_unknown_link_gets_a_clear_page(client):
    response = client.get("/s/abcdefghjk")
    assert response.status_code == 404
    assert error_text("link_not_found") in response.content.decode()


def test_invalid_answers_are_explained_beside_each_question_and_kept(client):
    survey = make_survey()
    link = personal_link(survey)
    data = form_data(survey, nps=["12"], idea=["我的想法 <b>粗体</b>"])
    response = client.post(f"/s/{link.token}", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in body
    assert 'aria-invalid="true"' in body
    with translation.override("zh-hans"):
        expected = gettext("Please choose a score from %(low)s to %(high)s.") % {
            "low": 0,
            "high": 10,
        }
    assert expected in body
    assert "我的想法 &lt;b&gt;粗体&lt;/b&gt;" in body  # kept, escaped
    assert not Response.objects.exists()
    link.refresh_from_db()
    assert link.used_at is None


def test_garbage_input_never_breaks_the_page(client):
    survey = make_survey()
    link = general_link(survey)
    rating = questions_of(survey)["rating"].id
    for data in (
        {f"q{rating}": "x" * 10_000},
        {f"q{rating}": ["1", "2", "3"]},
        {"q999999": "1"},
        {f"q{rating}": "\x00"},
    ):
        assert client.post(f"/s/{link.token}", data).status_code == 400
    assert not Response.objects.exists()


@pytest.fixture
def one_window(monkeypatch):
    """The counters' clock stands still: a slow run cannot cross into the next
    window half-way through a flood."""
    monkeypatch.setattr("surveys.ratelimit._now", lambda: 1_800_000_000.0)


def test_a_flood_of_page_views_from_one_address_is_held_back(one_window):
    survey = make_survey()
    link = general_link(survey)
    client = Client(REMOTE_ADDR="10.0.0.1")
    statuses = [
        client.get(f"/s/{link.token}").status_code for _ in range(VIEWS_PER_MINUTE + 1)
    ]
    assert statuses[:-1] == [200] * VIEWS_PER_MINUTE
    assert statuses[-1] == 429
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert other.get(f"/s/{link.token}").status_code == 200


def test_a_flood_of_submissions_from_one_address_is_held_back(one_window):
    survey = make_survey()
    link = general_link(survey)
    client = Client(REMOTE_ADDR="10.0.0.3")
    statuses = [
        client.post(f"/s/{link.token}", form_data(survey)).status_code
        for _ in range(SUBMISSIONS_PER_10_MINUTES + 1)
    ]
    assert statuses.count(302) == SUBMISSIONS_PER_10_MINUTES
    assert statuses[-1] == 429
    assert Response.objects.count() == SUBMISSIONS_PER_10_MINUTES


def test_the_thanks_page_needs_a_signed_response(client):
    survey = make_survey()
    link = general_link(survey)
    assert client.get(f"/s/{link.token}/thanks/?r=1").status_code == 404
