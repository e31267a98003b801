"""Levels are earned from the records, stored for routing, and kept with their
history: earned, reminders, expiry, recertification, revocation, reinstatement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ambassadors.certification.services import (
    certification_recompute,
    certification_reinstate,
    certification_revoke,
    certification_sweep,
)
from ambassadors.errors import Conflict, Invalid
from ambassadors.models import Certification, CertificationEvent, Level, PointEvent
from ambassadors.tasks import record_activity
from ambassadors.training.services import attempt_start, attempt_submit
from tests.ambassadors.conftest import answer_key, person

pytestmark = pytest.mark.django_db


def level_of(user) -> int:
    user.profile.refresh_from_db()
    return user.profile.certification


def pass_course(user, course, *, now=None):
    attempt = attempt_start(user=user, course_id=course.pk, now=now)
    return attempt_submit(
        user=user, attempt_id=attempt.pk, answers=answer_key(course.quiz), now=now
    )


def approve(user, n, *, start=0):
    for i in range(start, start + n):
        record_activity(user.pk, "reply_approved", f"reply:{user.pk}:{i}")


def test_all_courses_and_ten_approved_replies_make_a_professional(program):
    user = person("climber", level=1)
    assert level_of(user) == Certification.ENTHUSIAST
    for slug in ("customer-care", "escalation"):
        pass_course(user, program[slug])
    assert level_of(user) == Certification.ENTHUSIAST  # experience missing
    approve(user, 9)
    assert level_of(user) == Certification.ENTHUSIAST
    approve(user, 1, start=9)
    assert level_of(user) == Certification.PROFESSIONAL
    user.profile.refresh_from_db()
    assert user.profile.certification_expires_at is not None
    kinds = list(
        CertificationEvent.objects.filter(user=user).values_list("kind", "level")
    )
    assert ("earned", Certification.PROFESSIONAL) in kinds


def test_the_same_approval_reported_twice_counts_once(program):
    user = person("dup", level=1)
    for _ in range(3):
        record_activity(user.pk, "reply_approved", "reply:77")
    assert PointEvent.objects.filter(user=user, kind="reply_approved").count() == 1


def test_expert_needs_fifty_replies_and_a_csat_of_four(program):
    user = person("pro", level=2)
    for i in range(50):
        record_activity(user.pk, "reply_sent", f"sent:{i}")
    record_activity(user.pk, "csat_answer", "csat:1", value=3.0)
    assert level_of(user) == Certification.PROFESSIONAL  # average 3.0 < 4.0
    record_activity(user.pk, "csat_answer", "csat:2", value=5.0)
    record_activity(user.pk, "csat_answer", "csat:3", value=5.0)
    assert level_of(user) == Certification.EXPERT  # average 4.33


def test_courses_must_be_passed_within_the_levels_window(program):
    Level.objects.filter(rank=2).update(courses_within_days=30)
    user = person("late", level=1)  # orientation passed 40 days ago (demo records)
    for slug in ("customer-care", "escalation"):
        pass_course(user, program[slug])
    approve(user, 10)
    assert level_of(user) == Certification.ENTHUSIAST
    # Retaking the orientation brings every pass within the window.
    from ambassadors.models import Quiz

    Quiz.objects.update(cooldown_minutes=0)
    pass_course(user, program["orientation"])
    assert level_of(user) == Certification.PROFESSIONAL


def test_reminders_30_and_7_days_before_then_expiry_then_recertification(program):
    now = timezone.now()
    user = person("annual", level=2)
    expires = user.profile.certification_expires_at
    assert expires is not None
    assert certification_sweep(now=expires - dt.timedelta(days=40))["reminded"] == 0
    assert certification_sweep(now=expires - dt.timedelta(days=29))["reminded"] == 1
    # The same reminder is never sent twice.
    assert certification_sweep(now=expires - dt.timedelta(days=28))["reminded"] == 0
    assert certification_sweep(now=expires - dt.timedelta(days=6))["reminded"] == 1
    reminders = CertificationEvent.objects.filter(user=user, kind="reminder")
    assert sorted(e.key.split(":")[0] for e in reminders) == ["30", "7"]
    # Expiry: back to Enthusiast (replies go back to approval), state "expired".
    after = expires + dt.timedelta(hours=1)
    assert certification_sweep(now=after)["expired"] == 1
    user.profile.refresh_from_db()
    assert user.profile.certification == Certification.ENTHUSIAST
    assert user.profile.certification_state == "expired"
    assert CertificationEvent.objects.filter(user=user, kind="expired").exists()
    # The refresher quiz recertifies, for another year from the pass.
    pass_course(user, program["refresher"], now=after + dt.timedelta(minutes=5))
    user.profile.refresh_from_db()
    assert user.profile.certification == Certification.PROFESSIONAL
    assert user.profile.certification_state == "valid"
    assert user.profile.certification_expires_at > after + dt.timedelta(days=364)
    assert CertificationEvent.objects.filter(user=user, kind="recertified").exists()
    assert now < after


def test_revocation_with_a_reason_and_reinstatement(program):
    manager = person("boss", role="manager")
    user = person("naughty", level=2)
    with pytest.raises(Invalid):
        certification_revoke(user_id=user.pk, reason="  ", actor=manager)
    certification_revoke(
        user_id=user.pk, reason="Posted an order number", actor=manager
    )
    user.profile.refresh_from_db()
    assert user.profile.certification == Certification.NONE
    assert user.profile.certification_state == "revoked"
    with pytest.raises(Conflict):
        certification_revoke(user_id=user.pk, reason="again", actor=manager)
    # Passing a quiz while revoked changes nothing.
    approve(user, 3, start=100)
    assert level_of(user) == Certification.NONE
    certification_reinstate(user_id=user.pk, actor=manager, note="Retrained")
    assert level_of(user) == Certification.PROFESSIONAL
    events = list(
        CertificationEvent.objects.filter(user=user)
        .order_by("created_at", "id")
        .values_list("kind", "note")
    )
    assert ("revoked", "Posted an order number") in events
    assert ("reinstated", "Retrained") in events


def test_a_level_rule_change_recomputes_everybody(program):
    people = [person(f"p{i}", level=2) for i in range(3)]
    Level.objects.filter(rank=2).update(approved_replies=20)
    changed = certification_recompute()
    assert changed == {p.pk: Certification.ENTHUSIAST for p in people}
    assert all(level_of(p) == Certification.ENTHUSIAST for p in people)
    assert CertificationEvent.objects.filter(kind="demoted").count() == 3


def test_a_population_demoted_at_once_is_handed_to_routing_in_few_messages(
    program, sent_tasks, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("dellsocial.pipeline.CERTIFICATION_LOWERED_BATCH", 2)
    people = [person(f"d{i}", level=2) for i in range(5)]
    Level.objects.filter(rank=2).update(approved_replies=20)
    sent_tasks.clear()
    with django_capture_on_commit_callbacks(execute=True):
        certification_recompute()
    lowered = [args for name, args in sent_tasks if name.endswith("_lowered")]
    assert [name for name, _ in sent_tasks if name.endswith("_lowered")] == [
        "engagement.certifications_lowered"
    ] * 3
    assert sorted(pair for (chunk,) in lowered for pair in chunk) == sorted(
        [p.pk, Certification.ENTHUSIAST] for p in people
    )


def test_the_n_th_approval_dates_the_level_even_with_ties(program):
    """A level is earned at the moment of its n-th approved reply; two approvals
    at the same instant count as two."""
    user = person("tied", level=1)
    moment = timezone.now() - dt.timedelta(days=3)
    for slug in ("customer-care", "escalation"):
        pass_course(user, program[slug], now=moment - dt.timedelta(days=20))
    for i in range(10):
        PointEvent.objects.create(
            user=user,
            kind="reply_approved",
            key=f"tie:{i}",
            points=5,
            occurred_at=moment if i >= 8 else moment - dt.timedelta(hours=10 - i),
        )
    certification_recompute(user_ids=[user.pk])
    user.profile.refresh_from_db()
    assert user.profile.certification == Certification.PROFESSIONAL
    earned = CertificationEvent.objects.get(user=user, kind="earned", level=2)
    assert earned.expires_at is not None
    rule = Level.objects.get(rank=2)
    assert earned.expires_at == moment + dt.timedelta(days=rule.validity_days)


def test_without_a_ladder_levels_are_left_alone(db):
    from ambassadors.models import Profile
    from ambassadors.services import user_create

    user = user_create(username="legacy", password="pw-legacy-2010")
    Profile.objects.filter(user=user).update(certification=Certification.PROFESSIONAL)
    assert certification_recompute() == {}
    assert level_of(user) == Certification.PROFESSIONAL
