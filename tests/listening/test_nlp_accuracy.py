"""Accuracy floors that a broken or badly retrained model would miss."""

from pathlib import Path

import pytest

from conftest import require
from listening.nlp import training
from listening.nlp.pipeline import analyzer
from tests.listening.nlp_sample import EN, ZH

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
# Floors well under what the shipped models reach (Weibo held-out 0.88, English 0.87),
# well over what a broken one would (a constant guess: 0.56 / 0.78; stock snownlp
# 0.62 on Weibo).
FLOORS = {"sample_zh": 0.85, "sample_en": 0.85, "weibo": 0.86, "english": 0.82}


def _accuracy(rows) -> float:
    engine = analyzer(use_database=False)
    right = sum(
        (engine.analyze(text).sentiment >= 0.5) == bool(label) for text, label in rows
    )
    return right / len(rows)


def test_chinese_sentiment_accuracy_on_the_fixed_sample():
    assert _accuracy(ZH) >= FLOORS["sample_zh"]


def test_english_sentiment_accuracy_on_the_fixed_sample():
    assert _accuracy(EN) >= FLOORS["sample_en"]


@pytest.mark.parametrize(
    "filename, floor",
    [
        ("weibo_train_pool.csv", FLOORS["weibo"]),
        ("english_tweets_train_pool.csv", FLOORS["english"]),
    ],
)
def test_accuracy_on_held_out_rows_of_the_labelled_pools(filename, floor):
    path = SHARED_DATA / filename
    require(path.exists(), f"labelled data {path} is missing")
    _, held_out = training.split(training.read_examples(path))
    assert len(held_out) > 500
    assert _accuracy([(e.text, e.label) for e in held_out]) >= floor
