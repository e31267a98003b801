"""Server-side SVG line charts (no script, nothing from another host): counters
of a post over time, an account's follower curve with its posts marked. Labels
stay plain values: the template escapes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 28
SERIES_CLASSES = ("s0", "s1", "s2", "s3")


def _scale(value: float, low: float, high: float, span: float) -> float:
    return 0.0 if high <= low else (value - low) / (high - low) * span


def line_chart(
    *,
    title: str,
    series: Sequence[tuple[str, Sequence[tuple[dt.datetime, float | None]]]],
    markers: Sequence[tuple[dt.datetime, str]] = (),
    zone: dt.tzinfo | None = None,
) -> dict:
    """Polylines for ``series`` [(label, [(time, value)])] and vertical ``markers``
    [(time, label)], on shared axes."""
    points = [(t, v) for _label, values in series for t, v in values if v is not None]
    if not points:
        return {"title": title, "empty": True, "width": WIDTH, "height": HEIGHT}
    times = [t for t, _v in points] + [t for t, _l in markers]
    t0, t1 = min(times), max(times)
    if t1 <= t0:
        t1 = t0 + dt.timedelta(minutes=1)
    low = min(v for _t, v in points)
    high = max(v for _t, v in points)
    if high <= low:
        high = low + 1
    span_x, span_y = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(when: dt.datetime) -> float:
        return round(
            LEFT + _scale(when.timestamp(), t0.timestamp(), t1.timestamp(), span_x), 1
        )

    def y(value: float) -> float:
        return round(TOP + span_y - _scale(value, low, high, span_y), 1)

    lines = []
    for index, (label, values) in enumerate(series):
        kept = [(t, v) for t, v in values if v is not None]
        lines.append(
            {
                "label": label,
                "css": SERIES_CLASSES[index % len(SERIES_CLASSES)],
                "points": " ".join(f"{x(t)},{y(v)}" for t, v in kept),
                "dots": [
                    {"x": x(t), "y": y(v), "value": int(v), "at": t}
                    for t, v in kept[-60:]
                ],
                "last": int(kept[-1][1]) if kept else None,
            }
        )
    fmt = "%m-%d %H:%M" if (t1 - t0) > dt.timedelta(days=1) else "%H:%M"
    ticks = []
    for step in range(5):
        when = t0 + (t1 - t0) * step / 4
        ticks.append(
            {
                "x": x(when),
                "label": when.astimezone(zone).strftime(fmt)
                if zone
                else when.strftime(fmt),
            }
        )
    return {
        "title": title,
        "empty": False,
        "width": WIDTH,
        "height": HEIGHT,
        "lines": lines,
        "ticks": ticks,
        "tick_y": HEIGHT - 8,
        "low": int(low),
        "high": int(high),
        "low_y": y(low),
        "high_y": y(high),
        "axis_x": LEFT,
        "axis_y": TOP + span_y,
        "right": WIDTH - RIGHT,
        "markers": [
            {"x": x(t), "label": label, "top": TOP, "bottom": TOP + span_y}
            for t, label in markers
        ],
    }
