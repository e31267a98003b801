"""Every Celery task is bounded in time, below the broker's visibility timeout."""

from django.conf import settings

from dellsocial.celery import app


def test_every_task_has_a_soft_and_a_hard_time_limit():
    assert app.conf.task_soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT
    assert 0 < app.conf.task_soft_time_limit < app.conf.task_time_limit


def test_a_stuck_task_is_killed_before_its_message_is_redelivered():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 300)
    assert app.conf.task_time_limit < visibility
