"""The whole triage flow in a real browser, against the mock Weibo served by the
live server: posts are polled, analysed and routed; a community manager filters the
queue and assigns; an ambassador answers with a canned response; a trainee's reply
is approved by the manager; both replies arrive on the mock platform; a hostile
post shows as text; the interface speaks Chinese, and English on request."""

from __future__ import annotations

import re

import pytest
import requests
from django.utils import timezone

from ambassadors.models import Certification, Role
from engagement.models import CannedResponse, Case, Priority, Reply, ReplyStatus
from engagement.services import mentions_route, reply_deliver
from listening.adapters.lengths import text_length
from listening.models import Mention, Source
from listening.nlp.services import mentions_analyze
from listening.services.polling import (
    source_lease_acquire,
    source_lease_release,
    source_poll,
)
from mockfeeds.services import mock_scenario_update
from tests.e2e.conftest import sign_in, sign_out
from tests.engagement.factories import make_mention, make_person, make_team

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BRAND_WEIBO_ID = "1642909335"  # the mock's @戴尔中国 account
EVIL = '<script>alert("x")</script><img src=x onerror="alert(1)"> 戴尔 <b>粗体</b>'
CANNED_TEXT = "{name}您好，很抱歉给您带来不便。请私信我们，我们会尽快为您处理。"


@pytest.fixture
def world(live_server, settings, sent_tasks):
    """People, the mock Weibo with a backlog, and the cases routed from it."""
    sent = sent_tasks
    base = f"{live_server.url}/mock/weibo/2"
    settings.PLATFORM_API = {
        **settings.PLATFORM_API,
        "weibo": {**settings.PLATFORM_API["weibo"], "base": base},
    }
    support = make_team("support", default=True)
    from engagement.models import SlaPolicy

    for priority in Priority:
        SlaPolicy.objects.get_or_create(
            priority=priority,
            defaults={"first_response_minutes": 60, "resolution_minutes": 1440},
        )
    CannedResponse.objects.create(
        shortcode="dm-zh", title="请私信", language="zh", text=CANNED_TEXT
    )
    people = {
        "manager": make_person("manager", role=Role.MANAGER, team=support),
        "amb": make_person(
            "xiaowang",
            team=support,
            availability="away",
            signature="—戴尔员工 小王",
        ),
        "trainee": make_person(
            "xiaozhao",
            team=support,
            availability="away",
            certification=Certification.ENTHUSIAST,
            signature="—戴尔市场部 小赵",
        ),
    }
    mock_scenario_update(
        payload={
            "reset": ["weibo"],
            "seed": 2010,
            "backlog": {"weibo": 40},
            "all_mentions": True,
        }
    )
    source = Source.objects.create(
        name="@戴尔中国 提及",
        platform="weibo",
        kind=Source.Kind.MENTIONS,
        query=BRAND_WEIBO_ID,
        api_base=base,
    )
    assert source_lease_acquire(source_id=source.pk, owner="e2e")
    source_poll(source_id=source.pk, owner="e2e")
    source_lease_release(source_id=source.pk, owner="e2e")
    ids = list(Mention.objects.values_list("id", flat=True))
    assert ids, "the mock Weibo gave no mentions"
    mentions_analyze(mention_ids=ids)
    mentions_route(mention_ids=ids)
    hostile = make_mention(author="捣乱者", text=EVIL, sentiment="negative")
    mentions_route(mention_ids=[hostile.pk])
    cases = list(Case.objects.exclude(links__mention=hostile).order_by("id"))
    assert len(cases) >= 2
    return {
        **people,
        "cases": cases,
        "hostile": Case.objects.get(links__mention=hostile),
        "sent": sent,
    }


def _deliver(reply: Reply) -> Reply:
    """What the Celery worker does with the queued reply: post it to the mock."""
    outcome = reply_deliver(reply_id=reply.pk)
    assert outcome.result == "sent", outcome
    reply.refresh_from_db()
    return reply


def _inbox(live_server) -> list[dict]:
    response = requests.get(f"{live_server.url}/mock/weibo/_inbox", timeout=10)
    response.raise_for_status()
    return response.json()["replies"]


def _search_term(case: Case) -> str:
    """A few characters of the case's text, to find it with the search box."""
    match = re.search(r"[\u4e00-\u9fff]{3,6}", case.summary)
    return match.group(0) if match else case.summary[:8]


def test_triage_from_queue_to_the_platform(live_server, new_page, shoot, world):
    first, second = world["cases"][0], world["cases"][1]

    # 1. The community manager signs in; the interface speaks Chinese.
    manager = new_page()
    sign_in(manager, live_server, "manager")
    manager.goto(f"{live_server.url}/engagement/")
    assert manager.locator("html").get_attribute("lang") == "zh-hans"
    assert "退出" in manager.inner_text("header")
    manager.wait_for_selector("#queue-table tr.case-row")
    shoot(manager, "01-queue-manager")

    # 2. Keyboard: j moves the selection, ? shows the help.
    rows = manager.locator("#queue-table tr.case-row")
    assert rows.count() >= 2
    assert "selected" in (rows.nth(0).get_attribute("class") or "")
    manager.keyboard.press("j")
    assert "selected" in (rows.nth(1).get_attribute("class") or "")
    manager.keyboard.press("k")
    manager.keyboard.press("Shift+?")
    assert manager.is_visible("#help-overlay")
    shoot(manager, "02-shortcuts")
    manager.keyboard.press("Escape")
    assert not manager.is_visible("#help-overlay")

    # 3. Filters: the search box finds the first case by its Chinese text.
    term = _search_term(first)
    manager.fill("#queue-search", term)
    manager.select_option("select[name=platform]", "weibo")
    manager.click("form.filterbar button[type=submit]")
    manager.wait_for_url(re.compile(r"platform=weibo"))
    ids = manager.eval_on_selector_all(
        "#queue-table tr.case-row", "rows => rows.map(r => r.dataset.id)"
    )
    assert str(first.pk) in ids
    shoot(manager, "03-queue-filtered")

    # 4. Assign it to the ambassador with the bulk bar.
    manager.check(f"tr.case-row[data-id='{first.pk}'] .row-check")
    assert manager.inner_text("#checked-count") == "1"
    manager.select_option("#bulk-assignee", str(world["amb"].pk))
    manager.click("#bulkbar button[value=assign]")
    manager.wait_for_selector(".message.success")
    first.refresh_from_db()
    assert first.assignee == world["amb"]

    # 5. ...and the second one to the trainee with the keyboard (x, a, Enter).
    manager.goto(f"{live_server.url}/engagement/?view=unassigned")
    manager.wait_for_selector(f"tr.case-row[data-id='{second.pk}']")
    manager.click(f"tr.case-row[data-id='{second.pk}'] .summary")
    manager.keyboard.press("x")
    manager.keyboard.press("a")
    assert manager.evaluate("document.activeElement.id") == "bulk-assignee"
    manager.select_option("#bulk-assignee", str(world["trainee"].pk))
    manager.keyboard.press("Enter")
    manager.wait_for_selector(".message.success")
    second.refresh_from_db()
    assert second.assignee == world["trainee"]
    sign_out(manager)

    # 6. The ambassador answers with a canned response found by its short code.
    amb = new_page()
    sign_in(amb, live_server, "xiaowang")
    amb.goto(f"{live_server.url}/engagement/")
    amb.wait_for_selector(f"tr.case-row[data-id='{first.pk}']")
    amb.keyboard.press("r")  # reply to the selected (first) case
    amb.wait_for_url(re.compile(rf"/cases/{first.pk}/"))
    amb.fill("#canned-q", "/dm")
    amb.wait_for_selector("#canned-list .canned-item code:text('/dm-zh')")
    amb.click("#canned-list .canned-item")
    text = amb.input_value("#reply-text")
    assert "很抱歉给您带来不便" in text
    assert "{name}" not in text
    # The live counter counts as Weibo does, signature included.
    expected = text_length("weibo", f"{text.strip()} —戴尔员工 小王")
    amb.wait_for_function(
        f"document.getElementById('reply-length').textContent === '{expected}'"
    )
    amb.wait_for_selector("#draft-check .check.ok")
    shoot(amb, "04-composer")
    amb.click("#send-reply")
    amb.wait_for_selector("#replies-list [data-status=queued]")
    reply = _deliver(Reply.objects.get(case=first))
    assert reply.status == ReplyStatus.SENT
    assert reply.external_id
    # The reply list follows the delivery by itself.
    amb.wait_for_selector(
        f"#replies-list [data-status=sent] code:text('{reply.external_id}')"
    )
    shoot(amb, "05-reply-sent")
    # e resolves the case from the keyboard.
    amb.locator("body").click(position={"x": 5, "y": 300})
    amb.keyboard.press("e")
    amb.wait_for_selector(".message.success")
    first.refresh_from_db()
    assert first.status == "resolved"
    sign_out(amb)

    # 7. The trainee's reply waits for the manager.
    trainee = new_page()
    sign_in(trainee, live_server, "xiaozhao")
    trainee.goto(f"{live_server.url}/engagement/cases/{second.pk}/")
    trainee.fill("#reply-text", "您好，感谢反馈，我们已经记录下来了。")
    # The composer says a manager approves it before it goes out.
    assert trainee.locator(".composer-actions .muted").count() == 1
    trainee.click("#send-reply")
    trainee.wait_for_selector("#replies-list [data-status=pending_approval]")
    shoot(trainee, "06-trainee-pending")
    sign_out(trainee)

    manager = new_page()
    sign_in(manager, live_server, "manager")
    manager.goto(f"{live_server.url}/engagement/approvals/")
    waiting = Reply.objects.get(case=second)
    card = manager.locator(f"#approval-{waiting.pk}")
    assert "感谢反馈" in card.locator("textarea[name=text]").input_value()
    shoot(manager, "07-approvals")
    card.locator(".approve-form button[type=submit]").click()
    manager.wait_for_selector(".message.success")
    approved = _deliver(waiting)
    assert approved.reviewed_by == world["manager"]

    # 8. Both replies are on the mock platform.
    texts = [r["text"] for r in _inbox(live_server)]
    assert any("很抱歉给您带来不便" in t and "—戴尔员工 小王" in t for t in texts)
    assert any("感谢反馈" in t and "—戴尔市场部 小赵" in t for t in texts)

    # 9. A hostile post shows as text: no script ran, no element was made.
    manager.goto(f"{live_server.url}/engagement/cases/{world['hostile'].pk}/")
    post = manager.locator(".mention .post-text").first
    assert '<script>alert("x")</script>' in post.inner_text()
    assert manager.locator(".mention img").count() == 0
    assert manager.locator(".mention b").count() == 0
    manager.goto(f"{live_server.url}/engagement/?view=all")
    row = manager.locator(f"tr.case-row[data-id='{world['hostile'].pk}'] .summary")
    assert "<img src=x" in row.inner_text()
    shoot(manager, "08-hostile-as-text")

    # 10. English on request, kept for the user.
    manager.click("form.langswitch button[value=en]")
    manager.wait_for_selector("html[lang=en]")
    assert "My cases" in manager.inner_text("#queue-views")
    shoot(manager, "09-english")


def test_new_cases_appear_without_a_reload(live_server, new_page, world):
    page = new_page()
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/engagement/?view=all")
    page.wait_for_selector("#queue-table tr.case-row")
    before = page.locator("#queue-table tr.case-row").count()
    fresh = make_mention(
        author="新用户", text="刚买的戴尔显示器有坏点", sentiment="negative"
    )
    mentions_route(mention_ids=[fresh.pk], now=timezone.now())
    case = Case.objects.get(links__mention=fresh)
    page.wait_for_selector(
        f"#queue-table tr.case-row[data-id='{case.pk}']", timeout=20_000
    )
    assert page.locator("#queue-table tr.case-row").count() == before + 1
    # The view counts came along out of band: swapped in place, not into the table.
    assert page.locator("nav#queue-views").count() == 1
    assert page.locator("#queue-table nav").count() == 0


def test_the_live_counter_counts_like_the_server(live_server, new_page, world):
    page = new_page()
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/engagement/")
    samples = [
        "戴尔 XPS 13",
        "Hello 👋🏽 world 👨‍👩‍👧 🇨🇳 1️⃣",
        "看看 https://www.dell.com.cn/support 和 dell.com 吧",
        "戴尔dell.com",
        "e\u0301 café ﬁ",
        "\U0001f600" * 3 + "x",
        "",
    ]
    for platform in ("weibo", "twitter", "renren"):
        for sample in samples:
            js = page.evaluate(
                "([p, t]) => window.dashboardLength.textLength(p, t)",
                [platform, sample],
            )
            assert js == text_length(platform, sample), (platform, sample)
