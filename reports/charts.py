"""Chart geometry for the report pages: the coupons pages' server-side SVG charts,
each bar and cell a link to the cases behind it."""

from __future__ import annotations

from collections.abc import Sequence

from common.charts import columns, hbars

HEAT_CELL = 22
HEAT_LEFT = 40
HEAT_TOP = 18


def linked_hbars(
    items: Sequence[tuple[str, object, str]], *, fmt=str, title=""
) -> dict:
    """Horizontal bars from (label, value, drill-down URL)."""
    chart = hbars([(label, value) for label, value, _ in items], fmt=fmt, title=title)
    for bar, (_, _, url) in zip(chart["bars"], items, strict=True):
        bar["url"] = url
    return chart


def linked_columns(
    items: Sequence[tuple[str, object, str]], *, fmt=str, title=""
) -> dict:
    chart = columns([(label, value) for label, value, _ in items], fmt=fmt, title=title)
    for bar, (_, _, url) in zip(chart["bars"], items, strict=True):
        bar["url"] = url
    return chart


def heat(grid: list[list[int]], *, url_for, weekdays: Sequence[str], title="") -> dict:
    """A weekday × hour grid; opacity follows the count (0.08 to 1)."""
    top = max((n for row in grid for n in row), default=0) or 1
    cells = []
    for w, row in enumerate(grid):
        for h, n in enumerate(row):
            cells.append(
                {
                    "x": HEAT_LEFT + h * HEAT_CELL,
                    "y": HEAT_TOP + w * HEAT_CELL,
                    "n": n,
                    "opacity": round(0.08 + 0.92 * n / top, 2) if n else 0.03,
                    "label": f"{weekdays[w]} {h:02d}:00",
                    "url": url_for(w + 1, h),
                }
            )
    return {
        "title": title,
        "cells": cells,
        "size": HEAT_CELL - 2,
        "width": HEAT_LEFT + 24 * HEAT_CELL,
        "height": HEAT_TOP + 7 * HEAT_CELL,
        "rows": [
            {"label": weekdays[w], "y": HEAT_TOP + w * HEAT_CELL + 15} for w in range(7)
        ],
        "hours": [
            {"label": f"{h:02d}", "x": HEAT_LEFT + h * HEAT_CELL + 10}
            for h in range(0, 24, 3)
        ],
    }
