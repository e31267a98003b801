"""One service computes a person's certification from the records (quiz passes,
experience reported by the other stages, revocations) and stores the result on the
profile for routing speed, with its history.

A change of level is felt at once: a promotion offers the team's waiting cases; a
demotion hands the cases that now need more than the person has back to routing
(``dellsocial.pipeline.certifications_lowered``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg2.extras import execute_values

from dellsocial import pipeline

from ..errors import Conflict, Invalid, NotFound
from ..models import Profile
from ..models.advocacy import PointEvent, PointKind
from ..models.certification import CertificationEvent, Level, Revocation
from ..models.training import Attempt, Course
from .rules import Computed, LevelRule, Record, compute

# Reminders before a certification expires, in days.
REMINDER_DAYS = (30, 7)
# Profiles per write batch when the whole population is recomputed.
RECOMPUTE_BATCH = 1000


def level_rules() -> list[LevelRule]:
    """The ladder as plain values (one query for levels, one for courses)."""
    courses = {
        c.pk: c for c in Course.objects.filter(published=True).order_by("position")
    }
    regular = [pk for pk, c in courses.items() if not c.is_refresher]
    rules = []
    for level in Level.objects.prefetch_related("courses").order_by("rank"):
        ids = set(regular) if level.all_courses else set()
        ids |= {c.pk for c in level.courses.all() if c.pk in courses}
        rules.append(
            LevelRule(
                rank=level.rank,
                name=level.name,
                course_ids=frozenset(ids),
                course_names={pk: courses[pk].title for pk in ids},
                courses_within_days=level.courses_within_days,
                approved_replies=level.approved_replies,
                replies_sent=level.replies_sent,
                min_csat=level.min_csat,
                validity_days=level.validity_days,
                refresher_id=level.refresher_id,
            )
        )
    return rules


def records_for(
    user_ids: Sequence[int], rules: Sequence[LevelRule] = ()
) -> dict[int, Record]:
    """Every person's record from a few aggregate reads: counts and the n-th
    moments the ``rules`` need, never the events one by one."""
    records: dict[int, Record] = {uid: Record() for uid in user_ids}
    for uid, course_id, at in (
        Attempt.objects.filter(user_id__in=user_ids, passed=True)
        .values("user_id", "quiz__course_id")
        .annotate(last=Max("submitted_at"))
        .values_list("user_id", "quiz__course_id", "last")
    ):
        if at is not None:
            records[uid].passes[course_id] = at
    experience = PointEvent.objects.filter(user_id__in=user_ids)
    for uid, kind, n, total in (
        experience.filter(
            kind__in=[
                PointKind.REPLY_APPROVED,
                PointKind.REPLY_SENT,
                PointKind.CSAT_ANSWER,
            ]
        )
        .values("user_id", "kind")
        .annotate(n=Count("id"), total=Sum("value"))
        .values_list("user_id", "kind", "n", "total")
    ):
        record = records[uid]
        if kind == PointKind.REPLY_APPROVED:
            record.approved = n
        elif kind == PointKind.REPLY_SENT:
            record.sent = n
        else:
            record.csat_count, record.csat_sum = n, float(total or 0)
    wanted = {
        PointKind.REPLY_APPROVED: {
            r.approved_replies for r in rules if r.approved_replies
        },
        PointKind.REPLY_SENT: {r.replies_sent for r in rules if r.replies_sent},
    }
    for kind, positions in wanted.items():
        if not positions:
            continue
        # The moment of the n-th reply: the level was earned then, not later. One
        # index probe per person and n (point_event_user_idx), not a window over
        # everybody's events.
        for uid, n, at in _nth_moments(user_ids, kind, sorted(positions)):
            target = (
                records[uid].approved_nth
                if kind == PointKind.REPLY_APPROVED
                else records[uid].sent_nth
            )
            target[n] = at
    for uid in Revocation.objects.filter(
        user_id__in=user_ids, reinstated_at__isnull=True
    ).values_list("user_id", flat=True):
        records[uid].revoked = True
    return records


def _nth_moments(
    user_ids: Sequence[int], kind: str, positions: Sequence[int]
) -> list[tuple[int, int, dt.datetime]]:
    """(user, n, when) of each person's n-th event of ``kind``, for each n."""
    if connection.vendor != "postgresql":  # the embedded SQLite of `make run`
        events = PointEvent.objects.filter(kind=kind).order_by("occurred_at", "id")
        found = []
        for uid in user_ids:
            for n in positions:
                at = (
                    events.filter(user_id=uid)
                    .values_list("occurred_at", flat=True)[n - 1 : n]
                    .first()
                )
                if at is not None:
                    found.append((uid, n, at))
        return found
    table = PointEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT u.uid, p.n, e.occurred_at "  # noqa: S608 (table name from the model)
            f"FROM unnest(%s::int[]) AS u(uid) CROSS JOIN unnest(%s::int[]) AS p(n) "
            f"CROSS JOIN LATERAL (SELECT occurred_at FROM {table} "
            f"WHERE user_id = u.uid AND kind = %s "
            # The n-th moment is the same whichever of two tied events comes first:
            # no tie-break, so the probe reads the index alone.
            f"ORDER BY occurred_at OFFSET p.n - 1 LIMIT 1) AS e",
            [list(user_ids), list(positions), kind],
        )
        return [(int(uid), int(n), at) for uid, n, at in cursor.fetchall()]


def _store_levels(profiles: Sequence[Profile]) -> None:
    """The new levels of ``profiles`` in one UPDATE ... FROM (VALUES ...) per
    batch (Django's bulk_update builds a CASE per row and column: slow)."""
    if not profiles:
        return
    if connection.vendor != "postgresql":
        Profile.objects.bulk_update(
            profiles,
            ["certification", "certification_state", "certification_expires_at"],
        )
        return
    table = Profile._meta.db_table
    with connection.cursor() as cursor:
        execute_values(
            cursor.cursor,
            f"UPDATE {table} AS p SET certification = v.level, "  # noqa: S608 (table name from the model)
            f"certification_state = v.state, "
            f"certification_expires_at = v.expires::timestamptz "
            f"FROM (VALUES %s) AS v(id, level, state, expires) WHERE p.id = v.id",
            [
                (
                    p.pk,
                    p.certification,
                    p.certification_state,
                    p.certification_expires_at,
                )
                for p in profiles
            ],
            page_size=1000,
        )


def certification_compute(*, user_id: int, now: dt.datetime | None = None) -> Computed:
    """What the records say now, without storing it ("My training" shows it)."""
    now = now or timezone.now()
    rules = level_rules()
    return compute(rules, records_for([user_id], rules)[user_id], now)


def _event_kind(old_level: int, old_state: str, result: Computed, old_expiry) -> str:
    if result.level > old_level:
        if old_state == "expired":
            return CertificationEvent.Kind.RECERTIFIED
        return CertificationEvent.Kind.EARNED
    if result.level < old_level:
        if result.state == "expired":
            return CertificationEvent.Kind.EXPIRED
        return CertificationEvent.Kind.DEMOTED
    if (
        result.expires_at is not None
        and old_expiry is not None
        and result.expires_at > old_expiry
    ):
        return CertificationEvent.Kind.RECERTIFIED
    return ""


@transaction.atomic
def certification_recompute(
    *,
    user_ids: Iterable[int] | None = None,
    now: dt.datetime | None = None,
    actor: User | None = None,
    note: str = "",
    event_kind: str = "",
) -> dict[int, int]:
    """Recompute and store the certification of ``user_ids`` (everybody when None);
    returns {user id: new level} for those whose level changed."""
    now = now or timezone.now()
    rules = level_rules()
    if not rules:
        # No ladder set up yet: levels stay as they are (nothing to compute from).
        return {}
    profiles = Profile.objects.select_for_update().order_by("id")
    if user_ids is not None:
        profiles = profiles.filter(user_id__in=list(user_ids))
    profiles = list(
        profiles.only(
            "id",
            "user_id",
            "team_id",
            "certification",
            "certification_state",
            "certification_expires_at",
        )
    )
    changed: dict[int, int] = {}
    lowered: dict[int, int] = {}
    # The records in one pass over the events (a scan each, whatever the number
    # of people), the writes in batches.
    records = records_for([p.user_id for p in profiles], rules)
    for start in range(0, len(profiles), RECOMPUTE_BATCH):
        batch = profiles[start : start + RECOMPUTE_BATCH]
        dirty, events = [], []
        raised_teams: set[int] = set()
        for profile in batch:
            result = compute(rules, records[profile.user_id], now, explain=False)
            old = (
                profile.certification,
                profile.certification_state,
                profile.certification_expires_at,
            )
            new = (result.level, result.state, result.expires_at)
            if old == new:
                continue
            kind = event_kind or _event_kind(old[0], old[1], result, old[2])
            profile.certification, profile.certification_state = new[0], new[1]
            profile.certification_expires_at = new[2]
            dirty.append(profile)
            if kind:
                events.append(
                    CertificationEvent(
                        user_id=profile.user_id,
                        kind=kind,
                        level=result.level,
                        previous_level=old[0],
                        expires_at=result.expires_at,
                        note=note,
                        actor=actor,
                        created_at=now,
                    )
                )
            if result.level != old[0]:
                changed[profile.user_id] = result.level
            if result.level < old[0]:
                lowered[profile.user_id] = result.level
            elif result.level > old[0] and profile.team_id:
                raised_teams.add(profile.team_id)
        _store_levels(dirty)
        CertificationEvent.objects.bulk_create(events)
        for team_id in raised_teams:
            pipeline.team_capacity_changed(team_id=team_id)
    if lowered:
        pipeline.certifications_lowered(levels=lowered)
    return changed


@transaction.atomic
def certification_revoke(*, user_id: int, reason: str, actor: User) -> Revocation:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("reason_required", _("Say why the certification is revoked."))
    if not Profile.objects.filter(user_id=user_id).exists():
        raise NotFound("not_found", _("No such person."))
    if Revocation.objects.filter(user_id=user_id, reinstated_at__isnull=True).exists():
        raise Conflict("already_revoked", _("This certification is already revoked."))
    revocation = Revocation.objects.create(
        user_id=user_id, reason=reason, revoked_by=actor
    )
    certification_recompute(
        user_ids=[user_id],
        actor=actor,
        note=reason,
        event_kind=CertificationEvent.Kind.REVOKED,
    )
    return revocation


@transaction.atomic
def certification_reinstate(*, user_id: int, actor: User, note: str = "") -> None:
    revocation = (
        Revocation.objects.select_for_update()
        .filter(user_id=user_id, reinstated_at__isnull=True)
        .first()
    )
    if revocation is None:
        raise Conflict("not_revoked", _("This certification is not revoked."))
    revocation.reinstated_at = timezone.now()
    revocation.reinstated_by = actor
    revocation.reinstate_note = (note or "").strip()
    revocation.save(update_fields=["reinstated_at", "reinstated_by", "reinstate_note"])
    certification_recompute(
        user_ids=[user_id],
        actor=actor,
        note=revocation.reinstate_note,
        event_kind=CertificationEvent.Kind.REINSTATED,
    )


def certification_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Beat's daily pass: expire what ran out, remind 30 and 7 days before."""
    now = now or timezone.now()
    due = list(
        Profile.objects.filter(
            certification_expires_at__isnull=False, certification_expires_at__lte=now
        ).values_list("user_id", flat=True)
    )
    expired = len(certification_recompute(user_ids=due, now=now)) if due else 0
    reminded = 0
    for days in sorted(REMINDER_DAYS, reverse=True):
        soon = Profile.objects.filter(
            certification_state="valid",
            certification_expires_at__gt=now,
            certification_expires_at__lte=now + dt.timedelta(days=days),
        ).values_list("user_id", "certification", "certification_expires_at")
        for user_id, level, expires_at in soon:
            key = f"{days}:{expires_at.date().isoformat()}"
            _event, created = CertificationEvent.objects.get_or_create(
                user_id=user_id,
                kind=CertificationEvent.Kind.REMINDER,
                key=key,
                defaults={
                    "level": level,
                    "previous_level": level,
                    "expires_at": expires_at,
                },
            )
            if created:
                reminded += 1
                pipeline.notify(
                    user_ids=[user_id],
                    kind="ambassadors.certification_expiring",
                    params={
                        "days": days,
                        "expires_at": timezone.localtime(expires_at).date().isoformat(),
                    },
                    url="/ambassadors/certification/",
                    dedupe_key=f"certification:{user_id}:{key}",
                )
    return {"expired": expired, "reminded": reminded}


def certification_history(*, user_id: int) -> list[CertificationEvent]:
    return list(
        CertificationEvent.objects.filter(user_id=user_id)
        .select_related("actor")
        .order_by("-created_at", "-id")[:50]
    )


def people_by_level() -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for level in Profile.objects.values_list("certification", flat=True):
        counts[level] += 1
    return dict(counts)
