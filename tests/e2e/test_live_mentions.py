"""The live mentions list in a real browser: a post that arrives while the page is
open is put in place by static/js/app.js, which parses the server's fragment. A
hostile post stays text there: no markup, nothing runs."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.e2e.conftest import sign_in
from tests.engagement.factories import make_mention
from tests.notifications.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
EVIL = (
    '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    '<svg onload="window.__pwned=3"></svg>" onmouseover="window.__pwned=4'
)


def test_a_hostile_post_arriving_live_is_shown_as_text(live_server, new_page):
    make_user("live_manager", language="en")
    now = timezone.now()
    make_mention(
        author="calm", text="戴尔 第一条", created_at=now - dt.timedelta(hours=1)
    )
    page = new_page()
    sign_in(page, live_server, "live_manager")
    page.goto(f"{live_server.url}/listening/mentions/")
    page.wait_for_selector("#mention-rows tr.mention")
    assert page.locator("#mention-rows tr.mention").count() == 1

    hostile = make_mention(author="troll", text=f"戴尔 {EVIL}", created_at=now)
    hostile.author.__class__.objects.filter(pk=hostile.author_id).update(
        screen_name=EVIL[:60], name=EVIL[:60]
    )
    page.wait_for_function(
        "document.querySelectorAll('#mention-rows tr.mention').length === 2",
        timeout=20_000,
    )
    top = page.locator("#mention-rows tr.mention").first
    assert EVIL in top.inner_text()  # the newest post, on top, as text
    assert (
        page.locator(
            "#mention-rows img, #mention-rows script, #mention-rows svg"
        ).count()
        == 0
    )
    top.hover()
    page.wait_for_timeout(500)
    assert page.evaluate("window.__pwned") is None
