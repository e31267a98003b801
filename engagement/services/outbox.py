"""What a case's history tells the world: each CaseEvent, once written, becomes the
webhook events of the issue (``case.created``, ``case.assigned``...), handed over
through the pipeline after commit. Every writer of CaseEvents calls
``case_events_published`` with the rows it wrote, so no event is missed or doubled
(the keys are the events' ids)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dellsocial import pipeline

from ..models import PRIORITY_NAMES, Case, CaseEvent, CaseStatus, Reply
from .notify import case_events_notify


def _case_data(case: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "case_id": case["id"],
        "platform": case["platform"],
        "status": case["status"],
        "priority": PRIORITY_NAMES.get(case["priority"], ""),
        "team": case["team__slug"] or None,
        "assignee": case["assignee__username"] or None,
        "author_id": case["author_id"],
        "created_at": case["created_at"].isoformat(),
    }


def _reply_data(reply: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "reply_id": reply["id"],
        "case_id": reply["case_id"],
        "platform": reply["platform"],
        "status": reply["status"],
        "author": reply["author__username"] or None,
        "external_id": reply["external_id"],
        "error_code": reply["error_code"],
        "text": reply["text"],
    }


WEBHOOK_KINDS = {
    CaseEvent.Kind.CREATED,
    CaseEvent.Kind.ASSIGNED,
    CaseEvent.Kind.STATUS_CHANGED,
    CaseEvent.Kind.REPLY_SENT,
    CaseEvent.Kind.REPLY_FAILED,
}


def case_events_published(events: Sequence[CaseEvent]) -> None:
    """Tell the people concerned (notifications) and hand the webhook events of
    these (already saved) case events to the pipeline."""
    events = list(events)
    case_events_notify(events)
    case_events_to_webhooks(events)


def case_events_to_webhooks(events: Sequence[CaseEvent]) -> None:
    """Two queries whatever the number of events."""
    events = [e for e in events if e.kind in WEBHOOK_KINDS and e.pk]
    if not events:
        return
    cases = {
        c["id"]: c
        for c in Case.objects.filter(pk__in={e.case_id for e in events}).values(
            "id",
            "platform",
            "status",
            "priority",
            "team__slug",
            "assignee__username",
            "author_id",
            "created_at",
        )
    }
    reply_ids = {
        e.data.get("reply_id")
        for e in events
        if e.kind in (CaseEvent.Kind.REPLY_SENT, CaseEvent.Kind.REPLY_FAILED)
    } - {None}
    replies = (
        {
            r["id"]: r
            for r in Reply.objects.filter(pk__in=reply_ids).values(
                "id",
                "case_id",
                "platform",
                "status",
                "author__username",
                "external_id",
                "error_code",
                "text",
            )
        }
        if reply_ids
        else {}
    )
    out: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for event in events:
        case = cases.get(event.case_id)
        if case is None:
            continue
        data = _case_data(case)
        when = event.created_at.isoformat()
        if event.kind == CaseEvent.Kind.CREATED:
            out.setdefault("case.created", []).append(
                (f"case.created:{event.case_id}", data)
            )
        elif event.kind == CaseEvent.Kind.ASSIGNED:
            data["assignee"] = event.data.get("assignee") or data["assignee"]
            data["assigned_at"] = when
            out.setdefault("case.assigned", []).append(
                (f"case.assigned:{event.pk}", data)
            )
        elif event.kind == CaseEvent.Kind.STATUS_CHANGED:
            data.update(
                previous_status=event.data.get("previous", ""),
                status=event.data.get("status", data["status"]),
                changed_at=when,
            )
            out.setdefault("case.status_changed", []).append(
                (f"case.status_changed:{event.pk}", data)
            )
            if data["status"] == CaseStatus.RESOLVED:
                out.setdefault("case.resolved", []).append(
                    (f"case.resolved:{event.pk}", data)
                )
        else:
            reply = replies.get(event.data.get("reply_id"))
            if reply is None:
                continue
            name = (
                "reply.sent"
                if event.kind == CaseEvent.Kind.REPLY_SENT
                else "reply.failed"
            )
            payload = _reply_data(reply)
            payload["at"] = when
            if name == "reply.failed":
                payload["error"] = str(event.data.get("error", ""))[:300]
            out.setdefault(name, []).append((f"{name}:{event.pk}", payload))
    for name, items in out.items():
        pipeline.webhook_events(name, items)
