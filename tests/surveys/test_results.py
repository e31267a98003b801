"""Results: NPS, CSAT, per question, by platform, recurring ideas, exports."""

import csv
import io

import pytest
from django.urls import reverse

from surveys.models import Answer
from surveys.selectors import survey_results
from surveys.services import response_analyze, survey_response_submit
from tests.surveys.factories import (
    full_answers,
    general_link,
    make_survey,
    personal_link,
)

pytestmark = pytest.mark.django_db


def answer(survey, link, **by_kind):
    return survey_response_submit(
        token=link.token, answers=full_answers(survey, **by_kind)
    )


def test_nps_is_promoters_minus_detractors_and_csat_the_share_of_four_and_five():
    survey = make_survey()
    link = general_link(survey)
    for nps, rating in [(10, 5), (9, 4), (8, 3), (6, 2), (0, 1)]:
        answer(survey, link, nps=[str(nps)], rating=[str(rating)])
    total = survey_results(survey_id=survey.id).total
    assert (total.promoters, total.passives, total.detractors) == (2, 1, 2)
    assert total.nps == 0  # 40% promoters − 40% detractors
    assert total.csat == 40  # 2 of 5 gave 4 or 5


def test_scores_are_split_by_platform():
    survey = make_survey()
    for nps in ("10", "10"):
        answer(survey, general_link(survey, "weibo"), nps=[nps])
    answer(survey, general_link(survey, "twitter"), nps=["3"])
    by = {
        key: scores
        for key, _label, scores in survey_results(survey_id=survey.id).by_platform
    }
    assert by["weibo"].nps == 100
    assert by["twitter"].nps == -100
    only = survey_results(survey_id=survey.id, platform="twitter").total
    assert only.responses == 1


def test_choice_questions_count_each_option():
    survey = make_survey()
    link = general_link(survey)
    answer(survey, link, single=["0"], multiple=["0", "1"])
    answer(survey, link, single=["1"], multiple=["1"])
    results = {
        q.question.kind: q for q in survey_results(survey_id=survey.id).questions
    }
    assert results["single"].distribution == [("工作", 1), ("游戏", 1)]
    assert results["multiple"].distribution == [("续航", 1), ("重量", 2), ("价格", 0)]
    nps = dict(results["nps"].distribution)
    assert nps["9"] == 2
    assert len(nps) == 11


def test_recurring_product_ideas_surface_as_keywords():
    survey = make_survey()
    link = general_link(survey)
    ideas = [
        "希望笔记本电池续航更长",
        "电池续航太短了，出差不够用",
        "屏幕再亮一点",
        "续航和电池是我最在意的",
    ]
    for idea in ideas:
        response = answer(survey, link, idea=[idea])
    response_analyze(response_id=response.id)  # one analysed by the worker ...
    assert Answer.objects.filter(analyzed_at__isnull=False).count() == 1
    idea = next(
        q
        for q in survey_results(survey_id=survey.id).questions
        if q.question.kind == "idea"
    )  # ... the rest analysed for the page
    top = dict(idea.keywords)
    assert top.get("电池") == 3
    assert top.get("续航") == 3
    assert sum(idea.sentiments.values()) == 4


def test_the_results_page_shows_answers_linked_to_case_and_ambassador(
    admin_client, ambassador
):
    from engagement.models import Case

    case = Case.objects.create(platform="weibo", thread_key="1")
    survey = make_survey()
    link = personal_link(survey, case_id=case.id, ambassador=ambassador)
    answer(survey, link, idea=["<img src=x onerror=alert(1)> 想要更轻的电脑"])
    body = admin_client.get(reverse("surveys:results", args=[survey.id])).content
    text = body.decode()
    assert "想要更轻的电脑" in text
    assert "<img src=x" not in text
    assert "&lt;img src=x" in text
    assert f"#{case.id}" in text
    assert "amb1" in text
    assert text.count("<svg") >= 4


def test_responses_export_as_csv_with_one_column_per_question(admin_client):
    survey = make_survey()
    answer(survey, general_link(survey), idea=['=HYPERLINK("http://x")'])
    response = admin_client.get(reverse("surveys:csv", args=[survey.id]))
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][-5:] == ["满意吗？", "会推荐吗？", "用途", "看重", "产品想法"]
    assert rows[1][-5:-1] == ["5", "9", "工作", "续航; 价格"]
    assert rows[1][-1].startswith("'=")  # no formula injection
