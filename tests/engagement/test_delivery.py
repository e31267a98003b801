"""Delivery of replies: exactly once, retries, failures a person sees and retries."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from engagement.conf import DELIVERY_LEASE_SECONDS, DELIVERY_MAX_ATTEMPTS
from engagement.models import Case, CaseEvent, Reply, ReplyStatus, SlaPolicy
from engagement.services import (
    mentions_route,
    replies_to_redeliver,
    reply_create,
    reply_deliver,
    reply_retry,
)
from engagement.tasks import deliver_reply
from listening.adapters import PermanentError, RateLimited, TransientError
from tests.engagement.conftest import (
    MONDAY_10AM,
    WorkerDied,
    make_mention,
    make_person,
)

pytestmark = pytest.mark.django_db

LEASE = dt.timedelta(seconds=DELIVERY_LEASE_SECONDS)


@pytest.fixture
def reply(support):
    SlaPolicy.objects.create(
        priority=3, first_response_minutes=60, resolution_minutes=600
    )
    pro = make_person("pro", team=support)
    m = make_mention(external_id="5001")
    mentions_route(mention_ids=[m.id], now=MONDAY_10AM)
    case = Case.objects.get()
    assert case.assignee == pro
    return reply_create(case_id=case.pk, text="您好，已处理", actor=pro)


def reload(reply):
    return Reply.objects.get(pk=reply.pk)


def test_a_queued_reply_is_posted_and_its_platform_id_stored(reply, platform):
    outcome = reply_deliver(reply_id=reply.pk)
    assert outcome.result == "sent"
    sent = reload(reply)
    assert sent.status == ReplyStatus.SENT
    assert sent.external_id == "c1"
    assert sent.sent_at is not None and sent.error == ""
    assert platform.posts == [("5001", "您好，已处理 —pro", "c1")]
    case = sent.case
    assert case.first_responded_at == sent.sent_at
    assert CaseEvent.objects.filter(case=case, kind="reply_sent").exists()


def test_delivering_a_sent_reply_again_does_nothing(reply, platform):
    reply_deliver(reply_id=reply.pk)
    assert reply_deliver(reply_id=reply.pk).result == "skipped"
    assert platform.post_calls == 1


def test_a_worker_killed_after_the_platform_accepted_does_not_post_twice(
    reply, platform
):
    platform.faults = ["die-after-accept"]
    with pytest.raises(WorkerDied):
        reply_deliver(reply_id=reply.pk)
    # The platform has the reply; we never stored its id.
    dying = reload(reply)
    assert dying.status == ReplyStatus.SENDING and dying.external_id == ""
    assert len(platform.posts) == 1
    # The message comes back while the dead worker's claim is still fresh: wait.
    early = reply_deliver(reply_id=reply.pk)
    assert early.result == "busy" and early.retry_in > 0
    # After the lease, the next worker takes over and looks before posting.
    outcome = reply_deliver(reply_id=reply.pk, now=timezone.now() + LEASE)
    assert outcome.result == "sent"
    done = reload(reply)
    assert done.status == ReplyStatus.SENT and done.external_id == "c1"
    assert platform.post_calls == 1 and platform.find_calls == 1
    assert len(platform.posts) == 1
    event = CaseEvent.objects.get(kind="reply_sent")
    assert event.data["via"] == "find_reply"


def test_the_sweep_finds_a_reply_whose_worker_died(reply, platform):
    platform.faults = ["die-after-accept"]
    with pytest.raises(WorkerDied):
        reply_deliver(reply_id=reply.pk)
    assert replies_to_redeliver() == []
    assert replies_to_redeliver(now=timezone.now() + LEASE * 2) == [reply.pk]


def test_a_duplicate_refusal_confirmed_in_the_thread_counts_as_delivered(
    reply, platform
):
    # Posted earlier by a worker that died before even marking its attempt.
    platform.posts.append(("5001", reload(reply).text, "c9"))
    outcome = reply_deliver(reply_id=reply.pk)
    assert outcome.result == "sent"
    assert reload(reply).external_id == "c9"
    assert CaseEvent.objects.get(kind="reply_sent").data["via"] == "duplicate_confirmed"


def test_a_duplicate_refusal_not_found_in_the_thread_fails_visibly(reply, platform):
    from listening.adapters import DuplicateContent

    platform.faults = [DuplicateContent("repeat content!", code="20019")]
    with translation.override(
        "en"
    ):  # the message is stored in the language of the moment
        outcome = reply_deliver(reply_id=reply.pk)
    assert outcome.result == "failed"
    failed = reload(reply)
    assert failed.status == ReplyStatus.FAILED
    assert failed.error_code == "20019"
    assert "repeated content" in failed.error
    assert "[20019] repeat content!" in failed.error


def test_a_transient_error_is_retried_with_backoff_then_sent(reply, platform):
    platform.faults = [TransientError("502 Bad Gateway", http_status=502)]
    first = reply_deliver(reply_id=reply.pk)
    assert first.result == "retry" and 3 <= first.retry_in <= 7
    waiting = reload(reply)
    assert waiting.status == ReplyStatus.QUEUED
    assert waiting.error == "502 Bad Gateway"
    assert waiting.next_attempt_at is not None
    second = reply_deliver(reply_id=reply.pk)
    assert second.result == "sent"
    # The retry looked first (the 502 might have hidden an accepted post).
    assert platform.find_calls == 1 and platform.post_calls == 2


def test_backoff_grows_between_attempts(reply, platform):
    platform.faults = [TransientError("timeout")] * 3
    waits = [reply_deliver(reply_id=reply.pk).retry_in for _ in range(3)]
    assert waits[0] < waits[1] < waits[2]


def test_a_rate_limit_waits_until_the_reset(reply, platform):
    reset = timezone.now() + dt.timedelta(seconds=60)
    platform.faults = [RateLimited("Too Many Requests", reset_at=reset, code="429")]
    outcome = reply_deliver(reply_id=reply.pk)
    assert outcome.result == "retry" and 55 <= outcome.retry_in <= 62


def test_a_permanent_error_fails_at_once_with_the_platforms_message(reply, platform):
    platform.faults = [PermanentError("invalid_access_token", code="21332")]
    assert reply_deliver(reply_id=reply.pk).result == "failed"
    failed = reload(reply)
    assert failed.error == "[21332] invalid_access_token"
    event = CaseEvent.objects.get(kind="reply_failed")
    assert event.data["code"] == "21332"


def test_attempts_run_out_and_the_reply_fails(reply, platform):
    platform.faults = [TransientError("503")] * DELIVERY_MAX_ATTEMPTS
    platform.find_faults = []
    with translation.override("en"):
        results = [
            reply_deliver(reply_id=reply.pk).result
            for _ in range(DELIVERY_MAX_ATTEMPTS)
        ]
    assert results[-1] == "failed" and set(results[:-1]) == {"retry"}
    failed = reload(reply)
    assert failed.status == ReplyStatus.FAILED
    assert f"Gave up after {DELIVERY_MAX_ATTEMPTS} attempts" in failed.error


def test_a_failed_reply_is_retried_by_a_person_and_looked_up_first(
    reply, platform, sent_tasks, django_capture_on_commit_callbacks
):
    platform.faults = [PermanentError("user does not exist", code="20003")]
    reply_deliver(reply_id=reply.pk)
    with django_capture_on_commit_callbacks(execute=True):
        again = reply_retry(reply_id=reply.pk, actor=reply.author)
    assert again.status == ReplyStatus.QUEUED
    assert sent_tasks == [("engagement.deliver_reply", [reply.pk])]
    assert reply_deliver(reply_id=reply.pk).result == "sent"
    assert platform.find_calls == 1
    assert CaseEvent.objects.filter(kind="reply_retried").count() == 1


def test_only_a_failed_reply_can_be_retried(reply, platform):
    from common.errors import DomainError

    with pytest.raises(DomainError):
        reply_retry(reply_id=reply.pk, actor=reply.author)


def test_a_reply_awaiting_approval_is_not_delivered(reply, platform):
    Reply.objects.filter(pk=reply.pk).update(status=ReplyStatus.PENDING_APPROVAL)
    assert reply_deliver(reply_id=reply.pk).result == "skipped"
    assert platform.post_calls == 0


def test_the_task_retries_itself_after_a_transient_error(reply, platform, monkeypatch):
    from celery.exceptions import Retry

    platform.faults = [TransientError("timeout")]
    retried = {}

    def fake_retry(*, countdown):
        retried["countdown"] = countdown
        return Retry()

    monkeypatch.setattr(deliver_reply, "retry", fake_retry)
    with pytest.raises(Retry):
        deliver_reply.run(reply.pk)
    assert retried["countdown"] > 0
    assert deliver_reply.run(reply.pk) == "sent"


def test_the_delivery_task_is_routed_to_the_deliver_queue(settings):
    from dellsocial.celery import app

    route = app.amqp.router.route({}, "engagement.deliver_reply")
    assert route["queue"].name == "deliver"
    assert (
        app.amqp.router.route({}, "engagement.route_mentions")["queue"].name == "route"
    )
