"""The shared view decorator and the role checks next to the roles."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from ambassadors.models import Role
from ambassadors.permissions import is_admin, is_ambassador, is_manager
from ambassadors.services import user_create
from common.permissions import allowed


@allowed(is_manager)
def managers_only(request):
    return HttpResponse("ok")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "admin", "manager", "ambassador"),
    [
        (Role.ADMIN, True, True, False),
        (Role.MANAGER, False, True, False),
        (Role.AMBASSADOR, False, False, True),
    ],
)
def test_each_role_is_what_it_says(role, admin, manager, ambassador):
    user = user_create(username=f"u-{role}", password="pw-long-enough-1", role=role)
    assert is_admin(user) is admin
    assert is_manager(user) is manager
    assert is_ambassador(user) is ambassador


def test_nobody_signed_out_has_a_role():
    anonymous = AnonymousUser()
    assert not is_admin(anonymous)
    assert not is_manager(anonymous)
    assert not is_ambassador(anonymous)


@pytest.mark.django_db
def test_the_decorator_refuses_the_wrong_role_and_sends_strangers_to_sign_in():
    factory = RequestFactory()
    request = factory.get("/x/")
    request.user = AnonymousUser()
    assert managers_only(request).status_code == 302
    request.user = user_create(
        username="amb", password="pw-long-enough-1", role=Role.AMBASSADOR
    )
    with pytest.raises(PermissionDenied):
        managers_only(request)
    request.user = user_create(
        username="cm", password="pw-long-enough-1", role=Role.MANAGER
    )
    assert managers_only(request).content == b"ok"
