"""The weekly digest: opt-in, last week's figures, once per week, through a real
SMTP server."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from reports.services import digest_set, digests_send
from tests.reports.dataset import PASSWORD, build_week

pytestmark = pytest.mark.django_db
# The Monday after the data set's week.
NEXT_MONDAY = dt.date(2026, 11, 30)


def test_subscribers_get_last_weeks_figures_once(require_postgres, smtp_settings):
    week = build_week()
    User = get_user_model()  # noqa: N806
    User.objects.filter(pk__in=[week.manager.pk, week.amb1.pk, week.amb2.pk]).update(
        email="x@example.com"
    )
    for user in (week.manager, week.amb1):
        user.refresh_from_db()
        digest_set(user=user, wanted=True)
    assert digests_send(today=NEXT_MONDAY) == 2
    assert digests_send(today=NEXT_MONDAY) == 0
    messages = smtp_settings.wait(2)
    assert len(messages) == 2
    texts = [m.get_body(preferencelist=("plain",)).get_content() for m in messages]
    manager_text = next(t for t in texts if "/reports/team/" in t)
    assert "1800.00" in manager_text  # the week's order value
    assert "start=2026-11-23&end=2026-11-29" in manager_text
    ambassador_text = next(t for t in texts if "/reports/mine/" in t)
    assert "500.00" in ambassador_text and "1800.00" not in ambassador_text


def test_opting_in_and_out_from_the_page(client, require_postgres):
    week = build_week()
    client.login(username="mgr", password=PASSWORD)
    assert client.post("/reports/digest/", {"wanted": "on"}).status_code == 302
    assert 'name="wanted" value="off"' in client.get("/reports/team/").content.decode()
    client.post("/reports/digest/", {"wanted": "off"})
    assert digests_send(today=NEXT_MONDAY) == 0
    assert week
