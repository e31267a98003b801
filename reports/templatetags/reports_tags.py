from django import template

register = template.Library()


@register.filter
def duration(seconds) -> str:
    """Seconds as "2 h 05 min" / "45 min" / "30 s"; empty for none."""
    if seconds is None or seconds == "":
        return "–"
    seconds = int(round(float(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min"
    return f"{secs} s"


@register.filter
def percent(value) -> str:
    if value is None or value == "":
        return "–"
    return f"{float(value) * 100:.0f}%"
