"""Replies over REST: detail, approve, reject, retry."""

from __future__ import annotations

from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework.response import Response

from common.api import error_responses
from common.scopes import CASES_READ, CASES_WRITE

from ..selectors import reply_get_for_user
from ..services import (
    reply_approve,
    reply_reject,
    reply_retry,
)
from .base import EngagementAPIView
from .serializers import ApproveInput, RejectInput, ReplySerializer


class ReplyDetail(EngagementAPIView):
    required_scope = CASES_READ

    @extend_schema(responses={200: ReplySerializer, **error_responses(401, 404)})
    def get(self, request, pk: int):
        """A reply: its status, the platform's id once sent, the error if failed."""
        reply = reply_get_for_user(user=request.user, reply_id=pk)
        return Response(ReplySerializer(reply).data)


class ReplyApprove(EngagementAPIView):
    required_scope = CASES_WRITE

    @extend_schema(
        request=ApproveInput,
        responses={200: ReplySerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        """Approve a reply waiting for approval, optionally edited (managers; never
        one's own reply)."""
        data = self.input(ApproveInput)
        reply = reply_approve(
            reply_id=pk,
            text=data.get("text"),
            note=data.get("note", ""),
            actor=request.user,
        )
        return Response(ReplySerializer(reply).data)


class ReplyReject(EngagementAPIView):
    required_scope = CASES_WRITE

    @extend_schema(
        request=RejectInput,
        responses={200: ReplySerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        """Reject a reply waiting for approval, with a reason (managers)."""
        data = self.input(RejectInput)
        reply = reply_reject(reply_id=pk, reason=data["reason"], actor=request.user)
        return Response(ReplySerializer(reply).data)


class ReplyRetry(EngagementAPIView):
    required_scope = CASES_WRITE

    @extend_schema(
        request=None,
        responses={200: ReplySerializer, **error_responses(401, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        """Queue a failed reply again (it is looked up on the platform before being
        posted, so it is never posted twice)."""
        reply = reply_retry(reply_id=pk, actor=request.user)
        return Response(ReplySerializer(reply).data)
