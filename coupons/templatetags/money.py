"""Money the same way everywhere on a page: 79,984.00 (tiles, tables, charts)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


def money_text(value) -> str:
    """Two decimals with thousands grouped by commas (how the charts label it)."""
    try:
        number = Decimal(value or 0)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"{number:,.2f}"


@register.filter
def money(value) -> str:
    return money_text(value)
