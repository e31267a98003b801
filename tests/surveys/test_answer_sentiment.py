"""Ideas and answers are scored by the listening room's analyser, and complaints
phrased as wishes count as negative on the results (issue 14.8)."""

import pytest

from surveys.analysis import sentiment_label, text_analyze

COMPLAINTS_AS_WISHES = [
    "售后维修太慢了，希望能上门服务",
    "建议增加更多接口，现在的太少了",
    "希望客服能快点回复，等了三天都没人理",
    "I wish support were faster, it took two weeks",
    "Please make the fan quieter, it is too loud",
]
IDEAS = ["希望电池能更耐用", "Please add more USB ports"]
PRAISE = ["非常满意，谢谢", "Great laptop, love it"]


@pytest.mark.parametrize("text", COMPLAINTS_AS_WISHES)
def test_a_complaint_phrased_as_a_wish_is_negative_on_the_results(text):
    analysis = text_analyze(text)
    assert analysis.label == "negative"
    # The results page labels answers from the stored score.
    assert sentiment_label(analysis.sentiment) == "negative"


@pytest.mark.parametrize("text", IDEAS)
def test_a_plain_idea_is_not_counted_as_a_complaint(text):
    assert sentiment_label(text_analyze(text).sentiment) != "negative"


@pytest.mark.parametrize("text", PRAISE)
def test_praise_stays_positive(text):
    assert sentiment_label(text_analyze(text).sentiment) == "positive"
