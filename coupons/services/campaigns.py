"""Campaigns: their settings, checked by one set of rules for forms, API and
services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from listening.models import Platform

from ..errors import coupon_error
from ..models import (
    Campaign,
    DiscountType,
)
from .generation import budget_used

# Campaign dates a person can mean (and every time zone writes as an RFC 3339 offset).
YEARS = (2000, 2100)

CAMPAIGN_FIELDS = (
    "name",
    "description",
    "platforms",
    "shops",
    "discount_type",
    "discount_value",
    "currency",
    "starts_at",
    "ends_at",
    "budget",
    "per_customer_limit",
    "min_order_amount",
    "status",
)


def campaign_errors(data: Mapping[str, Any]) -> dict[str, str]:
    """The business rules of a campaign's settings: field → message (empty if fine).

    Forms and serializers call this to show the errors beside the fields; the
    services call it again so no path can store a broken campaign.
    """
    errors: dict[str, str] = {}
    platforms = data.get("platforms") or []
    if not isinstance(platforms, list | tuple) or any(
        p not in Platform.values for p in platforms
    ):
        errors["platforms"] = _("Unknown platform.")
    shops = data.get("shops") or []
    if not isinstance(shops, list | tuple) or any(
        not isinstance(s, str) or not s or len(s) > 150 for s in shops
    ):
        errors["shops"] = _("A list of shop account names.")
    value = data.get("discount_value")
    kind = data.get("discount_type")
    if kind not in DiscountType.values:
        errors["discount_type"] = _("Choose a percentage or a fixed amount.")
    if value is not None:
        if value <= 0:
            errors["discount_value"] = _("The discount must be more than zero.")
        elif kind == DiscountType.PERCENT and value > 100:
            errors["discount_value"] = _("A percentage cannot be more than 100.")
    starts, ends = data.get("starts_at"), data.get("ends_at")
    for name, moment in (("starts_at", starts), ("ends_at", ends)):
        if moment is not None and not YEARS[0] <= moment.year <= YEARS[1]:
            errors[name] = _("A date between %(first)s and %(last)s.") % {
                "first": YEARS[0],
                "last": YEARS[1],
            }
    if starts and ends and ends <= starts:
        errors["ends_at"] = _("The campaign must end after it starts.")
    currency = data.get("currency") or ""
    if len(currency) != 3 or not currency.isalpha():
        errors["currency"] = _("A three-letter currency code, e.g. CNY.")
    if (data.get("min_order_amount") or 0) < 0:
        errors["min_order_amount"] = _("The minimum cannot be negative.")
    if data.get("per_customer_limit") is not None and data["per_customer_limit"] < 1:
        errors["per_customer_limit"] = _("At least one per customer.")
    if data.get("status") and data["status"] not in Campaign.Status.values:
        errors["status"] = _("Unknown status.")
    return errors


def _campaign_check(data: Mapping[str, Any]) -> None:
    errors = campaign_errors(data)
    if errors:
        field, message = next(iter(errors.items()))
        raise coupon_error("invalid_campaign", f"{field}: {message}")


@transaction.atomic
def campaign_create(
    *,
    name: str,
    discount_type: str,
    discount_value: Decimal,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    platforms: list[str] | None = None,
    shops: list[str] | None = None,
    currency: str = "CNY",
    per_customer_limit: int = 1,
    min_order_amount: Decimal = Decimal("0"),
    budget: int | None = None,
    description: str = "",
    status: str = Campaign.Status.ACTIVE,
    created_by: User | None = None,
) -> Campaign:
    data = {
        "name": name,
        "description": description,
        "platforms": sorted(set(platforms or [])),
        "shops": sorted(set(shops or [])),
        "discount_type": discount_type,
        "discount_value": Decimal(discount_value),
        "currency": (currency or "").upper(),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "budget": budget,
        "per_customer_limit": per_customer_limit,
        "min_order_amount": Decimal(min_order_amount or 0),
        "status": status,
    }
    _campaign_check(data)
    return Campaign.objects.create(created_by=created_by, **data)


@transaction.atomic
def campaign_update(*, campaign_id: int, **changes: Any) -> Campaign:
    """Change some settings of a campaign (those named in ``changes``)."""
    campaign = Campaign.objects.select_for_update().get(id=campaign_id)
    unknown = set(changes) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"not campaign settings: {sorted(unknown)}")
    if "platforms" in changes:
        changes["platforms"] = sorted(set(changes["platforms"] or []))
    if "shops" in changes:
        changes["shops"] = sorted(set(changes["shops"] or []))
    if "currency" in changes:
        changes["currency"] = (changes["currency"] or "").upper()
    data = {field: getattr(campaign, field) for field in CAMPAIGN_FIELDS}
    data.update(changes)
    _campaign_check(data)
    if changes.get("budget") is not None:
        used = budget_used(campaign)
        if changes["budget"] < used:
            raise coupon_error(
                "budget_exceeded",
                _("The campaign already has codes for %(used)s uses.") % {"used": used},
            )
    for field, value in changes.items():
        setattr(campaign, field, value)
    campaign.save(update_fields=[*changes, "updated_at"])
    return campaign


def campaign_set_status(*, campaign_id: int, status: str) -> Campaign:
    """Pause, resume or close a campaign."""
    return campaign_update(campaign_id=campaign_id, status=status)
