"""Reads of engagement, by subject, scoped to what the user may see and already
joined (a page or a serializer runs a constant number of queries whatever the number
of rows). Import from here: ``from engagement.selectors import cases_queue``.

- ``cases``: reach (``cases_visible_to``), one case (``case_detail``) and its thread;
- ``queue``: the triage queue, its views, pages, counts and neighbours;
- ``approvals``: replies waiting for approval, failed replies;
- ``sla``: SLA flags, a case's SLA state, the SLA report;
- ``compose``: canned responses; ``offers``: campaigns and surveys to attach;
- ``choices``: the filter bar and the assignable users; ``people``: profile, token.
"""

from .approvals import (
    APPROVAL_PAGE_SIZE,
    approval_count,
    approval_queue,
    replies_awaiting_approval,
    replies_failed,
)
from .cases import (
    case_detail,
    case_get_for_user,
    case_latest_mention_id,
    case_thread,
    cases_joined,
    cases_visible_to,
    mentions_visible_to,
    replies_visible_to,
    reply_get_for_user,
)
from .choices import (
    ASSIGNABLE_USERS_LIMIT,
    CHOICES_CACHE_SECONDS,
    FilterChoices,
    assignable_users,
    filter_choices,
)
from .compose import (
    CANNED_SEARCH_LIMIT,
    canned_response_render,
    canned_responses_search,
)
from .offers import (
    coupon_campaigns_for,
    surveys_for,
)
from .people import (
    user_profile,
)
from .queue import (
    COUNT_CACHE_SECONDS,
    COUNT_CAP,
    NEW_ROWS_LIMIT,
    QUEUE_PAGE_SIZE,
    SCAN_WINDOW,
    SORT_PRIORITY,
    SORT_WAITING,
    SORTS,
    VIEW_ALL,
    VIEW_BREACHING,
    VIEW_MINE,
    VIEW_SNOOZED,
    VIEW_TEAM,
    VIEW_UNASSIGNED,
    VIEWS,
    CappedCount,
    QueueFilters,
    QueuePage,
    case_neighbours,
    cases_for_api,
    cases_queue,
    cursor_decode,
    cursor_encode,
    dashboard_queue,
    queue_counts,
    queue_counts_by_view,
    queue_counts_forget,
    queue_max_id,
    queue_new_rows,
)
from .sla import (
    SlaState,
    case_sla_state,
    sla_report,
    with_sla_flags,
)

__all__ = [
    "mentions_visible_to",
    "APPROVAL_PAGE_SIZE",
    "ASSIGNABLE_USERS_LIMIT",
    "CANNED_SEARCH_LIMIT",
    "CHOICES_CACHE_SECONDS",
    "COUNT_CACHE_SECONDS",
    "COUNT_CAP",
    "CappedCount",
    "FilterChoices",
    "NEW_ROWS_LIMIT",
    "QUEUE_PAGE_SIZE",
    "QueueFilters",
    "QueuePage",
    "SCAN_WINDOW",
    "SORTS",
    "SORT_PRIORITY",
    "SORT_WAITING",
    "SlaState",
    "VIEWS",
    "VIEW_ALL",
    "VIEW_BREACHING",
    "VIEW_MINE",
    "VIEW_TEAM",
    "VIEW_SNOOZED",
    "VIEW_UNASSIGNED",
    "approval_count",
    "approval_queue",
    "assignable_users",
    "canned_response_render",
    "canned_responses_search",
    "case_detail",
    "case_get_for_user",
    "case_latest_mention_id",
    "case_neighbours",
    "case_sla_state",
    "case_thread",
    "cases_for_api",
    "cases_joined",
    "cases_queue",
    "cases_visible_to",
    "coupon_campaigns_for",
    "cursor_decode",
    "cursor_encode",
    "dashboard_queue",
    "filter_choices",
    "queue_counts",
    "queue_counts_by_view",
    "queue_counts_forget",
    "queue_max_id",
    "queue_new_rows",
    "replies_awaiting_approval",
    "replies_failed",
    "replies_visible_to",
    "reply_get_for_user",
    "sla_report",
    "surveys_for",
    "user_profile",
    "with_sla_flags",
]
