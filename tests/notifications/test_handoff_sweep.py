"""A notification hand-off survives the loss of its message (issue 11): the event is
written in its own transaction, the task tells its people and deletes it, and beat's
``notifications.handoff_sweep`` tells what a lost message never did, once."""

from __future__ import annotations

import datetime as dt

import pytest
from celery import current_app
from django.utils import timezone

from dellsocial import pipeline
from notifications.models import Handoff, Notification
from notifications.services import notifications_email_due, notifications_handoff_sweep
from notifications.tasks import handoff_sweep, send
from tests.notifications.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def lost(monkeypatch):
    """Every message handed to the broker is lost (Redis restarted without its
    data); what was handed off is listed."""
    sent: list[tuple[str, dict]] = []
    monkeypatch.setattr(
        current_app,
        "send_task",
        lambda name, args=None, kwargs=None, **options: sent.append((name, kwargs)),
    )
    return sent


def notify(user, key: str = "alert:1") -> None:
    pipeline.notify(
        user_ids=[user.id], kind="notifications.test", url="/x/", dedupe_key=key
    )


def soon() -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=2)


def test_a_lost_notification_message_is_told_by_the_sweep(
    lost, django_capture_on_commit_callbacks, settings
):
    settings.NOTIFICATIONS_EMAIL_GROUP_SECONDS = 0
    alice = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        notify(alice)
    assert [name for name, _ in lost] == ["notifications.send"]
    assert not Notification.objects.exists()  # the message never arrived

    assert notifications_handoff_sweep(now=soon()) == 1

    assert Notification.objects.filter(user=alice).count() == 1
    assert not Handoff.objects.exists()
    # Its e-mail is due as well, and the e-mail sweep sends it.
    notifications_email_due()
    assert ("notifications.email_user", None) in lost


def test_the_task_and_the_sweep_together_tell_once(
    lost, django_capture_on_commit_callbacks
):
    alice = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        notify(alice, key="")  # no event key: only the hand-off row prevents doubles
    kwargs = lost[0][1]
    send(**kwargs)
    assert notifications_handoff_sweep(now=soon()) == 0
    send(**kwargs)  # the message redelivered
    assert Notification.objects.filter(user=alice).count() == 1


def test_a_hand_off_still_in_flight_is_left_to_its_task(
    lost, django_capture_on_commit_callbacks
):
    alice = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        notify(alice)
    assert notifications_handoff_sweep(now=timezone.now()) == 0
    assert Handoff.objects.count() == 1


def test_a_rolled_back_event_leaves_no_hand_off(lost):
    from django.db import transaction

    alice = make_user()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(alice)
        raise RuntimeError("the event is rolled back")
    assert not Handoff.objects.exists()
    assert notifications_handoff_sweep(now=soon()) == 0


def test_a_message_of_the_older_release_still_tells(lost):
    alice = make_user()
    send([alice.id], "notifications.test", {}, "/x/", "old:1")
    assert Notification.objects.filter(user=alice).count() == 1


def test_beat_runs_the_sweep(lost, settings, django_capture_on_commit_callbacks):
    alice = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        notify(alice)
    settings.HANDOFF_SWEEP_AFTER_SECONDS = -1
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-handoff-sweep"]
    assert entry["task"] == handoff_sweep.name
    assert handoff_sweep() == 1
    assert Notification.objects.filter(user=alice).count() == 1
