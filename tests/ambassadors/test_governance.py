"""Handles approved by a manager, the policy accepted per version, and the audit
log of every change (browsable and filterable by admins)."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from ambassadors.errors import Invalid, NotFound
from ambassadors.governance.services import (
    handle_register,
    handle_review,
    policy_accept,
    policy_accepted,
    policy_publish,
)
from ambassadors.models import PlatformHandle, Team
from tests.ambassadors.conftest import api, person

pytestmark = pytest.mark.django_db


def test_a_handle_waits_for_a_manager_who_approves_or_refuses_with_a_note(program):
    amb = person("amb", level=1, handles={})
    boss = person("boss", role="manager")
    handle = handle_register(
        user=amb, platform="twitter", handle="@DellAmb", disclosure="Dell employee"
    )
    assert handle.status == "pending" and handle.handle == "DellAmb"
    with pytest.raises(Invalid) as no_note:
        handle_review(handle_id=handle.pk, actor=boss, approve=False)
    assert no_note.value.code == "note_required"
    handle_review(
        handle_id=handle.pk, actor=boss, approve=False, note="Use your work name"
    )
    handle.refresh_from_db()
    assert handle.status == "refused" and handle.review_note == "Use your work name"
    # Registering again asks again.
    again = handle_register(
        user=amb, platform="twitter", handle="DellWang", disclosure="Dell employee"
    )
    assert again.pk == handle.pk and again.status == "pending"
    handle_review(handle_id=handle.pk, actor=boss, approve=True)
    assert PlatformHandle.objects.get(pk=handle.pk).status == "approved"


def test_a_handle_must_disclose_and_only_managers_review(program):
    amb = person("amb", level=1, handles={})
    with pytest.raises(Invalid) as refused:
        handle_register(
            user=amb, platform="weibo", handle="小王", disclosure="我爱电脑"
        )
    assert refused.value.code == "disclosure_required"
    handle = handle_register(
        user=amb, platform="weibo", handle="小王", disclosure="戴尔员工"
    )
    peer = person("peer", level=2)
    with pytest.raises(NotFound):
        handle_review(handle_id=handle.pk, actor=peer, approve=True)


def test_the_handles_api_registers_and_approves_with_codes_for_bad_input(program):
    amb = person("amb", level=1, handles={})
    boss = person("boss", role="manager")
    bad = api(amb).post(
        "/api/v1/ambassadors/handles/",
        {"platform": "myspace", "handle": "x", "disclosure": "戴尔员工"},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "unknown_platform"
    missing = api(amb).post("/api/v1/ambassadors/handles/", {}, format="json")
    assert missing.status_code == 400 and missing.json()["code"] == "invalid"
    made = api(amb).post(
        "/api/v1/ambassadors/handles/",
        {"platform": "weibo", "handle": "戴尔小王", "disclosure": "戴尔员工 小王"},
        format="json",
    )
    assert made.status_code == 201 and made.json()["status"] == "pending"
    handle_id = made.json()["id"]
    assert (
        api(amb).post(f"/api/v1/ambassadors/handles/{handle_id}/approve/").status_code
        == 404
    )
    approved = api(boss).post(
        f"/api/v1/ambassadors/handles/{handle_id}/approve/",
        {"note": "ok"},
        format="json",
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    me = api(amb).get("/api/v1/ambassadors/me/").json()
    assert me["certification"]["rank"] == 1
    assert [h["handle"] for h in me["handles"]] == ["戴尔小王"]
    assert me["points"]["all"] >= 20  # the orientation passed


def test_a_new_policy_version_asks_again(program):
    amb = person("amb", level=1)
    assert policy_accepted(user=amb)
    admin = person("root", role="admin")
    v2 = policy_publish(title_zh="政策第二版", body_zh="新内容", actor=admin)
    assert v2.version == 2 and not policy_accepted(user=amb)
    policy_accept(user=amb, version=2)
    assert policy_accepted(user=amb)


def test_changes_are_in_the_audit_log_and_admins_filter_it(program, client):
    admin = person("root", role="admin")
    team = Team.objects.create(slug="gaming", name="Gaming")
    team.name = "Alienware gaming"
    team.save()
    entries = LogEntry.objects.get_for_object(team)
    assert entries.count() == 2
    assert entries.first().changes_dict["name"] == ["Gaming", "Alienware gaming"]
    client.force_login(admin)
    page = client.get("/ambassadors/manage/audit/", {"object": "Alienware"})
    assert page.status_code == 200
    assert "Alienware gaming" in page.content.decode()
    other = client.get("/ambassadors/manage/audit/", {"object": "no-such-thing"})
    assert "Alienware gaming" not in other.content.decode()
    client.force_login(person("boss", role="manager"))
    assert client.get("/ambassadors/manage/audit/").status_code == 403
