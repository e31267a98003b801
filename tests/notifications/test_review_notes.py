"""A manager's note on an approved or rejected reply reaches its author: in the
in-app list and in one e-mail through a real SMTP server, in the author's language."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from ambassadors.models import Certification, Role
from engagement.models import Case
from engagement.services import mentions_route, reply_create
from notifications.kinds import render
from notifications.models import Notification
from notifications.services import notifications_email_user
from tests.engagement.factories import (
    MONDAY_10AM,
    PASSWORD,
    make_mention,
    make_person,
    make_team,
)

pytestmark = pytest.mark.django_db


def person(name, **kw):
    user = make_person(name, **kw)
    get_user_model().objects.filter(pk=user.pk).update(email=f"{name}@example.com")
    user.refresh_from_db()
    return user


@pytest.fixture
def people(db):
    team = make_team("support", default=True)
    return {
        "boss": person("boss", role=Role.MANAGER, team=team),
        "zh": person(
            "xiaoli",
            team=team,
            certification=Certification.ENTHUSIAST,
            ui_language="zh-hans",
        ),
        "en": person(
            "trainee",
            team=team,
            certification=Certification.ENTHUSIAST,
            ui_language="en",
        ),
    }


def waiting_reply(author):
    mention = make_mention()
    mentions_route(mention_ids=[mention.id], now=MONDAY_10AM)
    case = Case.objects.get(links__mention=mention)
    Case.objects.filter(pk=case.pk).update(assignee=author)
    reply = reply_create(case_id=case.pk, text="谢谢支持", actor=author)
    assert reply.status == "pending_approval"
    Notification.objects.all().delete()
    return reply


def mail_of(user, smtp):
    before = len(smtp.messages)
    assert notifications_email_user(user_id=user.pk) == 1
    assert notifications_email_user(user_id=user.pk) == 0
    messages = smtp.wait(before + 1)
    assert len(messages) == before + 1
    message = messages[-1]
    assert message["To"] == user.email
    return (
        message.get_body(preferencelist=("plain",)).get_content(),
        message.get_body(preferencelist=("html",)).get_content(),
    )


def test_the_approval_note_reaches_the_author_in_english(client, people, smtp_settings):
    reply = waiting_reply(people["en"])
    client.login(username="boss", password=PASSWORD)
    response = client.post(
        f"/engagement/replies/{reply.pk}/approve/",
        {"text": reply.text, "note": "Nice tone <b>keep it</b>"},
    )
    assert response.status_code == 302
    row = Notification.objects.get(user=people["en"])
    assert row.kind == "engagement.reply_approved"
    text, html = mail_of(people["en"], smtp_settings)
    assert "Note from boss: Nice tone <b>keep it</b>" in text
    # The HTML part escapes the manager's words like any other value.
    assert "Nice tone &lt;b&gt;keep it&lt;/b&gt;" in html
    assert "<b>keep it</b>" not in html
    # The case history keeps it too.
    page = client.get(f"/engagement/cases/{reply.case_id}/").content.decode()
    assert "Nice tone &lt;b&gt;keep it&lt;/b&gt;" in page


def test_the_rejection_reason_reaches_the_author_in_chinese(
    client, people, smtp_settings
):
    reply = waiting_reply(people["zh"])
    client.login(username="boss", password=PASSWORD)
    client.post(f"/engagement/replies/{reply.pk}/reject/", {"reason": "语气太随意"})
    assert Notification.objects.get(user=people["zh"]).kind == (
        "engagement.reply_rejected"
    )
    text, _html = mail_of(people["zh"], smtp_settings)
    assert "boss 给出的理由：语气太随意" in text
    assert "被驳回" in text  # the title, in Chinese


def test_an_approval_without_a_note_says_what_the_case_is(people, smtp_settings):
    from engagement.services import reply_approve

    reply = waiting_reply(people["en"])
    reply_approve(reply_id=reply.pk, actor=people["boss"])
    text, _html = mail_of(people["en"], smtp_settings)
    assert "Note from" not in text
    assert reply.case.summary[:20] in text


def test_the_api_takes_the_approval_note(people, smtp_settings):
    from rest_framework.test import APIClient

    from integrations.tokens import token_create

    reply = waiting_reply(people["en"])
    _token, key = token_create(user=people["boss"], name="desk", scopes=["cases:write"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.post(
        f"/api/v1/replies/{reply.pk}/approve/", {"note": "x" * 1001}, format="json"
    )
    assert response.status_code == 400
    response = api.post(
        f"/api/v1/replies/{reply.pk}/approve/", {"note": "Well said"}, format="json"
    )
    assert response.status_code == 200, response.content
    text, _html = mail_of(people["en"], smtp_settings)
    assert "Note from boss: Well said" in text


def test_a_note_renders_in_the_readers_language():
    from django.utils import translation

    params = {"case": 7, "note": "好", "reviewer": "boss", "summary": "s"}
    with translation.override("en"):
        assert render("engagement.reply_approved", params)[1] == "Note from boss: 好"
        assert render("engagement.reply_approved", {**params, "note": ""})[1] == "s"
    with translation.override("zh-hans"):
        assert render("engagement.reply_approved", params)[1] == "boss 的备注：好"
