"""Training the sentiment models (scikit-learn is needed here only, never to score).

Used by ``manage.py train_sentiment`` and by ``benchmarks/nlp.py``. Labelled rows come
from CSV files (``label`` 1/0 or positive/negative, ``text``) and from the corrections
community managers made in the dashboard. A fixed share of rows, chosen by a hash of
the text, is held out of training so that the benchmark measures on rows the shipped
model never saw.
"""

from __future__ import annotations

import csv
import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .features import en_features, zh_features
from .language import EN, ZH, detect_language, to_simplified
from .linear import LinearModel
from .segment import add_words, segment

# One row in HOLDOUT_BUCKETS (20%) is held out, by a hash of its text.
HOLDOUT_BUCKETS = 5
# Features seen in fewer rows than this are noise, and only make the model bigger.
MIN_DF = 2
# Inverse regularisation strength of the logistic regression; chosen by five-fold
# cross-validation on the Weibo training side (0.03-0.3 are within noise).
C_ZH = 0.1
C_EN = 0.1
# Features whose folded weight is smaller than this are dropped from the shipped file:
# they never move a score by more than a rounding error, and the file stays small.
PRUNE_BELOW = 0.002

_LABELS = {
    "1": 1,
    "0": 0,
    "positive": 1,
    "negative": 0,
    "pos": 1,
    "neg": 0,
}


@dataclass(slots=True)
class Example:
    text: str
    label: int  # 1 positive, 0 negative
    source: str = ""


def is_held_out(text: str) -> bool:
    digest = hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()
    return int(digest, 16) % HOLDOUT_BUCKETS == 0


def read_examples(path: Path) -> list[Example]:
    """Rows of a labelled CSV with ``label`` and ``text`` columns (other columns kept
    as ``source`` when named so)."""
    examples = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            label = _LABELS.get(str(row.get("label", "")).strip().lower())
            text = (row.get("text") or "").strip()
            if label is None or not text:
                continue
            examples.append(Example(text, label, row.get("source") or path.stem))
    return examples


def split(examples: Iterable[Example]) -> tuple[list[Example], list[Example]]:
    train, held_out = [], []
    for example in examples:
        (held_out if is_held_out(example.text) else train).append(example)
    return train, held_out


def by_language(examples: Iterable[Example]) -> dict[str, list[Example]]:
    groups: dict[str, list[Example]] = {ZH: [], EN: []}
    for example in examples:
        lang = detect_language(example.text)
        if lang in groups:
            groups[lang].append(example)
    return groups


def zh_example_features(text: str) -> list[str]:
    _prepare_jieba()
    return zh_features(segment(to_simplified(text)))


@lru_cache(maxsize=1)
def _prepare_jieba() -> None:
    """Teach jieba the terms the analyser teaches it, so training segments alike."""
    from .brands import builtin_catalog
    from .sentiment import lexicon_terms

    add_words(lexicon_terms())
    add_words(builtin_catalog().chinese_aliases())


def en_example_numeric(text: str, vader) -> dict[str, float]:
    from .sentiment import VADER_SCALE

    return {"vader": vader.polarity_scores(text)["compound"] * VADER_SCALE}


def train_linear(
    feature_lists: Sequence[Sequence[str]],
    labels: Sequence[int],
    *,
    numeric: Sequence[dict[str, float]] | None = None,
    c: float = C_ZH,
    min_df: int = MIN_DF,
    meta: dict | None = None,
) -> LinearModel:
    """NB-weighted logistic regression, folded into one weight per feature.

    Classes are balanced by weight (the pools are 56-78% positive; the score's 0.5
    should mean "could be either", not "like the training mix").
    """
    import numpy as np
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = {}
    for features in feature_lists:
        for feature in set(features):
            counts[feature] = counts.get(feature, 0) + 1
    vocabulary = {
        f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_df))
    }
    numeric_names = sorted({name for row in numeric or [] for name in row})
    indptr, indices = [0], []
    for features in feature_lists:
        row = sorted({vocabulary[f] for f in features if f in vocabulary})
        indices.extend(row)
        indptr.append(len(indices))
    y = np.asarray(labels, dtype=np.int8)
    data = np.ones(len(indices), dtype=np.float64)
    matrix = sparse.csr_matrix(
        (data, np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
        shape=(len(feature_lists), len(vocabulary)),
    )
    # Log-count ratio of each feature between the classes (add-one smoothed).
    positive = 1.0 + np.asarray(matrix[y == 1].sum(axis=0)).ravel()
    negative = 1.0 + np.asarray(matrix[y == 0].sum(axis=0)).ravel()
    ratio = np.log((positive / positive.sum()) / (negative / negative.sum()))
    scaled = matrix.multiply(ratio).tocsr()
    if numeric_names:
        extra = np.array(
            [[row.get(name, 0.0) for name in numeric_names] for row in numeric or []]
        )
        scaled = sparse.hstack([scaled, sparse.csr_matrix(extra)]).tocsr()
    regression = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    regression.fit(scaled, y)
    coef = regression.coef_.ravel()
    folded = coef[: len(vocabulary)] * ratio
    weights = {
        feature: float(folded[index])
        for feature, index in vocabulary.items()
        if abs(folded[index]) >= PRUNE_BELOW
    }
    numeric_weights = {
        name: float(coef[len(vocabulary) + i]) for i, name in enumerate(numeric_names)
    }
    return LinearModel(
        weights=weights,
        bias=float(regression.intercept_[0]),
        numeric=numeric_weights,
        meta={**(meta or {}), "rows": len(labels), "positive": int(y.sum())},
    )


def train_zh(examples: Sequence[Example], *, meta: dict | None = None) -> LinearModel:
    features = [zh_example_features(e.text) for e in examples]
    return train_linear(
        features, [e.label for e in examples], c=C_ZH, meta={"lang": ZH, **(meta or {})}
    )


def train_en(examples: Sequence[Example], *, meta: dict | None = None) -> LinearModel:
    from .sentiment import en_vader

    vader = en_vader()
    features = [en_features(e.text) for e in examples]
    numeric = [en_example_numeric(e.text, vader) for e in examples]
    return train_linear(
        features,
        [e.label for e in examples],
        numeric=numeric,
        c=C_EN,
        meta={"lang": EN, **(meta or {})},
    )


def log_loss(model: LinearModel, features: Sequence[Sequence[str]], labels) -> float:
    """Mean log loss (for reports)."""
    from .linear import sigmoid

    total = 0.0
    for feats, label in zip(features, labels, strict=True):
        p = min(max(sigmoid(model.logit(feats)), 1e-9), 1 - 1e-9)
        total -= math.log(p if label else 1 - p)
    return total / max(len(labels), 1)


# A person's correction is a label on exactly the kind of post the product sees; it
# counts as this many rows of the public pools.
CORRECTION_REPEAT = 3


def correction_examples() -> list[Example]:
    """The dashboard's corrections (the latest per mention), as training rows.

    Neutral corrections are left out: the models are trained on positive/negative.
    """
    from listening.models import Sentiment, SentimentCorrection

    latest: dict[int, tuple[str, str]] = {}
    rows = SentimentCorrection.objects.order_by(
        "mention_id", "-created_at", "-id"
    ).values_list("mention_id", "label", "mention__text")
    for mention_id, label, text in rows:
        latest.setdefault(mention_id, (label, text))
    examples = []
    for label, text in latest.values():
        if label == Sentiment.NEUTRAL or not text:
            continue
        value = 1 if label == Sentiment.POSITIVE else 0
        examples.extend(
            Example(text, value, "correction") for _ in range(CORRECTION_REPEAT)
        )
    return examples


def accuracy(model: LinearModel, lang: str, examples: Sequence[Example]) -> float:
    """Share of rows whose label the bare model gets right (score 0.5 as the cut)."""
    if not examples:
        return 0.0
    right = 0
    if lang == ZH:
        for e in examples:
            right += (model.logit(zh_example_features(e.text)) >= 0) == bool(e.label)
    else:
        from .sentiment import en_vader

        vader = en_vader()
        for e in examples:
            logit = model.logit(en_features(e.text), en_example_numeric(e.text, vader))
            right += (logit >= 0) == bool(e.label)
    return right / len(examples)
