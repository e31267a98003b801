"""The widget on a plain HTML page served from another port, in a real browser."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.integrations.test_widget import brand_posts  # noqa: F401, F811 (fixture)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_widget_renders_on_a_plain_page_of_another_origin(
    live_server,
    new_page,
    settings,
    brand_posts,  # noqa: F811 (the fixture)
):
    page_html = b""

    class Site(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page_html)

    site = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{site.server_address[1]}"
    settings.WIDGET_ALLOWED_ORIGINS = [origin]
    page_html = (
        "<!DOCTYPE html><html><body><h1>Dell China</h1>"
        f'<script src="{live_server.url}/integrations/widget.js" data-brand="dell" '
        'data-lang="en"></script></body></html>'
    ).encode()
    try:
        page = new_page()
        page.goto(origin + "/")
        frame = page.frame_locator("iframe")
        post = frame.locator("#widget-posts li.post").first
        post.wait_for()
        assert "新品 XPS 13" in post.inner_text()
        assert '<script>alert("x")</script>' in post.inner_text()  # shown as text
        assert "Reposts 12" in post.inner_text()
    finally:
        site.shutdown()
        site.server_close()
