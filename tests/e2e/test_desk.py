"""The triage desk in a real browser (issue 14): the live queue keeps its sort,
a manager hands out work past the limit, one nav by role with counts, every desk
page fits a phone, and two people on one case see each other."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from ambassadors.models import Certification, Role
from engagement.models import Case, CaseEvent, Reply
from engagement.services import case_assign, mentions_route, reply_create
from tests.e2e.conftest import sign_in
from tests.engagement.conftest import make_mention, make_person, make_team

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
# A shared CI machine can be slow: waits up to this long before failing.
SLOW_MS = 45_000

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr(
        "dellsocial.celery.app.send_task", lambda name, args=None, **kw: None
    )
    cache.clear()


@pytest.fixture
def desk(db):
    support = make_team("support")
    return {
        "team": support,
        "manager": make_person("manager", role=Role.MANAGER, team=support),
        "admin": make_person("root", role=Role.ADMIN),
        "amb": make_person("xiaowang", team=support, capacity=1),
        "trainee": make_person(
            "xiaozhao", team=support, certification=Certification.ENTHUSIAST
        ),
    }


def open_case(*, author: str, minutes_ago: int, priority: float = 50.0, **kw) -> Case:
    now = timezone.now()
    m = make_mention(
        author=author,
        created_at=now - dt.timedelta(minutes=minutes_ago),
        priority=priority,
        **kw,
    )
    mentions_route(mention_ids=[m.pk], now=now)
    return Case.objects.get(links__mention=m)


def row_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        "#queue-table tr.case-row", "rows => rows.map(r => r.dataset.id)"
    )


# --- 1. The live queue keeps its sort -------------------------------------------


def test_new_cases_land_where_the_sort_puts_them(live_server, new_page, desk):
    Case.objects.all().delete()
    oldest = open_case(author="a", minutes_ago=300)
    newest = open_case(author="b", minutes_ago=5)
    page = new_page()
    page.set_default_timeout(SLOW_MS)
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/engagement/?view=unassigned&sort=waiting")
    assert row_ids(page) == [str(oldest.pk), str(newest.pk)]
    page.keyboard.press("j")  # the keyboard selection is on the second row
    # A case that arrives now but whose customer posted two hours ago.
    middle = open_case(author="c", minutes_ago=120)
    page.wait_for_selector(
        f"#queue-rows tr.case-row[data-id='{middle.pk}']", timeout=20_000
    )
    assert row_ids(page) == [str(oldest.pk), str(middle.pk), str(newest.pk)]
    selected = page.get_attribute("#queue-table tr.case-row.selected", "data-id")
    assert selected == str(newest.pk)


def test_a_new_low_priority_case_goes_below_the_urgent_ones(
    live_server, new_page, desk
):
    Case.objects.all().delete()
    urgent = open_case(author="a", minutes_ago=10, priority=95.0)
    page = new_page()
    page.set_default_timeout(SLOW_MS)
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/engagement/?view=unassigned")
    low = open_case(author="b", minutes_ago=1, priority=10.0)
    page.wait_for_selector(f"tr.case-row[data-id='{low.pk}']", timeout=20_000)
    assert row_ids(page) == [str(urgent.pk), str(low.pk)]


# --- 2. Work can be handed out past the limit -----------------------------------


def test_a_manager_assigns_past_the_limit_after_confirming(
    live_server, new_page, shoot, desk
):
    first = open_case(author="a", minutes_ago=10)
    case_assign(case_id=first.pk, assignee=desk["amb"], actor=desk["manager"])
    second = open_case(author="b", minutes_ago=5)  # amb is now at their limit (1)
    if second.assignee_id:
        case_assign(case_id=second.pk, assignee=None, actor=desk["manager"])
    page = new_page()
    page.set_default_timeout(SLOW_MS)
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/engagement/cases/{second.pk}/")
    option = page.locator(f"#assign-select option[value='{desk['amb'].pk}']")
    label = option.inner_text()
    assert "1/1" in label, label  # load and limit in the menu
    page.select_option("#assign-select", str(desk["amb"].pk))
    page.click("#assign-form button[type=submit]")
    page.wait_for_selector("#override-form")
    shoot(page, "desk-override")
    second.refresh_from_db()
    assert second.assignee is None  # nothing happened before the confirmation
    page.click("#override-form button[type=submit]")
    page.wait_for_selector(".message.success")
    second.refresh_from_db()
    assert second.assignee == desk["amb"]
    event = CaseEvent.objects.filter(case=second, kind="assigned").latest("id")
    assert event.data.get("override") is True


# --- 4. One nav, by role, with counts -------------------------------------------


def test_the_nav_is_the_same_on_every_page_by_role_with_counts(
    live_server, new_page, desk
):
    case = open_case(author="a", minutes_ago=3)
    case_assign(case_id=case.pk, assignee=desk["trainee"], actor=desk["manager"])
    reply_create(case_id=case.pk, text="您好", actor=desk["trainee"])
    assert Reply.objects.filter(status="pending_approval").count() == 1

    page = new_page()

    page.set_default_timeout(SLOW_MS)
    sign_in(page, live_server, "manager")
    for path in ("/engagement/", "/coupons/", "/s/manage/", "/listening/mentions/"):
        page.goto(f"{live_server.url}{path}")
        links = page.eval_on_selector_all(
            "#mainnav a", "links => links.map(a => a.dataset.nav)"
        )
        assert links[:6] == [
            "queue",
            "approvals",
            "listening",
            "mentions",
            "coupons",
            "surveys",
        ]
        assert "admin" not in links
        count = page.inner_text("#mainnav [data-nav-count=approvals]")
        assert count.strip() == "1", path

    amb = new_page()

    amb.set_default_timeout(SLOW_MS)
    sign_in(amb, live_server, "xiaowang")
    amb.goto(f"{live_server.url}/engagement/")
    links = amb.eval_on_selector_all("#mainnav a", "ls => ls.map(a => a.dataset.nav)")
    assert "coupons" not in links and "approvals" not in links and "queue" in links

    admin = new_page()

    admin.set_default_timeout(SLOW_MS)
    sign_in(admin, live_server, "root")
    admin.goto(f"{live_server.url}/engagement/")
    admin.click("#mainnav a[data-nav=admin]")
    admin.wait_for_url(re.compile(r"/admin/"))


# --- 5. Phones ------------------------------------------------------------------


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        """() => Array.from(document.querySelectorAll('body *'))
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id)"""
    )
    assert width <= PHONE["width"], (page.url, width, wide)


def test_queue_case_composer_and_approvals_fit_a_phone(
    live_server, browser, shoot, desk
):
    from engagement.services import demo_seed

    demo_seed()  # the canned responses: long Chinese texts in the composer
    make_person("一位名字相当长的售后支持大使同事", team=desk["team"])
    case = open_case(author="有很长名字的客户", minutes_ago=30, text="屏幕坏了" * 20)
    # A second post in the conversation: the composer's "Reply to" menu, whose
    # options are as long as the posts.
    follow_up = make_mention(
        author="有很长名字的客户",
        thread=case.thread_key,
        text="补充一下：开机后屏幕一直闪烁，已经重装过驱动和系统，还是不行，怎么办？",
        created_at=timezone.now() - dt.timedelta(minutes=20),
    )
    mentions_route(mention_ids=[follow_up.pk])
    case_assign(case_id=case.pk, assignee=desk["trainee"], actor=desk["manager"])
    reply_create(case_id=case.pk, text="您好，我们来处理", actor=desk["trainee"])
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    try:
        page = context.new_page()
        page.set_default_timeout(SLOW_MS)
        sign_in(page, live_server, "manager")
        for name, path in (
            ("queue", "/engagement/"),
            ("case", f"/engagement/cases/{case.pk}/"),
            ("approvals", "/engagement/approvals/"),
        ):
            page.goto(f"{live_server.url}{path}")
            shoot(page, f"phone-{name}")
            _fits(page)
        page.goto(f"{live_server.url}/engagement/cases/{case.pk}/#composer")
        page.fill("#reply-text", "您好，已经为您安排上门维修。")
        page.wait_for_selector("#reply-preview")
        assert page.is_visible("#send-reply")
        _fits(page)
    finally:
        context.close()


# --- Collision detection --------------------------------------------------------


def test_two_people_on_one_case_see_each_other_and_a_late_reply_warns(
    live_server, new_page, shoot, desk
):
    case = open_case(author="a", minutes_ago=3)
    make_person("colleague", role=Role.MANAGER, team=desk["team"])
    me = new_page()
    me.set_default_timeout(SLOW_MS)
    sign_in(me, live_server, "manager")
    me.goto(f"{live_server.url}/engagement/cases/{case.pk}/")
    other = new_page()
    other.set_default_timeout(SLOW_MS)
    sign_in(other, live_server, "colleague")
    other.goto(f"{live_server.url}/engagement/cases/{case.pk}/")
    other.fill("#reply-text", "您好，我来处理")
    # The first page sees the colleague, live, as writing.
    me.wait_for_selector(
        "#presence [data-presence=composing]:has-text('colleague')", timeout=20_000
    )
    me.fill("#reply-text", "您好，请私信我们")
    other.click("#send-reply")
    other.wait_for_selector(".message.success")
    # Sending now warns: someone replied meanwhile; nothing is sent yet.
    me.click("#send-reply")
    me.wait_for_selector("#collision-warning")
    shoot(me, "desk-collision")
    assert "colleague" in me.inner_text("#collision-warning")
    assert me.input_value("#reply-text") == "您好，请私信我们"
    assert Reply.objects.filter(case=case).count() == 1
    me.check("#confirm-collision")
    me.click("#send-reply")
    me.wait_for_selector(".message.success")
    assert Reply.objects.filter(case=case).count() == 2
