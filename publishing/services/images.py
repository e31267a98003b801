"""Pictures for posts: stored by the product, checked as the platforms check them."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import invalid

from ..models import PostImage

# What the upload calls of all three platforms accept (platform-apis.md §6.1).
MAX_IMAGE_BYTES = 5 * 1024 * 1024
IMAGE_TYPES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}


def image_type(data: bytes) -> str:
    """The type by the file's first bytes (never by its name or the browser's say)."""
    for magic, kind in IMAGE_TYPES.items():
        if data.startswith(magic):
            return kind
    return ""


@transaction.atomic
def post_image_store(*, uploaded_by: User, name: str, data: bytes) -> PostImage:
    if not data:
        raise invalid("image_empty", _("The image is empty."))
    if len(data) > MAX_IMAGE_BYTES:
        raise invalid("image_too_big", _("Images must be smaller than 5 MB."))
    kind = image_type(data)
    if not kind:
        raise invalid("image_type", _("Only JPEG, PNG and GIF images can be posted."))
    safe_name = "".join(c for c in (name or "image") if c.isalnum() or c in "._-")
    return PostImage.objects.create(
        name=(safe_name or "image")[:120],
        data=data,
        content_type=kind,
        size=len(data),
        uploaded_by=uploaded_by,
    )
