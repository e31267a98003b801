"""The analysis task and the services behind it, against the real database."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from listening.models import Author, Mention, SentimentCorrection
from listening.nlp import training
from listening.nlp.pipeline import analyzer_version
from listening.nlp.services import mention_sentiment_correct, mentions_analyze
from listening.nlp.tasks import analyze_mentions

pytestmark = pytest.mark.django_db

TEXTS = [
    "戴尔的售后真是太给力了，修了三次还是蓝屏 [怒]",
    "外星人到手，跑分给力 [哈哈] #戴尔外星人#",
    "Thinking of buying a ThinkPad or an XPS 13, which one?",
]


def _mentions(texts=TEXTS, followers=50_000, verified=True) -> list[int]:
    author = Author.objects.create(
        platform="weibo",
        external_id="a1",
        screen_name="someone",
        followers_count=followers,
        verified=verified,
    )
    now = timezone.now()
    rows = Mention.objects.bulk_create(
        Mention(
            platform="weibo",
            external_id=str(i),
            text=text,
            author=author,
            created_at=now,
        )
        for i, text in enumerate(texts)
    )
    return [m.id for m in rows]


def test_task_analyses_new_mentions_and_hands_them_to_routing_once(
    sent_tasks, django_capture_on_commit_callbacks
):
    ids = _mentions()
    with django_capture_on_commit_callbacks(execute=True):
        assert analyze_mentions(ids) == 3
    # Routed once; and the listening room's rollups take them in.
    assert sent_tasks == [
        ("engagement.route_mentions", [ids]),
        ("listening.rollups_apply", [ids]),
    ]
    complaint, praise, purchase = Mention.objects.order_by("id")
    assert complaint.sentiment_label == "negative"
    assert complaint.sarcasm
    assert complaint.intent == "complaint"
    assert complaint.brands == ["dell"]
    assert praise.sentiment_label == "positive"
    assert praise.products == ["alienware"]
    assert purchase.language == "en"
    assert purchase.intent == "purchase"
    assert set(purchase.brands) == {"lenovo", "dell"}
    assert complaint.priority > praise.priority
    assert all(m.analyzer_version == analyzer_version() for m in (complaint, praise))
    assert complaint.keywords
    assert complaint.analyzed_at is not None

    sent_tasks.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert analyze_mentions(ids) == 0
    assert sent_tasks == []


def test_reanalysis_after_a_model_change_does_not_route_again(
    sent_tasks, django_capture_on_commit_callbacks
):
    ids = _mentions()
    mentions_analyze(mention_ids=ids)
    Mention.objects.filter(id=ids[0]).update(analyzer_version="nlp0-old")
    sent_tasks.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert analyze_mentions(ids) == 1
    # Not routed again; only the rollups move (the analysis may have changed).
    assert sent_tasks == [("listening.rollups_apply", [[ids[0]]])]
    assert Mention.objects.get(id=ids[0]).analyzer_version == analyzer_version()


def test_ids_of_missing_mentions_are_ignored(sent_tasks):
    assert analyze_mentions([987654321]) == 0


def test_a_correction_is_stored_shown_and_survives_reanalysis(sent_tasks):
    ids = _mentions()
    mentions_analyze(mention_ids=ids)
    user = User.objects.create_user("cm", password="x")
    before = Mention.objects.get(id=ids[1])
    assert before.sentiment_label == "positive"

    correction = mention_sentiment_correct(
        mention_id=ids[1], label="negative", user=user
    )

    assert correction.corrected_by == user
    assert correction.label == "negative"
    mention = Mention.objects.get(id=ids[1])
    assert mention.sentiment_label == "negative"
    assert mention.sentiment == 0.0
    assert mention.priority > before.priority
    mentions_analyze(mention_ids=ids, force=True)
    assert Mention.objects.get(id=ids[1]).sentiment_label == "negative"


def test_an_unknown_correction_label_is_refused_and_changes_nothing(sent_tasks):
    ids = _mentions()
    with pytest.raises(ValidationError):
        mention_sentiment_correct(mention_id=ids[0], label="angry", user=None)
    assert not SentimentCorrection.objects.exists()


def test_corrections_become_training_rows_latest_label_wins(sent_tasks):
    ids = _mentions()
    mention_sentiment_correct(mention_id=ids[0], label="positive", user=None)
    mention_sentiment_correct(mention_id=ids[0], label="negative", user=None)
    mention_sentiment_correct(mention_id=ids[2], label="neutral", user=None)
    rows = training.correction_examples()
    assert {(e.text, e.label) for e in rows} == {(TEXTS[0], 0)}
    assert len(rows) == 1
    assert rows[0].weight == training.CORRECTION_WEIGHT
    assert rows[0].source == training.CORRECTION_SOURCE
