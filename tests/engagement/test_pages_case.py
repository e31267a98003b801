"""The case page: thread, customer, analysis, history, notes and the actions on a
case, per role, in a constant number of queries."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagement.models import CaseEvent, CaseStatus, Priority
from engagement.services import case_add_note, case_assign, mentions_route
from listening.models import Author, SentimentCorrection
from tests.engagement.dashboard_helpers import as_user
from tests.engagement.factories import make_mention, make_people, open_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def people(support):
    return make_people(support)


def page(case):
    return reverse("engagement:case_detail", args=[case.pk])


def action(name, case):
    return reverse(f"engagement:{name}", args=[case.pk])


def test_case_page_shows_thread_customer_and_analysis(client, people):
    case = open_case(
        author="老用户",
        followers=52_300,
        text="戴尔XPS的屏幕又闪了，真是“好”质量",
        sentiment="negative",
        intent="complaint",
        brands=("dell",),
        keywords=("屏幕", "闪烁"),
    )
    Author.objects.filter(pk=case.author_id).update(
        verified=True, location="北京 海淀区", description="数码爱好者"
    )
    make_mention_in(case, text="有人管吗？")
    as_user(client, people.manager)
    response = client.get(page(case))
    assert response.status_code == 200
    body = response.content.decode()
    assert "52300" in body.replace(",", "")  # grouped or not, by locale
    for expected in (
        "戴尔XPS的屏幕又闪了",
        "有人管吗？",
        "老用户",
        "北京 海淀区",
        "数码爱好者",
        'class="verified"',
        "屏幕",
        "闪烁",
        "dell",
    ):
        assert expected in body
    # The sentiment and intent in the interface's language (Chinese by default).
    assert "负面" in body
    assert 'name="label"' in body


def make_mention_in(case, **fields):
    """Another mention in the case's conversation (same author and thread)."""
    author = Author.objects.get(pk=case.author_id)
    m = make_mention(
        author=author.external_id,
        followers=author.followers_count,
        thread=case.thread_key,
        **fields,
    )
    mentions_route(mention_ids=[m.id])
    return m


def test_sarcasm_is_flagged(client, people):
    case = open_case(text="呵呵，戴尔的售后真是太棒了")
    from listening.models import Mention

    Mention.objects.filter(case_link__case=case).update(sarcasm=True)
    as_user(client, people.manager)
    response = client.get(page(case))
    assert response.context["analysis"]["sarcasm"] is True
    assert response.content.decode().count('data-flag="sarcasm"') == 2


def test_ambassador_of_another_team_gets_404(client, people):
    case = open_case()
    as_user(client, people.other)
    assert client.get(page(case)).status_code == 404
    response = client.post(action("case_note", case), {"text": "偷看"})
    assert response.status_code == 404
    assert not case.notes.exists()


def test_unknown_case_is_404(client, people):
    as_user(client, people.admin)
    assert (
        client.get(reverse("engagement:case_detail", args=[999999])).status_code == 404
    )


def test_every_role_that_may_see_the_case_gets_the_page(client, people):
    case = open_case()
    for user in (people.manager, people.admin, people.amb, people.trainee):
        as_user(client, user)
        assert client.get(page(case)).status_code == 200, user


def test_history_and_notes_are_shown(client, people):
    case = open_case()
    case_assign(case_id=case.pk, assignee=people.amb, actor=people.manager)
    case_add_note(case_id=case.pk, text="客户是老用户，注意语气", actor=people.manager)
    as_user(client, people.amb)
    body = client.get(page(case)).content.decode()
    assert "客户是老用户，注意语气" in body
    assert 'class="event event-assigned"' in body
    assert 'class="event event-created"' in body


def test_manager_corrects_the_sentiment(client, people):
    case = open_case(sentiment="negative")
    mention = case.links.get().mention
    as_user(client, people.manager)
    client.post(
        action("case_sentiment", case), {"mention": mention.pk, "label": "positive"}
    )
    mention.refresh_from_db()
    assert mention.sentiment_label == "positive"
    assert SentimentCorrection.objects.filter(
        mention=mention, label="positive", corrected_by=people.manager
    ).exists()
    # The queue shows the corrected sentiment too (the case copies its latest one).
    case.refresh_from_db()
    assert case.sentiment_label == "positive"


def test_ambassador_cannot_correct_the_sentiment(client, people):
    case = open_case(sentiment="negative")
    case_assign(case_id=case.pk, assignee=people.amb, actor=people.manager)
    mention = case.links.get().mention
    as_user(client, people.amb)
    assert 'name="label"' not in client.get(page(case)).content.decode()
    client.post(
        action("case_sentiment", case), {"mention": mention.pk, "label": "positive"}
    )
    mention.refresh_from_db()
    assert mention.sentiment_label == "negative"
    assert not SentimentCorrection.objects.exists()


def test_a_mention_of_another_case_cannot_be_corrected_through_this_one(client, people):
    case = open_case()
    other = open_case(author="someone-else")
    foreign = other.links.get().mention
    as_user(client, people.manager)
    response = client.post(
        action("case_sentiment", case), {"mention": foreign.pk, "label": "positive"}
    )
    assert response.status_code == 404
    assert not SentimentCorrection.objects.exists()


def test_manager_assigns_and_ambassador_takes_and_releases(client, people):
    case = open_case()
    as_user(client, people.manager)
    client.post(action("case_assign", case), {"assignee": people.trainee.pk})
    case.refresh_from_db()
    assert case.assignee == people.trainee
    client.post(action("case_assign", case), {"assignee": "none"})
    as_user(client, people.amb)
    assert client.get(page(case)).context["may_take"]
    client.post(action("case_assign", case), {"assignee": "me"})
    case.refresh_from_db()
    assert case.assignee == people.amb
    client.post(action("case_assign", case), {"assignee": "none"})
    case.refresh_from_db()
    assert case.assignee is None


def test_ambassador_cannot_give_a_case_to_someone_else(client, people):
    case = open_case()
    as_user(client, people.amb)
    response = client.post(
        action("case_assign", case), {"assignee": people.trainee.pk}, follow=True
    )
    case.refresh_from_db()
    assert case.assignee is None
    assert list(response.context["messages"])


def test_assignee_works_the_case(client, people):
    case = open_case()
    case_assign(case_id=case.pk, assignee=people.amb, actor=people.manager)
    as_user(client, people.amb)
    client.post(action("case_status", case), {"status": "pending"})
    client.post(action("case_priority", case), {"priority": "urgent"})
    client.post(action("case_labels", case), {"labels": "回访，vip"})
    client.post(action("case_note", case), {"text": "已电话联系"})
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING
    assert case.priority == Priority.URGENT
    assert sorted(case.labels.values_list("name", flat=True)) == ["vip", "回访"]
    assert case.notes.get().text == "已电话联系"
    client.post(action("case_escalate", case), {"reason": "需要专家"})
    case.refresh_from_db()
    assert case.escalated
    client.post(action("case_status", case), {"status": "resolved"})
    case.refresh_from_db()
    # Escalation gave the case back to the queue for an expert: no longer theirs.
    assert case.assignee is None
    assert case.status == CaseStatus.PENDING


def test_closing_needs_a_reason_and_reopening_works(client, people):
    case = open_case()
    as_user(client, people.manager)
    response = client.post(
        action("case_status", case), {"status": "closed"}, follow=True
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW
    assert list(response.context["messages"])
    client.post(action("case_status", case), {"status": "closed", "reason": "spam"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    client.post(action("case_status", case), {"status": "open"})
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_team_member_not_assigned_cannot_change_the_case(client, people):
    case = open_case()
    case_assign(case_id=case.pk, assignee=people.amb, actor=people.manager)
    as_user(client, people.trainee)
    client.post(action("case_status", case), {"status": "resolved"})
    client.post(action("case_priority", case), {"priority": "urgent"})
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW
    assert case.priority != Priority.URGENT
    # Notes are open to anyone who sees the case.
    client.post(action("case_note", case), {"text": "我也看看"})
    assert case.notes.count() == 1


def test_manager_moves_a_case_to_another_team(client, people):
    case = open_case()
    as_user(client, people.manager)
    client.post(action("case_team", case), {"team": people.sales.pk})
    case.refresh_from_db()
    assert case.team == people.sales
    assert case.events.filter(kind=CaseEvent.Kind.TEAM_CHANGED).exists()


def test_actions_only_accept_post(client, people):
    case = open_case()
    as_user(client, people.manager)
    assert client.get(action("case_status", case)).status_code == 405


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_case_page_runs_as_many_queries_for_a_long_thread_as_for_one_post(
    client, people, django_assert_max_num_queries
):
    case = open_case()
    case_assign(case_id=case.pk, assignee=people.amb, actor=people.manager)
    as_user(client, people.amb)
    cache.clear()
    one = _queries(client, page(case))
    for i in range(15):
        make_mention_in(case, text=f"第{i}条追问")
        case_add_note(case_id=case.pk, text=f"备注{i}", actor=people.manager)
    from engagement.services import reply_create

    for i in range(5):
        reply_create(case_id=case.pk, text=f"您好，第{i}次回复", actor=people.amb)
    cache.clear()
    with django_assert_max_num_queries(one):
        response = client.get(page(case))
    assert response.content.decode().count('class="mention') >= 16


def test_the_case_page_hears_of_new_posts_in_the_conversation(client, people):
    case = open_case(text="第一条")
    as_user(client, people.manager)
    fresh = reverse("engagement:case_fresh", args=[case.pk])
    assert "fresh-notice" not in client.get(fresh, {"seen": 1}).content.decode()
    make_mention_in(case, text="第二条")
    body = client.get(fresh, {"seen": 1}).content.decode()
    assert "fresh-notice" in body
    assert page(case) in body
    as_user(client, people.other)
    assert client.get(fresh, {"seen": 1}).status_code == 404


def test_previous_and_next_follow_the_queue_order(client, people):
    urgent = open_case(text="紧急", priority=95.0)
    normal = open_case(text="一般", priority=50.0)
    low = open_case(text="不急", priority=10.0)
    as_user(client, people.manager)
    response = client.get(page(normal))
    assert (response.context["previous_id"], response.context["next_id"]) == (
        urgent.pk,
        low.pk,
    )
    case_assign(case_id=low.pk, assignee=people.amb, actor=people.manager)
    as_user(client, people.amb)
    response = client.get(page(low))
    assert (response.context["previous_id"], response.context["next_id"]) == (
        None,
        None,
    )


def test_the_assign_menu_comes_after_the_page_with_load_and_reasons(client, people):
    """The case page shows the current assignee at once and asks for the people
    with their load (everyone's open cases counted) right after it loads."""
    case = open_case(language="en")
    case_assign(case_id=case.pk, assignee=people.amb, actor=people.manager)
    as_user(client, people.manager)
    url = action("case_assignees", case)
    body = client.get(page(case)).content.decode()
    assert f'hx-get="{url}" hx-trigger="load"' in body
    assert f'<option value="{people.amb.pk}" selected>amb</option>' in body
    assert f'<option value="{people.trainee.pk}"' not in body
    options = client.get(url).content.decode()
    assert f'<option value="{people.amb.pk}" selected data-ineligible="1">' in options
    assert "amb · Support · 1/10" in options
    assert f'<option value="{people.trainee.pk}" data-ineligible="1">' in options
    assert f'<option value="{people.manager.pk}"' not in options
    assert '<option value="me">' in options and '<option value="none">' in options


def test_only_a_manager_who_may_see_the_case_lists_its_assignees(client, people):
    case = open_case()
    as_user(client, people.amb)
    assert client.get(action("case_assignees", case)).status_code == 403
    as_user(client, people.manager)
    missing = reverse("engagement:case_assignees", args=[case.pk + 1000])
    assert client.get(missing).status_code == 404


def test_the_assign_menu_runs_as_many_queries_for_many_people_as_for_few(
    client, people, django_assert_max_num_queries
):
    from tests.engagement.factories import make_person

    case = open_case()
    as_user(client, people.manager)
    url = action("case_assignees", case)
    few = _queries(client, url)
    for i in range(12):
        person = make_person(f"extra{i}", team=people.sales)
        other = open_case(author=f"fan{i}")
        case_assign(case_id=other.pk, assignee=person, actor=people.manager)
    with django_assert_max_num_queries(few):
        options = client.get(url).content.decode()
    assert options.count("<option") == 4 + 12 + 2
