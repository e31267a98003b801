"""The listening room in a real browser: a manager opens it, narrows the range, clicks
a point of the volume chart and lands on the mentions behind it; the wall refreshes
by itself; Chinese and English; hostile text stays text in charts, tables and
tooltips."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ambassadors.services import user_create
from listening.models import Author, Brand, Mention, Spike, WallToken
from listening.services.rollups import rollups_apply
from tests.e2e.conftest import PASSWORD, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EVIL = '<img src=x onerror="window.__pwned=1"><b>坏</b>'


@pytest.fixture
def room(settings):
    settings.LISTENING_WALL_REFRESH_SECONDS = 2
    Brand.objects.create(slug="dell", name="戴尔", kind="own")
    Brand.objects.create(slug="evil", name=EVIL, kind="competitor")
    author = Author.objects.create(
        platform="weibo", external_id="1", screen_name=EVIL, followers_count=80_000
    )
    now = timezone.now().replace(minute=30, second=0, microsecond=0)
    ids = []
    for hours_ago in range(0, 72, 3):
        for n in range(1 + hours_ago % 4):
            ids.append(
                Mention.objects.create(
                    platform="weibo",
                    external_id=f"{hours_ago}-{n}",
                    author=author,
                    text=f"帖子 {hours_ago} 小时前 {EVIL}",
                    created_at=now - dt.timedelta(hours=hours_ago, minutes=n),
                    brands=["dell"] if n % 2 == 0 else ["evil"],
                    keywords=[EVIL, "蓝屏"],
                    sentiment_label="negative",
                    intent="complaint",
                    language="zh",
                    analyzed_at=now,
                ).id
            )
    rollups_apply(mention_ids=ids)
    Spike.objects.create(
        kind="keyword",
        subject="蓝屏",
        started_at=now - dt.timedelta(hours=6),
        peak_at=now - dt.timedelta(hours=3),
        last_checked_at=now,
        volume=4,
        baseline=0.5,
        score=5.1,
        negative_share=1.0,
        baseline_negative_share=0.3,
        explanation={
            "keywords": [
                {"keyword": "蓝屏", "count": 4, "baseline": 0.2},
                {"keyword": EVIL, "count": 3, "baseline": 0},
            ],
            "platforms": {"weibo": 4},
            "top_posts": [{"id": ids[0], "platform": "weibo", "text": EVIL}],
            "top_authors": [{"screen_name": EVIL, "followers": 80_000, "mentions": 4}],
        },
    )
    user_create(username="mgr", password=PASSWORD, role="manager")
    return WallToken.objects.create(name="lobby", key="lobby-key")


def _wait_chart(page, kind: str) -> None:
    page.wait_for_function(
        f"document.querySelector('[data-chart={kind}]') &&"
        f" document.querySelector('[data-chart={kind}]').echart"
    )


@pytest.mark.parametrize("width", [1400, 390])
def test_a_manager_drills_from_a_volume_point_to_its_mentions(
    live_server, new_page, room, shoot, width
):
    page = new_page()
    page.set_viewport_size({"width": width, "height": 1000})
    sign_in(page, live_server, "mgr")
    page.goto(f"{live_server.url}/listening/?range=7d")
    assert page.locator("h1").first.inner_text() == "聆听室"
    _wait_chart(page, "volume")
    _wait_chart(page, "sov")
    page.wait_for_selector("#panel-influencers table")
    shoot(page, f"room-7d-{width}")
    # The spike of the range, explained (its words in Chinese), on the room.
    spikes = page.locator("#panel-spikes")
    assert "蓝屏" in spikes.inner_text() and "上升的词" in spikes.inner_text()
    assert EVIL in spikes.inner_text()
    # Hostile text: shown as text in tables, never as markup.
    assert page.locator("img[src=x]").count() == 0
    assert EVIL in page.locator("#panel-influencers").inner_text()
    # ... and in the chart's tooltip (ECharts builds it as HTML: we escape).
    page.evaluate(
        "document.querySelector('[data-chart=sov]').echart.dispatchAction("
        "{type: 'showTip', seriesIndex: 0, dataIndex: 1})"
    )
    page.wait_for_timeout(300)
    assert page.locator("img[src=x]").count() == 0
    assert page.evaluate("window.__pwned") is None

    # Narrow the range: the panels answer in place and the URL keeps the view.
    page.select_option("#f-range", "24h")
    page.click("#room-filters button[type=submit]")
    page.wait_for_url(lambda url: "range=24h" in url)
    _wait_chart(page, "volume")
    # Click the last point of the volume line: the mentions of that hour.
    point = page.evaluate(
        """() => {
          const el = document.querySelector('[data-chart=volume]');
          el.scrollIntoView({block: 'center'});
          const chart = el.echart, option = chart.getOption();
          const data = option.series[0].data, last = data[data.length - 1];
          const [x, y] = chart.convertToPixel({seriesIndex: 0}, last.value);
          const box = el.getBoundingClientRect();
          return {x: box.left + x, y: box.top + y, t: last.value[0], n: last.value[1]};
        }"""
    )
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(lambda url: "/listening/mentions/" in url)
    rows = page.locator("#drill-rows tr.mention")
    assert rows.count() == point["n"]
    times = [
        rows.nth(i).locator("time").get_attribute("datetime")
        for i in range(rows.count())
    ]
    assert times == sorted(times, reverse=True)
    assert page.locator("img[src=x]").count() == 0
    shoot(page, f"drill-{width}")


def test_the_wall_refreshes_by_itself_and_speaks_english(
    live_server, new_page, room, shoot
):
    page = new_page()
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{live_server.url}/listening/wall/?t=lobby-key")
    _wait_chart(page, "volume")
    first = page.locator("[data-refreshed]").get_attribute("data-refreshed")
    page.wait_for_function(
        f"document.querySelector('[data-refreshed]').dataset.refreshed !== '{first}'",
        timeout=15_000,
    )
    _wait_chart(page, "volume")
    assert page.locator("img[src=x]").count() == 0
    assert "蓝屏" in page.locator(".wall-grid").inner_text()
    shoot(page, "wall-1400")
    page.set_viewport_size({"width": 390, "height": 900})
    page.wait_for_timeout(500)
    shoot(page, "wall-390")
    page.close()
    # English on request.
    signed = new_page()
    signed.set_viewport_size({"width": 1400, "height": 900})
    sign_in(signed, live_server, "mgr")
    signed.goto(f"{live_server.url}/listening/", timeout=30_000)
    signed.click("button[name=language][value=en]")
    signed.wait_for_selector("h1:has-text('Listening room')")
    _wait_chart(signed, "volume")
    assert "Share of voice" in signed.locator("#panel-share-of-voice").inner_text()
    assert "Rising words" in signed.locator("#panel-spikes").inner_text()
    shoot(signed, "room-en-1400")
    signed.set_viewport_size({"width": 390, "height": 1000})
    signed.wait_for_timeout(500)
    shoot(signed, "room-en-390")
    # The wall speaks the screen's language too.
    signed.set_viewport_size({"width": 1400, "height": 900})
    signed.goto(f"{live_server.url}/listening/wall/?t=lobby-key")
    _wait_chart(signed, "volume")
    assert "Spikes" in signed.locator(".wall-grid").inner_text()
    shoot(signed, "wall-en-1400")
