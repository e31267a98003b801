"""The embeddable widget: the brand's latest posts on Weibo, Twitter and Renren with
their counts, for the brand's own web site. Served from a cache (never a query per
view), escaped, without cookies, framable only by WIDGET_ALLOWED_ORIGINS."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from listening.models import Brand, Mention
from listening.selectors import own_accounts

POSTS_SHOWN = 10
# How long the posts stay cached (seconds): a busy site costs one query a minute.
CACHE_SECONDS = 60
COUNT_KEYS = ("reposts", "comments", "likes")


def widget_posts(*, brand: str) -> list[dict] | None:
    """The brand's latest posts (None: no such own brand), cached."""
    key = f"integrations:widget:{brand}"
    found = cache.get(key)
    if found is not None:
        return found or None
    if not Brand.objects.filter(slug=brand, kind=Brand.Kind.OWN).exists():
        cache.set(key, [], CACHE_SECONDS)
        return None
    accounts = own_accounts()
    posts: list[dict] = []
    for platform in ("weibo", "twitter", "renren"):
        ids = [uid for p, uid in accounts if p == platform]
        if not ids:
            continue
        rows = (
            Mention.objects.filter(platform=platform, author__external_id__in=ids)
            .select_related("author")
            .only("platform", "text", "created_at", "metrics", "author__screen_name")
            .order_by("-created_at")[:POSTS_SHOWN]
        )
        for m in rows:
            metrics = m.metrics if isinstance(m.metrics, dict) else {}
            posts.append(
                {
                    "platform": m.platform,
                    "author": m.author.screen_name if m.author else "",
                    "text": m.text[:500],
                    "created_at": m.created_at,
                    "counts": {k: int(metrics.get(k) or 0) for k in COUNT_KEYS},
                }
            )
    posts.sort(key=lambda p: p["created_at"], reverse=True)
    posts = posts[:POSTS_SHOWN]
    cache.set(key, posts or [{"empty": True}], CACHE_SECONDS)
    return posts


def _frame_headers(response: HttpResponse) -> HttpResponse:
    origins = " ".join(settings.WIDGET_ALLOWED_ORIGINS) or "'none'"
    response["Content-Security-Policy"] = (
        f"default-src 'none'; style-src 'self'; img-src 'self'; "
        f"frame-ancestors {origins}"
    )
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
@xframe_options_exempt
def widget_frame(request: HttpRequest, brand: str) -> HttpResponse:
    posts = widget_posts(brand=brand[:50])
    if posts is None:
        raise Http404
    posts = [p for p in posts if not p.get("empty")]
    language = "en" if request.GET.get("lang") == "en" else "zh-hans"
    with translation.override(language):
        response = render(
            request,
            "integrations/widget.html",
            {"posts": posts, "language": language},
        )
    return _frame_headers(response)


WIDGET_JS = """(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var brand = script.getAttribute("data-brand") || "";
  var lang = script.getAttribute("data-lang") === "en" ? "en" : "zh";
  var base = new URL(script.src).origin;
  var frame = document.createElement("iframe");
  frame.src = base + "/integrations/widget/" + encodeURIComponent(brand) +
    "/?lang=" + lang;
  frame.title = "dellsocial";
  frame.width = script.getAttribute("data-width") || "360";
  frame.height = script.getAttribute("data-height") || "480";
  frame.setAttribute("loading", "lazy");
  frame.setAttribute("referrerpolicy", "no-referrer");
  frame.style.border = "0";
  script.parentNode.insertBefore(frame, script.nextSibling);
})();
"""


@require_GET
def widget_js(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(WIDGET_JS, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response
