"""The approval queue: community managers approve, edit and approve, or reject
with a reason; nobody else gets in."""

import pytest
from django.urls import reverse

from engagement.models import PolicyRule, Reply, ReplyStatus
from engagement.services import case_assign, reply_create
from tests.engagement.dashboard_helpers import as_user
from tests.engagement.factories import make_people, open_case

pytestmark = pytest.mark.django_db

APPROVALS = reverse("engagement:approvals")


@pytest.fixture(autouse=True)
def _own_cache(settings, request):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{request.node.nodeid}",
        }
    }


@pytest.fixture
def people(support):
    return make_people(support)


@pytest.fixture
def waiting(people, sent_tasks):
    case = open_case(author="粉丝", text="XPS 的电池能用多久？")
    case_assign(case_id=case.pk, assignee=people.trainee, actor=people.manager)
    return reply_create(case_id=case.pk, text="大约八小时", actor=people.trainee)


def approve(reply):
    return reverse("engagement:reply_approve", args=[reply.pk])


def reject(reply):
    return reverse("engagement:reply_reject", args=[reply.pk])


def test_ambassadors_cannot_open_or_use_the_approval_queue(client, people, waiting):
    as_user(client, people.amb)
    assert client.get(APPROVALS).status_code == 403
    assert client.post(approve(waiting)).status_code == 403
    assert client.post(reject(waiting), {"reason": "no"}).status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == ReplyStatus.PENDING_APPROVAL


def test_manager_sees_the_waiting_reply_with_the_post_it_answers(
    client, people, waiting
):
    as_user(client, people.manager)
    body = client.get(APPROVALS).content.decode()
    assert f'id="approval-{waiting.pk}"' in body
    assert "XPS 的电池能用多久？" in body
    assert "大约八小时 —trainee" in body


def test_approve_as_written_queues_the_reply(client, people, waiting):
    as_user(client, people.manager)
    client.post(approve(waiting), {"text": waiting.text})
    waiting.refresh_from_db()
    assert waiting.status == ReplyStatus.QUEUED
    assert waiting.reviewed_by == people.manager
    assert not waiting.original_text


def test_edit_and_approve_keeps_the_original(client, people, waiting):
    as_user(client, people.manager)
    client.post(approve(waiting), {"text": "一般可以用八小时左右 —trainee"})
    waiting.refresh_from_db()
    assert waiting.status == ReplyStatus.QUEUED
    assert waiting.text == "一般可以用八小时左右 —trainee"
    assert waiting.original_text == "大约八小时 —trainee"


def test_an_edit_that_breaks_the_policy_is_refused_with_its_reason(
    client, people, waiting
):
    PolicyRule.objects.create(kind=PolicyRule.Kind.PHONE_NUMBER)
    as_user(client, people.manager)
    response = client.post(
        approve(waiting), {"text": "打 138 0013 8000 —trainee"}, follow=True
    )
    waiting.refresh_from_db()
    assert waiting.status == ReplyStatus.PENDING_APPROVAL
    assert any("138 0013 8000" in str(m) for m in response.context["messages"])


def test_reject_needs_a_reason_and_records_it(client, people, waiting):
    as_user(client, people.manager)
    client.post(reject(waiting), {"reason": "  "})
    waiting.refresh_from_db()
    assert waiting.status == ReplyStatus.PENDING_APPROVAL
    client.post(reject(waiting), {"reason": "请先确认电池型号"})
    waiting.refresh_from_db()
    assert waiting.status == ReplyStatus.REJECTED
    assert waiting.reject_reason == "请先确认电池型号"


def test_a_reply_to_an_influencer_waits_even_from_a_professional(
    client, people, sent_tasks
):
    case = open_case(author="大V", followers=500_000, text="戴尔的新品怎么样？")
    case_assign(case_id=case.pk, assignee=people.amb, actor=people.manager)
    reply = reply_create(case_id=case.pk, text="欢迎体验", actor=people.amb)
    assert reply.status == ReplyStatus.PENDING_APPROVAL
    as_user(client, people.manager)
    response = client.get(APPROVALS)
    assert [row["reply"].pk for row in response.context["rows"]] == [reply.pk]
    assert reply.get_approval_reason_display() in response.content.decode()


def test_approving_twice_is_refused_politely(client, people, waiting):
    as_user(client, people.manager)
    client.post(approve(waiting), {"text": waiting.text})
    response = client.post(approve(waiting), {"text": waiting.text}, follow=True)
    assert response.status_code == 200
    assert list(response.context["messages"])
    assert Reply.objects.get(pk=waiting.pk).status == ReplyStatus.QUEUED


def test_approval_queue_queries_do_not_grow_with_the_queue(
    client, people, sent_tasks, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n):
        for i in range(n):
            case = open_case(author=f"fan{i}-{n}", text=f"问题{i}")
            case_assign(case_id=case.pk, assignee=people.trainee, actor=people.manager)
            reply_create(case_id=case.pk, text=f"回复{i}", actor=people.trainee)

    add(1)
    as_user(client, people.manager)
    with CaptureQueriesContext(connection) as ctx:
        client.get(APPROVALS)
    one = len(ctx.captured_queries)
    people.trainee.profile.capacity = 50
    people.trainee.profile.save(update_fields=["capacity"])
    add(12)
    with django_assert_max_num_queries(one):
        body = client.get(APPROVALS).content.decode()
    assert body.count('class="card approval"') == 13


def test_the_waiting_reply_speaks_chinese_punctuation_on_the_case_page(
    client, people, waiting
):
    """ "…低于专业级." was an English full stop after the Chinese reason."""
    from ambassadors.services import profile_update

    profile_update(profile=people.trainee.profile, ui_language="zh-hans")
    as_user(client, people.trainee)
    body = client.get(
        reverse("engagement:case_detail", args=[waiting.case_id])
    ).content.decode()
    assert "等待社区经理审批：作者认证低于专业级。" in body
    assert "专业级." not in body
