"""Every write of engagement goes through these functions (the pages, the API and
the tasks call them; nothing else saves an engagement row)."""

from .cases import (
    case_add_note,
    case_assign,
    case_escalate,
    case_set_labels,
    case_set_priority,
    case_set_status,
    case_set_team,
    team_queue_changed,
    user_by_username,
)
from .delivery import DeliveryOutcome, replies_to_redeliver, reply_deliver
from .demo import demo_seed
from .policy import Violation, reply_policy_check
from .replies import (
    PolicyViolation,
    ReplyDraft,
    approval_reason,
    reply_approve,
    reply_create,
    reply_draft,
    reply_followup_create,
    reply_reject,
    reply_retry,
)
from .routing import (
    AssignmentOption,
    RouteResult,
    assignment_options,
    cases_assign_waiting,
    mentions_route,
)
from .sla import cases_sla_check
from .sweep import mentions_route_unrouted

__all__ = [
    "mentions_route_unrouted",
    "AssignmentOption",
    "assignment_options",
    "DeliveryOutcome",
    "PolicyViolation",
    "ReplyDraft",
    "RouteResult",
    "Violation",
    "approval_reason",
    "case_add_note",
    "case_assign",
    "case_escalate",
    "case_set_labels",
    "case_set_priority",
    "case_set_status",
    "case_set_team",
    "cases_assign_waiting",
    "cases_sla_check",
    "demo_seed",
    "mentions_route",
    "replies_to_redeliver",
    "reply_approve",
    "reply_create",
    "reply_deliver",
    "reply_draft",
    "reply_followup_create",
    "reply_policy_check",
    "reply_reject",
    "reply_retry",
    "team_queue_changed",
    "user_by_username",
]
