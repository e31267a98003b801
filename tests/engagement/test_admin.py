import pytest
from django.apps import apps

from ambassadors.demo import demo_seed as seed_people
from engagement.services import demo_seed, mentions_route
from tests.engagement.factories import MONDAY_10AM, make_mention

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "page",
    [
        "engagement/case",
        "engagement/reply",
        "engagement/routingrule",
        "engagement/policyrule",
        "engagement/slapolicy",
        "engagement/cannedresponse",
        "ambassadors/profile",
        "ambassadors/team",
        "ambassadors/skill",
    ],
)
def test_admin_pages_open(admin_client, page):
    seed_people(password="demo-pass-2010")
    demo_seed()
    mentions_route(mention_ids=[make_mention().id], now=MONDAY_10AM)
    assert admin_client.get(f"/admin/{page}/").status_code == 200
    model = apps.get_model(*page.split("/"))
    first = model.objects.order_by("pk").first()
    if first is not None:
        change = admin_client.get(f"/admin/{page}/{first.pk}/change/")
        assert change.status_code == 200


def test_cases_cannot_be_edited_in_the_admin(admin_client):
    mentions_route(mention_ids=[make_mention().id], now=MONDAY_10AM)
    assert admin_client.get("/admin/engagement/case/add/").status_code == 403
