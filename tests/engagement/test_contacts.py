"""Linked identities: a manager links the same customer's accounts on several
platforms into one contact and adds contact notes; the case page and the API show
them, the history covers every identity, links and unlinks are audited, and nobody
but a manager changes them."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from rest_framework.test import APIClient

from engagement.models import Case, ContactIdentity, ContactNote
from engagement.services import mentions_route
from tests.engagement.dashboard_helpers import as_user
from tests.engagement.factories import MONDAY_10AM, make_mention, make_people
from tests.tokens import api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(support):
    return make_people(support)


def case_of(**mention) -> Case:
    m = make_mention(**mention)
    mentions_route(mention_ids=[m.id], now=MONDAY_10AM)
    return Case.objects.get(links__mention=m)


@pytest.fixture
def weibo_case(people):
    return case_of(platform="weibo", author="xiaoming", text="戴尔 XPS 屏幕坏了")


@pytest.fixture
def twitter_case(people):
    return case_of(
        platform="twitter", author="ming_en", text="My XPS <script>x</script> broke"
    )


def page(client, case) -> str:
    return client.get(f"/engagement/cases/{case.pk}/").content.decode()


def test_a_manager_links_identities_and_the_case_page_shows_one_person(
    client, people, weibo_case, twitter_case
):
    as_user(client, people.manager)
    url = f"/engagement/cases/{weibo_case.pk}/contact/link/"
    response = client.post(url, {"platform": "twitter", "handle": "@ming_en"})
    assert response.status_code == 302
    linked = ContactIdentity.objects.values_list("author__screen_name", flat=True)
    assert sorted(linked) == ["ming_en", "xiaoming"]
    html = page(client, weibo_case)
    assert "@ming_en" in html
    # The history covers the other identity: its case is listed (escaped).
    assert f"#{twitter_case.pk}" in html
    assert "<script>x</script>" not in html
    # Seen from the other identity's case, the same person.
    assert "@xiaoming" in page(client, twitter_case)
    # Audited, with the manager as the actor.
    entries = LogEntry.objects.get_for_model(ContactIdentity)
    assert entries.filter(actor=people.manager, action=LogEntry.Action.CREATE).count()


def test_contact_notes_follow_the_person_to_every_case(
    client, people, weibo_case, twitter_case
):
    as_user(client, people.manager)
    client.post(
        f"/engagement/cases/{weibo_case.pk}/contact/link/",
        {"platform": "twitter", "handle": "ming_en"},
    )
    client.post(
        f"/engagement/cases/{twitter_case.pk}/contact/notes/",
        {"text": "VIP <b>客户</b>，上次换过屏"},
    )
    assert ContactNote.objects.get().author == people.manager
    html = page(client, weibo_case)
    assert "VIP &lt;b&gt;客户&lt;/b&gt;，上次换过屏" in html
    client.post(f"/engagement/cases/{weibo_case.pk}/contact/notes/", {"text": "  "})
    assert ContactNote.objects.count() == 1


def test_unlinking_is_audited_and_the_last_identity_stays(
    client, people, weibo_case, twitter_case
):
    as_user(client, people.manager)
    client.post(
        f"/engagement/cases/{weibo_case.pk}/contact/link/",
        {"platform": "twitter", "handle": "ming_en"},
    )
    other = twitter_case.author_id
    client.post(f"/engagement/cases/{weibo_case.pk}/contact/unlink/", {"author": other})
    assert list(ContactIdentity.objects.values_list("author_id", flat=True)) == [
        weibo_case.author_id
    ]
    deleted = LogEntry.objects.get_for_model(ContactIdentity).filter(
        action=LogEntry.Action.DELETE, actor=people.manager
    )
    assert deleted.count() == 1
    assert "@ming_en" not in page(client, weibo_case)
    client.post(
        f"/engagement/cases/{weibo_case.pk}/contact/unlink/",
        {"author": weibo_case.author_id},
    )
    assert ContactIdentity.objects.count() == 1


def test_two_contacts_linked_together_become_one(client, people, weibo_case):
    renren = case_of(platform="renren", author="小明", text="戴尔售后")
    twitter = case_of(platform="twitter", author="ming_en", text="dell help")
    as_user(client, people.manager)
    client.post(
        f"/engagement/cases/{renren.pk}/contact/link/",
        {"platform": "twitter", "handle": "ming_en"},
    )
    client.post(f"/engagement/cases/{twitter.pk}/contact/notes/", {"text": "老客户"})
    client.post(
        f"/engagement/cases/{weibo_case.pk}/contact/link/",
        {"platform": "renren", "handle": "小明"},
    )
    contacts = set(ContactIdentity.objects.values_list("contact_id", flat=True))
    assert len(contacts) == 1
    assert ContactIdentity.objects.count() == 3
    assert ContactNote.objects.get().contact_id in contacts


def test_only_managers_change_contacts(client, people, weibo_case, twitter_case):
    as_user(client, people.amb)
    client.post(
        f"/engagement/cases/{weibo_case.pk}/contact/link/",
        {"platform": "twitter", "handle": "ming_en"},
    )
    client.post(f"/engagement/cases/{weibo_case.pk}/contact/notes/", {"text": "x"})
    assert not ContactIdentity.objects.exists()
    assert not ContactNote.objects.exists()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=people.amb)}")
    answer = api.post(
        f"/api/v1/cases/{weibo_case.pk}/contact/",
        {"platform": "twitter", "handle": "ming_en"},
        format="json",
    )
    assert answer.status_code in (403, 404)
    assert not ContactIdentity.objects.exists()


def test_the_api_links_lists_notes_and_unlinks(people, weibo_case, twitter_case):
    api = APIClient()
    key = api_token_create(user=people.manager)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    url = f"/api/v1/cases/{weibo_case.pk}/contact/"
    assert api.get(url).json() == {"id": None, "identities": [], "notes": []}
    bad = api.post(url, {"platform": "twitter", "handle": "nobody"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["code"] == "unknown_identity"
    assert (
        api.post(url, {"platform": "mars", "handle": "x"}, format="json").status_code
        == 400
    )
    made = api.post(url, {"platform": "twitter", "handle": "ming_en"}, format="json")
    assert made.status_code == 201, made.content
    assert {i["screen_name"] for i in made.json()["identities"]} == {
        "xiaoming",
        "ming_en",
    }
    again = api.post(url, {"platform": "twitter", "handle": "ming_en"}, format="json")
    assert again.status_code == 409
    note = api.post(url + "notes/", {"text": "prefers English"}, format="json")
    assert note.status_code == 201
    assert api.get(url).json()["notes"][0]["text"] == "prefers English"
    assert api.post(url + "notes/", {"text": ""}, format="json").status_code == 400
    gone = api.delete(url, {"author_id": twitter_case.author_id}, format="json")
    assert gone.status_code == 200
    assert [i["screen_name"] for i in gone.json()["identities"]] == ["xiaoming"]
    last = api.delete(url, {"author_id": weibo_case.author_id}, format="json")
    assert last.status_code == 409
    assert api.get("/api/v1/cases/999999/contact/").status_code == 404
