"""Who may do what to a case or a reply, checked by every service.

Reach (what a user may see at all) is ``engagement.selectors.cases_visible_to``;
outside it an object "does not exist" (404). Inside it, these checks say whether the
role and the user's relation to the object allow the action (403 otherwise):

| action                         | admin | manager | ambassador                        |
|--------------------------------|-------|---------|-----------------------------------|
| see a case                     | all   | all     | assigned to them, or their team's |
| work a case (status, reply,    | yes   | yes     | only when assigned to them        |
| priority, labels)              |       |         |                                   |
| assign to anyone, change team  | yes   | yes     | no                                |
| take an unassigned team case   | yes   | yes     | yes (to themselves)               |
| release (unassign)             | yes   | yes     | their own case                    |
| add an internal note           | yes   | yes     | any case they see                 |
| approve / reject a reply       | yes, never their own reply | no                   |
| retry a failed reply           | yes   | yes     | their own reply on their case     |
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from ambassadors.models import Role
from ambassadors.permissions import is_manager
from ambassadors.selectors import user_role
from common.errors import not_allowed

from ..models import Case, Reply


def require_manager(user: User) -> None:
    if not is_manager(user):
        raise not_allowed(
            "manager_only", _("Only a community manager or an admin may do this.")
        )


def can_work_case(user: User, case: Case) -> bool:
    return is_manager(user) or (
        user_role(user) == Role.AMBASSADOR and case.assignee_id == user.pk
    )


def may_take(user: User, case: Case) -> bool:
    """An ambassador may take, for themselves, an active unassigned case of their
    team (``case_assign`` also checks eligibility and capacity when they do)."""
    profile = getattr(user, "profile", None)
    return (
        user_role(user) == Role.AMBASSADOR
        and case.is_active
        and case.assignee_id is None
        and case.team_id is not None
        and profile is not None
        and case.team_id == profile.team_id
    )


def may_release(user: User, case: Case) -> bool:
    """An ambassador may give back a case assigned to them."""
    return user_role(user) == Role.AMBASSADOR and case.assignee_id == user.pk


def require_work_case(user: User, case: Case) -> None:
    if not can_work_case(user, case):
        raise not_allowed(
            "not_assignee",
            _("Only the case's assignee or a community manager may do this."),
        )


def require_approver(user: User, reply: Reply) -> None:
    require_manager(user)
    if reply.author_id == user.pk:
        raise not_allowed("own_reply", _("Nobody approves or rejects their own reply."))


def require_retry(user: User, reply: Reply) -> None:
    if is_manager(user):
        return
    if reply.author_id == user.pk and reply.case.assignee_id == user.pk:
        return
    raise not_allowed(
        "not_reply_author",
        _("Only the reply's author (on their case) or a manager may retry it."),
    )
