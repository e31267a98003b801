"""Alert rules: managers' conditions on what the room hears, each firing once per
episode and told to its recipients through the notifications app (in-app, and
e-mail when the rule asks for it), via dellsocial.pipeline.notify."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from dellsocial import pipeline
from listening.models import Alert, AlertRule, Brand, Mention, Spike, WatchedTerm
from listening.selectors import json_has

# Single-mention rules tell at most this many mentions per check (a flood is one
# alert per mention only up to here; the room shows the rest).
MENTIONS_PER_CHECK = 20
KIND_EMAIL = "listening.alert"
KIND_IN_APP = "listening.alert_in_app"


def _validate(
    kind: str, subject: str, threshold: float | None, window_minutes: int
) -> None:
    errors = {}
    if kind not in AlertRule.Kind.values:
        errors["kind"] = _("Unknown kind of rule.")
    if kind in ("volume", "negative_share", "influencer") and threshold is None:
        errors["threshold"] = _("This kind of rule needs a threshold.")
    if kind == "negative_share" and threshold is not None and not 0 < threshold <= 100:
        errors["threshold"] = _("A share is a percentage between 0 and 100.")
    if threshold is not None and threshold < 0:
        errors["threshold"] = _("The threshold cannot be negative.")
    if kind == "term" and not subject.strip():
        errors["subject"] = _("Name the term to watch.")
    if not 1 <= window_minutes <= 7 * 24 * 60:
        errors["window_minutes"] = _("A window is 1 minute to 7 days.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def alert_rule_create(
    *,
    user: Any,
    name: str,
    kind: str,
    subject: str = "",
    threshold: float | None = None,
    window_minutes: int = 60,
    user_ids: list[int] | None = None,
    team_ids: list[int] | None = None,
    email: bool = True,
    enabled: bool = True,
) -> AlertRule:
    subject = (subject or "").strip()
    _validate(kind, subject, threshold, window_minutes)
    users = sorted({int(i) for i in user_ids or []})
    teams = sorted({int(i) for i in team_ids or []})
    if not users and not teams:
        users = [user.pk]

    known = set(
        get_user_model().objects.filter(id__in=users).values_list("id", flat=True)
    )
    if set(users) - known:
        raise ValidationError({"user_ids": _("Unknown user.")})
    last = Mention.objects.aggregate(m=Max("id"))["m"] or 0
    if kind == "term":
        WatchedTerm.objects.get_or_create(term=subject[:100])
    return AlertRule.objects.create(
        name=name[:120],
        kind=kind,
        subject=subject[:100],
        threshold=threshold,
        window_minutes=window_minutes,
        user_ids=users,
        team_ids=teams,
        email=email,
        enabled=enabled,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        last_mention_id=last,
    )


@transaction.atomic
def alert_rule_delete(*, rule_id: int) -> None:
    AlertRule.objects.filter(id=rule_id).delete()


def recipients(rule: AlertRule) -> list[int]:
    ids = set(rule.user_ids)
    if rule.team_ids:
        members = import_string(settings.LISTENING_TEAM_MEMBERS_RESOLVER)
        ids |= set(members(rule.team_ids))
    return sorted(ids)


def room_url(**params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return reverse("listening_room") + (f"?{query}" if query else "")


def _subject_q(subject: str) -> Q:
    if not subject:
        return Q()
    if Brand.objects.filter(slug=subject).exists():
        return json_has("brands", subject)
    return json_has("keywords", subject) | Q(text__icontains=subject)


def _brand_param(subject: str) -> str:
    return subject if Brand.objects.filter(slug=subject).exists() else ""


def _fire(
    rule: AlertRule,
    *,
    episode: str,
    summary: str,
    url: str,
    spike: Spike | None = None,
) -> bool:
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                rule=rule,
                episode=episode[:100],
                spike=spike,
                title=summary[:300],
                url=url[:500],
            )
    except IntegrityError:
        return False  # this episode was told already
    users = recipients(rule)
    alert.recipients = len(users)
    alert.save(update_fields=["recipients"])
    pipeline.notify(
        user_ids=users,
        kind=KIND_EMAIL if rule.email else KIND_IN_APP,
        params={"rule": rule.name, "summary": summary},
        url=url,
        dedupe_key=f"listening-alert:{alert.id}",
    )
    return True


def _spike_summary(spike: Spike) -> str:
    words = "、".join(k["keyword"] for k in spike.explanation.get("keywords", [])[:5])
    return _(
        "Spike on %(subject)s: %(volume)d mentions in the last hour against "
        "%(baseline).1f usually (score %(score).1f). Rising: %(words)s"
    ) % {
        "subject": spike.subject,
        "volume": spike.volume,
        "baseline": spike.baseline,
        "score": spike.score,
        "words": words or "-",
    }


def spike_room_url(spike: Spike) -> str:
    start = spike.started_at - dt.timedelta(hours=1)
    end = (spike.ended_at or timezone.now()) + dt.timedelta(hours=1)
    return room_url(
        range="custom",
        start=start.isoformat(timespec="minutes"),
        end=end.isoformat(timespec="minutes"),
        brand=spike.subject if spike.kind == Spike.Kind.BRAND else "",
        spike=spike.id,
    )


def _window_rule(rule: AlertRule, now: dt.datetime) -> int:
    start = now - dt.timedelta(minutes=rule.window_minutes)
    row = Mention.objects.filter(
        _subject_q(rule.subject), created_at__gte=start, created_at__lt=now
    ).aggregate(n=Count("id"), neg=Count("id", filter=Q(sentiment_label="negative")))
    if rule.kind == AlertRule.Kind.VOLUME:
        holds = row["n"] > (rule.threshold or 0)
        summary = _("%(n)d mentions of %(subject)s in %(minutes)d minutes") % {
            "n": row["n"],
            "subject": rule.subject or _("everything"),
            "minutes": rule.window_minutes,
        }
    else:
        minimum = int(getattr(settings, "LISTENING_SPIKE_MIN_COUNT", 10))
        share = row["neg"] / row["n"] * 100 if row["n"] else 0.0
        holds = row["n"] >= minimum and share > (rule.threshold or 0)
        summary = _("%(share).0f%% of %(n)d mentions of %(subject)s are negative") % {
            "share": share,
            "n": row["n"],
            "subject": rule.subject or _("everything"),
        }
    if not holds:
        if rule.active_since is not None:
            AlertRule.objects.filter(id=rule.id).update(active_since=None)
        return 0
    if rule.active_since is not None:
        return 0  # the same episode goes on
    AlertRule.objects.filter(id=rule.id).update(active_since=now)
    url = room_url(
        range="custom",
        start=start.isoformat(timespec="minutes"),
        end=now.isoformat(timespec="minutes"),
        brand=_brand_param(rule.subject),
    )
    return int(
        _fire(rule, episode=f"window:{now.isoformat()}", summary=summary, url=url)
    )


def _mention_rule(rule: AlertRule) -> int:
    qs = Mention.objects.filter(id__gt=rule.last_mention_id).filter(
        _subject_q(rule.subject)
        if rule.kind == AlertRule.Kind.INFLUENCER
        else (Q(text__icontains=rule.subject) | json_has("keywords", rule.subject))
    )
    if rule.kind == AlertRule.Kind.INFLUENCER:
        qs = qs.filter(author__followers_count__gt=rule.threshold or 0)
    found = list(
        qs.select_related("author")
        .only(
            "id", "text", "created_at", "author__screen_name", "author__followers_count"
        )
        .order_by("id")[:MENTIONS_PER_CHECK]
    )
    newest = Mention.objects.aggregate(m=Max("id"))["m"] or rule.last_mention_id
    if found and len(found) == MENTIONS_PER_CHECK:
        newest = found[-1].id
    AlertRule.objects.filter(id=rule.id).update(last_mention_id=newest)
    fired = 0
    for mention in found:
        author = mention.author.screen_name if mention.author else "?"
        summary = _("@%(author)s: %(text)s") % {
            "author": author,
            "text": mention.text[:140],
        }
        url = reverse("mentions") + "?" + urlencode({"mention": mention.id})
        fired += _fire(rule, episode=f"mention:{mention.id}", summary=summary, url=url)
    return fired


def alerts_evaluate(*, now: dt.datetime | None = None) -> int:
    """Check every enabled rule once; returns how many alerts fired."""
    now = now or timezone.now()
    fired = 0
    for rule in AlertRule.objects.filter(enabled=True):
        if rule.kind == AlertRule.Kind.SPIKE:
            spikes = Spike.objects.filter(
                Q(ended_at__isnull=True) | Q(ended_at__gte=now - dt.timedelta(hours=1))
            )
            if rule.subject:
                spikes = spikes.filter(subject=rule.subject)
            for spike in spikes:
                fired += _fire(
                    rule,
                    episode=f"spike:{spike.id}",
                    summary=_spike_summary(spike),
                    url=spike_room_url(spike),
                    spike=spike,
                )
        elif rule.kind in (AlertRule.Kind.VOLUME, AlertRule.Kind.NEGATIVE_SHARE):
            fired += _window_rule(rule, now)
        else:
            fired += _mention_rule(rule)
    return fired
