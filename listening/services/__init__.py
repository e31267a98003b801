"""Writes of the listening room: storing mentions and polling sources."""

from .polling import (
    PollOutcome,
    source_lease_acquire,
    source_lease_release,
    source_poll,
    sources_claim_due,
)
from .store import StoreResult, clean_text, mentions_requeue_unanalyzed, mentions_store

__all__ = [
    "PollOutcome",
    "StoreResult",
    "clean_text",
    "mentions_requeue_unanalyzed",
    "mentions_store",
    "source_lease_acquire",
    "source_lease_release",
    "source_poll",
    "sources_claim_due",
]
