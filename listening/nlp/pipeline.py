"""The whole analysis of one post: language → segmentation → sentiment → brands →
intent → keywords → priority.

``Analyzer`` holds what is loaded once per process (jieba and its dictionary, the
sentiment models, VADER, the brand catalogue); ``analyzer()`` returns the process's
one instance. Everything it does per post is plain Python on small strings: a
dictionary look-up per feature, a handful of compiled regular expressions.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from . import intent as intent_module
from . import keywords as keywords_module
from . import sentiment as sentiment_module
from .brands import catalogs
from .language import ZH, detect_language, to_simplified
from .priority import priority as priority_score
from .segment import USER_DICT, add_words, segment

DATA_DIR = Path(__file__).resolve().parent / "data"
# Bump when the code's behaviour changes; the data files' hash is added by itself.
CODE_VERSION = "nlp1"
# Posts longer than this are analysed on their beginning only: Weibo long posts stop
# at 2,000 characters, and hostile input must not cost unbounded time.
MAX_ANALYZED_CHARS = 4000


@lru_cache(maxsize=1)
def analyzer_version() -> str:
    """The code version plus a hash of every data file the results depend on.

    A retrained model or an edited lexicon is a new version, which ``reanalyze`` sees.
    """
    digest = hashlib.sha1(usedforsecurity=False)
    files = [
        *(DATA_DIR / name for name in sorted(sentiment_module.MODEL_FILES.values())),
        sentiment_module.LEXICON_FILE,
        USER_DICT,
        keywords_module.STOPWORDS_FILE,
    ]
    for path in files:
        digest.update(path.read_bytes())
    return f"{CODE_VERSION}-{digest.hexdigest()[:12]}"


@dataclass(slots=True)
class Analysis:
    lang: str
    tokens: list[str]
    sentiment: float
    sentiment_label: str
    sarcasm: bool
    brands: list[str]
    products: list[str]
    intent: str
    keywords: list[str]
    priority: float
    repost: list[str] = field(default_factory=list)
    emoticons: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    # Sarcastic, undecided or lexicon against model: listed for a person.
    needs_human: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


class Analyzer:
    def __init__(self, *, use_database: bool = True) -> None:
        self.use_database = use_database
        self.version = analyzer_version()

    def warm(self) -> Analyzer:
        """Load everything now (a worker at start-up), not on the first post."""
        add_words(sentiment_module.lexicon_terms())
        sentiment_module.load_model("zh")
        sentiment_module.load_model("en")
        sentiment_module.en_vader()
        keywords_module.idf_table()
        catalogs.get(use_database=self.use_database)
        return self

    def analyze(
        self,
        text: str,
        *,
        lang_hint: str = "",
        followers: int = 0,
        verified: bool = False,
    ) -> Analysis:
        text = (text or "")[:MAX_ANALYZED_CHARS]
        lang = detect_language(text, hint=lang_hint)
        if lang == ZH:
            text = to_simplified(text)
        seg = segment(text)
        feeling = sentiment_module.score(lang, seg, text)
        match = catalogs.get(use_database=self.use_database).match(text)
        own_words = seg.chain_text if seg.is_bare_repost else seg.own_text
        intent = intent_module.classify(own_words.lower(), feeling)
        tokens = seg.chain_tokens if seg.is_bare_repost else seg.tokens
        keywords = keywords_module.extract(tokens, seg.topics)
        return Analysis(
            lang=lang,
            tokens=seg.tokens,
            sentiment=feeling.score,
            sentiment_label=feeling.label,
            sarcasm=feeling.sarcasm,
            brands=match.brands,
            products=match.products,
            intent=intent,
            keywords=keywords,
            priority=priority_score(
                sentiment=feeling.score,
                sarcasm=feeling.sarcasm,
                intent=intent,
                followers=followers,
                verified=verified,
                own_brand=match.own,
                competitor=match.competitor,
            ),
            repost=seg.chain_tokens,
            emoticons=seg.emoticons,
            mentions=seg.mentions,
            topics=seg.topics,
            links=seg.urls,
            needs_human=feeling.needs_human,
        )


_lock = threading.Lock()
_analyzers: dict[bool, Analyzer] = {}


def analyzer(*, use_database: bool = True) -> Analyzer:
    """The process's analyser, loaded on first use."""
    instance = _analyzers.get(use_database)
    if instance is None:
        with _lock:
            instance = _analyzers.get(use_database)
            if instance is None:
                instance = Analyzer(use_database=use_database).warm()
                _analyzers[use_database] = instance
    return instance


def analyze_text(text: str, **kwargs) -> Analysis:
    return analyzer().analyze(text, **kwargs)
