"""The brand's accounts: the ones its account-mentions sources listen for."""

from __future__ import annotations

from django.db import transaction

from listening.models import Author, Source

from ..models import BrandAccount

# What an account is called before listening has seen its profile.
DEFAULT_NAMES = {"weibo": "戴尔中国", "twitter": "@DellCares", "renren": "戴尔中国"}


@transaction.atomic
def brand_accounts_sync() -> list[BrandAccount]:
    """One BrandAccount per account-mentions source (made once; the name from the
    profile listening stored, when it has one)."""
    wanted = set(
        Source.objects.filter(kind=Source.Kind.MENTIONS).values_list(
            "platform", "query"
        )
    )
    names = {
        (a.platform, a.external_id): a.screen_name or a.name
        for a in Author.objects.filter(external_id__in=[q for _p, q in wanted]).only(
            "platform", "external_id", "screen_name", "name"
        )
    }
    for platform, external_id in sorted(wanted):
        name = names.get((platform, external_id)) or DEFAULT_NAMES.get(platform, "")
        BrandAccount.objects.get_or_create(
            platform=platform,
            external_id=external_id,
            defaults={"name": name or external_id},
        )
    return list(BrandAccount.objects.all())


def demo_seed() -> None:
    """seed_demo's hook: the demo's brand accounts."""
    brand_accounts_sync()
