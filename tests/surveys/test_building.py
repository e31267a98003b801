"""Building surveys: services and the admin's builder pages."""

import pytest
from django.urls import reverse

from common.errors import DomainError
from surveys.models import Invitation, Question, Survey
from surveys.services import (
    question_add,
    question_delete,
    question_move,
    question_update,
    survey_create,
    survey_response_submit,
    survey_update,
)
from tests.surveys.factories import full_answers, general_link, make_survey

pytestmark = pytest.mark.django_db


def test_a_survey_is_made_with_its_questions_in_order():
    survey = make_survey()
    kinds = list(survey.questions.values_list("kind", flat=True))
    assert kinds == ["rating", "nps", "single", "multiple", "idea"]
    assert survey.questions.get(kind="single").choice_labels("en") == ["Work", "Gaming"]


def test_a_survey_without_questions_cannot_open():
    with pytest.raises(DomainError) as refused:
        survey_create(title_zh="空", status="open")
    assert refused.value.code == "survey_empty"
    survey = survey_create(title_zh="空")
    with pytest.raises(DomainError):
        survey_update(survey_id=survey.id, status="open")


@pytest.mark.parametrize(
    "question",
    [
        {"kind": "single", "text_zh": "只有一个", "choices": [{"zh": "是"}]},
        {"kind": "essay", "text_zh": "?"},
        {"kind": "text", "text_zh": " ", "text_en": ""},
        {"kind": "multiple", "text_zh": "?", "choices": [{"zh": ""}, {"en": ""}]},
    ],
)
def test_an_invalid_question_is_refused(question):
    survey = survey_create(title_zh="调查")
    with pytest.raises(DomainError) as refused:
        question_add(survey_id=survey.id, **question)
    assert refused.value.code == "invalid_survey"
    assert not Question.objects.exists()


def test_questions_move_up_and_down():
    survey = make_survey()
    nps = survey.questions.get(kind="nps")
    question_move(question_id=nps.id, offset=-1)
    assert list(survey.questions.values_list("kind", flat=True))[:2] == [
        "nps",
        "rating",
    ]
    question_move(question_id=nps.id, offset=-1)  # already first: nothing happens
    assert survey.questions.first().kind == "nps"


def test_an_answered_question_keeps_its_structure():
    survey = make_survey()
    survey_response_submit(
        token=general_link(survey).token, answers=full_answers(survey)
    )
    single = survey.questions.get(kind="single")
    with pytest.raises(DomainError) as refused:
        question_delete(question_id=single.id)
    assert refused.value.code == "question_answered"
    with pytest.raises(DomainError):
        question_update(question_id=single.id, kind="text")
    question_update(question_id=single.id, text_en="Main use")  # wording may change
    assert Question.objects.get(id=single.id).text_en == "Main use"


def test_an_admin_builds_a_survey_in_the_browser(admin_client):
    response = admin_client.post(
        reverse("surveys:create"),
        {"title_zh": "新品调查", "title_en": "New product survey", "status": "draft"},
    )
    survey = Survey.objects.get()
    assert response["Location"] == reverse("surveys:builder", args=[survey.id])
    admin_client.post(
        reverse("surveys:question_add", args=[survey.id]),
        {
            "kind": "single",
            "text_zh": "您的年龄？",
            "text_en": "Your age?",
            "required": "on",
            "choices": "18 岁以下 | Under 18\n18–30 | 18–30\n\n30 岁以上|Over 30",
        },
    )
    admin_client.post(
        reverse("surveys:question_add", args=[survey.id]),
        {"kind": "idea", "text_zh": "您的产品想法"},
    )
    questions = list(survey.questions.all())
    assert [q.kind for q in questions] == ["single", "idea"]
    assert questions[0].choices[2] == {"zh": "30 岁以上", "en": "Over 30"}
    assert questions[0].required
    assert not questions[1].required
    page = admin_client.get(reverse("surveys:builder", args=[survey.id]))
    assert "您的年龄？" in page.content.decode()
    admin_client.post(
        reverse("surveys:builder", args=[survey.id]),
        {"title_zh": "新品调查", "title_en": "New product survey", "status": "open"},
    )
    survey.refresh_from_db()
    assert survey.status == "open"
    admin_client.post(
        reverse("surveys:link_create", args=[survey.id]), {"platform": "weibo"}
    )
    link = Invitation.objects.get(survey=survey)
    assert link.kind == "general"
    assert link.platform == "weibo"
    assert (
        link.url
        in admin_client.get(
            reverse("surveys:builder", args=[survey.id])
        ).content.decode()
    )


def test_the_new_survey_form_says_before_that_a_survey_opens_with_a_question(
    admin_client,
):
    page = admin_client.get(reverse("surveys:create")).content.decode()
    assert "调查至少有一个问题后才能开放作答" in page  # the admin reads Chinese


def test_a_new_survey_asked_open_is_saved_as_a_draft_and_says_why(admin_client):
    response = admin_client.post(
        reverse("surveys:create"),
        {"title_zh": "新品调查", "status": "open"},
        follow=True,
    )
    survey = Survey.objects.get()
    assert survey.status == "draft"
    assert survey.title_zh == "新品调查"  # nothing typed is lost
    assert response.redirect_chain[-1][0] == reverse(
        "surveys:builder", args=[survey.id]
    )
    notes = [str(m) for m in response.context["messages"]]
    assert any("draft" in n or "草稿" in n for n in notes), notes


def test_opening_a_survey_without_questions_in_the_builder_says_why(admin_client):
    survey = survey_create(title_zh="空")
    response = admin_client.post(
        reverse("surveys:builder", args=[survey.id]),
        {"title_zh": "空", "status": "open"},
    )
    assert response.status_code == 200
    assert "至少" in response.content.decode() or "at least one question" in (
        response.content.decode()
    )
    survey.refresh_from_db()
    assert survey.status == "draft"


def test_the_last_question_of_an_open_survey_cannot_be_removed():
    survey = survey_create(
        title_zh="调查",
        status="open",
        questions=[{"kind": "idea", "text_zh": "您的想法"}],
    )
    only = survey.questions.get()
    with pytest.raises(DomainError) as refused:
        question_delete(question_id=only.id)
    assert refused.value.code == "survey_last_question"
    assert survey.questions.count() == 1
    survey_update(survey_id=survey.id, status="draft")
    question_delete(question_id=only.id)  # a draft may be emptied
    assert not survey.questions.exists()


def test_a_question_without_choices_is_explained_not_added(admin_client):
    survey = survey_create(title_zh="调查")
    response = admin_client.post(
        reverse("surveys:question_add", args=[survey.id]),
        {"kind": "single", "text_zh": "选一个", "choices": ""},
        follow=True,
    )
    assert not Question.objects.exists()
    assert list(response.context["messages"])


def test_managers_see_results_but_do_not_build(manager_client):
    survey = make_survey()
    assert manager_client.get(reverse("surveys:manage_list")).status_code == 200
    assert (
        manager_client.get(reverse("surveys:results", args=[survey.id])).status_code
        == 200
    )
    assert (
        manager_client.get(reverse("surveys:builder", args=[survey.id])).status_code
        == 403
    )
    assert manager_client.get(reverse("surveys:create")).status_code == 403


def test_the_preview_shows_the_questions_without_a_submit_button(admin_client):
    survey = make_survey(status="draft")
    body = admin_client.get(reverse("surveys:preview", args=[survey.id])).content
    assert "满意吗？".encode() in body
    assert b"survey-submit" not in body
