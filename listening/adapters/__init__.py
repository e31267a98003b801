from .base import (
    Adapter,
    DuplicateContent,
    MalformedPayload,
    NormalizedAuthor,
    NormalizedPost,
    ParsedPage,
    PermanentError,
    PlatformError,
    RateLimited,
    Refusal,
    ReplyTarget,
    SourceSpec,
    TransientError,
)
from .registry import ADAPTERS


def get_adapter(platform: str) -> Adapter:
    """The adapter for ``platform`` (one instance per process)."""
    try:
        return ADAPTERS[platform]
    except KeyError:
        raise ValueError(f"unknown platform {platform!r}") from None


__all__ = [
    "Adapter",
    "DuplicateContent",
    "MalformedPayload",
    "NormalizedAuthor",
    "NormalizedPost",
    "ParsedPage",
    "PermanentError",
    "PlatformError",
    "RateLimited",
    "Refusal",
    "ReplyTarget",
    "SourceSpec",
    "TransientError",
    "get_adapter",
]
