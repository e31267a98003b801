"""The old "my API token" page sends people to the token page of integrations, and
makes no clear-text token any more."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from integrations.models import ApiToken
from tests.engagement.dashboard_helpers import as_user
from tests.engagement.factories import make_people

pytestmark = pytest.mark.django_db

TOKEN = reverse("engagement:api_token")


@pytest.fixture
def people(support):
    return make_people(support)


def test_the_token_page_needs_a_login(client):
    assert client.get(TOKEN).status_code == 302
    assert (
        "/login" in client.get(TOKEN)["Location"]
        or "next=" in client.get(TOKEN)["Location"]
    )


@pytest.mark.parametrize("who", ["amb", "manager", "admin"])
def test_the_old_page_leads_to_the_scoped_tokens(client, people, who):
    as_user(client, getattr(people, who))
    response = client.get(TOKEN)
    assert response.status_code == 301
    assert response["Location"] == reverse("integrations:tokens")
    # A form posted to the old address makes nothing, in clear or hashed.
    client.post(TOKEN, {"action": "create"})
    assert not Token.objects.exists()
    assert not ApiToken.objects.exists()
