"""The customer of a case as one person: their linked platform identities and the
contact notes (read with cases:read; linking, unlinking and notes: managers, with
cases:write)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from common.api import error_responses
from common.scopes import CASES_READ, CASES_WRITE
from listening.models import Platform

from ..selectors import case_get_for_user
from ..selectors.history import contact_of_author
from ..services.contacts import (
    CONTACT_NOTE_MAX,
    contact_link,
    contact_note_add,
    contact_unlink,
)
from .base import EngagementAPIView


class IdentitySerializer(serializers.Serializer):
    author_id = serializers.IntegerField()
    platform = serializers.CharField(source="author.platform")
    external_id = serializers.CharField(source="author.external_id")
    screen_name = serializers.CharField(source="author.screen_name")
    linked_at = serializers.DateTimeField()
    linked_by = serializers.CharField(
        source="linked_by.username", default=None, allow_null=True
    )


class ContactNoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    author = serializers.CharField(
        source="author.username", default=None, allow_null=True
    )
    created_at = serializers.DateTimeField()


class ContactSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    identities = IdentitySerializer(many=True)
    notes = ContactNoteSerializer(many=True)


class LinkInput(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    handle = serializers.CharField(
        max_length=200, help_text="The other identity's screen name or platform id."
    )


class UnlinkInput(serializers.Serializer):
    author_id = serializers.IntegerField(min_value=1)


class ContactNoteInput(serializers.Serializer):
    text = serializers.CharField(max_length=CONTACT_NOTE_MAX)


def _contact_body(*, user, case_id: int) -> dict:
    case = case_get_for_user(user=user, case_id=case_id)
    contact = contact_of_author(author_id=case.author_id)
    if contact is None:
        return {"id": None, "identities": [], "notes": []}
    return ContactSerializer(contact).data


class CaseContact(EngagementAPIView):
    required_scope = {"GET": CASES_READ, "POST": CASES_WRITE, "DELETE": CASES_WRITE}

    @extend_schema(responses={200: ContactSerializer, **error_responses(401, 403, 404)})
    def get(self, request, pk: int):
        """The case's customer as one person: every linked platform identity and
        the contact notes (newest first)."""
        return Response(_contact_body(user=request.user, case_id=pk))

    @extend_schema(
        request=LinkInput,
        responses={201: ContactSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        """Link another platform identity to the case's customer (managers)."""
        data = self.input(LinkInput)
        contact_link(
            case_id=pk,
            platform=data["platform"],
            handle=data["handle"],
            actor=request.user,
        )
        body = _contact_body(user=request.user, case_id=pk)
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=UnlinkInput,
        responses={200: ContactSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def delete(self, request, pk: int):
        """Unlink one identity from the case's customer (managers)."""
        data = self.input(UnlinkInput)
        contact_unlink(case_id=pk, author_id=data["author_id"], actor=request.user)
        return Response(_contact_body(user=request.user, case_id=pk))


class CaseContactNotes(EngagementAPIView):
    required_scope = CASES_WRITE

    @extend_schema(
        request=ContactNoteInput,
        responses={201: ContactNoteSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request, pk: int):
        """Add a contact note about the case's customer (managers)."""
        data = self.input(ContactNoteInput)
        note = contact_note_add(case_id=pk, text=data["text"], actor=request.user)
        return Response(
            ContactNoteSerializer(note).data, status=status.HTTP_201_CREATED
        )
