"""The brand's own posts on the three mock platforms (platform-apis.md §6): publish
endpoints in their wire shapes, the brand's timeline, post counters and follower
counts.

Weibo ``POST statuses/update`` and ``statuses/upload`` (multipart ``pic``),
``GET statuses/user_timeline``, ``GET statuses/count`` (≤ 100 ids; the mock adds
``reads``, Weibo's read count, as the post's reach), ``GET users/show``.
Twitter ``POST /2/tweets`` without ``reply`` (``media.media_ids``),
``POST /2/media/upload``, ``GET /2/tweets?ids=`` (≤ 100, ``public_metrics`` with
``impression_count``), ``GET /2/users/:id/tweets``, ``GET /2/users/:id``.
Renren ``POST /v2/status/put`` (the mock also takes ``photoId`` of an uploaded
photo), ``POST /v2/photo/upload``, ``GET /v2/status/get``, ``GET /v2/page/get``
(the brand page with ``fansCount``: the mock's choice, Renren exposed no follower
count to apps). Pictures are served at ``/mock/<platform>/_media/<id>``.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

from ..models import MockMedia

MAX_IDS = 100  # Weibo statuses/count and Twitter tweet lookup take 100 ids a call
TIMELINE_DEFAULT, TIMELINE_MAX = 20, 100


def media_url(platform: str, media_id: int) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/mock/{platform}/_media/{media_id}"


def media(request: HttpRequest, platform: str, media_id: str) -> HttpResponse:
    """An uploaded picture, as the platform's image servers would serve it."""
    row = MockMedia.objects.filter(platform=platform, media_id=int(media_id)).first()
    if row is None:
        raise Http404
    response = HttpResponse(bytes(row.data), content_type=row.content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


def upload_of(request: HttpRequest, field: str) -> bytes | None:
    upload = request.FILES.get(field)
    return upload.read() if upload is not None else None


def ids_param(raw: str) -> list[int] | None:
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if not parts or not all(p.isdigit() for p in parts):
        return None
    return [int(p) for p in parts]
