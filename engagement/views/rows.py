"""The queue's rows as plain dicts of display strings, built in Python.

A queue page renders fifty rows; the template engine resolving model attributes,
reversing URLs and translating plurals for each cell of each row costs more than
the queries. Building each row here once keeps the template a dumb loop over
dict lookups (the engine's fastest path) with autoescaping intact.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import formats
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from listening.models import Intent, Platform, Sentiment

from ..models import Case, CaseStatus, Priority


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def row_texts() -> dict[str, str]:
    """The words every row may show, translated once per page."""
    return {
        "escalated": _("Escalated"),
        "verified": _("Verified"),
        "influencer": _("Influencer"),
        "unknown": _("unknown"),
        "unassigned": _("Not assigned"),
    }


def sort_key(case: Case, sort: str) -> str:
    """The row's place in the queue's order as a string that sorts the same way
    (the live list inserts new rows where this puts them)."""
    waited = f"{int(case.waiting_since.timestamp() * 1000):015d}~{case.pk:012d}"
    return waited if sort == "waiting" else f"{case.priority}~{waited}"


def build_rows(
    cases: list[Case],
    *,
    user: User,
    now: dt.datetime,
    fresh: bool = False,
    sort: str = "priority",
) -> list[dict]:
    """One dict per case with everything a queue row shows."""
    detail = reverse("engagement:case_detail", args=[0])[: -len("0/")]
    priorities = _labels(Priority.choices)
    platforms = _labels(Platform.choices)
    statuses = _labels(CaseStatus.choices)
    sentiments = _labels(Sentiment.choices)
    intents = _labels(Intent.choices)
    rows = []
    for case in cases:
        author = case.author
        followers = author.followers_count if author is not None else 0
        due_first = case.first_response_due_at if not case.first_responded_at else None
        if case.sla_breached:
            sla = ("sla sla-breached", _("Breached"), "")
        elif case.sla_paused_at:
            sla = ("sla sla-paused", _("Paused"), "")
        elif due_first is not None:
            sla = (
                "sla",
                _("reply in %(left)s") % {"left": timeuntil(due_first, now, depth=1)},
                _("First response due")
                + " "
                + formats.date_format(due_first, "Y-m-d H:i"),
            )
        elif case.resolution_due_at and case.is_active:
            sla = (
                "sla",
                _("resolve in %(left)s")
                % {"left": timeuntil(case.resolution_due_at, now, depth=1)},
                _("Resolution due")
                + " "
                + formats.date_format(case.resolution_due_at, "Y-m-d H:i"),
            )
        else:
            sla = ("muted", "—", "")
        rows.append(
            {
                "id": case.pk,
                "sort_key": sort_key(case, sort),
                "url": f"{detail}{case.pk}/",
                "classes": "case-row"
                + (" fresh" if fresh else "")
                + (" breached" if case.sla_breached else ""),
                "check_label": _("Select case #%(id)s") % {"id": case.pk},
                "priority": case.priority,
                "priority_label": priorities.get(case.priority, ""),
                "platform": case.platform,
                "platform_label": platforms.get(case.platform, case.platform),
                "status": case.status,
                "status_label": statuses.get(case.status, case.status),
                "escalated": case.escalated,
                "mentions": ngettext(
                    "%(n)s mention", "%(n)s mentions", case.mention_count
                )
                % {"n": case.mention_count}
                if case.mention_count > 1
                else "",
                "summary": case.summary[:160],
                "labels": [label.name for label in case.labels.all()],
                "author": (
                    author.screen_name or author.name or author.external_id
                    if author is not None
                    else ""
                ),
                "verified": bool(author and author.verified),
                "followers": ngettext(
                    "%(counter)s follower", "%(counter)s followers", followers
                )
                % {"counter": followers},
                "influencer": case.influencer,
                "sentiment": case.sentiment_label,
                "sentiment_label": sentiments.get(case.sentiment_label, ""),
                "intent_label": intents.get(case.intent, ""),
                "language": case.language,
                "assignee": case.assignee.get_username() if case.assignee else "",
                "mine": case.assignee_id == user.pk,
                "team": case.team.name if case.team else "",
                "waiting_iso": case.waiting_since.isoformat(),
                "waiting_title": formats.date_format(case.waiting_since, "Y-m-d H:i"),
                "waiting": timesince(case.waiting_since, now, depth=1),
                "sla_class": sla[0],
                "sla_text": sla[1],
                "sla_title": sla[2],
            }
        )
    return rows
