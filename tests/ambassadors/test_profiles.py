import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ambassadors.demo import demo_seed
from ambassadors.models import Availability, Certification, PlatformHandle, Role, Team
from ambassadors.services import (
    profile_set_availability,
    profile_set_handles,
    profile_update,
    user_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def amb():
    return user_create(username="amb", password="pw-123456789")


def test_a_profile_holds_what_routing_needs(amb):
    team = Team.objects.create(slug="support", name="Support")
    profile_update(
        profile=amb.profile,
        team=team,
        department="customer_care",
        languages=["zh", "en"],
        capacity=7,
        work_days=[0, 1, 2],
        work_start=dt.time(8),
        work_end=dt.time(17),
        time_zone="Asia/Shanghai",
        disclosure_signature="—戴尔员工",
        handles={"weibo": "@戴尔小王", "twitter": "DellWang"},
    )
    amb.profile.refresh_from_db()
    assert amb.profile.team == team
    assert amb.profile.capacity == 7
    assert dict(amb.profile.handles.values_list("platform", "handle")) == {
        "weibo": "戴尔小王",
        "twitter": "DellWang",
    }


@pytest.mark.parametrize(
    "changes",
    [
        {"work_days": [7]},
        {"languages": "zh"},
        {"time_zone": "Mars/Base"},
        {"department": "astrology"},
    ],
)
def test_invalid_profile_values_are_refused(amb, changes):
    with pytest.raises(ValidationError):
        profile_update(profile=amb.profile, **changes)


def test_an_empty_handle_removes_it(amb):
    profile_set_handles(profile=amb.profile, handles={"weibo": "wang"})
    profile_set_handles(profile=amb.profile, handles={"weibo": ""})
    assert not PlatformHandle.objects.exists()


def test_an_unknown_platform_handle_is_refused(amb):
    with pytest.raises(ValidationError):
        profile_set_handles(profile=amb.profile, handles={"myspace": "wang"})


def test_availability_is_one_of_three(amb):
    profile_set_availability(user=amb, availability="away")
    assert amb.profile.__class__.objects.get().availability == Availability.AWAY
    with pytest.raises(ValidationError):
        profile_set_availability(user=amb, availability="asleep")


def test_the_demo_people_are_seeded_once(django_user_model):
    demo_seed(password="demo-pass-2010")
    demo_seed(password="other")
    names = set(django_user_model.objects.values_list("username", flat=True))
    assert names == {
        "admin",
        "manager",
        "ambassador1",
        "ambassador2",
        "ambassador3",
        "ambassador4",
        "ambassador5",
    }
    admin = django_user_model.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password("demo-pass-2010")
    levels = {
        u.username: u.profile.certification
        for u in django_user_model.objects.filter(profile__role=Role.AMBASSADOR)
    }
    # Every step of the ladder, earned from the demo's records.
    assert levels == {
        "ambassador1": Certification.PROFESSIONAL,
        "ambassador2": Certification.EXPERT,
        "ambassador3": Certification.PROFESSIONAL,
        "ambassador4": Certification.ENTHUSIAST,
        "ambassador5": Certification.NONE,
    }
    assert Team.objects.filter(is_default=True).count() == 1
