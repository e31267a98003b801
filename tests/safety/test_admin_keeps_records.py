"""The Django admin cannot delete mentions, authors or sources (issue 11, item 9):
a delete would cascade the brand's replies and cases silently."""

from __future__ import annotations

import pytest

from ambassadors.services import user_create
from listening.models import Author, Mention, Source
from tests.engagement.conftest import make_mention

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Mention, Author, Source])
def test_the_admin_offers_no_delete(client, model):
    boss = user_create(username="root", password="pw-123456789", role="admin")
    client.force_login(boss)
    mention = make_mention(author="fan1")
    source = Source.objects.create(name="s", platform="weibo", kind="search", query="q")
    obj = {Mention: mention, Author: mention.author, Source: source}[model]
    changelist = client.get(f"/admin/listening/{model._meta.model_name}/")
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
    response = client.post(
        f"/admin/listening/{model._meta.model_name}/{obj.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    response = client.post(
        f"/admin/listening/{model._meta.model_name}/",
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    assert model.objects.filter(pk=obj.pk).exists()
