"""One independent random stream per (seed, platform, item, purpose).

Every generated item draws from its own ``random.Random``, so item k is the same
whether it was made alone, in a batch of 50 on a read request, or among 100,000 by
the backlog command: generation is deterministic for a seed, whatever the batching.
"""

import random

PLATFORM_CODE = {"weibo": 1, "twitter": 2, "renren": 3}
PLAN_STREAM = 0  # what an item is and who writes it (read again by later items)
TEXT_STREAM = 1  # its text, counters, place
CRISIS_STREAM = 2  # whether it joins a crisis (so a crisis leaves others untouched)
AUTHOR_STREAM = 3


def rng_for(seed: int, platform: str, index: int, stream: int) -> random.Random:
    key = ((abs(seed) * 4 + PLATFORM_CODE[platform]) << 44 | index) * 8 + stream
    return random.Random(key)
