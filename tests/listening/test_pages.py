import pytest
from django.urls import reverse

from ambassadors.services import user_create
from listening.services import mentions_store
from tests.listening.factories import make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client):
    user_create(username="mgr", password="pw-123456789", role="manager")
    client.login(username="mgr", password="pw-123456789")
    return client


def test_the_pages_need_a_login(client):
    for name in ("home", "mentions"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_the_first_page_after_login_is_the_triage_queue(manager_client):
    response = manager_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("engagement:queue")


def test_latest_mentions_are_listed_newest_first(manager_client):
    mentions_store(posts=[make_post(1, text="较早的帖子")])
    mentions_store(posts=[make_post(2, text="最新的帖子")])
    body = manager_client.get(reverse("mentions")).content.decode()
    assert body.index("最新的帖子") < body.index("较早的帖子")


def test_latest_mentions_are_in_post_time_order_even_when_one_arrives_late(
    manager_client,
):
    """A post from 15:32 fetched at 16:30 sits below the 16:00 post, not on top."""
    import dataclasses
    import datetime as dt

    at = dt.datetime(2026, 11, 30, 16, 0, tzinfo=dt.UTC)

    def posted(external_id, text, minutes):
        return dataclasses.replace(
            make_post(external_id, text=text),
            created_at=at + dt.timedelta(minutes=minutes),
        )

    mentions_store(posts=[posted(1, "十六点的帖子", 0)])
    mentions_store(posts=[posted(2, "十六点十分的帖子", 10)])
    first_id = mentions_store(posts=[posted(3, "迟到的旧帖", -28)]).created_ids[0]
    body = manager_client.get(reverse("mentions")).content.decode()
    order = [body.index(t) for t in ("十六点十分的帖子", "十六点的帖子", "迟到的旧帖")]
    assert order == sorted(order)
    # The live poll asks by arrival: the late post is still handed over (the page
    # puts it where its data-time goes).
    fragment = manager_client.get(
        reverse("mentions_latest"), {"after": first_id - 1}
    ).content.decode()
    assert "迟到的旧帖" in fragment
    assert f'data-time="{int((at - dt.timedelta(minutes=28)).timestamp())}"' in (
        fragment
    )


def test_hostile_post_text_is_rendered_as_text(manager_client):
    mentions_store(
        posts=[make_post(3, text='<script>alert(1)</script><img src=x onerror="x()">')]
    )
    body = manager_client.get(reverse("mentions")).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<img src=x" not in body


def test_the_live_fragment_returns_only_newer_rows(manager_client):
    mentions_store(posts=[make_post(1, text="旧帖")])
    first_id = mentions_store(posts=[make_post(2, text="新帖")]).created_ids[0] - 1
    body = manager_client.get(
        reverse("mentions_latest"), {"after": first_id}
    ).content.decode()
    assert "新帖" in body
    assert "旧帖" not in body
    bad = manager_client.get(reverse("mentions_latest"), {"after": "x"})
    assert bad.status_code == 200


def test_the_interface_speaks_chinese_by_default_and_english_on_request(manager_client):
    assert "最新提及" in manager_client.get(reverse("mentions")).content.decode()
    manager_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Latest mentions" in manager_client.get(reverse("mentions")).content.decode()
