"""The events a webhook can carry (emitted by the stage that owns each, through
``dellsocial.pipeline.webhook_event``)."""

from django.utils.translation import gettext_lazy as _

EVENTS = {
    "case.created": _("A case was opened"),
    "case.assigned": _("A case was assigned"),
    "case.status_changed": _("A case changed status"),
    "case.resolved": _("A case was resolved"),
    "reply.sent": _("A reply reached the platform"),
    "reply.failed": _("A reply failed to deliver"),
    "coupon.issued": _("A coupon code was issued"),
    "coupon.redeemed": _("A coupon code was redeemed"),
    "survey.response_submitted": _("A survey was answered"),
    "mention.created": _("A mention was stored (high volume: opt-in)"),
}
# Sent only by the "send test event" button.
TEST_EVENT = "webhook.test"
