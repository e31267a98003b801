"""Engagement's settings are read when used, so override_settings takes effect."""

import pytest
from django.test import override_settings

from engagement import conf
from engagement.models import Case, Priority
from engagement.services import mentions_route
from tests.engagement.conftest import MONDAY_10AM, make_mention

pytestmark = pytest.mark.django_db


def route(**mention) -> Case:
    m = make_mention(**mention)
    mentions_route(mention_ids=[m.id], now=MONDAY_10AM)
    return Case.objects.get(links__mention=m)


def test_the_influencer_threshold_follows_the_settings(support):
    assert route(author="a", followers=500).influencer is False
    with override_settings(ENGAGEMENT_INFLUENCER_FOLLOWERS=400):
        assert conf.INFLUENCER_FOLLOWERS == 400
        assert route(author="b", followers=500).influencer is True
    assert conf.INFLUENCER_FOLLOWERS == 10_000


def test_the_priority_thresholds_follow_the_settings(support):
    assert route(author="c", priority=50.0).priority == Priority.NORMAL
    with override_settings(ENGAGEMENT_PRIORITY_THRESHOLDS=((45.0, 1),)):
        assert route(author="d", priority=50.0).priority == Priority.URGENT


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError):
        conf.NO_SUCH_SETTING  # noqa: B018
