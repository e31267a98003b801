"""E-mail through a real SMTP server on this machine (aiosmtpd)."""

import pytest

from notifications.services import notification_send, notifications_email_user
from tests.notifications.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_notification_reaches_the_smtp_server_once(smtp_settings):
    alice = make_user(language="en")
    notification_send(
        user_ids=[alice.id],
        kind="listening.alert",
        params={"rule": "XPS 蓝屏", "summary": "Volume 5× the baseline"},
        url="/listening/?brand=dell",
        dedupe_key="spike:1",
    )
    notification_send(user_ids=[alice.id], kind="listening.alert", dedupe_key="spike:1")
    assert notifications_email_user(user_id=alice.id) == 1
    assert notifications_email_user(user_id=alice.id) == 0
    messages = smtp_settings.wait(1)
    assert len(messages) == 1
    message = messages[0]
    assert message["To"] == alice.email
    assert "XPS 蓝屏" in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "/listening/?brand=dell" in text
    assert "Volume 5× the baseline" in text


def test_an_unreachable_server_leaves_the_email_waiting(settings):
    from notifications.models import EmailState, Notification

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    alice = make_user()
    notification_send(user_ids=[alice.id], kind="notifications.test")
    with pytest.raises(OSError):
        notifications_email_user(user_id=alice.id)
    assert Notification.objects.get().email_state == EmailState.PENDING
