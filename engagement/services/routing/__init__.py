"""Routing: analysed mentions → cases → rules → an eligible ambassador.

1. ``mentions_route`` groups a batch of mentions by conversation (platform, author,
   thread) and attaches each group to the conversation's active case, or opens a
   new one. A mention is linked at most once (``CaseMention.mention`` is unique, and
   the batch's mentions are row-locked while they are routed), so a redelivered
   batch changes nothing.
2. A new case runs the routing rules (team, priority, labels) and gets its SLA due
   times.
3. Auto-assignment picks, among the team's ambassadors who are eligible (available,
   in working hours, speak the language, have a handle on the platform, have the
   skills, are certified high enough, under capacity), the least loaded one, and
   among equals the one who waited longest for a case (round robin).

Capacity holds under concurrency because every assignment (here, in the drain of
waiting cases and in ``case_assign``) first row-locks the ambassadors' profiles and
only then counts their active cases: two workers assigning to the same team take
turns, each seeing the other's committed assignments. Locks are taken in a fixed
order (cases by id, then profiles by id, teams by id) so they cannot deadlock; the
drain, which locks profiles first, skips locked cases instead of waiting for them.

The package, by step: ``rules`` (facts and routing rules), ``eligibility`` (who may
take a case, and the locks), ``batch`` (``mentions_route``), ``waiting``
(``cases_assign_waiting``).
"""

from .batch import RouteResult, mentions_route
from .eligibility import (
    CAPACITY,
    CERTIFICATION,
    LANGUAGE,
    OFF_HOURS,
    PLATFORM,
    SKILLS,
    UNAVAILABLE,
    AssignmentOption,
    Candidate,
    assignment_options,
    choose_ambassador,
    in_working_hours,
    ineligibility,
    lock_candidates,
)
from .rules import (
    Facts,
    RoutingContext,
    RuleOutcome,
    facts_for,
    normalize_language,
    priority_for_score,
    required_certification,
    rule_matches,
    rules_apply,
)
from .waiting import cases_assign_waiting

__all__ = [
    "CAPACITY",
    "CERTIFICATION",
    "LANGUAGE",
    "OFF_HOURS",
    "PLATFORM",
    "SKILLS",
    "UNAVAILABLE",
    "AssignmentOption",
    "Candidate",
    "Facts",
    "RouteResult",
    "RoutingContext",
    "RuleOutcome",
    "assignment_options",
    "cases_assign_waiting",
    "choose_ambassador",
    "facts_for",
    "in_working_hours",
    "ineligibility",
    "lock_candidates",
    "mentions_route",
    "normalize_language",
    "priority_for_score",
    "required_certification",
    "rule_matches",
    "rules_apply",
]
