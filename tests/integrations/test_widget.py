"""The embeddable widget: the brand's posts, escaped, cached, cookie-free, framable
only by the configured origins; rendered on a plain page served from another port."""

from __future__ import annotations

import pytest
from django.utils import timezone

from listening.models import Author, Brand, Mention, Source

HOSTILE = '<script>alert("x")</script> 新品 XPS 13 发布'


@pytest.fixture
def brand_posts(db, settings, request):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"widget-{request.node.nodeid}",
        }
    }
    Brand.objects.create(slug="dell", name="Dell", kind="own")
    Source.objects.create(name="ours", platform="weibo", kind="mentions", query="9001")
    ours = Author.objects.create(
        platform="weibo", external_id="9001", screen_name="戴尔中国"
    )
    fan = Author.objects.create(platform="weibo", external_id="55", screen_name="fan")
    Mention.objects.create(
        platform="weibo",
        external_id="p1",
        author=ours,
        text=HOSTILE,
        created_at=timezone.now(),
        metrics={"reposts": 12, "comments": 3, "likes": 40},
    )
    Mention.objects.create(
        platform="weibo",
        external_id="p2",
        author=fan,
        text="not the brand",
        created_at=timezone.now(),
    )


def test_widget_shows_the_brands_posts_escaped_with_counts(
    client, brand_posts, settings
):
    settings.WIDGET_ALLOWED_ORIGINS = ["https://www.dell.com.cn"]
    response = client.get("/integrations/widget/dell/?lang=en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "新品 XPS 13" in html and "not the brand" not in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "Reposts 12" in html and "Likes 40" in html
    assert (
        "frame-ancestors https://www.dell.com.cn" in response["Content-Security-Policy"]
    )
    assert "X-Frame-Options" not in response
    assert not response.cookies
    assert "转发" in client.get("/integrations/widget/dell/").content.decode()


def test_widget_views_are_served_from_the_cache(
    client, brand_posts, django_assert_num_queries
):
    client.get("/integrations/widget/dell/")
    with django_assert_num_queries(0):
        assert client.get("/integrations/widget/dell/?lang=en").status_code == 200


def test_unknown_brand_is_404_and_nobody_may_frame_by_default(client, brand_posts):
    assert client.get("/integrations/widget/hp/").status_code == 404
    response = client.get("/integrations/widget/dell/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    script = client.get("/integrations/widget.js")
    assert script["Content-Type"].startswith("text/javascript")
    assert b"innerHTML" not in script.content
