"""Charts and numbers in a real browser (issue 14.6): NPS bars sit over their
scores, the coupon by-day chart shows its values, money is formatted one way on a
page, and the code tiles follow a generation without a reload."""

from __future__ import annotations

from decimal import Decimal

import pytest

from coupons.models import CodeBatch
from coupons.services import code_batch_generate, coupon_issue, coupon_redeem
from surveys.services import survey_response_submit
from tests.coupons.factories import make_campaign
from tests.e2e.conftest import sign_in
from tests.engagement.conftest import make_person
from tests.surveys.factories import full_answers, make_survey, personal_link

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
# A shared CI machine can be slow: waits up to this long before failing.
SLOW_MS = 45_000


@pytest.fixture
def manager(db):
    return make_person("manager", role="manager")


def test_nps_bars_sit_over_their_scores(live_server, new_page, shoot, manager):
    survey = make_survey()
    for uid, score in (("1", "0"), ("2", "9"), ("3", "10"), ("4", "10")):
        link = personal_link(survey, uid=uid)
        survey_response_submit(
            token=link.token, answers=full_answers(survey, nps=[score])
        )
    nps = survey.questions.get(kind="nps")
    page = new_page()
    page.set_default_timeout(SLOW_MS)
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/s/manage/{survey.pk}/results/", timeout=60_000)
    shoot(page, "survey-results")
    chart = f"#result-{nps.pk} svg.columns"
    ticks = page.eval_on_selector_all(
        f"{chart} text[data-tick]",
        "ts => ts.map(t => { const b = t.getBoundingClientRect();"
        " return [t.textContent, b.left + b.width / 2]; })",
    )
    assert [t for t, _ in ticks] == [str(n) for n in range(11)]
    bars = page.eval_on_selector_all(
        f"{chart} rect.chart-bar",
        "rs => rs.map(r => { const b = r.getBoundingClientRect();"
        " return [b.left + b.width / 2, b.height]; })",
    )
    assert len(bars) == 11
    for (label, tick_x), (bar_x, _height) in zip(ticks, bars, strict=True):
        assert abs(tick_x - bar_x) < 2, (label, tick_x, bar_x)
    heights = {label: h for (label, _), (_, h) in zip(ticks, bars, strict=True)}
    assert heights["10"] > heights["9"] > 0 and heights["5"] == 0
    values = page.eval_on_selector_all(
        f"{chart} text[data-value]", "ts => ts.map(t => t.textContent)"
    )
    assert sorted(values) == ["1", "1", "2"]


def test_coupon_page_shows_values_one_number_format_and_live_tiles(
    live_server, new_page, monkeypatch, manager
):
    from coupons import tasks

    monkeypatch.setattr(tasks.generate_codes, "delay", lambda batch_id: None)
    campaign = make_campaign(discount_type="amount", discount_value=Decimal("200"))
    make_person("admin", role="admin")
    # One code issued and redeemed on a big order: revenue in the thousands.
    from coupons.services import codes_generate

    batch = codes_generate(campaign_id=campaign.id, count=5, max_redemptions=1)
    code_batch_generate(batch_id=batch.id)
    code = coupon_issue(
        campaign_id=campaign.id,
        platform="weibo",
        platform_user_id="42",
        ambassador=None,
    )
    coupon_redeem(
        code=code.code,
        order_id="o-1",
        order_amount=Decimal("79984.00"),
        platform="weibo",
        platform_user_id="42",
    )
    page = new_page()
    page.set_default_timeout(SLOW_MS)
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/coupons/{campaign.pk}/", timeout=60_000)
    revenue = page.inner_text("#kpi-revenue")
    table = page.inner_text("table")
    assert revenue == "79,984.00"
    assert revenue in table  # the same number, the same way, in the table
    by_day = page.eval_on_selector_all(
        "svg.columns text[data-value]", "ts => ts.map(t => t.textContent)"
    )
    assert by_day == ["1"]

    # Generating codes: the tiles follow without a reload.
    page.fill("#id_count", "250")
    page.click("form[action$='/generate/'] button[type=submit]")
    page.wait_for_selector("li.batch progress")
    code_batch_generate(batch_id=CodeBatch.objects.latest("id").id)
    page.wait_for_function(
        "document.querySelector('#kpis .kpi-value').innerText.trim() === '255'",
        timeout=15_000,
    )
