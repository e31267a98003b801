"""Saved views: a named filter set of the queue, for oneself or (managers) a team."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from ambassadors.models import Team
from ambassadors.permissions import is_manager
from common.errors import invalid, not_allowed, not_found

from ..models import SavedView
from ..selectors.queue import VIEWS

NAME_MAX = 60
QUERY_MAX = 500
SAVED_VIEWS_PER_OWNER = 20


@transaction.atomic
def saved_view_create(
    *,
    actor: User,
    name: str,
    base_view: str,
    query: str,
    team_id: int | None = None,
) -> SavedView:
    """Save the queue's current view and filters under ``name``: for the actor, or
    for a whole team (community managers and admins only)."""

    name = " ".join((name or "").split())[:NAME_MAX]
    if not name:
        raise invalid("name_required", _("Give the view a name."))
    if base_view not in VIEWS:
        raise invalid("invalid_view", _("Unknown view."))
    if len(query or "") > QUERY_MAX:
        raise invalid("filters_too_long", _("Too many filters to save."))
    team = None
    if team_id is not None:
        if not is_manager(actor):
            raise not_allowed(
                "team_view_not_allowed",
                _("Only a community manager saves a view for a team."),
            )
        team = Team.objects.filter(pk=team_id).first()
        if team is None:
            raise invalid("invalid_team", _("Unknown team."))
    owner = None if team is not None else actor
    count = SavedView.objects.filter(owner=owner, team=team, created_by=actor).count()
    if count >= SAVED_VIEWS_PER_OWNER:
        raise invalid(
            "too_many_views",
            _("At most %(n)d saved views; delete one first.")
            % {"n": SAVED_VIEWS_PER_OWNER},
        )
    return SavedView.objects.create(
        name=name,
        owner=owner,
        team=team,
        base_view=base_view,
        query=query or "",
        created_by=actor,
    )


@transaction.atomic
def saved_view_delete(*, actor: User, view_id: int) -> None:
    view = SavedView.objects.select_for_update().filter(pk=view_id).first()
    if view is None:
        raise not_found("not_found", _("No such view."))
    mine = view.owner_id == actor.pk or view.created_by_id == actor.pk
    if not (mine or (view.team_id is not None and is_manager(actor))):
        raise not_found("not_found", _("No such view."))
    view.delete()
