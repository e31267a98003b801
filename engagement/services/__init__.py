"""Every write of engagement goes through these functions (the pages, the API and
the tasks call them; nothing else saves an engagement row), by subject:

- ``cases``: assign, status, priority, team, labels, notes, escalation;
- ``replies``: draft, create, follow-up, retry; ``approvals``: approve, reject;
- ``compose``: the composer's reply with a coupon code or a survey link attached
  (``offers`` issues them through coupons and surveys); ``bulk``: bulk actions;
- ``routing``: mentions into cases, and cases to ambassadors; ``sla``: due times and
  breaches; ``delivery``: posting replies; ``policy``: the reply policy;
- ``csat``: the satisfaction survey after a resolved case;
- ``access``: who may do what to a case or a reply; ``analysis``: a manager's
  sentiment correction; ``demo``: the demo data.

Import from here: ``from engagement.services import case_assign``.
"""

from .access import (
    can_work_case,
    require_approver,
    require_manager,
    require_retry,
    require_work_case,
)
from .analysis import (
    case_mention_sentiment_correct,
    mention_verdict_record,
)
from .approvals import (
    reply_approve,
    reply_reject,
)
from .bulk import (
    BULK_ACTIONS,
    BULK_ASSIGN,
    BULK_LABEL,
    BULK_RESOLVE,
    BULK_SPAM,
    BulkResult,
    cases_bulk_apply,
)
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
from .compose import (
    attachment_line,
    compose_text,
    reply_compose,
    reply_compose_draft,
)
from .csat import (
    case_csat_send,
    cases_csat_sweep,
)
from .delivery import (
    DeliveryOutcome,
    replies_to_redeliver,
    reply_deliver,
)
from .demo import (
    demo_history_settle,
    demo_seed,
)
from .events import case_lock, event_add
from .offers import (
    case_coupon_issue,
    case_customer,
    case_survey_link_create,
    coupon_placeholder,
    offers_attach_reply,
    survey_placeholder,
)
from .policy import (
    Violation,
    reply_policy_check,
)
from .replies import (
    ReplyDraft,
    approval_reason,
    policy_violation,
    reply_create,
    reply_draft,
    reply_enqueue_delivery,
    reply_followup_create,
    reply_lock,
    reply_retry,
)
from .routing import (
    AssignmentOption,
    RouteResult,
    assignment_options,
    cases_assign_waiting,
    mentions_route,
)
from .sla import (
    case_sla_first_response,
    case_sla_pause,
    case_sla_resolution,
    case_sla_resume,
    case_sla_set_targets,
    cases_sla_check,
    cases_sla_warn,
)
from .sweep import mentions_route_unrouted

__all__ = [
    "mention_verdict_record",
    "mentions_route_unrouted",
    "case_csat_send",
    "cases_csat_sweep",
    "BULK_ACTIONS",
    "BULK_ASSIGN",
    "BULK_LABEL",
    "BULK_RESOLVE",
    "BULK_SPAM",
    "AssignmentOption",
    "BulkResult",
    "DeliveryOutcome",
    "ReplyDraft",
    "RouteResult",
    "Violation",
    "approval_reason",
    "assignment_options",
    "attachment_line",
    "can_work_case",
    "case_add_note",
    "case_assign",
    "case_coupon_issue",
    "case_customer",
    "case_escalate",
    "case_mention_sentiment_correct",
    "case_set_labels",
    "case_set_priority",
    "case_set_status",
    "case_set_team",
    "case_sla_first_response",
    "case_sla_pause",
    "case_sla_resolution",
    "case_sla_resume",
    "case_sla_set_targets",
    "case_survey_link_create",
    "cases_assign_waiting",
    "cases_bulk_apply",
    "cases_sla_check",
    "cases_sla_warn",
    "compose_text",
    "coupon_placeholder",
    "demo_history_settle",
    "demo_seed",
    "case_lock",
    "event_add",
    "mentions_route",
    "offers_attach_reply",
    "policy_violation",
    "replies_to_redeliver",
    "reply_approve",
    "reply_compose",
    "reply_compose_draft",
    "reply_create",
    "reply_deliver",
    "reply_draft",
    "reply_enqueue_delivery",
    "reply_followup_create",
    "reply_lock",
    "reply_policy_check",
    "reply_reject",
    "reply_retry",
    "require_approver",
    "require_manager",
    "require_retry",
    "require_work_case",
    "survey_placeholder",
    "team_queue_changed",
    "user_by_username",
]
