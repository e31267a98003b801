"""Writes of the analysis stage: analysing mentions, corrections, brand catalogue."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dellsocial import pipeline
from listening.models import Brand, Mention, ProductLine, Sentiment, SentimentCorrection

from .brands import builtin_brands, catalogs
from .pipeline import analyzer
from .priority import priority as priority_score

logger = logging.getLogger(__name__)

# Mentions per bulk UPDATE: one statement per chunk keeps round trips few without
# building a statement too large for the database.
UPDATE_BATCH = 500
ANALYSIS_FIELDS = [
    "language",
    "sentiment",
    "sentiment_label",
    "sarcasm",
    "needs_human",
    "intent",
    "brands",
    "products",
    "keywords",
    "priority",
    "analyzer_version",
    "analyzed_at",
]
# The score a person's correction stands for.
CORRECTED_SCORES = {
    Sentiment.NEGATIVE: 0.0,
    Sentiment.NEUTRAL: 0.5,
    Sentiment.POSITIVE: 1.0,
}


def _latest_corrections(mention_ids: Sequence[int]) -> dict[int, str]:
    latest: dict[int, str] = {}
    rows = (
        SentimentCorrection.objects.filter(mention_id__in=mention_ids)
        .order_by("mention_id", "-created_at", "-id")
        .values_list("mention_id", "label")
    )
    for mention_id, label in rows:
        latest.setdefault(mention_id, label)
    return latest


@transaction.atomic
def mentions_analyze(*, mention_ids: Iterable[int], force: bool = False) -> list[int]:
    """Analyse the mentions not yet analysed by the current analyser version.

    Safe to run twice and concurrently: rows another worker holds are skipped
    (``SKIP LOCKED``), rows already at the current version are skipped unless
    ``force``. A person's sentiment correction outlives re-analysis. Routing is asked
    (after commit) only for mentions analysed for the first time. Returns the ids of
    the mentions analysed.
    """
    ids = sorted(set(mention_ids))
    if not ids:
        return []
    engine = analyzer()
    queryset = (
        Mention.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("author")
        .filter(id__in=ids)
        .only("id", "text", "language", "analyzed_at", "author", "analyzer_version")
        .order_by("id")
    )
    if not force:
        queryset = queryset.exclude(analyzer_version=engine.version)
    mentions = list(queryset)
    if not mentions:
        return []
    corrections = _latest_corrections([m.id for m in mentions])
    now = timezone.now()
    first_time: list[int] = []
    for mention in mentions:
        author = mention.author
        result = engine.analyze(
            mention.text,
            lang_hint=mention.language,
            followers=author.followers_count if author else 0,
            verified=author.verified if author else False,
        )
        if mention.analyzed_at is None:
            first_time.append(mention.id)
        corrected = corrections.get(mention.id)
        mention.language = result.lang
        mention.sentiment = result.sentiment
        mention.sentiment_label = result.sentiment_label
        mention.sarcasm = result.sarcasm
        mention.needs_human = result.needs_human
        if corrected:
            mention.sentiment = CORRECTED_SCORES[corrected]
            mention.sentiment_label = corrected
            mention.sarcasm = False
            mention.needs_human = False  # a person has decided
        mention.intent = result.intent
        mention.brands = result.brands
        mention.products = result.products
        mention.keywords = result.keywords
        mention.priority = result.priority
        mention.analyzer_version = engine.version
        mention.analyzed_at = now
    Mention.objects.bulk_update(mentions, ANALYSIS_FIELDS, batch_size=UPDATE_BATCH)
    pipeline.mentions_analyzed(first_time)
    pipeline.mentions_changed([m.id for m in mentions])
    return [m.id for m in mentions]


@transaction.atomic
def mention_sentiment_correct(
    *, mention_id: int, label: str, user: User | None
) -> SentimentCorrection:
    """Record a person's sentiment for a mention and show it at once.

    The correction is kept (it feeds the next ``train_sentiment``) and wins over the
    model's guess in every later re-analysis of the mention.
    """
    if label not in Sentiment.values:
        raise ValidationError({"label": f"unknown sentiment {label!r}"})
    mention = (
        Mention.objects.select_for_update(of=("self",))
        .select_related("author")
        .get(id=mention_id)
    )
    correction = SentimentCorrection.objects.create(
        mention=mention,
        label=label,
        corrected_by=user if user is not None and user.is_authenticated else None,
    )
    mention.sentiment = CORRECTED_SCORES[label]
    mention.sentiment_label = label
    mention.sarcasm = False  # a person has read it
    mention.needs_human = False
    catalog = catalogs.get()
    kinds = {catalog.brands.get(slug, {}).get("kind") for slug in mention.brands or []}
    author = mention.author
    mention.priority = priority_score(
        sentiment=mention.sentiment,
        sarcasm=False,
        intent=mention.intent or "other",
        followers=author.followers_count if author else 0,
        verified=author.verified if author else False,
        own_brand="own" in kinds,
        competitor="competitor" in kinds,
    )
    mention.save(
        update_fields=[
            "sentiment",
            "sentiment_label",
            "sarcasm",
            "needs_human",
            "priority",
        ]
    )
    pipeline.mentions_changed([mention.id])
    return correction


@transaction.atomic
def brands_seed(*, brands: list[dict] | None = None) -> int:
    """Create the built-in tracked brands and product lines that do not exist yet.

    Existing rows are left as the admins edited them. Returns how many brands and
    product lines were created.
    """
    created = 0
    for spec in brands if brands is not None else builtin_brands():
        brand, made = Brand.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "kind": spec["kind"],
                "aliases": spec.get("aliases", []),
            },
        )
        created += made
        for product in spec.get("products", []):
            _, made = ProductLine.objects.get_or_create(
                brand=brand,
                slug=product["slug"],
                defaults={
                    "name": product["name"],
                    "aliases": product.get("aliases", []),
                },
            )
            created += made
    if created:
        transaction.on_commit(catalogs.clear)
    return created
