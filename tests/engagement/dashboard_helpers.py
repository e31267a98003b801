"""Page helpers shared by the dashboard page tests (people and cases:
``tests/engagement/factories.py``)."""

from __future__ import annotations

import re

from tests.engagement.factories import make_people, open_case  # noqa: F401

_ROW = re.compile(r'<tr class="case-row[^"]*" data-id="(\d+)"')


def row_ids(response) -> list[int]:
    """The case ids of the queue rows in a page or fragment, in order."""
    return [int(i) for i in _ROW.findall(response.content.decode())]


def as_user(client, user):
    client.force_login(user)
    return client
