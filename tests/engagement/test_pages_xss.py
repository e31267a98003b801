"""Hostile social text shows as text on every dashboard page, in Chinese and in
English; the interface speaks Chinese by default and English on request."""

import pytest
from django.urls import reverse

from ambassadors.services import profile_set_language
from engagement.models import CannedResponse, PolicyRule
from engagement.services import (
    case_add_note,
    case_assign,
    case_set_labels,
    reply_create,
    reply_deliver,
    reply_reject,
)
from listening.adapters import PermanentError
from listening.models import Author
from tests.engagement.dashboard_helpers import as_user
from tests.engagement.factories import make_people, open_case

pytestmark = pytest.mark.django_db

EVIL = (
    '<script>alert("x")</script><img src=x onerror="alert(1)">'
    "</textarea><svg onload=alert(2)>\"'><b>粗体</b>"
)
RAW = ("<script>alert(", "<img src=x", "<svg onload", "<b>粗体")


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
def hostile(people, platform, sent_tasks):
    """A case where every piece of text a stranger controls is hostile."""
    case = open_case(author=EVIL[:60], text=EVIL, keywords=(EVIL[:20],))
    Author.objects.filter(pk=case.author_id).update(
        screen_name=EVIL[:200],
        name=EVIL[:200],
        location=EVIL[:200],
        description=EVIL,
        verified=True,
        verified_type=EVIL[:32],
    )
    case_assign(case_id=case.pk, assignee=people.trainee, actor=people.manager)
    case_set_labels(case_id=case.pk, labels=[EVIL[:50]], actor=people.manager)
    case_add_note(case_id=case.pk, text=EVIL, actor=people.manager)
    CannedResponse.objects.create(
        shortcode="evil", title=EVIL[:120], language="zh", text=EVIL + "{name}"
    )
    rejected = reply_create(case_id=case.pk, text=EVIL, actor=people.trainee)
    reply_reject(reply_id=rejected.pk, actor=people.manager, reason=EVIL)
    reply_create(case_id=case.pk, text=EVIL + "待审", actor=people.trainee)
    case_assign(case_id=case.pk, assignee=people.amb, actor=people.manager)
    platform.faults.append(PermanentError(EVIL, code="evil"))
    failed = reply_create(case_id=case.pk, text=EVIL + "失败", actor=people.amb)
    reply_deliver(reply_id=failed.pk)
    return case


def assert_escaped(response):
    body = response.content.decode()
    for raw in RAW:
        assert raw not in body, raw
    assert "&lt;script&gt;alert(" in body
    return body


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_hostile_text_is_escaped_on_every_page(client, people, hostile, language):
    for user in (people.manager, people.amb):
        profile_set_language(user=user, language=language)
    case = hostile
    as_user(client, people.amb)
    pages = [
        client.get(reverse("engagement:queue"), {"view": "all"}),
        client.get(reverse("engagement:case_detail", args=[case.pk])),
        client.get(reverse("engagement:canned_search", args=[case.pk]), {"q": "evil"}),
        client.get(reverse("engagement:replies_fragment", args=[case.pk])),
        client.get(
            reverse("engagement:queue_poll"), {"after": case.pk - 1, "view": "all"}
        ),
    ]
    as_user(client, people.manager)
    pages += [
        client.get(reverse("engagement:approvals")),
        client.get(reverse("engagement:case_detail", args=[case.pk])),
    ]
    for response in pages:
        assert response.status_code == 200
        assert f'lang="{language}"' in response.content.decode() or (
            "<html" not in response.content.decode()
        )
    for response in pages:
        assert_escaped(response)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_hostile_text_in_a_refused_draft_is_escaped(client, people, language):
    PolicyRule.objects.create(kind=PolicyRule.Kind.BANNED_WORD, value="<script>")
    case = open_case()
    case_assign(case_id=case.pk, assignee=people.amb, actor=people.manager)
    profile_set_language(user=people.amb, language=language)
    as_user(client, people.amb)
    check = client.post(
        reverse("engagement:composer_check", args=[case.pk]), {"text": EVIL}
    )
    body = check.content.decode()
    assert "<script>" not in body
    assert "&lt;script&gt;" in body
    sent = client.post(reverse("engagement:reply_send", args=[case.pk]), {"text": EVIL})
    assert sent.status_code == 400
    assert_escaped(sent)
    # The text comes back in the textarea, still escaped (no early </textarea>).
    assert "&lt;/textarea&gt;" in sent.content.decode()


def test_the_interface_is_chinese_by_default_and_english_on_request(client, people):
    open_case(sentiment="negative")
    as_user(client, people.manager)
    body = client.get(reverse("engagement:queue")).content.decode()
    assert '<html lang="zh-hans">' in body
    assert "负面" in body
    assert "退出" in body
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("engagement:queue")).content.decode()
    assert '<html lang="en">' in body
    assert "Negative" in body
    assert "My cases" in body
    assert "Sign out" in body
    people.manager.profile.refresh_from_db()
    assert people.manager.profile.ui_language == "en"
