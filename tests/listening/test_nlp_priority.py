"""The priority formula's order of things."""

from listening.nlp.priority import priority


def test_an_angry_complaint_about_the_brand_from_a_big_account_comes_first():
    urgent = priority(
        sentiment=0.05,
        sarcasm=False,
        intent="complaint",
        followers=2_000_000,
        verified=True,
        own_brand=True,
    )
    idle = priority(sentiment=0.5, sarcasm=False, intent="other")
    assert urgent > 90
    assert idle < 40
    assert 0 <= idle < urgent <= 100


def test_each_term_moves_priority_the_documented_way():
    base = {"sentiment": 0.5, "sarcasm": False, "intent": "other"}
    value = priority(**base)
    assert priority(**{**base, "sentiment": 0.1}) > value
    assert priority(**{**base, "sarcasm": True}) > value
    assert (
        priority(**{**base, "intent": "complaint"})
        > priority(**{**base, "intent": "question"})
        > priority(**{**base, "intent": "purchase"})
        > priority(**{**base, "intent": "praise"})
    )
    asking = {**base, "intent": "question"}
    assert priority(**asking, followers=100_000) > priority(**asking, followers=100)
    assert priority(**asking, verified=True) > priority(**asking)
    assert priority(**base, own_brand=True) > priority(**base, competitor=True) > value
