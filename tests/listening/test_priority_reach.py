"""Reach raises the priority of what needs an answer, not of praise (issue 14.9):
the documented formula, checked on a table of examples mapped to case priorities."""

import pytest

from engagement.services.routing import priority_for_score
from listening.nlp.priority import needs_answer, priority

BIG = {"followers": 2_000_000, "verified": True}
SMALL = {"followers": 50, "verified": False}

# (what, sentiment, intent, author, own brand, expected case priority 1..4)
EXAMPLES = [
    ("angry complaint, big account", 0.05, "complaint", BIG, True, 1),
    ("angry complaint, small account", 0.05, "complaint", SMALL, True, 1),
    ("question, big account", 0.5, "question", BIG, True, 2),
    ("question, small account", 0.5, "question", SMALL, True, 3),
    ("purchase intent, big account", 0.6, "purchase", BIG, True, 2),
    ("praise, big account", 0.95, "praise", BIG, True, 4),
    ("praise, small account", 0.95, "praise", SMALL, True, 4),
    ("product news, big account", 0.6, "other", BIG, True, 4),
    ("negative remark without a question, big account", 0.1, "other", BIG, True, 2),
]


@pytest.mark.parametrize(
    "what,sentiment,intent,author,own,expected", EXAMPLES, ids=[e[0] for e in EXAMPLES]
)
def test_priority_table(what, sentiment, intent, author, own, expected):
    score = priority(
        sentiment=sentiment, sarcasm=False, intent=intent, own_brand=own, **author
    )
    assert priority_for_score(score) == expected, (what, score)


def test_praise_from_a_million_followers_ranks_no_higher_than_from_fifty():
    big = priority(
        sentiment=0.95, sarcasm=False, intent="praise", own_brand=True, **BIG
    )
    small = priority(
        sentiment=0.95, sarcasm=False, intent="praise", own_brand=True, **SMALL
    )
    assert big == small


def test_reach_raises_a_complaint():
    big = priority(sentiment=0.2, sarcasm=False, intent="complaint", **BIG)
    small = priority(sentiment=0.2, sarcasm=False, intent="complaint", **SMALL)
    assert big - small > 10


def test_needs_answer_follows_intent_or_negativity():
    assert needs_answer("praise", 0.05) == 0.0
    assert needs_answer("question", 0.5) == 1.0
    assert needs_answer("other", 0.9) == pytest.approx(0.8)
