"""Geometry for the server-rendered SVG charts (templates/common/_hbars.html and
_columns.html). Labels stay plain values: the templates escape them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 130
CHART_WIDTH = 520
VALUE_WIDTH = 90
COLUMNS_HEIGHT = 160


def _number(value: Any) -> float:
    return float(value) if isinstance(value, Decimal) else float(value or 0)


def hbars(
    items: Iterable[tuple[str, object]],
    *,
    fmt: Callable[[object], str] = str,
    title: str = "",
) -> dict[str, Any]:
    """Horizontal bars, one per (label, value)."""
    rows = list(items)
    top = max((_number(v) for _, v in rows), default=0) or 1
    span = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value) in enumerate(rows):
        y = index * (BAR_HEIGHT + BAR_GAP)
        bars.append(
            {
                "label": label,
                "text": fmt(value),
                "y": y,
                "text_y": y + BAR_HEIGHT * 0.7,
                "width": round(span * _number(value) / top, 1),
                "value_x": LABEL_WIDTH + round(span * _number(value) / top, 1) + 6,
            }
        )
    return {
        "title": title,
        "bars": bars,
        "width": CHART_WIDTH,
        "height": max(1, len(bars)) * (BAR_HEIGHT + BAR_GAP),
        "label_width": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
        "label_x": LABEL_WIDTH - 6,
    }


def columns(
    items: Iterable[tuple[str, object]],
    *,
    fmt: Callable[[object], str] = str,
    title: str = "",
) -> dict[str, Any]:
    """Vertical columns over time, one per (label, value); every few labels shown."""
    rows = list(items)
    top = max((_number(v) for _, v in rows), default=0) or 1
    count = max(1, len(rows))
    step = CHART_WIDTH / count
    width = max(2.0, step * 0.75)
    label_every = max(1, count // 8)
    bars = []
    for index, (label, value) in enumerate(rows):
        height = round((COLUMNS_HEIGHT - 20) * _number(value) / top, 1)
        bars.append(
            {
                "label": label,
                "text": fmt(value),
                "x": round(index * step, 1),
                "width": round(width, 1),
                "y": COLUMNS_HEIGHT - 20 - height,
                "height": height,
                "show_label": index % label_every == 0,
                "label_x": round(index * step + width / 2, 1),
            }
        )
    return {
        "title": title,
        "bars": bars,
        "width": CHART_WIDTH,
        "height": COLUMNS_HEIGHT,
        "axis_y": COLUMNS_HEIGHT - 20,
        "label_y": COLUMNS_HEIGHT - 5,
    }
