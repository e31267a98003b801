"""Which tracked brands and product lines a post speaks of.

The catalogue is the database's (Brand, ProductLine: editable by admins) and falls back
to the built-in list shipped in ``data/brands.json`` when the database has none or
cannot be reached (``manage.py analyze`` on a bare machine). All aliases of all brands
go into one regular expression, longest first, so a post is scanned once. Latin
aliases match as whole words (``hp`` is not in ``php``); Chinese ones anywhere.
A product line implies its brand (外星人 is Dell).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from listening.models import Brand

from .segment import add_words

logger = logging.getLogger(__name__)

BUILTIN_FILE = Path(__file__).resolve().parent / "data" / "brands.json"
# How long a worker keeps the catalogue before it reads the database again: an admin's
# new alias applies within a minute, and the catalogue query stays off the hot path.
CATALOG_TTL_SECONDS = 60.0

OWN, COMPETITOR = "own", "competitor"


@dataclass(slots=True)
class BrandMatch:
    brands: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    own: bool = False
    competitor: bool = False


@dataclass(slots=True)
class Catalog:
    """Brands as plain data: {slug: {"name", "kind", "aliases", "products": [...]}}."""

    brands: dict[str, dict]
    source: str = "builtin"
    pattern: re.Pattern = field(init=False)
    # alias (lower case) -> (brand slug, product slug or "")
    targets: dict[str, tuple[str, str]] = field(init=False)

    def __post_init__(self) -> None:
        targets: dict[str, tuple[str, str]] = {}
        for slug, brand in self.brands.items():
            for alias in [slug, brand["name"], *brand.get("aliases", [])]:
                targets.setdefault(_norm(alias), (slug, ""))
            for product in brand.get("products", []):
                for alias in [product["name"], *product.get("aliases", [])]:
                    targets.setdefault(_norm(alias), (slug, product["slug"]))
        targets.pop("", None)
        self.targets = targets
        parts = []
        spellings = {
            re.sub(r"\s+", " ", alias.strip().lower()) for alias in self._all_aliases()
        }
        spellings.discard("")
        # A bare alternation of literals: the regex engine skips quickly to
        # positions where some alias can start. Word boundaries of Latin aliases
        # are checked on each match instead (look-arounds would defeat that).
        for alias in sorted(spellings, key=lambda a: (-len(_norm(a)), a)):
            parts.append(re.escape(alias).replace(r"\ ", r"\s*"))
        self.pattern = re.compile("|".join(parts) or r"(?!)")

    def _all_aliases(self):
        for slug, brand in self.brands.items():
            yield from [slug, brand["name"], *brand.get("aliases", [])]
            for product in brand.get("products", []):
                yield from [product["name"], *product.get("aliases", [])]

    def match(self, text: str) -> BrandMatch:
        result = BrandMatch()
        lowered = text.lower()
        for found in self.pattern.finditer(lowered):
            key = _norm(found.group())
            if key.isascii() and not _whole_word(lowered, found.start(), found.end()):
                continue
            brand_slug, product_slug = self.targets.get(key, ("", ""))
            if not brand_slug:
                continue
            if brand_slug not in result.brands:
                result.brands.append(brand_slug)
                kind = self.brands[brand_slug].get("kind")
                result.own |= kind == OWN
                result.competitor |= kind == COMPETITOR
            if product_slug and product_slug not in result.products:
                result.products.append(product_slug)
        return result

    def chinese_aliases(self) -> list[str]:
        return [alias for alias in self.targets if not alias.isascii()]


def _whole_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (_is_word_char(before) or _is_word_char(after))


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _norm(alias: str) -> str:
    # Spaces are optional in a match ("xps 13", "xps13"), so keys have none.
    return re.sub(r"\s+", "", alias.lower())


def builtin_brands() -> list[dict]:
    with open(BUILTIN_FILE, encoding="utf-8") as handle:
        return json.load(handle)["brands"]


def builtin_catalog() -> Catalog:
    return Catalog({b["slug"]: b for b in builtin_brands()}, source="builtin")


def database_catalog() -> Catalog | None:
    """The admins' catalogue, or None when the database has no brands."""
    brands: dict[str, dict] = {}
    for brand in Brand.objects.prefetch_related("products"):
        brands[brand.slug] = {
            "name": brand.name,
            "kind": brand.kind,
            "aliases": list(brand.aliases or []),
            "products": [
                {
                    "slug": product.slug,
                    "name": product.name,
                    "aliases": list(product.aliases or []),
                }
                for product in brand.products.all()
            ],
        }
    return Catalog(brands, source="database") if brands else None


class CatalogCache:
    """One catalogue per process, re-read from the database every TTL seconds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._catalog: Catalog | None = None
        self._loaded_at = 0.0

    def get(self, *, use_database: bool = True) -> Catalog:
        now = time.monotonic()
        catalog = self._catalog
        if catalog is not None and now - self._loaded_at < CATALOG_TTL_SECONDS:
            return catalog
        with self._lock:
            if self._catalog is None or now - self._loaded_at >= CATALOG_TTL_SECONDS:
                self._catalog = self._load(use_database)
                self._loaded_at = now
            return self._catalog

    def clear(self) -> None:
        with self._lock:
            self._catalog = None

    @staticmethod
    def _load(use_database: bool) -> Catalog:
        catalog = None
        if use_database:
            try:
                catalog = database_catalog()
            except Exception:  # noqa: BLE001 - no database: the built-in list will do
                logger.info("brand catalogue unavailable, using the built-in list")
        catalog = catalog or builtin_catalog()
        add_words(catalog.chinese_aliases())
        return catalog


catalogs = CatalogCache()
