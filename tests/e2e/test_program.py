"""Browser: an ambassador reads a lesson and takes the orientation quiz on a
phone-sized screen in Chinese and sees their level change; a manager approves a
handle and edits a team."""

from __future__ import annotations

import pytest

from ambassadors.demo import program_seed, records_seed
from ambassadors.governance.services import handle_register
from ambassadors.models import Certification, Course, PlatformHandle, Team
from ambassadors.services import profile_update, user_create
from tests.e2e.conftest import PASSWORD, TIMEOUT_MS, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _person(username, *, role="ambassador", level=0, team=None):
    user = user_create(username=username, password=PASSWORD, role=role)
    profile_update(
        profile=user.profile, team=team, disclosure_signature="—戴尔员工 小刘"
    )
    records_seed(user=user, level=level)
    return user


def test_a_new_hire_takes_the_orientation_on_a_phone_in_chinese(
    browser, live_server, shoot
):
    program_seed()
    hire = _person("xiaoliu")
    course = Course.objects.get(slug="orientation")
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    context.set_default_timeout(TIMEOUT_MS)
    # The first request of a fresh live server loads the whole app: give it time
    # on a busy machine.
    context.set_default_navigation_timeout(TIMEOUT_MS * 4)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        sign_in(page, live_server, "xiaoliu")
        page.goto(f"{live_server.url}/ambassadors/training/")
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert "未认证" in page.locator("#my-level").inner_text()
        shoot(page, "program-1-my-training-phone")
        page.click("#resume")
        page.click("#start-lesson")
        assert "为什么我们在社交媒体上发言" in page.locator("h1").inner_text()
        shoot(page, "program-2-lesson-phone")
        page.click("#lesson-done")
        page.wait_for_url("**/training/lesson/**")
        page.goto(f"{live_server.url}/ambassadors/training/course/{course.pk}/")
        page.click("#take-quiz")
        page.wait_for_selector("#quiz-form")
        # No horizontal scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shoot(page, "program-3-quiz-phone")
        for question in course.quiz.questions.prefetch_related("choices"):
            for choice in question.choices.all():
                if choice.correct:
                    page.check(f"input[name='q_{question.pk}'][value='{choice.pk}']")
        page.click("#submit-quiz")
        page.wait_for_selector("#result")
        assert page.locator("#passed").is_visible()
        assert "爱好者" in page.locator("#level-now").inner_text()
        shoot(page, "program-4-result-phone")
        page.goto(f"{live_server.url}/ambassadors/training/")
        assert "爱好者" in page.locator("#my-level").inner_text()
        assert "专业人员" in page.locator("#next-level").inner_text()
        hire.profile.refresh_from_db()
        assert hire.profile.certification == Certification.ENTHUSIAST
        assert not errors, errors
    finally:
        context.close()


def test_a_manager_approves_a_handle_and_edits_a_team(new_page, live_server, shoot):
    program_seed()
    team = Team.objects.create(slug="care", name="客户关怀")
    _person("boss", role="manager", team=team)
    amb = _person("xiaowang", level=1)
    handle_register(
        user=amb, platform="weibo", handle="戴尔小王", disclosure="戴尔员工 小王"
    )
    page = new_page()
    sign_in(page, live_server, "boss")
    page.goto(f"{live_server.url}/ambassadors/manage/handles/")
    row = page.locator("tr[data-handle='戴尔小王']")
    row.locator("input[name='note']").fill("身份已核实")
    shoot(page, "program-5-handles")
    row.locator("button[value='approve']").click()
    page.wait_for_selector(".message")
    handle = PlatformHandle.objects.get(profile__user=amb)
    assert handle.status == "approved"
    assert handle.review_note == "身份已核实"
    page.goto(f"{live_server.url}/ambassadors/manage/teams/{team.pk}/")
    page.fill("#id_name", "客户关怀（新）")
    page.check(f"input[name='members'][value='{amb.profile.pk}']")
    page.click("button.primary")
    page.wait_for_url("**/manage/teams/")
    assert "客户关怀（新）" in page.locator("#records").inner_text()
    shoot(page, "program-6-teams")
    amb.profile.refresh_from_db()
    team.refresh_from_db()
    assert team.name == "客户关怀（新）"
    assert amb.profile.team_id == team.pk
