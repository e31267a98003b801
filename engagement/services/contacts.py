"""Linked identities: a manager links the same customer's accounts on several
platforms into one contact (and unlinks them), and adds contact notes about the
person. Every link, unlink and note is recorded by the audit log with its actor."""

from __future__ import annotations

from auditlog.context import set_actor
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from common.errors import conflict, invalid, not_found
from listening.models import Author, Platform

from ..models import Contact, ContactIdentity, ContactNote
from ..selectors import case_get_for_user
from .access import require_manager

# A contact note: a few paragraphs at most.
CONTACT_NOTE_MAX = 2000


def _lock_author(author_id: int) -> Author:
    author = Author.objects.select_for_update().filter(pk=author_id).first()
    if author is None:
        raise not_found("no_author", _("No such identity."))
    return author


def _contact_of(author: Author, actor: User) -> Contact:
    """The author's contact, made (with this one identity) if it has none."""
    link = (
        ContactIdentity.objects.select_related("contact")
        .filter(author_id=author.pk)
        .first()
    )
    if link is not None:
        return link.contact
    contact = Contact.objects.create(created_by_id=actor.pk)
    ContactIdentity.objects.create(
        contact=contact, author=author, linked_by_id=actor.pk
    )
    return contact


def identity_find(*, platform: str, handle: str) -> Author | None:
    """The author known on ``platform`` by a screen name (with or without @) or a
    platform id."""
    handle = (handle or "").strip().lstrip("@")[:200]
    if platform not in Platform.values or not handle:
        return None
    return (
        Author.objects.filter(platform=platform)
        .filter(Q(screen_name__iexact=handle) | Q(external_id=handle))
        .order_by("id")
        .first()
    )


@transaction.atomic
def contact_link(*, case_id: int, platform: str, handle: str, actor: User) -> Contact:
    """Link another platform identity to the person behind a case (managers). When
    that identity already belongs to another contact, the two contacts become one
    (their identities and notes together)."""
    require_manager(actor)
    case = case_get_for_user(user=actor, case_id=case_id)
    if case.author_id is None:
        raise invalid("no_author", _("This case has no customer to link."))
    other = identity_find(platform=platform, handle=handle)
    if other is None:
        raise invalid(
            "unknown_identity",
            _("No one is known as %(handle)s on %(platform)s.")
            % {"handle": (handle or "").strip()[:60], "platform": platform[:20]},
        )
    if other.pk == case.author_id:
        raise invalid("same_identity", _("That is this case's own identity."))
    # Both authors locked in id order: two managers linking the same people at
    # once cannot make two contacts.
    first, second = sorted([case.author_id, other.pk])
    locked = {a.pk: a for a in (_lock_author(first), _lock_author(second))}
    with set_actor(actor):
        contact = _contact_of(locked[case.author_id], actor)
        link = ContactIdentity.objects.filter(author_id=other.pk).first()
        if link is None:
            ContactIdentity.objects.create(
                contact=contact, author=other, linked_by_id=actor.pk
            )
        elif link.contact_id != contact.pk:
            absorbed = link.contact_id
            # Each identity moved is a delete and a create in the audit log.
            for identity in list(ContactIdentity.objects.filter(contact_id=absorbed)):
                author = identity.author
                identity.delete()
                ContactIdentity.objects.create(
                    contact=contact, author=author, linked_by_id=actor.pk
                )
            ContactNote.objects.filter(contact_id=absorbed).update(contact=contact)
            Contact.objects.filter(pk=absorbed).delete()
        else:
            raise conflict("already_linked", _("These identities are already linked."))
    return contact


@transaction.atomic
def contact_unlink(*, case_id: int, author_id: int, actor: User) -> Contact | None:
    """Take one identity out of the contact of a case's customer (managers). The
    contact keeps its notes while it has an identity; the last identity cannot
    be unlinked alone (the notes would belong to no one)."""
    require_manager(actor)
    case = case_get_for_user(user=actor, case_id=case_id)
    mine = (
        ContactIdentity.objects.filter(author_id=case.author_id).first()
        if case.author_id is not None
        else None
    )
    link = (
        ContactIdentity.objects.select_for_update()
        .filter(author_id=author_id, contact_id=mine.contact_id)
        .first()
        if mine is not None
        else None
    )
    if mine is None or link is None:
        raise not_found("not_linked", _("This identity is not linked to the case."))
    contact = mine.contact
    if ContactIdentity.objects.filter(contact=contact).count() <= 1:
        raise conflict("last_identity", _("A contact keeps at least one identity."))
    with set_actor(actor):
        link.delete()
    return contact


@transaction.atomic
def contact_note_add(*, case_id: int, text: str, actor: User) -> ContactNote:
    """A manager's note on the customer of a case (on their contact, made if the
    customer has none yet)."""
    require_manager(actor)
    case = case_get_for_user(user=actor, case_id=case_id)
    text = (text or "").strip()
    if not text:
        raise invalid("note_required", _("Write the note first."))
    if len(text) > CONTACT_NOTE_MAX:
        raise invalid(
            "note_too_long",
            _("A contact note has at most %(max)d characters.")
            % {"max": CONTACT_NOTE_MAX},
        )
    if case.author_id is None:
        raise invalid("no_author", _("This case has no customer to note about."))
    author = _lock_author(case.author_id)
    with set_actor(actor):
        contact = _contact_of(author, actor)
        return ContactNote.objects.create(
            contact=contact, author_id=actor.pk, text=text
        )
