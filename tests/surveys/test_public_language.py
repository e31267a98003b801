"""The public survey page speaks the respondent's language (issue 14.7): the
browser's Accept-Language, else the link's platform; a switch, remembered."""

import pytest

from tests.surveys.factories import general_link, make_survey

pytestmark = pytest.mark.django_db


def _open(client, link, **headers):
    return client.get(f"/s/{link.token}", **headers)


def test_an_english_browser_opening_a_twitter_link_gets_english(client):
    link = general_link(make_survey(), platform="twitter")
    page = _open(client, link, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page.status_code == 200
    assert page["Content-Language"] == "en"
    assert "Service survey" in page.content.decode()


def test_a_chinese_browser_gets_chinese_even_on_twitter(client):
    link = general_link(make_survey(), platform="twitter")
    page = _open(client, link, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert page["Content-Language"] == "zh-hans"


def test_without_a_browser_preference_the_platform_decides(client):
    survey = make_survey()
    assert _open(client, general_link(survey, "twitter"))["Content-Language"] == "en"
    weibo = _open(client, general_link(survey, "weibo"))
    assert weibo["Content-Language"] == "zh-hans"


def test_the_switch_is_remembered(client):
    link = general_link(make_survey(), platform="twitter")
    switched = client.get(f"/s/{link.token}?lang=zh-hans", HTTP_ACCEPT_LANGUAGE="en")
    assert switched["Content-Language"] == "zh-hans"
    assert switched.cookies["survey_lang"].value == "zh-hans"
    again = _open(client, link, HTTP_ACCEPT_LANGUAGE="en")
    assert again["Content-Language"] == "zh-hans"
