"""The triage queue page: views, filters, sorting, pages, live rows, bulk actions,
per role, in a constant number of queries."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from ambassadors.services import user_create
from engagement.models import CaseStatus, CloseReason, Priority
from engagement.services import case_assign, case_set_labels
from listening.models import Brand
from tests.engagement.dashboard_helpers import as_user, row_ids
from tests.engagement.factories import make_people, open_case

pytestmark = pytest.mark.django_db

QUEUE = reverse("engagement:queue")


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def people(support):
    return make_people(support)


def test_the_queue_needs_a_login(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_user_without_a_role_is_refused(client):
    get_user_model().objects.create_user(username="nobody", password="x-123456789")
    client.login(username="nobody", password="x-123456789")
    assert client.get(QUEUE).status_code == 403


def test_ambassador_sees_own_and_team_cases_but_not_other_teams(client, people):
    mine = open_case(text="我的电脑坏了")
    team_case = open_case(text="团队的案子")
    elsewhere = open_case(text="销售的案子")
    case_assign(case_id=mine.pk, assignee=people.amb, actor=people.manager)
    from engagement.services import case_set_team

    case_set_team(case_id=elsewhere.pk, team_id=people.sales.pk, actor=people.manager)
    as_user(client, people.amb)
    everything = row_ids(client.get(QUEUE, {"view": "all"}))
    assert set(everything) == {mine.pk, team_case.pk}
    assert row_ids(client.get(QUEUE)) == [mine.pk]  # ambassadors start with theirs
    assert set(row_ids(client.get(QUEUE, {"view": "team"}))) == {
        mine.pk,
        team_case.pk,
    }
    assert row_ids(client.get(QUEUE, {"view": "unassigned"})) == [team_case.pk]


def test_manager_sees_every_view_with_its_count(client, people):
    now = timezone.now()
    mine = open_case(text="经理的")
    late = open_case(text="早就该回复了", now=now - dt.timedelta(days=3))
    open_case(text="没人管")
    case_assign(case_id=mine.pk, assignee=people.manager, actor=people.manager)
    as_user(client, people.manager)
    page = client.get(QUEUE)
    assert len(row_ids(page)) == 3  # managers start with everything
    counts = page.context["views"]
    by_key = {v["key"]: v["count"] for v in counts}
    assert str(by_key["mine"]) == "1"
    assert str(by_key["unassigned"]) == "2"
    assert str(by_key["breaching"]) == "1"
    assert str(by_key["all"]) == "3"
    assert row_ids(client.get(QUEUE, {"view": "breaching"})) == [late.pk]
    assert row_ids(client.get(QUEUE, {"view": "mine"})) == [mine.pk]


def test_counts_are_capped(client, people, monkeypatch):
    monkeypatch.setattr("engagement.selectors.queue.COUNT_CAP", 2)
    for i in range(3):
        open_case(text=f"第{i}条")
    as_user(client, people.manager)
    body = client.get(QUEUE).content.decode()
    assert "2+" in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"platform": "twitter"}, {"tw"}),
        ({"language": "en"}, {"tw"}),
        ({"sentiment": "negative"}, {"neg"}),
        ({"intent": "purchase"}, {"buy"}),
        ({"brand": "competitor"}, {"buy"}),
        ({"brand": "own"}, {"neg", "tw"}),
        ({"brand": "lenovo"}, {"buy"}),
        ({"priority": "urgent"}, {"neg"}),
        ({"label": "vip"}, {"tw"}),
        ({"q": "屏幕闪烁"}, {"neg"}),
        ({"q": "ThinkPad"}, {"buy"}),
        ({"q": "@TWEET"}, {"tw"}),
        ({"status": "resolved"}, {"done"}),
        ({"platform": "nonsense", "sentiment": "evil"}, {"neg", "tw", "buy"}),
    ],
)
def test_filters_narrow_the_queue(client, people, params, expected):
    Brand.objects.create(slug="dell", name="Dell", kind=Brand.Kind.OWN)
    Brand.objects.create(slug="lenovo", name="Lenovo", kind=Brand.Kind.COMPETITOR)
    cases = {
        "neg": open_case(
            text="戴尔的屏幕闪烁，太失望了", sentiment="negative", priority=90.0
        ),
        "tw": open_case(
            platform="twitter",
            author="tweeter",
            text="Dell support was quick today",
            language="en",
            sentiment="positive",
            intent="praise",
            priority=30.0,
        ),
        "buy": open_case(
            text="想买 ThinkPad 还是戴尔？",
            brands=("lenovo",),
            intent="purchase",
            priority=50.0,
        ),
        "done": open_case(text="已经解决了"),
    }
    case_set_labels(case_id=cases["tw"].pk, labels=["vip"], actor=people.manager)
    from engagement.services import case_set_status

    case_set_status(
        case_id=cases["done"].pk, status=CaseStatus.RESOLVED, actor=people.manager
    )
    as_user(client, people.manager)
    ids = set(row_ids(client.get(QUEUE, {"view": "all", **params})))
    assert ids == {cases[k].pk for k in expected}


def test_queue_sorts_by_priority_or_by_waiting_time(client, people):
    now = timezone.now()
    old_low = open_case(text="旧的", priority=10.0, now=now - dt.timedelta(hours=5))
    new_urgent = open_case(text="新的", priority=95.0, now=now)
    assert old_low.priority == Priority.LOW
    assert new_urgent.priority == Priority.URGENT
    as_user(client, people.manager)
    assert row_ids(client.get(QUEUE)) == [new_urgent.pk, old_low.pk]
    assert row_ids(client.get(QUEUE, {"sort": "waiting"})) == [
        old_low.pk,
        new_urgent.pk,
    ]


@pytest.mark.parametrize("sort", ["priority", "waiting"])
def test_pages_follow_each_other_without_overlap(client, people, monkeypatch, sort):
    monkeypatch.setattr("engagement.views.triage.PAGE_SIZE", 3)
    now = timezone.now()
    made = [
        open_case(
            text=f"第{i}条",
            priority=float(20 * (i % 4)),
            now=now - dt.timedelta(minutes=i % 3),
        )
        for i in range(8)
    ]
    as_user(client, people.manager)
    first = client.get(QUEUE, {"sort": sort})
    seen = row_ids(first)
    cursor = first.context["page"].next_cursor
    while cursor:
        more = client.get(
            reverse("engagement:queue_rows"), {"sort": sort, "cursor": cursor}
        )
        seen += row_ids(more)
        cursor = more.context["page"].next_cursor
    assert sorted(seen) == sorted(c.pk for c in made)
    assert len(seen) == len(set(seen))


def test_a_broken_cursor_shows_the_first_page(client, people):
    case = open_case()
    as_user(client, people.manager)
    response = client.get(QUEUE, {"cursor": "x~y~z"})
    assert response.status_code == 200
    assert row_ids(response) == [case.pk]


def test_the_live_poll_brings_only_new_cases_and_fresh_counts(client, people):
    old = open_case(text="旧案子")
    as_user(client, people.manager)
    client.get(QUEUE)  # counts are cached now
    new = open_case(text="新案子")
    response = client.get(reverse("engagement:queue_poll"), {"after": old.pk})
    assert row_ids(response) == [new.pk]
    body = response.content.decode()
    assert 'hx-swap-oob="true"' in body
    assert 'id="queue-views"' in body
    assert (
        row_ids(client.get(reverse("engagement:queue_poll"), {"after": new.pk})) == []
    )


def test_the_live_poll_keeps_the_filters(client, people):
    old = open_case()
    open_case(platform="twitter", author="t1", text="hello Dell", language="en")
    weibo = open_case(text="微博新帖")
    as_user(client, people.manager)
    response = client.get(
        reverse("engagement:queue_poll"), {"after": old.pk, "platform": "weibo"}
    )
    assert row_ids(response) == [weibo.pk]


def test_manager_bulk_assigns_labels_and_resolves(client, people):
    a, b, c = (open_case(text=f"案子{i}") for i in range(3))
    as_user(client, people.manager)
    bulk = reverse("engagement:queue_bulk")
    response = client.post(
        bulk,
        {"case": [a.pk, b.pk], "action": "assign", "assignee": people.amb.pk},
        follow=True,
    )
    assert "2" in str(list(response.context["messages"])[0])
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    assert a.assignee == people.amb
    assert b.assignee == people.amb
    assert c.assignee is None
    client.post(bulk, {"case": [a.pk, c.pk], "action": "label", "label": "回访"})
    assert list(a.labels.values_list("name", flat=True)) == ["回访"]
    client.post(bulk, {"case": [b.pk], "action": "resolve"})
    b.refresh_from_db()
    assert b.status == CaseStatus.RESOLVED
    client.post(bulk, {"case": [c.pk], "action": "spam"})
    c.refresh_from_db()
    assert (c.status, c.close_reason) == (CaseStatus.CLOSED, CloseReason.SPAM)


def test_bulk_reports_cases_the_ambassador_may_not_touch(client, people):
    theirs = open_case(text="自己的")
    someone_elses = open_case(text="别人的")
    other_team = open_case(text="其他团队")
    case_assign(case_id=theirs.pk, assignee=people.amb, actor=people.manager)
    case_assign(case_id=someone_elses.pk, assignee=people.trainee, actor=people.manager)
    from engagement.services import case_set_team

    case_set_team(case_id=other_team.pk, team_id=people.sales.pk, actor=people.manager)
    as_user(client, people.amb)
    response = client.post(
        reverse("engagement:queue_bulk"),
        {"case": [theirs.pk, someone_elses.pk, other_team.pk], "action": "resolve"},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any(f"#{someone_elses.pk}" in m for m in messages)
    assert any(f"#{other_team.pk}" in m for m in messages)
    theirs.refresh_from_db(), someone_elses.refresh_from_db()
    other_team.refresh_from_db()
    assert theirs.status == CaseStatus.RESOLVED
    assert someone_elses.is_active
    assert other_team.is_active


def test_ambassador_may_take_but_not_give_away_cases(client, people):
    free = open_case(text="没人接")
    as_user(client, people.amb)
    bulk = reverse("engagement:queue_bulk")
    client.post(bulk, {"case": [free.pk], "action": "assign", "assignee": "me"})
    free.refresh_from_db()
    assert free.assignee == people.amb
    client.post(
        bulk, {"case": [free.pk], "action": "assign", "assignee": people.trainee.pk}
    )
    free.refresh_from_db()
    assert free.assignee == people.amb


def test_bulk_without_checked_cases_changes_nothing(client, people):
    case = open_case()
    as_user(client, people.manager)
    response = client.post(
        reverse("engagement:queue_bulk"), {"action": "resolve"}, follow=True
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.is_active


def test_bulk_never_redirects_off_site(client, people):
    case = open_case()
    as_user(client, people.manager)
    response = client.post(
        reverse("engagement:queue_bulk"),
        {"case": [case.pk], "action": "resolve", "next": "https://evil.example/"},
    )
    assert response["Location"] == QUEUE


def _queue_queries(client, django_assert_max_num_queries, params=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(QUEUE, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize(
    "params",
    [{}, {"view": "breaching"}, {"brand": "own", "q": "戴尔"}, {"sort": "waiting"}],
)
def test_queue_runs_as_many_queries_for_many_rows_as_for_one(
    client, people, django_assert_max_num_queries, params
):
    Brand.objects.create(slug="dell", name="Dell", kind=Brand.Kind.OWN)
    first = open_case(text="戴尔第一条", now=timezone.now() - dt.timedelta(days=2))
    case_set_labels(case_id=first.pk, labels=["a", "b"], actor=people.manager)
    case_assign(case_id=first.pk, assignee=people.amb, actor=people.manager)
    as_user(client, people.manager)
    cache.clear()
    one, response = _queue_queries(client, django_assert_max_num_queries, params)
    assert len(row_ids(response)) == 1
    for i in range(30):
        case = open_case(
            text=f"戴尔第{i}条",
            author=f"fan{i}",
            now=timezone.now() - dt.timedelta(days=2),
        )
        case_set_labels(case_id=case.pk, labels=[f"l{i}"], actor=people.manager)
        if i % 2:
            who = people.trainee if i % 4 == 1 else people.manager
            case_assign(case_id=case.pk, assignee=who, actor=people.manager)
    cache.clear()
    with django_assert_max_num_queries(one):
        response = client.get(QUEUE, params)
    assert len(row_ids(response)) == 31


def test_queue_page_for_a_user_created_without_profile_details(client, support):
    user = user_create(username="bare", password="pw-123456789", role="ambassador")
    as_user(client, user)
    response = client.get(QUEUE, {"view": "team"})
    assert response.status_code == 200
    assert response.context["page"].team_missing


@pytest.mark.parametrize("sort", ["priority", "waiting"])
def test_a_costly_filter_pages_through_the_whole_queue_window_by_window(
    client, people, monkeypatch, sort
):
    monkeypatch.setattr("engagement.selectors.queue.SCAN_WINDOW", 3)
    monkeypatch.setattr("engagement.views.triage.PAGE_SIZE", 2)
    Brand.objects.create(slug="lenovo", name="Lenovo", kind=Brand.Kind.COMPETITOR)
    now = timezone.now()
    wanted = []
    for i in range(10):
        competitor = i in (2, 7, 8, 9)
        case = open_case(
            text=f"第{i}条",
            brands=("lenovo",) if competitor else ("dell",),
            priority=float(95 - 10 * i),
            now=now - dt.timedelta(minutes=10 - i),
        )
        if competitor:
            wanted.append(case.pk)
    as_user(client, people.manager)
    params = {"brand": "competitor", "sort": sort}
    response = client.get(QUEUE, params)
    seen = row_ids(response)
    cursor = response.context["page"].next_cursor
    partial_pages = int(response.context["page"].partial)
    while cursor:
        response = client.get(
            reverse("engagement:queue_rows"), {**params, "cursor": cursor}
        )
        seen += row_ids(response)
        cursor = response.context["page"].next_cursor
        partial_pages += int(response.context["page"].partial)
    assert sorted(seen) == sorted(wanted)
    if sort == "priority":
        # The first window (three most urgent) holds one match: the page says it
        # looked at part of the queue, and "look further" goes on after it.
        assert partial_pages >= 1


ASSIGNEES = reverse("engagement:queue_assignees")


def test_the_queue_leaves_the_people_with_their_load_to_the_bulk_bar(client, people):
    """The page itself does not count everyone's open cases: the bulk bar's
    chooser asks for its people when first used."""
    case = open_case()
    case_assign(case_id=case.pk, assignee=people.amb, actor=people.manager)
    as_user(client, people.manager)
    body = client.get(QUEUE).content.decode()
    assert f'hx-get="{ASSIGNEES}"' in body
    assert f'<option value="{people.amb.pk}"' not in body
    options = client.get(ASSIGNEES).content.decode()
    assert f'<option value="{people.amb.pk}"' in options
    assert f'<option value="{people.trainee.pk}"' in options
    assert f'<option value="{people.manager.pk}"' not in options  # "Me" says it
    assert "amb · Support · 1/10" in options


def test_only_managers_may_list_whom_cases_go_to(client, people):
    as_user(client, people.amb)
    assert client.get(ASSIGNEES).status_code == 403
    body = client.get(QUEUE).content.decode()
    assert 'hx-get="' + ASSIGNEES not in body
    client.logout()
    assert client.get(ASSIGNEES).status_code == 302


def test_the_people_list_runs_as_many_queries_for_many_people_as_for_few(
    client, people, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.engagement.factories import make_person

    as_user(client, people.manager)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(ASSIGNEES).status_code == 200
    few = len(ctx.captured_queries)
    for i in range(12):
        person = make_person(f"extra{i}", team=people.sales)
        case = open_case(author=f"fan{i}")
        case_assign(case_id=case.pk, assignee=person, actor=people.manager)
    with django_assert_max_num_queries(few):
        options = client.get(ASSIGNEES).content.decode()
    assert options.count("<option") == 4 + 12
