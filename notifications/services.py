"""Writes of notifications: the one door every app calls to tell a person something.

E-mail goes out after the transaction commits, grouped per person (events that arrive
within ``NOTIFICATIONS_EMAIL_GROUP_SECONDS`` share one message), never during the
person's quiet hours, and once per notification: a task claims the rows it sends with a
compare-and-set, so two tasks never send the same one.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections.abc import Iterable
from typing import Any

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .kinds import KINDS, render
from .models import EmailState, Handoff, Notification, Preference

logger = logging.getLogger(__name__)

EMAIL_TASK = "notifications.email_user"
# A claim older than this belongs to a worker that died mid-send: the sweep puts its
# rows back (the message may then go twice, never zero times).
STALE_CLAIM = dt.timedelta(minutes=10)
# Hand-offs one sweep tells at most (the rest wait for the next run).
HANDOFF_SWEEP_LIMIT = 500


def _group_window() -> dt.timedelta:
    return dt.timedelta(seconds=settings.NOTIFICATIONS_EMAIL_GROUP_SECONDS)


def _safe_path(url: str) -> str:
    """Only paths inside the product: no other host, no ``javascript:``."""
    url = (url or "").strip()
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return ""
    return url[:500]


def _zone(preference: Preference | None) -> zoneinfo.ZoneInfo:
    name = (preference.time_zone if preference else "") or settings.TIME_ZONE
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def quiet_until(preference: Preference | None, now: dt.datetime) -> dt.datetime | None:
    """When the person's quiet hours end, if ``now`` falls inside them."""
    if preference is None or preference.quiet_start is None:
        return None
    start, end = preference.quiet_start, preference.quiet_end
    if end is None or start == end:
        return None
    local = now.astimezone(_zone(preference))
    t = local.time()
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return None
    end_day = local.date()
    if start > end and t >= start:  # wraps past midnight: ends tomorrow
        end_day += dt.timedelta(days=1)
    return dt.datetime.combine(end_day, end, tzinfo=local.tzinfo)


def _wants_email(preference: Preference | None, kind: str) -> bool:
    if not KINDS[kind].email:
        return False
    if preference is None:
        return True
    return preference.email_enabled and kind not in preference.email_muted_kinds


def _language(user: User) -> str:
    profile = getattr(user, "profile", None)
    return getattr(profile, "ui_language", "") or settings.LANGUAGE_CODE


@transaction.atomic
def notification_send(
    *,
    user_ids: Iterable[int],
    kind: str,
    params: dict[str, Any] | None = None,
    url: str = "",
    dedupe_key: str = "",
) -> int:
    """Tell each of ``user_ids`` about one event; returns how many were told.

    A non-empty ``dedupe_key`` names the event: sending it again notifies nobody twice.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    ids = sorted({int(i) for i in user_ids})
    if not ids:
        return 0
    dedupe_key = dedupe_key[:200]
    if dedupe_key:
        told = set(
            Notification.objects.filter(
                user_id__in=ids, dedupe_key=dedupe_key
            ).values_list("user_id", flat=True)
        )
        ids = [i for i in ids if i not in told]
    users = (
        get_user_model().objects.filter(id__in=ids, is_active=True).only("id", "email")
    )
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=ids)}
    now = timezone.now()
    rows = []
    for user in users:
        preference = preferences.get(user.id)
        wants = bool(user.email) and _wants_email(preference, kind)
        rows.append(
            Notification(
                user_id=user.id,
                kind=kind,
                params=params or {},
                url=_safe_path(url),
                dedupe_key=dedupe_key,
                email_state=EmailState.PENDING if wants else EmailState.NONE,
                email_after=(quiet_until(preference, now) or now) if wants else None,
            )
        )
    # A concurrent send of the same event may have won the race: the constraint keeps
    # one row, and this insert skips it.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    to_mail = [
        row.user_id
        for row in rows
        if row.email_state == EmailState.PENDING
        and row.email_after is not None
        and row.email_after <= now
    ]
    if to_mail:
        countdown = settings.NOTIFICATIONS_EMAIL_GROUP_SECONDS

        def enqueue() -> None:
            for user_id in to_mail:
                current_app.send_task(EMAIL_TASK, args=[user_id], countdown=countdown)

        transaction.on_commit(enqueue)
    return len(rows)


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read (others' are not found)."""
    notification = Notification.objects.get(id=notification_id, user=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preference_update(
    *,
    user: User,
    email_enabled: bool,
    email_muted_kinds: list[str],
    quiet_start: dt.time | None,
    quiet_end: dt.time | None,
    time_zone: str,
) -> Preference:
    preference, _created = Preference.objects.get_or_create(user=user)
    preference.email_enabled = email_enabled
    preference.email_muted_kinds = sorted(
        k for k in set(email_muted_kinds) if k in KINDS
    )
    preference.quiet_start = quiet_start
    preference.quiet_end = quiet_end
    preference.time_zone = time_zone
    preference.save(
        update_fields=[
            "email_enabled",
            "email_muted_kinds",
            "quiet_start",
            "quiet_end",
            "time_zone",
        ]
    )
    return preference


def notifications_email_user(*, user_id: int) -> int:
    """Send one e-mail with everything waiting for this person; returns how many
    notifications it carried (0 when another task already sent them, or when the
    person is in quiet hours now)."""
    user = get_user_model().objects.filter(id=user_id).first()
    if user is None:
        return 0
    now = timezone.now()
    preference = Preference.objects.filter(user_id=user_id).first()
    quiet = quiet_until(preference, now)
    pending = Notification.objects.filter(
        user_id=user_id, email_state=EmailState.PENDING
    )
    if quiet is not None:
        pending.filter(email_after__lt=quiet).update(email_after=quiet)
        return 0
    # Claim (compare-and-set): only rows still pending move to SENDING with this
    # task's timestamp; a concurrent task finds none left.
    claimed = pending.filter(email_after__lte=now + _group_window()).update(
        email_state=EmailState.SENDING, emailed_at=now
    )
    if not claimed:
        return 0
    rows = list(
        Notification.objects.filter(
            user_id=user_id, email_state=EmailState.SENDING, emailed_at=now
        ).order_by("created_at", "id")
    )
    try:
        _send_email(user, rows)
    except Exception:
        Notification.objects.filter(id__in=[r.id for r in rows]).update(
            email_state=EmailState.PENDING, emailed_at=None
        )
        raise
    Notification.objects.filter(id__in=[r.id for r in rows]).update(
        email_state=EmailState.SENT
    )
    return len(rows)


def _send_email(user: User, rows: list[Notification]) -> None:
    site = settings.SITE_URL.rstrip("/")
    with translation.override(_language(user)):
        items = []
        for row in rows:
            title, body = render(row.kind, row.params)
            items.append(
                {
                    "title": title,
                    "body": body,
                    "link": f"{site}{row.url}" if row.url else "",
                    "created_at": row.created_at,
                }
            )
        if len(items) == 1:
            subject = items[0]["title"]
        else:
            subject = ngettext(
                "%(count)d new notification", "%(count)d new notifications", len(items)
            ) % {"count": len(items)}
        # Subjects are one line; a value from a platform must not add headers.
        subject = " ".join(f"[dellsocial] {subject}".split())[:200]
        context = {
            "user": user,
            "items": items,
            "inbox": f"{site}/notifications/",
            "preferences": f"{site}/notifications/preferences/",
        }
        text = _email_text(context)
        html = render_to_string("notifications/email/notification.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(html, "text/html")
    message.send()
    logger.info("e-mailed %d notification(s) to user %s", len(rows), user.pk)


def _email_text(context: dict[str, Any]) -> str:
    """The plain-text part: text/plain is never read as markup, so values go in as
    they are (the HTML part is rendered with autoescaping)."""
    lines = [_("Hello %(name)s,") % {"name": context["user"].get_username()}, ""]
    for item in context["items"]:
        lines.append(f"* {item['title']}")
        if item["body"]:
            lines.append(f"  {item['body']}")
        if item["link"]:
            lines.append(f"  {item['link']}")
    lines += [
        "",
        f"{_('All your notifications')}: {context['inbox']}",
        f"{_('Change what is e-mailed to you')}: {context['preferences']}",
    ]
    return "\n".join(lines) + "\n"


def notifications_email_due() -> int:
    """Beat: hand every person with notifications due for e-mail to the e-mail task
    (their quiet hours ended, or a hand-off message was lost), and take back claims of
    workers that died mid-send. Returns how many people were handed on."""
    now = timezone.now()
    Notification.objects.filter(
        email_state=EmailState.SENDING, emailed_at__lt=now - STALE_CLAIM
    ).update(email_state=EmailState.PENDING, emailed_at=None)
    user_ids = list(
        Notification.objects.filter(
            email_state=EmailState.PENDING, email_after__lte=now
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    for user_id in user_ids:
        current_app.send_task(EMAIL_TASK, args=[user_id])
    return len(user_ids)


# --- Hand-offs (dellsocial.pipeline.notify) ------------------------------------------


def notification_handoff_create(
    *,
    user_ids: list[int],
    kind: str,
    params: dict[str, Any],
    url: str = "",
    dedupe_key: str = "",
) -> int:
    """Record an event to tell, in the caller's transaction; returns its id (the
    ``notifications.send`` message carries it)."""
    return Handoff.objects.create(
        user_ids=sorted({int(i) for i in user_ids}),
        kind=kind,
        params=params,
        url=url[:500],
        dedupe_key=dedupe_key[:200],
    ).pk


@transaction.atomic
def notification_handoff_deliver(*, handoff_id: int) -> int:
    """Tell the people of one hand-off and delete it, in one transaction; returns
    how many were told. A hand-off already told (by its message or by the sweep) is
    gone: nothing happens. Two deliveries at once: the second waits on the row lock,
    then finds it gone."""
    handoff = Handoff.objects.select_for_update().filter(id=handoff_id).first()
    if handoff is None:
        return 0
    try:
        told = notification_send(
            user_ids=handoff.user_ids,
            kind=handoff.kind,
            params=handoff.params,
            url=handoff.url,
            dedupe_key=handoff.dedupe_key,
        )
    except ValueError:
        # An unknown kind never becomes known by retrying: drop it, loudly.
        logger.exception("notification hand-off %s dropped", handoff_id)
        told = 0
    handoff.delete()
    return told


def notifications_handoff_sweep(*, now: dt.datetime | None = None) -> int:
    """Beat: tell what waited longer than a hand-off takes (its message was lost:
    the broker restarted without its data, or the send failed after the commit).
    Returns how many hand-offs were told."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.HANDOFF_SWEEP_AFTER_SECONDS)
    ids = list(
        Handoff.objects.filter(created_at__lt=cutoff)
        .order_by("created_at", "id")
        .values_list("id", flat=True)[:HANDOFF_SWEEP_LIMIT]
    )
    for handoff_id in ids:
        notification_handoff_deliver(handoff_id=handoff_id)
    return len(ids)
