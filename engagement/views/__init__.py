"""Pages of the triage dashboard (server-rendered, enhanced with htmx)."""

from .approvals import approvals, reply_approve_view, reply_reject_view
from .case import (
    case_assign_view,
    case_assignees_view,
    case_detail_view,
    case_escalate_view,
    case_fresh_view,
    case_labels_view,
    case_note_view,
    case_priority_view,
    case_sentiment_view,
    case_status_view,
    case_team_view,
    contact_link_view,
    contact_note_view,
    contact_unlink_view,
    mention_case_view,
    people_suggest_view,
)
from .composer import (
    canned_search,
    composer_check,
    replies_fragment,
    reply_retry_view,
    reply_send,
)
from .review import needs_human, needs_human_verdict
from .tokens import api_token
from .triage import queue, queue_assignees, queue_bulk, queue_poll, queue_rows

__all__ = [
    "api_token",
    "approvals",
    "canned_search",
    "case_assign_view",
    "case_assignees_view",
    "case_detail_view",
    "people_suggest_view",
    "case_escalate_view",
    "case_fresh_view",
    "case_labels_view",
    "case_note_view",
    "contact_link_view",
    "contact_note_view",
    "contact_unlink_view",
    "case_priority_view",
    "case_sentiment_view",
    "case_status_view",
    "case_team_view",
    "mention_case_view",
    "composer_check",
    "needs_human",
    "needs_human_verdict",
    "queue",
    "queue_assignees",
    "queue_bulk",
    "queue_poll",
    "queue_rows",
    "replies_fragment",
    "reply_approve_view",
    "reply_reject_view",
    "reply_retry_view",
    "reply_send",
]
