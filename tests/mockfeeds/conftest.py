"""Helpers for the mock platform tests: a platform reset to a known seed, with
arrival switched off (rate 0) so nothing appears behind a test's back."""

import pytest
from django.test import Client

from mockfeeds.services import mock_scenario_update
from mockfeeds.traffic import mock_backlog_seed


@pytest.fixture
def api():
    return Client()


@pytest.fixture
def platform_with(db):
    """``platform_with("weibo", count=300)``: the platform reset with seed 7, no
    arrival, and a backlog of ``count`` generated items."""

    def make(platform: str, *, count: int = 0, seed: int = 7, **options) -> None:
        mock_scenario_update(
            payload={"reset": [platform], "seed": seed, "rate": {platform: 0}}
        )
        if count:
            mock_backlog_seed(platform=platform, count=count, **options)

    return make
