"""Every kind of notification: its title and body, with ``%(name)s`` placeholders
filled from the notification's values when it is read, in the reader's language.

Apps add their kinds here. Values are inserted as plain text; pages and e-mails escape
the whole result, so a value from a social platform can never become markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    # What the kind is called on the preferences page.
    label: str | Promise
    title: str | Promise
    body: str | Promise = ""
    # False: in-app only, never e-mailed (whatever the preferences say).
    email: bool = True


KINDS: dict[str, Kind] = {
    "notifications.test": Kind(
        label=_("Test notifications"),
        title=_("Test notification"),
        body=_("Notifications reach you here and, if you want, by e-mail."),
    ),
    "listening.alert": Kind(
        label=_("Listening-room alerts"),
        title=_("Alert: %(rule)s"),
        body=_("%(summary)s"),
    ),
    "listening.alert_in_app": Kind(
        label=_("Listening-room alerts (in-app only)"),
        title=_("Alert: %(rule)s"),
        body=_("%(summary)s"),
        email=False,
    ),
    "ambassadors.certification_expiring": Kind(
        label=_("Certification about to expire"),
        title=_("Your certification expires in %(days)s days"),
        body=_(
            "It ends on %(expires_at)s. Take the refresher quiz to keep replying "
            "without approval."
        ),
    ),
    "ambassadors.handle_approved": Kind(
        label=_("Handle approved"),
        title=_("Your handle @%(handle)s was approved"),
        body=_("%(note)s"),
    ),
    "ambassadors.handle_refused": Kind(
        label=_("Handle refused"),
        title=_("Your handle @%(handle)s was refused"),
        body=_("%(note)s"),
    ),
}


class _Values(dict):
    """A placeholder without a value renders as nothing instead of failing."""

    def __missing__(self, key: str) -> str:
        return ""


def render(kind: str, params: dict | None) -> tuple[str, str]:
    """The (title, body) of a notification in the active language."""
    spec = KINDS.get(kind)
    if spec is None:
        return kind, ""
    values = _Values({k: str(v) for k, v in (params or {}).items()})
    try:
        title = str(spec.title) % values
        body = str(spec.body) % values if spec.body else ""
    except (TypeError, ValueError):
        # A translation with a broken placeholder must not break the bell.
        return str(spec.title), ""
    return title, body
