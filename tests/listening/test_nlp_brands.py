"""Brands and product lines: aliases in Chinese, English, pinyin and nicknames."""

import pytest

from listening.models import Brand, ProductLine
from listening.nlp.brands import builtin_catalog, catalogs, database_catalog
from listening.nlp.services import brands_seed


@pytest.fixture(scope="module")
def catalog():
    return builtin_catalog()


@pytest.mark.parametrize(
    "text, brands, products",
    [
        ("戴尔的电脑真不错", ["dell"], []),
        ("My DELL died again", ["dell"], []),
        ("dai er de dian nao", ["dell"], []),
        ("戴老板这次良心了", ["dell"], []),
        ("外星人到手了", ["dell"], ["alienware"]),
        ("新买的灵越开不了机", ["dell"], ["inspiron"]),
        ("XPS13 vs MacBook Air", ["dell", "apple"], ["xps", "macbook"]),
        ("联想小黑和戴尔哪个好", ["lenovo", "dell"], ["thinkpad"]),
        ("Thinking about a ThinkPad", ["lenovo"], ["thinkpad"]),
        ("惠普暗影精灵怎么样", ["hp"], ["omen"]),
        ("宏基的掠夺者", ["acer"], ["predator"]),
        ("华硕玩家国度", ["asus"], ["rog"]),
        ("神船又翻了", ["hasee"], []),
    ],
)
def test_brand_and_competitor_aliases_are_recognised(catalog, text, brands, products):
    result = catalog.match(text)
    assert result.brands == brands
    assert result.products == products


def test_latin_aliases_match_whole_words_only(catalog):
    assert catalog.match("php is fun, and so is shopping").brands == []
    assert catalog.match("the new hp envy").brands == ["hp"]


def test_own_brand_and_competitor_are_told_apart(catalog):
    assert catalog.match("戴尔").own
    assert not catalog.match("戴尔").competitor
    assert catalog.match("联想").competitor
    assert not catalog.match("联想").own


@pytest.mark.django_db
def test_seeding_creates_the_built_in_brands_once_and_keeps_admin_edits():
    created = brands_seed()
    assert created > 0
    dell = Brand.objects.get(slug="dell")
    assert dell.kind == Brand.Kind.OWN
    assert "戴尔" in dell.aliases
    assert ProductLine.objects.filter(brand=dell, slug="alienware").exists()
    dell.aliases = [*dell.aliases, "戴戴"]
    dell.save(update_fields=["aliases"])
    assert brands_seed() == 0
    assert "戴戴" in Brand.objects.get(slug="dell").aliases


@pytest.mark.django_db
def test_the_database_catalogue_is_used_when_it_has_brands():
    assert database_catalog() is None
    brand = Brand.objects.create(
        slug="toshiba", name="Toshiba", kind="competitor", aliases=["东芝"]
    )
    ProductLine.objects.create(
        brand=brand, slug="satellite", name="Satellite", aliases=["卫星"]
    )
    catalogs.clear()
    try:
        result = catalogs.get().match("东芝卫星笔记本")
    finally:
        catalogs.clear()
    assert result.brands == ["toshiba"]
    assert result.products == ["satellite"]
    assert result.competitor
