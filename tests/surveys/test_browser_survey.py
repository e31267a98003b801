"""In a real browser: an admin builds a survey, a member of the public answers it in
Chinese on a phone-sized screen, and the results page shows the answer."""

import pytest

from surveys.models import Invitation, Response, Survey
from tests.coupons.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {
    "viewport": {"width": 375, "height": 667},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
}


def test_a_survey_is_built_answered_on_a_phone_and_shown_in_results(
    browser, live_server, admin_user, monkeypatch
):
    from surveys import tasks

    monkeypatch.setattr(tasks.analyze_response, "delay", lambda response_id: None)
    admin = browser.new_page()
    sign_in(admin, live_server, admin_user.username)

    # 1. The admin builds the survey.
    admin.goto(f"{live_server.url}/s/manage/new/")
    admin.fill("#id_title_zh", "戴尔服务满意度调查")
    admin.fill("#id_title_en", "Dell service survey")
    admin.click("form.offer-form button[type=submit]")
    admin.wait_for_selector("#add-question")
    survey = Survey.objects.get()

    def add_question(kind: str, text_zh: str, *, required: bool, choices: str = ""):
        form = admin.locator("#add-question")
        form.locator("select[name=kind]").select_option(kind)
        form.locator("input[name=text_zh]").fill(text_zh)
        box = form.locator("input[name=required]")
        box.check() if required else box.uncheck()
        form.locator("textarea[name=choices]").fill(choices)
        form.locator("button[type=submit]").click()
        admin.wait_for_selector(f"text={text_zh}")

    add_question("nps", "您有多大可能向朋友推荐戴尔？", required=True)
    add_question(
        "single",
        "您主要用电脑做什么？",
        required=True,
        choices="工作|Work\n游戏|Gaming",
    )
    add_question("idea", "您对戴尔产品有什么新想法？", required=False)
    settings_form = admin.locator("#survey-settings")
    settings_form.locator("select[name=status]").select_option("open")
    settings_form.locator("button[type=submit]").click()
    admin.wait_for_selector("#survey-status")
    admin.locator("form[action$='/links/'] button[type=submit]").click()
    admin.wait_for_selector(".linkbox")
    link = Invitation.objects.get(survey=survey)
    assert admin.inner_text(".linkbox") == link.url

    # 2. A member of the public answers on a phone, in Chinese, without a login.
    phone = browser.new_context(**PHONE).new_page()
    phone.goto(f"{live_server.url}/s/{link.token}")
    assert phone.get_attribute("html", "lang") == "zh-hans"
    assert "戴尔服务满意度调查" in phone.inner_text("h1")
    # Nothing is wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.locator("button.survey-submit").click()  # nothing answered yet
    phone.wait_for_selector("#error-summary")
    assert Response.objects.count() == 0
    phone.locator(".q-nps label.option", has_text="9").first.click()
    phone.locator(".q-single label.option", has_text="游戏").click()
    phone.locator(".q-idea textarea").fill("希望出一款续航一整天的轻薄游戏本")
    phone.locator("button.survey-submit").click()
    phone.wait_for_selector("#thanks-text")
    assert Response.objects.get().nps_score == 9

    # 3. The results page shows the answer.
    admin.goto(f"{live_server.url}/s/manage/{survey.id}/results/")
    assert admin.inner_text("#nps") == "100"
    assert "希望出一款续航一整天的轻薄游戏本" in admin.inner_text("body")
    phone.close()
    admin.close()
