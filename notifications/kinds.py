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
    # The body instead of ``body`` when the notification carries a ``note`` (a
    # manager's words to the person): ``body`` is then for the case without one.
    note_body: str | Promise = ""


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
    "engagement.case_assigned": Kind(
        label=_("A case assigned to me"),
        title=_("Case #%(case)s was assigned to you"),
        body=_("%(summary)s"),
    ),
    "engagement.mentioned": Kind(
        label=_("An @mention of me in an internal note"),
        title=_("%(actor)s mentioned you on case #%(case)s"),
        body=_("%(note)s"),
    ),
    "engagement.reply_approved": Kind(
        label=_("My reply approved"),
        title=_("Your reply on case #%(case)s was approved"),
        body=_("%(summary)s"),
        note_body=_("Note from %(reviewer)s: %(note)s"),
    ),
    "engagement.reply_rejected": Kind(
        label=_("My reply rejected"),
        title=_("Your reply on case #%(case)s was rejected"),
        body=_("Reason: %(note)s"),
        note_body=_("Reason given by %(reviewer)s: %(note)s"),
    ),
    "engagement.reply_awaiting_approval": Kind(
        label=_("A reply waiting for my approval"),
        title=_("A reply on case #%(case)s waits for your approval"),
        body=_("%(author)s: %(text)s"),
    ),
    "engagement.reply_failed": Kind(
        label=_("My reply failed to deliver"),
        title=_("Your reply on case #%(case)s failed to deliver"),
        body=_("%(note)s"),
    ),
    "engagement.sla_warning": Kind(
        label=_("SLA about to breach on my case"),
        title=_("Case #%(case)s: the %(target)s target is due at %(due)s"),
        body=_("%(summary)s"),
    ),
    "engagement.sla_breached": Kind(
        label=_("SLA breached on my case"),
        title=_("Case #%(case)s missed its %(target)s target"),
        body=_("%(summary)s"),
    ),
    "surveys.low_score": Kind(
        label=_("A low survey score on my case"),
        title=_("Low survey score on case #%(case)s: %(score)s"),
        body=_("%(survey)s"),
    ),
    "integrations.webhook_disabled": Kind(
        label=_("My webhook endpoint disabled"),
        title=_("Webhook disabled: %(url)s"),
        body=_(
            "It failed %(failures)s times in a row. Fix it, then save it as active."
        ),
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
        template = spec.note_body if spec.note_body and values["note"] else spec.body
        body = str(template) % values if template else ""
    except (TypeError, ValueError):
        # A translation with a broken placeholder must not break the bell.
        return str(spec.title), ""
    return title, body
