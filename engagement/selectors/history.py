"""The customer's history with the brand, for the case page: earlier cases and their
outcomes, replies, codes issued and redeemed, survey answers, sentiment over time.
A fixed number of queries, each bounded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from coupons.models import CouponCode
from listening.models import Mention
from surveys.models import Response

from ..models import Case, ContactIdentity, ContactNote, Reply

HISTORY_CASES = 20
HISTORY_MENTIONS = 60
HISTORY_ANSWERS = 20


@dataclass
class ContactView:
    id: int
    # ContactIdentity rows with their author and who linked them, oldest first.
    identities: list[ContactIdentity] = field(default_factory=list)
    notes: list[ContactNote] = field(default_factory=list)


@dataclass
class CustomerHistory:
    cases: list[Case] = field(default_factory=list)
    replies_sent: int = 0
    codes_issued: int = 0
    codes_redeemed: int = 0
    order_value: object = 0
    answers: list[Response] = field(default_factory=list)
    # (when, sentiment in [-1, 1], label) oldest first
    sentiment: list[tuple[dt.datetime, float | None, str]] = field(default_factory=list)
    # The contact the customer is linked into (other identities, contact notes).
    contact: ContactView | None = None


def customer_history(*, case: Case) -> CustomerHistory:
    """The history of the case's customer: of every identity linked into their
    contact (``contact_of_author``), or of the case's author alone."""
    history = CustomerHistory()
    author = case.author
    if author is None:
        return history
    history.contact = contact_of_author(author_id=author.pk)
    people = (
        [i.author for i in history.contact.identities] if history.contact else [author]
    )
    author_ids = [p.pk for p in people]
    # A code and a survey answer name the platform account, not the author row.
    accounts = Q(pk__in=[])
    answered = Q(pk__in=[])
    for person in people:
        accounts |= Q(
            issued_platform=person.platform, issued_platform_user_id=person.external_id
        )
        answered |= Q(platform=person.platform, platform_user_id=person.external_id)
    history.cases = list(
        Case.objects.filter(author_id__in=author_ids)
        .exclude(pk=case.pk)
        .select_related("assignee")
        .order_by("-created_at")[:HISTORY_CASES]
    )
    history.replies_sent = Reply.objects.filter(
        case__author_id__in=author_ids, status="sent"
    ).count()
    codes = CouponCode.objects.filter(accounts).aggregate(
        issued=Count("id", distinct=True),
        redeemed=Count("id", filter=Q(redeemed_count__gt=0), distinct=True),
        value=Sum("redemptions__order_amount"),
    )
    history.codes_issued = codes["issued"]
    history.codes_redeemed = codes["redeemed"]
    history.order_value = codes["value"] or 0
    history.answers = list(
        Response.objects.filter(answered)
        .select_related("survey")
        .order_by("-submitted_at")[:HISTORY_ANSWERS]
    )
    rows = (
        Mention.objects.filter(author_id__in=author_ids, sentiment__isnull=False)
        .order_by("-created_at")
        .values_list("created_at", "sentiment", "sentiment_label")[:HISTORY_MENTIONS]
    )
    history.sentiment = list(reversed(list(rows)))
    return history


# Contact notes shown on the case page (the newest first).
CONTACT_NOTES = 20


def contact_of_author(*, author_id: int | None) -> ContactView | None:
    """The contact an author is linked into, with its identities and latest notes
    (three queries); None when the author is linked to no one."""
    if author_id is None:
        return None
    link = ContactIdentity.objects.filter(author_id=author_id).first()
    if link is None:
        return None
    identities = list(
        ContactIdentity.objects.filter(contact_id=link.contact_id)
        .select_related("author", "linked_by")
        .order_by("linked_at", "id")
    )
    notes = list(
        ContactNote.objects.filter(contact_id=link.contact_id)
        .select_related("author")
        .order_by("-created_at", "-id")[:CONTACT_NOTES]
    )
    return ContactView(id=link.contact_id, identities=identities, notes=notes)
