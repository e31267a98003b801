"""A source's API base URL cannot send the platform token anywhere (issue 11, item 6):
only allowed hosts are called, redirects are not followed, a foreign body is never
echoed into last_error."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from listening.adapters import get_adapter
from listening.adapters.base import PermanentError, SourceSpec
from listening.models import Source
from tests.listening.adapter_stub import Reply, StubServer, configure

adapter = get_adapter("weibo")


@pytest.fixture
def stub(settings):
    with StubServer() as server:
        configure(settings, "weibo", f"{server.url}/2", token="secret-token")
        yield server


@pytest.mark.parametrize(
    "base",
    [
        "http://169.254.169.254/latest/meta-data",
        "http://localhost:6379/2",
        "http://127.0.0.1:5432/2",
        "https://api.weibo.com.evil.example/2",
    ],
)
def test_a_source_pointing_elsewhere_is_refused_before_any_call(stub, base):
    spec = SourceSpec(platform="weibo", kind="mentions", query="1", api_base=base)
    with pytest.raises(PermanentError, match="not allowed"):
        adapter.fetch_page(spec, since_id=None, page=None)
    assert stub.requests == []


@pytest.mark.django_db
def test_the_admin_refuses_such_a_source(settings):
    source = Source(
        name="x",
        platform="weibo",
        kind="search",
        query="dell",
        api_base="http://169.254.169.254/2",
    )
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "api_base" in error.value.message_dict
    source.api_base = "https://api.weibo.com/2"
    source.full_clean()
    settings.PLATFORM_API_ALLOWED_HOSTS = ["weibo-proxy.example.com"]
    source.api_base = "https://weibo-proxy.example.com/2"
    source.full_clean()


def test_a_redirect_is_not_followed(stub):
    target = StubServer()
    with target:
        stub.on(
            "GET",
            "/2/statuses/mentions.json",
            Reply(302, b"", {"Location": f"{target.url}/steal"}),
        )
        spec = SourceSpec(platform="weibo", kind="mentions", query="1")
        with pytest.raises(PermanentError, match="redirect"):
            adapter.fetch_page(spec, since_id=None, page=None)
        assert target.requests == []


def test_a_foreign_body_is_never_echoed(stub):
    stub.on(
        "GET",
        "/2/statuses/mentions.json",
        Reply(200, b"<html>root:x:0:0:secret-internal-page</html>", {}),
    )
    spec = SourceSpec(platform="weibo", kind="mentions", query="1")
    with pytest.raises(Exception) as error:
        adapter.fetch_page(spec, since_id=None, page=None)
    assert "secret-internal-page" not in str(error.value)
    assert "root:x" not in str(error.value)
