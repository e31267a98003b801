"""Cases and replies over REST (token authentication), with the caller's role and
reach: outside reach an object is 404, inside it a forbidden action is 403. Every
error is ``{"code", "message"}`` (plus ``details`` for policy violations)."""

from django.urls import path

from .cases import CaseAssign, CaseDetail, CaseList, CaseReplies, CaseSetStatus
from .contacts import CaseContact, CaseContactNotes
from .replies import ReplyApprove, ReplyDetail, ReplyReject, ReplyRetry

__all__ = ["api_urlpatterns"]

api_urlpatterns = [
    path("cases/", CaseList.as_view(), name="api-case-list"),
    path("cases/<int:pk>/", CaseDetail.as_view(), name="api-case-detail"),
    path("cases/<int:pk>/assign/", CaseAssign.as_view(), name="api-case-assign"),
    path("cases/<int:pk>/status/", CaseSetStatus.as_view(), name="api-case-status"),
    path("cases/<int:pk>/replies/", CaseReplies.as_view(), name="api-case-replies"),
    path("cases/<int:pk>/contact/", CaseContact.as_view(), name="api-case-contact"),
    path(
        "cases/<int:pk>/contact/notes/",
        CaseContactNotes.as_view(),
        name="api-case-contact-notes",
    ),
    path("replies/<int:pk>/", ReplyDetail.as_view(), name="api-reply-detail"),
    path("replies/<int:pk>/approve/", ReplyApprove.as_view(), name="api-reply-approve"),
    path("replies/<int:pk>/reject/", ReplyReject.as_view(), name="api-reply-reject"),
    path("replies/<int:pk>/retry/", ReplyRetry.as_view(), name="api-reply-retry"),
]
