"""A private message has its own length limit (platform-apis.md §6: Weibo's
direct_messages/new takes 300 characters; a Twitter DM 10,000), counted in plain
characters: the composer, its live check and the server's policy check hold a DM
answer to that limit, and a public reply still to the public one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from common.errors import DomainError
from engagement.models import ReplyStatus
from engagement.services import reply_approve, reply_create, reply_draft
from listening.adapters.lengths import fits, max_length, text_length
from tests.engagement.dashboard_helpers import as_user
from tests.engagement.factories import make_people, open_case

pytestmark = pytest.mark.django_db

# 200 Chinese characters: 400 Weibo units (over the public 280), 200 characters
# (within a DM's 300).
LONG_ZH = "您好，我们已经收到您的订单信息，" * 12 + "谢谢您耐心等待售后工程师联系您！！"


def test_a_private_message_counts_characters_against_its_own_limit():
    assert len(LONG_ZH) <= 300 < len(LONG_ZH) * 2
    assert text_length("weibo", LONG_ZH) == 2 * len(LONG_ZH)
    assert text_length("weibo", LONG_ZH, private=True) == len(LONG_ZH)
    assert max_length("weibo", private=True) == 300
    assert max_length("twitter", private=True) == 10_000
    assert not fits("weibo", LONG_ZH)
    assert fits("weibo", LONG_ZH, private=True)
    assert not fits("weibo", "私" * 301, private=True)
    # Renren has no private messages: its public limit holds.
    assert max_length("renren", private=True) == max_length("renren")


@pytest.fixture
def people(support):
    return make_people(support)


def test_a_long_answer_to_a_dm_is_accepted_and_sent_privately(people, sent_tasks):
    case = open_case(author="私信客户", text="订单没发货", is_private=True)
    draft = reply_draft(case=case, text=LONG_ZH, author=people.manager)
    assert draft.private and draft.limit == 300 and draft.ok
    reply = reply_create(case_id=case.pk, text=LONG_ZH, actor=people.manager)
    assert reply.is_private
    assert reply.status == ReplyStatus.QUEUED


def test_a_dm_answer_over_300_characters_is_refused_as_a_private_message(people):
    case = open_case(author="私信客户", text="订单没发货", is_private=True)
    with pytest.raises(DomainError) as refused:
        reply_create(case_id=case.pk, text="私" * 301, actor=people.manager)
    assert refused.value.code == "policy_violation"
    codes = [d["code"] for d in refused.value.details]
    assert "too_long" in codes
    assert "300" in refused.value.message


def test_the_same_long_text_in_public_is_still_refused(people):
    case = open_case(author="公开客户", text="戴尔售后怎么联系？")
    draft = reply_draft(case=case, text=LONG_ZH, author=people.manager)
    assert not draft.private and draft.limit == 280
    with pytest.raises(DomainError) as refused:
        reply_create(case_id=case.pk, text=LONG_ZH, actor=people.manager)
    assert "too_long" in [d["code"] for d in refused.value.details]


def test_an_approver_editing_a_dm_answer_is_held_to_the_dm_limit(people, sent_tasks):
    from engagement.services import case_assign

    case = open_case(author="私信客户", text="订单没发货", is_private=True)
    case_assign(case_id=case.pk, assignee=people.trainee, actor=people.manager)
    reply = reply_create(case_id=case.pk, text="请稍等", actor=people.trainee)
    assert reply.status == ReplyStatus.PENDING_APPROVAL and reply.is_private
    approved = reply_approve(reply_id=reply.pk, actor=people.manager, text=LONG_ZH)
    assert approved.status == ReplyStatus.QUEUED


def test_the_composer_counts_a_dm_against_the_private_limit(client, people):
    case = open_case(author="私信客户", text="订单没发货", is_private=True)
    as_user(client, people.manager)
    page = client.get(reverse("engagement:case_detail", args=[case.pk]))
    body = page.content.decode()
    assert 'data-private-limit="300"' in body and 'data-private="1"' in body
    assert '<span id="reply-limit">300</span>' in body
    check = client.post(
        reverse("engagement:composer_check", args=[case.pk]), {"text": LONG_ZH}
    )
    assert check.status_code == 200
    fragment = check.content.decode()
    assert 'class="check ok"' in fragment and "300" in fragment
