"""Who is told what when a case's history grows: the notification events of the
issue (assigned to me, @mentioned in a note, my reply approved / rejected / failed,
a reply waiting for my approval, my case's SLA breached), through the one door of
``notifications``. Each carries a dedupe key, so a repeated event tells once."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.db.models import Q

from ambassadors.models import Role
from notifications.services import notification_send

from ..models import Case, CaseEvent, CaseNote, Reply

# @username in a note: Django's username characters.
MENTION_RE = re.compile(r"(?<![\w@])@([\w.@+-]{1,150})")
SUMMARY_CHARS = 120
NOTIFY_KINDS = {
    CaseEvent.Kind.ASSIGNED,
    CaseEvent.Kind.NOTE_ADDED,
    CaseEvent.Kind.REPLY_CREATED,
    CaseEvent.Kind.REPLY_APPROVED,
    CaseEvent.Kind.REPLY_REJECTED,
    CaseEvent.Kind.REPLY_FAILED,
    CaseEvent.Kind.SLA_BREACHED,
}
# What the reply's author is told when a manager decides or the platform refuses.
_REPLY_NOTIFICATIONS: dict[str, str] = {
    CaseEvent.Kind.REPLY_APPROVED: "engagement.reply_approved",
    CaseEvent.Kind.REPLY_REJECTED: "engagement.reply_rejected",
    CaseEvent.Kind.REPLY_FAILED: "engagement.reply_failed",
}


def mentioned_usernames(text: str) -> list[str]:
    return [name.rstrip(".") for name in MENTION_RE.findall(text or "")]


def _approvers() -> list[int]:
    """Who approves replies: admins and community managers."""
    User = get_user_model()  # noqa: N806
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(profile__role__in=[Role.ADMIN, Role.MANAGER]))
        .values_list("id", flat=True)
    )


def case_url(case_id: int) -> str:
    return f"/engagement/cases/{case_id}/"


def case_events_notify(events: Sequence[CaseEvent]) -> None:
    events = [e for e in events if e.kind in NOTIFY_KINDS and e.pk]
    if not events:
        return
    cases = {
        c["id"]: c
        for c in Case.objects.filter(pk__in={e.case_id for e in events}).values(
            "id", "assignee_id", "summary"
        )
    }
    reply_ids = {e.data.get("reply_id") for e in events} - {None}
    replies = (
        {
            r["id"]: r
            for r in Reply.objects.filter(pk__in=reply_ids).values(
                "id",
                "author_id",
                "author__username",
                "status",
                "text",
                "reviewed_by__username",
            )
        }
        if reply_ids
        else {}
    )
    note_ids = {e.data.get("note_id") for e in events} - {None}
    notes = (
        {
            n["id"]: n
            for n in CaseNote.objects.filter(pk__in=note_ids).values(
                "id", "text", "author_id", "author__username"
            )
        }
        if note_ids
        else {}
    )
    for event in events:
        case = cases.get(event.case_id)
        if case is None:
            continue
        params = {"case": case["id"], "summary": case["summary"][:SUMMARY_CHARS]}
        url = case_url(case["id"])
        kind = event.kind
        if kind == CaseEvent.Kind.ASSIGNED:
            assignee = case["assignee_id"]
            if assignee and assignee != event.actor_id:
                notification_send(
                    user_ids=[assignee],
                    kind="engagement.case_assigned",
                    params=params,
                    url=url,
                    dedupe_key=f"assigned:{event.pk}",
                )
        elif kind == CaseEvent.Kind.NOTE_ADDED:
            note = notes.get(event.data.get("note_id"))
            if note is None:
                continue
            names = mentioned_usernames(note["text"])
            if not names:
                continue
            users = (
                get_user_model()
                .objects.filter(username__in=names, is_active=True)
                .exclude(pk=note["author_id"])
                .values_list("id", flat=True)
            )
            notification_send(
                user_ids=list(users),
                kind="engagement.mentioned",
                params={
                    **params,
                    "actor": note["author__username"] or "",
                    "note": note["text"][:300],
                },
                url=url + "#notes",
                dedupe_key=f"mention:{note['id']}",
            )
        elif kind == CaseEvent.Kind.REPLY_CREATED:
            reply = replies.get(event.data.get("reply_id"))
            if reply is None or reply["status"] != "pending_approval":
                continue
            approvers = [u for u in _approvers() if u != reply["author_id"]]
            notification_send(
                user_ids=approvers,
                kind="engagement.reply_awaiting_approval",
                params={
                    **params,
                    "author": reply["author__username"] or "",
                    "text": reply["text"][:200],
                },
                url="/engagement/approvals/",
                dedupe_key=f"approval:{reply['id']}",
            )
        elif kind in (
            CaseEvent.Kind.REPLY_APPROVED,
            CaseEvent.Kind.REPLY_REJECTED,
            CaseEvent.Kind.REPLY_FAILED,
        ):
            reply = replies.get(event.data.get("reply_id"))
            if reply is None or not reply["author_id"]:
                continue
            if reply["author_id"] == event.actor_id:
                continue
            name = _REPLY_NOTIFICATIONS[kind]
            why = (
                event.data.get("note")
                or event.data.get("reason")
                or event.data.get("error")
                or ""
            )
            notification_send(
                user_ids=[reply["author_id"]],
                kind=name,
                params={
                    **params,
                    # The manager's note in full (at most approvals.NOTE_MAX).
                    "note": str(why)[:1000],
                    "reviewer": reply["reviewed_by__username"] or "",
                },
                url=url + "#replies",
                dedupe_key=f"{name}:{event.pk}",
            )
        elif kind == CaseEvent.Kind.SLA_BREACHED and case["assignee_id"]:
            target = event.data.get("target", "")
            notification_send(
                user_ids=[case["assignee_id"]],
                kind="engagement.sla_breached",
                params={**params, "target": target},
                url=url,
                dedupe_key=f"sla_breached:{case['id']}:{target}",
            )
