"""Writes of publishing: accounts, posts and their versions, approval, schedule,
delivery, metrics."""

from .accounts import brand_accounts_sync, demo_seed
from .delivery import Outcome, post_target_deliver, post_target_retry, targets_due
from .images import post_image_store
from .metrics import PollReport, calls_left, metrics_poll
from .posts import (
    post_approve,
    post_cancel,
    post_create,
    post_reschedule,
    post_update,
    schedule_parse,
)
from .rules import approval_reason, policy_get, version_check

__all__ = [
    "Outcome",
    "PollReport",
    "approval_reason",
    "brand_accounts_sync",
    "calls_left",
    "demo_seed",
    "metrics_poll",
    "policy_get",
    "post_approve",
    "post_cancel",
    "post_create",
    "post_image_store",
    "post_reschedule",
    "post_target_deliver",
    "post_target_retry",
    "post_update",
    "schedule_parse",
    "targets_due",
    "version_check",
]
