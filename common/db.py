"""Helpers for the few statements written in SQL (bulk inserts on hot paths)."""

from __future__ import annotations

from django.db.models import Field, Model


def column_name(model: type[Model], field_name: str) -> str:
    """The database column of one of ``model``'s concrete fields."""
    field = model._meta.get_field(field_name)
    if not isinstance(field, Field) or not field.column:
        raise LookupError(f"{model.__name__}.{field_name} has no column")
    return field.column
