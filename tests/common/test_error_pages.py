"""The error pages: the site's layout in the reader's language, the main nav for
whoever is signed in, and one log line (no traceback) for a refused page."""

from __future__ import annotations

import logging
import logging.config

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from ambassadors.models import Role
from tests.engagement.factories import PASSWORD, make_person


@pytest.fixture
def ambassador(db):
    return make_person("amb-err", role=Role.AMBASSADOR)


def _signed_in(user, language: str) -> Client:
    """``user`` signed in, speaking ``language`` (their profile's choice)."""
    from ambassadors.services import profile_update

    profile_update(profile=user.profile, ui_language=language)
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize(
    ("language", "heading", "nav_link"),
    [
        ("en", "You are not allowed to open this page", "Triage"),
        ("zh-hans", "您无权打开此页面", "分拣"),
    ],
)
def test_a_forbidden_page_is_the_sites_own_page_with_the_users_nav(
    ambassador, language, heading, nav_link
):
    response = _signed_in(ambassador, language).get("/engagement/approvals/")
    assert response.status_code == 403
    page = response.content.decode()
    assert heading in page
    assert 'id="mainnav"' in page and nav_link in page
    assert ambassador.username in page  # the top bar of the signed-in user
    assert 'data-error="403"' in page


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "This page does not exist"), ("zh-hans", "此页面不存在")],
)
def test_a_missing_page_is_the_sites_own_page(ambassador, language, heading):
    response = _signed_in(ambassador, language).get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert heading in page and 'id="mainnav"' in page


def test_a_missing_page_for_a_stranger_offers_to_sign_in(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "This page does not exist" in page
    assert 'id="mainnav"' not in page and "/accounts/login/" in page


def test_the_server_error_page_renders_without_a_request_context(db):
    with translation.override("zh-hans"):
        response = server_error(RequestFactory().get("/x/"))
    assert response.status_code == 500
    assert "服务器" in response.content.decode()


def test_a_refused_page_logs_one_line_and_no_traceback(ambassador, capsys):
    """The production LOGGING (Django applies its defaults first, then ours)."""
    from django.utils.log import DEFAULT_LOGGING

    from dellsocial import settings as production

    root, django_logger = logging.getLogger(), logging.getLogger("django")
    saved = (
        root.handlers[:],
        root.level,
        django_logger.handlers[:],
        django_logger.level,
        django_logger.propagate,
    )
    logging.config.dictConfig(DEFAULT_LOGGING)
    logging.config.dictConfig(production.LOGGING)
    try:
        capsys.readouterr()
        response = _signed_in(ambassador, "en").get("/engagement/approvals/")
        assert response.status_code == 403
        logged = capsys.readouterr().err
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
        django_logger.handlers[:] = saved[2]
        django_logger.level, django_logger.propagate = saved[3], saved[4]
    assert logged.count("Forbidden (Permission denied): /engagement/approvals/") == 1
    assert "Traceback" not in logged
