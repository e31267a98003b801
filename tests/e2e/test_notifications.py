"""The bell in a real browser: a count in the header, the list, a click that lands on
the thing and clears the count; hostile values stay text; phone width."""

import pytest

from notifications.services import notification_send
from tests.e2e.conftest import sign_in
from tests.notifications.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
HOSTILE = '<img src=x onerror="window.__pwned=1">'


def test_the_bell_leads_to_the_notification_and_clears(live_server, new_page, shoot):
    manager = make_user("duty_manager", language="en")
    notification_send(
        user_ids=[manager.id],
        kind="listening.alert",
        params={"rule": f"XPS {HOSTILE}", "summary": HOSTILE},
        url="/notifications/preferences/",
    )
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "duty_manager")
    count = page.locator("#bell .bell-count")
    count.wait_for()
    assert count.inner_text() == "1"
    shoot(page, "notifications-bell-phone")

    page.click("#bell")
    page.wait_for_url("**/notifications/")
    title = page.locator(".notification-title").first
    assert title.inner_text() == f"Alert: XPS {HOSTILE}"
    assert page.evaluate("window.__pwned") is None
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the notifications page is {width}px wide on a phone"
    shoot(page, "notifications-list-phone")

    title.click()
    page.wait_for_url("**/notifications/preferences/")
    page.locator("#preferences-form").wait_for()
    page.wait_for_load_state("networkidle")
    assert page.locator("#bell .bell-count").count() == 0
