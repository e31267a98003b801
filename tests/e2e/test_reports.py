"""A manager opens the team report and the revenue report in a real browser and
drills from a chart and a table row into the cases behind them."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import sign_in
from tests.reports.dataset import build_week

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WEEK = "start=2026-11-23&end=2026-11-29"


def test_manager_drills_from_reports_into_a_case(
    live_server, new_page, shoot, settings
):
    settings.LANGUAGE_CODE = "en"
    week = build_week()
    page = new_page()
    sign_in(page, live_server, "mgr")
    page.goto(f"{live_server.url}/reports/team/?{WEEK}&group_by=ambassador")
    assert page.inner_text("#kpi-opened") == "5"
    assert page.locator("#team-table tbody tr").count() == 3
    shoot(page, "reports-team")
    # The longest bar is amb1's three cases: the chart drills down to them.
    page.locator("svg.hbars a.drill").first.click()
    page.wait_for_url("**/reports/cases/**")
    links = page.locator("#drill-cases a.case-link")
    assert links.count() == 3
    drilled = page.inner_text("#drill-cases")
    # amb1's three cases, newest first, their summaries shown as text.
    assert [f"summary {n} <b>bold</b>" in drilled for n in ("c1", "c2", "c3")] == [
        True,
        True,
        True,
    ]
    assert "summary c4" not in drilled
    shoot(page, "reports-drill")
    links.first.click()
    page.wait_for_url(f"**/engagement/cases/{week.cases['c3'].pk}/")
    assert page.locator("h1").inner_text().endswith(f"#{week.cases['c3'].pk}")

    page.goto(f"{live_server.url}/reports/revenue/?{WEEK}&group_by=platform")
    assert page.inner_text("#kpi-order-value") == "1800.00"
    shoot(page, "reports-revenue")
    page.locator("#revenue-table tr[data-key='twitter'] th a").click()
    page.wait_for_url("**/reports/cases/**")
    assert page.locator("#drill-cases a.case-link").count() == 1
    page.locator("#drill-cases a.case-link").first.click()
    page.wait_for_url(f"**/engagement/cases/{week.cases['c4'].pk}/")
    codes = page.inner_text("#case-codes")
    assert "1300.00" in codes
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/reports/team/?{WEEK}")
    shoot(page, "reports-team-phone")
    assert page.locator("#team-table").is_visible()
