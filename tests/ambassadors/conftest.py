"""Fixtures of the ambassador program: the SMaC ladder and people on its steps."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from ambassadors.demo import program_seed, records_seed
from ambassadors.models import Course, Quiz, Role, Team
from ambassadors.services import profile_update, user_create

PASSWORD = "pw-ambassador-2010"


@pytest.fixture
def program(db):
    program_seed()
    return {c.slug: c for c in Course.objects.all()}


@pytest.fixture
def team(db):
    return Team.objects.create(slug="support", name="Support", is_default=True)


def person(username, *, level=0, role=Role.AMBASSADOR, team=None, accept=True, **kw):
    user = user_create(username=username, password=PASSWORD, role=role)
    profile_update(
        profile=user.profile,
        team=team,
        languages=["zh", "en"],
        disclosure_signature=f"—戴尔员工 {username}",
        handles=kw.pop("handles", {"weibo": f"{username}_wb"}),
        work_days=[0, 1, 2, 3, 4, 5, 6],
        work_start=dt.time(0),
        work_end=dt.time(0),
        **kw,
    )
    records_seed(user=user, level=level, accept_policy=accept)
    user.refresh_from_db()
    return user


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def answer_key(quiz: Quiz) -> dict[str, list[str]]:
    return {
        str(q.pk): [str(c.pk) for c in q.choices.all() if c.correct]
        for q in quiz.questions.prefetch_related("choices")
    }


def wrong_answers(quiz: Quiz) -> dict[str, list[str]]:
    return {
        str(q.pk): [str(next(c.pk for c in q.choices.all() if not c.correct))]
        for q in quiz.questions.prefetch_related("choices")
    }
