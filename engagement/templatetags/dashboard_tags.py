"""Template filters of the triage dashboard."""

from django import template
from django.utils.timesince import timesince, timeuntil

from engagement.models import CaseStatus, CloseReason, Priority

register = template.Library()


@register.filter
def since_short(value):
    """How long ago, in its largest unit only ("3 hours"): a queue cell stays on
    one line."""
    if not value:
        return ""
    return timesince(value, depth=1)


@register.filter
def until_short(value):
    """How long until, in its largest unit only ("2 hours")."""
    if not value:
        return ""
    return timeuntil(value, depth=1)


@register.filter
def status_label(value):
    """A case status as its label in the reader's language ("open" → "Open")."""

    return dict(CaseStatus.choices).get(value, value)


@register.filter
def close_reason_label(value):
    return dict(CloseReason.choices).get(value, value)


@register.filter
def priority_label(value):
    try:
        return dict(Priority.choices).get(int(value), value)
    except (TypeError, ValueError):
        return value
