"""How urgent a mention is: one score in [0, 100] that routing and the queue sort by.

    priority = 100 × (0.40·N + 0.25·I + 0.20·R·A + 0.15·B)

N  negativity: 1 − sentiment score, plus 0.2 when the post is flagged sarcastic or
   mixed (a person must read it), at most 1.
I  intent: complaint 1.0, support question 0.8, purchase intent 0.6, suggestion 0.4,
   praise 0.2, other 0.1.
R  reach: log10(1 + followers) / 6, at most 1 (a million followers is the top);
   a verified account counts at least 0.5, plus 0.2, at most 1.
A  needs an answer: complaint, question and purchase intent 1.0, suggestion 0.3,
   praise and other 0; and at least the post's negativity beyond neutral
   (2 × (N − 0.5), so a clearly negative post of any intent counts fully).
   Reach raises what someone must answer, not praise or product news: a big
   account's compliment does not jump the queue.
B  brand: the own brand named 1.0; only competitors 0.6 (a customer to win over);
   none 0.2.

An angry complaint about the own brand from a big verified account comes near 100; a
neutral post with no brand from a new account near 10. Weights sum to 1, so every term
is easy to reason about: negativity matters most, then what the author wants, then
who hears it, then whose brand it is.
"""

from __future__ import annotations

import math

WEIGHT_NEGATIVITY = 0.40
WEIGHT_INTENT = 0.25
WEIGHT_REACH = 0.20
WEIGHT_BRAND = 0.15
SARCASM_BONUS = 0.2
INTENT_URGENCY = {
    "complaint": 1.0,
    "question": 0.8,
    "purchase": 0.6,
    "suggestion": 0.4,
    "praise": 0.2,
    "other": 0.1,
}
REACH_TOP_FOLLOWERS_LOG10 = 6.0
VERIFIED_FLOOR = 0.5
VERIFIED_BONUS = 0.2
BRAND_OWN, BRAND_COMPETITOR, BRAND_NONE = 1.0, 0.6, 0.2
NEEDS_ANSWER = {
    "complaint": 1.0,
    "question": 1.0,
    "purchase": 1.0,
    "suggestion": 0.3,
    "praise": 0.0,
    "other": 0.0,
}


def needs_answer(intent: str, negativity: float) -> float:
    """How much the post asks for a reply (A): its intent, or its negativity."""
    from_sentiment = max(0.0, min(1.0, 2.0 * (negativity - 0.5)))
    return max(NEEDS_ANSWER.get(intent, 0.0), from_sentiment)


def reach(followers: int, verified: bool) -> float:
    value = min(1.0, math.log10(1 + max(followers, 0)) / REACH_TOP_FOLLOWERS_LOG10)
    if verified:
        value = min(1.0, max(value, VERIFIED_FLOOR) + VERIFIED_BONUS)
    return value


def priority(
    *,
    sentiment: float,
    sarcasm: bool,
    intent: str,
    followers: int = 0,
    verified: bool = False,
    own_brand: bool = False,
    competitor: bool = False,
) -> float:
    negativity = min(1.0, (1.0 - sentiment) + (SARCASM_BONUS if sarcasm else 0.0))
    brand = BRAND_OWN if own_brand else BRAND_COMPETITOR if competitor else BRAND_NONE
    value = 100.0 * (
        WEIGHT_NEGATIVITY * negativity
        + WEIGHT_INTENT * INTENT_URGENCY.get(intent, INTENT_URGENCY["other"])
        + WEIGHT_REACH * reach(followers, verified) * needs_answer(intent, negativity)
        + WEIGHT_BRAND * brand
    )
    return round(max(0.0, min(100.0, value)), 2)
