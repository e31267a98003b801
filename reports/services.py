"""The weekly digest: opt in or out, and send last week's figures once."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ambassadors.permissions import is_manager

from .models import DigestSubscription
from .selectors import Period, revenue_rows, team_rows
from .selectors.own import own_figures


def digest_set(*, user: User, wanted: bool) -> bool:
    if wanted:
        DigestSubscription.objects.get_or_create(user=user)
    else:
        DigestSubscription.objects.filter(user=user).delete()
    return wanted


def digest_wanted(*, user: User) -> bool:
    return DigestSubscription.objects.filter(user=user).exists()


def _last_week(today: dt.date) -> Period:
    monday = today - dt.timedelta(days=today.weekday())
    return Period(
        first=monday - dt.timedelta(days=7), last=monday - dt.timedelta(days=1)
    )


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds / 3600:.1f} h"


def _rate(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _body(user: User, period: Period) -> tuple[str, str]:
    site = settings.SITE_URL.rstrip("/")
    query = period.query()
    if is_manager(user):
        team = team_rows(period=period, group_by="team")[1]
        money = revenue_rows(period=period, group_by="campaign")[1]
        link = f"{site}/reports/team/?{query}"
        revenue_link = f"{site}/reports/revenue/?{query}"
    else:
        figures = own_figures(user=user, period=period)
        team, money = figures.team, figures.revenue
        link = revenue_link = f"{site}/reports/mine/?{query}"
    subject = _("Your week on social, %(first)s – %(last)s") % {
        "first": period.first.isoformat(),
        "last": period.last.isoformat(),
    }
    lines = [
        subject,
        "",
        _("Cases opened: %(n)s, resolved: %(r)s, reopened: %(o)s")
        % {"n": team.cases_opened, "r": team.cases_resolved, "o": team.cases_reopened},
        _("First response, median: %(m)s (business hours: %(b)s)")
        % {
            "m": _duration(team.first_response_median_s),
            "b": _duration(team.first_response_business_median_s),
        },
        _("SLA first response met: %(fr)s; resolution met: %(res)s")
        % {
            "fr": _rate(team.sla_first_response_hit_rate),
            "res": _rate(team.sla_resolution_hit_rate),
        },
        _("CSAT: %(csat)s, NPS: %(nps)s")
        % {
            "csat": team.csat if team.csat is not None else "–",
            "nps": team.nps if team.nps is not None else "–",
        },
        _("Redemptions: %(n)s, order value %(v)s, net revenue %(net)s")
        % {"n": money.redemptions, "v": money.order_value, "net": money.net_revenue},
        "",
        _("Team report: %(url)s") % {"url": link},
        _("Revenue: %(url)s") % {"url": revenue_link},
    ]
    return subject, "\n".join(lines)


def digests_send(*, today: dt.date | None = None) -> int:
    """E-mail last week's figures to everyone subscribed who has not had them;
    returns how many were sent."""
    today = today or timezone.localdate()
    period = _last_week(today)
    sent = 0
    subscriptions = DigestSubscription.objects.select_related(
        "user", "user__profile"
    ).exclude(last_week_sent=period.first)
    for subscription in subscriptions:
        user = subscription.user
        if not user.is_active or not user.email:
            continue
        with transaction.atomic():
            claimed = (
                DigestSubscription.objects.filter(pk=subscription.pk)
                .exclude(last_week_sent=period.first)
                .update(last_week_sent=period.first)
            )
            if not claimed:
                continue
            language = getattr(getattr(user, "profile", None), "ui_language", "")
            with translation.override(language or settings.LANGUAGE_CODE):
                subject, body = _body(user, period)
            # A failure rolls the claim back: the next run tries again.
            send_mail(subject, body, None, [user.email])
            sent += 1
    return sent
