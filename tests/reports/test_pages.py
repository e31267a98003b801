"""The report pages, their exports, the drill-down and the API, as their users see
them."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.reports.dataset import PASSWORD, build_week

pytestmark = pytest.mark.django_db
WEEK = "start=2026-11-23&end=2026-11-29"


@pytest.fixture
def week(require_postgres):
    return build_week()


@pytest.fixture
def manager(client, week):
    client.login(username="mgr", password=PASSWORD)
    return client


def test_manager_sees_team_report_with_drill_down_links(manager, week):
    page = manager.get(f"/reports/team/?{WEEK}&group_by=ambassador")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="kpi-opened">5<' in html
    assert f"metric=opened&amp;dimension=ambassador&amp;key={week.amb1.pk}" in html
    assert "metric=heat" in html and "metric=backlog" in html
    # Case summaries are social text: escaped.
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html


def test_revenue_page_totals(manager):
    page = manager.get(f"/reports/revenue/?{WEEK}&group_by=campaign")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="kpi-order-value">1800.00<' in html
    assert 'id="kpi-net">1620.00<' in html
    assert "<script>x</script>" not in html


def test_drill_down_lists_the_cases_behind_a_bar(manager, week):
    page = manager.get(
        f"/reports/cases/?{WEEK}&metric=opened&dimension=ambassador&key={week.amb1.pk}"
    )
    html = page.content.decode()
    ids = {c.pk for n, c in week.cases.items() if n in ("c1", "c2", "c3")}
    for case_id in ids:
        assert f"/engagement/cases/{case_id}/" in html
    assert f"/engagement/cases/{week.cases['c4'].pk}/" not in html
    revenue = manager.get(
        f"/reports/cases/?{WEEK}&metric=revenue&dimension=platform&key=twitter"
    ).content.decode()
    assert f"/engagement/cases/{week.cases['c4'].pk}/" in revenue
    assert f"/engagement/cases/{week.cases['c1'].pk}/" not in revenue
    heat = manager.get(f"/reports/cases/?{WEEK}&metric=heat&weekday=6&hour=11")
    assert f"/engagement/cases/{week.cases['c4'].pk}/" in heat.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "start=2026-13-01",
        "start=2026-11-29&end=2026-11-01",
        "start=2020-01-01&end=2026-01-01",
        "group_by=nonsense",
    ],
)
def test_bad_period_or_grouping_is_a_400(manager, query):
    assert manager.get(f"/reports/team/?{query}").status_code == 400
    assert manager.get(f"/reports/revenue/?{query}").status_code == 400


def test_bad_drill_down_is_a_400(manager):
    for query in (
        "metric=zzz",
        "metric=heat&weekday=9&hour=1",
        "metric=opened&dimension=team&key=abc",
    ):
        assert manager.get(f"/reports/cases/?{WEEK}&{query}").status_code == 400


def test_ambassadors_do_not_open_the_reports(client, week):
    client.login(username="amb1", password=PASSWORD)
    assert client.get("/reports/team/").status_code == 403
    assert client.get("/reports/revenue/").status_code == 403
    assert client.get("/reports/team/export.csv").status_code == 403
    mine = client.get(f"/reports/mine/?{WEEK}")
    assert mine.status_code == 200
    assert "1800.00" not in mine.content.decode()  # their own revenue only
    assert "500.00" in mine.content.decode()


def test_exports_open_as_csv_and_xlsx(manager, week):
    response = manager.get(f"/reports/team/export.csv?{WEEK}&group_by=ambassador")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    amb1 = next(r for r in rows if r[0] == "amb1")
    assert amb1[1] == "3"  # opened
    assert rows[-1][1] == "5"  # total
    response = manager.get(f"/reports/revenue/export.xlsx?{WEEK}&group_by=platform")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[-1][2] == 1800.0  # total order value
    for table in ("breaches", "backlog", "heatmap"):
        assert (
            manager.get(f"/reports/team/export.xlsx?{WEEK}&table={table}").status_code
            == 200
        )
    for table in ("top_cases", "top_mentions"):
        response = manager.get(f"/reports/revenue/export.csv?{WEEK}&table={table}")
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "mention of" in text or "summary" in text
    assert manager.get(f"/reports/team/export.pdf?{WEEK}").status_code == 400
    assert manager.get(f"/reports/team/export.csv?{WEEK}&table=x").status_code == 400


def test_exported_text_cannot_start_a_formula(manager, week):
    week.cases["c1"].__class__.objects.filter(pk=week.cases["c2"].pk).update(
        summary='=HYPERLINK("http://evil")', first_response_breached=True
    )
    response = manager.get(f"/reports/team/export.csv?{WEEK}&table=breaches")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def _api(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


def test_api_team_and_revenue(week):
    api = _api(week.manager)
    body = api.get(f"/api/v1/reports/team/?{WEEK}&group_by=ambassador").json()
    amb1 = next(r for r in body["rows"] if r["key"] == str(week.amb1.pk))
    assert amb1["cases_opened"] == 3
    assert amb1["first_response_median_s"] == 61200
    assert amb1["sla_first_response_hit_rate"] == pytest.approx(0.3333)
    body = api.get(f"/api/v1/reports/revenue/?{WEEK}&group_by=platform").json()
    assert body["total"]["order_value"] == "1800.00"
    assert {r["key"]: r["net_revenue"] for r in body["rows"]} == {
        "weibo": "450.00",
        "twitter": "1170.00",
    }
    bad = api.get("/api/v1/reports/team/?group_by=galaxy")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_group_by"
    assert api.get("/api/v1/reports/revenue/?start=x").status_code == 400
    assert _api(week.amb1).get("/api/v1/reports/team/").status_code == 403


def test_case_page_shows_each_code_redeemed_or_not(manager, week):
    html = manager.get(f"/engagement/cases/{week.cases['c4'].pk}/").content.decode()
    assert "AAAA-BBBB-CCC3" in html or "AAAABBBBCCC3" in html
    assert "1300.00" in html
    html = manager.get(f"/engagement/cases/{week.cases['c2'].pk}/").content.decode()
    assert 'id="case-codes"' in html and "1300.00" not in html


def test_case_page_shows_the_customers_history(manager, week):
    html = manager.get(f"/engagement/cases/{week.cases['c2'].pk}/").content.decode()
    assert 'id="customer-history"' in html
    # c1 is the same author's earlier case; their codes and survey answers count.
    assert f"/engagement/cases/{week.cases['c1'].pk}/" in html
    assert "CSAT 5/5" in html or "CSAT 2/5" in html
