"""Answering through links: all or nothing, single use, expiry, rewards."""

from datetime import timedelta

import pytest
from django.utils import timezone

from common.errors import DomainError
from coupons.models import CouponCode
from listening.adapters.lengths import fits
from surveys.models import Answer, Invitation, Response
from surveys.services import (
    csat_message,
    survey_invitation_create,
    survey_response_submit,
    survey_update,
)
from tests.coupons.factories import make_campaign, make_codes
from tests.surveys.factories import (
    full_answers,
    general_link,
    make_survey,
    personal_link,
    questions_of,
)

pytestmark = pytest.mark.django_db


def submit(link, answers, **extra):
    return survey_response_submit(token=link.token, answers=answers, **extra)


def refusal(link, answers) -> str:
    with pytest.raises(DomainError) as refused:
        submit(link, answers)
    return refused.value.code


def test_a_complete_answer_is_stored_with_nps_and_csat():
    survey = make_survey()
    link = personal_link(survey, uid="42")
    response = submit(link, full_answers(survey, rating=["4"], nps=["10"]))
    assert (response.csat_score, response.nps_score) == (4, 10)
    assert (response.platform, response.platform_user_id) == ("weibo", "42")
    answers = {a.question.kind: a for a in response.answers.select_related("question")}
    assert answers["multiple"].choice_indexes == [0, 2]
    assert answers["idea"].text == "希望电池续航更长"
    link.refresh_from_db()
    assert link.used_at is not None


def test_optional_questions_may_stay_empty():
    survey = make_survey()
    response = submit(general_link(survey), full_answers(survey, multiple=[], idea=[]))
    assert set(response.answers.values_list("question__kind", flat=True)) == {
        "rating",
        "nps",
        "single",
    }


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("rating", []),
        ("rating", ["6"]),
        ("rating", ["0"]),
        ("nps", ["11"]),
        ("nps", ["-1"]),
        ("nps", ["nine"]),
        ("single", ["0", "1"]),
        ("single", ["7"]),
        ("multiple", ["0", "9"]),
        ("idea", ["x" * 2001]),
    ],
)
def test_an_invalid_answer_is_explained_and_nothing_is_stored(kind, value):
    survey = make_survey()
    link = personal_link(survey)
    with pytest.raises(DomainError) as invalid:
        submit(link, full_answers(survey, **{kind: value}))
    assert list(invalid.value.details) == [questions_of(survey)[kind].id]
    assert not Response.objects.exists() and not Answer.objects.exists()
    link.refresh_from_db()
    assert link.used_at is None  # the link still works


def test_every_wrong_answer_is_reported_at_once():
    survey = make_survey()
    with pytest.raises(DomainError) as invalid:
        submit(general_link(survey), {})
    kinds = questions_of(survey)
    assert set(invalid.value.details) == {
        kinds["rating"].id,
        kinds["nps"].id,
        kinds["single"].id,
    }


def test_control_characters_are_removed_from_text_answers():
    survey = make_survey()
    response = submit(
        general_link(survey),
        full_answers(survey, idea=["  想法\x00一\x07二\r\n三 \ud800 "]),
    )
    assert response.answers.get(text__startswith="想法").text == "想法一二\n三"


def test_a_personal_link_answers_once():
    survey = make_survey()
    link = personal_link(survey)
    submit(link, full_answers(survey))
    assert refusal(link, full_answers(survey)) == "link_used"
    assert Response.objects.count() == 1


def test_a_general_link_answers_many_times():
    survey = make_survey()
    link = general_link(survey)
    for _n in range(3):
        submit(link, full_answers(survey))
    assert Response.objects.filter(invitation=link).count() == 3
    assert general_link(survey).id == link.id  # one general link per platform


def test_an_expired_personal_link_is_refused():
    survey = make_survey()
    link = personal_link(survey)
    Invitation.objects.filter(id=link.id).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert refusal(link, full_answers(survey)) == "link_expired"


def test_a_closed_survey_takes_no_answers():
    survey = make_survey()
    link = general_link(survey)
    survey_update(survey_id=survey.id, status="closed")
    assert refusal(link, full_answers(survey)) == "survey_closed"


def test_a_survey_past_its_closing_date_takes_no_answers():
    survey = make_survey()
    link = general_link(survey)
    survey_update(
        survey_id=survey.id,
        opens_at=timezone.now() - timedelta(days=2),
        closes_at=timezone.now() - timedelta(minutes=1),
    )
    assert refusal(link, full_answers(survey)) == "survey_closed"


def test_a_draft_or_future_survey_is_not_open_yet():
    survey = make_survey(status="draft")
    link = general_link(survey)
    assert refusal(link, full_answers(survey)) == "survey_not_open"
    survey_update(
        survey_id=survey.id,
        status="open",
        opens_at=timezone.now() + timedelta(hours=1),
    )
    assert refusal(link, full_answers(survey)) == "survey_not_open"


def test_an_unknown_link_is_refused():
    with pytest.raises(DomainError) as refused:
        survey_response_submit(token="nosuchtoken", answers={})
    assert refused.value.code == "link_not_found"


def test_a_respondent_of_a_personal_link_gets_the_reward_code(ambassador):
    campaign = make_campaign()
    make_codes(campaign, count=2)
    survey = make_survey(reward_campaign=campaign)
    link = personal_link(survey, uid="7", ambassador=ambassador)
    response = submit(link, full_answers(survey))
    code = CouponCode.objects.get(id=response.reward_code_id)
    assert (code.issued_platform, code.issued_platform_user_id) == ("weibo", "7")
    assert code.issued_by == ambassador


def test_answers_count_even_when_the_reward_ran_out():
    campaign = make_campaign()
    survey = make_survey(reward_campaign=campaign)  # no codes at all
    response = submit(personal_link(survey), full_answers(survey))
    assert response.reward_code is None
    assert Response.objects.count() == 1


def test_the_link_is_short_enough_for_a_weibo_reply(settings):
    settings.SITE_URL = "https://social.dell.com.cn"
    survey = make_survey()
    link = personal_link(survey)
    assert len(link.url) <= 40
    reply = "您好！非常抱歉给您带来不便，我们已经为您安排了上门检修。" * 2
    assert fits("weibo", f"{reply[:100]} {link.url}")
    assert fits("weibo", csat_message(link))
    assert len(link.token) == 10


def test_the_composer_retrying_for_the_same_case_gets_the_same_link():
    from engagement.models import Case

    case = Case.objects.create(platform="weibo", thread_key="t")
    survey = make_survey()
    first = personal_link(survey, case_id=case.id)
    again = personal_link(survey, case_id=case.id)
    other = personal_link(survey, uid="other", case_id=case.id)
    assert first.id == again.id != other.id


def test_links_are_not_made_for_closed_surveys_or_unknown_platforms():
    survey = make_survey(status="closed")
    with pytest.raises(DomainError) as refused:
        personal_link(survey)
    assert refused.value.code == "survey_closed"
    with pytest.raises(DomainError) as refused:
        survey_invitation_create(
            survey_id=make_survey().id, platform="myspace", platform_user_id="1"
        )
    assert refused.value.code == "invalid_platform"
