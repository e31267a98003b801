"""The seeded generator of realistic platform traffic (pure: no database)."""

from .authors import BRANDS, POOL_SIZE, author_pool
from .core import BRAND_EVERY, Generator, Item

__all__ = ["BRANDS", "BRAND_EVERY", "POOL_SIZE", "Generator", "Item", "author_pool"]
