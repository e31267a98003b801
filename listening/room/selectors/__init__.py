"""Reads of the listening room's panels: rollups only (the mention table is read only
for minute buckets of short ranges, which its created_at index bounds, and for the
mention list behind a point)."""

from .base import MENTION_PAGE, TOP_INFLUENCERS, TOP_KEYWORDS, TOP_POSTS, json_has
from .mentions import latest_bucket, mentions_behind, spikes_in, spikes_since
from .people import audience, influencers, intent_mix, own_accounts
from .volume import sentiment_series, share_of_voice, volume_series
from .words import excluded_words, rising_keywords

__all__ = [
    "MENTION_PAGE",
    "TOP_INFLUENCERS",
    "TOP_KEYWORDS",
    "TOP_POSTS",
    "audience",
    "excluded_words",
    "influencers",
    "intent_mix",
    "json_has",
    "latest_bucket",
    "mentions_behind",
    "own_accounts",
    "rising_keywords",
    "sentiment_series",
    "share_of_voice",
    "spikes_in",
    "spikes_since",
    "volume_series",
]
