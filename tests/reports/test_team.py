"""Team report figures against values worked out by hand on tests/reports/dataset.py."""

from __future__ import annotations

import datetime as dt

import pytest

from reports.business_hours import business_seconds
from reports.selectors import period_parse, team_report, team_rows
from tests.reports.dataset import at, build_week

pytestmark = pytest.mark.django_db

WEEK = period_parse("2026-11-23", "2026-11-29")


@pytest.fixture
def week(require_postgres):
    return build_week()


def _row(rows, key):
    return next(r for r in rows if r.key == key)


def test_business_seconds_skip_nights_and_weekends():
    # Monday 17:00 → Tuesday 10:00: one hour on Monday, one on Tuesday.
    assert business_seconds(at(23, 17), at(24, 10)) == 7200
    # Friday 17:30 → Monday 09:30: half an hour each side of the weekend.
    assert business_seconds(at(27, 17, 30), at(30, 9, 30)) == 3600
    # Saturday to Sunday: none.
    assert business_seconds(at(28, 11), at(29, 11)) == 0
    # A whole working week: 5 × 9 h.
    assert business_seconds(at(23, 0), at(30, 0)) == 5 * 9 * 3600


def test_first_response_and_resolution_percentiles_by_ambassador(week):
    rows, total = team_rows(period=WEEK, group_by="ambassador")
    amb1 = _row(rows, str(week.amb1.pk))
    assert amb1.label == "amb1"
    assert (amb1.cases_opened, amb1.cases_resolved, amb1.cases_reopened) == (3, 2, 1)
    # Wall clock: 1800, 61200, 230400 s → median 61200; p90 = 61200 + 0.8 × 169200.
    assert amb1.first_response_median_s == 61200
    assert amb1.first_response_p90_s == pytest.approx(196560)
    # Business hours: 1800, 7200, 3600 s.
    assert amb1.first_response_business_median_s == 3600
    assert amb1.first_response_business_p90_s == pytest.approx(6480)
    # Resolution: 7200 and 86400 s wall; 7200 and 32400 s in business hours.
    assert amb1.resolution_median_s == 46800
    assert amb1.resolution_p90_s == pytest.approx(78480)
    assert amb1.resolution_business_median_s == 19800
    assert amb1.resolution_business_p90_s == pytest.approx(29880)
    amb2 = _row(rows, str(week.amb2.pk))
    assert amb2.first_response_median_s == 1200
    assert amb2.first_response_business_median_s == 0  # a Saturday
    none = _row(rows, "none")
    assert none.cases_opened == 1 and none.first_response_median_s is None
    assert total.cases_opened == 5  # the case of the week before is not counted


def test_sla_hit_rates_count_met_and_missed_targets_only(week):
    rows, total = team_rows(period=WEEK, group_by="ambassador")
    amb1 = _row(rows, str(week.amb1.pk))
    # First response: c1 met, c2 and c3 missed.
    assert amb1.sla_first_response_hit_rate == pytest.approx(1 / 3, abs=1e-4)
    assert amb1.sla_first_response_breaches == 2
    # Resolution: c1 met, c2 missed (c3 is still open and not yet late).
    assert amb1.sla_resolution_hit_rate == 0.5
    # Everyone: 5 first-response targets, 3 missed; 3 resolution targets, 1 missed.
    assert total.sla_first_response_hit_rate == 0.4
    assert total.sla_resolution_hit_rate == pytest.approx(2 / 3, abs=1e-4)


def test_replies_approvals_and_surveys(week):
    rows, total = team_rows(period=WEEK, group_by="ambassador")
    amb1 = _row(rows, str(week.amb1.pk))
    amb2 = _row(rows, str(week.amb2.pk))
    assert (amb1.replies_sent, amb2.replies_sent, total.replies_sent) == (2, 1, 3)
    assert amb1.approval_turnaround_median_s == 3600
    assert amb2.approval_turnaround_median_s == 1200
    assert total.approval_turnaround_median_s == 2400
    # amb1: CSAT 5 and 2 → one satisfied of two; amb2: one promoter.
    assert (amb1.csat, amb1.nps) == (50, None)
    assert (amb2.nps, amb2.csat) == (100, None)
    assert total.survey_responses == 3


def test_grouping_by_team_platform_and_priority(week):
    rows, _ = team_rows(period=WEEK, group_by="platform")
    assert {r.key: r.cases_opened for r in rows} == {"weibo": 3, "twitter": 2}
    rows, _ = team_rows(period=WEEK, group_by="team")
    assert {r.label: r.cases_opened for r in rows} == {"Support": 4, "Gaming": 1}
    rows, _ = team_rows(period=WEEK, group_by="priority")
    assert [(r.key, r.cases_opened) for r in rows] == [("3", 5)]


def test_backlog_and_heatmap(week):
    report = team_report(period=WEEK, group_by="team")
    assert [n for _, n in report.backlog] == [1, 0, 1, 1, 2, 3, 2]
    assert report.backlog[0][0] == dt.date(2026, 11, 23)
    heat = report.heatmap
    assert heat[0][10] == 1 and heat[0][17] == 1  # Monday 10:00, 17:00
    assert heat[2][9] == 1 and heat[4][17] == 1 and heat[5][11] == 1
    assert sum(map(sum, heat)) == 5
    assert {c.thread_key for c in report.breaches} == {"c2", "c3", "c5"}
