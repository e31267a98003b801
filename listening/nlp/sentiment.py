"""How the author feels: a score in [0, 1], a label, and a flag for mixed or sarcastic.

Three layers, scored as log-odds and added:

1. A trained linear model (NB-LR, see ``linear.py``) per language: Chinese on character
   and word n-grams of Weibo posts and reviews, English on words, character n-grams and
   VADER's compound score (VADER is the social-media lexicon scorer; the model learns
   how far to trust it on tweets).
2. A small lexicon (``data/lexicon.tsv``) of product faults, service failures and net
   slang that a general corpus has too little of: 蓝屏, 坑爹, 醉了, "blue screen".
   Negated terms count half, reversed (没有蓝屏); terms the model already has a
   weight for count less (KNOWN_TERM_FACTOR).
3. Sarcasm and mixed signals: praise said of a fault ("great, another blue screen",
   "售后真给力，修了三次还蓝屏"), or a marker of irony (呵呵, [微笑], "yeah right",
   “scare quotes”) beside a fault, is sarcasm: the post is scored negative and
   flagged. Unless the fault was fixed (换好了) or a happy emoticon says the praise is
   meant. A marker of irony beside other blame, or praise and blame with an undecided
   total, is flagged only. The flag asks a person to look.

The score is a calibrated probability that the post is positive (the models' logits
are Platt-scaled on out-of-fold predictions when trained, see ``training.py``).

"Needs a human" (``SentimentResult.needs_human``): the post is flagged sarcastic or
mixed, or its score lies inside the neutral band (the model cannot tell), or the
lexicon and the model pull opposite ways, each by at least LEXICON_DISAGREES. Such
posts are listed for a community manager, whose verdict is a correction that
``train_sentiment`` learns from.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .features import en_features, zh_features
from .language import EN, ZH
from .linear import LinearModel, sigmoid
from .segment import Segmented

DATA_DIR = Path(__file__).resolve().parent / "data"
MODEL_FILES = {ZH: "sentiment_zh.tsv.gz", EN: "sentiment_en.tsv.gz"}
LEXICON_FILE = DATA_DIR / "lexicon.tsv"

NEGATIVE, NEUTRAL, POSITIVE = "negative", "neutral", "positive"
# The neutral band: scores in [NEUTRAL_LOW, NEUTRAL_HIGH] are labelled "neutral" and
# sent to a person. The models are trained on positive/negative posts with balanced
# classes and calibrated, so a score near the middle means the post gives little to
# go on. The band leans positive because plain news and announcements ("体验店开业了",
# "终于降价了") score 0.55-0.6 with the Chinese model, while outright praise scores
# above 0.8. (Documented in the README, "Sentiment".)
NEUTRAL_LOW, NEUTRAL_HIGH = 0.35, 0.65
# The lexicon and the model disagree when their log-odds have opposite signs and
# each is at least this far from zero: one of them has misread the post.
LEXICON_DISAGREES = 1.0
# A sarcastic post is at least this negative (log-odds): sarcasm about a product is a
# complaint, whatever the polite words say.
SARCASM_LOGIT = -1.5
# Mixed: praise and blame both present, and the total within this of undecided.
MIXED_MARGIN = 1.5
# A lexicon term the model has a weight for (seen in enough training posts) counts
# this much: the model already scored it from data; the lexicon's full weight is for
# the terms of this domain a general corpus lacks (蓝屏, 售后, "bsod").
KNOWN_TERM_FACTOR = 0.3
# A negated lexicon term counts this much, reversed.
NEGATED_FACTOR = -0.5
# VADER's compound score enters the English model as a numeric feature, scaled so that
# its coefficient is on the same footing as the NB-weighted binary features.
VADER_SCALE = 3.0

NEGATIVE_EMOTICONS = frozenset(
    "[怒] [抓狂] [泪] [衰] [鄙视] [怒骂] [吐] [汗] [晕] [失望] [伤心] [悲伤] [生病] "
    "[哼] [弱] [bad] [可怜] [委屈] [黑线] [打脸] [费解] [允悲] [跪了] [拜拜]".split()
)
# A short phrase in quotes beside a fault is said with a raised eyebrow: “品质保证”.
SCARE_QUOTES_RE = re.compile(r"[“\"‘'「]([^”\"’'」\s]{1,10})[”\"’'」]")
POSITIVE_EMOTICONS = frozenset(
    "[哈哈] [赞] [good] [爱你] [鼓掌] [给力] [耶] [酷] [可爱] [心] [嘻嘻] [太开心] "
    "[偷笑] [亲亲] [威武] [笑哈哈] [ok]".split()
)
_ZH_NEGATION_BEFORE = ("没有", "不是", "不会", "不", "没", "别", "无", "未")
_EN_NEGATION_BEFORE = re.compile(r"(?:\bnot|\bno|n't|\bnever|\bwithout)\s+(?:\w+\s+)?$")


_NEGATABLE = frozenset({"event", "neg", "pos", "pos-irony"})


@dataclass(slots=True, frozen=True)
class SentimentResult:
    score: float
    label: str
    sarcasm: bool
    logit: float
    # The lexicon's log-odds pulled against the model's (see LEXICON_DISAGREES).
    disagreement: bool = False

    @classmethod
    def neutral(cls) -> SentimentResult:
        return cls(0.5, NEUTRAL, False, 0.0)

    @property
    def needs_human(self) -> bool:
        """Sarcastic or mixed, undecided (inside the neutral band), or read one way
        by the lexicon and the other by the model: a person should decide."""
        return self.sarcasm or self.label == NEUTRAL or self.disagreement


@dataclass(slots=True, frozen=True)
class LexiconHit:
    term: str
    weight: float
    tag: str


class Lexicon:
    """Terms of one language, found in one regular-expression pass, longest first."""

    def __init__(self, entries: list[tuple[str, float, str]], *, words: bool):
        self.entries = {term: (weight, tag) for term, weight, tag in entries}
        alternatives = "|".join(
            re.escape(term) for term in sorted(self.entries, key=len, reverse=True)
        )
        # English terms match whole words; Chinese has no spaces to match against.
        pattern = rf"(?<![\w#/])(?:{alternatives})(?!\w)" if words else alternatives
        self.pattern = re.compile(pattern or r"(?!)", re.IGNORECASE)
        self.words = words

    def find(self, text: str) -> list[LexiconHit]:
        hits = []
        if SCARE_QUOTES_RE.search(text):
            hits.append(LexiconHit("“…”", 0.0, "sarcasm"))
        for match in self.pattern.finditer(text):
            term = match.group().lower()
            weight, tag = self.entries[term]
            if self._negated(text, match.start()) and tag in _NEGATABLE:
                weight *= NEGATED_FACTOR
                tag = "negated"
            hits.append(LexiconHit(term, weight, tag))
        return hits

    def _negated(self, text: str, start: int) -> bool:
        if self.words:
            return bool(_EN_NEGATION_BEFORE.search(text[max(0, start - 24) : start]))
        before = text[max(0, start - 2) : start]
        return before.endswith(_ZH_NEGATION_BEFORE)


@lru_cache(maxsize=1)
def lexicons() -> dict[str, Lexicon]:
    entries: dict[str, list[tuple[str, float, str]]] = {ZH: [], EN: []}
    with open(LEXICON_FILE, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            lang, term, weight, tag = line.rstrip("\n").split("\t")
            entries.setdefault(lang, []).append((term.lower(), float(weight), tag))
    return {
        ZH: Lexicon(entries[ZH], words=False),
        EN: Lexicon(entries[EN], words=True),
    }


def lexicon_terms(lang: str = ZH) -> list[str]:
    """The Chinese lexicon's terms, for jieba to keep whole."""
    return list(lexicons()[lang].entries)


_load_lock = threading.Lock()
_models: dict[str, LinearModel] = {}


def load_model(lang: str, directory: Path = DATA_DIR) -> LinearModel:
    """The language's model, read once per process (and per directory)."""
    key = f"{directory}:{lang}"
    model = _models.get(key)
    if model is None:
        with _load_lock:
            model = _models.get(key)
            if model is None:
                model = LinearModel.load(directory / MODEL_FILES[lang])
                _models[key] = model
    return model


def reset_models() -> None:
    """Forget loaded models (after train_sentiment wrote new files)."""
    with _load_lock:
        _models.clear()


@lru_cache(maxsize=1)
def en_vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _label(score: float) -> str:
    if score < NEUTRAL_LOW:
        return NEGATIVE
    if score > NEUTRAL_HIGH:
        return POSITIVE
    return NEUTRAL


def _lexicon_logit(hits: list[LexiconHit], model: LinearModel) -> float:
    """The lexicon's say, less for terms the model learned from its own data."""
    total = 0.0
    weights = model.weights
    for hit in hits:
        known = f"w:{hit.term}" in weights
        total += hit.weight * (KNOWN_TERM_FACTOR if known else 1.0)
    return total


def _combine(
    model_logit: float,
    hits: list[LexiconHit],
    model: LinearModel,
    negative_emoticon: bool = False,
    positive_emoticon: bool = False,
) -> SentimentResult:
    lexicon_logit = _lexicon_logit(hits, model)
    logit = model_logit + lexicon_logit
    disagreement = min(abs(model_logit), abs(lexicon_logit)) >= LEXICON_DISAGREES and (
        model_logit > 0
    ) != (lexicon_logit > 0)
    tags = {hit.tag for hit in hits}
    fault = any(hit.tag == "event" and hit.weight <= -1.0 for hit in hits)
    irony = "irony" in tags or "pos-irony" in tags
    praise = irony or "praise" in tags or "pos" in tags
    # A fault that was fixed, or a happy emoticon, makes praise sincere.
    sincere = "resolved" in tags or positive_emoticon
    marker = "sarcasm" in tags
    sarcastic = (irony and fault and not sincere) or (marker and fault)
    if sarcastic:
        # Sarcasm about a product fault is a complaint, whatever the words say.
        logit = min(logit, SARCASM_LOGIT)
    # An ironic marker beside blame without a fault (呵呵 [怒]) is flagged for a person
    # but scored as the model and lexicon see it: on general microblog text such posts
    # go either way (measured on the training side: forcing them negative lost 0.2
    # points of accuracy).
    sarcastic = sarcastic or (marker and ("neg" in tags or negative_emoticon))
    # Praise and blame in one post, neither winning clearly: a person should read it.
    blame = "neg" in tags or "event" in tags
    mixed = praise and blame and abs(logit) < MIXED_MARGIN
    score = sigmoid(logit)
    return SentimentResult(
        round(score, 4), _label(score), sarcastic or mixed, logit, disagreement
    )


def score_zh(seg: Segmented, *, model: LinearModel | None = None) -> SentimentResult:
    model = model or load_model(ZH)
    features = zh_features(seg)
    text = f"{seg.own_text} {seg.chain_text}".lower()
    hits = lexicons()[ZH].find(text)
    negative = any(e in NEGATIVE_EMOTICONS for e in seg.emoticons)
    positive = any(e in POSITIVE_EMOTICONS for e in seg.emoticons)
    return _combine(model.logit(features), hits, model, negative, positive)


def score_en(text: str, *, model: LinearModel | None = None) -> SentimentResult:
    model = model or load_model(EN)
    features = en_features(text)
    compound = en_vader().polarity_scores(text)["compound"]
    model_logit = model.logit(features, {"vader": compound * VADER_SCALE})
    hits = lexicons()[EN].find(text.lower().replace("’", "'"))
    return _combine(model_logit, hits, model)


def score(lang: str, seg: Segmented, text: str) -> SentimentResult:
    """Sentiment of a post in ``lang`` (``text`` simplified if Chinese)."""
    if lang == ZH:
        return score_zh(seg)
    if lang == EN:
        return score_en(text)
    return SentimentResult.neutral()
